//! `mycpaas-sim`: a local server of the mycpaas Voice API that runs calls.
//!
//! It answers the Calls API (create, fetch, update, delete, list) under
//! `/api/laml/2010-04-01` and `/2010-04-01`, runs each call on a simulated clock
//! (queued → initiated → ringing → in-progress → completed), fetches the call's LaML
//! from the customer's web app and executes it, and sends signed status callbacks. Voice
//! apps can so be built and tested offline; every SDK test talks to it.
//!
//! ```
//! use std::time::Duration;
//! use mycpaas_sim::{Simulator, GatherInput};
//! use mycpaas_sim::webapp::WebApp;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let sim = Simulator::builder().start_in_background()?;
//! let app = WebApp::builder()
//!     .document("/voice", r#"<Response><Say>Hello</Say><Hangup/></Response>"#)
//!     .start_in_background()?;
//!
//! // Any HTTP client (or the SDK) creates the call:
//! // POST {sim.base_url()}/api/laml/2010-04-01/Accounts/{sid}/Calls.json
//! //      To=+15551230000&From=+15559870000&Url={app.url("/voice")}
//! sim.script_input("+15551230000", GatherInput::digits("1"))?;
//! # Ok(())
//! # }
//! ```
//!
//! See `docs/simulator.md` for the magic numbers, scripting, timelines and faults.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod accounts;
mod api;
mod app_server;
mod audio;
mod background;
mod callee;
mod clock;
mod conference;
mod connections;
mod dates;
mod engine;
mod faults;
mod handle;
mod ids;
mod inbound;
mod input;
pub mod magic;
mod queue;
mod recording;
mod registry;
mod requests;
mod server;
mod simulator;
pub mod standalone;
mod state;
mod store;
mod timeline;
pub mod webapp;

pub use accounts::Account;
pub use clock::ClockIsPaced;
pub use dates::DateFormat;
pub use faults::{CallbackFault, Fault, FaultInjector, OVERSIZED_FAULT_BYTES};
pub use handle::SimHandle;
pub use inbound::CallInError;
pub use input::{GatherInput, InvalidDigits};
pub use requests::{REQUEST_LOG_LIMIT, SeenRequest};
pub use simulator::{
    DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_CONNECTIONS, DEFAULT_SPEED,
    MAX_SPEED, MIN_SPEED, Simulator, SimulatorBuilder,
};
pub use timeline::{SimEvent, Timeline, TimelineEntry, TimelineEvent};
