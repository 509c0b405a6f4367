//! The JSON resources of the API: [`Call`] and the list page [`CallPage`], generated from the
//! description (`crate::generated::models`), and the tolerant wire types they are read with.
//!
//! Serialization writes the wire names (dates as RFC 3339, `duration` as a string, `price` as a
//! string or null), so a server (the simulator) can answer with these types. Deserialization is
//! tolerant of what servers of this API shape send: ISO 8601 or RFC 2822 dates, numbers as strings
//! or integers, `null` anywhere optional, and unknown fields (kept in `extra`).
//!
//! ```
//! use mycpaas_core::{Call, CallStatus};
//!
//! let call: Call = serde_json::from_str(r#"{
//!     "sid": "CA1", "to": "+491234567890", "status": "in-progress",
//!     "date_created": "Tue, 31 Aug 2010 20:36:28 +0000",
//!     "duration": "15", "price": -0.03, "shiny_new_field": 1
//! }"#).unwrap();
//! assert_eq!(call.status, Some(CallStatus::InProgress));
//! assert_eq!(call.duration, Some(15));
//! assert_eq!(call.price.as_deref(), Some("-0.03"));
//! assert!(call.extra.contains_key("shiny_new_field"));
//! ```

mod row;
mod salvage;
pub(crate) mod wire;

pub use crate::generated::models::*;
pub use row::{Listed, Row};
pub(crate) use salvage::read_resource;
pub use salvage::{FieldProblem, Identified};

use crate::error::Result;
use crate::ops::response;

impl CallPage {
    /// Reads a page of calls from a JSON body received some other way than through a client.
    ///
    /// ```
    /// use mycpaas_core::CallPage;
    /// let page = CallPage::from_json(br#"{"page": 0, "page_size": 10, "calls": [{"sid": "CA1"}]}"#)?;
    /// assert_eq!(page.calls[0].sid, "CA1");
    /// # Ok::<(), mycpaas_core::Error>(())
    /// ```
    pub fn from_json(body: &[u8]) -> Result<CallPage> {
        response::decode(200, body)
    }
}

#[cfg(test)]
mod call_tests {

    use super::*;
    use crate::types::{CallStatus, Direction};
    use time::macros::datetime;

    const SEED: &str = r#"{
      "sid": "CA1234567890abcdef1234567890abcdef",
      "to": "+491234567890",
      "from": "+491098765432",
      "status": "queued",
      "direction": "outbound-api",
      "date_created": "2026-04-19T10:00:00Z",
      "uri": "/api/laml/2010-04-01/Accounts/ACxxx/Calls/CA1234567890abcdef1234567890abcdef.json"
    }"#;

    const FULL: &str = r#"{
      "account_sid": "AC25e16e9a716a4a1786a7c83f58e30482",
      "annotation": null,
      "answered_by": null,
      "api_version": "2010-04-01",
      "caller_name": null,
      "date_created": "Tue, 31 Aug 2010 20:36:28 +0000",
      "date_updated": "Tue, 31 Aug 2010 20:36:44 +0000",
      "direction": "inbound",
      "duration": 15,
      "end_time": "Tue, 31 Aug 2010 20:36:44 +0000",
      "forwarded_from": "+141586753093",
      "from": "+14158675308",
      "from_formatted": "(415) 867-5308",
      "group_sid": null,
      "parent_call_sid": null,
      "phone_number_sid": "PNe2d8e63b37f46f2adb16f228afdb9058",
      "price": "-0.03000",
      "price_unit": "USD",
      "sid": "CAe2d8e63b37f46f2adb16f228afdb9058",
      "start_time": "Tue, 31 Aug 2010 20:36:29 +0000",
      "status": "completed",
      "subresource_uris": {"recordings": "/x/Recordings.json"},
      "to": "+15558675310",
      "to_formatted": "(555) 867-5310",
      "queue_time": "0",
      "uri": "/2010-04-01/Accounts/AC25/Calls/CAe2.json",
      "trunk_sid": null
    }"#;

    #[test]
    fn seed_example() {
        let call: Call = serde_json::from_str(SEED).unwrap();
        assert_eq!(call.sid, "CA1234567890abcdef1234567890abcdef");
        assert_eq!(call.status, Some(CallStatus::Queued));
        assert_eq!(call.direction, Some(Direction::OutboundApi));
        assert_eq!(call.date_created, Some(datetime!(2026-04-19 10:00:00 UTC)));
        assert!(call.extra.is_empty());
    }

    #[test]
    fn full_server_shape_with_rfc2822_dates() {
        let call: Call = serde_json::from_str(FULL).unwrap();
        assert_eq!(call.date_created, Some(datetime!(2010-08-31 20:36:28 UTC)));
        assert_eq!(call.duration, Some(15));
        assert_eq!(call.price.as_deref(), Some("-0.03000"));
        assert_eq!(call.queue_time.as_deref(), Some("0"));
        assert_eq!(call.extra.get("trunk_sid"), Some(&serde_json::Value::Null));
        assert!(call.subresource_uris.unwrap().contains_key("recordings"));
    }

    #[test]
    fn quirks() {
        let call: Call = serde_json::from_str(
            r#"{"sid":"CA1","duration":"15","price":null,"status":"on-hold","direction":null,
                "date_created":null,"start_time":"","queue_time":12}"#,
        )
        .unwrap();
        assert_eq!(call.duration, Some(15));
        assert_eq!(call.price, None);
        assert_eq!(call.status, Some(CallStatus::Other("on-hold".into())));
        assert_eq!(call.start_time, None);
        assert_eq!(call.queue_time.as_deref(), Some("12"));
        let call: Call =
            serde_json::from_str(r#"{"sid":"CA1","price":-0.03,"duration":null}"#).unwrap();
        assert_eq!(call.price.as_deref(), Some("-0.03"));
        assert_eq!(call.duration, None);
        let call: Call =
            serde_json::from_str(r#"{"sid":"CA1","date_updated":1776592800}"#).unwrap();
        assert_eq!(call.date_updated, Some(datetime!(2026-04-19 10:00:00 UTC)));
        assert!(serde_json::from_str::<Call>(r#"{"sid":"CA1","end_time":"soon"}"#).is_err());
    }

    #[test]
    fn serializes_wire_names_and_round_trips() {
        let call = Call {
            sid: "CA1".into(),
            from: Some("+4912".into()),
            status: Some(CallStatus::InProgress),
            direction: Some(Direction::OutboundApi),
            date_created: Some(datetime!(2026-04-19 10:00:00 UTC)),
            duration: Some(15),
            price: Some("-0.03000".into()),
            ..Call::default()
        };
        let json = serde_json::to_value(&call).unwrap();
        assert_eq!(json["from"], "+4912");
        assert_eq!(json["status"], "in-progress");
        assert_eq!(json["direction"], "outbound-api");
        assert_eq!(json["date_created"], "2026-04-19T10:00:00Z");
        assert_eq!(json["duration"], "15");
        assert_eq!(json["price"], "-0.03000");
        assert_eq!(json["end_time"], serde_json::Value::Null);
        let back: Call = serde_json::from_value(json).unwrap();
        assert_eq!(back, call);

        let full: Call = serde_json::from_str(FULL).unwrap();
        let again: Call = serde_json::from_str(&serde_json::to_string(&full).unwrap()).unwrap();
        assert_eq!(again, full);
    }

    #[test]
    fn missing_sid_is_an_error() {
        assert!(serde_json::from_str::<Call>(r#"{"to":"+4912"}"#).is_err());
    }
}

#[cfg(test)]
mod page_tests {

    use super::*;

    #[test]
    fn seed_envelope() {
        let page: CallPage = serde_json::from_str(
            r#"{"page": 0, "page_size": 10, "calls": [{"sid": "CA1", "status": "completed"}]}"#,
        )
        .unwrap();
        assert_eq!(page.page, Some(0));
        assert_eq!(page.calls.len(), 1);
        assert_eq!(page.next_page_uri, None);
    }

    #[test]
    fn full_envelope() {
        let page: CallPage = serde_json::from_str(
            r#"{"page": "1", "page_size": 2, "calls": [], "uri": "/a?Page=1",
                "first_page_uri": "/a?Page=0", "next_page_uri": "/a?Page=2&PageToken=PA1",
                "previous_page_uri": "/a?Page=0", "start": 2, "end": 3, "num_pages": 9}"#,
        )
        .unwrap();
        assert_eq!(page.page, Some(1));
        assert_eq!(
            page.next_page_uri.as_deref(),
            Some("/a?Page=2&PageToken=PA1")
        );
        assert_eq!(page.end, Some(3));
        assert!(page.extra.contains_key("num_pages"));
        let back: CallPage = serde_json::from_str(&serde_json::to_string(&page).unwrap()).unwrap();
        assert_eq!(back, page);
    }

    #[test]
    fn serializes_absent_links_as_null() {
        let page = CallPage::default();
        let json = serde_json::to_value(&page).unwrap();
        let object = json.as_object().unwrap();
        for link in [
            "uri",
            "first_page_uri",
            "next_page_uri",
            "previous_page_uri",
        ] {
            assert_eq!(object.get(link), Some(&serde_json::Value::Null), "{link}");
        }
        assert_eq!(json["calls"], serde_json::json!([]));
        // The record indexes are not links: absent stays absent.
        assert!(!object.contains_key("start") && !object.contains_key("end"));
        // Read back: null and absent both give `None`.
        let back: CallPage = serde_json::from_value(json).unwrap();
        assert_eq!(back, page);
    }

    #[test]
    fn first_page_writes_a_null_previous_page_uri() {
        let page: CallPage = serde_json::from_str(
            r#"{"page": 0, "page_size": 2, "calls": [], "uri": "/a?Page=0",
                "first_page_uri": "/a?Page=0", "next_page_uri": "/a?Page=1"}"#,
        )
        .unwrap();
        assert_eq!(page.previous_page_uri, None);
        let json = serde_json::to_value(&page).unwrap();
        assert_eq!(json["previous_page_uri"], serde_json::Value::Null);
        assert_eq!(json["next_page_uri"], "/a?Page=1");
    }
}
