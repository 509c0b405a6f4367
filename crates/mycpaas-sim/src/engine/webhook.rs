//! Requests from the platform to the customer's web app: the webhook parameters of
//! reference.md, `GET` or `POST`, signed with the account's auth token.

use mycpaas_core::AuthToken;
use mycpaas_core::webhook::{SIGNATURE_HEADER, compute_signature};

use crate::api::wire::API_VERSION;
use crate::state::SimState;
use crate::store::{CallRecord, Method, Target};

/// Largest response body read from the web app.
const MAX_REPLY_BYTES: usize = 1024 * 1024;

/// What the web app answered.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) content_type: Option<String>,
    pub(crate) body: String,
}

/// The parameters every webhook carries: `AccountSid`, `ApiVersion`, `CallSid`,
/// `CallStatus`, `Direction`, `From`, `To`.
pub(crate) fn base_params(record: &CallRecord) -> Vec<(String, String)> {
    vec![
        ("AccountSid".into(), record.account_sid.clone()),
        ("ApiVersion".into(), API_VERSION.into()),
        ("CallSid".into(), record.sid.clone()),
        ("CallStatus".into(), record.status.as_str().into()),
        ("Direction".into(), "outbound-api".into()),
        ("From".into(), record.from.clone()),
        ("To".into(), record.to.clone()),
    ]
}

/// Sends one signed webhook request. `Err` describes a failure to get any answer.
///
/// POST: form body, signature over the URL and the sorted parameters.
/// GET: parameters appended to the query, signature over that full URL alone.
pub(crate) async fn send(
    state: &SimState,
    auth_token: &str,
    target: &Target,
    params: &[(String, String)],
) -> Result<Reply, String> {
    let mut url = url::Url::parse(&target.url).map_err(|e| format!("invalid URL: {e}"))?;
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
    let request = request
        .header(
            "user-agent",
            concat!("mycpaas-sim/", env!("CARGO_PKG_VERSION")),
        )
        .header("accept", "application/xml, text/xml, */*");

    // Bounds the sockets in use when thousands of calls run at once; waits, never drops.
    let _slot = state
        .webhook_slots
        .acquire()
        .await
        .map_err(|_| "simulator shutting down".to_owned())?;
    let response = request.send().await.map_err(|e| describe(&e))?;
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let bytes = response.bytes().await.map_err(|e| describe(&e))?;
    if bytes.len() > MAX_REPLY_BYTES {
        return Err(format!("response larger than {MAX_REPLY_BYTES} bytes"));
    }
    Ok(Reply {
        status,
        content_type,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    })
}

/// A transport error in one line, with its cause (reqwest's top-level text alone is vague).
fn describe(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
