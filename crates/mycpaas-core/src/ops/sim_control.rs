//! The operations of the local simulator's control routes (`/_sim/...`): what a test drives
//! besides the platform's API. A server of the platform does not have them.

use http::Method;

use super::form::Params;
use super::{Operation, request, response};
use crate::config::Config;
use crate::error::Result;
use crate::model::Call;
use crate::types::check_e164;

/// `POST /_sim/calls-in`: an inbound call from `from` to `to`, one of the account's numbers;
/// answered with the call (`direction: inbound`).
///
/// ```
/// use mycpaas_core::{Config, Operation};
/// use mycpaas_core::ops::sim_control::CallIn;
///
/// let config = Config::builder("AC1", "token").base_url("http://127.0.0.1:9000").build()?;
/// let request = CallIn::new("+14155550100", "+15551230000").build_request(&config)?;
/// assert_eq!(request.uri().to_string(), "http://127.0.0.1:9000/_sim/calls-in");
/// assert!(CallIn::new("sales", "+15551230000").build_request(&config).is_err());
/// # Ok::<(), mycpaas_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallIn {
    /// `To`: the number called, one of the account's.
    pub to: String,
    /// `From`: the caller.
    pub from: String,
}

impl CallIn {
    /// A call from `from` to `to`.
    pub fn new(to: impl Into<String>, from: impl Into<String>) -> Self {
        CallIn {
            to: to.into(),
            from: from.into(),
        }
    }
}

impl Operation for CallIn {
    type Output = Call;

    fn build_request(&self, config: &Config) -> Result<http::Request<Vec<u8>>> {
        check_e164("To", &self.to)?;
        check_e164("From", &self.from)?;
        let mut form = Params::new();
        form.add("To", &self.to);
        form.add("From", &self.from);
        request::build(
            config,
            Method::POST,
            "/_sim/calls-in",
            &Params::new(),
            Some(&form),
        )
    }

    fn parse_response(&self, response: http::Response<Vec<u8>>) -> Result<Call> {
        response::resource(&response)
    }

    fn method(&self) -> Method {
        Method::POST
    }
}
