//! The simulator's records as the API's JSON, through core's wire models.

use mycpaas_core::{Call, CallStatus, Direction};
use time::OffsetDateTime;

use crate::store::CallRecord;

/// The API version every call reports.
pub(crate) const API_VERSION: &str = "2010-04-01";

/// The path of a call resource under `prefix` (`/api/laml/2010-04-01` or `/2010-04-01`).
pub(crate) fn call_uri(prefix: &str, account_sid: &str, sid: &str) -> String {
    format!("{prefix}/Accounts/{account_sid}/Calls/{sid}.json")
}

/// Dates are reported as the seed writes them: whole seconds.
fn whole_seconds(at: OffsetDateTime) -> OffsetDateTime {
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
    call.direction = Some(Direction::OutboundApi);
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
    for name in ["notifications", "recordings", "events"] {
        let capitalised = format!("{}{}", name[..1].to_ascii_uppercase(), &name[1..]);
        subresources.insert(
            name.to_owned(),
            serde_json::Value::String(base.replace(".json", &format!("/{capitalised}.json"))),
        );
    }
    call.subresource_uris = Some(subresources);
    call.uri = Some(base);
    call
}
