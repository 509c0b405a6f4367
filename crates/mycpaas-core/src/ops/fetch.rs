//! `GET .../Calls/{CallSid}.json`: read one call.

use http::Method;

use super::{Operation, request, response};
use crate::config::Config;
use crate::error::Result;
use crate::model::Call;
use crate::paths;
use crate::types::check_sid;

/// Fetches one call by SID.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct FetchCall {
    sid: String,
}

impl FetchCall {
    /// Fetches the call `sid`.
    pub fn new(sid: impl Into<String>) -> Self {
        FetchCall { sid: sid.into() }
    }

    /// The call SID.
    pub fn sid(&self) -> &str {
        &self.sid
    }
}

impl Operation for FetchCall {
    type Output = Call;

    fn build_request(&self, config: &Config) -> Result<http::Request<Vec<u8>>> {
        check_sid("CallSid", &self.sid)?;
        request::build(
            config,
            Method::GET,
            &paths::call_path(config.account_sid(), &self.sid),
            &Vec::new(),
            None,
        )
    }

    fn parse_response(&self, response: http::Response<Vec<u8>>) -> Result<Call> {
        response::json(&response)
    }

    fn method(&self) -> Method {
        Method::GET
    }
}
