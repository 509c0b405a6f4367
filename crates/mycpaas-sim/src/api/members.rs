//! The Members resource's handlers: the calls waiting in a queue (`crate::queue`), front first,
//! and the API's dequeue, which hands one to a new document.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use mycpaas_core::DequeueQueueMember;

use super::create::method;
use super::resources::{self, sid_of};
use super::{ApiError, Auth, generated, json, prefix_of};
use crate::queue::{self, Dequeued, KeptQueue};
use crate::state::SimState;
use crate::store::Target;

pub(crate) async fn list_queue_members(
    State(state): State<Arc<SimState>>,
    auth: Auth,
    Path((account, queue_sid)): Path<(String, String)>,
    uri: Uri,
) -> Result<Response, ApiError> {
    let (_, kept) = queue_of(&state, &auth, &account, &queue_sid, &uri)?;
    let request =
        generated::read_list_queue_members(&queue_sid, uri.query().unwrap_or_default().as_bytes())?;
    let prefix = prefix_of(&uri);
    let path = format!(
        "{prefix}/Accounts/{}/Queues/{queue_sid}/Members.json",
        auth.0.sid()
    );
    let positions: Vec<usize> = (0..kept.waiting.len()).collect();
    let page = super::list::paged(&request, &positions, &path, |&index| {
        kept.member(&state, index, prefix)
    });
    Ok(json(&state, StatusCode::OK, &page))
}

pub(crate) async fn fetch_queue_member(
    State(state): State<Arc<SimState>>,
    auth: Auth,
    Path((account, queue_sid, file)): Path<(String, String, String)>,
    uri: Uri,
) -> Result<Response, ApiError> {
    let (_, kept) = queue_of(&state, &auth, &account, &queue_sid, &uri)?;
    let which = sid_of(&file, &uri)?;
    let index = kept
        .index_of(which)
        .ok_or_else(|| not_waiting(&queue_sid, which))?;
    let member = kept.member(&state, index, prefix_of(&uri));
    Ok(json(&state, StatusCode::OK, &member))
}

pub(crate) async fn dequeue_queue_member(
    State(state): State<Arc<SimState>>,
    auth: Auth,
    Path((account, queue_sid, file)): Path<(String, String, String)>,
    uri: Uri,
    body: Bytes,
) -> Result<Response, ApiError> {
    queue_of(&state, &auth, &account, &queue_sid, &uri)?;
    let which = sid_of(&file, &uri)?;
    let request = generated::read_dequeue_queue_member(&queue_sid, which, &body)?;
    let target = Target {
        url: request.url,
        method: method(request.method.unwrap_or(DequeueQueueMember::DEFAULT_METHOD)),
    };
    let (waiting, member) = queue::take(&state, auth.0.sid(), &queue_sid, which, prefix_of(&uri))
        .ok_or_else(|| not_waiting(&queue_sid, which))?;
    queue::hand(&state, &waiting, Dequeued::Redirected(target));
    Ok(json(&state, StatusCode::OK, &member))
}

/// The authenticated account's queue `sid`; 404 for any other.
fn queue_of(
    state: &SimState,
    auth: &Auth,
    account: &str,
    sid: &str,
    uri: &Uri,
) -> Result<(String, KeptQueue), ApiError> {
    resources::own::<KeptQueue>(state, auth, account, &format!("{sid}.json"), uri)
}

fn not_waiting(queue_sid: &str, which: &str) -> ApiError {
    ApiError::not_found(format!("Member {which} of queue {queue_sid}"))
}
