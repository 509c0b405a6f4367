//! The character classes of XML 1.0 (fifth edition) that quick-xml leaves to its caller: which
//! characters a document may hold (`Char`) and which make a name (`Name`). The parser checks
//! what quick-xml hands it against them, and the writer checks what it is asked to write, so
//! both sides hold one definition.

/// Whether XML 1.0 allows `c` in a document (production `Char`): tab, line feed, carriage
/// return, and everything from U+0020 but surrogates (which a `char` cannot hold), U+FFFE and
/// U+FFFF.
pub(crate) fn is_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// The first character of `text` XML 1.0 does not allow, and its byte offset.
pub(crate) fn forbidden_char(text: &str) -> Option<(usize, char)> {
    // Every forbidden character is a control byte or starts with 0xEF (U+FFFE, U+FFFF): most
    // text has neither, and one pass over the bytes says so.
    let suspect = text
        .bytes()
        .any(|b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0xEF);
    if !suspect {
        return None;
    }
    text.char_indices().find(|&(_, c)| !is_char(c))
}

/// A table of the bytes listed and of every control byte (below 0x20) but those `except`: the
/// bytes the parser and the writer look at more closely.
pub(crate) const fn byte_table(listed: &[u8], except: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut i = 0;
    while i < 0x20 {
        table[i] = true;
        i += 1;
    }
    let mut i = 0;
    while i < except.len() {
        table[except[i] as usize] = false;
        i += 1;
    }
    let mut i = 0;
    while i < listed.len() {
        table[listed[i] as usize] = true;
        i += 1;
    }
    table
}

/// Production `NameStartChar`.
fn is_name_start(c: char) -> bool {
    matches!(c,
        ':' | 'A'..='Z' | '_' | 'a'..='z'
        | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{2FF}'
        | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}' | '\u{200C}'..='\u{200D}'
        | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}' | '\u{3001}'..='\u{D7FF}'
        | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}' | '\u{10000}'..='\u{EFFFF}')
}

/// Production `NameChar`.
fn is_name_char(c: char) -> bool {
    is_name_start(c)
        || matches!(c,
            '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

/// Why `name` is not an XML 1.0 `Name`, in words; `None` when it is one.
pub(crate) fn name_problem(name: &str) -> Option<String> {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return Some("a name cannot be empty".to_owned());
    };
    if !is_name_start(first) {
        return Some(format!(
            "`{name}` is not an XML name: it cannot start with {}",
            describe(first)
        ));
    }
    chars.find(|&c| !is_name_char(c)).map(|c| {
        format!(
            "`{name}` is not an XML name: {} cannot appear in a name",
            describe(c)
        )
    })
}

/// What an ASCII byte may be in a name: [`NAME_START`] and [`NAME_CHAR`] bits. Bytes from
/// 0x80 have neither; names holding them take the character path.
const ASCII_NAME: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut c: u8 = 0;
    while c < 128 {
        if c.is_ascii_alphabetic() || c == b'_' || c == b':' {
            table[c as usize] = NAME_START | NAME_CHAR;
        } else if c.is_ascii_digit() || c == b'-' || c == b'.' {
            table[c as usize] = NAME_CHAR;
        }
        c += 1;
    }
    table
};
const NAME_START: u8 = 1;
const NAME_CHAR: u8 = 2;

/// Whether `name` is an XML 1.0 `Name`.
pub(crate) fn is_name(name: &str) -> bool {
    // The names LaML defines, and most others, are ASCII: one table lookup a byte.
    let bytes = name.as_bytes();
    let Some((&first, rest)) = bytes.split_first() else {
        return false;
    };
    let ascii = |b: u8, bit: u8| {
        ASCII_NAME
            .get(usize::from(b))
            .is_some_and(|&f| f & bit != 0)
    };
    if ascii(first, NAME_START) && rest.iter().all(|&b| ascii(b, NAME_CHAR)) {
        return true;
    }
    !name.is_ascii() && name_problem(name).is_none()
}

/// A character for a message: printable ones quoted, others by code point.
fn describe(c: char) -> String {
    if c.is_control() || c.is_whitespace() {
        format!("U+{:04X}", u32::from(c))
    } else {
        format!("`{c}`")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_name_production() {
        for name in [
            "Say", "say-as", "xml:lang", "_x", ":x", "a.b", "a1", "é", "日本", "a\u{B7}b",
            "x\u{300}",
        ] {
            assert!(is_name(name), "{name}");
            assert_eq!(name_problem(name), None, "{name}");
        }
        for name in [
            "", "a;b", "v&l", "1a", "-a", ".a", "a b", "a\"", "a<b", "a/", "a=b", "\u{B7}a",
            "a\u{D7}", "a\u{1}",
        ] {
            assert!(!is_name(name), "{name:?}");
            assert!(name_problem(name).is_some(), "{name:?}");
        }
        assert_eq!(
            name_problem("a;b").as_deref(),
            Some("`a;b` is not an XML name: `;` cannot appear in a name")
        );
        assert_eq!(
            name_problem("1a").as_deref(),
            Some("`1a` is not an XML name: it cannot start with `1`")
        );
    }

    #[test]
    fn characters_follow_the_char_production() {
        assert_eq!(forbidden_char("plain text, é € 😀\t\n\r"), None);
        assert_eq!(forbidden_char("\u{E000}\u{FFFD}\u{EFFF}"), None);
        assert_eq!(forbidden_char("ab\u{1}"), Some((2, '\u{1}')));
        assert_eq!(forbidden_char("é\u{FFFE}"), Some((2, '\u{FFFE}')));
        assert_eq!(forbidden_char("\u{FFFF}"), Some((0, '\u{FFFF}')));
        assert!(!is_char('\u{0}'));
        assert!(is_char('\u{10FFFF}'));
    }
}
