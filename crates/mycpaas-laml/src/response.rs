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

/// Methods that append one verb, each documented "Appends `<Verb>`.": `name(Verb)` takes the
/// verb, `name(into Verb)` anything that converts into it. The argument is named as the method.
macro_rules! appenders {
    ($($method:ident $argument:tt,)*) => {$(
        appenders!(@one $method $argument);
    )*};
    (@one $method:ident (into $ty:ident)) => {
        #[doc = concat!("Appends `<", stringify!($ty), ">`.")]
        pub fn $method(self, $method: impl Into<$ty>) -> Self {
            self.verb(Verb::$ty($method.into()))
        }
    };
    (@one $method:ident ($ty:ident)) => {
        #[doc = concat!("Appends `<", stringify!($ty), ">`.")]
        pub fn $method(self, $method: $ty) -> Self {
            self.verb(Verb::$ty($method))
        }
    };
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

    appenders! {
        say(into Say),
        play(into Play),
        pause(Pause),
        gather(Gather),
        dial(Dial),
        record(Record),
    }

    /// Appends `<Hangup/>`.
    pub fn hangup(self) -> Self {
        self.verb(Verb::Hangup(Hangup::new()))
    }

    appenders! {
        redirect(into Redirect),
        reject(Reject),
        enqueue(Enqueue),
    }

    /// Appends `<Leave/>`.
    pub fn leave(self) -> Self {
        self.verb(Verb::Leave(Leave::new()))
    }

    appenders! {
        sms(Sms),
        refer(Refer),
        echo(Echo),
        connect(Connect),
        start(Start),
        stop(Stop),
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
