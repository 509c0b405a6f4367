//! SID checks. SIDs come in several shapes (`AC` + 32 hex, UUIDs, ...), so they are only checked for
//! what would break the URL they are placed in, never against a pattern.

use crate::error::{Error, Result};

/// Checks that a SID is non-empty and URL-safe: no `/`, `?`, `#`, `%`, whitespace or control characters.
///
/// ```
/// use mycpaas_core::types::check_sid;
/// assert!(check_sid("CallSid", "CA0123456789abcdef0123456789abcdef").is_ok());
/// assert!(check_sid("CallSid", "6f1c0b0e-35c8-4b3b-9d1c-2a8b1b3c4d5e").is_ok());
/// assert_eq!(check_sid("CallSid", "CA1/../x").unwrap_err().parameter(), Some("CallSid"));
/// ```
pub fn check_sid(parameter: &str, sid: &str) -> Result<()> {
    if sid.is_empty() {
        return Err(Error::invalid(parameter, "must not be empty"));
    }
    if let Some(bad) = sid
        .chars()
        .find(|c| matches!(c, '/' | '?' | '#' | '%' | '\\') || c.is_whitespace() || c.is_control())
    {
        return Err(Error::invalid(
            parameter,
            format!(
                "must be URL-safe (found {bad:?}; '/', '?', '#', '%', '\\', spaces and control characters are not allowed)"
            ),
        ));
    }
    if sid == "." || sid == ".." {
        return Err(Error::invalid(parameter, "must not be a dot segment"));
    }
    Ok(())
}
