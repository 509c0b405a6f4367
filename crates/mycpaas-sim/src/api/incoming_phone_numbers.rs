//! The IncomingPhoneNumbers resource's handlers: the account's numbers, and what their inbound
//! calls run. A number is held by at most one account of the simulator.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use mycpaas_core::error::Error;
use mycpaas_core::{CreateIncomingPhoneNumber, IncomingPhoneNumber};

use super::resources::{self, Kept, Stamp, plain_handlers, stamp};
use super::settings::{apply_voice_settings, default_voice_settings};
use super::{ApiError, Auth, generated, own_account, prefix_of};
use crate::registry::Registry;
use crate::state::SimState;

/// A number already held by an account.
const NOT_AVAILABLE: u32 = 21422;

impl Kept for IncomingPhoneNumber {
    type Resource = IncomingPhoneNumber;
    const COLLECTION: &'static str = "IncomingPhoneNumbers";
    const NAME: &'static str = "IncomingPhoneNumber";

    fn registry(state: &SimState) -> &Registry<Self> {
        &state.numbers
    }

    fn resource(&self) -> &IncomingPhoneNumber {
        self
    }
}

plain_handlers!(IncomingPhoneNumber: fetch fetch_incoming_phone_number, delete delete_incoming_phone_number);

/// `VoiceApplicationSid` must name one of the account's applications.
fn check_application(state: &SimState, auth: &Auth, sid: Option<&String>) -> Result<(), ApiError> {
    match sid {
        Some(sid) if state.applications.get(auth.0.sid(), sid).is_none() => {
            let error = Error::invalid(
                "VoiceApplicationSid",
                format!("{sid} is not an application of this account"),
            );
            Err(ApiError::invalid(
                CreateIncomingPhoneNumber::error_code(&error),
                error.to_string(),
            ))
        }
        _ => Ok(()),
    }
}

/// What the simulator tells of a number: every number can take calls and messages.
fn capabilities() -> serde_json::Map<String, serde_json::Value> {
    [
        ("voice", true),
        ("sms", true),
        ("mms", true),
        ("fax", false),
    ]
    .into_iter()
    .map(|(name, can)| (name.to_owned(), serde_json::Value::Bool(can)))
    .collect()
}

pub(crate) async fn create_incoming_phone_number(
    State(state): State<Arc<SimState>>,
    auth: Auth,
    Path(account): Path<String>,
    uri: Uri,
    body: Bytes,
) -> Result<Response, ApiError> {
    own_account(&auth, &account, &uri)?;
    let request = generated::read_create_incoming_phone_number(&body)?;
    check_application(&state, &auth, request.voice_application_sid.as_ref())?;
    let mut number = IncomingPhoneNumber::default();
    number.sid = state.randomness.sid("PN");
    stamp!(
        number,
        Stamp::of::<IncomingPhoneNumber>(&state, &auth, &number.sid, &uri)
    );
    number.phone_number = Some(request.phone_number.clone());
    number.friendly_name = Some(
        request
            .friendly_name
            .clone()
            .unwrap_or_else(|| request.phone_number.clone()),
    );
    number
        .voice_application_sid
        .clone_from(&request.voice_application_sid);
    number.capabilities = Some(capabilities());
    number.country_code = request
        .phone_number
        .starts_with("+1")
        .then(|| "US".to_owned());
    number.origin = Some("mycpaas".to_owned());
    default_voice_settings!(number);
    apply_voice_settings!(number, request);
    // Held check and insert under one decision: two creates of the same number race otherwise.
    let _provisioning = state.provisioning.lock();
    let phone = request.phone_number.as_str();
    if state
        .numbers
        .any(|held| held.phone_number.as_deref() == Some(phone))
    {
        return Err(ApiError::invalid(
            NOT_AVAILABLE,
            format!("PhoneNumber {phone} is not available: it is already an incoming number"),
        ));
    }
    state
        .numbers
        .insert(auth.0.sid(), &number.sid, number.clone());
    Ok(resources::answer(&state, StatusCode::CREATED, &number))
}

pub(crate) async fn update_incoming_phone_number(
    State(state): State<Arc<SimState>>,
    auth: Auth,
    Path((account, file)): Path<(String, String)>,
    uri: Uri,
    body: Bytes,
) -> Result<Response, ApiError> {
    let (sid, _) = resources::own::<IncomingPhoneNumber>(&state, &auth, &account, &file, &uri)?;
    let request = generated::read_update_incoming_phone_number(&sid, &body)?;
    check_application(&state, &auth, request.voice_application_sid.as_ref())?;
    let updated = state
        .numbers
        .update(auth.0.sid(), &sid, |number| {
            if let Some(name) = &request.friendly_name {
                number.friendly_name = Some(name.clone());
            }
            if let Some(app) = &request.voice_application_sid {
                number.voice_application_sid = Some(app.clone());
            }
            apply_voice_settings!(*number, request);
            number.date_updated = Some(resources::now(&state));
            Ok::<_, ApiError>(())
        })
        .ok_or_else(|| ApiError::not_found(format!("IncomingPhoneNumber {sid}")))??;
    Ok(resources::answer(&state, StatusCode::OK, &updated))
}

pub(crate) async fn list_incoming_phone_numbers(
    State(state): State<Arc<SimState>>,
    auth: Auth,
    Path(account): Path<String>,
    uri: Uri,
) -> Result<Response, ApiError> {
    own_account(&auth, &account, &uri)?;
    let request =
        generated::read_list_incoming_phone_numbers(uri.query().unwrap_or_default().as_bytes())?;
    let path = resources::collection_uri::<IncomingPhoneNumber>(prefix_of(&uri), auth.0.sid());
    Ok(resources::page(
        &state,
        &auth,
        &request,
        &path,
        |number: &IncomingPhoneNumber| {
            let held = number.phone_number.as_deref().unwrap_or_default();
            request
                .phone_number
                .as_ref()
                .is_none_or(|part| held.contains(part.as_str()))
                && request
                    .friendly_name
                    .as_ref()
                    .is_none_or(|name| number.friendly_name.as_ref() == Some(name))
        },
    ))
}
