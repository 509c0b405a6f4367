//! Typed LaML voice documents: build, write, parse and validate.
//!
//! A LaML document is a `<Response>` holding verbs (`Say`, `Play`, `Gather`, `Dial`, ...)
//! that a call executes in order. This crate models every verb, noun, SSML element and
//! attribute as Rust types, writes them as deterministic XML, parses documents back (strictly,
//! or leniently keeping what it does not know) and checks the rules the format imposes.
//! It depends on quick-xml only.
//!
//! ```
//! use mycpaas_laml::{Gather, Response, Say, Voice};
//!
//! let doc = Response::new()
//!     .say(Say::new("Hello").voice(Voice::Alice).language("en-US"))
//!     .gather(Gather::new().num_digits(1).action("/menu").say("Press 1"))
//!     .hangup();
//! let xml = doc.to_xml();
//! let parsed = mycpaas_laml::parse(&xml)?;
//! assert_eq!(parsed, doc);
//! assert!(parsed.validate().is_empty());
//! # Ok::<(), mycpaas_laml::ParseError>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod attr;
mod macros;
mod model;
mod parse;
mod response;
mod unknown;
mod validate;
mod values;
mod write;
mod xml10;

pub use attr::ValueError;
pub use model::*;
pub use parse::{ParseError, ParseErrorKind, ParseOptions, parse};
pub use response::{Response, Verb};
pub use unknown::{UnknownAttribute, UnknownElement, UnknownNode};
pub use validate::{Diagnostic, Severity};
pub use values::*;
pub use write::WriteError;

/// The examples of the guide (`docs/laml.md`), compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/laml.md")]
struct GuideExamples;
