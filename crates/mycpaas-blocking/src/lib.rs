//! A blocking client of the mycpaas Voice API, built on ureq: no async runtime anywhere.
//!
//! Every request is built, every retry decided and every response parsed by `mycpaas-core`;
//! this crate moves the bytes, applies the timeouts, caps response bodies and sleeps between the
//! retries core asks for. `mycpaas-async` offers the same API, name for name, on tokio.
//!
//! ```no_run
//! use mycpaas_blocking::{CallEvent, Client, CreateCall, ListCalls};
//! use mycpaas_laml::{Response, Say};
//!
//! let client = Client::from_env()?; // MYCPAAS_ACCOUNT_SID, MYCPAAS_AUTH_TOKEN, MYCPAAS_BASE_URL
//! let greeting = Response::new().say(Say::new("Hello from Rust"));
//! let call = client.calls().create(
//!     CreateCall::new("+491234567890", "+491098765432")
//!         .twiml(&greeting)
//!         .status_callback("https://example.com/status")
//!         .status_callback_events([CallEvent::Initiated, CallEvent::Completed]),
//! )?;
//! println!("created {}", call.sid);
//!
//! for call in client.calls().iter(ListCalls::new(), Some(100)) {
//!     println!("{}", call?.sid);
//! }
//! # Ok::<(), mycpaas_blocking::Error>(())
//! ```
//!
//! Failures are one [`Error`] type, split by phase. A create that failed after it may have
//! reached the server is [`Error::MaybeCreated`] and is never retried: it could place a second
//! phone call. Each attempt emits a `tracing` event (target `mycpaas`) with the method, path,
//! status, attempt number and latency; credentials never appear in events, errors or `Debug`.
//!
//! Proxies are read from the standard `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY`
//! environment variables; a loopback base URL (the local simulator) is always reached directly.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod client;
mod generated;
mod media;
mod pages;
mod per_process;
mod reconcile;
mod resolver;
mod send;
mod sent_marker;
mod transport;
mod wait;

pub use client::{Client, ClientBuilder};
pub use generated::*;
pub use pages::Pages;

pub use mycpaas_core::surface::*;
pub use mycpaas_core::webhook;

/// The README's Rust example, compiled as a doctest so it stays true.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeExample;

/// The Rust examples of docs/resources.md, run as doctests against the simulator.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/resources.md")]
struct ResourcesExamples;
