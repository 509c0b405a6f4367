//! The Participants resource's handlers: the calls in a conference (`crate::conference`), listed,
//! fetched, changed on the live call, kicked, and dialed in through the API.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use mycpaas_core::{
    CreateCall, CreateParticipant, Participant as ParticipantModel, ParticipantStatus,
    UpdateParticipant,
};
use mycpaas_laml::{Conference as Room, ConferenceBeep, Dial, Response as Laml};

use super::conferences::ENDED;
use super::create::{self, method};
use super::resources::sid_of;
use super::wire::API_VERSION;
use super::{ApiError, Auth, generated, json, list, own_account, prefix_of};
use crate::conference::{self, Change, Invited, KeptConference, Participant, Refused};
use crate::engine;
use crate::state::SimState;
use crate::store::Target;

/// The call is not in the conference.
const NOT_IN: u32 = 21502;
/// `Coaching=true` without `CallSidToCoach`.
const COACHED_MISSING: u32 = 21503;

/// The path of a participant, under the prefix the request used.
fn participant_uri(uri: &Uri, account: &str, conference_sid: &str, call_sid: &str) -> String {
    format!(
        "{}/Accounts/{account}/Conferences/{conference_sid}/Participants/{call_sid}.json",
        prefix_of(uri)
    )
}

/// A participant as the API answers it.
fn model(kept: &KeptConference, participant: &Participant, uri: &Uri) -> ParticipantModel {
    let conference = &kept.conference;
    let account = conference.account_sid.clone().unwrap_or_default();
    let mut model = ParticipantModel::default();
    model.call_sid.clone_from(&participant.call_sid);
    model.conference_sid = Some(conference.sid.clone());
    model.label.clone_from(&participant.label);
    model.status = Some(ParticipantStatus::Connected);
    model.muted = Some(participant.muted);
    model.hold = Some(participant.hold);
    model.coaching = Some(participant.coaching);
    model
        .call_sid_to_coach
        .clone_from(&participant.call_sid_to_coach);
    model.start_conference_on_enter = Some(participant.start_conference_on_enter);
    model.end_conference_on_exit = Some(participant.end_conference_on_exit);
    model.api_version = Some(API_VERSION.to_owned());
    model.date_created = Some(participant.joined);
    model.date_updated = Some(participant.updated);
    model.uri = Some(participant_uri(
        uri,
        &account,
        &conference.sid,
        &participant.call_sid,
    ));
    model.account_sid = Some(account);
    model
}

/// The account's conference the path names; any other account's, or none, is 404.
fn own_conference(
    state: &SimState,
    auth: &Auth,
    account: &str,
    sid: &str,
    uri: &Uri,
) -> Result<KeptConference, ApiError> {
    own_account(auth, account, uri)?;
    state
        .conferences
        .get(auth.0.sid(), sid)
        .ok_or_else(|| ApiError::not_found(format!("Conference {sid}")))
}

fn ended(sid: &str) -> ApiError {
    ApiError::invalid(
        ENDED,
        format!("Conference {sid} has ended: its participants can no longer be changed"),
    )
}

fn not_in(sid: &str, call_sid: &str) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        NOT_IN,
        format!("Call {call_sid} is not a participant of conference {sid}"),
    )
}

/// The API error of a refusal of the conference's state.
fn refusal(sid: &str, refused: Refused) -> ApiError {
    match refused {
        Refused::NoConference => ApiError::not_found(format!("Conference {sid}")),
        Refused::Ended => ended(sid),
        Refused::NotIn(call_sid) => not_in(sid, &call_sid),
    }
}

pub(crate) async fn list_participants(
    State(state): State<Arc<SimState>>,
    auth: Auth,
    Path((account, sid)): Path<(String, String)>,
    uri: Uri,
) -> Result<Response, ApiError> {
    let kept = own_conference(&state, &auth, &account, &sid, &uri)?;
    let request =
        generated::read_list_participants(&sid, uri.query().unwrap_or_default().as_bytes())?;
    let matching: Vec<&Participant> = kept
        .participants
        .iter()
        .filter(|p| request.muted.is_none_or(|muted| p.muted == muted))
        .filter(|p| request.hold.is_none_or(|hold| p.hold == hold))
        .collect();
    let path = format!(
        "{}/Accounts/{}/Conferences/{sid}/Participants.json",
        prefix_of(&uri),
        auth.0.sid()
    );
    let page = list::paged(&request, &matching, &path, |p| model(&kept, p, &uri));
    Ok(json(&state, StatusCode::OK, &page))
}

pub(crate) async fn fetch_participant(
    State(state): State<Arc<SimState>>,
    auth: Auth,
    Path((account, sid, file)): Path<(String, String, String)>,
    uri: Uri,
) -> Result<Response, ApiError> {
    let kept = own_conference(&state, &auth, &account, &sid, &uri)?;
    let call_sid = sid_of(&file, &uri)?;
    if kept.ended() {
        return Err(ended(&sid));
    }
    let participant = kept
        .participant(call_sid)
        .ok_or_else(|| not_in(&sid, call_sid))?;
    Ok(json(
        &state,
        StatusCode::OK,
        &model(&kept, participant, &uri),
    ))
}

pub(crate) async fn update_participant(
    State(state): State<Arc<SimState>>,
    auth: Auth,
    Path((account, sid, file)): Path<(String, String, String)>,
    uri: Uri,
    body: Bytes,
) -> Result<Response, ApiError> {
    own_conference(&state, &auth, &account, &sid, &uri)?;
    let call_sid = sid_of(&file, &uri)?.to_owned();
    let request = generated::read_update_participant(&sid, &call_sid, &body)?;
    if request.coaching == Some(true) && request.call_sid_to_coach.is_none() {
        return Err(ApiError::invalid(
            COACHED_MISSING,
            "CallSidToCoach is required when Coaching is true",
        ));
    }
    let change = change_of(request);
    let now = state.now();
    let participant =
        conference::update_participant(&state, auth.0.sid(), &sid, &call_sid, change, now)
            .map_err(|refused| refusal(&sid, refused))?;
    let kept = own_conference(&state, &auth, &account, &sid, &uri)?;
    Ok(json(
        &state,
        StatusCode::OK,
        &model(&kept, &participant, &uri),
    ))
}

/// What an update asks of the participant, with its URLs' methods (or their defaults).
fn change_of(request: UpdateParticipant) -> Change {
    let target = |url: Option<String>, sent, default| {
        url.map(|url| Target {
            url,
            method: method(Option::unwrap_or(sent, default)),
        })
    };
    Change {
        muted: request.muted,
        hold: request.hold,
        hold_target: target(
            request.hold_url,
            request.hold_method,
            UpdateParticipant::DEFAULT_HOLD_METHOD,
        ),
        announce: target(
            request.announce_url,
            request.announce_method,
            UpdateParticipant::DEFAULT_ANNOUNCE_METHOD,
        ),
        wait_target: target(
            request.wait_url,
            request.wait_method,
            UpdateParticipant::DEFAULT_WAIT_METHOD,
        ),
        coaching: request.coaching,
        call_sid_to_coach: request.call_sid_to_coach,
        end_conference_on_exit: request.end_conference_on_exit,
    }
}

pub(crate) async fn delete_participant(
    State(state): State<Arc<SimState>>,
    auth: Auth,
    Path((account, sid, file)): Path<(String, String, String)>,
    uri: Uri,
) -> Result<Response, ApiError> {
    own_conference(&state, &auth, &account, &sid, &uri)?;
    let call_sid = sid_of(&file, &uri)?.to_owned();
    let now = state.now();
    conference::kick(&state, auth.0.sid(), &sid, &call_sid, now)
        .map_err(|refused| refusal(&sid, refused))?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub(crate) async fn create_participant(
    State(state): State<Arc<SimState>>,
    auth: Auth,
    Path((account, sid)): Path<(String, String)>,
    uri: Uri,
    body: Bytes,
) -> Result<Response, ApiError> {
    let kept = own_conference(&state, &auth, &account, &sid, &uri)?;
    let request = generated::read_create_participant(&sid, &body)?;
    if kept.ended() {
        return Err(ended(&sid));
    }
    let name = kept.conference.friendly_name.clone().unwrap_or_default();
    let muted = request.muted.unwrap_or(CreateParticipant::DEFAULT_MUTED);
    let start = request
        .start_conference_on_enter
        .unwrap_or(CreateParticipant::DEFAULT_START_CONFERENCE_ON_ENTER);
    let end = request
        .end_conference_on_exit
        .unwrap_or(CreateParticipant::DEFAULT_END_CONFERENCE_ON_EXIT);
    let beep = if request.beep.unwrap_or(CreateParticipant::DEFAULT_BEEP) {
        ConferenceBeep::True
    } else {
        ConferenceBeep::False
    };
    // Once answered, the call runs a document that joins the room with the settings asked for.
    let room = Room::new(name)
        .muted(muted)
        .beep(beep)
        .start_conference_on_enter(start)
        .end_conference_on_exit(end);
    let joins = Laml::new().dial(Dial::new().conference(room)).to_xml();
    let mut call = CreateCall::new(request.to.clone(), request.from.clone())
        .twiml(joins)
        .status_callback_events(request.status_callback_event.iter().copied());
    call.status_callback.clone_from(&request.status_callback);
    call.status_callback_method = request.status_callback_method;
    call.timeout = request.timeout;
    let call_sid = state.randomness.sid("CA");
    let record = create::new_call(call, None, auth.0.sid(), call_sid.clone(), state.now())?;
    let now = record.created;
    let invited = Invited {
        call_sid: call_sid.clone(),
        label: request.label.clone(),
    };
    let kept = conference::invite(&state, auth.0.sid(), &sid, invited)
        .map_err(|refused| refusal(&sid, refused))?;
    let placed = state.calls.insert(record);
    state
        .calls_created
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    engine::start(&state, placed);
    let account = kept.conference.account_sid.clone().unwrap_or_default();
    let mut answer = ParticipantModel::default();
    answer.call_sid.clone_from(&call_sid);
    answer.conference_sid = Some(sid.clone());
    answer.label = request.label;
    answer.status = Some(ParticipantStatus::Queued);
    answer.muted = Some(muted);
    answer.hold = Some(false);
    answer.coaching = Some(false);
    answer.start_conference_on_enter = Some(start);
    answer.end_conference_on_exit = Some(end);
    answer.api_version = Some(API_VERSION.to_owned());
    answer.date_created = Some(now);
    answer.date_updated = Some(now);
    answer.uri = Some(participant_uri(&uri, &account, &sid, &call_sid));
    answer.account_sid = Some(account);
    Ok(json(&state, StatusCode::CREATED, &answer))
}
