//! Error answers of the API, in the body shape of reference.md:
//! `{"code", "message", "more_info", "status"}`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// An error answer: HTTP status, API error code and a message naming the field and rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) code: u32,
    pub(crate) message: String,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, code: u32, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }

    /// 400 with an API error code.
    pub(crate) fn invalid(code: u32, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// 401, code 20003.
    pub(crate) fn unauthenticated() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, 20003, "Authenticate")
    }

    /// 404, code 20404.
    pub(crate) fn not_found(what: impl std::fmt::Display) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            20404,
            format!("The requested resource {what} was not found"),
        )
    }

    /// 429, code 20429.
    pub(crate) fn too_many_requests() -> Self {
        Self::new(StatusCode::TOO_MANY_REQUESTS, 20429, "Too Many Requests")
    }

    /// 503, code 20503 (the simulator's code for an injected outage).
    pub(crate) fn unavailable() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            20503,
            "Service temporarily unavailable",
        )
    }

    /// 413, code 20413 (the simulator's code for a body over `max_body_bytes`).
    pub(crate) fn body_too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            20413,
            format!("Request body larger than {limit} bytes"),
        )
    }

    fn body(&self) -> String {
        serde_json::json!({
            "code": self.code,
            "message": self.message,
            "more_info": format!("https://developer.mycpaas.io/docs/errors/{}", self.code),
            "status": self.status.as_u16(),
        })
        .to_string()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, self.body()).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"mycpaas\""),
            );
        }
        response
    }
}
