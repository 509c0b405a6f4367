//! Splits the attribute text of a start tag into raw `(name, value)` pairs, and finds the end
//! of the tag (`>` or `/>`) on the way.
//!
//! The lexer runs it once per start tag: it both finds where the tag ends (a `>` inside a
//! quoted value does not end it) and hands the attributes over, so the tag is read once.
//! It does only what XML allows (no unquoted values, no HTML forms). Values are returned raw
//! (still escaped); duplicates are detected by the caller.

/// Bytes that end an attribute name: `=`, whitespace, quotes and angle brackets.
const ENDS_NAME: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    let ends = b"= \t\n\r\"'<>";
    while i < ends.len() {
        table[ends[i] as usize] = true;
        i += 1;
    }
    table
};

/// Bytes the value scan stops at: quotes and `<`, and those that keep a value from being used
/// as is: control characters (to check or normalize), `&` (a reference) and 0xEF (which
/// starts U+FFFE and U+FFFF).
const STOPS_VALUE: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < 0x20 {
        table[i] = true;
        i += 1;
    }
    table[b'"' as usize] = true;
    table[b'\'' as usize] = true;
    table[b'<' as usize] = true;
    table[b'&' as usize] = true;
    table[0xEF] = true;
    table
};

/// One attribute: name and raw value, each with its byte offset in the scanned text.
#[derive(Clone, Copy)]
pub(crate) struct RawAttribute<'a> {
    pub(crate) name: &'a str,
    pub(crate) name_at: usize,
    pub(crate) value: &'a str,
    /// The value has no control character, reference or 0xEF byte: it can be used as is.
    pub(crate) plain: bool,
}

/// A malformed attribute: the rule broken and the byte offset in the scanned text.
pub(crate) struct ScanError {
    pub(crate) rule: &'static str,
    pub(crate) at: usize,
}

impl RawAttribute<'_> {
    /// A placeholder, for storage to be filled.
    pub(crate) const NONE: RawAttribute<'static> = RawAttribute {
        name: "",
        name_at: 0,
        value: "",
        plain: true,
    };
}

/// Iterator over the attributes of `raw`, the text after the element name; it stops at the
/// end of the tag (or of `raw`).
pub(crate) struct AttrScanner<'a> {
    raw: &'a str,
    pos: usize,
    /// Where the tag ended: the offset after its `>`, and whether it was `/>`.
    end: Option<(usize, bool)>,
}

impl<'a> AttrScanner<'a> {
    pub(crate) fn new(raw: &'a str) -> Self {
        AttrScanner {
            raw,
            pos: 0,
            end: None,
        }
    }

    /// Once the iterator is done: the offset just after the tag's `>` and whether the tag
    /// was empty (`/>`); `None` when `raw` ended first.
    pub(crate) fn tag_end(&self) -> Option<(usize, bool)> {
        self.end
    }

    fn fail(&mut self, rule: &'static str, at: usize) -> Result<RawAttribute<'a>, ScanError> {
        // Stop after an error.
        self.pos = self.raw.len();
        Err(ScanError { rule, at })
    }
}

/// The first position from `at` that is not XML whitespace.
fn skip_whitespace(bytes: &[u8], mut at: usize) -> usize {
    while at < bytes.len() && matches!(bytes[at], b' ' | b'\t' | b'\n' | b'\r') {
        at += 1;
    }
    at
}

impl<'a> Iterator for AttrScanner<'a> {
    type Item = Result<RawAttribute<'a>, ScanError>;

    // Positions are kept in locals and stored once: the loops stay in registers. Inlined
    // into the lexer's start-tag loop, its one hot caller.
    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        let bytes = self.raw.as_bytes();
        let name_at = skip_whitespace(bytes, self.pos);
        let tag_end = match bytes.get(name_at) {
            None => Some(None),
            Some(b'>') => Some(Some((name_at + 1, false))),
            Some(b'/') if bytes.get(name_at + 1) == Some(&b'>') => Some(Some((name_at + 2, true))),
            Some(_) => None,
        };
        if let Some(end) = tag_end {
            self.pos = bytes.len();
            self.end = end;
            return None;
        }
        if name_at == self.pos {
            return Some(self.fail("attributes must be separated by whitespace", name_at));
        }
        let mut name_end = name_at;
        while name_end < bytes.len() && !ENDS_NAME[usize::from(bytes[name_end])] {
            name_end += 1;
        }
        if name_end == name_at {
            return Some(self.fail("expected an attribute name", name_at));
        }
        // The usual `name="` needs no whitespace skipping.
        let mut at = name_end;
        if bytes.get(at) != Some(&b'=') {
            at = skip_whitespace(bytes, at);
            if bytes.get(at) != Some(&b'=') {
                return Some(self.fail("expected `=` after the attribute name", at));
            }
        }
        at += 1;
        if !matches!(bytes.get(at), Some(b'"' | b'\'')) {
            at = skip_whitespace(bytes, at);
        }
        let Some(&quote @ (b'"' | b'\'')) = bytes.get(at) else {
            return Some(self.fail("attribute values must be in quotes", at));
        };
        let value_at = at + 1;
        // One pass finds the closing quote and tells whether the value is plain.
        let mut value_end = value_at;
        let mut plain = true;
        loop {
            while value_end < bytes.len() && !STOPS_VALUE[usize::from(bytes[value_end])] {
                value_end += 1;
            }
            match bytes.get(value_end) {
                None => return Some(self.fail("the attribute value is not closed", at)),
                Some(&b) if b == quote => break,
                Some(b'<') => {
                    return Some(self.fail(
                        "`<` is not allowed in attribute values (write &lt;)",
                        value_end,
                    ));
                }
                Some(b'"' | b'\'') => {}
                Some(_) => plain = false,
            }
            value_end += 1;
        }
        self.pos = value_end + 1;
        // Both ranges end at ASCII delimiters, so they are on character boundaries.
        Some(Ok(RawAttribute {
            name: &self.raw[name_at..name_end],
            name_at,
            value: &self.raw[value_at..value_end],
            plain,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(raw: &str) -> Result<Vec<(&str, &str)>, &'static str> {
        AttrScanner::new(raw)
            .map(|a| a.map(|a| (a.name, a.value)).map_err(|e| e.rule))
            .collect()
    }

    #[test]
    fn splits_attributes() {
        assert_eq!(scan(""), Ok(vec![]));
        assert_eq!(scan("  "), Ok(vec![]));
        assert_eq!(
            scan(" a=\"1\"\n\tb = 'x\"y' xml:lang=\"\" "),
            Ok(vec![("a", "1"), ("b", "x\"y"), ("xml:lang", "")])
        );
    }

    #[test]
    fn tells_plain_values() {
        let plain = |value: &str| {
            let raw = format!(" a=\"{value}\"");
            let attribute = AttrScanner::new(&raw).next().unwrap().ok().unwrap();
            assert_eq!(attribute.value, value);
            attribute.plain
        };
        let base = "abcdefghijklmnopqrstuvwxyz0123456789'";
        assert!(plain(base));
        for at in 0..=base.len() {
            for special in ["\u{1}", "&", "\u{FFFF}", "\r", "\n", "\t"] {
                let mut value = base.to_owned();
                value.insert_str(at, special);
                assert!(!plain(&value), "{value:?}");
            }
        }
        // Non-ASCII text is plain, except characters led by byte 0xEF (U+F000 to U+FFFF).
        assert!(plain("çé€😀\u{E000}"));
        assert!(!plain("\u{FFFD}"));
    }

    #[test]
    fn finds_the_end_of_the_tag() {
        fn end(raw: &str) -> (Vec<&str>, Option<(usize, bool)>) {
            let mut scanner = AttrScanner::new(raw);
            let names = scanner.by_ref().map(|a| a.ok().unwrap().name).collect();
            (names, scanner.tag_end())
        }
        assert_eq!(end(">rest"), (vec![], Some((1, false))));
        assert_eq!(end("/>"), (vec![], Some((2, true))));
        assert_eq!(
            end(" a='>' b=\"/>\" />x"),
            (vec!["a", "b"], Some((16, true)))
        );
        assert_eq!(end(" a='1'\n>"), (vec!["a"], Some((8, false))));
        assert_eq!(end(" a='1'"), (vec!["a"], None));
    }

    #[test]
    fn refuses_malformed_attributes() {
        assert!(scan(" a").is_err());
        assert!(scan(" a=1").is_err());
        assert!(scan(" a=\"1").is_err());
        assert!(scan(" a=\"1\"b=\"2\"").is_err());
        assert!(scan(" =\"1\"").is_err());
        assert!(scan(" a=\"<\"").is_err());
        assert!(scan(" \"a\"=\"1\"").is_err());
    }
}
