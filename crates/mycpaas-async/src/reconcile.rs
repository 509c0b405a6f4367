//! `calls().find_created(&error)`: the calls a create that ended in `MaybeCreated` may have
//! placed (see `mycpaas_core::ops::reconcile`).

use futures::StreamExt;
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
    /// use mycpaas_async::{Client, CreateCall, Error};
    ///
    /// # async fn run() -> mycpaas_async::Result<()> {
    /// let client = Client::from_env()?;
    /// let request = CreateCall::new("+491234567890", "+491098765432").url("https://example.com/v.xml");
    /// match client.calls().create(request).await {
    ///     Ok(call) => println!("placed {}", call.sid),
    ///     Err(error @ Error::MaybeCreated { .. }) => match client.calls().find_created(&error).await?.first() {
    ///         Some(call) => println!("placed {} after all", call.sid),
    ///         None => println!("no call was placed: safe to create again"),
    ///     },
    ///     Err(error) => return Err(error),
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn find_created(&self, error: &Error) -> Result<Vec<Call>> {
        let attempt = error
            .create_attempt()
            .ok_or_else(|| Error::invalid("error", "must be the MaybeCreated error of a create"))?;
        self.find_attempted(attempt).await
    }

    /// [`Calls::find_created`] for an attempt kept apart from its error (`error.create_attempt()`).
    pub async fn find_attempted(&self, attempt: &CreateAttempt) -> Result<Vec<Call>> {
        let mut calls = self.stream(attempt.list(), Some(MAX_CALLS_SEARCHED));
        let mut found = Vec::new();
        while let Some(call) = calls.next().await {
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
