//! The API of `api/openapi.yaml`, served under `/api/laml/2010-04-01` and `/2010-04-01`, plus
//! the simulator's own `/_sim/...` routes. Every route requires HTTP Basic authentication.
//!
//! | module | job |
//! |---|---|
//! | `generated` | the routes, and reading each request with core's decoding and rules |
//! | `params` | form and query bytes to pairs (refusing invalid UTF-8), and the refusal of a request core's rules refuse |
//! | `calls` | the Calls handlers |
//! | `applications`, `conferences`, `incoming_phone_numbers`, `laml_bins`, `members`, `participants`, `queues`, `recordings`, `transcriptions` | the handlers of the other resources |
//! | `resources` | what those share: the account's resource a path names, fetch, delete, a page of them |
//! | `settings` | the voice URLs applications and numbers share |
//! | `create` | what a create or an update does: the simulator's own refusals and defaults, the call record |
//! | `list` | filtering, paging and the page links |
//! | `wire` | the call JSON the simulator answers |
//! | `error` | the error answers |
//! | `simulator` | the handlers of the simulator's control routes (`/_sim/...`, at its root) |

mod applications;
mod calls;
mod conferences;
mod create;
mod error;
mod generated;
mod incoming_phone_numbers;
mod laml_bins;
mod list;
mod members;
mod params;
mod participants;
mod queues;
mod recordings;
mod resources;
mod settings;
mod simulator;
mod transcriptions;
pub(crate) mod wire;

use std::sync::Arc;

use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use mycpaas_core::paths::{API_PREFIX, LEGACY_API_PREFIX as SHORT_PREFIX};

pub(crate) use create::inbound_call;
pub(crate) use error::ApiError;

use crate::accounts::Account;
use crate::state::SimState;
use crate::store::CallState;

/// `true` for paths of the Calls API (the requests faults and counters apply to).
pub(crate) fn is_api_path(path: &str) -> bool {
    path.starts_with(API_PREFIX) || path.starts_with(SHORT_PREFIX)
}

/// The router of every route the simulator serves.
pub(crate) fn router(state: Arc<SimState>) -> Router {
    let mut router = Router::new();
    for prefix in [API_PREFIX, SHORT_PREFIX] {
        router = generated::routes(router, prefix);
    }
    generated::root_routes(router)
        .route(
            laml_bins::SERVED_AT,
            get(laml_bins::serve_laml_bin).post(laml_bins::serve_laml_bin),
        )
        .fallback(not_found)
        .with_state(state)
}

/// The authenticated account of a request; rejects with 401 / 20003.
pub(crate) struct Auth(Account);

impl Auth {
    /// The account a request's headers authenticate, for a handler that authenticates only
    /// some of its requests.
    pub(crate) fn of(state: &SimState, headers: &axum::http::HeaderMap) -> Result<Auth, ApiError> {
        let header = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok());
        state
            .accounts
            .authenticate(header)
            .cloned()
            .map(Auth)
            .ok_or_else(ApiError::unauthenticated)
    }
}

impl FromRequestParts<Arc<SimState>> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<SimState>,
    ) -> Result<Self, Self::Rejection> {
        Auth::of(state, &parts.headers)
    }
}

/// The prefix a request came in under, so the links we return use it too.
fn prefix_of(uri: &Uri) -> &'static str {
    if uri.path().starts_with(API_PREFIX) {
        API_PREFIX
    } else {
        SHORT_PREFIX
    }
}

/// The path's account must be the authenticated one: another account's resources are 404.
fn own_account(auth: &Auth, path_account: &str, uri: &Uri) -> Result<(), ApiError> {
    if auth.0.sid() == path_account {
        Ok(())
    } else {
        Err(ApiError::not_found(uri.path()))
    }
}

/// The call named by `{sid}.json`, if it belongs to the authenticated account.
fn own_call(
    state: &SimState,
    auth: &Auth,
    path_account: &str,
    file: &str,
    uri: &Uri,
) -> Result<Arc<CallState>, ApiError> {
    own_account(auth, path_account, uri)?;
    let sid = file
        .strip_suffix(".json")
        .ok_or_else(|| ApiError::not_found(uri.path()))?;
    call_of(state, auth, sid).ok_or_else(|| ApiError::not_found(uri.path()))
}

fn call_of(state: &SimState, auth: &Auth, sid: &str) -> Option<Arc<CallState>> {
    state
        .calls
        .get(sid)
        .filter(|call| call.inner.lock().record.account_sid == auth.0.sid())
}

/// A JSON answer; the dates of calls in it are written in the simulator's date format.
fn json(state: &SimState, status: StatusCode, value: &impl serde::Serialize) -> Response {
    match wire::to_json(value, state.date_format) {
        Ok(body) => (status, [(header::CONTENT_TYPE, "application/json")], body).into_response(),
        Err(error) => ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            20500,
            format!("could not encode the response: {error}"),
        )
        .into_response(),
    }
}

/// A method the route does not have: authentication first, then 405 (code 20004).
async fn method_not_allowed(_auth: Auth, method: axum::http::Method, uri: Uri) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        20004,
        format!("Method {method} not allowed on {}", uri.path()),
    )
}

async fn not_found(_auth: Auth, uri: Uri) -> ApiError {
    ApiError::not_found(uri.path())
}
