//! The typed document model: one struct per LaML element.

mod dial;
mod gather;
mod say;
mod simple;
mod stream;

pub use dial::{Conference, Dial, DialNoun, Number, Queue, Sip, SipPassword};
pub use gather::{Gather, GatherChild};
pub use say::{
    Break, Emphasis, Lang, Paragraph, Phoneme, Prosody, Say, SayAs, Sentence, SsmlNode, Sub, Word,
};
pub(crate) use say::{push_node, ssml_allows};
pub use simple::{
    Echo, Enqueue, Hangup, Leave, Pause, Play, Record, Redirect, Refer, ReferSip, Reject, Sms,
};
pub use stream::{Connect, ConnectChild, Parameter, Room, Start, Stop, Stream};
