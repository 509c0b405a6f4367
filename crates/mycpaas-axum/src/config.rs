//! What checking a webhook needs: the key, and how the signed URL is rebuilt.

use std::sync::Arc;

use mycpaas_core::AuthToken;
use mycpaas_core::webhook::{SignatureValidator, SignedUrl};

/// The auth token webhooks are signed with, and how the URL the platform signed is rebuilt
/// (by default as the request names it: [`SignedUrl::direct`]). Cheap to clone.
///
/// ```
/// use mycpaas_axum::WebhookConfig;
/// use mycpaas_core::webhook::SignedUrl;
///
/// let config = WebhookConfig::new("auth-token")
///     .signed_url(SignedUrl::behind_proxies(["10.0.0.0/8"])?);
/// # Ok::<(), mycpaas_core::Error>(())
/// ```
#[derive(Clone)]
pub struct WebhookConfig {
    pub(crate) validator: Arc<SignatureValidator>,
    pub(crate) signed_url: Arc<SignedUrl>,
}

impl WebhookConfig {
    /// Checks signatures made with `auth_token`.
    pub fn new(auth_token: impl Into<AuthToken>) -> Self {
        WebhookConfig {
            validator: Arc::new(SignatureValidator::new(auth_token.into())),
            signed_url: Arc::new(SignedUrl::direct()),
        }
    }

    /// Rebuilds the signed URL this way (a public URL, or trusted proxies).
    #[must_use]
    pub fn signed_url(mut self, signed_url: SignedUrl) -> Self {
        self.signed_url = Arc::new(signed_url);
        self
    }
}

impl std::fmt::Debug for WebhookConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The validator holds the auth token: never shown.
        f.debug_struct("WebhookConfig")
            .field("signed_url", &self.signed_url)
            .finish_non_exhaustive()
    }
}
