//! `Laml`: a LaML document as an axum response.

use axum::response::{IntoResponse, Response};
use http::header;

/// A LaML document answered with `200` and `Content-Type: application/xml`.
///
/// ```
/// use axum::response::IntoResponse;
/// use mycpaas_axum::Laml;
/// use mycpaas_laml::Response;
///
/// let response = Laml(Response::new().say("Hello").hangup()).into_response();
/// assert_eq!(response.headers()["content-type"], "application/xml");
/// ```
#[derive(Debug, Clone)]
pub struct Laml(pub mycpaas_laml::Response);

impl IntoResponse for Laml {
    fn into_response(self) -> Response {
        ([(header::CONTENT_TYPE, "application/xml")], self.0.to_xml()).into_response()
    }
}
