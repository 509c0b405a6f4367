//! The parser (being written).

use std::fmt;
use std::str::FromStr;

use crate::Response;

/// What kind of rule a document broke.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// Not well-formed XML.
    Syntax,
}

/// Why a document could not be parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    kind: ParseErrorKind,
    line: usize,
    column: usize,
    element: Option<String>,
    attribute: Option<String>,
    rule: String,
}

impl ParseError {
    /// The line (from 1).
    pub fn line(&self) -> usize {
        self.line
    }
    /// The column (from 1, in characters).
    pub fn column(&self) -> usize {
        self.column
    }
    /// The kind of rule broken.
    pub fn kind(&self) -> ParseErrorKind {
        self.kind
    }
    /// The element concerned.
    pub fn element(&self) -> Option<&str> {
        self.element.as_deref()
    }
    /// The attribute concerned.
    pub fn attribute(&self) -> Option<&str> {
        self.attribute.as_deref()
    }
    /// The rule broken.
    pub fn rule(&self) -> &str {
        &self.rule
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.rule
        )
    }
}

impl std::error::Error for ParseError {}

/// Parser settings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParseOptions {
    lenient: bool,
}

impl ParseOptions {
    /// Keep unknown elements and attributes.
    pub fn lenient(mut self, lenient: bool) -> Self {
        self.lenient = lenient;
        self
    }

    /// Parses a document.
    pub fn parse(&self, _xml: &str) -> Result<Response, ParseError> {
        Err(ParseError {
            kind: ParseErrorKind::Syntax,
            line: 1,
            column: 1,
            element: None,
            attribute: None,
            rule: "parser not written yet".into(),
        })
    }
}

/// Parses a document strictly.
pub fn parse(xml: &str) -> Result<Response, ParseError> {
    ParseOptions::default().parse(xml)
}

impl FromStr for Response {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse(s)
    }
}
