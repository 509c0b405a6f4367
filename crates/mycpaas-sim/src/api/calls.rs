//! The Calls resource's handlers: what the simulator does with each request once the generated
//! reader (`super::generated`) has read and checked it.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use super::create::{self, Update};
use super::{ApiError, Auth, generated, json, list, own_account, own_call, prefix_of, wire};
use crate::engine;
use crate::state::SimState;
use crate::store::{CallRecord, CallState, DocSource};

/// A call as the JSON answer to a request to `uri`, its links under the prefix the request used.
fn call_answer(state: &SimState, status: StatusCode, record: &CallRecord, uri: &Uri) -> Response {
    json(state, status, &wire::call(record, prefix_of(uri)))
}

pub(crate) async fn create_call(
    State(state): State<Arc<SimState>>,
    auth: Auth,
    Path(account): Path<String>,
    uri: Uri,
    body: Bytes,
) -> Result<Response, ApiError> {
    own_account(&auth, &account, &uri)?;
    let request = generated::read_create_call(&body)?;
    let application = match &request.application_sid {
        Some(app) => Some(state.applications.get(auth.0.sid(), app).ok_or_else(|| {
            create::refused("ApplicationSid", "is not an application of this account")
        })?),
        None => None,
    };
    let sid = state.randomness.sid("CA");
    let record = create::new_call(
        request,
        application.as_ref(),
        auth.0.sid(),
        sid,
        state.now(),
    )?;
    let call = state.calls.insert(record.clone());
    state
        .calls_created
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    engine::start(&state, call);
    Ok(call_answer(&state, StatusCode::CREATED, &record, &uri))
}

pub(crate) async fn fetch_call(
    State(state): State<Arc<SimState>>,
    auth: Auth,
    Path((account, file)): Path<(String, String)>,
    uri: Uri,
) -> Result<Response, ApiError> {
    let call = own_call(&state, &auth, &account, &file, &uri)?;
    let record = call.inner.lock().record.clone();
    Ok(call_answer(&state, StatusCode::OK, &record, &uri))
}

pub(crate) async fn update_call(
    State(state): State<Arc<SimState>>,
    auth: Auth,
    Path((account, file)): Path<(String, String)>,
    uri: Uri,
    body: Bytes,
) -> Result<Response, ApiError> {
    let call = own_call(&state, &auth, &account, &file, &uri)?;
    let sid = call.inner.lock().record.sid.clone();
    let update = Update::of(generated::read_update_call(&sid, &body)?);
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
        record.updated = state.now();
    }
    if let Some(status) = update.status {
        engine::end_by_request(&state, &call, status);
    }
    if let Some(source) = update.redirect {
        redirect(&state, &call, source);
    }
    let record = call.inner.lock().record.clone();
    Ok(call_answer(&state, StatusCode::OK, &record, &uri))
}

/// Points a call at new instructions: used at answer if it is not answered yet,
/// otherwise the engine leaves its current document for them.
fn redirect(state: &SimState, call: &CallState, source: DocSource) {
    let mut inner = call.inner.lock();
    if inner.record.status.is_pending() {
        inner.record.source = source;
    } else if !inner.record.status.is_terminal() {
        drop(inner);
        *call.redirect.lock() = Some(source);
        state.wake(call);
    }
}

pub(crate) async fn delete_call(
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

pub(crate) async fn list_calls(
    State(state): State<Arc<SimState>>,
    auth: Auth,
    Path(account): Path<String>,
    uri: Uri,
) -> Result<Response, ApiError> {
    own_account(&auth, &account, &uri)?;
    let request = generated::read_list_calls(uri.query().unwrap_or_default().as_bytes())?;
    let page = list::page(&request, &state.calls, prefix_of(&uri), auth.0.sid())?;
    Ok(json(&state, StatusCode::OK, &page))
}
