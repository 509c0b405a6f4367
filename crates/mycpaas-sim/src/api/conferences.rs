//! The Conferences resource's handlers: the account's conferences, made by `<Dial><Conference>`
//! (`crate::conference`), listed, fetched and ended.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use mycpaas_core::{Conference, ConferenceUpdateStatus, UpdateConference};

use super::create::method;
use super::list::Days;
use super::resources::{self, Kept, plain_handlers};
use super::{ApiError, Auth, generated, own_account, prefix_of};
use crate::conference::{self, KeptConference};
use crate::registry::Registry;
use crate::state::SimState;
use crate::store::Target;

/// An operation on a conference that has ended (or on its participants).
pub(super) const ENDED: u32 = 21501;

impl Kept for KeptConference {
    type Resource = Conference;
    const COLLECTION: &'static str = "Conferences";
    const NAME: &'static str = "Conference";

    fn registry(state: &SimState) -> &Registry<Self> {
        &state.conferences
    }

    fn resource(&self) -> &Conference {
        &self.conference
    }
}

plain_handlers!(KeptConference: fetch fetch_conference);

pub(crate) async fn update_conference(
    State(state): State<Arc<SimState>>,
    auth: Auth,
    Path((account, file)): Path<(String, String)>,
    uri: Uri,
    body: Bytes,
) -> Result<Response, ApiError> {
    let (sid, kept) = resources::own::<KeptConference>(&state, &auth, &account, &file, &uri)?;
    let request = generated::read_update_conference(&sid, &body)?;
    let ended = || {
        ApiError::invalid(
            ENDED,
            format!("Conference {sid} has ended: it can no longer be changed"),
        )
    };
    if let Some(url) = &request.announce_url {
        let target = Target {
            url: url.clone(),
            method: method(
                request
                    .announce_method
                    .unwrap_or(UpdateConference::DEFAULT_ANNOUNCE_METHOD),
            ),
        };
        // Every participant hears it once, then what it heard before.
        if conference::announce_to_all(&state, auth.0.sid(), &sid, &target).is_err() {
            return Err(ended());
        }
    }
    let now = resources::now(&state);
    let answered = match request.status {
        Some(ConferenceUpdateStatus::Completed) => {
            match conference::end_by_request(&state, auth.0.sid(), &sid, now) {
                Some(Ok(conference)) => conference,
                Some(Err(conference::Ended)) => return Err(ended()),
                None => return Err(ApiError::not_found(format!("Conference {sid}"))),
            }
        }
        _ => kept.conference,
    };
    Ok(super::json(&state, StatusCode::OK, &answered))
}

pub(crate) async fn list_conferences(
    State(state): State<Arc<SimState>>,
    auth: Auth,
    Path(account): Path<String>,
    uri: Uri,
) -> Result<Response, ApiError> {
    own_account(&auth, &account, &uri)?;
    let request = generated::read_list_conferences(uri.query().unwrap_or_default().as_bytes())?;
    let path = resources::collection_uri::<KeptConference>(prefix_of(&uri), auth.0.sid());
    let created = Days::of(
        request.date_created,
        request.date_created_before,
        request.date_created_after,
    );
    let updated = Days::of(
        request.date_updated,
        request.date_updated_before,
        request.date_updated_after,
    );
    Ok(resources::page(
        &state,
        &auth,
        &request,
        &path,
        |kept: &KeptConference| {
            let conference = &kept.conference;
            request
                .friendly_name
                .as_ref()
                .is_none_or(|name| conference.friendly_name.as_ref() == Some(name))
                && request
                    .status
                    .as_ref()
                    .is_none_or(|status| conference.status.as_ref() == Some(status))
                && created.admit(conference.date_created)
                && updated.admit(conference.date_updated)
        },
    ))
}
