//! Magic numbers: numbers whose calls end in a chosen way, so every outcome can be
//! tested. Any other valid number answers.
//!
//! | number | as `To` | as `From` |
//! |---|---|---|
//! | [`INVALID`] `+15005550001` | create rejected, 400 code 21211 | create rejected, 400 code 21212 |
//! | [`BUSY`] `+15005550002` | call ends `busy` after ringing | an ordinary caller ID |
//! | [`NO_ANSWER`] `+15005550003` | rings until `Timeout`, ends `no-answer` | an ordinary caller ID |
//! | [`FAILED`] `+15005550004` | ends `failed` right after `initiated` | an ordinary caller ID |
//!
//! The same numbers steer the child legs of a `<Dial>` to a number with no callee script
//! (`POST /_sim/callees`, [`crate::SimHandle::script_callee`]): they end `busy`, `no-answer` or
//! `failed`, and so does the dial's `DialCallStatus` when no other leg answers.

/// Rejected by create: as `To` with code 21211, as `From` with code 21212.
pub const INVALID: &str = "+15005550001";
/// The called party is busy.
pub const BUSY: &str = "+15005550002";
/// The called party never answers.
pub const NO_ANSWER: &str = "+15005550003";
/// The call cannot be placed.
pub const FAILED: &str = "+15005550004";

/// How a call to a number goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    Answer,
    Busy,
    NoAnswer,
    Fail,
}

/// The outcome of calling `to`.
pub(crate) fn outcome_for(to: &str) -> Outcome {
    match to {
        BUSY => Outcome::Busy,
        NO_ANSWER => Outcome::NoAnswer,
        FAILED => Outcome::Fail,
        _ => Outcome::Answer,
    }
}
