//! The parser: a quick-xml event loop that builds the typed model directly, without an
//! intermediate tree.
//!
//! Safe by default: DOCTYPE (and so any DTD or custom entity) is refused, only the five
//! predefined entities and character references are resolved, and nesting depth, document
//! size and attribute count are capped. Strict mode (the default) refuses elements and
//! attributes LaML does not define; lenient mode keeps them (as [`UnknownElement`] and
//! [`UnknownAttribute`](crate::UnknownAttribute)) so a document from a newer provider is
//! written back unchanged.
//!
//! Whitespace-only text between elements is ignored. The text of `Play`, `Redirect`,
//! `Enqueue`, the `Dial` nouns, `Dial`'s bare number, `Room` and `Refer`'s `Sip` is trimmed
//! (it is a URL, number or name); `Say`, SSML and `Sms` text is kept exactly.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;
use std::str::FromStr;

use quick_xml::XmlVersion;
use quick_xml::escape::resolve_xml_entity;
use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::QName;
use quick_xml::reader::Reader;

use crate::attr::{AttrOutcome, Attributes};
use crate::attr_scan::AttrScanner;
use crate::model::{
    Break, Conference, Connect, ConnectChild, Dial, DialNoun, Emphasis, Enqueue, Gather,
    GatherChild, Lang, Number, Paragraph, Parameter, Phoneme, Play, Prosody, Queue, Redirect,
    Refer, ReferSip, Room, Say, SayAs, Sentence, Sip, Sms, SsmlNode, Start, Stop, Stream, Sub,
    Word, push_node, ssml_allows,
};
use crate::write::xml_allows;
use crate::{Response, UnknownAttribute, UnknownElement, UnknownNode, Verb};

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
    /// The document is larger than [`ParseOptions::max_size`].
    TooLarge,
    /// Elements are nested deeper than [`ParseOptions::max_depth`].
    TooDeep,
    /// An element has more attributes than [`ParseOptions::max_attributes`].
    TooManyAttributes,
}

/// Why a document could not be parsed: where, which element and attribute, and the rule.
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
    /// The line of the problem, from 1.
    pub fn line(&self) -> usize {
        self.line
    }

    /// The column of the problem, from 1, counted in characters.
    pub fn column(&self) -> usize {
        self.column
    }

    /// The kind of rule broken.
    pub fn kind(&self) -> ParseErrorKind {
        self.kind
    }

    /// The element concerned, if any.
    pub fn element(&self) -> Option<&str> {
        self.element.as_deref()
    }

    /// The attribute concerned, if any.
    pub fn attribute(&self) -> Option<&str> {
        self.attribute.as_deref()
    }

    /// The rule broken, in words.
    pub fn rule(&self) -> &str {
        &self.rule
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}: ", self.line, self.column)?;
        if let Some(element) = &self.element {
            write!(f, "element `{element}`: ")?;
        }
        if let Some(attribute) = &self.attribute {
            write!(f, "attribute `{attribute}`: ")?;
        }
        f.write_str(&self.rule)
    }
}

impl std::error::Error for ParseError {}

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

impl ParseOptions {
    /// Keeps unknown elements and attributes (and values it cannot read) instead of refusing
    /// them.
    pub fn lenient(mut self, lenient: bool) -> Self {
        self.lenient = lenient;
        self
    }

    /// Sets the deepest element nesting accepted (the root is at depth 1).
    pub fn max_depth(mut self, depth: usize) -> Self {
        self.max_depth = depth;
        self
    }

    /// Sets the largest document accepted, in bytes.
    pub fn max_size(mut self, bytes: usize) -> Self {
        self.max_size = bytes;
        self
    }

    /// Sets the most attributes accepted on one element.
    pub fn max_attributes(mut self, count: usize) -> Self {
        self.max_attributes = count;
        self
    }

    /// Parses a document with these settings.
    pub fn parse(&self, xml: &str) -> Result<Response, ParseError> {
        let mut parser = Parser {
            src: xml,
            reader: Reader::from_str(xml),
            options: self,
            depth: 0,
            started: false,
        };
        if xml.len() > self.max_size {
            return Err(parser.error(
                ParseErrorKind::TooLarge,
                0,
                None,
                None,
                format!(
                    "the document is {} bytes, more than the {} allowed",
                    xml.len(),
                    self.max_size
                ),
            ));
        }
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

/// Every element name LaML defines, to tell a misplaced element from an unknown one.
const KNOWN_ELEMENTS: &[&str] = &[
    "Response",
    "Say",
    "Play",
    "Pause",
    "Gather",
    "Dial",
    "Record",
    "Hangup",
    "Redirect",
    "Reject",
    "Enqueue",
    "Leave",
    "Sms",
    "Refer",
    "Echo",
    "Connect",
    "Start",
    "Stop",
    "Number",
    "Sip",
    "Conference",
    "Queue",
    "Stream",
    "Parameter",
    "Room",
    "break",
    "emphasis",
    "lang",
    "p",
    "phoneme",
    "prosody",
    "s",
    "say-as",
    "sub",
    "w",
];

const VERBS: &str = "Say, Play, Pause, Gather, Dial, Record, Hangup, Redirect, Reject, Enqueue, Leave, Sms, Refer, Echo, Connect, Start, Stop";

/// What the event layer hands to the element code.
enum Node<'a> {
    /// A start tag (`empty` for `<x/>`), at byte offset `pos`.
    Open {
        start: BytesStart<'a>,
        empty: bool,
        pos: usize,
    },
    /// A piece of text (entities resolved, line ends normalized).
    Text(Cow<'a, str>, usize),
    /// An end tag.
    Close,
    /// The end of the input.
    Eof(usize),
}

struct Parser<'a> {
    src: &'a str,
    reader: Reader<&'a [u8]>,
    options: &'a ParseOptions,
    depth: usize,
    /// Something other than the XML declaration was seen.
    started: bool,
}

fn offset(position: u64) -> usize {
    usize::try_from(position).unwrap_or(usize::MAX)
}

impl<'a> Parser<'a> {
    fn error(
        &self,
        kind: ParseErrorKind,
        pos: usize,
        element: Option<&str>,
        attribute: Option<&str>,
        rule: impl Into<String>,
    ) -> ParseError {
        let (line, column) = line_column(self.src, pos);
        ParseError {
            kind,
            line,
            column,
            element: element.map(str::to_owned),
            attribute: attribute.map(str::to_owned),
            rule: rule.into(),
        }
    }

    /// Byte offset of `part` in the source, if it borrows from it.
    fn offset_of(&self, part: &str) -> Option<usize> {
        let start = self.src.as_ptr() as usize;
        let at = part.as_ptr() as usize;
        (at >= start && at <= start + self.src.len()).then(|| at - start)
    }

    fn check_chars(
        &self,
        text: &str,
        pos: usize,
        element: Option<&str>,
        attribute: Option<&str>,
    ) -> Result<(), ParseError> {
        if is_plain_text(text) {
            return Ok(());
        }
        match text.chars().find(|c| !xml_allows(*c)) {
            None => Ok(()),
            Some(c) => Err(self.error(
                ParseErrorKind::ForbiddenCharacter,
                pos,
                element,
                attribute,
                format!("character U+{:04X} is not allowed in XML 1.0", u32::from(c)),
            )),
        }
    }

    /// The next node, with comments and processing instructions skipped.
    fn next(&mut self) -> Result<Node<'a>, ParseError> {
        loop {
            let pos = offset(self.reader.buffer_position());
            let event = match self.reader.read_event() {
                Ok(event) => event,
                Err(err) => {
                    let at = offset(self.reader.error_position());
                    return Err(self.error(
                        ParseErrorKind::Syntax,
                        at,
                        None,
                        None,
                        err.to_string(),
                    ));
                }
            };
            if !matches!(event, Event::Decl(_)) {
                self.started = true;
            }
            match event {
                Event::Start(start) => {
                    self.depth += 1;
                    self.check_depth(&start, pos)?;
                    return Ok(Node::Open {
                        start,
                        empty: false,
                        pos,
                    });
                }
                Event::Empty(start) => {
                    self.depth += 1;
                    self.check_depth(&start, pos)?;
                    self.depth -= 1;
                    return Ok(Node::Open {
                        start,
                        empty: true,
                        pos,
                    });
                }
                Event::End(_) => {
                    self.depth = self.depth.saturating_sub(1);
                    return Ok(Node::Close);
                }
                Event::Text(text) => {
                    if is_plain_text(&text) {
                        // Nothing to check or normalize: hand the source text over as is.
                        return Ok(Node::Text(text.into_inner(), pos));
                    }
                    self.check_chars(&text, pos, None, None)?;
                    return Ok(Node::Text(text.xml10_content(), pos));
                }
                Event::CData(text) => {
                    self.check_chars(&text, pos, None, None)?;
                    return Ok(Node::Text(text.xml10_content(), pos));
                }
                Event::GeneralRef(reference) => {
                    return self.reference(&reference, pos).map(|t| Node::Text(t, pos));
                }
                Event::DocType(_) => {
                    return Err(self.error(
                        ParseErrorKind::Doctype,
                        pos,
                        None,
                        None,
                        "DOCTYPE declarations (DTDs) are not allowed",
                    ));
                }
                Event::Decl(decl) => {
                    if self.started {
                        return Err(self.error(
                            ParseErrorKind::Syntax,
                            pos,
                            None,
                            None,
                            "the XML declaration must come first",
                        ));
                    }
                    self.started = true;
                    if !matches!(decl.version().as_deref(), Ok("1.0")) {
                        return Err(self.error(
                            ParseErrorKind::Syntax,
                            pos,
                            None,
                            None,
                            "only XML version 1.0 is supported",
                        ));
                    }
                }
                Event::Comment(_) | Event::PI(_) => {}
                Event::Eof => return Ok(Node::Eof(pos)),
            }
        }
    }

    fn check_depth(&self, start: &BytesStart<'_>, pos: usize) -> Result<(), ParseError> {
        if self.depth > self.options.max_depth {
            return Err(self.error(
                ParseErrorKind::TooDeep,
                pos,
                Some(start.name().as_ref()),
                None,
                format!(
                    "elements are nested deeper than the {} levels allowed",
                    self.options.max_depth
                ),
            ));
        }
        Ok(())
    }

    /// Resolves `&name;`: only the predefined entities and character references.
    fn reference(
        &self,
        reference: &quick_xml::events::BytesRef<'a>,
        pos: usize,
    ) -> Result<Cow<'a, str>, ParseError> {
        let name: &str = reference;
        if reference.is_char_ref() {
            let Ok(Some(c)) = reference.resolve_char_ref() else {
                return Err(self.error(
                    ParseErrorKind::Entity,
                    pos,
                    None,
                    None,
                    format!("`&{name};` is not a valid character reference"),
                ));
            };
            if !xml_allows(c) {
                return Err(self.error(
                    ParseErrorKind::ForbiddenCharacter,
                    pos,
                    None,
                    None,
                    format!(
                        "`&{name};` refers to U+{:04X}, which XML 1.0 does not allow",
                        u32::from(c)
                    ),
                ));
            }
            return Ok(Cow::Owned(c.to_string()));
        }
        match resolve_xml_entity(name) {
            Some(text) => Ok(Cow::Borrowed(text)),
            None => Err(self.error(
                ParseErrorKind::Entity,
                pos,
                None,
                None,
                format!(
                    "unknown entity `&{name};`: only &lt; &gt; &amp; &apos; &quot; and character references are allowed"
                ),
            )),
        }
    }

    fn document(&mut self) -> Result<Response, ParseError> {
        let response = loop {
            match self.next()? {
                Node::Text(text, pos) => self.whitespace_only(&text, pos, None)?,
                Node::Open { start, empty, pos } => {
                    let name = start.name();
                    if name.as_ref() != Response::ELEMENT_NAME {
                        return Err(self.error(
                            ParseErrorKind::Root,
                            pos,
                            Some(name.as_ref()),
                            None,
                            "the root element must be `Response` (names are case-sensitive)",
                        ));
                    }
                    break self.response(&start, empty, pos)?;
                }
                Node::Close => {
                    return Err(self.error(
                        ParseErrorKind::Syntax,
                        0,
                        None,
                        None,
                        "end tag without start tag",
                    ));
                }
                Node::Eof(pos) => {
                    return Err(self.error(
                        ParseErrorKind::Root,
                        pos,
                        None,
                        None,
                        "no root element: a document is one `<Response>`",
                    ));
                }
            }
        };
        loop {
            match self.next()? {
                Node::Text(text, pos) => self.whitespace_only(&text, pos, None)?,
                Node::Eof(_) => return Ok(response),
                Node::Open { start, pos, .. } => {
                    return Err(self.error(
                        ParseErrorKind::Root,
                        pos,
                        Some(start.name().as_ref()),
                        None,
                        "only one root element is allowed, after `</Response>` comes nothing",
                    ));
                }
                Node::Close => {
                    return Err(self.error(
                        ParseErrorKind::Syntax,
                        0,
                        None,
                        None,
                        "end tag without start tag",
                    ));
                }
            }
        }
    }

    fn whitespace_only(
        &self,
        text: &str,
        pos: usize,
        element: Option<&str>,
    ) -> Result<(), ParseError> {
        if text.bytes().all(|b| b.is_ascii_whitespace()) {
            return Ok(());
        }
        let rule = match element {
            Some(element) => format!("text is not allowed directly inside `{element}`"),
            None => "text is not allowed outside the root element".to_owned(),
        };
        Err(self.error(ParseErrorKind::UnexpectedText, pos, element, None, rule))
    }

    /// Reads the attributes of `start` into `element`.
    fn attributes<E: Attributes>(
        &self,
        start: &BytesStart<'a>,
        pos: usize,
        element: &mut E,
    ) -> Result<(), ParseError> {
        let element_name = start.name();
        let element_name: &str = element_name.as_ref();
        let raw = start.attributes_raw();
        let raw_at = self.offset_of(raw).unwrap_or(pos);
        // Duplicates of known attributes are caught as fields are set, and of kept ones by a
        // search of the kept list; past a few dozen attributes a set keeps that linear.
        let mut seen: Option<HashSet<&str>> = (raw.len() > 512).then(HashSet::new);
        let mut count = 0;
        for attribute in AttrScanner::new(raw) {
            let attribute = attribute.map_err(|err| {
                self.error(
                    ParseErrorKind::Syntax,
                    raw_at + err.at,
                    Some(element_name),
                    None,
                    err.rule,
                )
            })?;
            count += 1;
            let key = attribute.name;
            let at = raw_at + attribute.name_at;
            if count > self.options.max_attributes {
                return Err(self.error(
                    ParseErrorKind::TooManyAttributes,
                    at,
                    Some(element_name),
                    Some(key),
                    format!(
                        "more than the {} attributes allowed on one element",
                        self.options.max_attributes
                    ),
                ));
            }
            let value = if is_plain(attribute.value) {
                // No reference, whitespace to normalize or character to check.
                Cow::Borrowed(attribute.value)
            } else {
                let value = Attribute {
                    key: QName(key),
                    value: Cow::Borrowed(attribute.value),
                }
                .normalized_value_with(XmlVersion::Implicit1_0, 1, resolve_xml_entity)
                .map_err(|err| {
                    self.error(
                        ParseErrorKind::Entity,
                        at,
                        Some(element_name),
                        Some(key),
                        format!(
                            "{err} (only &lt; &gt; &amp; &apos; &quot; and character references are allowed)"
                        ),
                    )
                })?;
                self.check_chars(&value, at, Some(element_name), Some(key))?;
                value
            };
            let kept_already = match &mut seen {
                Some(seen) => !seen.insert(key),
                None => element.unknown_attributes().iter().any(|a| a.name == key),
            };
            let outcome = if kept_already {
                AttrOutcome::Duplicate
            } else {
                element.set_attribute(key, &value)
            };
            match outcome {
                AttrOutcome::Known => {}
                AttrOutcome::Duplicate => {
                    return Err(self.error(
                        ParseErrorKind::Syntax,
                        at,
                        Some(element_name),
                        Some(key),
                        format!("attribute `{key}` appears more than once"),
                    ));
                }
                AttrOutcome::Unknown if !self.options.lenient => {
                    let allowed = if E::NAMES.is_empty() {
                        "none".to_owned()
                    } else {
                        E::NAMES.join(", ")
                    };
                    return Err(self.error(
                        ParseErrorKind::UnknownAttribute,
                        at,
                        Some(element_name),
                        Some(key),
                        format!("`{element_name}` has no attribute `{key}` (allowed: {allowed})"),
                    ));
                }
                AttrOutcome::Invalid(rule) if !self.options.lenient => {
                    return Err(self.error(
                        ParseErrorKind::InvalidValue,
                        at,
                        Some(element_name),
                        Some(key),
                        rule.rule(),
                    ));
                }
                AttrOutcome::Unknown | AttrOutcome::Invalid(_) => element
                    .unknown_attributes_mut()
                    .push(UnknownAttribute::new(key, value.into_owned())),
            }
        }
        // Kept attributes are written sorted; sort them now so a round trip is equal.
        element
            .unknown_attributes_mut()
            .sort_by(|a, b| a.name.cmp(&b.name));
        Ok(())
    }

    /// The text content of an element that holds text only.
    fn text_content(&mut self, name: &str, empty: bool) -> Result<String, ParseError> {
        Ok(self.raw_text_content(name, empty)?.into_owned())
    }

    /// Trimmed text content, for URLs, numbers and names.
    fn trimmed_content(&mut self, name: &str, empty: bool) -> Result<String, ParseError> {
        Ok(match self.raw_text_content(name, empty)? {
            Cow::Borrowed(text) => text.trim().to_owned(),
            Cow::Owned(text) if text.trim().len() == text.len() => text,
            Cow::Owned(text) => text.trim().to_owned(),
        })
    }

    /// The text content, borrowed from the source when it is one plain piece (the usual case).
    fn raw_text_content(&mut self, name: &str, empty: bool) -> Result<Cow<'a, str>, ParseError> {
        let mut out = Cow::Borrowed("");
        if empty {
            return Ok(out);
        }
        loop {
            match self.next()? {
                Node::Text(text, _) => {
                    if out.is_empty() {
                        out = text;
                    } else {
                        out.to_mut().push_str(&text);
                    }
                }
                Node::Close => return Ok(out),
                Node::Open { start, pos, .. } => {
                    return Err(self.error(
                        ParseErrorKind::MisplacedElement,
                        pos,
                        Some(start.name().as_ref()),
                        None,
                        format!("`{name}` holds text only, not elements"),
                    ));
                }
                Node::Eof(pos) => return Err(self.unclosed(name, pos)),
            }
        }
    }

    fn unclosed(&self, name: &str, pos: usize) -> ParseError {
        self.error(
            ParseErrorKind::Syntax,
            pos,
            Some(name),
            None,
            format!("the document ends inside `{name}`"),
        )
    }

    /// The children of an element that holds elements (text: only whitespace, or for `Dial`
    /// collected into `text`). `child` is called for each child start tag.
    fn element_children(
        &mut self,
        name: &str,
        empty: bool,
        mut text: Option<&mut String>,
        mut child: impl FnMut(&mut Self, BytesStart<'a>, bool, usize) -> Result<(), ParseError>,
    ) -> Result<(), ParseError> {
        if empty {
            return Ok(());
        }
        loop {
            match self.next()? {
                Node::Text(t, pos) => match text.as_deref_mut() {
                    Some(out) => out.push_str(&t),
                    None => self.whitespace_only(&t, pos, Some(name))?,
                },
                Node::Open { start, empty, pos } => child(self, start, empty, pos)?,
                Node::Close => return Ok(()),
                Node::Eof(pos) => return Err(self.unclosed(name, pos)),
            }
        }
    }

    /// An element not allowed where it is: an error in strict mode, kept in lenient mode.
    fn foreign(
        &mut self,
        parent: &str,
        allowed: &str,
        start: &BytesStart<'a>,
        empty: bool,
        pos: usize,
    ) -> Result<UnknownElement, ParseError> {
        if self.options.lenient {
            return self.unknown(start, empty, pos);
        }
        let name = start.name();
        let name: &str = name.as_ref();
        let (kind, rule) = if KNOWN_ELEMENTS.contains(&name) {
            (
                ParseErrorKind::MisplacedElement,
                format!("`{name}` is not allowed inside `{parent}` (allowed: {allowed})"),
            )
        } else {
            (
                ParseErrorKind::UnknownElement,
                format!(
                    "`{name}` is not a LaML element (allowed inside `{parent}`: {allowed}; names are case-sensitive)"
                ),
            )
        };
        Err(self.error(kind, pos, Some(name), None, rule))
    }

    /// Any element, kept as a generic tree (lenient mode).
    fn unknown(
        &mut self,
        start: &BytesStart<'a>,
        empty: bool,
        pos: usize,
    ) -> Result<UnknownElement, ParseError> {
        let name = start.name();
        let name: &str = name.as_ref();
        let mut element = UnknownElement::new(name);
        let mut holder = UnknownAttributes(Vec::new());
        self.attributes(start, pos, &mut holder)?;
        element.attributes = holder.0;
        if empty {
            return Ok(element);
        }
        loop {
            match self.next()? {
                Node::Text(text, _) => {
                    if text.is_empty() {
                        continue;
                    }
                    if let Some(UnknownNode::Text(last)) = element.children.last_mut() {
                        last.push_str(&text);
                    } else {
                        element.children.push(UnknownNode::Text(text.into_owned()));
                    }
                }
                Node::Open { start, empty, pos } => {
                    let child = self.unknown(&start, empty, pos)?;
                    element.children.push(UnknownNode::Element(child));
                }
                Node::Close => return Ok(element),
                Node::Eof(pos) => return Err(self.unclosed(name, pos)),
            }
        }
    }

    fn response(
        &mut self,
        start: &BytesStart<'a>,
        empty: bool,
        pos: usize,
    ) -> Result<Response, ParseError> {
        let mut response = Response::new();
        self.attributes(start, pos, &mut response)?;
        // Verbs are large; one allocation for a typical document instead of regrowing.
        let mut verbs = Vec::with_capacity(if empty { 0 } else { 8 });
        self.element_children(
            Response::ELEMENT_NAME,
            empty,
            None,
            |p, start, empty, pos| {
                verbs.push(p.verb(&start, empty, pos)?);
                Ok(())
            },
        )?;
        response.verbs = verbs;
        Ok(response)
    }

    fn verb(
        &mut self,
        start: &BytesStart<'a>,
        empty: bool,
        pos: usize,
    ) -> Result<Verb, ParseError> {
        Ok(match start.name().as_ref() {
            "Say" => Verb::Say(self.say(start, empty, pos)?),
            "Play" => Verb::Play(self.play(start, empty, pos)?),
            "Pause" => Verb::Pause(self.leaf(start, empty, pos)?),
            "Gather" => Verb::Gather(self.gather(start, empty, pos)?),
            "Dial" => Verb::Dial(self.dial(start, empty, pos)?),
            "Record" => Verb::Record(self.leaf(start, empty, pos)?),
            "Hangup" => Verb::Hangup(self.leaf(start, empty, pos)?),
            "Redirect" => {
                let mut verb: Redirect = self.with_attributes(start, pos)?;
                verb.url = self.trimmed_content(Redirect::ELEMENT_NAME, empty)?;
                Verb::Redirect(verb)
            }
            "Reject" => Verb::Reject(self.leaf(start, empty, pos)?),
            "Enqueue" => {
                let mut verb: Enqueue = self.with_attributes(start, pos)?;
                verb.name = self.trimmed_content(Enqueue::ELEMENT_NAME, empty)?;
                Verb::Enqueue(verb)
            }
            "Leave" => Verb::Leave(self.leaf(start, empty, pos)?),
            "Sms" => {
                let mut verb: Sms = self.with_attributes(start, pos)?;
                verb.body = self.text_content(Sms::ELEMENT_NAME, empty)?;
                Verb::Sms(verb)
            }
            "Refer" => Verb::Refer(self.refer(start, empty, pos)?),
            "Echo" => Verb::Echo(self.leaf(start, empty, pos)?),
            "Connect" => Verb::Connect(self.connect(start, empty, pos)?),
            "Start" => {
                let mut verb: Start = self.with_attributes(start, pos)?;
                verb.streams = self.streams(Start::ELEMENT_NAME, empty)?;
                Verb::Start(verb)
            }
            "Stop" => {
                let mut verb: Stop = self.with_attributes(start, pos)?;
                verb.streams = self.streams(Stop::ELEMENT_NAME, empty)?;
                Verb::Stop(verb)
            }
            _ => Verb::Unknown(self.foreign(Response::ELEMENT_NAME, VERBS, start, empty, pos)?),
        })
    }

    /// A fresh element with the attributes of `start`.
    fn with_attributes<E: Attributes + Default>(
        &self,
        start: &BytesStart<'a>,
        pos: usize,
    ) -> Result<E, ParseError> {
        let mut element = E::default();
        self.attributes(start, pos, &mut element)?;
        Ok(element)
    }

    /// An element without content (whitespace is tolerated).
    fn leaf<E: Attributes + Default>(
        &mut self,
        start: &BytesStart<'a>,
        empty: bool,
        pos: usize,
    ) -> Result<E, ParseError> {
        let element: E = self.with_attributes(start, pos)?;
        let name = start.name();
        let name: &str = name.as_ref();
        self.element_children(name, empty, None, |p, child, _, pos| {
            Err(p.error(
                ParseErrorKind::MisplacedElement,
                pos,
                Some(child.name().as_ref()),
                None,
                format!("`{name}` holds nothing"),
            ))
        })?;
        Ok(element)
    }

    fn play(
        &mut self,
        start: &BytesStart<'a>,
        empty: bool,
        pos: usize,
    ) -> Result<Play, ParseError> {
        let mut play: Play = self.with_attributes(start, pos)?;
        play.url = self.trimmed_content(Play::ELEMENT_NAME, empty)?;
        Ok(play)
    }

    fn say(&mut self, start: &BytesStart<'a>, empty: bool, pos: usize) -> Result<Say, ParseError> {
        let mut say: Say = self.with_attributes(start, pos)?;
        say.content = self.ssml_content(Say::ELEMENT_NAME, empty)?;
        Ok(say)
    }

    /// Mixed content: text and SSML elements.
    fn ssml_content(&mut self, parent: &str, empty: bool) -> Result<Vec<SsmlNode>, ParseError> {
        let mut nodes = Vec::new();
        if empty {
            return Ok(nodes);
        }
        loop {
            match self.next()? {
                Node::Text(text, _) => push_node(&mut nodes, SsmlNode::Text(text.into_owned())),
                Node::Open { start, empty, pos } => {
                    let node = self.ssml_element(parent, &start, empty, pos)?;
                    push_node(&mut nodes, node);
                }
                Node::Close => return Ok(nodes),
                Node::Eof(pos) => return Err(self.unclosed(parent, pos)),
            }
        }
    }

    fn ssml_element(
        &mut self,
        parent: &str,
        start: &BytesStart<'a>,
        empty: bool,
        pos: usize,
    ) -> Result<SsmlNode, ParseError> {
        let name = start.name();
        let name: &str = name.as_ref();
        let known = matches!(
            name,
            "break"
                | "emphasis"
                | "lang"
                | "p"
                | "phoneme"
                | "prosody"
                | "s"
                | "say-as"
                | "sub"
                | "w"
        );
        if !known || (!self.options.lenient && !ssml_allows(parent, name)) {
            let allowed = ssml_allowed_list(parent);
            return self
                .foreign(parent, &allowed, start, empty, pos)
                .map(SsmlNode::Unknown);
        }
        Ok(match name {
            "break" => SsmlNode::Break(self.leaf::<Break>(start, empty, pos)?),
            "emphasis" => {
                let mut e: Emphasis = self.with_attributes(start, pos)?;
                e.children = self.ssml_content(name, empty)?;
                SsmlNode::Emphasis(e)
            }
            "lang" => {
                let mut e: Lang = self.with_attributes(start, pos)?;
                e.children = self.ssml_content(name, empty)?;
                SsmlNode::Lang(e)
            }
            "p" => {
                let mut e: Paragraph = self.with_attributes(start, pos)?;
                e.children = self.ssml_content(name, empty)?;
                SsmlNode::Paragraph(e)
            }
            "phoneme" => {
                let mut e: Phoneme = self.with_attributes(start, pos)?;
                e.text = self.text_content(name, empty)?;
                SsmlNode::Phoneme(e)
            }
            "prosody" => {
                let mut e: Prosody = self.with_attributes(start, pos)?;
                e.children = self.ssml_content(name, empty)?;
                SsmlNode::Prosody(e)
            }
            "s" => {
                let mut e: Sentence = self.with_attributes(start, pos)?;
                e.children = self.ssml_content(name, empty)?;
                SsmlNode::Sentence(e)
            }
            "say-as" => {
                let mut e: SayAs = self.with_attributes(start, pos)?;
                e.text = self.text_content(name, empty)?;
                SsmlNode::SayAs(e)
            }
            "sub" => {
                let mut e: Sub = self.with_attributes(start, pos)?;
                e.text = self.text_content(name, empty)?;
                SsmlNode::Sub(e)
            }
            _ => {
                let mut e: Word = self.with_attributes(start, pos)?;
                e.children = self.ssml_content(name, empty)?;
                SsmlNode::Word(e)
            }
        })
    }

    fn gather(
        &mut self,
        start: &BytesStart<'a>,
        empty: bool,
        pos: usize,
    ) -> Result<Gather, ParseError> {
        let mut gather: Gather = self.with_attributes(start, pos)?;
        let mut children = Vec::new();
        self.element_children(Gather::ELEMENT_NAME, empty, None, |p, start, empty, pos| {
            children.push(match start.name().as_ref() {
                "Say" => GatherChild::Say(p.say(&start, empty, pos)?),
                "Play" => GatherChild::Play(p.play(&start, empty, pos)?),
                "Pause" => GatherChild::Pause(p.leaf(&start, empty, pos)?),
                _ => GatherChild::Unknown(p.foreign(
                    Gather::ELEMENT_NAME,
                    "Say, Play, Pause",
                    &start,
                    empty,
                    pos,
                )?),
            });
            Ok(())
        })?;
        gather.children = children;
        Ok(gather)
    }

    fn dial(
        &mut self,
        start: &BytesStart<'a>,
        empty: bool,
        pos: usize,
    ) -> Result<Dial, ParseError> {
        let mut dial: Dial = self.with_attributes(start, pos)?;
        let mut nouns = Vec::new();
        let mut text = String::new();
        self.element_children(
            Dial::ELEMENT_NAME,
            empty,
            Some(&mut text),
            |p, start, empty, pos| {
                nouns.push(match start.name().as_ref() {
                    "Number" => {
                        let mut noun: Number = p.with_attributes(&start, pos)?;
                        noun.number = p.trimmed_content(Number::ELEMENT_NAME, empty)?;
                        DialNoun::Number(noun)
                    }
                    "Sip" => {
                        let mut noun: Sip = p.with_attributes(&start, pos)?;
                        noun.uri = p.trimmed_content(Sip::ELEMENT_NAME, empty)?;
                        DialNoun::Sip(noun)
                    }
                    "Conference" => {
                        let mut noun: Conference = p.with_attributes(&start, pos)?;
                        noun.name = p.trimmed_content(Conference::ELEMENT_NAME, empty)?;
                        DialNoun::Conference(noun)
                    }
                    "Queue" => {
                        let mut noun: Queue = p.with_attributes(&start, pos)?;
                        noun.name = p.trimmed_content(Queue::ELEMENT_NAME, empty)?;
                        DialNoun::Queue(noun)
                    }
                    _ => DialNoun::Unknown(p.foreign(
                        Dial::ELEMENT_NAME,
                        "Number, Sip, Conference, Queue",
                        &start,
                        empty,
                        pos,
                    )?),
                });
                Ok(())
            },
        )?;
        dial.nouns = nouns;
        let number = text.trim();
        if !number.is_empty() {
            dial.bare_number = Some(number.to_owned());
        }
        Ok(dial)
    }

    fn refer(
        &mut self,
        start: &BytesStart<'a>,
        empty: bool,
        pos: usize,
    ) -> Result<Refer, ParseError> {
        let mut refer: Refer = self.with_attributes(start, pos)?;
        let mut sip = None;
        self.element_children(Refer::ELEMENT_NAME, empty, None, |p, start, empty, pos| {
            if start.name().as_ref() != ReferSip::ELEMENT_NAME || sip.is_some() {
                let rule = "`Refer` holds exactly one `Sip`";
                return Err(p.error(
                    ParseErrorKind::MisplacedElement,
                    pos,
                    Some(start.name().as_ref()),
                    None,
                    rule,
                ));
            }
            let mut target: ReferSip = p.with_attributes(&start, pos)?;
            target.uri = p.trimmed_content(ReferSip::ELEMENT_NAME, empty)?;
            sip = Some(target);
            Ok(())
        })?;
        refer.sip = sip;
        Ok(refer)
    }

    fn connect(
        &mut self,
        start: &BytesStart<'a>,
        empty: bool,
        pos: usize,
    ) -> Result<Connect, ParseError> {
        let mut connect: Connect = self.with_attributes(start, pos)?;
        let mut children = Vec::new();
        self.element_children(
            Connect::ELEMENT_NAME,
            empty,
            None,
            |p, start, empty, pos| {
                children.push(match start.name().as_ref() {
                    "Stream" => ConnectChild::Stream(p.stream(&start, empty, pos)?),
                    "Room" => {
                        let mut room: Room = p.with_attributes(&start, pos)?;
                        room.name = p.trimmed_content(Room::ELEMENT_NAME, empty)?;
                        ConnectChild::Room(room)
                    }
                    _ => ConnectChild::Unknown(p.foreign(
                        Connect::ELEMENT_NAME,
                        "Stream, Room",
                        &start,
                        empty,
                        pos,
                    )?),
                });
                Ok(())
            },
        )?;
        connect.children = children;
        Ok(connect)
    }

    /// The `Stream` children of `Start` / `Stop`.
    fn streams(&mut self, parent: &str, empty: bool) -> Result<Vec<Stream>, ParseError> {
        let mut streams = Vec::new();
        self.element_children(parent, empty, None, |p, start, empty, pos| {
            if start.name().as_ref() != Stream::ELEMENT_NAME {
                return Err(p.error(
                    ParseErrorKind::MisplacedElement,
                    pos,
                    Some(start.name().as_ref()),
                    None,
                    format!("`{parent}` holds `Stream` elements only"),
                ));
            }
            streams.push(p.stream(&start, empty, pos)?);
            Ok(())
        })?;
        Ok(streams)
    }

    fn stream(
        &mut self,
        start: &BytesStart<'a>,
        empty: bool,
        pos: usize,
    ) -> Result<Stream, ParseError> {
        let mut stream: Stream = self.with_attributes(start, pos)?;
        let mut parameters = Vec::new();
        self.element_children(Stream::ELEMENT_NAME, empty, None, |p, start, empty, pos| {
            if start.name().as_ref() != Parameter::ELEMENT_NAME {
                return Err(p.error(
                    ParseErrorKind::MisplacedElement,
                    pos,
                    Some(start.name().as_ref()),
                    None,
                    "`Stream` holds `Parameter` elements only",
                ));
            }
            parameters.push(p.leaf::<Parameter>(&start, empty, pos)?);
            Ok(())
        })?;
        stream.parameters = parameters;
        Ok(stream)
    }
}

/// The SSML elements allowed inside `parent`, for error messages.
fn ssml_allowed_list(parent: &str) -> String {
    let allowed: Vec<&str> = [
        "break", "emphasis", "lang", "p", "phoneme", "prosody", "s", "say-as", "sub", "w",
    ]
    .into_iter()
    .filter(|child| ssml_allows(parent, child))
    .collect();
    if allowed.is_empty() {
        "text only".to_owned()
    } else {
        allowed.join(", ")
    }
}

/// Attribute holder for unknown elements: every attribute is "unknown" and kept.
struct UnknownAttributes(Vec<UnknownAttribute>);

impl Attributes for UnknownAttributes {
    const NAMES: &'static [&'static str] = &[];

    fn write_attributes(&self, _out: &mut crate::write::AttrList<'_>) {}

    fn set_attribute(&mut self, name: &str, raw: &str) -> AttrOutcome {
        self.0.push(UnknownAttribute::new(name, raw));
        AttrOutcome::Known
    }

    fn unknown_attributes(&self) -> &[UnknownAttribute] {
        &self.0
    }

    fn unknown_attributes_mut(&mut self) -> &mut Vec<UnknownAttribute> {
        &mut self.0
    }
}

/// Whether an attribute value can be used as is: no control character (each needs a check
/// or whitespace normalization), no reference, and no 0xEF byte (which starts U+FFFE and
/// U+FFFF).
fn is_plain(value: &str) -> bool {
    scan(value, |b| b < 0x20 || b == b'&' || b == 0xEF)
}

/// Whether no byte of `text` is `special`, checking eight bytes at a time: most text has
/// no byte below 0x20, no `&` and no 0xEF, which whole words show at once.
fn scan(text: &str, special: impl Fn(u8) -> bool) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    /// Whether some byte of `word` is zero.
    fn has_zero(word: u64) -> bool {
        word.wrapping_sub(ONES) & !word & HIGHS != 0
    }
    let bytes = text.as_bytes();
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_le_bytes(word);
        // A byte below 0x20 has none of the bits 0x20, 0x40, 0x80 set.
        let below_0x20 = has_zero(word & (0xE0 * ONES));
        let maybe = below_0x20
            || has_zero(word ^ (u64::from(b'&') * ONES))
            || has_zero(word ^ (0xEF * ONES));
        if maybe && chunk.iter().any(|&b| special(b)) {
            return false;
        }
    }
    !chunks.remainder().iter().any(|&b| special(b))
}

/// Whether text content can be used as is: as [`is_plain`], but tab and line feed need
/// nothing (a carriage return needs line-end normalization).
fn is_plain_text(text: &str) -> bool {
    scan(text, |b| {
        (b < 0x20 && b != b'\n' && b != b'\t') || b == 0xEF
    })
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
