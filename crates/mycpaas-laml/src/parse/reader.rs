//! The reading machinery the element code is built on: nodes from the lexer with references
//! resolved, characters checked and end tags matched, attributes, text content, child loops,
//! and elements kept as unknown.

use std::borrow::Cow;
use std::collections::HashSet;

use quick_xml::XmlVersion;
use quick_xml::escape::resolve_xml_entity;
use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesCData, BytesRef, BytesText};
use quick_xml::name::QName;

use super::lexer::{Lexer, Tag, Token};
use super::{ParseError, ParseErrorKind, ParseOptions};
use crate::attr::{AttrOutcome, Attributes};
use crate::attr_scan::{AttrScanner, RawAttribute};
use crate::write::xml_allows;
use crate::{UnknownAttribute, UnknownElement, UnknownNode};

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

pub(super) const VERBS: &str = "Say, Play, Pause, Gather, Dial, Record, Hangup, Redirect, Reject, Enqueue, Leave, Sms, Refer, Echo, Connect, Start, Stop";

/// What the event layer hands to the element code.
pub(super) enum Node<'a> {
    /// A start tag (`empty` for `<x/>`), at byte offset `pos`.
    Open {
        start: Tag<'a>,
        empty: bool,
        pos: usize,
    },
    /// A piece of text (entities resolved, line ends normalized).
    Text(Cow<'a, str>, usize),
    /// An end tag; the element code checks that it closes the element it reads.
    Close { name: &'a str, pos: usize },
    /// The end of the input.
    Eof(usize),
}

pub(super) struct Parser<'a> {
    src: &'a str,
    lexer: Lexer<'a>,
    pub(super) options: &'a ParseOptions,
    depth: usize,
    /// Something other than the XML declaration was seen.
    started: bool,
}

impl<'a> Parser<'a> {
    pub(super) fn new(src: &'a str, options: &'a ParseOptions) -> Self {
        Parser {
            src,
            lexer: Lexer::new(src),
            options,
            depth: 0,
            started: false,
        }
    }

    pub(super) fn error(
        &self,
        kind: ParseErrorKind,
        pos: usize,
        element: Option<&str>,
        attribute: Option<&str>,
        rule: impl Into<String>,
    ) -> ParseError {
        ParseError::at(self.src, pos, kind, element, attribute, rule.into())
    }

    fn check_chars(
        &self,
        text: &str,
        pos: usize,
        element: Option<&str>,
        attribute: Option<&str>,
    ) -> Result<(), ParseError> {
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
    #[inline]
    pub(super) fn next(&mut self) -> Result<Node<'a>, ParseError> {
        loop {
            let token = match self.lexer.next_token() {
                Ok(token) => token,
                Err(err) => return Err(self.error(err.kind, err.at, err.element, None, err.rule)),
            };
            match token {
                Token::Start { tag, empty, pos } => {
                    self.started = true;
                    if self.depth + 1 > self.options.max_depth {
                        return Err(self.too_deep(tag.name, pos));
                    }
                    if !empty {
                        self.depth += 1;
                    }
                    return Ok(Node::Open {
                        start: tag,
                        empty,
                        pos,
                    });
                }
                Token::End { name, pos } => {
                    self.started = true;
                    self.depth = self.depth.saturating_sub(1);
                    return Ok(Node::Close { name, pos });
                }
                Token::Text { text, plain, pos } => {
                    self.started = true;
                    if plain {
                        // Nothing to check or normalize: hand the source text over as is.
                        return Ok(Node::Text(Cow::Borrowed(text), pos));
                    }
                    self.check_chars(text, pos, None, None)?;
                    return Ok(Node::Text(
                        BytesText::from_escaped(text).xml10_content(),
                        pos,
                    ));
                }
                Token::CData { text, pos } => {
                    self.started = true;
                    self.check_chars(text, pos, None, None)?;
                    return Ok(Node::Text(BytesCData::new(text).xml10_content(), pos));
                }
                Token::Reference { name, pos } => {
                    self.started = true;
                    return self.reference(name, pos).map(|t| Node::Text(t, pos));
                }
                Token::Doctype { pos } => {
                    return Err(self.error(
                        ParseErrorKind::Doctype,
                        pos,
                        None,
                        None,
                        "DOCTYPE declarations (DTDs) are not allowed",
                    ));
                }
                Token::Declaration { content, pos } => {
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
                    if !declares_version_1_0(content) {
                        return Err(self.error(
                            ParseErrorKind::Syntax,
                            pos,
                            None,
                            None,
                            "only XML version 1.0 is supported",
                        ));
                    }
                }
                Token::Skipped => self.started = true,
                Token::Eof { pos } => return Ok(Node::Eof(pos)),
            }
        }
    }

    /// Room for the verbs still to come, for a verb list that is full: every verb takes at
    /// least one `<` and most two, so half the count of `<` left is enough for most
    /// documents, and the list is not regrown (and copied) several times.
    pub(super) fn more_verbs(&self) -> usize {
        let rest = self
            .src
            .as_bytes()
            .get(self.lexer.position()..)
            .unwrap_or_default();
        // Counted in blocks a byte counter cannot overflow in, which compilers vectorize.
        let tags: usize = rest
            .chunks(255)
            .map(|block| {
                usize::from(
                    block
                        .iter()
                        .fold(0u8, |count, &b| count + u8::from(b == b'<')),
                )
            })
            .sum();
        tags.div_ceil(2)
    }

    #[cold]
    fn too_deep(&self, name: &str, pos: usize) -> ParseError {
        self.error(
            ParseErrorKind::TooDeep,
            pos,
            Some(name),
            None,
            format!(
                "elements are nested deeper than the {} levels allowed",
                self.options.max_depth
            ),
        )
    }

    /// Checks that the end tag `name` (at `pos`) closes `open`, the element being read.
    #[inline]
    pub(super) fn end_tag(&self, open: &str, name: &str, pos: usize) -> Result<(), ParseError> {
        if name == open {
            return Ok(());
        }
        Err(self.error(
            ParseErrorKind::Syntax,
            pos,
            Some(open),
            None,
            format!("`</{name}>` does not close `<{open}>`"),
        ))
    }

    /// Resolves `&name;`: only the predefined entities and character references.
    fn reference(&self, name: &'a str, pos: usize) -> Result<Cow<'a, str>, ParseError> {
        let reference = BytesRef::new(name);
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

    pub(super) fn whitespace_only(
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
    pub(super) fn attributes<E: Attributes>(
        &self,
        start: &Tag<'a>,
        element: &mut E,
    ) -> Result<(), ParseError> {
        if start.attribute_count == 0 {
            return Ok(());
        }
        // Duplicates of known attributes are caught as fields are set, and of kept ones by a
        // search of the kept list; past a few dozen attributes a set keeps that linear.
        let mut seen: Option<HashSet<&str>> = (start.attribute_count > 32).then(HashSet::new);
        let max = self.options.max_attributes;
        if let Some(kept) = self.lexer.kept_attributes(start) {
            for (index, attribute) in kept.iter().enumerate() {
                if index == max {
                    return Err(self.too_many_attributes(start, attribute));
                }
                self.attribute(start, attribute, &mut seen, element)?;
            }
        } else {
            // The lexer checked the syntax: nothing to report here.
            for (index, attribute) in AttrScanner::new(start.attributes).flatten().enumerate() {
                if index == max {
                    return Err(self.too_many_attributes(start, &attribute));
                }
                self.attribute(start, &attribute, &mut seen, element)?;
            }
        }
        // Kept attributes are written sorted; sort them now so a round trip is equal.
        let unknown = element.unknown_attributes_mut();
        if unknown.len() > 1 {
            unknown.sort_by(|a, b| a.name.cmp(&b.name));
        }
        Ok(())
    }

    /// The error for a tag with more attributes than allowed, at the first one too many.
    #[cold]
    fn too_many_attributes(&self, start: &Tag<'a>, extra: &RawAttribute<'a>) -> ParseError {
        self.error(
            ParseErrorKind::TooManyAttributes,
            start.attributes_at + extra.name_at,
            Some(start.name),
            Some(extra.name),
            format!(
                "more than the {} attributes allowed on one element",
                self.options.max_attributes
            ),
        )
    }

    /// Reads one attribute of `start` into `element`.
    fn attribute<E: Attributes>(
        &self,
        start: &Tag<'a>,
        attribute: &RawAttribute<'a>,
        seen: &mut Option<HashSet<&'a str>>,
        element: &mut E,
    ) -> Result<(), ParseError> {
        let element_name = start.name;
        let key = attribute.name;
        let at = start.attributes_at + attribute.name_at;
        let value = if attribute.plain {
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
        let kept_already = match seen {
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
        Ok(())
    }

    /// The text content of an element that holds text only.
    pub(super) fn text_content(&mut self, name: &str, empty: bool) -> Result<String, ParseError> {
        Ok(self.raw_text_content(name, empty)?.into_owned())
    }

    /// Trimmed text content, for URLs, numbers and names.
    pub(super) fn trimmed_content(
        &mut self,
        name: &str,
        empty: bool,
    ) -> Result<String, ParseError> {
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
                Node::Close { name: end, pos } => {
                    self.end_tag(name, end, pos)?;
                    return Ok(out);
                }
                Node::Open { start, pos, .. } => {
                    return Err(self.error(
                        ParseErrorKind::MisplacedElement,
                        pos,
                        Some(start.name),
                        None,
                        format!("`{name}` holds text only, not elements"),
                    ));
                }
                Node::Eof(pos) => return Err(self.unclosed(name, pos)),
            }
        }
    }

    pub(super) fn unclosed(&self, name: &str, pos: usize) -> ParseError {
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
    pub(super) fn element_children(
        &mut self,
        name: &str,
        empty: bool,
        mut text: Option<&mut String>,
        mut child: impl FnMut(&mut Self, Tag<'a>, bool, usize) -> Result<(), ParseError>,
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
                Node::Close { name: end, pos } => return self.end_tag(name, end, pos),
                Node::Eof(pos) => return Err(self.unclosed(name, pos)),
            }
        }
    }

    /// An element not allowed where it is: an error in strict mode, kept in lenient mode.
    pub(super) fn foreign(
        &mut self,
        parent: &str,
        allowed: &str,
        start: &Tag<'a>,
        empty: bool,
        pos: usize,
    ) -> Result<UnknownElement, ParseError> {
        if self.options.lenient {
            return self.unknown(start, empty);
        }
        let name = start.name;
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
    fn unknown(&mut self, start: &Tag<'a>, empty: bool) -> Result<UnknownElement, ParseError> {
        let name = start.name;
        let mut element = UnknownElement::new(name);
        let mut holder = UnknownAttributes(Vec::new());
        self.attributes(start, &mut holder)?;
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
                Node::Open { start, empty, .. } => {
                    let child = self.unknown(&start, empty)?;
                    element.children.push(UnknownNode::Element(child));
                }
                Node::Close { name: end, pos } => {
                    self.end_tag(name, end, pos)?;
                    return Ok(element);
                }
                Node::Eof(pos) => return Err(self.unclosed(name, pos)),
            }
        }
    }

    /// A fresh element with the attributes of `start`.
    pub(super) fn with_attributes<E: Attributes + Default>(
        &self,
        start: &Tag<'a>,
    ) -> Result<E, ParseError> {
        let mut element = E::default();
        self.attributes(start, &mut element)?;
        Ok(element)
    }

    /// An element without content (whitespace is tolerated).
    pub(super) fn leaf<E: Attributes + Default>(
        &mut self,
        start: &Tag<'a>,
        empty: bool,
    ) -> Result<E, ParseError> {
        let element: E = self.with_attributes(start)?;
        let name = start.name;
        self.element_children(name, empty, None, |p, child, _, pos| {
            Err(p.error(
                ParseErrorKind::MisplacedElement,
                pos,
                Some(child.name),
                None,
                format!("`{name}` holds nothing"),
            ))
        })?;
        Ok(element)
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

/// Whether the content of an XML declaration (`xml version="1.0" ...`) gives version 1.0,
/// which comes first. The usual spelling is compared at once; others go through the scanner.
fn declares_version_1_0(decl: &str) -> bool {
    if decl.starts_with(r#"xml version="1.0""#) {
        return true;
    }
    decl.strip_prefix("xml")
        .and_then(|attributes| AttrScanner::new(attributes).next())
        .and_then(Result::ok)
        .is_some_and(|a| a.name == "version" && a.value == "1.0")
}
