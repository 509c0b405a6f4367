//! Sans-IO core of the mycpaas Voice API SDK.
//!
//! Everything here is pure: operations turn typed parameters into an `http::Request<Vec<u8>>`
//! and an `http::Response<Vec<u8>>` into a typed result or a typed [`Error`]. There is no
//! socket, no runtime and no clock (time is passed in), so the same core serves the blocking
//! client, the async client, the Python binding and the simulator.
//!
//! | module | job |
//! |---|---|
//! | [`config`] | base URL, credentials, timeouts, retry policy, user agent |
//! | [`client_builder`] | the settings of a transport's client, one builder for all |
//! | [`types`] | endpoints, SIDs, wire enums |
//! | [`generated`] | what `api/openapi.yaml` says: enums, models, operations' parameters and rules |
//! | [`ops`] | what every operation shares: the `Operation` trait, requests, responses, rules |
//! | [`model`] | the `Call` and page JSON |
//! | [`paginate`] | walking list pages |
//! | [`retry`] | whether and when to retry |
//! | [`exchange`] | one request through its attempts: the retry loop without the I/O |
//! | [`webhook`] | signatures and typed webhook parameters |
//! | [`paths`] | the URL paths |
//!
//! ```
//! use mycpaas_core::{Config, CreateCall, Operation};
//!
//! let config = Config::builder("AC123", "token").build()?;
//! let create = CreateCall::new("+491234567890", "+491098765432").url("https://example.com/voice.xml");
//! let request = create.build_request(&config)?;        // a transport sends this ...
//! assert_eq!(request.method(), http::Method::POST);
//! let response = http::Response::builder()            // ... and hands back the answer
//!     .status(201)
//!     .body(br#"{"sid": "CA1", "status": "queued"}"#.to_vec())?;
//! let call = create.parse_response(response)?;
//! assert_eq!(call.sid, "CA1");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod client_builder;
pub mod config;
pub mod error;
pub mod exchange;
pub mod generated;
pub mod media;
pub mod model;
pub mod ops;
pub mod paginate;
pub mod paths;
pub mod proxy;
pub mod retry;
pub mod settings;
pub mod types;
pub mod webhook;

pub use client_builder::{ClientBuilder, FromSettings};
pub use config::{AuthToken, Config, ConfigBuilder, RetryPolicy};
pub use error::{ApiError, Error, Result, TransportErrorKind};
pub use generated::enums::*;
pub use generated::models::*;
pub use generated::operations::*;
pub use model::{FieldProblem, Identified};
pub use ops::{Operation, SendPhase, TransportFailure};
pub use paginate::Paginator;
pub use settings::Settings;
pub use types::Endpoint;

/// What both client crates re-export (`pub use mycpaas_core::surface::*`): the same names, from
/// one list, in `mycpaas_blocking` and `mycpaas_async`.
pub mod surface {
    pub use crate::exchange::{
        CLIENT_REQUEST_ID_HEADER, CarriesResponse, REQUEST_ID_HEADER, ResponseInfo, ResponseSlot,
    };
    pub use crate::generated::enums::*;
    pub use crate::generated::models::*;
    pub use crate::generated::operations::*;
    pub use crate::media::{AudioFormat, Downloaded};
    pub use crate::model;
    pub use crate::ops::wait::Until;
    pub use crate::retry::{RandomSource, RetryPolicy};
    pub use crate::webhook;
    pub use crate::{ApiError, AuthToken, Config, Error, Operation, Result};
}
