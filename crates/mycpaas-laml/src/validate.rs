//! Validation: the rules of the format that the types alone do not enforce (value ranges,
//! noun combinations, unreachable verbs, URLs, SSML nesting).

use std::collections::HashMap;
use std::fmt;

use crate::attr::Attributes;
use crate::model::{
    Conference, Connect, ConnectChild, Dial, DialNoun, Echo, Enqueue, Gather, GatherChild, Number,
    Play, Queue, Record, Redirect, Refer, Say, Sip, Sms, SsmlNode, Stream, ssml_allows,
};
use crate::{Response, UnknownElement, Verb};

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Severity {
    /// The document breaks a rule of the format: the provider would refuse or misplay it.
    Error,
    /// The document is valid but probably not what was meant (e.g. unreachable verbs).
    Warning,
}

/// One finding of [`Response::validate`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Diagnostic {
    /// How serious it is.
    pub severity: Severity,
    /// Where: element names from the root, with a 1-based index among same-named siblings
    /// when there are several, e.g. `Response/Gather[2]/Play`.
    pub path: String,
    /// What is wrong, naming the attribute and the rule.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{severity}: {}: {}", self.path, self.message)
    }
}

impl Response {
    /// Checks the rules of the format and returns what breaks them; empty when the document
    /// is fine.
    ///
    /// ```
    /// use mycpaas_laml::{Dial, Response, Severity};
    /// let doc = Response::new().hangup().dial(Dial::new().timeout(2).number("+15551230000"));
    /// let found = doc.validate();
    /// assert_eq!(found.len(), 2);
    /// assert_eq!(found[0].path, "Response/Dial");
    /// assert_eq!(found[0].severity, Severity::Warning); // unreachable after Hangup
    /// assert!(found[1].message.contains("timeout"));
    /// assert_eq!(found[1].severity, Severity::Error);
    /// ```
    pub fn validate(&self) -> Vec<Diagnostic> {
        let mut v = Validator { found: Vec::new() };
        v.response(self);
        v.found
    }

    /// As [`Response::validate`], for a document played to callers waiting in a queue or a
    /// conference (fetched from a `waitUrl`): such a document may not hold `Dial`, `Gather`,
    /// `Hangup` or `Record`.
    ///
    /// ```
    /// use mycpaas_laml::{Gather, Response};
    /// let hold_music = Response::new().play("https://example.com/hold.mp3");
    /// assert!(hold_music.validate_for_wait_url().is_empty());
    /// let found = Response::new().gather(Gather::new().say("x")).validate_for_wait_url();
    /// assert_eq!(found[0].path, "Response/Gather");
    /// ```
    pub fn validate_for_wait_url(&self) -> Vec<Diagnostic> {
        let mut v = Validator { found: Vec::new() };
        let paths = child_paths(
            Response::ELEMENT_NAME,
            self.verbs.iter().map(Verb::element_name),
        );
        for (verb, path) in self.verbs.iter().zip(&paths) {
            if matches!(
                verb,
                Verb::Dial(_) | Verb::Gather(_) | Verb::Hangup(_) | Verb::Record(_)
            ) {
                v.error(
                    path,
                    format!(
                        "`{}` is not allowed in a document fetched for `waitUrl`",
                        verb.element_name()
                    ),
                );
            }
        }
        v.response(self);
        v.found
    }
}

struct Validator {
    found: Vec<Diagnostic>,
}

/// Paths of siblings: `parent/Name`, or `parent/Name[i]` when the name occurs more than once.
fn child_paths<'n>(parent: &str, names: impl Iterator<Item = &'n str> + Clone) -> Vec<String> {
    let mut totals: HashMap<&str, usize> = HashMap::new();
    for name in names.clone() {
        *totals.entry(name).or_default() += 1;
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    names
        .map(|name| {
            let index = seen.entry(name).or_default();
            *index += 1;
            if totals.get(name).copied().unwrap_or(0) > 1 {
                format!("{parent}/{name}[{index}]")
            } else {
                format!("{parent}/{name}")
            }
        })
        .collect()
}

/// Whether every character of `value` is a DTMF key or `w` (a half-second wait).
fn is_dtmf(value: &str) -> bool {
    value
        .chars()
        .all(|c| c.is_ascii_digit() || c == '*' || c == '#' || c == 'w' || c == 'W')
}

fn is_key(c: char) -> bool {
    c.is_ascii_digit() || c == '*' || c == '#'
}

/// What is wrong with a URL, if it is absolute and malformed. Relative URLs (resolved against
/// the document's URL) are accepted as they are.
fn url_problem(value: &str, schemes: &[&str]) -> Option<String> {
    let scheme_end = value.find(':')?;
    let scheme = &value[..scheme_end];
    let looks_like_scheme = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !looks_like_scheme {
        return None; // a relative reference such as `/menu?x=a:b`
    }
    let scheme = scheme.to_ascii_lowercase();
    if !schemes.contains(&scheme.as_str()) {
        return Some(format!(
            "the URL scheme `{scheme}` is not supported (expected {})",
            schemes.join(" or ")
        ));
    }
    let Some(rest) = value[scheme_end + 1..].strip_prefix("//") else {
        return Some(format!(
            "`{value}` is not an absolute URL: `//` must follow `{scheme}:`"
        ));
    };
    if let Some(c) = value.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Some(format!(
            "`{value}` holds {c:?}: spaces and control characters must be percent-encoded"
        ));
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = if let Some(v6) = host_port.strip_prefix('[') {
        match v6.split_once(']') {
            Some((h, tail)) => (h, tail.strip_prefix(':')),
            None => return Some(format!("`{value}` has an unclosed IPv6 host")),
        }
    } else {
        match host_port.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (host_port, None),
        }
    };
    if host.is_empty() {
        return Some(format!("`{value}` has no host"));
    }
    if !host_port.starts_with('[')
        && !host
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '%'))
    {
        return Some(format!("`{value}` has an invalid host `{host}`"));
    }
    if let Some(port) = port {
        if !port.is_empty() && port.parse::<u16>().is_err() {
            return Some(format!("`{value}` has an invalid port `{port}`"));
        }
    }
    None
}

const HTTP: &[&str] = &["http", "https"];

impl Validator {
    fn push(&mut self, severity: Severity, path: &str, message: impl Into<String>) {
        self.found.push(Diagnostic {
            severity,
            path: path.to_owned(),
            message: message.into(),
        });
    }

    fn error(&mut self, path: &str, message: impl Into<String>) {
        self.push(Severity::Error, path, message);
    }

    fn warning(&mut self, path: &str, message: impl Into<String>) {
        self.push(Severity::Warning, path, message);
    }

    /// Warns about attributes kept by lenient parsing.
    fn unknown_attributes<E: Attributes>(&mut self, path: &str, element: &E) {
        for attribute in element.unknown_attributes() {
            let message = if E::NAMES.contains(&attribute.name.as_str()) {
                format!(
                    "attribute `{}` has a value this crate cannot read: \"{}\"",
                    attribute.name, attribute.value
                )
            } else {
                format!("attribute `{}` is not part of LaML", attribute.name)
            };
            self.warning(path, message);
        }
    }

    fn unknown_element(&mut self, path: &str, element: &UnknownElement, place: &str) {
        self.warning(
            path,
            format!(
                "`{}` is not allowed {place}; it is kept as is",
                element.name
            ),
        );
    }

    fn url(&mut self, path: &str, attribute: &str, value: Option<&String>) {
        if let Some(value) = value {
            if let Some(problem) = url_problem(value, HTTP) {
                self.error(path, format!("attribute `{attribute}`: {problem}"));
            }
        }
    }

    /// An error when the text content `value` of the element at `path` is empty.
    fn required(&mut self, path: &str, value: &str, message: &str) {
        if value.is_empty() {
            self.error(path, message);
        }
    }

    fn range(&mut self, path: &str, attribute: &str, value: Option<u32>, min: u32, max: u32) {
        if let Some(value) = value {
            if !(min..=max).contains(&value) {
                self.error(
                    path,
                    format!("attribute `{attribute}` is {value}, outside {min}–{max}"),
                );
            }
        }
    }

    fn response(&mut self, response: &Response) {
        let root = Response::ELEMENT_NAME;
        self.unknown_attributes(root, response);
        if let Err(error) = response.try_to_xml() {
            self.error(root, error.to_string());
        }
        let paths = child_paths(root, response.verbs.iter().map(Verb::element_name));
        let mut ended_by: Option<&str> = None;
        for (verb, path) in response.verbs.iter().zip(&paths) {
            if let Some(end) = ended_by {
                self.warning(
                    path,
                    format!("unreachable: the call never gets past `{end}`"),
                );
            }
            self.verb(verb, path);
            if ended_by.is_none() && ends_document(verb) {
                ended_by = Some(path);
            }
        }
    }

    fn verb(&mut self, verb: &Verb, path: &str) {
        match verb {
            Verb::Say(say) => self.say(say, path),
            Verb::Play(play) => self.play(play, path, false),
            Verb::Pause(pause) => self.unknown_attributes(path, pause),
            Verb::Gather(gather) => self.gather(gather, path),
            Verb::Dial(dial) => self.dial(dial, path),
            Verb::Record(record) => self.record(record, path),
            Verb::Hangup(hangup) => self.unknown_attributes(path, hangup),
            Verb::Redirect(redirect) => self.redirect(redirect, path),
            Verb::Reject(reject) => self.unknown_attributes(path, reject),
            Verb::Enqueue(enqueue) => self.enqueue(enqueue, path),
            Verb::Leave(leave) => self.unknown_attributes(path, leave),
            Verb::Sms(sms) => self.sms(sms, path),
            Verb::Refer(refer) => self.refer(refer, path),
            Verb::Echo(echo) => self.echo(echo, path),
            Verb::Connect(connect) => self.connect(connect, path),
            Verb::Start(start) => {
                self.unknown_attributes(path, start);
                self.url(path, "action", start.action.as_ref());
                self.streams(path, "Start", &start.streams, true);
            }
            Verb::Stop(stop) => {
                self.unknown_attributes(path, stop);
                self.url(path, "action", stop.action.as_ref());
                self.streams(path, "Stop", &stop.streams, false);
            }
            Verb::Unknown(element) => self.unknown_element(path, element, "in `Response`"),
        }
    }

    fn say(&mut self, say: &Say, path: &str) {
        self.unknown_attributes(path, say);
        let length = say.plain_text().chars().count();
        if length > 4096 {
            self.error(
                path,
                format!("the text is {length} characters, more than the 4096 allowed"),
            );
        }
        if say.content.is_empty() {
            self.warning(path, "`Say` has nothing to speak");
        }
        self.ssml(path, Say::ELEMENT_NAME, &say.content);
    }

    fn ssml(&mut self, path: &str, parent: &str, nodes: &[SsmlNode]) {
        let elements = nodes.iter().filter(|n| n.element_name().is_some());
        let paths = child_paths(path, elements.clone().filter_map(SsmlNode::element_name));
        for (node, child_path) in elements.zip(&paths) {
            let name = node.element_name().unwrap_or_default();
            if let SsmlNode::Unknown(element) = node {
                self.unknown_element(child_path, element, &format!("in `{parent}`"));
                continue;
            }
            if !ssml_allows(parent, name) {
                self.error(
                    child_path,
                    format!("`{name}` may not be nested in `{parent}`"),
                );
            }
            match node {
                SsmlNode::Break(e) => {
                    self.unknown_attributes(child_path, e);
                    if let Some(time) = e.time {
                        if time.as_millis() > 10_000 {
                            self.error(
                                child_path,
                                format!("attribute `time` is {time}, more than 10s"),
                            );
                        }
                    }
                }
                SsmlNode::Emphasis(e) => self.unknown_attributes(child_path, e),
                SsmlNode::Lang(e) => self.unknown_attributes(child_path, e),
                SsmlNode::Paragraph(e) => self.unknown_attributes(child_path, e),
                SsmlNode::Phoneme(e) => self.unknown_attributes(child_path, e),
                SsmlNode::Prosody(e) => self.unknown_attributes(child_path, e),
                SsmlNode::Sentence(e) => self.unknown_attributes(child_path, e),
                SsmlNode::SayAs(e) => self.unknown_attributes(child_path, e),
                SsmlNode::Sub(e) => self.unknown_attributes(child_path, e),
                SsmlNode::Word(e) => self.unknown_attributes(child_path, e),
                SsmlNode::Text(_) | SsmlNode::Unknown(_) => {}
            }
            if let Some(children) = node.children() {
                self.ssml(child_path, name, children);
            }
        }
    }

    fn play(&mut self, play: &Play, path: &str, in_gather: bool) {
        self.unknown_attributes(path, play);
        if play.url.is_empty() && play.digits.is_none() {
            self.error(path, "`Play` needs an audio URL or `digits`");
        }
        if !play.url.is_empty() {
            if let Some(problem) = url_problem(&play.url, HTTP) {
                self.error(path, format!("the audio URL: {problem}"));
            }
        }
        if let Some(digits) = &play.digits {
            if in_gather {
                self.error(path, "attribute `digits` is not allowed inside `Gather`");
            }
            if !is_dtmf(digits) {
                self.error(
                    path,
                    format!("attribute `digits` is \"{digits}\": only 0-9, *, # and w are allowed"),
                );
            }
        }
    }

    fn gather(&mut self, gather: &Gather, path: &str) {
        self.unknown_attributes(path, gather);
        self.url(path, "action", gather.action.as_ref());
        self.url(
            path,
            "partialResultCallback",
            gather.partial_result_callback.as_ref(),
        );
        if let Some(key) = &gather.finish_on_key {
            let mut chars = key.chars();
            let ok = match (chars.next(), chars.next()) {
                (None, _) => true,
                (Some(c), None) => is_key(c),
                _ => false,
            };
            if !ok {
                self.error(
                    path,
                    format!(
                        "attribute `finishOnKey` is \"{key}\": one of 0-9, * and #, or empty, is allowed"
                    ),
                );
            }
        }
        if gather.num_digits == Some(0) {
            self.error(path, "attribute `numDigits` is 0: at least 1 is needed");
        }
        let paths = child_paths(path, gather.children.iter().map(GatherChild::element_name));
        for (child, child_path) in gather.children.iter().zip(&paths) {
            match child {
                GatherChild::Say(say) => self.say(say, child_path),
                GatherChild::Play(play) => self.play(play, child_path, true),
                GatherChild::Pause(pause) => self.unknown_attributes(child_path, pause),
                GatherChild::Unknown(element) => {
                    self.unknown_element(
                        child_path,
                        element,
                        "in `Gather` (only Say, Play, Pause)",
                    );
                }
            }
        }
    }

    fn dial(&mut self, dial: &Dial, path: &str) {
        self.unknown_attributes(path, dial);
        self.url(path, "action", dial.action.as_ref());
        self.url(
            path,
            "recordingStatusCallback",
            dial.recording_status_callback.as_ref(),
        );
        self.range(path, "timeout", dial.timeout, 5, 600);
        let bare = dial.bare_number.as_deref().is_some_and(|n| !n.is_empty());
        if !bare && dial.nouns.is_empty() {
            self.error(
                path,
                "`Dial` needs a number, or a Number, Sip, Conference or Queue",
            );
        }
        let count = |noun: fn(&DialNoun) -> bool| dial.nouns.iter().filter(|n| noun(n)).count();
        let numbers = count(|n| matches!(n, DialNoun::Number(_)));
        if numbers > 10 {
            self.error(
                path,
                format!("{numbers} `Number` nouns: at most 10 can be rung at once"),
            );
        }
        let conferences = count(|n| matches!(n, DialNoun::Conference(_)));
        if conferences > 1 {
            self.error(
                path,
                format!("{conferences} `Conference` nouns: a Dial joins one conference"),
            );
        }
        if conferences > 0 && (bare || dial.nouns.len() > conferences) {
            self.error(path, "`Conference` must be alone in its Dial");
        }
        let paths = child_paths(path, dial.nouns.iter().map(DialNoun::element_name));
        for (noun, noun_path) in dial.nouns.iter().zip(&paths) {
            match noun {
                DialNoun::Number(number) => self.number(number, noun_path),
                DialNoun::Sip(sip) => self.sip(sip, noun_path),
                DialNoun::Conference(conference) => self.conference(conference, noun_path),
                DialNoun::Queue(queue) => self.queue(queue, noun_path),
                DialNoun::Unknown(element) => self.unknown_element(
                    noun_path,
                    element,
                    "in `Dial` (only Number, Sip, Conference, Queue)",
                ),
            }
        }
    }

    fn number(&mut self, number: &Number, path: &str) {
        self.unknown_attributes(path, number);
        if number.number.is_empty() {
            self.error(path, "`Number` is empty");
        }
        if let Some(digits) = &number.send_digits {
            if !is_dtmf(digits) {
                self.error(
                    path,
                    format!(
                        "attribute `sendDigits` is \"{digits}\": only 0-9, *, # and w are allowed"
                    ),
                );
            }
        }
        self.url(path, "url", number.url.as_ref());
        self.url(path, "statusCallback", number.status_callback.as_ref());
    }

    fn sip(&mut self, sip: &Sip, path: &str) {
        self.unknown_attributes(path, sip);
        self.sip_uri(path, &sip.uri);
        self.url(path, "url", sip.url.as_ref());
        self.url(path, "statusCallback", sip.status_callback.as_ref());
    }

    fn sip_uri(&mut self, path: &str, uri: &str) {
        let lower = uri.to_ascii_lowercase();
        if !(lower.starts_with("sip:") || lower.starts_with("sips:")) || uri.len() <= 5 {
            self.error(
                path,
                format!("the SIP URI \"{uri}\" must start with sip: or sips:"),
            );
        }
    }

    fn conference(&mut self, conference: &Conference, path: &str) {
        self.unknown_attributes(path, conference);
        self.required(path, &conference.name, "`Conference` needs a room name");
        self.url(path, "waitUrl", conference.wait_url.as_ref());
        self.url(path, "statusCallback", conference.status_callback.as_ref());
        self.url(
            path,
            "recordingStatusCallback",
            conference.recording_status_callback.as_ref(),
        );
    }

    fn queue(&mut self, queue: &Queue, path: &str) {
        self.unknown_attributes(path, queue);
        self.required(path, &queue.name, "`Queue` needs a queue name");
        self.url(path, "url", queue.url.as_ref());
    }

    fn record(&mut self, record: &Record, path: &str) {
        self.unknown_attributes(path, record);
        self.url(path, "action", record.action.as_ref());
        self.url(
            path,
            "recordingStatusCallback",
            record.recording_status_callback.as_ref(),
        );
        self.url(
            path,
            "transcribeCallback",
            record.transcribe_callback.as_ref(),
        );
        if let Some(keys) = &record.finish_on_key {
            if !keys.chars().all(is_key) {
                self.error(
                    path,
                    format!("attribute `finishOnKey` is \"{keys}\": only 0-9, * and # are allowed"),
                );
            }
        }
    }

    fn redirect(&mut self, redirect: &Redirect, path: &str) {
        self.unknown_attributes(path, redirect);
        if redirect.url.is_empty() {
            self.error(path, "`Redirect` needs a URL");
        } else if let Some(problem) = url_problem(&redirect.url, HTTP) {
            self.error(path, format!("the URL: {problem}"));
        }
    }

    fn enqueue(&mut self, enqueue: &Enqueue, path: &str) {
        self.unknown_attributes(path, enqueue);
        self.required(path, &enqueue.name, "`Enqueue` needs a queue name");
        self.url(path, "action", enqueue.action.as_ref());
        self.url(path, "waitUrl", enqueue.wait_url.as_ref());
    }

    fn sms(&mut self, sms: &Sms, path: &str) {
        self.unknown_attributes(path, sms);
        let length = sms.body.chars().count();
        if length == 0 {
            self.error(path, "`Sms` has no message body");
        } else if length >= 1600 {
            self.error(
                path,
                format!("the message is {length} characters: fewer than 1600 are allowed"),
            );
        }
        self.url(path, "action", sms.action.as_ref());
        self.url(path, "statusCallback", sms.status_callback.as_ref());
    }

    fn refer(&mut self, refer: &Refer, path: &str) {
        self.unknown_attributes(path, refer);
        self.url(path, "action", refer.action.as_ref());
        match &refer.sip {
            None => self.error(path, "`Refer` needs one `Sip` target"),
            Some(sip) => {
                let sip_path = format!("{path}/Sip");
                self.unknown_attributes(&sip_path, sip);
                self.sip_uri(&sip_path, &sip.uri);
            }
        }
    }

    fn echo(&mut self, echo: &Echo, path: &str) {
        self.unknown_attributes(path, echo);
        self.range(path, "timeout", echo.timeout, 5, 120);
    }

    fn connect(&mut self, connect: &Connect, path: &str) {
        self.unknown_attributes(path, connect);
        self.url(path, "action", connect.action.as_ref());
        if connect.children.is_empty() {
            self.error(path, "`Connect` needs a `Stream` or a `Room`");
        }
        let paths = child_paths(
            path,
            connect.children.iter().map(ConnectChild::element_name),
        );
        for (child, child_path) in connect.children.iter().zip(&paths) {
            match child {
                ConnectChild::Stream(stream) => self.stream(stream, child_path, true),
                ConnectChild::Room(room) => {
                    self.unknown_attributes(child_path, room);
                    self.required(child_path, &room.name, "`Room` needs a room name");
                }
                ConnectChild::Unknown(element) => {
                    self.unknown_element(child_path, element, "in `Connect` (only Stream, Room)");
                }
            }
        }
    }

    fn streams(&mut self, path: &str, parent: &str, streams: &[Stream], need_url: bool) {
        if streams.is_empty() {
            self.error(path, format!("`{parent}` needs a `Stream`"));
        }
        let paths = child_paths(path, streams.iter().map(|_| Stream::ELEMENT_NAME));
        for (stream, stream_path) in streams.iter().zip(&paths) {
            self.stream(stream, stream_path, need_url);
        }
    }

    fn stream(&mut self, stream: &Stream, path: &str, need_url: bool) {
        self.unknown_attributes(path, stream);
        match &stream.url {
            Some(url) => {
                if !url.to_ascii_lowercase().starts_with("wss://") {
                    self.error(
                        path,
                        format!("attribute `url` is \"{url}\": a wss:// URL is needed"),
                    );
                } else if let Some(problem) = url_problem(url, &["wss"]) {
                    self.error(path, format!("attribute `url`: {problem}"));
                }
            }
            None if need_url => self.error(path, "`Stream` needs a `url` (wss://)"),
            None if stream.name.is_none() => {
                self.error(
                    path,
                    "`Stream` needs the `name` or `url` of the stream to stop",
                );
            }
            None => {}
        }
        self.url(path, "statusCallback", stream.status_callback.as_ref());
        let paths = child_paths(path, stream.parameters.iter().map(|_| "Parameter"));
        for (parameter, parameter_path) in stream.parameters.iter().zip(&paths) {
            self.unknown_attributes(parameter_path, parameter);
            if parameter.name.as_deref().is_none_or(str::is_empty) {
                self.error(parameter_path, "`Parameter` needs a `name`");
            }
        }
    }
}

/// Whether the call leaves this document after `verb`: verbs after it are unreachable.
fn ends_document(verb: &Verb) -> bool {
    match verb {
        Verb::Hangup(_) | Verb::Redirect(_) | Verb::Reject(_) | Verb::Record(_) => true,
        // These hand control to their action's document when they finish.
        Verb::Dial(Dial { action, .. })
        | Verb::Enqueue(Enqueue { action, .. })
        | Verb::Sms(Sms { action, .. }) => action.is_some(),
        Verb::Gather(gather) => gather.action_on_empty_result == Some(true),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_index_repeated_names_only() {
        let paths = child_paths("Response", ["Say", "Gather", "Gather", "Play"].into_iter());
        assert_eq!(
            paths,
            [
                "Response/Say",
                "Response/Gather[1]",
                "Response/Gather[2]",
                "Response/Play"
            ]
        );
    }

    #[test]
    fn urls() {
        for ok in [
            "/menu",
            "menu.xml",
            "https://example.com",
            "http://user@example.com:8080/a?b=c:d#e",
            "https://[::1]:443/x",
        ] {
            assert_eq!(url_problem(ok, HTTP), None, "{ok}");
        }
        for bad in [
            "ftp://example.com/a",
            "https:/example.com",
            "https://",
            "https://exa mple.com",
            "https://example.com:99999/",
            "https://exa$mple.com/",
        ] {
            assert!(url_problem(bad, HTTP).is_some(), "{bad}");
        }
    }
}
