//! The simulator's records as the API's JSON, through core's wire models.

use mycpaas_core::{Call, CallStatus, Direction};
use serde_json::Value;
use time::OffsetDateTime;

use crate::dates::DateFormat;
use crate::store::CallRecord;

/// The API version every call reports.
pub(crate) const API_VERSION: &str = "2010-04-01";

/// The path of a call resource under `prefix` (`/api/laml/2010-04-01` or `/2010-04-01`).
pub(crate) fn call_uri(prefix: &str, account_sid: &str, sid: &str) -> String {
    format!("{prefix}/Accounts/{account_sid}/Calls/{sid}.json")
}

/// Dates are reported as the seed writes them: whole seconds.
pub(crate) fn whole_seconds(at: OffsetDateTime) -> OffsetDateTime {
    at.replace_nanosecond(0).unwrap_or(at)
}

/// A call record as core's [`Call`].
pub(crate) fn call(record: &CallRecord, prefix: &str) -> Call {
    let mut call = Call::default();
    let base = call_uri(prefix, &record.account_sid, &record.sid);
    call.sid.clone_from(&record.sid);
    call.account_sid = Some(record.account_sid.clone());
    call.to = Some(record.to.clone());
    call.to_formatted = Some(record.to.clone());
    call.from = Some(record.from.clone());
    call.from_formatted = Some(record.from.clone());
    call.status = Some(CallStatus::from_wire(record.status.as_str()));
    call.direction = Some(Direction::from_wire(record.direction()));
    call.parent_call_sid.clone_from(&record.parent_call_sid);
    call.date_created = Some(whole_seconds(record.created));
    call.date_updated = Some(whole_seconds(record.updated));
    call.start_time = record.start_time.map(whole_seconds);
    call.end_time = record.end_time.map(whole_seconds);
    call.duration = record.status.is_terminal().then(|| record.duration_secs());
    call.price_unit = Some("USD".to_owned());
    call.answered_by.clone_from(&record.answered_by);
    call.api_version = Some(API_VERSION.to_owned());
    call.queue_time = Some("0".to_owned());
    let mut subresources = serde_json::Map::new();
    let below = base.trim_end_matches(".json");
    for (name, segment) in [
        ("notifications", "Notifications"),
        ("recordings", "Recordings"),
        ("events", "Events"),
    ] {
        subresources.insert(
            name.to_owned(),
            Value::String(format!("{below}/{segment}.json")),
        );
    }
    call.subresource_uris = Some(subresources);
    call.uri = Some(base);
    call
}

/// The date fields of the resources.
const DATE_FIELDS: [&str; 5] = [
    "date_created",
    "date_updated",
    "start_time",
    "end_time",
    "date_last_accessed",
];

/// A resource, a page or any other answer as JSON text, with the resources' dates in
/// `format`. Core's models write ISO 8601; other formats rewrite those fields.
pub(crate) fn to_json(
    value: &impl serde::Serialize,
    format: DateFormat,
) -> serde_json::Result<String> {
    if format == DateFormat::Iso8601 {
        return serde_json::to_string(value);
    }
    let mut json = serde_json::to_value(value)?;
    rewrite_dates(&mut json, format);
    // A page's items: the array members of the envelope.
    if let Some(members) = json.as_object_mut() {
        for items in members.values_mut().filter_map(Value::as_array_mut) {
            for item in items {
                rewrite_dates(item, format);
            }
        }
    }
    serde_json::to_string(&json)
}

fn rewrite_dates(call: &mut Value, format: DateFormat) {
    for field in DATE_FIELDS {
        if let Some(Value::String(text)) = call.get_mut(field) {
            let iso = time::format_description::well_known::Rfc3339;
            if let Ok(at) = OffsetDateTime::parse(text, &iso) {
                *text = format.format(at);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc2822_rewrites_the_dates_of_calls_and_pages_only() {
        let call = serde_json::json!({"sid": "CA1", "date_created": "2026-04-19T10:00:00Z",
            "start_time": null, "uri": "2026-04-19T10:00:00Z"});
        let page = serde_json::json!({"page": 0, "calls": [call.clone()]});
        let rewritten: Value =
            serde_json::from_str(&to_json(&call, DateFormat::Rfc2822).unwrap()).unwrap();
        assert_eq!(rewritten["date_created"], "Sun, 19 Apr 2026 10:00:00 +0000");
        assert_eq!(rewritten["start_time"], Value::Null);
        assert_eq!(rewritten["uri"], "2026-04-19T10:00:00Z");
        let rewritten: Value =
            serde_json::from_str(&to_json(&page, DateFormat::Rfc2822).unwrap()).unwrap();
        assert_eq!(
            rewritten["calls"][0]["date_created"],
            "Sun, 19 Apr 2026 10:00:00 +0000"
        );
        assert_eq!(
            to_json(&call, DateFormat::Iso8601).unwrap(),
            call.to_string()
        );
    }
}
