//! The Queues resource's handlers: named queues of an account, each name used once.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use mycpaas_core::{CreateQueue, Queue};

use super::resources::{self, Kept, Stamp, plain_handlers, stamp};
use super::{ApiError, Auth, generated, own_account, prefix_of};
use crate::registry::Registry;
use crate::state::SimState;

/// A `FriendlyName` another queue of the account has.
const NAME_TAKEN: u32 = 22000;
/// A queue that holds calls cannot be deleted.
const NOT_EMPTY: u32 = 22001;

impl Kept for Queue {
    type Resource = Queue;
    const COLLECTION: &'static str = "Queues";
    const NAME: &'static str = "Queue";

    fn registry(state: &SimState) -> &Registry<Self> {
        &state.queues
    }

    fn resource(&self) -> &Queue {
        self
    }
}

plain_handlers!(Queue: fetch fetch_queue);

/// Refuses `name` when another queue of the account (not `sid`) has it. Called with
/// `SimState::queue_names` held, so that the check and the change are one decision.
fn check_name_free(state: &SimState, auth: &Auth, name: &str, sid: &str) -> Result<(), ApiError> {
    let taken = state
        .queues
        .list(auth.0.sid())
        .iter()
        .any(|queue| queue.sid != sid && queue.friendly_name.as_deref() == Some(name));
    if taken {
        return Err(ApiError::invalid(
            NAME_TAKEN,
            format!("FriendlyName {name:?} is already used by another queue of this account"),
        ));
    }
    Ok(())
}

pub(crate) async fn create_queue(
    State(state): State<Arc<SimState>>,
    auth: Auth,
    Path(account): Path<String>,
    uri: Uri,
    body: Bytes,
) -> Result<Response, ApiError> {
    own_account(&auth, &account, &uri)?;
    let request = generated::read_create_queue(&body)?;
    let mut queue = Queue::default();
    queue.sid = state.randomness.sid("QU");
    stamp!(queue, Stamp::of::<Queue>(&auth, &queue.sid, &uri));
    queue.friendly_name = Some(request.friendly_name.clone());
    queue.max_size = Some(u64::from(
        request.max_size.unwrap_or(CreateQueue::DEFAULT_MAX_SIZE),
    ));
    queue.current_size = Some(0);
    queue.average_wait_time = Some(0);
    let _names = state.queue_names.lock();
    check_name_free(&state, &auth, &request.friendly_name, &queue.sid)?;
    state.queues.insert(auth.0.sid(), &queue.sid, queue.clone());
    Ok(resources::answer(&state, StatusCode::CREATED, &queue))
}

pub(crate) async fn update_queue(
    State(state): State<Arc<SimState>>,
    auth: Auth,
    Path((account, file)): Path<(String, String)>,
    uri: Uri,
    body: Bytes,
) -> Result<Response, ApiError> {
    let (sid, _) = resources::own::<Queue>(&state, &auth, &account, &file, &uri)?;
    let request = generated::read_update_queue(&sid, &body)?;
    let _names = state.queue_names.lock();
    if let Some(name) = &request.friendly_name {
        check_name_free(&state, &auth, name, &sid)?;
    }
    let updated = state
        .queues
        .update(auth.0.sid(), &sid, |queue| {
            if let Some(name) = &request.friendly_name {
                queue.friendly_name = Some(name.clone());
            }
            if let Some(max_size) = request.max_size {
                queue.max_size = Some(u64::from(max_size));
            }
            queue.date_updated = Some(resources::now());
            Ok::<_, ApiError>(())
        })
        .ok_or_else(|| ApiError::not_found(format!("Queue {sid}")))??;
    Ok(resources::answer(&state, StatusCode::OK, &updated))
}

pub(crate) async fn delete_queue(
    State(state): State<Arc<SimState>>,
    auth: Auth,
    Path((account, file)): Path<(String, String)>,
    uri: Uri,
) -> Result<Response, ApiError> {
    let (sid, queue) = resources::own::<Queue>(&state, &auth, &account, &file, &uri)?;
    if queue.current_size.unwrap_or(0) > 0 {
        return Err(ApiError::invalid(
            NOT_EMPTY,
            format!("Queue {sid} holds calls: only an empty queue can be deleted"),
        ));
    }
    state.queues.remove(auth.0.sid(), &sid);
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub(crate) async fn list_queues(
    State(state): State<Arc<SimState>>,
    auth: Auth,
    Path(account): Path<String>,
    uri: Uri,
) -> Result<Response, ApiError> {
    own_account(&auth, &account, &uri)?;
    let request = generated::read_list_queues(uri.query().unwrap_or_default().as_bytes())?;
    let path = resources::collection_uri::<Queue>(prefix_of(&uri), auth.0.sid());
    Ok(resources::page(
        &state,
        &auth,
        &request,
        &path,
        |_: &Queue| true,
    ))
}
