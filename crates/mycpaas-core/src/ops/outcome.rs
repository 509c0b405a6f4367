//! What the end of a create proves about the call: it exists, it does not, or it may.
//!
//! A user who is told "no call" creates again, so only answers that prove the create was refused
//! may say so. Everything else that does not hand back the call is [`Error::MaybeCreated`]:
//!
//! | how the create ended | the call | result |
//! |---|---|---|
//! | 2xx with a usable `sid` | exists | the resource (odd members listed in its `problems`) |
//! | 2xx that is no JSON object, has no usable `sid`, is cut short or is over the size limit | may exist | `MaybeCreated` |
//! | 5xx whose body is the API's own error document ([`is_api_error_document`]) | refused | [`Error::Api`] |
//! | 5xx with any other body (a gateway's page, nothing, over the size limit) | may exist | `MaybeCreated` |
//! | 1xx, 3xx, 4xx (an error document or not) | refused | `Api` (or `ResponseTooLarge` over the size limit) |
//! | no answer, after the request may have been written | may exist | `MaybeCreated` |
//! | no answer, the request provably never written (connect, TLS, DNS) | refused | `Transport` / `Timeout` with `may_have_been_sent() == false` |
//!
//! A 5xx proves nothing by itself: a gateway answers 502 or 504 when the API behind it is slow or
//! gone, whether or not the API had already placed the call. Only the API's own error document,
//! with its error `code` and the same `status`, says the API itself refused.
//!
//! A create also goes out on a connection of its own ([`needs_own_connection`]): a server closes a
//! kept-alive connection that has been idle for its keep-alive time, unannounced, and a request
//! written at that moment meets a closed connection. The client then sees the same end ("closed
//! before the answer") as when the server read the request, placed the call and went away, so it
//! would have to say "may have been created" for a request nobody read. A connection opened for
//! the request has never been idle. It costs one connect (and TLS handshake) per create; every
//! other request keeps using the pool.

use http::header::{CONNECTION, HeaderValue};
use http::{Request, Response};
use serde::Deserialize;

use super::response::{self, excerpt};
use super::{SendPhase, TransportFailure};
use crate::error::{Error, Result};
use crate::model::{Identified, read_resource};

/// The error document of the API: `{"code": 20500, "message": "...", "status": 500, ...}`.
#[derive(Deserialize)]
struct ErrorDocument {
    code: u64,
    status: u16,
}

/// Whether `body` is the API's own error document for `status`: a JSON object with an integer
/// `code` and a `status` equal to the HTTP status. A gateway's HTML page, an empty body, or JSON
/// of another shape (`{"message": "Endpoint request timed out"}`) is not.
///
/// ```
/// use mycpaas_core::ops::outcome::is_api_error_document;
///
/// let document = br#"{"code": 20500, "message": "Internal error", "status": 500}"#;
/// assert!(is_api_error_document(500, document));
/// assert!(!is_api_error_document(502, document));
/// assert!(!is_api_error_document(504, b"<html><h1>504 Gateway Time-out</h1></html>"));
/// assert!(!is_api_error_document(504, br#"{"message": "Endpoint request timed out"}"#));
/// ```
pub fn is_api_error_document(status: u16, body: &[u8]) -> bool {
    serde_json::from_slice::<ErrorDocument>(body)
        .is_ok_and(|document| document.status == status && document.code > 0)
}

/// Marks `request` to go out on a connection opened for it and closed after its answer
/// (`Connection: close`, which also tells the server not to keep it).
pub(crate) fn on_its_own_connection(request: &mut Request<Vec<u8>>) {
    request
        .headers_mut()
        .insert(CONNECTION, HeaderValue::from_static("close"));
}

/// Whether a transport must send `request` on a connection of its own rather than a pooled one:
/// the requests core marks with `Connection: close` (creates; see the module).
///
/// ```
/// use mycpaas_core::{Config, CreateCall, FetchCall, Operation};
/// use mycpaas_core::ops::outcome::needs_own_connection;
///
/// let config = Config::builder("AC123", "token").build().unwrap();
/// let create = CreateCall::new("+491234567890", "+491098765432").url("https://example.com/v.xml");
/// assert!(needs_own_connection(&create.build_request(&config).unwrap()));
/// assert!(!needs_own_connection(&FetchCall::new("CA1").build_request(&config).unwrap()));
/// ```
pub fn needs_own_connection<B>(request: &Request<B>) -> bool {
    request
        .headers()
        .get(CONNECTION)
        .is_some_and(|value| value.as_bytes().eq_ignore_ascii_case(b"close"))
}

/// The result of a create's final answer (see the table of the module).
pub fn created<T: Identified>(response: &Response<Vec<u8>>) -> Result<T> {
    let status = response.status().as_u16();
    let body = response.body();
    if response.status().is_success() {
        return read_resource(body).map_err(|unreadable| {
            Error::maybe_created(
                format!(
                    "the server accepted the create (HTTP {status}) but its answer could not be read \
                     ({unreadable}); body starts with: {:?}",
                    excerpt(body)
                ),
                Some(status),
            )
        });
    }
    if response.status().is_server_error() && !is_api_error_document(status, body) {
        return Err(Error::maybe_created(
            format!(
                "HTTP {status} is not the API's own error document, so it does not prove the create \
                 was refused (a gateway answers so when the API behind it is slow or gone); body \
                 starts with: {:?}",
                excerpt(body)
            ),
            Some(status),
        ));
    }
    Err(response::api_error(status, body))
}

/// The error of a create that got no answer: the call may exist once the request may have been
/// written.
pub fn create_failed(failure: TransportFailure) -> Error {
    match failure.phase {
        SendPhase::MaybeSent => Error::MaybeCreated {
            message: failure.message,
            status: None,
            timed_out: failure.timed_out,
            attempt: None,
            source: failure.source,
            response: None,
        },
        SendPhase::NotSent => failure.into_error(),
    }
}

/// The error of a create whose answer was over the size limit: only its status was read.
pub fn create_oversized(status: u16, limit: usize) -> Error {
    if (200..300).contains(&status) || (500..600).contains(&status) {
        Error::maybe_created(
            format!(
                "HTTP {status} answered the create with a body larger than the limit of {limit} bytes, \
                 which was not read"
            ),
            Some(status),
        )
    } else {
        Error::ResponseTooLarge {
            limit,
            response: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Call;

    fn create_answer(response: &Response<Vec<u8>>) -> Result<Call> {
        created(response)
    }

    fn answer(status: u16, body: &str) -> Response<Vec<u8>> {
        Response::builder()
            .status(status)
            .body(body.as_bytes().to_vec())
            .unwrap()
    }

    /// Whether the outcome tells the user that the call may exist.
    fn says_may_exist(result: &Result<Call>) -> bool {
        matches!(result, Err(error) if error.may_have_been_sent())
    }

    #[test]
    fn every_answer_is_judged_by_the_table() {
        const CALL: &str = r#"{"sid": "CA1", "status": "queued"}"#;
        let api_500 = r#"{"code": 20500, "message": "Internal error", "status": 500}"#;
        let api_503 = r#"{"code": 20503, "message": "Unavailable", "status": 503}"#;
        // (status, body, the call may exist, a Call comes back)
        let cases: &[(u16, &str, bool, bool)] = &[
            (201, CALL, false, true),
            (200, CALL, false, true),
            (201, r#"{"sid": "CA1", "duration": -3}"#, false, true),
            (201, r#"{"sid": "", "status": "queued"}"#, true, false),
            (201, r#"{"status": "queued"}"#, true, false),
            (201, r#"{"sid": "CA1", "status": "que"#, true, false),
            (201, "<Response/>", true, false),
            (204, "", true, false),
            (500, api_500, false, false),
            (503, api_503, false, false),
            (502, api_503, true, false),
            (500, "", true, false),
            (502, "<html>Bad Gateway</html>", true, false),
            (503, "Service Unavailable", true, false),
            (
                504,
                "<html><h1>504 Gateway Time-out</h1></html>",
                true,
                false,
            ),
            (
                504,
                r#"{"message": "Endpoint request timed out"}"#,
                true,
                false,
            ),
            (504, r#"{"code": "x", "status": 504}"#, true, false),
            (520, "", true, false),
            (
                400,
                r#"{"code": 21211, "message": "Invalid To", "status": 400}"#,
                false,
                false,
            ),
            (401, "<html>401</html>", false, false),
            (429, "", false, false),
            (302, "moved", false, false),
        ];
        for &(status, body, may_exist, is_call) in cases {
            let result = create_answer(&answer(status, body));
            assert_eq!(
                says_may_exist(&result),
                may_exist,
                "{status} {body}: {result:?}"
            );
            assert_eq!(result.is_ok(), is_call, "{status} {body}: {result:?}");
            if let Err(error) = &result {
                assert_eq!(error.status(), Some(status), "{status} {body}");
            }
        }
    }

    #[test]
    fn a_refusal_keeps_the_api_error_and_a_doubt_names_status_and_body() {
        let refused = create_answer(&answer(
            503,
            r#"{"code": 20503, "message": "Unavailable", "status": 503}"#,
        ))
        .unwrap_err();
        assert_eq!(refused.api_code(), Some(20503));
        let doubt = create_answer(&answer(504, "<html>Gateway Time-out</html>")).unwrap_err();
        let text = doubt.to_string();
        assert!(
            text.contains("HTTP 504") && text.contains("Gateway Time-out"),
            "{text}"
        );
    }

    #[test]
    fn an_oversized_answer_may_have_created_unless_it_is_a_client_error() {
        for status in [200, 201, 500, 502, 504] {
            let error = create_oversized(status, 1024);
            assert!(error.may_have_been_sent(), "{status}: {error:?}");
            assert_eq!(error.status(), Some(status));
        }
        for status in [400, 404, 429] {
            let error = create_oversized(status, 1024);
            assert!(
                matches!(error, Error::ResponseTooLarge { limit: 1024, .. }),
                "{status}"
            );
        }
    }

    #[test]
    fn only_a_failure_before_sending_says_no_call() {
        assert!(!create_failed(TransportFailure::not_sent("refused")).may_have_been_sent());
        assert!(create_failed(TransportFailure::maybe_sent("reset")).may_have_been_sent());
        let timeout = create_failed(TransportFailure::maybe_sent("slow").timed_out());
        assert!(matches!(
            timeout,
            Error::MaybeCreated {
                status: None,
                timed_out: true,
                ..
            }
        ));
    }
}
