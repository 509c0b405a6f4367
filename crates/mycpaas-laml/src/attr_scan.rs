//! Splits the attribute text of a start tag into raw `(name, value)` pairs.
//!
//! quick-xml's attribute iterator is general (HTML mode, unquoted values, its own duplicate
//! tracking with an allocation per tag); this scanner does only what XML allows, which is a
//! large share of parsing time saved on small LaML documents. Values are returned raw (still
//! escaped); duplicates are detected by the caller.

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

/// One attribute: name and raw value, each with its byte offset in the scanned text.
pub(crate) struct RawAttribute<'a> {
    pub(crate) name: &'a str,
    pub(crate) name_at: usize,
    pub(crate) value: &'a str,
}

/// A malformed attribute: the rule broken and the byte offset in the scanned text.
pub(crate) struct ScanError {
    pub(crate) rule: &'static str,
    pub(crate) at: usize,
}

/// Iterator over the attributes of `raw`, the text after the element name.
pub(crate) struct AttrScanner<'a> {
    raw: &'a str,
    pos: usize,
}

impl<'a> AttrScanner<'a> {
    pub(crate) fn new(raw: &'a str) -> Self {
        AttrScanner { raw, pos: 0 }
    }

    fn skip_whitespace(&mut self) -> bool {
        let start = self.pos;
        let bytes = self.raw.as_bytes();
        while self.pos < bytes.len() && matches!(bytes[self.pos], b' ' | b'\t' | b'\n' | b'\r') {
            self.pos += 1;
        }
        self.pos > start
    }

    fn fail(&mut self, rule: &'static str) -> Result<RawAttribute<'a>, ScanError> {
        let at = self.pos;
        // Stop after an error.
        self.pos = self.raw.len();
        Err(ScanError { rule, at })
    }
}

impl<'a> Iterator for AttrScanner<'a> {
    type Item = Result<RawAttribute<'a>, ScanError>;

    fn next(&mut self) -> Option<Self::Item> {
        let separated = self.skip_whitespace();
        let bytes = self.raw.as_bytes();
        if self.pos >= bytes.len() {
            return None;
        }
        if !separated {
            return Some(self.fail("attributes must be separated by whitespace"));
        }
        let name_at = self.pos;
        while self.pos < bytes.len() && !ENDS_NAME[usize::from(bytes[self.pos])] {
            self.pos += 1;
        }
        if self.pos == name_at {
            return Some(self.fail("expected an attribute name"));
        }
        let name = &self.raw[name_at..self.pos];
        self.skip_whitespace();
        if bytes.get(self.pos) != Some(&b'=') {
            return Some(self.fail("expected `=` after the attribute name"));
        }
        self.pos += 1;
        self.skip_whitespace();
        let Some(&quote @ (b'"' | b'\'')) = bytes.get(self.pos) else {
            return Some(self.fail("attribute values must be in quotes"));
        };
        let value_at = self.pos + 1;
        let Some(length) = bytes[value_at..]
            .iter()
            .position(|&b| b == quote || b == b'<')
        else {
            return Some(self.fail("the attribute value is not closed"));
        };
        if bytes[value_at + length] == b'<' {
            self.pos = value_at + length;
            return Some(self.fail("`<` is not allowed in attribute values (write &lt;)"));
        }
        let value = &self.raw[value_at..value_at + length];
        self.pos = value_at + length + 1;
        Some(Ok(RawAttribute {
            name,
            name_at,
            value,
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
