//! Building the typed model from the events: one method per element.

use super::events::{Node, Tag};
use super::reader::{Parser, VERBS};
use super::{ParseError, ParseErrorKind};
use crate::model::{
    Break, Conference, Connect, ConnectChild, Dial, DialNoun, Emphasis, Enqueue, Gather,
    GatherChild, Lang, Number, Paragraph, Parameter, Phoneme, Play, Prosody, Queue, Redirect,
    Refer, ReferSip, Room, Say, SayAs, Sentence, Sip, Sms, SsmlNode, Start, Stop, Stream, Sub,
    Word, push_node, ssml_allows,
};
use crate::{Response, Verb};

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
                let mut verb: Redirect = self.with_attributes(start)?;
                verb.url = self.trimmed_content(Redirect::ELEMENT_NAME, empty)?;
                Verb::Redirect(verb)
            }
            "Reject" => Verb::Reject(self.leaf(start, empty)?),
            "Enqueue" => {
                let mut verb: Enqueue = self.with_attributes(start)?;
                verb.name = self.trimmed_content(Enqueue::ELEMENT_NAME, empty)?;
                Verb::Enqueue(verb)
            }
            "Leave" => Verb::Leave(self.leaf(start, empty)?),
            "Sms" => {
                let mut verb: Sms = self.with_attributes(start)?;
                verb.body = self.text_content(Sms::ELEMENT_NAME, empty)?;
                Verb::Sms(verb)
            }
            "Refer" => Verb::Refer(self.refer(start, empty)?),
            "Echo" => Verb::Echo(self.leaf(start, empty)?),
            "Connect" => Verb::Connect(self.connect(start, empty)?),
            "Start" => {
                let mut verb: Start = self.with_attributes(start)?;
                verb.streams = self.streams(Start::ELEMENT_NAME, empty)?;
                Verb::Start(verb)
            }
            "Stop" => {
                let mut verb: Stop = self.with_attributes(start)?;
                verb.streams = self.streams(Stop::ELEMENT_NAME, empty)?;
                Verb::Stop(verb)
            }
            _ => Verb::Unknown(self.foreign(Response::ELEMENT_NAME, VERBS, start, empty, pos)?),
        })
    }

    fn play(&mut self, start: &Tag<'a>, empty: bool) -> Result<Play, ParseError> {
        let mut play: Play = self.with_attributes(start)?;
        play.url = self.trimmed_content(Play::ELEMENT_NAME, empty)?;
        Ok(play)
    }

    fn say(&mut self, start: &Tag<'a>, empty: bool) -> Result<Say, ParseError> {
        let mut say: Say = self.with_attributes(start)?;
        say.content = self.ssml_content(Say::ELEMENT_NAME, empty)?;
        Ok(say)
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
                let mut e: Emphasis = self.with_attributes(start)?;
                e.children = self.ssml_content(name, empty)?;
                SsmlNode::Emphasis(e)
            }
            "lang" => {
                let mut e: Lang = self.with_attributes(start)?;
                e.children = self.ssml_content(name, empty)?;
                SsmlNode::Lang(e)
            }
            "p" => {
                let mut e: Paragraph = self.with_attributes(start)?;
                e.children = self.ssml_content(name, empty)?;
                SsmlNode::Paragraph(e)
            }
            "phoneme" => {
                let mut e: Phoneme = self.with_attributes(start)?;
                e.text = self.text_content(name, empty)?;
                SsmlNode::Phoneme(e)
            }
            "prosody" => {
                let mut e: Prosody = self.with_attributes(start)?;
                e.children = self.ssml_content(name, empty)?;
                SsmlNode::Prosody(e)
            }
            "s" => {
                let mut e: Sentence = self.with_attributes(start)?;
                e.children = self.ssml_content(name, empty)?;
                SsmlNode::Sentence(e)
            }
            "say-as" => {
                let mut e: SayAs = self.with_attributes(start)?;
                e.text = self.text_content(name, empty)?;
                SsmlNode::SayAs(e)
            }
            "sub" => {
                let mut e: Sub = self.with_attributes(start)?;
                e.text = self.text_content(name, empty)?;
                SsmlNode::Sub(e)
            }
            _ => {
                let mut e: Word = self.with_attributes(start)?;
                e.children = self.ssml_content(name, empty)?;
                SsmlNode::Word(e)
            }
        })
    }

    fn gather(&mut self, start: &Tag<'a>, empty: bool) -> Result<Gather, ParseError> {
        let mut gather: Gather = self.with_attributes(start)?;
        // Sized for the usual prompt or two: allocating once beats growing from empty.
        let mut children = Vec::with_capacity(if empty { 0 } else { 2 });
        self.element_children(Gather::ELEMENT_NAME, empty, None, |p, start, empty, pos| {
            children.push(match start.name() {
                "Say" => GatherChild::Say(p.say(&start, empty)?),
                "Play" => GatherChild::Play(p.play(&start, empty)?),
                "Pause" => GatherChild::Pause(p.leaf(&start, empty)?),
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

    fn dial(&mut self, start: &Tag<'a>, empty: bool) -> Result<Dial, ParseError> {
        let mut dial: Dial = self.with_attributes(start)?;
        let mut nouns = Vec::new();
        let mut text = String::new();
        self.element_children(
            Dial::ELEMENT_NAME,
            empty,
            Some(&mut text),
            |p, start, empty, pos| {
                nouns.push(match start.name() {
                    "Number" => {
                        let mut noun: Number = p.with_attributes(&start)?;
                        noun.number = p.trimmed_content(Number::ELEMENT_NAME, empty)?;
                        DialNoun::Number(noun)
                    }
                    "Sip" => {
                        let mut noun: Sip = p.with_attributes(&start)?;
                        noun.uri = p.trimmed_content(Sip::ELEMENT_NAME, empty)?;
                        DialNoun::Sip(noun)
                    }
                    "Conference" => {
                        let mut noun: Conference = p.with_attributes(&start)?;
                        noun.name = p.trimmed_content(Conference::ELEMENT_NAME, empty)?;
                        DialNoun::Conference(noun)
                    }
                    "Queue" => {
                        let mut noun: Queue = p.with_attributes(&start)?;
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

    fn refer(&mut self, start: &Tag<'a>, empty: bool) -> Result<Refer, ParseError> {
        let mut refer: Refer = self.with_attributes(start)?;
        let mut sip = None;
        self.element_children(Refer::ELEMENT_NAME, empty, None, |p, start, empty, pos| {
            if start.name() != ReferSip::ELEMENT_NAME || sip.is_some() {
                let rule = "`Refer` holds exactly one `Sip`";
                return Err(p.events.error(
                    ParseErrorKind::MisplacedElement,
                    pos,
                    Some(start.name()),
                    None,
                    rule,
                ));
            }
            let mut target: ReferSip = p.with_attributes(&start)?;
            target.uri = p.trimmed_content(ReferSip::ELEMENT_NAME, empty)?;
            sip = Some(target);
            Ok(())
        })?;
        refer.sip = sip;
        Ok(refer)
    }

    fn connect(&mut self, start: &Tag<'a>, empty: bool) -> Result<Connect, ParseError> {
        let mut connect: Connect = self.with_attributes(start)?;
        let mut children = Vec::new();
        self.element_children(
            Connect::ELEMENT_NAME,
            empty,
            None,
            |p, start, empty, pos| {
                children.push(match start.name() {
                    "Stream" => ConnectChild::Stream(p.stream(&start, empty)?),
                    "Room" => {
                        let mut room: Room = p.with_attributes(&start)?;
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
            if start.name() != Stream::ELEMENT_NAME {
                return Err(p.events.error(
                    ParseErrorKind::MisplacedElement,
                    pos,
                    Some(start.name()),
                    None,
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
        self.element_children(Stream::ELEMENT_NAME, empty, None, |p, start, empty, pos| {
            if start.name() != Parameter::ELEMENT_NAME {
                return Err(p.events.error(
                    ParseErrorKind::MisplacedElement,
                    pos,
                    Some(start.name()),
                    None,
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
