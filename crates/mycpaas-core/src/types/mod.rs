//! Value types of the Voice API: endpoints, SIDs, and the enumerations of the wire.

mod endpoint;
pub(crate) mod enums;
mod sid;

pub use endpoint::{Endpoint, EndpointKind};
pub use enums::{
    AnsweredByDetection, CallEvent, CallStatus, Direction, HttpMethod, RecordingChannels,
    RecordingEvent, RecordingTrack, Trim, UpdateStatus,
};
pub use sid::check_sid;
