//! Reading a request's parameters: the bytes of a form body or query string to pairs, and the
//! pairs to core's request, checked by core's rules (the generated readers of
//! `super::generated` call [`checked`]).

use mycpaas_core::error::{Error, Result};

use super::error::ApiError;

/// Reads a request from form or query bytes with core's decoding (`read`) and checks it with
/// core's rules (`validate`). A refusal is 400 with the client's words for it (`invalid To: ...`)
/// and the code the description gives it (`code`).
pub(crate) fn checked<T>(
    bytes: &[u8],
    read: impl FnOnce(&[(String, String)]) -> Result<T>,
    validate: fn(&T) -> Result<()>,
    code: fn(&Error) -> u32,
) -> Result<T, ApiError> {
    let pairs = parse(bytes)?;
    read(&pairs)
        .and_then(|request| validate(&request).map(|()| request))
        .map_err(|error| ApiError::invalid(code(&error), error.to_string()))
}

/// Decodes a form body or query string into its pairs, in order, repeated names kept. Text that
/// is not UTF-8 once decoded is refused (400, code 20001) rather than repaired: a repaired value
/// is not what the client sent, and `form_urlencoded` repairs.
fn parse(bytes: &[u8]) -> Result<Vec<(String, String)>, ApiError> {
    let mut pairs = Vec::new();
    for pair in bytes.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
        let (name, value) = match pair.iter().position(|b| *b == b'=') {
            Some(at) => (&pair[..at], &pair[at + 1..]),
            None => (pair, &[][..]),
        };
        let name = decode(name)
            .ok_or_else(|| ApiError::invalid(20001, "a parameter name is not valid UTF-8"))?;
        let value = decode(value).ok_or_else(|| {
            ApiError::invalid(20001, format!("parameter {name} is not valid UTF-8"))
        })?;
        pairs.push((name, value));
    }
    Ok(pairs)
}

/// One form-encoded component: `+` is a space, `%XX` a byte; the result must be UTF-8.
fn decode(component: &[u8]) -> Option<String> {
    let spaced: Vec<u8> = component
        .iter()
        .map(|b| if *b == b'+' { b' ' } else { *b })
        .collect();
    let bytes: Vec<u8> = percent_encoding::percent_decode(&spaced).collect();
    String::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_forms_and_refuses_invalid_utf8() {
        let pairs = parse(b"To=%2B1555&Say=hello+world&To=%E2%82%AC&Empty&=x").unwrap();
        let pairs: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("To", "+1555"),
                ("Say", "hello world"),
                ("To", "\u{20ac}"),
                ("Empty", ""),
                ("", "x")
            ]
        );
        let error = parse(b"Twiml=%C3%28").unwrap_err();
        assert_eq!(error.code, 20001);
        assert!(error.message.contains("Twiml"));
        assert!(parse(b"To=\xff").is_err());
    }
}
