//! An async client of the mycpaas Voice API, built on reqwest and tokio.
//!
//! Every request is built, every retry decided and every response parsed by `mycpaas-core`;
//! this crate moves the bytes, applies the timeouts, caps response bodies and sleeps (on tokio)
//! between the retries core asks for. `mycpaas-blocking` offers the same API, name for name,
//! without any async runtime.
//!
//! ```no_run
//! use futures::TryStreamExt;
//! use mycpaas_async::{CallEvent, Client, CreateCall, ListCalls};
//! use mycpaas_laml::{Response, Say};
//!
//! # async fn run() -> mycpaas_async::Result<()> {
//! let client = Client::from_env()?; // MYCPAAS_ACCOUNT_SID, MYCPAAS_AUTH_TOKEN, MYCPAAS_BASE_URL
//! let greeting = Response::new().say(Say::new("Hello from Rust"));
//! let call = client
//!     .calls()
//!     .create(
//!         CreateCall::new("+491234567890", "+491098765432")
//!             .twiml(&greeting)
//!             .status_callback("https://example.com/status")
//!             .status_callback_events([CallEvent::Initiated, CallEvent::Completed]),
//!     )
//!     .await?;
//! println!("created {}", call.sid);
//!
//! let all: Vec<_> = client.calls().stream(ListCalls::new(), Some(100)).try_collect().await?;
//! println!("{} calls", all.len());
//! # Ok(())
//! # }
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
mod reconcile;
mod send;
pub mod tls;
mod transport;
mod wait;

pub use client::{Client, ClientBuilder};
pub use generated::*;
pub use pages::{PageStream, stream_of};

pub use mycpaas_core::surface::*;
pub use mycpaas_core::webhook;
