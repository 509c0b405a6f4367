//! The Applications resource's handlers: named sets of voice URLs that numbers and calls point
//! to.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use mycpaas_core::Application;

use super::resources::{self, Kept, Stamp, plain_handlers, stamp};
use super::settings::{apply_voice_settings, default_voice_settings};
use super::{ApiError, Auth, generated, own_account, prefix_of};
use crate::registry::Registry;
use crate::state::SimState;

impl Kept for Application {
    type Resource = Application;
    const COLLECTION: &'static str = "Applications";
    const NAME: &'static str = "Application";

    fn registry(state: &SimState) -> &Registry<Self> {
        &state.applications
    }

    fn resource(&self) -> &Application {
        self
    }
}

plain_handlers!(Application: fetch fetch_application, delete delete_application);

pub(crate) async fn create_application(
    State(state): State<Arc<SimState>>,
    auth: Auth,
    Path(account): Path<String>,
    uri: Uri,
    body: Bytes,
) -> Result<Response, ApiError> {
    own_account(&auth, &account, &uri)?;
    let request = generated::read_create_application(&body)?;
    let mut app = Application::default();
    app.sid = state.randomness.sid("AP");
    stamp!(app, Stamp::of::<Application>(&state, &auth, &app.sid, &uri));
    app.friendly_name = Some(request.friendly_name.clone());
    default_voice_settings!(app);
    apply_voice_settings!(app, request);
    state
        .applications
        .insert(auth.0.sid(), &app.sid, app.clone());
    Ok(resources::answer(&state, StatusCode::CREATED, &app))
}

pub(crate) async fn update_application(
    State(state): State<Arc<SimState>>,
    auth: Auth,
    Path((account, file)): Path<(String, String)>,
    uri: Uri,
    body: Bytes,
) -> Result<Response, ApiError> {
    let (sid, _) = resources::own::<Application>(&state, &auth, &account, &file, &uri)?;
    let request = generated::read_update_application(&sid, &body)?;
    let updated = state
        .applications
        .update(auth.0.sid(), &sid, |app| {
            if let Some(name) = &request.friendly_name {
                app.friendly_name = Some(name.clone());
            }
            apply_voice_settings!(*app, request);
            app.date_updated = Some(resources::now(&state));
            Ok::<_, ApiError>(())
        })
        .ok_or_else(|| ApiError::not_found(format!("Application {sid}")))??;
    Ok(resources::answer(&state, StatusCode::OK, &updated))
}

pub(crate) async fn list_applications(
    State(state): State<Arc<SimState>>,
    auth: Auth,
    Path(account): Path<String>,
    uri: Uri,
) -> Result<Response, ApiError> {
    own_account(&auth, &account, &uri)?;
    let request = generated::read_list_applications(uri.query().unwrap_or_default().as_bytes())?;
    let path = resources::collection_uri::<Application>(prefix_of(&uri), auth.0.sid());
    Ok(resources::page(
        &state,
        &auth,
        &request,
        &path,
        |app: &Application| {
            request
                .friendly_name
                .as_ref()
                .is_none_or(|name| app.friendly_name.as_ref() == Some(name))
        },
    ))
}
