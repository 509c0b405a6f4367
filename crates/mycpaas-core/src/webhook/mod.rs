//! Webhooks: the requests the platform sends to the customer's server.
//!
//! - [`compute_signature`] / [`validate_signature`] / [`SignatureValidator`]: the
//!   `X-Mycpaas-Signature` scheme (HMAC-SHA1 over the URL and the sorted form parameters, keyed
//!   with the auth token), including the `bodySHA256` mode for JSON bodies.
//! - [`SignedUrl`]: the URL the platform signed, rebuilt behind proxies, tunnels and load
//!   balancers (a configured public URL, or the forwarding headers of trusted proxies).
//! - [`Repeats`]: tells a retried status callback from a new one, for idempotent handlers.
//! - [`VoiceRequest`], [`StatusCallback`], [`GatherResult`], [`RecordResult`], [`DialResult`],
//!   [`RecordingStatusCallback`], [`TranscriptionCallback`], [`ConferenceStatusCallback`],
//!   [`QueueRequest`]: typed views of the form parameters,
//!   each keeping the parameters it does not know.

mod params;
mod repeats;
mod signature;
mod signed_url;

pub use params::{
    CallParams, ConferenceStatusCallback, DialResult, GatherResult, QueueRequest, RecordResult,
    RecordingStatusCallback, StatusCallback, TranscriptionCallback, VoiceRequest,
};
pub use repeats::{Repeats, SeenCallbacks, SeenStore, repeat_key};
pub use signature::{
    BODY_SHA256_PARAM, FormPair, SIGNATURE_HEADER, SignatureValidator, SigningKey, body_sha256,
    compute_signature, url_with_body_sha256, validate_body_signature, validate_signature,
};
pub use signed_url::{Received, SignedUrl};
