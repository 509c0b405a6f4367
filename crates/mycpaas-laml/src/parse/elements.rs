//! Building the typed model from the events: one method per element.

use super::events::{Node, Tag};
use super::reader::{KeepsUnknown, Parser, VERBS};
use super::{ParseError, ParseErrorKind};
use crate::model::{
    Break, Conference, Connect, ConnectChild, Dial, DialNoun, Emphasis, Enqueue, Gather,
    GatherChild, Lang, Number, Paragraph, Parameter, Phoneme, Play, Prosody, Queue, Redirect,
    Refer, ReferSip, Room, Say, SayAs, Sentence, Sip, Sms, SsmlNode, Start, Stop, Stream, Sub,
    Word, push_node, ssml_allows,
};
use crate::{Response, UnknownElement, Verb};

/// Reads an element whose content is one field: `Type.field = read` takes the attributes of
/// `start`, then fills `field` through the parser method `read` (`trimmed_content`,
/// `text_content`, `ssml_content` or `streams`, each given the element's name and `empty`).
macro_rules! content {
    ($parser:expr, $start:expr, $empty:expr; $ty:ident . $field:ident = $read:ident) => {{
        let mut element: $ty = $parser.with_attributes($start)?;
        element.$field = $parser.$read($ty::ELEMENT_NAME, $empty)?;
        element
    }};
}

impl KeepsUnknown for GatherChild {
    fn unknown(element: UnknownElement) -> Self {
        GatherChild::Unknown(element)
    }
}

impl KeepsUnknown for DialNoun {
    fn unknown(element: UnknownElement) -> Self {
        DialNoun::Unknown(element)
    }
}

impl KeepsUnknown for ConnectChild {
    fn unknown(element: UnknownElement) -> Self {
        ConnectChild::Unknown(element)
    }
}

impl<'a> Parser<'a> {
    pub(super) fn document(&mut self) -> Result<Response, ParseError> {
        let response = loop {
            match self.next()? {
                Node::Text(text, pos) => self.whitespace_only(&text, pos, None)?,
                Node::Open { start, empty } => {
                    let (name, pos) = (start.name(), start.pos);
                    if name != Response::ELEMENT_NAME {
                        self.check_element_name(&start)?;
                        return Err(self.events.error(
                            ParseErrorKind::Root,
                            pos,
                            Some(name),
                            None,
                            "the root element must be `Response` (names are case-sensitive)",
                        ));
                    }
                    break self.response(&start, empty)?;
                }
                // quick-xml refuses an end tag that closes no element: only the end comes here.
                Node::Close(pos) | Node::Eof(pos) => {
                    return Err(self.events.error(
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
                Node::Close(_) | Node::Eof(_) => return Ok(response),
                Node::Open { start, .. } => {
                    return Err(self.element_error(
                        ParseErrorKind::Root,
                        &start,
                        "only one root element is allowed, after `</Response>` comes nothing",
                    ));
                }
            }
        }
    }

    fn response(&mut self, start: &Tag<'a>, empty: bool) -> Result<Response, ParseError> {
        let mut response = Response::default();
        self.attributes(start, &mut response)?;
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

    fn verb(&mut self, start: &Tag<'a>, empty: bool, pos: usize) -> Result<Verb, ParseError> {
        Ok(match start.name() {
            "Say" => Verb::Say(self.say(start, empty)?),
            "Play" => Verb::Play(self.play(start, empty)?),
            "Pause" => Verb::Pause(self.leaf(start, empty)?),
            "Gather" => Verb::Gather(self.gather(start, empty)?),
            "Dial" => Verb::Dial(self.dial(start, empty)?),
            "Record" => Verb::Record(self.leaf(start, empty)?),
            "Hangup" => Verb::Hangup(self.leaf(start, empty)?),
            "Redirect" => {
                Verb::Redirect(content!(self, start, empty; Redirect.url = trimmed_content))
            }
            "Reject" => Verb::Reject(self.leaf(start, empty)?),
            "Enqueue" => {
                Verb::Enqueue(content!(self, start, empty; Enqueue.name = trimmed_content))
            }
            "Leave" => Verb::Leave(self.leaf(start, empty)?),
            "Sms" => Verb::Sms(content!(self, start, empty; Sms.body = text_content)),
            "Refer" => Verb::Refer(self.refer(start, empty)?),
            "Echo" => Verb::Echo(self.leaf(start, empty)?),
            "Connect" => Verb::Connect(self.connect(start, empty)?),
            "Start" => Verb::Start(content!(self, start, empty; Start.streams = streams)),
            "Stop" => Verb::Stop(content!(self, start, empty; Stop.streams = streams)),
            _ => Verb::Unknown(self.foreign(Response::ELEMENT_NAME, VERBS, start, empty, pos)?),
        })
    }

    fn play(&mut self, start: &Tag<'a>, empty: bool) -> Result<Play, ParseError> {
        Ok(content!(self, start, empty; Play.url = trimmed_content))
    }

    fn say(&mut self, start: &Tag<'a>, empty: bool) -> Result<Say, ParseError> {
        Ok(content!(self, start, empty; Say.content = ssml_content))
    }

    /// Mixed content: text and SSML elements.
    fn ssml_content(&mut self, parent: &str, empty: bool) -> Result<Vec<SsmlNode>, ParseError> {
        if empty {
            return Ok(Vec::new());
        }
        // Most content is one piece of text: allocate for it once instead of growing.
        let mut nodes = Vec::with_capacity(1);
        loop {
            match self.next()? {
                Node::Text(text, _) => push_node(&mut nodes, SsmlNode::Text(text.into_owned())),
                Node::Open { start, empty } => {
                    let node = self.ssml_element(parent, &start, empty, start.pos)?;
                    push_node(&mut nodes, node);
                }
                Node::Close(_) => return Ok(nodes),
                Node::Eof(pos) => return Err(self.unclosed(parent, pos)),
            }
        }
    }

    fn ssml_element(
        &mut self,
        parent: &str,
        start: &Tag<'a>,
        empty: bool,
        pos: usize,
    ) -> Result<SsmlNode, ParseError> {
        let name = start.name();
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
            "break" => SsmlNode::Break(self.leaf::<Break>(start, empty)?),
            "emphasis" => {
                SsmlNode::Emphasis(content!(self, start, empty; Emphasis.children = ssml_content))
            }
            "lang" => SsmlNode::Lang(content!(self, start, empty; Lang.children = ssml_content)),
            "p" => {
                SsmlNode::Paragraph(content!(self, start, empty; Paragraph.children = ssml_content))
            }
            "phoneme" => {
                SsmlNode::Phoneme(content!(self, start, empty; Phoneme.text = text_content))
            }
            "prosody" => {
                SsmlNode::Prosody(content!(self, start, empty; Prosody.children = ssml_content))
            }
            "s" => {
                SsmlNode::Sentence(content!(self, start, empty; Sentence.children = ssml_content))
            }
            "say-as" => SsmlNode::SayAs(content!(self, start, empty; SayAs.text = text_content)),
            "sub" => SsmlNode::Sub(content!(self, start, empty; Sub.text = text_content)),
            _ => SsmlNode::Word(content!(self, start, empty; Word.children = ssml_content)),
        })
    }

    fn gather(&mut self, start: &Tag<'a>, empty: bool) -> Result<Gather, ParseError> {
        let mut gather: Gather = self.with_attributes(start)?;
        let (parent, allowed) = (Gather::ELEMENT_NAME, "Say, Play, Pause");
        gather.children = self.child_list(parent, allowed, empty, None, |p, start, empty| {
            Ok(Some(match start.name() {
                "Say" => GatherChild::Say(p.say(start, empty)?),
                "Play" => GatherChild::Play(p.play(start, empty)?),
                "Pause" => GatherChild::Pause(p.leaf(start, empty)?),
                _ => return Ok(None),
            }))
        })?;
        Ok(gather)
    }

    fn dial(&mut self, start: &Tag<'a>, empty: bool) -> Result<Dial, ParseError> {
        let mut dial: Dial = self.with_attributes(start)?;
        let (parent, allowed) = (Dial::ELEMENT_NAME, "Number, Sip, Conference, Queue");
        let mut text = String::new();
        let bare = Some(&mut text);
        dial.nouns = self.child_list(parent, allowed, empty, bare, |p, start, empty| {
            Ok(Some(match start.name() {
                "Number" => {
                    DialNoun::Number(content!(p, start, empty; Number.number = trimmed_content))
                }
                "Sip" => DialNoun::Sip(content!(p, start, empty; Sip.uri = trimmed_content)),
                "Conference" => DialNoun::Conference(
                    content!(p, start, empty; Conference.name = trimmed_content),
                ),
                "Queue" => DialNoun::Queue(content!(p, start, empty; Queue.name = trimmed_content)),
                _ => return Ok(None),
            }))
        })?;
        let number = text.trim();
        if !number.is_empty() {
            dial.bare_number = Some(number.to_owned());
        }
        Ok(dial)
    }

    fn refer(&mut self, start: &Tag<'a>, empty: bool) -> Result<Refer, ParseError> {
        let mut refer: Refer = self.with_attributes(start)?;
        let mut sip = None;
        self.element_children(Refer::ELEMENT_NAME, empty, None, |p, start, empty, _| {
            if start.name() != ReferSip::ELEMENT_NAME || sip.is_some() {
                let rule = "`Refer` holds exactly one `Sip`";
                return Err(p.element_error(ParseErrorKind::MisplacedElement, &start, rule));
            }
            sip = Some(content!(p, &start, empty; ReferSip.uri = trimmed_content));
            Ok(())
        })?;
        refer.sip = sip;
        Ok(refer)
    }

    fn connect(&mut self, start: &Tag<'a>, empty: bool) -> Result<Connect, ParseError> {
        let mut connect: Connect = self.with_attributes(start)?;
        let (parent, allowed) = (Connect::ELEMENT_NAME, "Stream, Room");
        connect.children = self.child_list(parent, allowed, empty, None, |p, start, empty| {
            Ok(Some(match start.name() {
                "Room" => {
                    ConnectChild::Room(content!(p, start, empty; Room.name = trimmed_content))
                }
                "Stream" => ConnectChild::Stream(p.stream(start, empty)?),
                _ => return Ok(None),
            }))
        })?;
        Ok(connect)
    }

    /// The `Stream` children of `Start` / `Stop`.
    fn streams(&mut self, parent: &str, empty: bool) -> Result<Vec<Stream>, ParseError> {
        let mut streams = Vec::new();
        self.element_children(parent, empty, None, |p, start, empty, _| {
            if start.name() != Stream::ELEMENT_NAME {
                return Err(p.element_error(
                    ParseErrorKind::MisplacedElement,
                    &start,
                    format!("`{parent}` holds `Stream` elements only"),
                ));
            }
            streams.push(p.stream(&start, empty)?);
            Ok(())
        })?;
        Ok(streams)
    }

    fn stream(&mut self, start: &Tag<'a>, empty: bool) -> Result<Stream, ParseError> {
        let mut stream: Stream = self.with_attributes(start)?;
        let mut parameters = Vec::new();
        self.element_children(Stream::ELEMENT_NAME, empty, None, |p, start, empty, _| {
            if start.name() != Parameter::ELEMENT_NAME {
                return Err(p.element_error(
                    ParseErrorKind::MisplacedElement,
                    &start,
                    "`Stream` holds `Parameter` elements only",
                ));
            }
            parameters.push(p.leaf::<Parameter>(&start, empty)?);
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
