//! What the handlers of the resources kept in a [`Registry`] share: finding the account's
//! resource a path names, answering it, deleting it, and listing a page of them. The handlers of
//! each resource (`applications`, `incoming_phone_numbers`, ...) add what is their own: how a
//! create or an update changes the resource, and the list's filters.

use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use mycpaas_core::model::Listed;
use mycpaas_core::ops::ListOperation;
use serde::Serialize;
use time::OffsetDateTime;

use super::{ApiError, Auth, json, list, own_account, prefix_of, wire};
use crate::registry::Registry;
use crate::state::SimState;

/// A kind of resource the simulator keeps in a [`Registry`], and what it answers of it.
pub(crate) trait Kept: Clone {
    /// The JSON resource answered (`Application`).
    type Resource: Serialize + Listed + Clone;
    /// The path segment of the account's collection (`Applications`).
    const COLLECTION: &'static str;
    /// The resource's name in a 404 (`Application`).
    const NAME: &'static str;

    /// The registry of this kind.
    fn registry(state: &SimState) -> &Registry<Self>;
    /// The resource as kept.
    fn resource(&self) -> &Self::Resource;

    /// The resource as answered now: what it keeps, with what changes by the moment filled in
    /// (a queue's size and average wait).
    fn answered(&self, _state: &SimState) -> Self::Resource {
        self.resource().clone()
    }
}

/// The path of the account's resource `sid` under `prefix`.
pub(crate) fn resource_uri<K: Kept>(prefix: &str, account: &str, sid: &str) -> String {
    format!("{prefix}/Accounts/{account}/{}/{sid}.json", K::COLLECTION)
}

/// The path of the account's collection under `prefix`.
pub(crate) fn collection_uri<K: Kept>(prefix: &str, account: &str) -> String {
    format!("{prefix}/Accounts/{account}/{}.json", K::COLLECTION)
}

/// The SID of a `{sid}.json` path segment.
pub(crate) fn sid_of<'a>(file: &'a str, uri: &Uri) -> Result<&'a str, ApiError> {
    file.strip_suffix(".json")
        .filter(|sid| !sid.is_empty())
        .ok_or_else(|| ApiError::not_found(uri.path()))
}

/// The authenticated account's resource named by the path (`{account}/.../{sid}.json`); any
/// other account's, or none, is 404.
pub(crate) fn own<K: Kept>(
    state: &SimState,
    auth: &Auth,
    account: &str,
    file: &str,
    uri: &Uri,
) -> Result<(String, K), ApiError> {
    own_account(auth, account, uri)?;
    let sid = sid_of(file, uri)?;
    K::registry(state)
        .get(auth.0.sid(), sid)
        .map(|kept| (sid.to_owned(), kept))
        .ok_or_else(|| ApiError::not_found(format!("{} {sid}", K::NAME)))
}

/// A resource as the JSON answer, with `status`.
pub(crate) fn answer<K: Kept>(state: &SimState, status: StatusCode, kept: &K) -> Response {
    json(state, status, &kept.answered(state))
}

/// `GET .../{sid}.json`.
pub(crate) fn fetch<K: Kept>(
    state: &SimState,
    auth: &Auth,
    account: &str,
    file: &str,
    uri: &Uri,
) -> Result<Response, ApiError> {
    let (_, kept) = own::<K>(state, auth, account, file, uri)?;
    Ok(answer(state, StatusCode::OK, &kept))
}

/// `DELETE .../{sid}.json`: 204.
pub(crate) fn delete<K: Kept>(
    state: &SimState,
    auth: &Auth,
    account: &str,
    file: &str,
    uri: &Uri,
) -> Result<Response, ApiError> {
    let (sid, _) = own::<K>(state, auth, account, file, uri)?;
    K::registry(state).remove(auth.0.sid(), &sid);
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// A page of the account's resources that `matches` lets through, newest first, linked to
/// `path`.
pub(crate) fn page<K, L>(
    state: &SimState,
    auth: &Auth,
    request: &L,
    path: &str,
    matches: impl Fn(&K) -> bool,
) -> Response
where
    K: Kept,
    L: ListOperation,
    L::Page<K::Resource>: Serialize,
{
    let mut kept = K::registry(state).list(auth.0.sid());
    kept.retain(|k| matches(k));
    let page: L::Page<K::Resource> = list::paged(request, &kept, path, |k| k.answered(state));
    json(state, StatusCode::OK, &page)
}

/// The time a resource is stamped with: the simulated now, in whole seconds (as dates are
/// answered).
pub(crate) fn now(state: &SimState) -> OffsetDateTime {
    wire::whole_seconds(state.now())
}

/// The members every kept resource has: its account, version, dates and path.
pub(crate) struct Stamp {
    pub(crate) account_sid: String,
    pub(crate) now: OffsetDateTime,
    pub(crate) uri: String,
}

impl Stamp {
    /// The stamp of a resource `sid` of the authenticated account, made now, for a request to
    /// `uri` (its links use the same prefix).
    pub(crate) fn of<K: Kept>(state: &SimState, auth: &Auth, sid: &str, uri: &Uri) -> Stamp {
        Stamp {
            account_sid: auth.0.sid().to_owned(),
            now: now(state),
            uri: resource_uri::<K>(prefix_of(uri), auth.0.sid(), sid),
        }
    }
}

/// Writes a [`Stamp`] into a model: the members of `ResourceFields` in the description, which
/// every kept model has under the same names.
macro_rules! stamp {
    ($model:expr, $stamp:expr) => {{
        let stamp: $crate::api::resources::Stamp = $stamp;
        $model.account_sid = Some(stamp.account_sid);
        $model.api_version = Some($crate::api::wire::API_VERSION.to_owned());
        $model.date_created = Some(stamp.now);
        $model.date_updated = Some(stamp.now);
        $model.uri = Some(stamp.uri);
    }};
}
pub(crate) use stamp;

/// The handlers of a kept resource's operations that do nothing of their own: `fetch` answers
/// the resource, `delete` removes it (204). Each is named as the generated routes call it.
///
/// ```ignore
/// plain_handlers!(Application: fetch fetch_application, delete delete_application);
/// ```
macro_rules! plain_handlers {
    ($kept:ty: fetch $fetch:ident $(, delete $delete:ident)?) => {
        pub(crate) async fn $fetch(
            ::axum::extract::State(state): ::axum::extract::State<::std::sync::Arc<$crate::state::SimState>>,
            auth: $crate::api::Auth,
            ::axum::extract::Path((account, file)): ::axum::extract::Path<(String, String)>,
            uri: ::axum::http::Uri,
        ) -> Result<::axum::response::Response, $crate::api::ApiError> {
            $crate::api::resources::fetch::<$kept>(&state, &auth, &account, &file, &uri)
        }
        $(
            pub(crate) async fn $delete(
                ::axum::extract::State(state): ::axum::extract::State<::std::sync::Arc<$crate::state::SimState>>,
                auth: $crate::api::Auth,
                ::axum::extract::Path((account, file)): ::axum::extract::Path<(String, String)>,
                uri: ::axum::http::Uri,
            ) -> Result<::axum::response::Response, $crate::api::ApiError> {
                $crate::api::resources::delete::<$kept>(&state, &auth, &account, &file, &uri)
            }
        )?
    };
}
pub(crate) use plain_handlers;
