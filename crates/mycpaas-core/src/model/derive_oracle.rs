//! Test only: the `Deserialize` derives that `Call` and `CallPage` had before their impls were
//! written by hand, kept as an oracle. The hand-written impls must accept and reject the same
//! inputs and give the same values.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::wire;
use super::{Call, CallPage};
use crate::types::{CallStatus, Direction};

#[derive(Debug, Serialize, Deserialize)]
struct DerivedCall {
    sid: String,
    #[serde(default)]
    account_sid: Option<String>,
    #[serde(default)]
    parent_call_sid: Option<String>,
    #[serde(default)]
    to: Option<String>,
    #[serde(default)]
    to_formatted: Option<String>,
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    from_formatted: Option<String>,
    #[serde(default)]
    phone_number_sid: Option<String>,
    #[serde(default)]
    status: Option<CallStatus>,
    #[serde(default)]
    direction: Option<Direction>,
    #[serde(default, with = "wire::date")]
    date_created: Option<OffsetDateTime>,
    #[serde(default, with = "wire::date")]
    date_updated: Option<OffsetDateTime>,
    #[serde(default, with = "wire::date")]
    start_time: Option<OffsetDateTime>,
    #[serde(default, with = "wire::date")]
    end_time: Option<OffsetDateTime>,
    #[serde(default, with = "wire::number_as_string")]
    duration: Option<u64>,
    #[serde(default, deserialize_with = "wire::decimal_text::deserialize")]
    price: Option<String>,
    #[serde(default)]
    price_unit: Option<String>,
    #[serde(default)]
    answered_by: Option<String>,
    #[serde(default)]
    api_version: Option<String>,
    #[serde(default)]
    forwarded_from: Option<String>,
    #[serde(default)]
    caller_name: Option<String>,
    #[serde(default)]
    group_sid: Option<String>,
    #[serde(default, deserialize_with = "wire::decimal_text::deserialize")]
    queue_time: Option<String>,
    #[serde(default)]
    annotation: Option<String>,
    #[serde(default)]
    uri: Option<String>,
    #[serde(default)]
    subresource_uris: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(flatten)]
    extra: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Serialize, Deserialize)]
struct DerivedPage {
    #[serde(default)]
    calls: Vec<DerivedCall>,
    #[serde(default, with = "wire::number")]
    page: Option<u64>,
    #[serde(default, with = "wire::number")]
    page_size: Option<u64>,
    #[serde(default)]
    uri: Option<String>,
    #[serde(default)]
    first_page_uri: Option<String>,
    #[serde(default)]
    next_page_uri: Option<String>,
    #[serde(default)]
    previous_page_uri: Option<String>,
    #[serde(
        default,
        with = "wire::number",
        skip_serializing_if = "Option::is_none"
    )]
    start: Option<u64>,
    #[serde(
        default,
        with = "wire::number",
        skip_serializing_if = "Option::is_none"
    )]
    end: Option<u64>,
    #[serde(flatten)]
    extra: serde_json::Map<String, serde_json::Value>,
}

/// Objects a call may be, good and bad.
pub(crate) const CALL_CORPUS: &[&str] = &[
    r#"{"sid":"CA1"}"#,
    r#"{"sid":"CA\u0031","to":"+49\n12"}"#,
    r#"{"to":"+4912"}"#,
    "{}",
    r#"{"sid":null}"#,
    r#"{"sid":1}"#,
    r#"{"sid":"CA1","sid":"CA2"}"#,
    r#"{"sid":"CA1","x":1,"x":2}"#,
    r#"{"sid":"CA1","to":null,"from":"+1","status":"completed","direction":"inbound"}"#,
    r#"{"sid":"CA1","status":"on-hold","direction":"sideways"}"#,
    r#"{"sid":"CA1","status":3}"#,
    r#"{"sid":"CA1","to":5}"#,
    r#"{"sid":"CA1","date_created":"Tue, 31 Aug 2010 20:36:28 +0000","end_time":"2026-04-19T10:00:00Z"}"#,
    r#"{"sid":"CA1","start_time":"","date_updated":1776592800,"end_time":null}"#,
    r#"{"sid":"CA1","end_time":"soon"}"#,
    r#"{"sid":"CA1","end_time":-5}"#,
    r#"{"sid":"CA1","end_time":true}"#,
    r#"{"sid":"CA1","duration":"15","price":-0.03,"queue_time":12}"#,
    r#"{"sid":"CA1","duration":15.0,"price":"","queue_time":true}"#,
    r#"{"sid":"CA1","duration":-1}"#,
    r#"{"sid":"CA1","duration":"x"}"#,
    r#"{"sid":"CA1","duration":" 7 ","price":null}"#,
    r#"{"sid":"CA1","price":[1]}"#,
    r#"{"sid":"CA1","subresource_uris":{"a":"/a","b":{"c":[1,2]}}}"#,
    r#"{"sid":"CA1","subresource_uris":[]}"#,
    r#"{"sid":"CA1","subresource_uris":null}"#,
    r#"{"sid":"CA1","shiny":{"deep":[null,true,1.5e3]},"trunk_sid":null}"#,
    "[]",
    r#"["CA1"]"#,
    r#""CA1""#,
    "null",
];

/// `Ok(value as JSON)` or `Err(())`: what a model made of `text`, in a comparable form.
fn outcome<T: Serialize + for<'de> Deserialize<'de>>(text: &str) -> Result<serde_json::Value, ()> {
    serde_json::from_str::<T>(text)
        .map(|model| serde_json::to_value(model).expect("a model serializes"))
        .map_err(|_| ())
}

#[test]
fn calls_decode_as_the_derive_did() {
    for text in CALL_CORPUS {
        assert_eq!(
            outcome::<Call>(text),
            outcome::<DerivedCall>(text),
            "{text}"
        );
        // The same through `serde_json::Value` (a deserializer that hands out owned keys).
        if let Ok(value) = serde_json::from_str::<serde_json::Value>(text) {
            let ours = serde_json::from_value::<Call>(value.clone()).map_err(|_| ());
            let derived = serde_json::from_value::<DerivedCall>(value).map_err(|_| ());
            assert_eq!(
                ours.map(|c| serde_json::to_value(c).unwrap()),
                derived.map(|c| serde_json::to_value(c).unwrap()),
                "{text}"
            );
        }
    }
}

#[test]
fn pages_decode_as_the_derive_did() {
    let mut corpus: Vec<String> = [
        "{}",
        r#"{"calls":[]}"#,
        r#"{"calls":null}"#,
        r#"{"calls":{}}"#,
        r#"{"page":"1","page_size":2,"start":2,"end":3,"num_pages":9,"uri":"/a"}"#,
        r#"{"page":-1}"#,
        r#"{"page":0,"page":1}"#,
        r#"{"next_page_uri":null,"previous_page_uri":"/p","first_page_uri":"/f"}"#,
        r#"{"next_page_uri":1}"#,
        "[]",
    ]
    .iter()
    .map(ToString::to_string)
    .collect();
    for call in CALL_CORPUS {
        corpus.push(format!(r#"{{"page":0,"calls":[{call}],"x":[1]}}"#));
        corpus.push(format!(
            r#"{{"calls":[{{"sid":"CA0"}},{call}],"page_size":50}}"#
        ));
    }
    for text in &corpus {
        assert_eq!(
            outcome::<CallPage>(text),
            outcome::<DerivedPage>(text),
            "{text}"
        );
    }
}
