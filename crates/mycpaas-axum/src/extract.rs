//! `Webhook<T>`: a signed webhook, read into its typed form.

use axum::extract::{FromRef, FromRequest, Request};
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use mycpaas_core::webhook::{
    ConferenceStatusCallback, DialResult, GatherResult, QueueRequest, RecordResult,
    RecordingStatusCallback, StatusCallback, TranscriptionCallback, VoiceRequest,
};

use crate::config::WebhookConfig;
use crate::verify::{MAX_BODY_BYTES, verify};

/// A webhook's typed form: what [`Webhook<T>`] reads the parameters into.
pub trait WebhookForm: Sized {
    /// Reads the parameters; an error names the parameter and the rule.
    fn from_params(params: Vec<(String, String)>) -> mycpaas_core::Result<Self>;
}

macro_rules! typed_forms {
    ($($form:ty),* $(,)?) => {
        $(impl WebhookForm for $form {
            fn from_params(params: Vec<(String, String)>) -> mycpaas_core::Result<Self> {
                <$form>::from_pairs(params)
            }
        })*
    };
}

typed_forms!(
    VoiceRequest,
    StatusCallback,
    GatherResult,
    RecordResult,
    DialResult,
    RecordingStatusCallback,
    TranscriptionCallback,
    ConferenceStatusCallback,
    QueueRequest,
);

/// The parameters as sent, in order, for a webhook this crate has no type for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormParams(pub Vec<(String, String)>);

impl WebhookForm for FormParams {
    fn from_params(params: Vec<(String, String)>) -> mycpaas_core::Result<Self> {
        Ok(FormParams(params))
    }
}

/// A webhook whose signature is valid, read into `T`; any other request is refused before the
/// handler runs (see the crate's documentation).
///
/// ```
/// use axum::{Router, routing::post};
/// use mycpaas_axum::{Laml, Webhook, WebhookConfig};
/// use mycpaas_core::webhook::GatherResult;
/// use mycpaas_laml::Response;
///
/// async fn menu(Webhook(gather): Webhook<GatherResult>) -> Laml {
///     let choice = gather.digits.unwrap_or_default();
///     Laml(Response::new().say(format!("You pressed {choice}")).hangup())
/// }
///
/// let app: Router = Router::new()
///     .route("/menu", post(menu))
///     .with_state(WebhookConfig::new("auth-token"));
/// ```
#[derive(Debug, Clone)]
pub struct Webhook<T>(pub T);

impl<S, T> FromRequest<S> for Webhook<T>
where
    S: Send + Sync,
    WebhookConfig: FromRef<S>,
    T: WebhookForm,
{
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let config = WebhookConfig::from_ref(state);
        let (parts, body) = request.into_parts();
        let body = axum::body::to_bytes(body, MAX_BODY_BYTES)
            .await
            .map_err(|_| StatusCode::PAYLOAD_TOO_LARGE.into_response())?;
        let params = verify(&config, &parts, &body).map_err(IntoResponse::into_response)?;
        T::from_params(params)
            .map(Webhook)
            .map_err(|error| (StatusCode::BAD_REQUEST, error.to_string()).into_response())
    }
}
