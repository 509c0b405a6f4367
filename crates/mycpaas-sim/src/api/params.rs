//! Form and query parameters as sent: ordered, repeated keys kept.

use super::error::ApiError;
use crate::store::{Method, Target};

/// Decoded `application/x-www-form-urlencoded` parameters.
#[derive(Debug, Clone, Default)]
pub(crate) struct Params(Vec<(String, String)>);

impl Params {
    /// Decodes a form body or query string. Text that is not UTF-8 once decoded is
    /// refused (400, code 20001) rather than repaired: a repaired value is not what the
    /// client sent.
    pub(crate) fn parse(bytes: &[u8]) -> Result<Self, ApiError> {
        let mut pairs = Vec::new();
        for pair in bytes.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
            let (name, value) = match pair.iter().position(|b| *b == b'=') {
                Some(at) => (&pair[..at], &pair[at + 1..]),
                None => (pair, &[][..]),
            };
            let name = decode(name)
                .ok_or_else(|| ApiError::invalid(20001, "a parameter name is not valid UTF-8"))?;
            let value = decode(value).ok_or_else(|| {
                ApiError::invalid(20001, format!("parameter {name} is not valid UTF-8"))
            })?;
            pairs.push((name, value));
        }
        Ok(Self(pairs))
    }

    /// The first value of `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of `name`, in order.
    pub(crate) fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// An optional `GET`/`POST` parameter (code 21209 otherwise), defaulting to POST.
    pub(crate) fn method(&self, name: &str) -> Result<Method, ApiError> {
        match self.get(name) {
            None | Some("") => Ok(Method::Post),
            Some(value) => Method::parse(value).ok_or_else(|| {
                ApiError::invalid(21209, format!("{name} must be GET or POST, got {value:?}"))
            }),
        }
    }

    /// An optional absolute http(s) URL with its method parameter.
    pub(crate) fn target(
        &self,
        url_name: &str,
        method_name: &str,
        code: u32,
    ) -> Result<Option<Target>, ApiError> {
        let method = self.method(method_name)?;
        match self.get(url_name) {
            None | Some("") => Ok(None),
            Some(value) => {
                check_url(url_name, value, code)?;
                Ok(Some(Target {
                    url: value.to_owned(),
                    method,
                }))
            }
        }
    }

    /// An optional `true`/`false` parameter (code 20001 otherwise).
    pub(crate) fn boolean(&self, name: &str) -> Result<bool, ApiError> {
        match self.get(name) {
            None | Some("") => Ok(false),
            Some(v) if v.eq_ignore_ascii_case("true") => Ok(true),
            Some(v) if v.eq_ignore_ascii_case("false") => Ok(false),
            Some(v) => Err(ApiError::invalid(
                20001,
                format!("{name} must be true or false, got {v:?}"),
            )),
        }
    }

    /// An optional whole number within `range` (error `code` otherwise).
    pub(crate) fn number(
        &self,
        name: &str,
        range: std::ops::RangeInclusive<u64>,
        code: u32,
    ) -> Result<Option<u64>, ApiError> {
        match self.get(name) {
            None | Some("") => Ok(None),
            Some(text) => match text.trim().parse::<u64>() {
                Ok(n) if range.contains(&n) => Ok(Some(n)),
                _ => Err(ApiError::invalid(
                    code,
                    format!(
                        "{name} must be a whole number from {} to {}, got {text:?}",
                        range.start(),
                        range.end()
                    ),
                )),
            },
        }
    }
}

/// Checks that `value` is an absolute `http`/`https` URL.
pub(crate) fn check_url(name: &str, value: &str, code: u32) -> Result<(), ApiError> {
    match url::Url::parse(value) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => Ok(()),
        _ => Err(ApiError::invalid(
            code,
            format!("{name} must be an absolute http or https URL, got {value:?}"),
        )),
    }
}

/// One form-encoded component: `+` is a space, `%XX` a byte; the result must be UTF-8.
fn decode(component: &[u8]) -> Option<String> {
    let spaced: Vec<u8> = component
        .iter()
        .map(|b| if *b == b'+' { b' ' } else { *b })
        .collect();
    let bytes: Vec<u8> = percent_encoding::percent_decode(&spaced).collect();
    String::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_forms_and_refuses_invalid_utf8() {
        let params = Params::parse(b"To=%2B1555&Say=hello+world&To=%E2%82%AC&Empty&=x").unwrap();
        assert_eq!(params.get("To"), Some("+1555"));
        assert_eq!(params.all("To"), ["+1555", "\u{20ac}"]);
        assert_eq!(params.get("Say"), Some("hello world"));
        assert_eq!(params.get("Empty"), Some(""));
        let error = Params::parse(b"Twiml=%C3%28").unwrap_err();
        assert_eq!(error.code, 20001);
        assert!(error.message.contains("Twiml"));
        assert!(Params::parse(b"To=\xff").is_err());
    }
}
