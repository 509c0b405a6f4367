//! What a create's answer proves. A create that may have reached the server is never reported as
//! "nothing happened": the resource may exist, and a caller who creates again on that word would
//! place a second call.

use http::Response;
use serde::de::DeserializeOwned;

use super::{SendPhase, TransportFailure, response};
use crate::error::{Error, Result};

/// The answer to a create: the created resource, an API error, or [`Error::MaybeCreated`] when
/// the server accepted the create (2xx) but its answer could not be read.
pub fn created<T: DeserializeOwned>(response: &Response<Vec<u8>>) -> Result<T> {
    response::json(response).map_err(unreadable_answer_may_have_created)
}

/// A create's transport failure: after the request may have been sent, [`Error::MaybeCreated`].
pub fn create_failed(failure: TransportFailure) -> Error {
    match failure.phase {
        SendPhase::MaybeSent => Error::MaybeCreated {
            message: failure.message,
        },
        SendPhase::NotSent => failure.into_error(),
    }
}

/// Turns an [`Error::Decode`] of a create's success answer into [`Error::MaybeCreated`].
///
/// `Decode` says nothing was sent (`may_have_been_sent()` is false), and a caller who creates
/// again on that would place a second call. Every other error passes through unchanged.
fn unreadable_answer_may_have_created(error: Error) -> Error {
    match error {
        Error::Decode {
            status,
            message,
            body_excerpt,
        } => Error::MaybeCreated {
            message: format!(
                "the server accepted the create (HTTP {status}) but its answer could not be read \
                 ({message}); body starts with: {body_excerpt:?}"
            ),
        },
        other => other,
    }
}
