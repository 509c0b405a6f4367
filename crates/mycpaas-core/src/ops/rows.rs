//! A list operation whose page keeps its items as rows (see [`Row`](crate::model::Row)).

use serde::de::DeserializeOwned;

use super::{Operation, response};
use crate::config::Config;
use crate::error::Result;

/// A list page type; `Rows` is the same page with its items kept as [`Row`](crate::model::Row)s.
/// Implemented by every generated page (`CallPage`).
pub trait Page {
    /// The page of rows (`CallPage<Row<Call>>`).
    type Rows: DeserializeOwned + crate::exchange::CarriesResponse;
}

/// The list operation `O`, answered with a page of rows: the same request, a cheaper read.
///
/// ```
/// use mycpaas_core::ops::Rows;
/// use mycpaas_core::{ListCalls, Operation};
///
/// let op = Rows(ListCalls::new());
/// let response = http::Response::builder()
///     .status(200)
///     .body(br#"{"calls": [{"sid": "CA1", "status": "ringing"}]}"#.to_vec())
///     .unwrap();
/// let page = op.parse_response(response).unwrap();
/// assert_eq!(page.calls[0].sid(), "CA1");
/// ```
#[derive(Debug, Clone)]
pub struct Rows<O>(pub O);

impl<O> Operation for Rows<O>
where
    O: Operation,
    O::Output: Page,
{
    type Output = <O::Output as Page>::Rows;

    fn build_request(&self, config: &Config) -> Result<http::Request<Vec<u8>>> {
        self.0.build_request(config)
    }

    fn parse_response(&self, response: http::Response<Vec<u8>>) -> Result<Self::Output> {
        response::json(&response)
    }

    fn method(&self) -> http::Method {
        self.0.method()
    }
}
