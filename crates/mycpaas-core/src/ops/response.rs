//! Response interpretation shared by every operation: success bodies, API errors, undecodable bodies.

use http::Response;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, Error, Result};
use crate::model::{Identified, read_resource};

/// How many characters of an undecodable body are kept in errors.
pub const EXCERPT_CHARS: usize = 200;

/// Decodes a JSON success body, or turns an error status into an [`Error::Api`].
pub fn json<T: DeserializeOwned>(response: &Response<Vec<u8>>) -> Result<T> {
    let status = response.status().as_u16();
    if !response.status().is_success() {
        return Err(api_error(status, response.body()));
    }
    decode(status, response.body())
}

/// Decodes a JSON body received with `status`; an undecodable one is an [`Error::Decode`].
pub fn decode<T: DeserializeOwned>(status: u16, body: &[u8]) -> Result<T> {
    serde_json::from_slice(body).map_err(|e| Error::Decode {
        status,
        message: e.to_string(),
        body_excerpt: excerpt(body),
        response: None,
    })
}

/// Decodes the answer of a resource: a 2xx with a usable `sid` is the resource, with any member
/// that could not be read listed in its `problems` (see [`Identified::from_answer`]); a 2xx
/// without one is an [`Error::Decode`]; an error status an [`Error::Api`].
pub fn resource<T: Identified>(response: &Response<Vec<u8>>) -> Result<T> {
    let status = response.status().as_u16();
    if !response.status().is_success() {
        return Err(api_error(status, response.body()));
    }
    read_resource(response.body()).map_err(|unreadable| Error::Decode {
        status,
        message: unreadable.to_string(),
        body_excerpt: excerpt(response.body()),
        response: None,
    })
}

/// Accepts any success status and ignores the body (for DELETE's 204).
pub fn empty(response: &Response<Vec<u8>>) -> Result<()> {
    if response.status().is_success() {
        Ok(())
    } else {
        Err(api_error(response.status().as_u16(), response.body()))
    }
}

/// The error document servers of this API shape send.
#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default, deserialize_with = "crate::model::wire::number::deserialize")]
    code: Option<u64>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    more_info: Option<String>,
    #[serde(default)]
    details: Option<serde_json::Value>,
}

/// Turns an error response into an [`Error::Api`]. A body that is not an API error document
/// (a proxy's HTML page, plain text, nothing) still gives an `Api` error with the HTTP status,
/// the reason phrase and a short excerpt of the body as its message.
///
/// ```
/// use mycpaas_core::{Error, ops::response::api_error};
///
/// let err = api_error(404, br#"{"code": 20404, "message": "Not found", "status": 404}"#);
/// assert_eq!(err.api_code(), Some(20404));
///
/// let err = api_error(502, b"<html><body>Bad gateway</body></html>");
/// assert_eq!(err.status(), Some(502));
/// assert_eq!(err.api_code(), None);
/// assert!(err.to_string().contains("Bad gateway"));
/// ```
pub fn api_error(status: u16, body: &[u8]) -> Error {
    if let Ok(document) = serde_json::from_slice::<ErrorBody>(body) {
        if document.code.is_some() || document.message.is_some() {
            return Error::Api(ApiError {
                status,
                code: document.code.and_then(|c| u32::try_from(c).ok()),
                message: document.message.unwrap_or_else(|| reason(status)),
                more_info: document.more_info,
                details: document.details,
                response: None,
            });
        }
    }
    let mut message = reason(status);
    let text = excerpt(body);
    if !text.is_empty() {
        message.push_str("; body was not an API error document: ");
        message.push_str(&text);
    }
    Error::Api(ApiError::new(status, message))
}

fn reason(status: u16) -> String {
    let phrase = http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("unknown status");
    format!("HTTP {status} {phrase}")
}

/// The first [`EXCERPT_CHARS`] characters of a body, lossily decoded, with control characters
/// and runs of whitespace collapsed to single spaces.
pub fn excerpt(body: &[u8]) -> String {
    let head = &body[..body.len().min(EXCERPT_CHARS * 4)];
    let text = String::from_utf8_lossy(head);
    let mut out = String::new();
    let mut count = 0;
    let mut last_space = true;
    for c in text.chars() {
        if count == EXCERPT_CHARS {
            out.push('…');
            break;
        }
        if c.is_whitespace() || c.is_control() {
            if !last_space {
                out.push(' ');
                count += 1;
                last_space = true;
            }
        } else {
            out.push(c);
            count += 1;
            last_space = false;
        }
    }
    out.truncate(out.trim_end().len());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, body: &[u8]) -> Response<Vec<u8>> {
        Response::builder()
            .status(status)
            .body(body.to_vec())
            .unwrap()
    }

    #[test]
    fn api_error_document() {
        let err = json::<serde_json::Value>(&response(
            400,
            br#"{"code": 21211, "message": "Invalid 'To'", "more_info": "https://x/21211", "status": 400, "details": {"a": 1}}"#,
        ))
        .unwrap_err();
        let Error::Api(api) = err else {
            panic!("{err:?}")
        };
        assert_eq!(api.status, 400);
        assert_eq!(api.code, Some(21211));
        assert_eq!(api.message, "Invalid 'To'");
        assert_eq!(api.more_info.as_deref(), Some("https://x/21211"));
        assert_eq!(api.details, Some(serde_json::json!({"a": 1})));
    }

    #[test]
    fn html_error_page() {
        let err = api_error(503, b"<html>\n  <h1>Service   Unavailable</h1>\n</html>");
        assert_eq!(err.status(), Some(503));
        assert!(err.is_retryable());
        assert!(
            err.to_string()
                .contains("<html> <h1>Service Unavailable</h1> </html>"),
            "{err}"
        );
        let err = api_error(500, b"");
        assert_eq!(
            err.to_string(),
            "API error (HTTP 500): HTTP 500 Internal Server Error"
        );
    }

    #[test]
    fn undecodable_success_body() {
        let err = json::<crate::Call>(&response(200, b"<xml/>")).unwrap_err();
        let Error::Decode {
            status,
            body_excerpt,
            ..
        } = err
        else {
            panic!()
        };
        assert_eq!(status, 200);
        assert_eq!(body_excerpt, "<xml/>");
    }

    #[test]
    fn excerpt_is_bounded() {
        let long = "é".repeat(1000);
        let text = excerpt(long.as_bytes());
        assert_eq!(text.chars().count(), EXCERPT_CHARS + 1);
        assert_eq!(excerpt(&[0xff, b'a']), "\u{fffd}a");
    }
}
