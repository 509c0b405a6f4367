//! Request assembly shared by every operation: URL, headers, body.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue, USER_AGENT};
use http::{Method, Request};

use crate::config::{AuthToken, Config};
use crate::error::{Error, Result};

/// Form-urlencoded content type.
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// Wire parameters, in the order they are sent. Keys are the API's names (`To`, `StatusCallbackEvent`).
pub type Params = Vec<(&'static str, String)>;

/// Encodes pairs as `application/x-www-form-urlencoded`.
pub fn encode_form<'a, I>(pairs: I) -> String
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    let mut serializer = form_urlencoded::Serializer::new(String::new());
    for (key, value) in pairs {
        serializer.append_pair(key, value);
    }
    serializer.finish()
}

/// `true`/`false`, the wire form of booleans.
pub fn bool_str(value: bool) -> &'static str {
    if value { "true" } else { "false" }
}

/// Appends a parameter when set.
pub fn push(params: &mut Params, key: &'static str, value: Option<&str>) {
    if let Some(v) = value {
        params.push((key, v.to_owned()));
    }
}

/// Appends a text parameter when set.
pub fn push_text(params: &mut Params, key: &'static str, value: Option<&String>) {
    if let Some(v) = value {
        params.push((key, v.clone()));
    }
}

/// Appends a number parameter when set.
pub fn push_number(params: &mut Params, key: &'static str, value: Option<u32>) {
    if let Some(v) = value {
        params.push((key, v.to_string()));
    }
}

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
        url.push_str(&encode_form(query.iter().map(|(k, v)| (*k, v.as_str()))));
    }
    let body = form.map(|pairs| encode_form(pairs.iter().map(|(k, v)| (*k, v.as_str()))));
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
        let request = build(&config, Method::GET, "/x", &vec![("A", "1 2".into())], None).unwrap();
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
