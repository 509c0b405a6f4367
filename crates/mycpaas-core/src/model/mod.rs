//! The JSON resources of the API: [`Call`] and the list page [`CallPage`].
//!
//! Serialization writes the wire names (dates as RFC 3339, `duration` as a string, `price` as a
//! string or null), so a server (the simulator) can answer with these types. Deserialization is
//! tolerant of what servers of this API shape send: ISO 8601 or RFC 2822 dates, numbers as strings
//! or integers, `null` anywhere optional, and unknown fields (kept in `extra`).
//!
//! [`PageIndex`] reads a list page lazily: one validating pass, then each call ([`CallView`])
//! decoded field by field on demand, with the same rules as [`Call`].

mod call;
#[cfg(test)]
mod derive_oracle;
mod json_scan;
mod keys;
mod page;
mod page_index;
pub(crate) mod wire;

pub use call::Call;
pub use page::CallPage;
pub use page_index::{CallView, PageIndex};
