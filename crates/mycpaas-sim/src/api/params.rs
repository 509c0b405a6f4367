//! Form and query parameters as sent: ordered, repeated keys kept.

use super::error::ApiError;
use crate::store::{Method, Target};

/// Decoded `application/x-www-form-urlencoded` parameters.
#[derive(Debug, Clone, Default)]
pub(crate) struct Params(Vec<(String, String)>);

impl Params {
    pub(crate) fn parse(bytes: &[u8]) -> Self {
        Self(form_urlencoded::parse(bytes).into_owned().collect())
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
