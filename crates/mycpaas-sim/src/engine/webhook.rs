//! Requests from the platform to the customer's web app: the webhook parameters of
//! reference.md, `GET` or `POST`, signed with the account's auth token.

use mycpaas_core::AuthToken;
use mycpaas_core::webhook::{SIGNATURE_HEADER, compute_signature};
use percent_encoding::percent_decode_str;

use crate::api::wire::API_VERSION;
use crate::state::SimState;
use crate::store::{CallRecord, Method, Target};

/// Largest answer body read from the web app: the LaML parser's document cap. Reading stops
/// there, so an answer that never ends costs no more memory than this.
pub(crate) fn max_reply_bytes() -> usize {
    mycpaas_laml::ParseOptions::default().max_size
}

/// What the web app answered.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) content_type: Option<String>,
    /// The `Location` of a redirect, without credentials.
    pub(crate) location: Option<String>,
    /// The body, when it was asked for (at most [`max_reply_bytes`]).
    pub(crate) body: Vec<u8>,
}

/// Whether the caller needs the answer's body (documents) or only its status (callbacks).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Read {
    Body,
    StatusOnly,
}

/// The parameters every webhook carries: `AccountSid`, `ApiVersion`, `CallSid`,
/// `CallStatus`, `Direction`, `From`, `To`, and `ParentCallSid` on a child leg.
pub(crate) fn base_params(record: &CallRecord) -> Vec<(String, String)> {
    let mut params = vec![
        ("AccountSid".into(), record.account_sid.clone()),
        ("ApiVersion".into(), API_VERSION.into()),
        ("CallSid".into(), record.sid.clone()),
        ("CallStatus".into(), record.status.as_str().into()),
        ("Direction".into(), record.direction().into()),
        ("From".into(), record.from.clone()),
        ("To".into(), record.to.clone()),
    ];
    if let Some(parent) = &record.parent_call_sid {
        params.push(("ParentCallSid".into(), parent.clone()));
    }
    params
}

/// HTTP Basic credentials taken out of a URL's `user:password@`.
struct Credentials {
    user: String,
    password: Option<String>,
}

/// Removes `user:password@` from `url` and returns it decoded, if there was any. The request
/// sends them as HTTP Basic auth and signs the URL without them, which is the URL the web app
/// sees and can rebuild.
fn take_credentials(url: &mut url::Url) -> Option<Credentials> {
    if url.username().is_empty() && url.password().is_none() {
        return None;
    }
    let decode = |text: &str| percent_decode_str(text).decode_utf8_lossy().into_owned();
    let credentials = Credentials {
        user: decode(url.username()),
        password: url.password().map(decode),
    };
    let _ = url.set_password(None);
    let _ = url.set_username("");
    Some(credentials)
}

/// Sends one signed webhook request. `Err` describes a failure to get any answer (or a
/// body over the cap); it never holds the URL's credentials.
///
/// POST: form body, signature over the URL and the sorted parameters.
/// GET: parameters appended to the query, signature over that full URL alone.
pub(crate) async fn send(
    state: &SimState,
    auth_token: &str,
    target: &Target,
    params: &[(String, String)],
    read: Read,
) -> Result<Reply, String> {
    let mut url = url::Url::parse(&target.url).map_err(|e| format!("invalid URL: {e}"))?;
    let credentials = take_credentials(&mut url);
    let key = AuthToken::new(auth_token.to_owned());
    let request = match target.method {
        Method::Get => {
            if !params.is_empty() {
                url.query_pairs_mut().extend_pairs(params);
            }
            let signature =
                compute_signature(url.as_str(), std::iter::empty::<(&str, &str)>(), &key);
            state
                .http
                .get(url.as_str())
                .header(SIGNATURE_HEADER, signature)
        }
        Method::Post => {
            let signature = compute_signature(url.as_str(), params, &key);
            let body = form_urlencoded::Serializer::new(String::new())
                .extend_pairs(params)
                .finish();
            state
                .http
                .post(url.as_str())
                .header(SIGNATURE_HEADER, signature)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body)
        }
    };
    let mut request = request
        .header(
            "user-agent",
            concat!("mycpaas-sim/", env!("CARGO_PKG_VERSION")),
        )
        .header("accept", "application/xml, text/xml, */*");
    if let Some(credentials) = credentials {
        // reqwest marks the header sensitive, so it is hidden from its Debug output too.
        request = request.basic_auth(credentials.user, credentials.password);
    }

    // Bounds the sockets in use when thousands of calls run at once; waits, never drops.
    let _slot = state
        .webhook_slots
        .acquire()
        .await
        .map_err(|_| "simulator shutting down".to_owned())?;
    let mut response = request.send().await.map_err(describe)?;
    let status = response.status().as_u16();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let content_type = header("content-type");
    let location = header("location").map(|location| {
        url.join(&location).map_or_else(
            |_| "(not a URL)".to_owned(),
            |to| crate::store::without_credentials(to.as_str()),
        )
    });
    let mut body = Vec::new();
    if read == Read::Body {
        let cap = max_reply_bytes();
        while let Some(chunk) = response.chunk().await.map_err(describe)? {
            if body.len() + chunk.len() > cap {
                // Dropping the response closes the connection: nothing more is read.
                return Err(format!(
                    "the answer is larger than {cap} bytes (the document cap); the rest was not read"
                ));
            }
            body.extend_from_slice(&chunk);
        }
    }
    Ok(Reply {
        status,
        content_type,
        location,
        body,
    })
}

/// A transport error in one line, with its cause (reqwest's top-level text alone is vague) and
/// without the URL, which may hold credentials (the timeline entry names the URL without them).
fn describe(error: reqwest::Error) -> String {
    let error = error.without_url();
    let mut text = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_leave_the_url_decoded() {
        let mut url = url::Url::parse("https://app%40x:p%3Ass@example.com:8443/voice?a=1").unwrap();
        let credentials = take_credentials(&mut url).expect("credentials found");
        assert_eq!(credentials.user, "app@x");
        assert_eq!(credentials.password.as_deref(), Some("p:ss"));
        assert_eq!(url.as_str(), "https://example.com:8443/voice?a=1");

        let mut plain = url::Url::parse("https://example.com/voice").unwrap();
        assert!(take_credentials(&mut plain).is_none());
    }
}
