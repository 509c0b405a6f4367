//! Request assembly shared by every operation: URL, headers, body.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue, USER_AGENT};
use http::{Method, Request};

use super::form::Params;
use crate::config::{AuthToken, Config};
use crate::error::{Error, Result};

/// Form-urlencoded content type.
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// Builds a request to `config.base_url() + path_and_query`.
pub fn build(
    config: &Config,
    method: Method,
    path: &str,
    query: &Params,
    form: Option<&Params>,
) -> Result<Request<Vec<u8>>> {
    let mut url = format!("{}{}", config.base_url(), path);
    if !query.is_empty() {
        url.push('?');
        url.push_str(&query.encode());
    }
    let body = form.map(Params::encode);
    build_absolute(config, method, &url, body.map(String::into_bytes))
}

/// Builds a request to an absolute URL (already checked to be on the configured host).
pub fn build_absolute(
    config: &Config,
    method: Method,
    url: &str,
    body: Option<Vec<u8>>,
) -> Result<Request<Vec<u8>>> {
    let mut builder = Request::builder()
        .method(method)
        .uri(url)
        .header(AUTHORIZATION, config.authorization_header().clone())
        .header(USER_AGENT, config.user_agent_header().clone())
        .header(ACCEPT, HeaderValue::from_static("application/json"));
    if body.is_some() {
        builder = builder.header(CONTENT_TYPE, HeaderValue::from_static(FORM_CONTENT_TYPE));
    }
    builder
        .body(body.unwrap_or_default())
        .map_err(|e| Error::invalid("url", format!("could not build the request URL ({e})")))
}

/// `Basic base64(account_sid:auth_token)`, marked sensitive so `http`'s `Debug` hides it.
/// [`Config`] builds it once; every request clones it.
pub(crate) fn basic_auth(account_sid: &str, auth_token: &AuthToken) -> Result<HeaderValue> {
    let credentials = format!("{account_sid}:{}", auth_token.expose_secret());
    let mut value = HeaderValue::from_str(&format!("Basic {}", STANDARD.encode(credentials)))
        .map_err(|_| Error::invalid("auth_token", "cannot be sent in a header"))?;
    value.set_sensitive(true);
    Ok(value)
}

/// The `User-Agent` header value; [`Config`] builds it once.
pub(crate) fn user_agent(user_agent: &str) -> Result<HeaderValue> {
    HeaderValue::from_str(user_agent)
        .map_err(|_| Error::invalid("user_agent", "must be printable ASCII"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_and_redaction() {
        let config = Config::builder("AC1", "tok3n-secret").build().unwrap();
        let mut query = Params::new();
        query.add("A", &"1 2".to_owned());
        let request = build(&config, Method::GET, "/x", &query, None).unwrap();
        assert_eq!(request.uri(), "https://developer.mycpaas.io/x?A=1+2");
        assert_eq!(request.headers()[ACCEPT], "application/json");
        assert!(
            request.headers()[USER_AGENT]
                .to_str()
                .unwrap()
                .starts_with("mycpaas-rust/")
        );
        let auth = request.headers()[AUTHORIZATION].to_str().unwrap();
        assert_eq!(
            auth,
            format!("Basic {}", STANDARD.encode("AC1:tok3n-secret"))
        );
        assert!(request.headers()[AUTHORIZATION].is_sensitive());
        assert!(request.headers().get(CONTENT_TYPE).is_none());
        let debug = format!("{request:?}");
        assert!(!debug.contains(&STANDARD.encode("AC1:tok3n-secret")));
        assert!(!debug.contains("tok3n-secret"));
    }
}
