//! `calls().find_created(&error)`: the calls a create that ended in `MaybeCreated` may have
//! placed (see `mycpaas_core::ops::reconcile`).

use mycpaas_core::ops::reconcile::{CreateAttempt, MAX_CALLS_SEARCHED};
use mycpaas_core::{Call, Error, Result};

use crate::generated::Calls;

impl Calls<'_> {
    /// The calls `error` (an [`Error::MaybeCreated`] of `create`) may have placed: those to the
    /// same `To` from the same `From` created since just before the attempt, newest first. It
    /// only lists (it never creates); an empty result means no call was placed, one call is the
    /// call the lost answer described.
    ///
    /// ```no_run
    /// use mycpaas_blocking::{Client, CreateCall, Error};
    ///
    /// # fn run() -> mycpaas_blocking::Result<()> {
    /// let client = Client::from_env()?;
    /// let request = CreateCall::new("+491234567890", "+491098765432").url("https://example.com/v.xml");
    /// match client.calls().create(request) {
    ///     Ok(call) => println!("placed {}", call.sid),
    ///     Err(error @ Error::MaybeCreated { .. }) => match client.calls().find_created(&error)?.first() {
    ///         Some(call) => println!("placed {} after all", call.sid),
    ///         None => println!("no call was placed: safe to create again"),
    ///     },
    ///     Err(error) => return Err(error),
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn find_created(&self, error: &Error) -> Result<Vec<Call>> {
        let attempt = error
            .create_attempt()
            .ok_or_else(|| Error::invalid("error", "must be the MaybeCreated error of a create"))?;
        self.find_attempted(attempt)
    }

    /// [`Calls::find_created`] for an attempt kept apart from its error (`error.create_attempt()`).
    pub fn find_attempted(&self, attempt: &CreateAttempt) -> Result<Vec<Call>> {
        let mut found = Vec::new();
        for call in self.iter(attempt.list(), Some(MAX_CALLS_SEARCHED)) {
            let call = call?;
            // Newest first: once one is older than the window, so are the rest.
            if !attempt.is_candidate(&call) {
                break;
            }
            found.push(call);
        }
        Ok(found)
    }
}
