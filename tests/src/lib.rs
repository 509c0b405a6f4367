//! Shared helpers of the cross-crate test suites in `tests/tests/`.
//!
//! | module | job |
//! |---|---|
//! | [`corpus`] | the bad-input corpus of `tests/data/`: loading it and turning a case into an operation |
//! | [`ledger`] | the calls that exist after a fault run, and the rules every create outcome must meet |
//! | [`hostile`] | a raw TCP server that misbehaves on purpose (drips, truncates, floods, redirects) |
//! | [`raw_http`] | a raw HTTP/1.1 client for requests no well-behaved client would send |
//! | [`rules`] | one case per rule of `api/openapi.yaml` (generated), for the suite that breaks each on both sides of the wire |
//! | [`capture`] | a `tracing` subscriber whose output the secrets tests read back |
//! | [`fixtures`] | simulators and both clients, set up the way every suite needs them |
//! | [`scenarios`] | the Calls scenarios both clients pass, one `#[test]` each through [`client_scenarios!`] |
//! | [`tls`] | the server side of TLS tests: a configuration for a fixture certificate |
//! | [`mod@bench`] | the rounds and the printed figures of the client comparison benchmarks |
//! | [`memory`] | the process's peak resident memory, to show a flood was not buffered |
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod bench;
pub mod capture;
pub mod child;
pub mod corpus;
pub mod fixtures;
pub mod hostile;
pub mod layers;
pub mod ledger;
pub mod memory;
pub mod raw_http;
pub mod rules;
pub mod scenarios;
pub mod tls;
pub mod wait;

/// The value of the first `(name, value)` pair named `name`: a header of a request or answer
/// read off the wire.
fn first_value<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}
