//! Call endpoints: the `To` and `From` of a call.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};

/// What kind of party an [`Endpoint`] addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EndpointKind {
    /// An E.164 phone number such as `+491234567890`.
    Phone,
    /// A SIP URI such as `sip:alice@example.com`.
    Sip,
    /// A client name such as `client:alice`.
    Client,
}

/// A validated call endpoint: an E.164 number (`+` then 2–15 digits, not starting with 0),
/// a `sip:` URI, or a `client:` name.
///
/// The text is kept exactly as given (after validation), so `to_string()` gives back what was parsed.
///
/// ```
/// use mycpaas_core::{Endpoint, types::EndpointKind};
///
/// let to: Endpoint = "+491234567890".parse().unwrap();
/// assert_eq!(to.kind(), EndpointKind::Phone);
/// assert_eq!(to.to_string(), "+491234567890");
///
/// let err = "0049123".parse::<Endpoint>().unwrap_err();
/// assert!(err.to_string().contains("E.164"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Endpoint {
    kind: EndpointKind,
    text: String,
}

const SIP_PREFIX: &str = "sip:";
const CLIENT_PREFIX: &str = "client:";

impl Endpoint {
    /// Parses an endpoint; errors name the parameter `endpoint`. Use [`Endpoint::parse_for`] to name another.
    pub fn parse(text: &str) -> Result<Endpoint> {
        Self::parse_for("endpoint", text)
    }

    /// Parses an endpoint; an error names `parameter` (for example `To`) and the rule broken.
    pub fn parse_for(parameter: &str, text: &str) -> Result<Endpoint> {
        if text.is_empty() {
            return Err(Error::invalid(parameter, "must not be empty"));
        }
        let endpoint = |kind| Endpoint {
            kind,
            text: text.to_owned(),
        };
        if text.starts_with('+') {
            check_e164(parameter, text)?;
            return Ok(endpoint(EndpointKind::Phone));
        }
        // (prefix, kind, what an empty rest is told)
        let opaque = [
            (
                SIP_PREFIX,
                EndpointKind::Sip,
                "a sip: URI needs an address after \"sip:\"",
            ),
            (
                CLIENT_PREFIX,
                EndpointKind::Client,
                "a client: endpoint needs a name after \"client:\"",
            ),
        ];
        for (prefix, kind, needs) in opaque {
            if let Some(rest) = strip_prefix_ignore_case(text, prefix) {
                check_opaque(parameter, rest, needs)?;
                return Ok(endpoint(kind));
            }
        }
        Err(Error::invalid(
            parameter,
            "must be an E.164 number (+ then 2 to 15 digits, not starting with 0), a sip: URI or a client: name",
        ))
    }

    /// What kind of party this is.
    pub fn kind(&self) -> EndpointKind {
        self.kind
    }

    /// The endpoint as sent on the wire.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// `text` is an E.164 number (`+` then 2 to 15 digits, the first not 0); the error names
/// `parameter`.
pub(crate) fn check_e164(parameter: &str, text: &str) -> Result<()> {
    let digits = text.strip_prefix('+').unwrap_or("");
    let rule = "must be an E.164 number: + then 2 to 15 digits, the first not 0";
    if !(2..=15).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::invalid(parameter, rule));
    }
    if digits.starts_with('0') {
        return Err(Error::invalid(parameter, rule));
    }
    Ok(())
}

fn check_opaque(parameter: &str, rest: &str, empty_rule: &str) -> Result<()> {
    if rest.is_empty() {
        return Err(Error::invalid(parameter, empty_rule));
    }
    if rest.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::invalid(
            parameter,
            "must not contain spaces or control characters",
        ));
    }
    Ok(())
}

impl FromStr for Endpoint {
    type Err = Error;
    fn from_str(text: &str) -> Result<Endpoint> {
        Endpoint::parse(text)
    }
}

impl TryFrom<&str> for Endpoint {
    type Error = Error;
    fn try_from(text: &str) -> Result<Endpoint> {
        Endpoint::parse(text)
    }
}

impl TryFrom<String> for Endpoint {
    type Error = Error;
    fn try_from(text: String) -> Result<Endpoint> {
        Endpoint::parse(&text)
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl AsRef<str> for Endpoint {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

impl From<Endpoint> for String {
    fn from(endpoint: Endpoint) -> String {
        endpoint.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn phone_numbers() {
        assert!(Endpoint::parse("+12").is_ok());
        assert!(Endpoint::parse("+123456789012345").is_ok());
        for bad in [
            "+1",
            "+1234567890123456",
            "+0123",
            "+12a4",
            "+",
            "++12",
            "+ 123",
            "491234",
        ] {
            let err = Endpoint::parse_for("To", bad).unwrap_err();
            assert_eq!(err.parameter(), Some("To"), "{bad}");
        }
    }

    #[test]
    fn rule_is_named() {
        let err = Endpoint::parse_for("From", "+0123").unwrap_err();
        assert!(err.to_string().contains("not 0"), "{err}");
        assert!(err.to_string().contains("From"), "{err}");
    }

    #[test]
    fn sip_and_client() {
        let sip = Endpoint::parse("sip:alice@example.com;transport=tls").unwrap();
        assert_eq!(sip.kind(), EndpointKind::Sip);
        assert_eq!(
            Endpoint::parse("SIP:bob@example.com").unwrap().kind(),
            EndpointKind::Sip
        );
        let client = Endpoint::parse("client:alice").unwrap();
        assert_eq!(client.kind(), EndpointKind::Client);
        assert_eq!(client.as_str(), "client:alice");
        assert!(Endpoint::parse("sip:").is_err());
        assert!(Endpoint::parse("client:").is_err());
        assert!(Endpoint::parse("client:al ice").is_err());
        assert!(Endpoint::parse("").is_err());
        assert!(Endpoint::parse("tel:+4912").is_err());
    }

    fn endpoint_text() -> impl Strategy<Value = String> {
        prop_oneof![
            "\\+[1-9][0-9]{1,14}",
            "sip:[a-z0-9._]{1,20}@[a-z0-9.-]{1,20}",
            "client:[A-Za-z0-9_.-]{1,30}",
        ]
    }

    proptest! {
        #[test]
        fn parse_display_round_trip(text in endpoint_text()) {
            let parsed = Endpoint::parse(&text).unwrap();
            let shown = parsed.to_string();
            prop_assert_eq!(&shown, &text);
            prop_assert_eq!(Endpoint::parse(&shown).unwrap(), parsed);
        }

        #[test]
        fn parse_never_panics(text in "\\PC{0,40}") {
            let _ = Endpoint::parse(&text);
        }
    }
}
