//! The URL paths of the Voice API, shared by the client operations and the simulator.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Prefix of every resource path.
pub const API_PREFIX: &str = "/api/laml/2010-04-01";
/// Prefix some existing clients of this API shape use instead (servers may accept both).
pub const LEGACY_API_PREFIX: &str = "/2010-04-01";

/// Characters escaped in a path segment: everything but the unreserved set of RFC 3986.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes one path segment.
pub fn encode_segment(segment: &str) -> String {
    utf8_percent_encode(segment, SEGMENT).to_string()
}

/// `/api/laml/2010-04-01/Accounts/{account_sid}/Calls.json`
///
/// ```
/// assert_eq!(
///     mycpaas_core::paths::calls_path("AC1"),
///     "/api/laml/2010-04-01/Accounts/AC1/Calls.json"
/// );
/// ```
pub fn calls_path(account_sid: &str) -> String {
    format!(
        "{API_PREFIX}/Accounts/{}/Calls.json",
        encode_segment(account_sid)
    )
}

/// `/api/laml/2010-04-01/Accounts/{account_sid}/Calls/{call_sid}.json`
pub fn call_path(account_sid: &str, call_sid: &str) -> String {
    format!(
        "{API_PREFIX}/Accounts/{}/Calls/{}.json",
        encode_segment(account_sid),
        encode_segment(call_sid)
    )
}
