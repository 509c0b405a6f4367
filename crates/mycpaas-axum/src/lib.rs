//! axum integration of the mycpaas Voice API SDK.
//!
//! - [`Webhook<T>`]: an extractor that checks the request's `X-Mycpaas-Signature` against the
//!   URL the platform signed and reads its form into `T` (a [`VoiceRequest`], [`StatusCallback`],
//!   [`GatherResult`], [`RecordResult`], [`DialResult`], or the raw [`FormParams`]). A request
//!   that is not signed gets 403 with no detail; a malformed form gets 400 naming the field.
//! - [`Laml`]: a LaML document as a response, `Content-Type: application/xml`.
//! - [`SignatureLayer`]: the same check as a tower layer, in front of any service.
//! - [`WebhookConfig`]: the auth token and how the signed URL is rebuilt ([`SignedUrl`]); the
//!   extractor takes it from the router's state (`FromRef`).
//!
//! The peer address, used to trust a proxy's forwarding headers, comes from axum's
//! `ConnectInfo<SocketAddr>` (serve with `into_make_service_with_connect_info`); without it no
//! proxy is trusted.
//!
//! [`VoiceRequest`]: mycpaas_core::webhook::VoiceRequest
//! [`StatusCallback`]: mycpaas_core::webhook::StatusCallback
//! [`GatherResult`]: mycpaas_core::webhook::GatherResult
//! [`RecordResult`]: mycpaas_core::webhook::RecordResult
//! [`DialResult`]: mycpaas_core::webhook::DialResult
//! [`SignedUrl`]: mycpaas_core::webhook::SignedUrl
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod config;
mod extract;
mod layer;
mod response;
mod verify;

pub use config::WebhookConfig;
pub use extract::{FormParams, Webhook, WebhookForm};
pub use layer::{SignatureLayer, SignatureService};
pub use response::Laml;

#[doc = include_str!("../README.md")]
#[cfg(doctest)]
struct ReadmeDoctests;
