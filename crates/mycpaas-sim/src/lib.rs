//! `mycpaas-sim`: see the workspace README for its place in the design.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
