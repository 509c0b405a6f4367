//! The simulator's accounts and HTTP Basic authentication against them.

use std::fmt;

use base64::Engine as _;
use subtle::ConstantTimeEq;

/// An account of the simulator: its SID and auth token.
///
/// The token is a credential: `Debug` shows it redacted.
#[derive(Clone)]
pub struct Account {
    sid: String,
    token: String,
}

impl Account {
    pub(crate) fn new(sid: impl Into<String>, token: impl Into<String>) -> Self {
        Self {
            sid: sid.into(),
            token: token.into(),
        }
    }

    /// The account SID (the Basic auth user name).
    pub fn sid(&self) -> &str {
        &self.sid
    }

    /// The auth token (the Basic auth password and the webhook signing key).
    pub fn auth_token(&self) -> &str {
        &self.token
    }
}

impl fmt::Debug for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Account")
            .field("sid", &self.sid)
            .field("token", &"<redacted>")
            .finish()
    }
}

/// The fixed set of accounts a simulator serves.
#[derive(Debug, Clone)]
pub(crate) struct Accounts {
    accounts: Vec<Account>,
}

impl Accounts {
    pub(crate) fn new(accounts: Vec<Account>) -> Self {
        Self { accounts }
    }

    pub(crate) fn all(&self) -> &[Account] {
        &self.accounts
    }

    pub(crate) fn get(&self, sid: &str) -> Option<&Account> {
        self.accounts.iter().find(|a| a.sid == sid)
    }

    /// The account an `Authorization: Basic ...` header value authenticates, if any.
    /// The token is compared in constant time.
    pub(crate) fn authenticate(&self, header: Option<&str>) -> Option<&Account> {
        let (user, password) = parse_basic(header?)?;
        let account = self.get(&user)?;
        let equal: bool = account.token.as_bytes().ct_eq(password.as_bytes()).into();
        equal.then_some(account)
    }
}

fn parse_basic(header: &str) -> Option<(String, String)> {
    let (scheme, encoded) = header.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, password) = text.split_once(':')?;
    Some((user.to_owned(), password.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn basic(user: &str, password: &str) -> String {
        let raw = format!("{user}:{password}");
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(raw)
        )
    }

    #[test]
    fn authenticates_only_the_right_token() {
        let accounts = Accounts::new(vec![Account::new("AC1", "secret")]);
        assert!(
            accounts
                .authenticate(Some(&basic("AC1", "secret")))
                .is_some()
        );
        assert!(
            accounts
                .authenticate(Some(&basic("AC1", "wrong")))
                .is_none()
        );
        assert!(
            accounts
                .authenticate(Some(&basic("AC2", "secret")))
                .is_none()
        );
        assert!(accounts.authenticate(Some("Bearer x")).is_none());
        assert!(accounts.authenticate(None).is_none());
    }

    #[test]
    fn debug_hides_the_token() {
        let shown = format!("{:?}", Account::new("AC1", "topsecret"));
        assert!(!shown.contains("topsecret"));
    }
}
