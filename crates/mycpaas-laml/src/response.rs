//! The document root, `Response`, and the `Verb` it holds.

use crate::UnknownElement;
use crate::macros::element;
use crate::model::{
    Connect, Dial, Echo, Enqueue, Gather, Hangup, Leave, Pause, Play, Record, Redirect, Refer,
    Reject, Say, Sms, Start, Stop,
};

element! {
    /// A LaML document: the `<Response>` root and its verbs, executed in order.
    ///
    /// ```
    /// use mycpaas_laml::{Gather, Response, Say, Voice};
    /// let doc = Response::new()
    ///     .say(Say::new("Hello").voice(Voice::Alice).language("en-US"))
    ///     .gather(Gather::new().num_digits(1).action("/menu").say("Press 1"))
    ///     .hangup();
    /// assert_eq!(
    ///     doc.to_xml(),
    ///     "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>\
    ///      <Say language=\"en-US\" voice=\"alice\">Hello</Say>\
    ///      <Gather action=\"/menu\" numDigits=\"1\"><Say>Press 1</Say></Gather>\
    ///      <Hangup/></Response>"
    /// );
    /// assert_eq!(mycpaas_laml::parse(&doc.to_xml()).unwrap(), doc);
    /// ```
    pub struct Response = "Response" {
        /// The verbs, in execution order.
        pub verbs: Vec<Verb>,
    }
    attributes {}
}

impl Response {
    /// An empty document (valid: the call ends).
    pub fn new() -> Self {
        Response {
            // Room for a typical IVR document: verbs are large, and regrowing copies them.
            verbs: Vec::with_capacity(8),
            ..Self::default()
        }
    }

    /// The verbs, in execution order.
    pub fn verbs(&self) -> &[Verb] {
        &self.verbs
    }

    /// Appends any verb.
    pub fn verb(mut self, verb: impl Into<Verb>) -> Self {
        self.verbs.push(verb.into());
        self
    }

    /// Appends `<Say>`.
    pub fn say(self, say: impl Into<Say>) -> Self {
        self.verb(Verb::Say(say.into()))
    }

    /// Appends `<Play>`.
    pub fn play(self, play: impl Into<Play>) -> Self {
        self.verb(Verb::Play(play.into()))
    }

    /// Appends `<Pause>`.
    pub fn pause(self, pause: Pause) -> Self {
        self.verb(Verb::Pause(pause))
    }

    /// Appends `<Gather>`.
    pub fn gather(self, gather: Gather) -> Self {
        self.verb(Verb::Gather(gather))
    }

    /// Appends `<Dial>`.
    pub fn dial(self, dial: Dial) -> Self {
        self.verb(Verb::Dial(dial))
    }

    /// Appends `<Record>`.
    pub fn record(self, record: Record) -> Self {
        self.verb(Verb::Record(record))
    }

    /// Appends `<Hangup/>`.
    pub fn hangup(self) -> Self {
        self.verb(Verb::Hangup(Hangup::new()))
    }

    /// Appends `<Redirect>`.
    pub fn redirect(self, redirect: impl Into<Redirect>) -> Self {
        self.verb(Verb::Redirect(redirect.into()))
    }

    /// Appends `<Reject>`.
    pub fn reject(self, reject: Reject) -> Self {
        self.verb(Verb::Reject(reject))
    }

    /// Appends `<Enqueue>`.
    pub fn enqueue(self, enqueue: Enqueue) -> Self {
        self.verb(Verb::Enqueue(enqueue))
    }

    /// Appends `<Leave/>`.
    pub fn leave(self) -> Self {
        self.verb(Verb::Leave(Leave::new()))
    }

    /// Appends `<Sms>`.
    pub fn sms(self, sms: Sms) -> Self {
        self.verb(Verb::Sms(sms))
    }

    /// Appends `<Refer>`.
    pub fn refer(self, refer: Refer) -> Self {
        self.verb(Verb::Refer(refer))
    }

    /// Appends `<Echo>`.
    pub fn echo(self, echo: Echo) -> Self {
        self.verb(Verb::Echo(echo))
    }

    /// Appends `<Connect>`.
    pub fn connect(self, connect: Connect) -> Self {
        self.verb(Verb::Connect(connect))
    }

    /// Appends `<Start>`.
    pub fn start(self, start: Start) -> Self {
        self.verb(Verb::Start(start))
    }

    /// Appends `<Stop>`.
    pub fn stop(self, stop: Stop) -> Self {
        self.verb(Verb::Stop(stop))
    }
}

/// One verb of a [`Response`].
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Verb {
    /// `<Say>`
    Say(Say),
    /// `<Play>`
    Play(Play),
    /// `<Pause>`
    Pause(Pause),
    /// `<Gather>`
    Gather(Gather),
    /// `<Dial>`
    Dial(Dial),
    /// `<Record>`
    Record(Record),
    /// `<Hangup>`
    Hangup(Hangup),
    /// `<Redirect>`
    Redirect(Redirect),
    /// `<Reject>`
    Reject(Reject),
    /// `<Enqueue>`
    Enqueue(Enqueue),
    /// `<Leave>`
    Leave(Leave),
    /// `<Sms>`
    Sms(Sms),
    /// `<Refer>`
    Refer(Refer),
    /// `<Echo>`
    Echo(Echo),
    /// `<Connect>`
    Connect(Connect),
    /// `<Start>`
    Start(Start),
    /// `<Stop>`
    Stop(Stop),
    /// An element this crate does not know (lenient parsing only).
    Unknown(UnknownElement),
}

macro_rules! verbs {
    ($($variant:ident),*) => {
        impl Verb {
            /// The element name.
            pub fn element_name(&self) -> &str {
                match self {
                    $(Verb::$variant(_) => $variant::ELEMENT_NAME,)*
                    Verb::Unknown(e) => &e.name,
                }
            }
        }

        $(impl From<$variant> for Verb {
            fn from(verb: $variant) -> Self {
                Verb::$variant(verb)
            }
        })*
    };
}

verbs!(
    Say, Play, Pause, Gather, Dial, Record, Hangup, Redirect, Reject, Enqueue, Leave, Sms, Refer,
    Echo, Connect, Start, Stop
);

impl From<UnknownElement> for Verb {
    fn from(element: UnknownElement) -> Self {
        Verb::Unknown(element)
    }
}
