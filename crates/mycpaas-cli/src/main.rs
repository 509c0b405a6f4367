//! The `mycpaas` command line.
fn main() {}
