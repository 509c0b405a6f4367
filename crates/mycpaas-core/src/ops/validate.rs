//! Parameter rules shared by the operations. Each returns an [`Error::InvalidInput`] naming the
//! wire parameter and the rule.

use crate::error::{Error, Result};
use crate::types::Endpoint;

/// Longest inline LaML document accepted in `Twiml`, in characters.
pub const MAX_TWIML_CHARS: usize = 4000;
/// Longest `SendDigits` value.
pub const MAX_SEND_DIGITS: usize = 32;
/// `Timeout` bounds in seconds.
pub const TIMEOUT_RANGE: std::ops::RangeInclusive<u32> = 1..=600;
/// `PageSize` bounds.
pub const PAGE_SIZE_RANGE: std::ops::RangeInclusive<u32> = 1..=1000;

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

/// Every optional URL that is set.
pub fn optional_url(parameter: &str, value: Option<&String>) -> Result<()> {
    value.map_or(Ok(()), |v| absolute_url(parameter, v))
}

/// A call endpoint (E.164, `sip:`, `client:`).
pub fn endpoint(parameter: &str, value: &str) -> Result<()> {
    Endpoint::parse_for(parameter, value).map(drop)
}

/// A value within `range` (inclusive).
pub fn in_range(parameter: &str, value: u32, range: &std::ops::RangeInclusive<u32>) -> Result<()> {
    if range.contains(&value) {
        Ok(())
    } else {
        Err(Error::invalid(
            parameter,
            format!(
                "must be between {} and {} (got {value})",
                range.start(),
                range.end()
            ),
        ))
    }
}

/// A positive number (when set).
pub fn positive(parameter: &str, value: Option<u32>) -> Result<()> {
    match value {
        Some(0) => Err(Error::invalid(parameter, "must be greater than 0")),
        _ => Ok(()),
    }
}

/// `SendDigits`: up to 32 of `0-9 A-D # * w W`.
pub fn send_digits(value: &str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::invalid("SendDigits", "must not be empty"));
    }
    if let Some(bad) = value
        .chars()
        .find(|c| !matches!(c, '0'..='9' | 'A'..='D' | '#' | '*' | 'w' | 'W'))
    {
        return Err(Error::invalid(
            "SendDigits",
            format!("may contain only 0-9, A-D, #, *, w and W (found {bad:?})"),
        ));
    }
    let count = value.chars().count();
    if count > MAX_SEND_DIGITS {
        return Err(Error::invalid(
            "SendDigits",
            format!("must be at most {MAX_SEND_DIGITS} characters (got {count})"),
        ));
    }
    Ok(())
}

/// `Twiml`: a non-empty document of at most 4000 characters.
pub fn twiml(value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::invalid("Twiml", "must not be empty"));
    }
    let count = value.chars().count();
    if count > MAX_TWIML_CHARS {
        return Err(Error::invalid(
            "Twiml",
            format!("must be at most {MAX_TWIML_CHARS} characters (got {count})"),
        ));
    }
    Ok(())
}

/// A one-line free-text value (`CallerId`, `SipAuthUsername`, `SipAuthPassword`), when set: not
/// empty and without control characters. A CR, LF or NUL in such a value would be sent as is.
/// The error names the character and its position, never the value (it may be a password).
pub fn single_line_text(parameter: &str, value: Option<&String>) -> Result<()> {
    let Some(value) = value else {
        return Ok(());
    };
    if value.is_empty() {
        return Err(Error::invalid(parameter, "must not be empty"));
    }
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
        assert!(single_line_text("CallerId", None).is_ok());
        assert!(single_line_text("CallerId", Some(&"Alice Example".to_owned())).is_ok());
        assert!(single_line_text("CallerId", Some(&String::new())).is_err());
        let err = single_line_text("SipAuthPassword", Some(&"secret\r\n".to_owned())).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid SipAuthPassword: must not contain control characters (found '\\r' at character 7)"
        );
    }

    #[test]
    fn digits() {
        assert!(send_digits("1234#*wWABCD").is_ok());
        assert!(send_digits(&"1".repeat(32)).is_ok());
        assert!(
            send_digits(&"1".repeat(33))
                .unwrap_err()
                .to_string()
                .contains("at most 32")
        );
        assert!(send_digits("12a").unwrap_err().to_string().contains("'a'"));
        assert!(send_digits("E").is_err());
        assert!(send_digits("").is_err());
    }

    #[test]
    fn twiml_length() {
        assert!(twiml(&"x".repeat(4000)).is_ok());
        assert!(twiml(&"é".repeat(4000)).is_ok());
        assert!(
            twiml(&"x".repeat(4001))
                .unwrap_err()
                .to_string()
                .contains("4000")
        );
        assert!(twiml("  ").is_err());
    }

    #[test]
    fn ranges() {
        assert!(in_range("Timeout", 1, &TIMEOUT_RANGE).is_ok());
        assert!(in_range("Timeout", 600, &TIMEOUT_RANGE).is_ok());
        assert!(in_range("Timeout", 0, &TIMEOUT_RANGE).is_err());
        let err = in_range("PageSize", 1001, &PAGE_SIZE_RANGE).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid PageSize: must be between 1 and 1000 (got 1001)"
        );
        assert!(positive("TimeLimit", Some(0)).is_err());
        assert!(positive("TimeLimit", None).is_ok());
    }
}
