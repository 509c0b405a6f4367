//! The writer: deterministic XML (declaration first, attributes in alphabetical order, no
//! whitespace between elements) or indented on request.
//!
//! Nothing written is malformed. Characters that XML 1.0 forbids (control characters other
//! than tab, line feed and carriage return, and U+FFFE/U+FFFF), element and attribute names
//! that are not XML names, and an attribute given twice on one element (which only kept,
//! unknown elements and attributes can hold) cannot be written. The fallible entry points
//! ([`Response::write_to`], [`Response::try_to_xml`]) refuse them with a [`WriteError`]; the
//! infallible conveniences ([`Response::to_xml`], `Display`) leave them out, and
//! [`Response::validate`] reports them.

use std::fmt;
use std::io;

use crate::attr::{AttrValue, Attributes};
use crate::model::{
    Break, Conference, Connect, ConnectChild, Dial, DialNoun, Echo, Emphasis, Enqueue, Gather,
    GatherChild, Hangup, Lang, Leave, Number, Paragraph, Parameter, Pause, Phoneme, Play, Prosody,
    Queue, Record, Redirect, Refer, ReferSip, Reject, Room, Say, SayAs, Sentence, Sip, Sms,
    SsmlNode, Start, Stop, Stream, Sub, Word,
};
use crate::xml10::{byte_table, is_char, is_name, name_problem};
use crate::{Response, UnknownElement, UnknownNode, Verb};

const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

/// Why a document could not be written.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum WriteError {
    /// A value holds a character XML 1.0 does not allow.
    ForbiddenCharacter {
        /// The element holding the value.
        element: String,
        /// The attribute, or `None` for the element's text.
        attribute: Option<String>,
        /// The character.
        character: char,
    },
    /// A kept element or attribute has a name that is not an XML 1.0 name (`a;b`, `v&l`).
    InvalidName {
        /// The element: the one with the name, or the one holding the attribute.
        element: String,
        /// The attribute with the name, or `None` when it is the element's own.
        attribute: Option<String>,
    },
    /// One element would hold the same attribute twice: a kept attribute has the name of
    /// another one that is set.
    DuplicateAttribute {
        /// The element.
        element: String,
        /// The attribute name.
        attribute: String,
    },
    /// The destination failed.
    Io {
        /// The kind of I/O failure.
        kind: io::ErrorKind,
        /// Its message.
        message: String,
    },
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::ForbiddenCharacter {
                element,
                attribute,
                character,
            } => {
                write!(f, "element `{element}`")?;
                if let Some(attribute) = attribute {
                    write!(f, ", attribute `{attribute}`")?;
                } else {
                    f.write_str(", text")?;
                }
                write!(
                    f,
                    ": character U+{:04X} is not allowed in XML 1.0",
                    u32::from(*character)
                )
            }
            WriteError::InvalidName { element, attribute } => {
                let name = attribute.as_deref().unwrap_or(element);
                let problem = name_problem(name).unwrap_or_default();
                match attribute {
                    Some(_) => write!(f, "element `{element}`, attribute name: {problem}"),
                    None => write!(f, "element name: {problem}"),
                }
            }
            WriteError::DuplicateAttribute { element, attribute } => write!(
                f,
                "element `{element}`: attribute `{attribute}` is given more than once"
            ),
            WriteError::Io { message, .. } => write!(f, "writing the document failed: {message}"),
        }
    }
}

impl std::error::Error for WriteError {}

impl From<io::Error> for WriteError {
    fn from(error: io::Error) -> Self {
        WriteError::Io {
            kind: error.kind(),
            message: error.to_string(),
        }
    }
}

/// Bytes that need escaping or checking in text: markup characters, control characters other
/// than tab and line feed, and 0xEF (which starts U+FFFE and U+FFFF, among others).
const TEXT_SPECIAL: [bool; 256] = byte_table(b"&<>\r\xEF", b"\t\n");

/// As [`TEXT_SPECIAL`], plus the quote, tab and line feed, which attribute values escape.
const ATTRIBUTE_SPECIAL: [bool; 256] = byte_table(b"&<>\r\xEF\"\t\n", b"");

impl Response {
    /// The compact document. What cannot be written well-formed (a character XML 1.0 forbids,
    /// a kept element or attribute whose name is not an XML name, an attribute given twice)
    /// is left out; use [`Response::try_to_xml`] to refuse it instead.
    ///
    /// ```
    /// use mycpaas_laml::{Response, UnknownElement, WriteError};
    ///
    /// let doc = Response::new()
    ///     .hangup()
    ///     .verb(UnknownElement::new("a;b").attribute("x", "1"));
    /// assert!(doc.to_xml().ends_with("<Response><Hangup/></Response>"));
    /// assert!(matches!(doc.try_to_xml(), Err(WriteError::InvalidName { .. })));
    /// ```
    pub fn to_xml(&self) -> String {
        render(self, false, false).0
    }

    /// The document indented by two spaces per level (`Say` content stays on one line, since
    /// whitespace there is spoken). What cannot be written well-formed is left out, as by
    /// [`Response::to_xml`].
    pub fn to_xml_pretty(&self) -> String {
        render(self, true, false).0
    }

    /// The compact document, or an error naming the first thing that cannot be written
    /// well-formed: a forbidden character, a name that is not an XML name, or an attribute
    /// given twice.
    pub fn try_to_xml(&self) -> Result<String, WriteError> {
        match render(self, false, true) {
            (xml, None) => Ok(xml),
            (_, Some(error)) => Err(error),
        }
    }

    /// The indented document, or an error as [`Response::try_to_xml`] gives.
    pub fn try_to_xml_pretty(&self) -> Result<String, WriteError> {
        match render(self, true, true) {
            (xml, None) => Ok(xml),
            (_, Some(error)) => Err(error),
        }
    }

    /// Writes the compact document into `out`. Nothing is written if it cannot be written
    /// well-formed (see [`Response::try_to_xml`]).
    pub fn write_to(&self, out: &mut impl io::Write) -> Result<(), WriteError> {
        let xml = self.try_to_xml()?;
        out.write_all(xml.as_bytes())?;
        Ok(())
    }
}

/// The compact document ([`Response::to_xml`]): what cannot be written well-formed is left
/// out.
impl fmt::Display for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_xml())
    }
}

/// The compact document ([`Response::to_xml`]), so a document goes wherever text is taken,
/// such as the `twiml` setters of the clients' `CreateCall` and `UpdateCall`:
///
/// ```
/// use mycpaas_laml::{Response, Say};
///
/// fn twiml(document: impl Into<String>) -> String {
///     document.into()
/// }
///
/// let document = Response::new().say(Say::new("Hello"));
/// let compact = document.to_xml();
/// assert!(compact.ends_with("<Response><Say>Hello</Say></Response>"));
/// assert_eq!(twiml(&document), compact);
/// assert_eq!(twiml(document), compact);
/// ```
impl From<&Response> for String {
    fn from(document: &Response) -> String {
        document.to_xml()
    }
}

/// The compact document ([`Response::to_xml`]); see `From<&Response>`.
impl From<Response> for String {
    fn from(document: Response) -> String {
        document.to_xml()
    }
}

fn render(response: &Response, pretty: bool, refuse: bool) -> (String, Option<WriteError>) {
    let mut out = XmlOut {
        // Enough for a typical IVR document without regrowing.
        buf: String::with_capacity(512),
        pretty,
        refuse,
        level: 0,
        inline: 0,
        error: None,
    };
    out.buf.push_str(DECLARATION);
    if pretty {
        out.buf.push('\n');
    }
    response.write_xml(&mut out);
    if pretty {
        out.buf.push('\n');
    }
    (out.buf, out.error)
}

/// The output buffer and the state of one write.
pub(crate) struct XmlOut {
    buf: String,
    pretty: bool,
    /// Record forbidden characters as an error (else just leave them out).
    refuse: bool,
    level: usize,
    /// Above zero inside mixed content, where added whitespace would change the text.
    inline: usize,
    error: Option<WriteError>,
}

/// The attributes of one start tag, pushed by the generated `write_attributes`.
pub(crate) struct AttrList<'a> {
    out: &'a mut XmlOut,
    element: &'a str,
    /// `Some` when unknown attributes must be merged in: pairs are sorted before writing.
    sorted: Option<Vec<(String, String)>>,
}

impl AttrList<'_> {
    pub(crate) fn push<V: AttrValue>(&mut self, name: &str, value: &V) {
        if let Some(pairs) = &mut self.sorted {
            let mut text = String::new();
            value.for_each_piece(&mut |piece| text.push_str(piece));
            pairs.push((name.to_owned(), text));
        } else {
            let out = &mut *self.out;
            let element = self.element;
            out.open_attribute(name);
            value.for_each_piece(&mut |piece| out.escape(piece, true, element, Some(name)));
            out.buf.push('"');
        }
    }
}

impl XmlOut {
    fn attribute(&mut self, element: &str, name: &str, value: &str) {
        self.open_attribute(name);
        self.escape(value, true, element, Some(name));
        self.buf.push('"');
    }

    /// Writes ` name="`.
    fn open_attribute(&mut self, name: &str) {
        self.buf.push(' ');
        self.buf.push_str(name);
        self.buf.push_str("=\"");
    }

    /// Escapes `& < >` (and `"`, tab and line breaks in attributes, so that attribute value
    /// normalization gives them back) and handles forbidden characters.
    fn escape(&mut self, s: &str, in_attribute: bool, element: &str, attribute: Option<&str>) {
        let table = if in_attribute {
            &ATTRIBUTE_SPECIAL
        } else {
            &TEXT_SPECIAL
        };
        let needs_work = s.bytes().any(|b| table[usize::from(b)]);
        if !needs_work {
            self.buf.push_str(s);
            return;
        }
        for c in s.chars() {
            match c {
                '&' => self.buf.push_str("&amp;"),
                '<' => self.buf.push_str("&lt;"),
                '>' => self.buf.push_str("&gt;"),
                '"' if in_attribute => self.buf.push_str("&quot;"),
                '\n' if in_attribute => self.buf.push_str("&#10;"),
                '\t' if in_attribute => self.buf.push_str("&#9;"),
                // Also in text: a raw CR would be turned into LF by line-end normalization.
                '\r' => self.buf.push_str("&#13;"),
                c if !is_char(c) => self.refuse(WriteError::ForbiddenCharacter {
                    element: element.to_owned(),
                    attribute: attribute.map(str::to_owned),
                    character: c,
                }),
                c => self.buf.push(c),
            }
        }
    }

    fn text(&mut self, element: &str, text: &str) {
        self.escape(text, false, element, None);
    }

    /// Writes `<name` and the attributes, sorted when unknown ones are merged in.
    fn open<E: Attributes>(&mut self, name: &str, element: &E) {
        self.buf.push('<');
        self.buf.push_str(name);
        let unknown = element.unknown_attributes();
        if unknown.is_empty() {
            let mut list = AttrList {
                out: self,
                element: name,
                sorted: None,
            };
            element.write_attributes(&mut list);
        } else {
            let mut list = AttrList {
                out: self,
                element: name,
                sorted: Some(Vec::new()),
            };
            element.write_attributes(&mut list);
            let mut pairs = list.sorted.unwrap_or_default();
            pairs.extend(unknown.iter().map(|a| (a.name.clone(), a.value.clone())));
            // Stable: a known attribute comes before a kept one with the same name.
            pairs.sort_by(|a, b| a.0.cmp(&b.0));
            self.sorted_attributes(name, pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        }
    }

    /// Writes attributes sorted by name, leaving out (and, when refusing, reporting) those
    /// whose name is not an XML name or repeats the one before.
    fn sorted_attributes<'v>(
        &mut self,
        element: &str,
        pairs: impl Iterator<Item = (&'v str, &'v str)>,
    ) {
        let mut previous: Option<&str> = None;
        for (key, value) in pairs {
            let problem = if !is_name(key) {
                Some(WriteError::InvalidName {
                    element: element.to_owned(),
                    attribute: Some(key.to_owned()),
                })
            } else if previous == Some(key) {
                Some(WriteError::DuplicateAttribute {
                    element: element.to_owned(),
                    attribute: key.to_owned(),
                })
            } else {
                None
            };
            previous = Some(key);
            match problem {
                None => self.attribute(element, key, value),
                Some(problem) => self.refuse(problem),
            }
        }
    }

    /// Records the first problem of a write that refuses them.
    #[cold]
    fn refuse(&mut self, problem: WriteError) {
        if self.refuse && self.error.is_none() {
            self.error = Some(problem);
        }
    }

    fn close(&mut self, name: &str) {
        self.buf.push_str("</");
        self.buf.push_str(name);
        self.buf.push('>');
    }

    fn newline(&mut self) {
        if self.pretty && self.inline == 0 {
            self.buf.push('\n');
            for _ in 0..self.level {
                self.buf.push_str("  ");
            }
        }
    }

    /// An element whose content is text only (`<Play>url</Play>`).
    fn text_element<E: Attributes>(&mut self, name: &str, element: &E, text: &str) {
        self.open(name, element);
        if text.is_empty() {
            self.buf.push_str("/>");
        } else {
            self.buf.push('>');
            self.text(name, text);
            self.close(name);
        }
    }

    /// An element holding elements (and possibly leading text, for `Dial`'s bare number).
    fn container<E: Attributes, C: WriteXml>(
        &mut self,
        name: &str,
        element: &E,
        text: Option<&str>,
        children: &[C],
    ) {
        self.open(name, element);
        let text = text.filter(|t| !t.is_empty());
        if text.is_none() && children.is_empty() {
            self.buf.push_str("/>");
            return;
        }
        self.buf.push('>');
        if let Some(text) = text {
            self.text(name, text);
        }
        self.level += 1;
        for child in children {
            self.newline();
            child.write_xml(self);
        }
        self.level -= 1;
        if !children.is_empty() {
            self.newline();
        }
        self.close(name);
    }

    /// An element with mixed content (`Say` and SSML containers): written on one line.
    fn mixed<E: Attributes>(&mut self, name: &str, element: &E, nodes: &[SsmlNode]) {
        self.open(name, element);
        if nodes.is_empty() {
            self.buf.push_str("/>");
            return;
        }
        self.buf.push('>');
        self.inline += 1;
        for node in nodes {
            match node {
                SsmlNode::Text(text) => self.text(name, text),
                other => other.write_xml(self),
            }
        }
        self.inline -= 1;
        self.close(name);
    }

    /// A kept element; one whose name is not an XML name is left out, with its content.
    fn unknown(&mut self, element: &UnknownElement) {
        let name = element.name.as_str();
        if !is_name(name) {
            self.refuse(WriteError::InvalidName {
                element: name.to_owned(),
                attribute: None,
            });
            return;
        }
        self.buf.push('<');
        self.buf.push_str(name);
        let mut attributes: Vec<_> = element.attributes.iter().collect();
        attributes.sort_by(|a, b| a.name.cmp(&b.name));
        self.sorted_attributes(
            name,
            attributes
                .iter()
                .map(|a| (a.name.as_str(), a.value.as_str())),
        );
        if element.children.is_empty() {
            self.buf.push_str("/>");
            return;
        }
        self.buf.push('>');
        self.inline += 1;
        for child in &element.children {
            match child {
                UnknownNode::Text(text) => self.text(name, text),
                UnknownNode::Element(e) => self.unknown(e),
            }
        }
        self.inline -= 1;
        self.close(name);
    }
}

/// Writing one element.
pub(crate) trait WriteXml {
    fn write_xml(&self, out: &mut XmlOut);
}

impl WriteXml for Response {
    fn write_xml(&self, out: &mut XmlOut) {
        out.container(Response::ELEMENT_NAME, self, None, &self.verbs);
    }
}

impl WriteXml for Verb {
    fn write_xml(&self, out: &mut XmlOut) {
        match self {
            Verb::Say(v) => v.write_xml(out),
            Verb::Play(v) => v.write_xml(out),
            Verb::Pause(v) => v.write_xml(out),
            Verb::Gather(v) => v.write_xml(out),
            Verb::Dial(v) => v.write_xml(out),
            Verb::Record(v) => v.write_xml(out),
            Verb::Hangup(v) => v.write_xml(out),
            Verb::Redirect(v) => v.write_xml(out),
            Verb::Reject(v) => v.write_xml(out),
            Verb::Enqueue(v) => v.write_xml(out),
            Verb::Leave(v) => v.write_xml(out),
            Verb::Sms(v) => v.write_xml(out),
            Verb::Refer(v) => v.write_xml(out),
            Verb::Echo(v) => v.write_xml(out),
            Verb::Connect(v) => v.write_xml(out),
            Verb::Start(v) => v.write_xml(out),
            Verb::Stop(v) => v.write_xml(out),
            Verb::Unknown(v) => out.unknown(v),
        }
    }
}

/// `WriteXml` for elements written by one call to `XmlOut`: `empty: Type, ...` for elements
/// without content, and `method(extra, ...): Type.field, ...` for elements whose content is one
/// field, which calls `out.method(Type::ELEMENT_NAME, element, extra, ..., &element.field)`.
macro_rules! write_xml {
    (empty: $($ty:ident),* $(,)?) => {$(
        impl WriteXml for $ty {
            fn write_xml(&self, out: &mut XmlOut) {
                out.text_element($ty::ELEMENT_NAME, self, "");
            }
        }
    )*};
    ($method:ident $extra:tt: $($ty:ident . $field:ident),* $(,)?) => {$(
        write_xml!(@content $ty . $field, $method $extra);
    )*};
    (@content $ty:ident . $field:ident, $method:ident ($($extra:expr),*)) => {
        impl WriteXml for $ty {
            fn write_xml(&self, out: &mut XmlOut) {
                out.$method($ty::ELEMENT_NAME, self, $($extra,)* &self.$field);
            }
        }
    };
}

// Elements without content.
write_xml!(empty:
    Pause,
    Record,
    Hangup,
    Reject,
    Leave,
    Echo,
    Break,
    Parameter,
);

// Elements whose content is one text field.
write_xml!(text_element():
    Play.url,
    Redirect.url,
    Enqueue.name,
    Sms.body,
    ReferSip.uri,
    Number.number,
    Sip.uri,
    Conference.name,
    Queue.name,
    Room.name,
    Phoneme.text,
    SayAs.text,
    Sub.text,
);

// Elements with mixed SSML content.
write_xml!(mixed():
    Say.content,
    Emphasis.children,
    Lang.children,
    Paragraph.children,
    Prosody.children,
    Sentence.children,
    Word.children,
);

// Elements holding elements.
write_xml!(container(None):
    Gather.children,
    Connect.children,
    Start.streams,
    Stop.streams,
    Stream.parameters,
);

impl WriteXml for Dial {
    fn write_xml(&self, out: &mut XmlOut) {
        out.container(
            Dial::ELEMENT_NAME,
            self,
            self.bare_number.as_deref(),
            &self.nouns,
        );
    }
}

impl WriteXml for Refer {
    fn write_xml(&self, out: &mut XmlOut) {
        out.container(Refer::ELEMENT_NAME, self, None, self.sip.as_slice());
    }
}

impl WriteXml for GatherChild {
    fn write_xml(&self, out: &mut XmlOut) {
        match self {
            GatherChild::Say(v) => v.write_xml(out),
            GatherChild::Play(v) => v.write_xml(out),
            GatherChild::Pause(v) => v.write_xml(out),
            GatherChild::Unknown(v) => out.unknown(v),
        }
    }
}

impl WriteXml for DialNoun {
    fn write_xml(&self, out: &mut XmlOut) {
        match self {
            DialNoun::Number(v) => v.write_xml(out),
            DialNoun::Sip(v) => v.write_xml(out),
            DialNoun::Conference(v) => v.write_xml(out),
            DialNoun::Queue(v) => v.write_xml(out),
            DialNoun::Unknown(v) => out.unknown(v),
        }
    }
}

impl WriteXml for ConnectChild {
    fn write_xml(&self, out: &mut XmlOut) {
        match self {
            ConnectChild::Stream(v) => v.write_xml(out),
            ConnectChild::Room(v) => v.write_xml(out),
            ConnectChild::Unknown(v) => out.unknown(v),
        }
    }
}

impl WriteXml for SsmlNode {
    fn write_xml(&self, out: &mut XmlOut) {
        match self {
            // Text is written by the parent, which knows the element name for errors.
            SsmlNode::Text(text) => out.text("Say", text),
            SsmlNode::Break(v) => v.write_xml(out),
            SsmlNode::Emphasis(v) => v.write_xml(out),
            SsmlNode::Lang(v) => v.write_xml(out),
            SsmlNode::Paragraph(v) => v.write_xml(out),
            SsmlNode::Phoneme(v) => v.write_xml(out),
            SsmlNode::Prosody(v) => v.write_xml(out),
            SsmlNode::Sentence(v) => v.write_xml(out),
            SsmlNode::SayAs(v) => v.write_xml(out),
            SsmlNode::Sub(v) => v.write_xml(out),
            SsmlNode::Word(v) => v.write_xml(out),
            SsmlNode::Unknown(v) => out.unknown(v),
        }
    }
}
