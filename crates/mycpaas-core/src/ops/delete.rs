//! `DELETE .../Calls/{CallSid}.json`: delete a call record.

use http::Method;

use super::{Operation, request, response};
use crate::config::Config;
use crate::error::Result;
use crate::paths;
use crate::types::check_sid;

/// Deletes a call's record (the server answers 204 with an empty body).
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct DeleteCall {
    sid: String,
}

impl DeleteCall {
    /// Deletes the call `sid`.
    pub fn new(sid: impl Into<String>) -> Self {
        DeleteCall { sid: sid.into() }
    }

    /// The call SID.
    pub fn sid(&self) -> &str {
        &self.sid
    }
}

impl Operation for DeleteCall {
    type Output = ();

    fn build_request(&self, config: &Config) -> Result<http::Request<Vec<u8>>> {
        check_sid("CallSid", &self.sid)?;
        request::build(
            config,
            Method::DELETE,
            &paths::call_path(config.account_sid(), &self.sid),
            &Vec::new(),
            None,
        )
    }

    fn parse_response(&self, response: http::Response<Vec<u8>>) -> Result<()> {
        response::empty(&response)
    }

    fn method(&self) -> Method {
        Method::DELETE
    }
}
