//! Media streams: `Connect`, `Start`, `Stop` and their `Stream`, `Parameter` and `Room`.

use crate::UnknownElement;
use crate::macros::element;
use crate::values::{Method, StreamTrack};

element! {
    /// `<Connect>`: connects the call to a bidirectional media stream or a room.
    pub struct Connect = "Connect" {
        /// The nested `Stream` and `Room` elements.
        pub children: Vec<ConnectChild>,
    }
    /// A `Connect` with nothing nested.
    new()
    attributes {
        /// Where to go when the connection ends.
        into action: String = "action",
        /// HTTP method for `action`.
        copy method: Method = "method",
    }
}

impl Connect {
    /// Nests a `Stream`.
    pub fn stream(mut self, stream: Stream) -> Self {
        self.children.push(ConnectChild::Stream(stream));
        self
    }

    /// Nests a `Room`.
    pub fn room(mut self, room: impl Into<Room>) -> Self {
        self.children.push(ConnectChild::Room(room.into()));
        self
    }
}

/// An element nested in `Connect`.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ConnectChild {
    /// `<Stream>`
    Stream(Stream),
    /// `<Room>`
    Room(Room),
    /// An element this crate does not know (lenient parsing only).
    Unknown(UnknownElement),
}

impl ConnectChild {
    /// The element name.
    pub fn element_name(&self) -> &str {
        match self {
            ConnectChild::Stream(_) => Stream::ELEMENT_NAME,
            ConnectChild::Room(_) => Room::ELEMENT_NAME,
            ConnectChild::Unknown(e) => &e.name,
        }
    }
}

element! {
    /// `<Start>`: starts a one-way media stream while the document goes on.
    pub struct Start = "Start" {
        /// The streams to start.
        pub streams: Vec<Stream>,
    }
    attributes {
        /// Where stream events are sent.
        into action: String = "action",
        /// HTTP method for `action`.
        copy method: Method = "method",
    }
}

element! {
    /// `<Stop>`: stops a media stream started with `Start` (named by `Stream name`).
    pub struct Stop = "Stop" {
        /// The streams to stop.
        pub streams: Vec<Stream>,
    }
    attributes {
        /// Where stream events are sent.
        into action: String = "action",
        /// HTTP method for `action`.
        copy method: Method = "method",
    }
}

macro_rules! stream_holder {
    ($($ty:ident),*) => {
        $(impl $ty {
            /// An element with no stream.
            pub fn new() -> Self {
                Self::default()
            }

            /// Nests a `Stream`.
            pub fn stream(mut self, stream: Stream) -> Self {
                self.streams.push(stream);
                self
            }
        })*
    };
}

stream_holder!(Start, Stop);

element! {
    /// `<Stream>`: a media stream to a WebSocket URL.
    pub struct Stream = "Stream" {
        /// Custom parameters sent to the WebSocket server.
        pub parameters: Vec<Parameter>,
    }
    attributes {
        /// A name, used to stop the stream later.
        into name: String = "name",
        /// Where stream status is sent.
        into status_callback: String = "statusCallback",
        /// HTTP method for `statusCallback`.
        copy status_callback_method: Method = "statusCallbackMethod",
        /// Which audio track is streamed.
        copy track: StreamTrack = "track",
        /// The WebSocket URL (`wss://`).
        into url: String = "url",
    }
}

impl Stream {
    /// A stream to `url` (`wss://...`).
    pub fn new(url: impl Into<String>) -> Self {
        Stream::default().url(url)
    }

    /// A stream referred to by name only (to stop it).
    pub fn named(name: impl Into<String>) -> Self {
        Stream::default().name(name)
    }

    /// Adds a custom parameter.
    pub fn parameter(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.parameters.push(Parameter::new(name, value));
        self
    }
}

element! {
    /// `<Parameter>`: a name/value pair passed to a stream.
    pub struct Parameter = "Parameter" {}
    attributes {
        /// The parameter name.
        into name: String = "name",
        /// The parameter value.
        into value: String = "value",
    }
}

impl Parameter {
    /// A parameter `name` = `value`.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Parameter::default().name(name).value(value)
    }
}

element! {
    /// `<Room>`: a video/audio room to join.
    pub struct Room = "Room" {
        /// The room name.
        pub name: String,
    }
    /// Joins room `name`.
    new(name)
    attributes {}
}

impl From<&str> for Room {
    fn from(name: &str) -> Self {
        Room::new(name)
    }
}
