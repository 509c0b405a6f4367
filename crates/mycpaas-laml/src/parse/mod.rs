//! The parser: quick-xml's reader, with the rules of XML 1.0 it leaves to its caller checked
//! on what it hands over (`events.rs`), feeding element code that builds the typed model
//! directly, without an intermediate tree.
//!
//! Safe by default: DOCTYPE (and so any DTD or custom entity) is refused, only the five
//! predefined entities and character references are resolved, and nesting depth, document
//! size and attribute count are capped. Strict mode (the default) refuses elements and
//! attributes LaML does not define; lenient mode keeps them (as [`UnknownElement`] and
//! [`UnknownAttribute`](crate::UnknownAttribute)) so a document from a newer provider is
//! written back unchanged. Both modes refuse what is not well-formed XML 1.0.
//!
//! Whitespace-only text between elements is ignored. The text of `Play`, `Redirect`,
//! `Enqueue`, the `Dial` nouns, `Dial`'s bare number, `Room` and `Refer`'s `Sip` is trimmed
//! (it is a URL, number or name); `Say`, SSML and `Sms` text is kept exactly.

mod declaration;
mod elements;
mod error;
mod events;
mod reader;

use std::str::FromStr;

pub use error::{ParseError, ParseErrorKind};
use reader::Parser;

use crate::Response;

/// Parser settings: strict or lenient, and the safety caps.
///
/// ```
/// use mycpaas_laml::{ParseOptions, Verb};
/// let xml = r#"<Response><Say>Hi</Say><Beep loud="yes"/></Response>"#;
/// assert!(mycpaas_laml::parse(xml).is_err());
/// let doc = ParseOptions::default().lenient(true).parse(xml).unwrap();
/// assert!(matches!(doc.verbs()[1], Verb::Unknown(_)));
/// assert!(doc.to_xml().ends_with(r#"<Beep loud="yes"/></Response>"#));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ParseOptions {
    /// Keep unknown elements and attributes instead of refusing them.
    pub lenient: bool,
    /// Deepest element nesting accepted (the root is at depth 1).
    pub max_depth: usize,
    /// Largest document accepted, in bytes.
    pub max_size: usize,
    /// Most attributes accepted on one element.
    pub max_attributes: usize,
}

impl Default for ParseOptions {
    /// Strict; depth 32, 1 MiB, 64 attributes per element.
    fn default() -> Self {
        ParseOptions {
            lenient: false,
            max_depth: 32,
            max_size: 1 << 20,
            max_attributes: 64,
        }
    }
}

/// Builder setters that replace one field each: `field(argument: Type)`, with its doc comment.
macro_rules! setters {
    ($( $(#[$doc:meta])* $field:ident($arg:ident: $ty:ty); )*) => {$(
        $(#[$doc])*
        pub fn $field(mut self, $arg: $ty) -> Self {
            self.$field = $arg;
            self
        }
    )*};
}

impl ParseOptions {
    setters! {
        /// Keeps unknown elements and attributes (and values it cannot read) instead of refusing
        /// them.
        lenient(lenient: bool);
        /// Sets the deepest element nesting accepted (the root is at depth 1).
        max_depth(depth: usize);
        /// Sets the largest document accepted, in bytes.
        max_size(bytes: usize);
        /// Sets the most attributes accepted on one element.
        max_attributes(count: usize);
    }

    /// Parses a document with these settings.
    pub fn parse(&self, xml: &str) -> Result<Response, ParseError> {
        if xml.len() > self.max_size {
            return Err(ParseError::at(
                xml,
                0,
                ParseErrorKind::TooLarge,
                None,
                None,
                format!(
                    "the document is {} bytes, more than the {} allowed",
                    xml.len(),
                    self.max_size
                ),
            ));
        }
        let mut parser = Parser::new(xml, self);
        parser.document()
    }
}

/// Parses a document strictly, with the default caps.
///
/// ```
/// let doc = mycpaas_laml::parse(
///     r#"<?xml version="1.0" encoding="UTF-8"?><Response><Play loop="2">https://example.com/a.mp3</Play></Response>"#,
/// )?;
/// assert_eq!(doc.verbs().len(), 1);
///
/// let err = mycpaas_laml::parse("<Response>\n  <Pause length=\"soon\"/></Response>").unwrap_err();
/// assert_eq!((err.line(), err.column()), (2, 10));
/// assert_eq!(err.element(), Some("Pause"));
/// assert_eq!(err.attribute(), Some("length"));
/// # Ok::<(), mycpaas_laml::ParseError>(())
/// ```
pub fn parse(xml: &str) -> Result<Response, ParseError> {
    ParseOptions::default().parse(xml)
}

impl FromStr for Response {
    type Err = ParseError;

    /// Parses strictly, as [`parse`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse(s)
    }
}
