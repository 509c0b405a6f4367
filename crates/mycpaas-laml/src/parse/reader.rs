//! The reading machinery the element code is built on: nodes from the event layer,
//! attributes into elements, text content, child loops, and elements kept as unknown.
//!
//! The names LaML defines are XML names (a test below checks every one), so only a name the
//! model does not know is checked against the `Name` production, before it is reported or
//! kept. A known attribute given twice is found as its field is set again; for kept ones,
//! which have no field, the tag is checked for repeats as a whole.

use std::borrow::Cow;

use super::events::{Attr, Events, Node, Tag};
use super::{ParseError, ParseErrorKind, ParseOptions};
use crate::attr::{AttrOutcome, Attributes};
use crate::model::{
    Break, Conference, Connect, Dial, Echo, Emphasis, Enqueue, Gather, Hangup, Lang, Leave, Number,
    Paragraph, Parameter, Pause, Phoneme, Play, Prosody, Queue, Record, Redirect, Refer, Reject,
    Room, Say, SayAs, Sentence, Sip, Sms, Start, Stop, Stream, Sub, Word,
};
use crate::xml10::{is_name, name_problem};
use crate::{Response, UnknownAttribute, UnknownElement, UnknownNode};

/// Every element name LaML defines (as the model spells it), to tell a misplaced element from an
/// unknown one.
const KNOWN_ELEMENTS: &[&str] = &[
    Response::ELEMENT_NAME,
    Say::ELEMENT_NAME,
    Play::ELEMENT_NAME,
    Pause::ELEMENT_NAME,
    Gather::ELEMENT_NAME,
    Dial::ELEMENT_NAME,
    Record::ELEMENT_NAME,
    Hangup::ELEMENT_NAME,
    Redirect::ELEMENT_NAME,
    Reject::ELEMENT_NAME,
    Enqueue::ELEMENT_NAME,
    Leave::ELEMENT_NAME,
    Sms::ELEMENT_NAME,
    Refer::ELEMENT_NAME,
    Echo::ELEMENT_NAME,
    Connect::ELEMENT_NAME,
    Start::ELEMENT_NAME,
    Stop::ELEMENT_NAME,
    Number::ELEMENT_NAME,
    Sip::ELEMENT_NAME,
    Conference::ELEMENT_NAME,
    Queue::ELEMENT_NAME,
    Stream::ELEMENT_NAME,
    Parameter::ELEMENT_NAME,
    Room::ELEMENT_NAME,
    Break::ELEMENT_NAME,
    Emphasis::ELEMENT_NAME,
    Lang::ELEMENT_NAME,
    Paragraph::ELEMENT_NAME,
    Phoneme::ELEMENT_NAME,
    Prosody::ELEMENT_NAME,
    Sentence::ELEMENT_NAME,
    SayAs::ELEMENT_NAME,
    Sub::ELEMENT_NAME,
    Word::ELEMENT_NAME,
];

pub(super) const VERBS: &str = "Say, Play, Pause, Gather, Dial, Record, Hangup, Redirect, Reject, Enqueue, Leave, Sms, Refer, Echo, Connect, Start, Stop";

/// A child of an element whose children are of several kinds: it keeps an element it does not
/// know (lenient parsing) as its `Unknown` variant.
pub(super) trait KeepsUnknown {
    /// The `Unknown` variant holding `element`.
    fn unknown(element: UnknownElement) -> Self;
}

pub(super) struct Parser<'a> {
    /// The event layer, which also makes every error (it holds the source the position is in).
    pub(super) events: Events<'a>,
    pub(super) options: &'a ParseOptions,
}

impl<'a> Parser<'a> {
    pub(super) fn new(src: &'a str, options: &'a ParseOptions) -> Self {
        Parser {
            events: Events::new(src, options.max_depth),
            options,
        }
    }

    /// An error about the element `start` opens, where it opens.
    pub(super) fn element_error(
        &self,
        kind: ParseErrorKind,
        start: &Tag<'a>,
        rule: impl Into<String>,
    ) -> ParseError {
        self.events
            .error(kind, start.pos, Some(start.name()), None, rule)
    }

    /// The next node.
    #[inline]
    pub(super) fn next(&mut self) -> Result<Node<'a>, ParseError> {
        self.events.next()
    }

    /// Refuses an element name that is not an XML name. The names LaML defines are, so only a
    /// name the model does not know is checked, before it is reported or kept.
    pub(super) fn check_element_name(&self, start: &Tag<'a>) -> Result<(), ParseError> {
        let name = start.name();
        if is_name(name) {
            return Ok(());
        }
        if name.is_empty() {
            // Most often a `<` meant as text (`1 < 2`): no element, so no known one.
            return Err(self.events.error(
                ParseErrorKind::UnknownElement,
                start.pos,
                None,
                None,
                "`<` starts an element, and no element name follows (write &lt; for the character)",
            ));
        }
        let rule = name_problem(name).unwrap_or_default();
        Err(self
            .events
            .error(ParseErrorKind::Syntax, start.pos, Some(name), None, rule))
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
        Err(self
            .events
            .error(ParseErrorKind::UnexpectedText, pos, element, None, rule))
    }

    /// Reads the attributes of `start` into `element`.
    pub(super) fn attributes<E: Attributes>(
        &self,
        start: &Tag<'a>,
        element: &mut E,
    ) -> Result<(), ParseError> {
        self.events
            .attributes(start, self.options.max_attributes, |attribute| {
                self.attribute(start, attribute, element)
            })?;
        let unknown = element.unknown_attributes_mut();
        if unknown.is_empty() {
            return Ok(());
        }
        // Kept attributes have no field that tells a repeat: check the tag as a whole.
        self.events.refuse_duplicates(start)?;
        // Kept attributes are written sorted; sort them now so a round trip is equal.
        unknown.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(())
    }

    /// Reads one attribute of `start` into `element`.
    fn attribute<E: Attributes>(
        &self,
        start: &Tag<'a>,
        attribute: Attr<'_>,
        element: &mut E,
    ) -> Result<(), ParseError> {
        let Attr { name, value, pos } = attribute;
        let element_name = start.name();
        let outcome = element.set_attribute(name, &value);
        if matches!(outcome, AttrOutcome::Unknown) && !is_name(name) {
            let rule = name_problem(name).unwrap_or_default();
            return Err(self.events.error(
                ParseErrorKind::Syntax,
                pos,
                Some(element_name),
                Some(name),
                rule,
            ));
        }
        match outcome {
            AttrOutcome::Known => {}
            AttrOutcome::Duplicate => {
                return Err(self.events.error(
                    ParseErrorKind::Syntax,
                    pos,
                    Some(element_name),
                    Some(name),
                    format!("attribute `{name}` appears more than once"),
                ));
            }
            AttrOutcome::Unknown if !self.options.lenient => {
                let allowed = if E::NAMES.is_empty() {
                    "none".to_owned()
                } else {
                    E::NAMES.join(", ")
                };
                return Err(self.events.error(
                    ParseErrorKind::UnknownAttribute,
                    pos,
                    Some(element_name),
                    Some(name),
                    format!("`{element_name}` has no attribute `{name}` (allowed: {allowed})"),
                ));
            }
            AttrOutcome::Invalid(rule) if !self.options.lenient => {
                return Err(self.events.error(
                    ParseErrorKind::InvalidValue,
                    pos,
                    Some(element_name),
                    Some(name),
                    rule.rule(),
                ));
            }
            AttrOutcome::Unknown | AttrOutcome::Invalid(_) => element
                .unknown_attributes_mut()
                .push(UnknownAttribute::new(name, value.into_owned())),
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
                Node::Close(_) => return Ok(out),
                Node::Open { start, .. } => {
                    return Err(self.element_error(
                        ParseErrorKind::MisplacedElement,
                        &start,
                        format!("`{name}` holds text only, not elements"),
                    ));
                }
                Node::Eof(pos) => return Err(self.unclosed(name, pos)),
            }
        }
    }

    pub(super) fn unclosed(&self, name: &str, pos: usize) -> ParseError {
        self.events.error(
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
                Node::Open { start, empty } => {
                    let pos = start.pos;
                    child(self, start, empty, pos)?;
                }
                Node::Close(_) => return Ok(()),
                Node::Eof(pos) => return Err(self.unclosed(name, pos)),
            }
        }
    }

    /// Reads the children of `parent`: `known` makes the ones it knows and answers `None` for
    /// any other, which is [`Self::foreign`] (kept as `C`'s unknown variant in lenient mode, else
    /// an error naming `allowed`). `text`, if given, collects the text between them.
    pub(super) fn child_list<C: KeepsUnknown>(
        &mut self,
        parent: &str,
        allowed: &str,
        empty: bool,
        text: Option<&mut String>,
        mut known: impl FnMut(&mut Self, &Tag<'a>, bool) -> Result<Option<C>, ParseError>,
    ) -> Result<Vec<C>, ParseError> {
        let mut list = Vec::new();
        self.element_children(parent, empty, text, |p, start, empty, pos| {
            let child = match known(p, &start, empty)? {
                Some(child) => child,
                None => C::unknown(p.foreign(parent, allowed, &start, empty, pos)?),
            };
            list.push(child);
            Ok(())
        })?;
        Ok(list)
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
        self.check_element_name(start)?;
        if self.options.lenient {
            return self.unknown(start, empty);
        }
        let name = start.name();
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
        Err(self.events.error(kind, pos, Some(name), None, rule))
    }

    /// Any element, kept as a generic tree (lenient mode).
    fn unknown(&mut self, start: &Tag<'a>, empty: bool) -> Result<UnknownElement, ParseError> {
        let name = start.name();
        let mut element = UnknownElement::new(name);
        let mut holder = UnknownAttributes(Vec::new());
        self.attributes(start, &mut holder)?;
        element.attributes = holder.0;
        if empty {
            return Ok(element);
        }
        loop {
            match self.next()? {
                Node::Text(text, _) => push_unknown_text(&mut element.children, text),
                Node::Open { start, empty } => {
                    self.check_element_name(&start)?;
                    let child = self.unknown(&start, empty)?;
                    element.children.push(UnknownNode::Element(child));
                }
                Node::Close(_) => return Ok(element),
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
        let name = start.name();
        self.element_children(name, empty, None, |p, child, _, pos| {
            Err(p.events.error(
                ParseErrorKind::MisplacedElement,
                pos,
                Some(child.name()),
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

    fn set_attribute(&mut self, _name: &str, _raw: &str) -> AttrOutcome {
        AttrOutcome::Unknown
    }

    fn unknown_attributes(&self) -> &[UnknownAttribute] {
        &self.0
    }

    fn unknown_attributes_mut(&mut self) -> &mut Vec<UnknownAttribute> {
        &mut self.0
    }
}

/// Appends text to the children of an unknown element, joined to the text before it (an empty
/// piece adds nothing).
fn push_unknown_text(children: &mut Vec<UnknownNode>, text: Cow<'_, str>) {
    if text.is_empty() {
        return;
    }
    if let Some(UnknownNode::Text(last)) = children.last_mut() {
        last.push_str(&text);
    } else {
        children.push(UnknownNode::Text(text.into_owned()));
    }
}

#[cfg(test)]
mod tests {
    use super::KNOWN_ELEMENTS;
    use crate::attr::Attributes;
    use crate::model::*;
    use crate::xml10::is_name;

    /// The parser checks only the names the model does not know: every known one must be an
    /// XML name.
    #[test]
    fn known_names_are_xml_names() {
        let mut names: Vec<&str> = KNOWN_ELEMENTS.to_vec();
        macro_rules! attributes_of {
            ($($ty:ty),*) => { $( names.extend(<$ty as Attributes>::NAMES); )* };
        }
        attributes_of!(
            crate::Response,
            Say,
            Play,
            Pause,
            Gather,
            Dial,
            Record,
            Hangup,
            Redirect,
            Reject,
            Enqueue,
            Leave,
            Sms,
            Refer,
            ReferSip,
            Echo,
            Connect,
            Start,
            Stop,
            Number,
            Sip,
            Conference,
            Queue,
            Stream,
            Parameter,
            Room,
            Break,
            Emphasis,
            Lang,
            Paragraph,
            Phoneme,
            Prosody,
            Sentence,
            SayAs,
            Sub,
            Word
        );
        for name in names {
            assert!(is_name(name), "{name}");
        }
    }
}
