//! Inline LaML: a typed [`mycpaas_laml::Response`] where the API takes a `Twiml` document.
//!
//! Core does not depend on the LaML crate, so its `twiml` setters take text. This trait lets a
//! built document go there directly: `CreateCall::new(..).laml(&document)`.

use mycpaas_core::{CreateCall, UpdateCall};
use mycpaas_laml::Response;

/// Sets the inline LaML document (`Twiml`) of a request from a typed [`Response`].
///
/// ```
/// use mycpaas_async::{CreateCall, InlineLaml};
/// use mycpaas_laml::{Response, Say};
///
/// let document = Response::new().say(Say::new("Hello from Rust"));
/// let call = CreateCall::new("+491234567890", "+491098765432").laml(&document);
/// # let _ = call;
/// ```
pub trait InlineLaml: Sized {
    /// Uses `document` (written compactly) as the request's `Twiml` parameter.
    fn laml(self, document: &Response) -> Self;
}

impl InlineLaml for CreateCall {
    fn laml(self, document: &Response) -> Self {
        self.twiml(document.to_xml())
    }
}

impl InlineLaml for UpdateCall {
    fn laml(self, document: &Response) -> Self {
        self.twiml(document.to_xml())
    }
}
