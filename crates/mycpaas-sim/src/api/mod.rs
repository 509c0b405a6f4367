//! The Calls API of reference.md, served under `/api/laml/2010-04-01` and
//! `/2010-04-01`, plus the simulator's own `/_sim/...` routes. Every route requires
//! HTTP Basic authentication.

mod create;
mod error;
mod list;
mod params;
pub(crate) mod wire;

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

pub(crate) use error::ApiError;
use params::Params;

use crate::accounts::Account;
use crate::clock::CallClock;
use crate::engine;
use crate::state::SimState;
use crate::store::{CallState, DocSource};

/// The canonical API prefix.
pub(crate) const API_PREFIX: &str = "/api/laml/2010-04-01";
/// The prefix some existing clients of this API shape use.
pub(crate) const SHORT_PREFIX: &str = "/2010-04-01";

/// `true` for paths of the Calls API (the requests faults and counters apply to).
pub(crate) fn is_api_path(path: &str) -> bool {
    path.starts_with(API_PREFIX) || path.starts_with(SHORT_PREFIX)
}

/// The router of every route the simulator serves.
pub(crate) fn router(state: Arc<SimState>) -> Router {
    let mut router = Router::new();
    for prefix in [API_PREFIX, SHORT_PREFIX] {
        router = router
            .route(
                &format!("{prefix}/Accounts/{{account}}/Calls.json"),
                get(list_calls)
                    .post(create_call)
                    .fallback(method_not_allowed),
            )
            .route(
                &format!("{prefix}/Accounts/{{account}}/Calls/{{file}}"),
                get(fetch_call)
                    .post(update_call)
                    .delete(delete_call)
                    .fallback(method_not_allowed),
            );
    }
    router
        .route(
            "/_sim/calls/{sid}/timeline",
            get(timeline).fallback(method_not_allowed),
        )
        .fallback(not_found)
        .with_state(state)
}

/// The authenticated account of a request; rejects with 401 / 20003.
pub(crate) struct Auth(Account);

impl FromRequestParts<Arc<SimState>> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<SimState>,
    ) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
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

async fn create_call(
    State(state): State<Arc<SimState>>,
    auth: Auth,
    Path(account): Path<String>,
    uri: Uri,
    body: Bytes,
) -> Result<Response, ApiError> {
    own_account(&auth, &account, &uri)?;
    let params = Params::parse(&body)?;
    let sid = state.randomness.sid("CA");
    let record = create::new_call(&params, auth.0.sid(), sid, CallClock::starting_now())?;
    let call = state.calls.insert(record.clone());
    state
        .calls_created
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    engine::start(&state, call);
    Ok(json(
        &state,
        StatusCode::CREATED,
        &wire::call(&record, prefix_of(&uri)),
    ))
}

async fn fetch_call(
    State(state): State<Arc<SimState>>,
    auth: Auth,
    Path((account, file)): Path<(String, String)>,
    uri: Uri,
) -> Result<Response, ApiError> {
    let call = own_call(&state, &auth, &account, &file, &uri)?;
    let record = call.inner.lock().record.clone();
    Ok(json(
        &state,
        StatusCode::OK,
        &wire::call(&record, prefix_of(&uri)),
    ))
}

async fn update_call(
    State(state): State<Arc<SimState>>,
    auth: Auth,
    Path((account, file)): Path<(String, String)>,
    uri: Uri,
    body: Bytes,
) -> Result<Response, ApiError> {
    let call = own_call(&state, &auth, &account, &file, &uri)?;
    let update = create::update(&Params::parse(&body)?)?;
    {
        let mut inner = call.inner.lock();
        let status = inner.record.status;
        if status.is_terminal() {
            return Err(ApiError::invalid(
                21220,
                format!(
                    "Call is not in a state that allows this update: it has ended ({})",
                    status.as_str()
                ),
            ));
        }
        let record = &mut inner.record;
        if update.fallback.is_some() {
            record.fallback = update.fallback;
        }
        if update.status_callback.is_some() {
            record.status_callback = update.status_callback;
        }
        if let Some(limit) = update.time_limit {
            record.time_limit = limit;
        }
        record.updated = state.now_of(record);
    }
    if let Some(status) = update.status {
        engine::end_by_request(&state, &call, status);
    }
    if let Some(source) = update.redirect {
        redirect(&call, source);
    }
    let record = call.inner.lock().record.clone();
    Ok(json(
        &state,
        StatusCode::OK,
        &wire::call(&record, prefix_of(&uri)),
    ))
}

/// Points a call at new instructions: used at answer if it is not answered yet,
/// otherwise the engine leaves its current document for them.
fn redirect(call: &CallState, source: DocSource) {
    let mut inner = call.inner.lock();
    if inner.record.status.is_pending() {
        inner.record.source = source;
    } else if !inner.record.status.is_terminal() {
        drop(inner);
        *call.redirect.lock() = Some(source);
        call.wake.notify_one();
    }
}

async fn delete_call(
    State(state): State<Arc<SimState>>,
    auth: Auth,
    Path((account, file)): Path<(String, String)>,
    uri: Uri,
) -> Result<Response, ApiError> {
    let call = own_call(&state, &auth, &account, &file, &uri)?;
    let (sid, status) = {
        let inner = call.inner.lock();
        (inner.record.sid.clone(), inner.record.status)
    };
    if !status.is_terminal() {
        return Err(ApiError::invalid(
            21220,
            format!(
                "Call is still active ({}): only calls that have ended can be deleted",
                status.as_str()
            ),
        ));
    }
    state.calls.remove(&sid);
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn list_calls(
    State(state): State<Arc<SimState>>,
    auth: Auth,
    Path(account): Path<String>,
    uri: Uri,
) -> Result<Response, ApiError> {
    own_account(&auth, &account, &uri)?;
    let params = Params::parse(uri.query().unwrap_or_default().as_bytes())?;
    let calls = state.calls.list(auth.0.sid());
    let page = list::page(&params, &calls, prefix_of(&uri), auth.0.sid())?;
    Ok(json(&state, StatusCode::OK, &page))
}

async fn timeline(
    State(state): State<Arc<SimState>>,
    auth: Auth,
    Path(sid): Path<String>,
    uri: Uri,
) -> Result<Response, ApiError> {
    let call = call_of(&state, &auth, &sid).ok_or_else(|| ApiError::not_found(uri.path()))?;
    let timeline = call.inner.lock().timeline();
    Ok(json(&state, StatusCode::OK, &timeline))
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
