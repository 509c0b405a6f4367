//! The Queues resource's handlers: named queues of an account, each name used once (the calls
//! waiting in them are `crate::queue`'s, their members `members`').

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use mycpaas_core::{CreateQueue, Queue};

use super::resources::{self, Kept, Stamp, plain_handlers, stamp};
use super::{ApiError, Auth, generated, own_account, prefix_of};
use crate::queue::KeptQueue;
use crate::registry::Registry;
use crate::state::SimState;

/// A `FriendlyName` another queue of the account has.
const NAME_TAKEN: u32 = 22000;
/// A queue that holds calls cannot be deleted.
const NOT_EMPTY: u32 = 22001;

impl Kept for KeptQueue {
    type Resource = Queue;
    const COLLECTION: &'static str = "Queues";
    const NAME: &'static str = "Queue";

    fn registry(state: &SimState) -> &Registry<Self> {
        &state.queues
    }

    fn resource(&self) -> &Queue {
        &self.queue
    }

    fn answered(&self, state: &SimState) -> Queue {
        self.shown(state)
    }
}

plain_handlers!(KeptQueue: fetch fetch_queue);

/// Refuses `name` when another queue of the account (not `sid`) has it. Called with
/// `SimState::queue_names` held, so that the check and the change are one decision.
fn check_name_free(state: &SimState, auth: &Auth, name: &str, sid: &str) -> Result<(), ApiError> {
    let taken = state
        .queues
        .list(auth.0.sid())
        .iter()
        .map(|kept| &kept.queue)
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
    stamp!(
        queue,
        Stamp::of::<KeptQueue>(&state, &auth, &queue.sid, &uri)
    );
    queue.friendly_name = Some(request.friendly_name.clone());
    queue.max_size = Some(u64::from(
        request.max_size.unwrap_or(CreateQueue::DEFAULT_MAX_SIZE),
    ));
    let kept = KeptQueue::empty(queue);
    let _names = state.queue_names.lock();
    check_name_free(&state, &auth, &request.friendly_name, &kept.queue.sid)?;
    state
        .queues
        .insert(auth.0.sid(), &kept.queue.sid, kept.clone());
    Ok(resources::answer(&state, StatusCode::CREATED, &kept))
}

pub(crate) async fn update_queue(
    State(state): State<Arc<SimState>>,
    auth: Auth,
    Path((account, file)): Path<(String, String)>,
    uri: Uri,
    body: Bytes,
) -> Result<Response, ApiError> {
    let (sid, _) = resources::own::<KeptQueue>(&state, &auth, &account, &file, &uri)?;
    let request = generated::read_update_queue(&sid, &body)?;
    let _names = state.queue_names.lock();
    if let Some(name) = &request.friendly_name {
        check_name_free(&state, &auth, name, &sid)?;
    }
    let updated = state
        .queues
        .update(auth.0.sid(), &sid, |kept| {
            let queue = &mut kept.queue;
            if let Some(name) = &request.friendly_name {
                queue.friendly_name = Some(name.clone());
            }
            if let Some(max_size) = request.max_size {
                queue.max_size = Some(u64::from(max_size));
            }
            queue.date_updated = Some(resources::now(&state));
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
    // Held so that no `<Enqueue>` puts a call in it between the check and the removal.
    let _names = state.queue_names.lock();
    let (sid, kept) = resources::own::<KeptQueue>(&state, &auth, &account, &file, &uri)?;
    if !kept.waiting.is_empty() {
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
    let path = resources::collection_uri::<KeptQueue>(prefix_of(&uri), auth.0.sid());
    Ok(resources::page(
        &state,
        &auth,
        &request,
        &path,
        |_: &KeptQueue| true,
    ))
}
