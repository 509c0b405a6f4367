//! Parse errors: where, which element and attribute, and the rule broken.

use std::fmt;

/// The kind of rule a document broke.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// Not well-formed XML.
    Syntax,
    /// A `<!DOCTYPE>`: DTDs are refused.
    Doctype,
    /// An entity other than the predefined ones, or a malformed character reference.
    Entity,
    /// A character XML 1.0 forbids.
    ForbiddenCharacter,
    /// The root is missing or is not `Response`, or there is more than one.
    Root,
    /// An element LaML does not define (strict mode).
    UnknownElement,
    /// A LaML element where the format does not allow it (strict mode).
    MisplacedElement,
    /// An attribute the element does not have (strict mode).
    UnknownAttribute,
    /// An attribute value that breaks its rule (strict mode).
    InvalidValue,
    /// Text where only elements are allowed.
    UnexpectedText,
    /// The document is larger than [`ParseOptions::max_size`](crate::ParseOptions::max_size).
    TooLarge,
    /// Elements are nested deeper than [`ParseOptions::max_depth`](crate::ParseOptions::max_depth).
    TooDeep,
    /// An element has more attributes than [`ParseOptions::max_attributes`](crate::ParseOptions::max_attributes).
    TooManyAttributes,
}

/// Why a document could not be parsed: where, which element and attribute, and the rule.
///
/// The details are boxed: every parsing function returns a `Result` with this error, and a
/// pointer-sized error keeps those results small on the success path.
#[derive(Clone, PartialEq, Eq)]
pub struct ParseError(Box<Details>);

#[derive(Clone, PartialEq, Eq)]
struct Details {
    kind: ParseErrorKind,
    line: usize,
    column: usize,
    element: Option<String>,
    attribute: Option<String>,
    rule: String,
}

impl fmt::Debug for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.0;
        f.debug_struct("ParseError")
            .field("kind", &d.kind)
            .field("line", &d.line)
            .field("column", &d.column)
            .field("element", &d.element)
            .field("attribute", &d.attribute)
            .field("rule", &d.rule)
            .finish()
    }
}

impl ParseError {
    /// The line of the problem, from 1.
    pub fn line(&self) -> usize {
        self.0.line
    }

    /// The column of the problem, from 1, counted in characters.
    pub fn column(&self) -> usize {
        self.0.column
    }

    /// The kind of rule broken.
    pub fn kind(&self) -> ParseErrorKind {
        self.0.kind
    }

    /// The element concerned, if any.
    pub fn element(&self) -> Option<&str> {
        self.0.element.as_deref()
    }

    /// The attribute concerned, if any.
    pub fn attribute(&self) -> Option<&str> {
        self.0.attribute.as_deref()
    }

    /// The rule broken, in words.
    pub fn rule(&self) -> &str {
        &self.0.rule
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.0;
        write!(f, "line {}, column {}: ", d.line, d.column)?;
        if let Some(element) = &d.element {
            write!(f, "element `{element}`: ")?;
        }
        if let Some(attribute) = &d.attribute {
            write!(f, "attribute `{attribute}`: ")?;
        }
        f.write_str(&d.rule)
    }
}

impl std::error::Error for ParseError {}

impl ParseError {
    /// An error at byte offset `pos` of `src`.
    pub(super) fn at(
        src: &str,
        pos: usize,
        kind: ParseErrorKind,
        element: Option<&str>,
        attribute: Option<&str>,
        rule: String,
    ) -> Self {
        let (line, column) = line_column(src, pos);
        ParseError(Box::new(Details {
            kind,
            line,
            column,
            element: element.map(str::to_owned),
            attribute: attribute.map(str::to_owned),
            rule,
        }))
    }
}

/// Line and column (from 1; the column in characters) of byte offset `pos`.
fn line_column(src: &str, pos: usize) -> (usize, usize) {
    let mut end = pos.min(src.len());
    while !src.is_char_boundary(end) {
        end -= 1;
    }
    let before = &src[..end];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}
