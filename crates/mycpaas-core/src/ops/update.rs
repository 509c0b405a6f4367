//! `POST .../Calls/{CallSid}.json`: redirect, cancel or hang up a live call.

use http::Method;

use super::request::{self, Params, push, push_number, push_text};
use super::{Operation, response, validate};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::Call;
use crate::paths;
use crate::types::{HttpMethod, UpdateStatus, check_sid};

/// Updates a live call: redirect it to new LaML (`Url` or `Twiml`, not both), cancel it or hang it up.
///
/// ```
/// use mycpaas_core::{Config, Operation, UpdateCall, types::UpdateStatus};
///
/// let config = Config::builder("AC123", "token").build().unwrap();
/// let hang_up = UpdateCall::new("CA42").status(UpdateStatus::Completed);
/// let request = hang_up.build_request(&config).unwrap();
/// assert_eq!(request.body(), b"Status=completed");
///
/// let both = UpdateCall::new("CA42").url("https://example.com/a").twiml("<Response/>");
/// assert_eq!(both.validate().unwrap_err().parameter(), Some("Twiml"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct UpdateCall {
    sid: String,
    url: Option<String>,
    method: Option<HttpMethod>,
    twiml: Option<String>,
    status: Option<UpdateStatus>,
    fallback_url: Option<String>,
    fallback_method: Option<HttpMethod>,
    status_callback: Option<String>,
    status_callback_method: Option<HttpMethod>,
    time_limit: Option<u32>,
}

impl UpdateCall {
    /// Updates the call `sid`; set at least one parameter.
    pub fn new(sid: impl Into<String>) -> Self {
        UpdateCall {
            sid: sid.into(),
            url: None,
            method: None,
            twiml: None,
            status: None,
            fallback_url: None,
            fallback_method: None,
            status_callback: None,
            status_callback_method: None,
            time_limit: None,
        }
    }

    /// The call SID.
    pub fn sid(&self) -> &str {
        &self.sid
    }

    /// `Url`: redirect the call to the LaML at this URL.
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.url = Some(url.into());
        self
    }

    /// `Method`: how `Url` is requested.
    pub fn method(mut self, method: HttpMethod) -> Self {
        self.method = Some(method);
        self
    }

    /// `Twiml`: redirect the call to this inline LaML (exclusive with `Url`, at most 4000 characters).
    pub fn twiml(mut self, twiml: impl Into<String>) -> Self {
        self.twiml = Some(twiml.into());
        self
    }

    /// `Status`: `Canceled` ends a queued or ringing call, `Completed` hangs up in any state.
    pub fn status(mut self, status: UpdateStatus) -> Self {
        self.status = Some(status);
        self
    }

    /// `FallbackUrl`.
    pub fn fallback_url(mut self, url: impl Into<String>) -> Self {
        self.fallback_url = Some(url.into());
        self
    }

    /// `FallbackMethod`.
    pub fn fallback_method(mut self, method: HttpMethod) -> Self {
        self.fallback_method = Some(method);
        self
    }

    /// `StatusCallback`.
    pub fn status_callback(mut self, url: impl Into<String>) -> Self {
        self.status_callback = Some(url.into());
        self
    }

    /// `StatusCallbackMethod`.
    pub fn status_callback_method(mut self, method: HttpMethod) -> Self {
        self.status_callback_method = Some(method);
        self
    }

    /// `TimeLimit` in seconds.
    pub fn time_limit(mut self, seconds: u32) -> Self {
        self.time_limit = Some(seconds);
        self
    }

    /// Checks every parameter; an error names the parameter and the rule.
    pub fn validate(&self) -> Result<()> {
        check_sid("CallSid", &self.sid)?;
        if self.url.is_some() && self.twiml.is_some() {
            return Err(Error::invalid(
                "Twiml",
                "Url and Twiml are exclusive on update (set one of them)",
            ));
        }
        validate::optional_url("Url", self.url.as_ref())?;
        if let Some(twiml) = &self.twiml {
            validate::twiml(twiml)?;
        }
        validate::optional_url("FallbackUrl", self.fallback_url.as_ref())?;
        validate::optional_url("StatusCallback", self.status_callback.as_ref())?;
        validate::positive("TimeLimit", self.time_limit)?;
        if self.form_pairs().is_empty() {
            return Err(Error::invalid(
                "Status",
                "an update needs at least one parameter (Url, Twiml, Status, ...)",
            ));
        }
        Ok(())
    }

    /// The wire parameters in the order they are sent (not validated).
    pub fn form_pairs(&self) -> Vec<(&'static str, String)> {
        let mut out: Params = Vec::new();
        push_text(&mut out, "Url", self.url.as_ref());
        push(&mut out, "Method", self.method.map(|m| m.as_str()));
        push_text(&mut out, "Twiml", self.twiml.as_ref());
        push(&mut out, "Status", self.status.map(|s| s.as_str()));
        push_text(&mut out, "FallbackUrl", self.fallback_url.as_ref());
        push(
            &mut out,
            "FallbackMethod",
            self.fallback_method.map(|m| m.as_str()),
        );
        push_text(&mut out, "StatusCallback", self.status_callback.as_ref());
        push(
            &mut out,
            "StatusCallbackMethod",
            self.status_callback_method.map(|m| m.as_str()),
        );
        push_number(&mut out, "TimeLimit", self.time_limit);
        out
    }
}

impl Operation for UpdateCall {
    type Output = Call;

    fn build_request(&self, config: &Config) -> Result<http::Request<Vec<u8>>> {
        self.validate()?;
        request::build(
            config,
            Method::POST,
            &paths::call_path(config.account_sid(), &self.sid),
            &Vec::new(),
            Some(&self.form_pairs()),
        )
    }

    fn parse_response(&self, response: http::Response<Vec<u8>>) -> Result<Call> {
        response::json(&response)
    }

    fn method(&self) -> Method {
        Method::POST
    }
}
