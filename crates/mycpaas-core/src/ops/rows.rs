//! A list operation whose page keeps its items as rows (see [`Row`](crate::model::Row)).

use super::{ListOperation, Operation, response};
use crate::config::Config;
use crate::error::Result;
use crate::model::Row;

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

impl<O: ListOperation> Operation for Rows<O> {
    type Output = O::Page<Row<O::Item>>;

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
