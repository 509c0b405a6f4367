//! Parameter rules shared by the operations. Each returns an [`Error::InvalidInput`] naming the
//! wire parameter and the rule.

use super::form::Params;
use crate::error::{Error, Result};
use crate::types::Endpoint;

/// The rule of a required parameter that was not set; a server answers it with the parameter's
/// "missing" error code.
pub const REQUIRED: &str = "is required";

/// A required parameter: set and not empty.
pub fn required(parameter: &str, value: &str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::invalid(parameter, REQUIRED));
    }
    Ok(())
}

/// A required parameter held as an `Option` (an enumeration): set.
pub fn present(parameter: &str, set: bool) -> Result<()> {
    if set {
        Ok(())
    } else {
        Err(Error::invalid(parameter, REQUIRED))
    }
}

/// `minLength: 1`.
pub fn not_empty(parameter: &str, value: &str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::invalid(parameter, "must not be empty"));
    }
    Ok(())
}

/// An inline LaML document: not blank (its other rules are the writer's and the server's).
pub fn laml(parameter: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::invalid(parameter, "must not be empty"));
    }
    Ok(())
}

/// `maxLength`, counted in characters.
pub fn max_chars(parameter: &str, value: &str, max: usize) -> Result<()> {
    let count = value.chars().count();
    if count > max {
        return Err(Error::invalid(
            parameter,
            format!("must be at most {max} characters (got {count})"),
        ));
    }
    Ok(())
}

/// `pattern: ^[...]+$`: every character is one of `described`.
pub fn charset(
    parameter: &str,
    value: &str,
    allowed: impl Fn(char) -> bool,
    described: &str,
) -> Result<()> {
    if let Some(bad) = value.chars().find(|c| !allowed(*c)) {
        return Err(Error::invalid(
            parameter,
            format!("may contain only {described} (found {bad:?})"),
        ));
    }
    Ok(())
}

/// `minimum` and `maximum`.
pub fn in_range(parameter: &str, value: u32, min: u32, max: u32) -> Result<()> {
    if (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(Error::invalid(
            parameter,
            format!("must be between {min} and {max} (got {value})"),
        ))
    }
}

/// `minimum` alone (the maximum is the type's).
pub fn at_least(parameter: &str, value: u32, min: u32) -> Result<()> {
    if value >= min {
        Ok(())
    } else if min == 1 {
        Err(Error::invalid(parameter, "must be greater than 0"))
    } else {
        Err(Error::invalid(
            parameter,
            format!("must be at least {min} (got {value})"),
        ))
    }
}

/// `x-mycpaas-exactly-one-of`: `set` pairs each parameter with whether it is set. The error
/// names the first one set (or the first one, when none is).
pub fn exactly_one_of(set: &[(&str, bool)]) -> Result<()> {
    let names = set
        .iter()
        .map(|(name, _)| *name)
        .collect::<Vec<_>>()
        .join(", ");
    let mut given = set.iter().filter(|(_, is_set)| *is_set);
    match (given.next(), given.next()) {
        (Some(_), None) => Ok(()),
        (None, _) => Err(Error::invalid(
            set.first().map_or("", |(name, _)| *name),
            format!("exactly one of {names} is required (none was set)"),
        )),
        (Some((first, _)), Some(_)) => Err(Error::invalid(
            *first,
            format!("exactly one of {names} is allowed (several were set)"),
        )),
    }
}

/// `x-mycpaas-at-most-one-of`. The error names the second one set.
pub fn at_most_one_of(set: &[(&str, bool)]) -> Result<()> {
    let mut given = set.iter().filter(|(_, is_set)| *is_set);
    match (given.next(), given.next()) {
        (Some((first, _)), Some((second, _))) => Err(Error::invalid(
            *second,
            format!("{first} and {second} are exclusive (set one of them)"),
        )),
        _ => Ok(()),
    }
}

/// `minProperties: 1`: a request that sets nothing is refused, naming its first parameter.
pub fn some_parameter(params: &Params, names: &[&str]) -> Result<()> {
    if params.is_empty() {
        return Err(Error::invalid(
            names.first().copied().unwrap_or_default(),
            format!(
                "needs at least one parameter ({}, ...)",
                names.iter().take(3).copied().collect::<Vec<_>>().join(", ")
            ),
        ));
    }
    Ok(())
}

/// An absolute `http` or `https` URL with a host, with no control character or whitespace
/// anywhere in it.
///
/// The character check comes first because the URL parser silently removes tabs and newlines
/// (and trims spaces at the ends): without it, the value checked would not be the value sent.
pub fn absolute_url(parameter: &str, value: &str) -> Result<()> {
    if let Some((position, bad)) = find_char(value, |c| c.is_control() || c.is_whitespace()) {
        return Err(Error::invalid(
            parameter,
            format!(
                "must be a URL without control characters or whitespace (found {bad:?} at character {position})"
            ),
        ));
    }
    let rule = "must be an absolute http(s) URL";
    written_as_parsed(parameter, value, rule)?;
    let url =
        url::Url::parse(value).map_err(|e| Error::invalid(parameter, format!("{rule} ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::invalid(
            parameter,
            format!("{rule} (scheme {:?} is not http or https)", url.scheme()),
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(Error::invalid(parameter, format!("{rule} (no host)")));
    }
    Ok(())
}

/// Refuses what the URL parser would mend into another URL than the one written: `https:///v`
/// (read as `https://v/`), `http:/host` or `http:host` (read as `http://host/`), a backslash (read
/// as a slash). A server or proxy may read such text another way, and the text sent must be the
/// URL checked. `rule` starts the message.
pub(crate) fn written_as_parsed(parameter: &str, value: &str, rule: &str) -> Result<()> {
    if value.contains('\\') {
        return Err(Error::invalid(
            parameter,
            format!("{rule} (found a backslash)"),
        ));
    }
    let authority = value
        .split_once("://")
        .map(|(_, rest)| rest)
        .filter(|rest| !rest.is_empty() && !rest.starts_with('/'));
    if authority.is_none() {
        return Err(Error::invalid(
            parameter,
            format!("{rule} (`scheme://host/...`, with the host right after `//`)"),
        ));
    }
    Ok(())
}

/// A call endpoint (E.164, `sip:`, `client:`).
pub fn endpoint(parameter: &str, value: &str) -> Result<()> {
    Endpoint::parse_for(parameter, value).map(drop)
}

/// A phone number in E.164 form only (`PhoneNumber` of a number to provision).
///
/// ```
/// use mycpaas_core::ops::validate::e164;
///
/// assert!(e164("PhoneNumber", "+14155550100").is_ok());
/// assert_eq!(e164("PhoneNumber", "sip:a@b").unwrap_err().parameter(), Some("PhoneNumber"));
/// ```
pub fn e164(parameter: &str, value: &str) -> Result<()> {
    crate::types::check_e164(parameter, value)
}

/// A one-line free-text value (`CallerId`, `SipAuthUsername`, `SipAuthPassword`): without
/// control characters. A CR, LF or NUL in such a value would be sent as is. The error names the
/// character and its position, never the value (it may be a password).
pub fn single_line(parameter: &str, value: &str) -> Result<()> {
    if let Some((position, bad)) = find_char(value, char::is_control) {
        return Err(Error::invalid(
            parameter,
            format!("must not contain control characters (found {bad:?} at character {position})"),
        ));
    }
    Ok(())
}

/// The first character matching `rule`, with its 1-based position in characters.
fn find_char(value: &str, rule: impl Fn(char) -> bool) -> Option<(usize, char)> {
    value
        .chars()
        .enumerate()
        .find(|&(_, c)| rule(c))
        .map(|(index, c)| (index + 1, c))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The message of a refusal the test expects.
    fn refusal(checked: Result<()>) -> String {
        checked.unwrap_err().to_string()
    }

    #[test]
    fn urls() {
        assert!(absolute_url("Url", "https://example.com/a?b=c").is_ok());
        assert!(absolute_url("Url", "http://127.0.0.1:9000/voice").is_ok());
        for bad in [
            "",
            "/relative",
            "example.com/x",
            "ftp://example.com/x",
            "mailto:a@b.c",
            "https://",
        ] {
            let err = absolute_url("Url", bad).unwrap_err();
            assert_eq!(err.parameter(), Some("Url"), "{bad}");
            assert!(err.to_string().contains("absolute http(s) URL"), "{err}");
        }
    }

    #[test]
    fn urls_with_control_characters_or_whitespace() {
        // The URL parser would accept every one of these, most after silently removing the
        // character, so the value checked would not be the value sent.
        for (bad, found) in [
            ("https://example.com/voice\r\n.xml", "'\\r' at character 26"),
            ("https://exa\tmple.com/voice.xml", "'\\t' at character 12"),
            ("https://example.com/status\0", "'\\0' at character 27"),
            ("https://example.com/a b", "' ' at character 22"),
            (" https://example.com/", "' ' at character 1"),
            ("https://example.com/\n", "'\\n' at character 21"),
            ("https://example.com/\u{7f}", "'\\u{7f}' at character 21"),
            ("https://example.com/\u{85}", "'\\u{85}' at character 21"),
            ("https://example.com/\u{a0}", "'\\u{a0}' at character 21"),
        ] {
            let err = absolute_url("StatusCallback", bad).unwrap_err();
            assert_eq!(err.parameter(), Some("StatusCallback"), "{bad:?}");
            let shown = err.to_string();
            assert!(
                shown.contains("without control characters or whitespace"),
                "{shown}"
            );
            assert!(shown.contains(found), "{bad:?}: {shown}");
        }
        // Percent-encoded, the same characters are fine: that is what is sent.
        assert!(absolute_url("Url", "https://example.com/a%20b%0D%0A?x=%09").is_ok());
        assert!(absolute_url("Url", "https://例え.jp/パス").is_ok());
    }

    #[test]
    fn single_line_texts() {
        assert!(single_line("CallerId", "Alice Example").is_ok());
        assert!(not_empty("CallerId", "").is_err());
        let err = single_line("SipAuthPassword", "secret\r\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid SipAuthPassword: must not contain control characters (found '\\r' at character 7)"
        );
    }

    fn send_digits(value: &str) -> Result<()> {
        not_empty("SendDigits", value)?;
        max_chars("SendDigits", value, 32)?;
        charset(
            "SendDigits",
            value,
            |c| matches!(c, '0'..='9' | 'A'..='D' | '#' | '*' | 'w' | 'W'),
            "0-9, A-D, #, *, w and W",
        )
    }

    #[test]
    fn digits() {
        assert!(send_digits("1234#*wWABCD").is_ok());
        assert!(send_digits(&"1".repeat(32)).is_ok());
        assert!(refusal(send_digits(&"1".repeat(33))).contains("at most 32"));
        assert!(refusal(send_digits("12a")).contains("'a'"));
        assert!(send_digits("E").is_err());
        assert!(send_digits("").is_err());
    }

    fn twiml(value: &str) -> Result<()> {
        laml("Twiml", value)?;
        max_chars("Twiml", value, 4000)
    }

    #[test]
    fn twiml_length() {
        assert!(twiml(&"x".repeat(4000)).is_ok());
        assert!(twiml(&"é".repeat(4000)).is_ok());
        assert!(refusal(twiml(&"x".repeat(4001))).contains("4000"));
        assert!(twiml("  ").is_err());
    }

    #[test]
    fn ranges() {
        assert!(in_range("Timeout", 1, 1, 600).is_ok());
        assert!(in_range("Timeout", 600, 1, 600).is_ok());
        assert!(in_range("Timeout", 0, 1, 600).is_err());
        let err = in_range("PageSize", 1001, 1, 1000).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid PageSize: must be between 1 and 1000 (got 1001)"
        );
        assert!(at_least("TimeLimit", 0, 1).is_err());
        assert!(at_least("TimeLimit", 1, 1).is_ok());
    }

    #[test]
    fn groups() {
        assert!(exactly_one_of(&[("Url", true), ("Twiml", false)]).is_ok());
        let none = exactly_one_of(&[("Url", false), ("Twiml", false)]).unwrap_err();
        assert_eq!(none.parameter(), Some("Url"));
        let both = exactly_one_of(&[("Url", false), ("Twiml", true), ("X", true)]).unwrap_err();
        assert_eq!(both.parameter(), Some("Twiml"));
        let both = at_most_one_of(&[("Url", true), ("Twiml", true)]).unwrap_err();
        assert_eq!(both.parameter(), Some("Twiml"));
        assert!(at_most_one_of(&[("Url", true), ("Twiml", false)]).is_ok());
    }
}
