//! The LamlBins resource's handlers, and the public URL that serves each bin's document (its
//! `request_url`, a valid call `Url`: a call can run entirely on the simulator's documents).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use mycpaas_core::{CreateLamlBin, LamlBin};

use super::resources::{self, Kept, Stamp, plain_handlers, stamp};
use super::{ApiError, Auth, generated, own_account, prefix_of};
use crate::registry::Registry;
use crate::state::SimState;

/// The path of the public URL of a bin, below the simulator's base URL.
pub(crate) const SERVED_AT: &str = "/laml-bins/{AccountSid}/{LamlBinSid}";

impl Kept for LamlBin {
    type Resource = LamlBin;
    const COLLECTION: &'static str = "LamlBins";
    const NAME: &'static str = "LamlBin";

    fn registry(state: &SimState) -> &Registry<Self> {
        &state.laml_bins
    }

    fn resource(&self) -> &LamlBin {
        self
    }
}

plain_handlers!(LamlBin: fetch fetch_laml_bin, delete delete_laml_bin);

pub(crate) async fn create_laml_bin(
    State(state): State<Arc<SimState>>,
    auth: Auth,
    Path(account): Path<String>,
    uri: Uri,
    body: Bytes,
) -> Result<Response, ApiError> {
    own_account(&auth, &account, &uri)?;
    let request = generated::read_create_laml_bin(&body)?;
    let mut bin = LamlBin::default();
    bin.sid = state.randomness.sid("LB");
    stamp!(bin, Stamp::of::<LamlBin>(&state, &auth, &bin.sid, &uri));
    bin.name = Some(request.name.clone());
    bin.contents = Some(
        request
            .contents
            .clone()
            .unwrap_or_else(|| CreateLamlBin::DEFAULT_CONTENTS.to_owned()),
    );
    let served_at = SERVED_AT
        .replace("{AccountSid}", auth.0.sid())
        .replace("{LamlBinSid}", &bin.sid);
    bin.request_url = Some(format!("{}{served_at}", state.base_url));
    bin.num_requests = Some(0);
    state.laml_bins.insert(auth.0.sid(), &bin.sid, bin.clone());
    Ok(resources::answer(&state, StatusCode::CREATED, &bin))
}

pub(crate) async fn update_laml_bin(
    State(state): State<Arc<SimState>>,
    auth: Auth,
    Path((account, file)): Path<(String, String)>,
    uri: Uri,
    body: Bytes,
) -> Result<Response, ApiError> {
    let (sid, _) = resources::own::<LamlBin>(&state, &auth, &account, &file, &uri)?;
    let request = generated::read_update_laml_bin(&sid, &body)?;
    let updated = state
        .laml_bins
        .update(auth.0.sid(), &sid, |bin| {
            bin.name = Some(request.name.clone());
            if let Some(contents) = &request.contents {
                bin.contents = Some(contents.clone());
            }
            bin.date_updated = Some(resources::now(&state));
            Ok::<_, ApiError>(())
        })
        .ok_or_else(|| ApiError::not_found(format!("LamlBin {sid}")))??;
    Ok(resources::answer(&state, StatusCode::OK, &updated))
}

pub(crate) async fn list_laml_bins(
    State(state): State<Arc<SimState>>,
    auth: Auth,
    Path(account): Path<String>,
    uri: Uri,
) -> Result<Response, ApiError> {
    own_account(&auth, &account, &uri)?;
    let request = generated::read_list_laml_bins(uri.query().unwrap_or_default().as_bytes())?;
    let path = resources::collection_uri::<LamlBin>(prefix_of(&uri), auth.0.sid());
    Ok(resources::page(
        &state,
        &auth,
        &request,
        &path,
        |bin: &LamlBin| {
            request
                .name
                .as_ref()
                .is_none_or(|name| bin.name.as_ref() == Some(name))
        },
    ))
}

/// `GET` or `POST` of a bin's `request_url`: its document, as the platform serves it (no
/// authentication: the URL is the secret). Each request is counted.
pub(crate) async fn serve_laml_bin(
    State(state): State<Arc<SimState>>,
    Path((account, sid)): Path<(String, String)>,
) -> Response {
    let served = state.laml_bins.update(&account, &sid, |bin| {
        bin.num_requests = Some(bin.num_requests.unwrap_or(0) + 1);
        bin.date_last_accessed = Some(resources::now(&state));
        Ok::<_, ()>(())
    });
    match served {
        Some(Ok(bin)) => (
            [(header::CONTENT_TYPE, "application/xml")],
            bin.contents.unwrap_or_default(),
        )
            .into_response(),
        _ => ApiError::not_found(format!("LamlBin {sid}")).into_response(),
    }
}
