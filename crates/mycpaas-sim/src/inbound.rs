//! Inbound calls: a call from a party outside to one of an account's numbers, which runs the
//! number's voice URL (see `api::create::inbound_call` for which URLs) on the engine like any
//! call, with `Direction=inbound`.

use std::sync::Arc;

use crate::api::inbound_call;
use crate::engine;
use crate::state::SimState;

/// Why an inbound call was not placed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CallInError {
    /// No account holds the number called.
    #[error("{0} is not a number of any account (provision it first)")]
    UnknownNumber(String),
    /// The number has nothing to run.
    #[error("{0}")]
    NothingToRun(String),
}

/// Places a call from `from` to the number `to` and returns its SID. With `account`, the number
/// must be one of that account's (another account's number is unknown to it).
pub(crate) fn call_in(
    state: &Arc<SimState>,
    to: &str,
    from: &str,
    account: Option<&str>,
) -> Result<String, CallInError> {
    let (account, number) = state
        .numbers
        .find(|number| number.phone_number.as_deref() == Some(to))
        .filter(|(holder, _)| account.is_none_or(|wanted| wanted == holder))
        .ok_or_else(|| CallInError::UnknownNumber(to.to_owned()))?;
    let application = number
        .voice_application_sid
        .as_deref()
        .and_then(|sid| state.applications.get(&account, sid));
    let sid = state.randomness.sid("CA");
    let record = inbound_call(
        &number,
        application.as_ref(),
        from,
        sid.clone(),
        state.now(),
    )
    .map_err(CallInError::NothingToRun)?;
    let call = state.calls.insert(record);
    engine::start(state, call);
    Ok(sid)
}
