//! The `mycpaas` binary, run as a user would, against simulators started in this process.

mod calls;
mod demo;
mod flags;
mod hostile;
mod laml;
mod outcomes;
mod packaging;
mod resources;
mod rules;
mod sim;
mod support;
mod usage;
mod webhook;
