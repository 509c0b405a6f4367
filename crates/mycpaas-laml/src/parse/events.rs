//! The event layer: quick-xml's reader, with its end-name and comment checks on, turned into
//! the nodes the element code reads.
//!
//! quick-xml finds the markup, matches end tags, refuses `--` in comments and reads
//! references. XML 1.0 asks more of a well-formed document, and the rest is checked on what
//! quick-xml hands over. Here: characters follow the `Char` production (also in comments,
//! processing instructions, CDATA sections and references), text holds no `]]>`, attributes
//! are separated by whitespace and their values hold no `<`, the XML declaration comes first
//! and follows its grammar, processing-instruction targets are names other than `xml`, and
//! only whitespace, comments and processing instructions stand outside the root element. In
//! the reader (`reader.rs`), which sees every name: names the model does not know follow the
//! `Name` production, and no attribute is given twice. On top of that, the safety rules: no
//! DOCTYPE, only the five predefined entities, and a cap on nesting depth.

use std::borrow::Cow;

use quick_xml::XmlVersion;
use quick_xml::errors::{Error, IllFormedError, SyntaxError};
use quick_xml::escape::{EscapeError, resolve_xml_entity};
use quick_xml::events::attributes::AttrError;
use quick_xml::events::{BytesRef, BytesStart, BytesText, Event};
use quick_xml::reader::Reader;

use super::declaration::declaration_problem;
use super::{ParseError, ParseErrorKind};
use crate::xml10::{byte_table, forbidden_char, is_char, name_problem};

/// A start tag as quick-xml read it.
pub(super) struct Tag<'a> {
    start: BytesStart<'a>,
    /// Byte offset of its `<` in the source.
    pub(super) pos: usize,
}

impl Tag<'_> {
    /// The element name, as written.
    pub(super) fn name(&self) -> &str {
        self.start.name().into_inner()
    }
}

/// One attribute as read: references resolved and whitespace normalized.
pub(super) struct Attr<'t> {
    pub(super) name: &'t str,
    pub(super) value: Cow<'t, str>,
    /// Byte offset of its name in the source.
    pub(super) pos: usize,
}

/// What the event layer hands to the element code.
pub(super) enum Node<'a> {
    /// A start tag; `empty` for `<x/>`.
    Open { start: Tag<'a>, empty: bool },
    /// A piece of text (references resolved, line ends normalized), at byte offset `pos`.
    Text(Cow<'a, str>, usize),
    /// The end tag of the element being read (quick-xml checked that it matches), at byte
    /// offset `pos`.
    Close(usize),
    /// The end of the input, at byte offset `pos`.
    Eof(usize),
}

/// Bytes of text that call for a closer look: control characters other than tab, line feed
/// and carriage return (forbidden), 0xEF (which starts U+FFFE and U+FFFF) and `>` (of `]]>`).
/// Most text has none.
const TEXT_SUSPECT: [bool; 256] = byte_table(b"\xEF>", b"\t\n\r");

/// Bytes of an attribute value that call for a closer look: every control character (tab,
/// line feed and carriage return are normalized to spaces, the others are forbidden), 0xEF,
/// `&` (a reference) and `<` (forbidden). Most values have none.
const VALUE_SUSPECT: [bool; 256] = byte_table(b"\xEF&<", b"");

/// XML whitespace.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// The byte offset of `part` in `whole`, which holds it.
pub(super) fn offset_in(whole: &str, part: &str) -> usize {
    (part.as_ptr() as usize).saturating_sub(whole.as_ptr() as usize)
}

/// Whether the quoted `value`, a slice of `raw`, is followed (after its closing quote) by
/// whitespace or by the end of `raw`, as XML requires between attributes.
pub(super) fn followed_by_space(raw: &str, value: &str) -> bool {
    let after_quote = offset_in(raw, value) + value.len() + 1;
    raw.as_bytes().get(after_quote).is_none_or(|&b| is_space(b))
}

/// The node reader over one document.
pub(super) struct Events<'a> {
    src: &'a str,
    /// Bytes of the byte order mark before the document, which quick-xml's offsets leave out.
    bom: usize,
    reader: Reader<&'a [u8]>,
    max_depth: usize,
    /// Elements open.
    depth: usize,
}

impl<'a> Events<'a> {
    pub(super) fn new(src: &'a str, max_depth: usize) -> Self {
        let body = src.strip_prefix('\u{FEFF}').unwrap_or(src);
        let mut reader = Reader::from_str(body);
        reader.config_mut().enable_all_checks(true);
        Events {
            src,
            bom: src.len() - body.len(),
            reader,
            max_depth,
            depth: 0,
        }
    }

    /// An error at byte offset `pos` of the source.
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

    fn syntax(&self, pos: usize, rule: impl Into<String>) -> ParseError {
        self.error(ParseErrorKind::Syntax, pos, None, None, rule)
    }

    /// The next node; comments, processing instructions and the declaration are checked and
    /// stepped over.
    #[inline]
    pub(super) fn next(&mut self) -> Result<Node<'a>, ParseError> {
        loop {
            let pos = self.bom + usize::try_from(self.reader.buffer_position()).unwrap_or(0);
            match self.reader.read_event() {
                Err(error) => return Err(self.reader_error(error)),
                Ok(Event::Start(start)) => return self.open(start, false, pos),
                Ok(Event::Empty(start)) => return self.open(start, true, pos),
                Ok(Event::End(_)) => {
                    self.depth = self.depth.saturating_sub(1);
                    return Ok(Node::Close(pos));
                }
                Ok(Event::Text(text)) => return self.text(&text, pos),
                Ok(Event::CData(data)) => {
                    self.inside_root(pos, "a CDATA section")?;
                    self.check_chars(&data)?;
                    return Ok(Node::Text(data.xml10_content(), pos));
                }
                Ok(Event::GeneralRef(reference)) => {
                    self.inside_root(pos, "a reference")?;
                    return self.reference(&reference, pos).map(|t| Node::Text(t, pos));
                }
                Ok(Event::Decl(declaration)) => {
                    if pos > self.bom {
                        return Err(self.syntax(pos, "the XML declaration must come first"));
                    }
                    if let Some(problem) = declaration_problem(&declaration) {
                        return Err(self.syntax(pos, problem));
                    }
                }
                Ok(Event::PI(instruction)) => {
                    let target = instruction.target();
                    if let Some(problem) = name_problem(target) {
                        return Err(self.syntax(
                            pos,
                            format!(
                                "a processing instruction starts with its target name: {problem}"
                            ),
                        ));
                    }
                    if target.eq_ignore_ascii_case("xml") {
                        return Err(self.syntax(
                        pos,
                        "the name `xml` is reserved: the XML declaration comes first, before anything else",
                    ));
                    }
                    self.check_chars(&instruction)?;
                }
                Ok(Event::Comment(comment)) => self.check_chars(&comment)?,
                Ok(Event::DocType(_)) => return Err(self.doctype(pos)),
                Ok(Event::Eof) => return Ok(Node::Eof(pos)),
            }
        }
    }

    fn doctype(&self, pos: usize) -> ParseError {
        self.error(
            ParseErrorKind::Doctype,
            pos,
            None,
            None,
            "DOCTYPE declarations (DTDs) are not allowed",
        )
    }

    /// A start tag at `pos`: its name checked, its depth counted.
    fn open(
        &mut self,
        start: BytesStart<'a>,
        empty: bool,
        pos: usize,
    ) -> Result<Node<'a>, ParseError> {
        let tag = Tag { start, pos };
        if self.depth >= self.max_depth {
            return Err(self.error(
                ParseErrorKind::TooDeep,
                pos,
                Some(tag.name()),
                None,
                format!(
                    "elements are nested deeper than the {} levels allowed",
                    self.max_depth
                ),
            ));
        }
        if !empty {
            self.depth += 1;
        }
        Ok(Node::Open { start: tag, empty })
    }

    /// Refuses character data outside the root element (only whitespace may stand there).
    fn inside_root(&self, pos: usize, what: &str) -> Result<(), ParseError> {
        if self.depth > 0 {
            return Ok(());
        }
        Err(self.error(
            ParseErrorKind::UnexpectedText,
            pos,
            None,
            None,
            format!("{what} is not allowed outside the root element"),
        ))
    }

    /// Text between markup, at `pos`.
    fn text(&self, text: &BytesText<'a>, pos: usize) -> Result<Node<'a>, ParseError> {
        if text.bytes().any(|b| TEXT_SUSPECT[usize::from(b)]) {
            self.check_chars(text)?;
            if let Some(at) = text.find("]]>") {
                return Err(self.syntax(pos + at, "`]]>` is not allowed in text (write ]]&gt;)"));
            }
        }
        Ok(Node::Text(text.xml10_content(), pos))
    }

    /// Refuses the first character of `text`, a piece of the source, that XML 1.0 forbids.
    fn check_chars(&self, text: &str) -> Result<(), ParseError> {
        match forbidden_char(text) {
            None => Ok(()),
            Some((at, c)) => Err(self.error(
                ParseErrorKind::ForbiddenCharacter,
                offset_in(self.src, text) + at,
                None,
                None,
                format!("character U+{:04X} is not allowed in XML 1.0", u32::from(c)),
            )),
        }
    }

    /// Resolves `&name;` at `pos`: only the predefined entities and character references.
    fn reference(&self, reference: &BytesRef<'a>, pos: usize) -> Result<Cow<'a, str>, ParseError> {
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
            if !is_char(c) {
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
                format!("unknown entity `&{name};`: {ENTITIES}"),
            )),
        }
    }

    /// Reads the attributes of `tag` (at most `max`), checked and resolved, into `each`.
    pub(super) fn attributes<'t>(
        &self,
        tag: &'t Tag<'a>,
        max: usize,
        mut each: impl FnMut(Attr<'t>) -> Result<(), ParseError>,
    ) -> Result<(), ParseError> {
        if tag.start.attributes_raw().is_empty() {
            return Ok(());
        }
        let element = tag.name();
        // quick-xml's offsets count from the tag's content, just after its `<`.
        let content: &str = &tag.start;
        let content_at = tag.pos + 1;
        // Duplicates are left to the element code, which sees every name (see
        // `refuse_duplicates`): quick-xml's own check allocates a list for every tag.
        let mut iter = tag.start.attributes();
        iter.with_checks(false);
        for (index, attribute) in iter.enumerate() {
            let attribute = attribute.map_err(|error| self.attribute_error(tag, &error))?;
            let name = attribute.key.into_inner();
            let pos = content_at + offset_in(content, name);
            if index == max {
                return Err(self.error(
                    ParseErrorKind::TooManyAttributes,
                    pos,
                    Some(element),
                    Some(name),
                    format!("more than the {max} attributes allowed on one element"),
                ));
            }
            let fail = |kind, rule: String| self.error(kind, pos, Some(element), Some(name), rule);
            let raw: &'t str = match &attribute.value {
                Cow::Borrowed(raw) => raw,
                // quick-xml borrows every value from the tag it reads.
                Cow::Owned(_) => {
                    return Err(fail(
                        ParseErrorKind::Syntax,
                        "the attribute value could not be read".to_owned(),
                    ));
                }
            };
            if !followed_by_space(content, raw) {
                return Err(fail(
                    ParseErrorKind::Syntax,
                    "attributes must be separated by whitespace".to_owned(),
                ));
            }
            let value = if raw.bytes().any(|b| VALUE_SUSPECT[usize::from(b)]) {
                if raw.contains('<') {
                    return Err(fail(
                        ParseErrorKind::Syntax,
                        "`<` is not allowed in attribute values (write &lt;)".to_owned(),
                    ));
                }
                let value = attribute
                    .normalized_value_with(XmlVersion::Implicit1_0, 1, resolve_xml_entity)
                    .map_err(|error| fail(ParseErrorKind::Entity, reference_rule(&error)))?;
                if let Some((_, c)) = forbidden_char(&value) {
                    return Err(fail(
                        ParseErrorKind::ForbiddenCharacter,
                        format!("character U+{:04X} is not allowed in XML 1.0", u32::from(c)),
                    ));
                }
                value
            } else {
                Cow::Borrowed(raw)
            };
            each(Attr { name, value, pos })?;
        }
        Ok(())
    }

    /// Refuses an attribute given twice on `tag`, with quick-xml's check (which the first
    /// pass leaves off).
    #[cold]
    pub(super) fn refuse_duplicates(&self, tag: &Tag<'a>) -> Result<(), ParseError> {
        match tag.start.attributes().find_map(Result::err) {
            None => Ok(()),
            Some(error) => Err(self.attribute_error(tag, &error)),
        }
    }

    #[cold]
    fn attribute_error(&self, tag: &Tag<'a>, error: &AttrError) -> ParseError {
        let content: &str = &tag.start;
        let (at, rule) = match *error {
            AttrError::ExpectedEq(at) => (at, "expected `=` after the attribute name"),
            AttrError::ExpectedValue(at) | AttrError::UnquotedValue(at) => {
                (at, "attribute values must be in quotes")
            }
            AttrError::ExpectedQuote(at, _) => (at, "the attribute value is not closed"),
            AttrError::Duplicated(at, _) => {
                // The name runs from `at` to the `=` or whitespace after it.
                let rest = content.get(at..).unwrap_or_default();
                let end = rest
                    .find(|c: char| c == '=' || c.is_ascii_whitespace())
                    .unwrap_or(rest.len());
                let name = &rest[..end];
                return self.error(
                    ParseErrorKind::Syntax,
                    tag.pos + 1 + at,
                    Some(tag.name()),
                    Some(name),
                    format!("attribute `{name}` appears more than once"),
                );
            }
        };
        self.error(
            ParseErrorKind::Syntax,
            tag.pos + 1 + at.min(content.len()),
            Some(tag.name()),
            None,
            rule,
        )
    }

    /// The error for a failure quick-xml reported.
    #[cold]
    fn reader_error(&self, error: Error) -> ParseError {
        let pos = self.bom + usize::try_from(self.reader.error_position()).unwrap_or(0);
        let rule: Cow<'static, str> = match error {
            Error::Syntax(SyntaxError::UnclosedDoctype)
            | Error::IllFormed(IllFormedError::MissingDoctypeName) => return self.doctype(pos),
            Error::IllFormed(IllFormedError::MismatchedEndTag { expected, found }) => {
                return self.error(
                    ParseErrorKind::Syntax,
                    pos,
                    Some(&expected),
                    None,
                    format!("`</{found}>` does not close `<{expected}>`"),
                );
            }
            Error::IllFormed(IllFormedError::UnmatchedEndTag(name)) => {
                format!("`</{name}>` closes no element").into()
            }
            Error::IllFormed(IllFormedError::UnclosedReference) => {
                "`&` starts a reference, which ends with `;` (write &amp; for the character)".into()
            }
            Error::IllFormed(IllFormedError::DoubleHyphenInComment) => {
                "a comment cannot hold `--`, nor end with `-`".into()
            }
            Error::Syntax(SyntaxError::UnclosedTag) => "the tag is not closed (missing `>`)".into(),
            Error::Syntax(
                SyntaxError::UnclosedDoubleQuotedAttributeValue
                | SyntaxError::UnclosedSingleQuotedAttributeValue,
            ) => "the attribute value is not closed, so neither is the tag".into(),
            Error::Syntax(SyntaxError::UnclosedComment) => {
                "the comment is not closed (missing `-->`)".into()
            }
            Error::Syntax(SyntaxError::UnclosedCData) => {
                "the CDATA section is not closed (missing `]]>`)".into()
            }
            Error::Syntax(SyntaxError::UnclosedPI | SyntaxError::UnclosedXmlDecl) => {
                "the processing instruction is not closed (missing `?>`)".into()
            }
            Error::Syntax(SyntaxError::InvalidBangMarkup) => {
                "`<!` starts only a comment (`<!--`) or a CDATA section (`<![CDATA[`)".into()
            }
            other => other.to_string().into(),
        };
        self.syntax(pos, rule)
    }
}

/// The entities a document may use.
const ENTITIES: &str = "only &lt; &gt; &amp; &apos; &quot; and character references are allowed";

/// The rule a reference in an attribute value broke.
fn reference_rule(error: &Error) -> String {
    match error {
        Error::Escape(EscapeError::UnrecognizedEntity(_, name)) => {
            format!("unknown entity `&{name};`: {ENTITIES}")
        }
        Error::Escape(EscapeError::UnterminatedEntity(_)) => {
            "`&` starts a reference, which ends with `;` (write &amp; for the character)".to_owned()
        }
        other => format!("{other} ({ENTITIES})"),
    }
}
