//! Value types of the Voice API: endpoints, SIDs, and the enumerations of the wire.

mod endpoint;
pub(crate) mod enums;
mod sid;

pub(crate) use endpoint::check_e164;
pub use endpoint::{Endpoint, EndpointKind};
pub use enums::*;
pub use sid::check_sid;
