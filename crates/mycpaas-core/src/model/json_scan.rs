//! One validating pass over a page body that records where things are instead of building them.
//!
//! The scanner checks the whole JSON grammar (string escapes, surrogate pairs, no raw control
//! characters in strings, numbers, literals, nesting up to the depth `serde_json` allows) and
//! records the byte spans of the top-level keys and values, and of every key and value of each
//! element of `calls`. Nothing is decoded and nothing is allocated per value: spans go into a few
//! vectors of `u32` pairs.
//!
//! String bodies, which make up most of a page, are skipped eight bytes at a time: one word is
//! tested at once for a quote, a backslash, a control character or a byte of a multi-byte
//! UTF-8 sequence (the classic "has a zero byte" bit trick), and only a word holding one of
//! them is looked at byte by byte. UTF-8 is checked here too, sequence by sequence inside
//! strings: outside them the grammar allows ASCII only, so a body the scanner accepts is valid
//! UTF-8 without a separate pass over it.

use std::ops::Range;

/// Nesting depth at which `serde_json` gives up; the scanner refuses the same documents.
const MAX_DEPTH: usize = 128;

/// A byte range of the body. `u32` keeps the index small; bodies over 4 GiB are refused.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    /// The span as a range of the body.
    pub(crate) fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// One member of an object: the key's text between its quotes (escapes left as sent) and the
/// value's raw JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    pub key: Span,
    pub value: Span,
}

/// One element of `calls`: its whole raw JSON, and its members (`entries[members]`), or no
/// members when the element is not an object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Element {
    pub value: Span,
    pub object: bool,
    pub first: u32,
    pub end: u32,
}

/// What one pass found.
#[derive(Debug, Default)]
pub(crate) struct Scan {
    /// The members of the top-level object, in order.
    pub top: Vec<Entry>,
    /// Which member of `top` is the indexed `calls` array (the first `calls` holding an array).
    pub calls_member: Option<usize>,
    /// The elements of that array.
    pub elements: Vec<Element>,
    /// The members of every element, element after element.
    pub entries: Vec<Entry>,
}

/// Why a body is not JSON, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ScanError {
    /// Byte offset of the problem.
    pub offset: usize,
    /// What is wrong, in words.
    pub message: &'static str,
}

/// Scans `body`, which must be a JSON object (a page envelope).
pub(crate) fn scan_page(body: &[u8]) -> Result<Scan, ScanError> {
    if u32::try_from(body.len()).is_err() {
        return Err(ScanError {
            offset: 0,
            message: "body larger than 4 GiB",
        });
    }
    let mut scanner = Scanner::new(body);
    // About one member per 20 bytes and one call per kilobyte in the pages servers send, and
    // about ten envelope members: one allocation each, usually, instead of a few regrowths.
    let mut scan = Scan {
        top: Vec::with_capacity(16),
        calls_member: None,
        elements: Vec::with_capacity(body.len() / 1024 + 1),
        entries: Vec::with_capacity(body.len() / 20),
    };
    match scanner.page_document(&mut scan) {
        Ok(()) => Ok(scan),
        Err(Fail) => Err(scanner.failure()),
    }
}

/// Checks that `body` is one JSON value (any kind), as [`scan_page`] checks a page.
#[cfg(test)]
pub(crate) fn validate(body: &[u8]) -> Result<(), ScanError> {
    let mut scanner = Scanner::new(body);
    scanner.skip_whitespace();
    let checked = scanner.value().and_then(|()| scanner.end());
    checked.map_err(|Fail| scanner.failure())
}

/// Whether the key at `key` (a span of `body` between quotes) reads `name`, escapes decoded.
pub(crate) fn key_is(body: &[u8], key: Span, name: &str) -> bool {
    let Some(raw) = body.get(key.range()) else {
        return false;
    };
    // An escape is longer than the text it stands for, so a key reads `name` only if it is
    // `name` byte for byte (and unescaped), or longer and escaped: most keys are told apart by
    // their length or a byte comparison, without looking for backslashes.
    if raw.len() < name.len() {
        return false;
    }
    if raw.len() == name.len() {
        return raw == name.as_bytes() && !raw.contains(&b'\\');
    }
    if !raw.contains(&b'\\') {
        return false;
    }
    // Rare: an escaped key. Decode it with the quotes around it.
    let quoted = (key.start as usize).saturating_sub(1)..key.end as usize + 1;
    body.get(quoted)
        .and_then(|text| serde_json::from_slice::<String>(text).ok())
        .is_some_and(|decoded| decoded == name)
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `word` (eight bytes of a string body, first byte lowest) that
/// a string body cannot hold as is: a quote, a backslash, a control character, or a byte of
/// 0x80 and above (part of a UTF-8 sequence, to be checked).
///
/// Subtracting from a byte borrows through its high bit exactly when the byte is smaller. A
/// quote and the control characters are caught by one subtraction: flipping bit 1 maps the
/// quote (0x22) to 0x20 and keeps the controls below 0x20, while every other byte lands on
/// 0x21 or above, so `(word ^ 0x02...) - 0x21...` flags exactly those. A backslash is flagged by
/// `(word ^ "\\...") - 1` (zero where it was). Those tests mean something for ASCII bytes only
/// (`& !word`); the bytes of 0x80 and above are flagged by their own high bit (`| word`). A
/// borrow can flag a byte above a flagged one by mistake, never below it, so the lowest flagged
/// byte is exact; it is the only one used.
#[inline]
fn special_bytes(word: u64) -> u64 {
    let quotes_and_controls = (word ^ (ONES * 0x02)).wrapping_sub(ONES * 0x21);
    let backslashes = (word ^ (ONES * u64::from(b'\\'))).wrapping_sub(ONES);
    ((quotes_and_controls | backslashes) & !word | word) & HIGHS
}

/// The length of the UTF-8 sequence a byte of 0x80 and above starts, or `None` when no
/// sequence starts with it (a continuation byte, or a byte UTF-8 never uses).
fn sequence_length(lead: u8) -> Option<usize> {
    match lead {
        0xC2..=0xDF => Some(2),
        0xE0..=0xEF => Some(3),
        0xF0..=0xF4 => Some(4),
        _ => None,
    }
}

/// A scan failed; the scanner holds the [`ScanError`]. Keeping the error out of the results
/// keeps every `Result` of the hot path small enough for registers.
struct Fail;

/// A position in the body (or a count of members, always smaller) as stored in spans.
#[inline]
#[allow(
    clippy::cast_possible_truncation,
    reason = "scan_page refuses bodies over u32::MAX bytes, so every position fits"
)]
fn offset(position: usize) -> u32 {
    position as u32
}

struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
    failure: Option<ScanError>,
}

// The hot helpers are forced inline: measured with callgrind on a 50-call page, each one left to
// the compiler's choice stayed a call and cost more than the scanning it does.
#[allow(clippy::inline_always, reason = "measured, see above")]
impl<'a> Scanner<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Scanner {
            bytes,
            pos: 0,
            depth: 0,
            failure: None,
        }
    }

    /// Records what failed, here.
    #[cold]
    fn error(&mut self, message: &'static str) -> Fail {
        self.failure = Some(ScanError {
            offset: self.pos,
            message,
        });
        Fail
    }

    fn failure(&mut self) -> ScanError {
        self.failure.take().unwrap_or(ScanError {
            offset: self.pos,
            message: "invalid JSON",
        })
    }

    /// Only whitespace may follow the document.
    fn end(&mut self) -> Result<(), Fail> {
        self.skip_whitespace();
        if self.pos == self.bytes.len() {
            Ok(())
        } else {
            Err(self.error("trailing characters"))
        }
    }

    /// The whole body: an object (the page), nothing after it.
    fn page_document(&mut self, scan: &mut Scan) -> Result<(), Fail> {
        self.skip_whitespace();
        match self.peek() {
            Some(b'{') => self.page(scan)?,
            Some(_) => {
                // Not an object: still report a grammar error first, as a JSON parser would.
                self.value()?;
                self.end()?;
                self.pos = 0;
                return Err(self.error("expected a JSON object"));
            }
            None => return Err(self.error("EOF while parsing a value")),
        }
        self.end()
    }

    #[inline]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn span_from(&self, start: usize) -> Span {
        // Both fit: the body length was checked against u32::MAX.
        Span {
            start: offset(start),
            end: offset(self.pos),
        }
    }

    /// Skips whitespace. Compact bodies have none, so anything above a space ends it with one
    /// comparison.
    #[inline(always)]
    fn skip_whitespace(&mut self) {
        while let Some(&byte) = self.bytes.get(self.pos) {
            if byte > b' ' || !matches!(byte, b' ' | b'\n' | b'\r' | b'\t') {
                return;
            }
            self.pos += 1;
        }
    }

    /// Consumes `byte` (after whitespace) or fails with `message`.
    fn expect(&mut self, byte: u8, message: &'static str) -> Result<(), Fail> {
        self.skip_whitespace();
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.eof_or(message))
        }
    }

    fn eof_or(&mut self, message: &'static str) -> Fail {
        if self.pos >= self.bytes.len() {
            self.error("EOF while parsing")
        } else {
            self.error(message)
        }
    }

    /// Enters the object or array whose opening bracket is at `pos` and skips the whitespace
    /// after the bracket. True when it is empty: then it is left again, `close` consumed.
    #[inline]
    fn open(&mut self, close: u8) -> Result<bool, Fail> {
        self.depth += 1;
        if self.depth >= MAX_DEPTH {
            return Err(self.error("recursion limit exceeded"));
        }
        self.pos += 1;
        self.skip_whitespace();
        if self.peek() == Some(close) {
            self.pos += 1;
            self.depth -= 1;
            return Ok(true);
        }
        Ok(false)
    }

    /// The top-level object: every member recorded, `calls` indexed element by element.
    fn page(&mut self, scan: &mut Scan) -> Result<(), Fail> {
        if self.open(b'}')? {
            return Ok(());
        }
        loop {
            let key = self.key()?;
            let start = self.pos;
            let is_calls = key_is(self.bytes, key, "calls");
            if is_calls && scan.calls_member.is_none() && self.peek() == Some(b'[') {
                scan.calls_member = Some(scan.top.len());
                self.calls(scan)?;
            } else {
                self.member_value()?;
            }
            scan.top.push(Entry {
                key,
                value: self.span_from(start),
            });
            if self.end_of_members(b'}')? {
                return Ok(());
            }
        }
    }

    /// The `calls` array: each element's span, and the members of each object element.
    fn calls(&mut self, scan: &mut Scan) -> Result<(), Fail> {
        if self.open(b']')? {
            return Ok(());
        }
        // Each element starts on a non-whitespace byte: the one after `[` or after a comma, both
        // skipped to already.
        loop {
            let start = self.pos;
            let first = offset(scan.entries.len());
            let object = self.peek() == Some(b'{');
            if object {
                self.object_members(&mut scan.entries)?;
            } else {
                self.member_value()?;
            }
            scan.elements.push(Element {
                value: self.span_from(start),
                object,
                first,
                end: offset(scan.entries.len()),
            });
            if self.end_of_members(b']')? {
                self.depth -= 1;
                return Ok(());
            }
        }
    }

    /// An object whose members are recorded in `entries`.
    fn object_members(&mut self, entries: &mut Vec<Entry>) -> Result<(), Fail> {
        if self.open(b'}')? {
            return Ok(());
        }
        loop {
            let key = self.key()?;
            let start = self.pos;
            self.member_value()?;
            entries.push(Entry {
                key,
                value: self.span_from(start),
            });
            if self.end_of_members(b'}')? {
                self.depth -= 1;
                return Ok(());
            }
        }
    }

    /// A member's key, its colon and the whitespace after it; the key's span excludes the
    /// quotes. Callers stand on a non-whitespace byte already (after `{` or a comma, both
    /// followed by a whitespace skip).
    #[inline(always)]
    fn key(&mut self) -> Result<Span, Fail> {
        if self.peek() != Some(b'"') {
            return Err(self.eof_or("key must be a string"));
        }
        let key = self.string()?;
        // Compact bodies put the value right after the colon: one two-byte look settles both.
        match self.bytes.get(self.pos..self.pos + 2) {
            Some(&[b':', next]) if next > b' ' => self.pos += 1,
            _ => {
                self.expect(b':', "expected `:`")?;
                self.skip_whitespace();
            }
        }
        Ok(key)
    }

    /// After a member or element: `true` at the closing `close`, `false` after a comma (and
    /// the whitespace after it).
    #[inline(always)]
    fn end_of_members(&mut self, close: u8) -> Result<bool, Fail> {
        // Compact bodies: a comma and at once something other than the closing bracket. What
        // that something is, the next key or value checks.
        match self.bytes.get(self.pos..self.pos + 2) {
            Some(&[b',', next]) if next > b' ' && next != close => {
                self.pos += 1;
                Ok(false)
            }
            _ => self.end_of_members_spaced(close),
        }
    }

    /// [`Scanner::end_of_members`] in general: whitespace anywhere, the last member, errors.
    #[inline(never)]
    fn end_of_members_spaced(&mut self, close: u8) -> Result<bool, Fail> {
        self.skip_whitespace();
        match self.peek() {
            Some(b',') => {
                self.pos += 1;
                // A comma must be followed by another member, not by the closing bracket.
                self.skip_whitespace();
                if self.peek() == Some(close) {
                    return Err(self.error("trailing comma"));
                }
                Ok(false)
            }
            Some(byte) if byte == close => {
                self.pos += 1;
                Ok(true)
            }
            _ => Err(self.eof_or(if close == b'}' {
                "expected `,` or `}`"
            } else {
                "expected `,` or `]`"
            })),
        }
    }

    /// A value inside an object or array: strings, the usual case, scanned in place; anything
    /// else through [`Scanner::value`].
    #[inline(always)]
    fn member_value(&mut self) -> Result<(), Fail> {
        if self.peek() == Some(b'"') {
            self.string().map(drop)
        } else {
            self.value()
        }
    }

    /// Any value, checked and skipped.
    fn value(&mut self) -> Result<(), Fail> {
        match self.peek() {
            Some(b'"') => self.string().map(drop),
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            Some(b't') => self.literal(b"true"),
            Some(b'f') => self.literal(b"false"),
            Some(b'n') => self.literal(b"null"),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.error("expected value")),
            None => Err(self.error("EOF while parsing a value")),
        }
    }

    /// An object whose members are checked but not recorded.
    fn object(&mut self) -> Result<(), Fail> {
        if self.open(b'}')? {
            return Ok(());
        }
        loop {
            self.key()?;
            self.member_value()?;
            if self.end_of_members(b'}')? {
                self.depth -= 1;
                return Ok(());
            }
        }
    }

    fn array(&mut self) -> Result<(), Fail> {
        if self.open(b']')? {
            return Ok(());
        }
        loop {
            self.member_value()?;
            if self.end_of_members(b']')? {
                self.depth -= 1;
                return Ok(());
            }
        }
    }

    fn literal(&mut self, word: &'static [u8]) -> Result<(), Fail> {
        let end = self.pos + word.len();
        if self.bytes.get(self.pos..end) == Some(word) {
            self.pos = end;
            Ok(())
        } else if end > self.bytes.len() {
            self.pos = self.bytes.len();
            Err(self.error("EOF while parsing a value"))
        } else {
            Err(self.error("expected ident"))
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<(), Fail> {
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.eof_or("invalid number")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.eof_or("invalid number"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.eof_or("invalid number"));
            }
        }
        Ok(())
    }

    /// A string from its opening quote; returns the span between the quotes.
    // Inlined into its callers: most strings are short, so the call itself would cost as much as
    // the scan (saving registers and loading the word constants, every time).
    #[inline(always)]
    fn string(&mut self) -> Result<Span, Fail> {
        let bytes = self.bytes;
        let start = self.pos + 1; // after '"'
        let mut pos = start;
        loop {
            // Sixteen, then eight bytes at a time until a word holds a quote, a backslash or a
            // control byte.
            'words: {
                while let Some(chunk) = bytes.get(pos..pos + 16) {
                    let mut words = [0u8; 16];
                    words.copy_from_slice(chunk);
                    let low = u64::from_le_bytes([
                        words[0], words[1], words[2], words[3], words[4], words[5], words[6],
                        words[7],
                    ]);
                    let high = u64::from_le_bytes([
                        words[8], words[9], words[10], words[11], words[12], words[13], words[14],
                        words[15],
                    ]);
                    let special = special_bytes(low);
                    if special != 0 {
                        pos += (special.trailing_zeros() / 8) as usize;
                        break 'words;
                    }
                    let special = special_bytes(high);
                    if special != 0 {
                        pos += 8 + (special.trailing_zeros() / 8) as usize;
                        break 'words;
                    }
                    pos += 16;
                }
                while let Some(chunk) = bytes.get(pos..pos + 8) {
                    let mut word = [0u8; 8];
                    word.copy_from_slice(chunk);
                    let special = special_bytes(u64::from_le_bytes(word));
                    if special != 0 {
                        pos += (special.trailing_zeros() / 8) as usize;
                        break 'words;
                    }
                    pos += 8;
                }
            }
            // Byte by byte from here: the special byte, or the last few bytes of the body.
            match bytes.get(pos) {
                Some(b'"') => {
                    self.pos = pos + 1;
                    return Ok(Span {
                        start: offset(start),
                        end: offset(pos),
                    });
                }
                Some(b'\\') => {
                    self.pos = pos;
                    self.escape()?;
                    pos = self.pos;
                }
                Some(0..=0x1f) => {
                    self.pos = pos;
                    return Err(self.error(
                        "control character (\\u0000-\\u001F) found while parsing a string",
                    ));
                }
                Some(0x80..) => {
                    self.pos = pos;
                    self.utf8_sequence()?;
                    pos = self.pos;
                }
                Some(_) => pos += 1,
                None => {
                    self.pos = pos;
                    return Err(self.error("EOF while parsing a string"));
                }
            }
        }
    }

    /// One UTF-8 sequence of a string, from its first byte (out of line: most pages are ASCII).
    #[inline(never)]
    fn utf8_sequence(&mut self) -> Result<(), Fail> {
        let length = self
            .peek()
            .and_then(sequence_length)
            .ok_or_else(|| self.error("invalid UTF-8"))?;
        // The standard check refuses what the lead byte alone cannot: overlong forms,
        // surrogates, code points past U+10FFFF, and missing or stray continuation bytes.
        match self.bytes.get(self.pos..self.pos + length) {
            Some(sequence) if std::str::from_utf8(sequence).is_ok() => {
                self.pos += length;
                Ok(())
            }
            _ => Err(self.error("invalid UTF-8")),
        }
    }

    /// An escape sequence from its backslash (kept out of line: rare in pages).
    #[inline(never)]
    fn escape(&mut self) -> Result<(), Fail> {
        self.pos += 1;
        match self.peek() {
            Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {
                self.pos += 1;
                Ok(())
            }
            Some(b'u') => {
                self.pos += 1;
                let unit = self.hex4()?;
                match unit {
                    0xD800..=0xDBFF => {
                        // A leading surrogate must be followed by an escaped trailing one.
                        if self.bytes.get(self.pos..self.pos + 2) != Some(b"\\u") {
                            return Err(self.eof_or("lone leading surrogate in hex escape"));
                        }
                        self.pos += 2;
                        match self.hex4()? {
                            0xDC00..=0xDFFF => Ok(()),
                            _ => Err(self.error("lone leading surrogate in hex escape")),
                        }
                    }
                    0xDC00..=0xDFFF => Err(self.error("lone trailing surrogate in hex escape")),
                    _ => Ok(()),
                }
            }
            Some(_) => Err(self.error("invalid escape")),
            None => Err(self.error("EOF while parsing a string")),
        }
    }

    fn hex4(&mut self) -> Result<u16, Fail> {
        let mut unit = 0u16;
        for _ in 0..4 {
            let digit = match self.peek() {
                Some(byte @ b'0'..=b'9') => byte - b'0',
                Some(byte @ b'a'..=b'f') => byte - b'a' + 10,
                Some(byte @ b'A'..=b'F') => byte - b'A' + 10,
                Some(_) => return Err(self.error("invalid escape")),
                None => return Err(self.error("EOF while parsing a string")),
            };
            unit = unit << 4 | u16::from(digit);
            self.pos += 1;
        }
        Ok(unit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Whether `serde_json` reads `text` as a JSON value. Numbers out of the range of `f64` are
    /// a decoding matter the scanner leaves to the decoders: they count as valid here.
    fn serde_accepts(text: &[u8]) -> bool {
        match serde_json::from_slice::<serde_json::Value>(text) {
            Ok(_) => true,
            Err(err) => err.to_string().contains("number out of range"),
        }
    }

    const VALID: &[&str] = &[
        "{}",
        " { } ",
        "[]",
        "0",
        "-0",
        "-0.5e+10",
        "1E-2",
        "123456789012345678901234567890",
        "true",
        "false",
        "null",
        r#""""#,
        r#""a\"b\\c\/d\b\f\n\r\t\u00e9\uD83D\uDE00""#,
        "\"caf\u{e9} \u{1F600}\"",
        "\"\u{80}\u{7ff}\u{800}\u{ffff}\u{10000}\u{10ffff}\"",
        "\"0123456\u{e9}89abcdef0123456789abc\u{1F600}\"",
        r#"{"a":[1,{"b":null}],"c":"d"}"#,
        "{\"a\"\n:\t1\r}",
        "[[[[[[[[[[[]]]]]]]]]]]",
        r#""0123456789abcdef0123456789abcdef""#,
        r#""0123456\"89abcdef012345\\789abcdef""#,
    ];

    const INVALID: &[&str] = &[
        "",
        " ",
        "{",
        "}",
        "[1,]",
        "[,1]",
        r#"{"a":1,}"#,
        r#"{"a" 1}"#,
        "{a:1}",
        r#"{"a":1 "b":2}"#,
        "01",
        "1.",
        ".5",
        "1e",
        "1e+",
        "-",
        "+1",
        "0x10",
        "tru",
        "truee",
        "nul",
        "NaN",
        "Infinity",
        "\"abc",
        "\"a\tb\"",
        "\"a\nb\"",
        "\"0123456789\u{1}abcdef\"",
        r#""\x""#,
        r#""\u12""#,
        r#""\u12G4""#,
        r#""\uD800""#,
        r#""\uD800\u0041""#,
        r#""\uDC00""#,
        "{} {}",
        "[] x",
        "\"a\" \"b\"",
        "[1 2]",
        r#"{"a":}"#,
        "'a'",
    ];

    #[test]
    fn agrees_with_serde_json_on_a_corpus() {
        for text in VALID.iter().chain(INVALID) {
            assert_eq!(
                validate(text.as_bytes()).is_ok(),
                serde_accepts(text.as_bytes()),
                "{text:?}"
            );
        }
        for text in VALID {
            assert!(validate(text.as_bytes()).is_ok(), "{text:?}");
        }
    }

    #[test]
    fn the_word_test_finds_the_first_byte_a_string_cannot_hold_as_is() {
        let special = |byte: u8| byte < 0x20 || byte == b'"' || byte == b'\\' || byte >= 0x80;
        for byte in 0..=u8::MAX {
            for at in 0..8 {
                // Plain bytes before, the byte under test, then the worst follower for borrows.
                for after in [b'a', 0x00, 0x21, b'"'] {
                    let mut word = [b'a'; 8];
                    word[at] = byte;
                    word[at + 1..].fill(after);
                    let found = special_bytes(u64::from_le_bytes(word));
                    let first = word.iter().position(|&b| special(b));
                    let lowest = (found != 0).then(|| (found.trailing_zeros() / 8) as usize);
                    assert_eq!(lowest, first, "{word:?}");
                }
            }
        }
    }

    #[test]
    fn keys_are_compared_with_their_escapes_decoded() {
        let body = br#"{"sid":1,"s\u0069d":2,"a\\":3,"a\\\\":4,"sidx":5,"\n":6}"#;
        let scan = scan_page(body).unwrap();
        let reads = |name: &str| -> Vec<usize> {
            let keys = scan.top.iter().enumerate();
            keys.filter(|(_, entry)| key_is(body, entry.key, name))
                .map(|(at, _)| at)
                .collect()
        };
        assert_eq!(reads("sid"), [0, 1]);
        // Sent as `a\\`, the third key reads `a\`; its raw bytes equal the name `a\\`, which only
        // the fourth (sent as `a\\\\`) reads.
        assert_eq!(reads("a\\"), [2]);
        assert_eq!(reads("a\\\\"), [3]);
        assert_eq!(reads("a\\\\\\"), Vec::<usize>::new());
        assert_eq!(reads("\n"), [5]);
        assert_eq!(reads("si"), Vec::<usize>::new());
    }

    #[test]
    fn invalid_utf8_is_refused_where_serde_json_refuses_it() {
        let cases: &[&[u8]] = &[
            b"\"\x80\"",             // a continuation byte alone
            b"\"\xc3\"",             // a sequence cut by the quote
            b"\"\xc0\xaf\"",         // overlong
            b"\"\xed\xa0\x80\"",     // a surrogate
            b"\"\xf4\x90\x80\x80\"", // past U+10FFFF
            b"\"\xff\"",
            b"\"0123456789abcdef\xe2\x82\"", // cut, after the block path
            b"\"\xe2\x82",                   // cut by the end of the body
            b"[\xc3\xa9]",                   // valid UTF-8, but outside a string
            b"{\"a\": 1}\xc3\xa9",
        ];
        for &text in cases {
            assert!(validate(text).is_err(), "{text:?}");
            assert!(!serde_accepts(text), "{text:?}");
        }
        let err = scan_page(b"{\"caf\xc3\xa9\": \"x\xe2\x28\"}")
            .map(drop)
            .unwrap_err();
        assert_eq!((err.offset, err.message), (12, "invalid UTF-8"));
    }

    #[test]
    fn nesting_is_limited_as_serde_json_limits_it() {
        for depth in [126, 127, 128, 129, 200] {
            let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
            assert_eq!(
                validate(text.as_bytes()).is_ok(),
                serde_accepts(text.as_bytes()),
                "{depth}"
            );
        }
        // Deep enough to overflow a stack if it were not limited.
        let deep = "[".repeat(100_000);
        assert!(validate(deep.as_bytes()).is_err());
        assert!(scan_page(format!("{{\"a\":{deep}").as_bytes()).is_err());
    }

    #[test]
    fn records_the_members_of_each_call() {
        let body = br#" {"page": 0, "calls": [{"sid": "CA1", "to": null}, 5, {}], "x": "y"} "#;
        let scan = scan_page(body).unwrap();
        let text = |span: Span| std::str::from_utf8(&body[span.range()]).unwrap();
        let top: Vec<_> = scan
            .top
            .iter()
            .map(|e| (text(e.key), text(e.value)))
            .collect();
        assert_eq!(
            top,
            [
                ("page", "0"),
                ("calls", r#"[{"sid": "CA1", "to": null}, 5, {}]"#),
                ("x", r#""y""#)
            ]
        );
        assert_eq!(scan.calls_member, Some(1));
        assert_eq!(scan.elements.len(), 3);
        let first = scan.elements[0];
        assert!(first.object && !scan.elements[1].object && scan.elements[2].object);
        let members: Vec<_> = scan.entries[first.first as usize..first.end as usize]
            .iter()
            .map(|e| (text(e.key), text(e.value)))
            .collect();
        assert_eq!(members, [("sid", r#""CA1""#), ("to", "null")]);
        assert_eq!(scan.elements[2].first, scan.elements[2].end);
    }

    #[test]
    fn a_page_must_be_an_object() {
        assert!(scan_page(b"[]").is_err());
        assert!(scan_page(b"null").is_err());
        assert!(scan_page(b"{}").is_ok());
        assert!(
            scan_page(br#"{"calls": null}"#)
                .unwrap()
                .calls_member
                .is_none()
        );
    }

    /// A small page with strings long enough for the word-at-a-time loop, escapes and nesting.
    fn sample_page() -> String {
        r#"{"page": 0, "page_size": 2, "uri": "/2010-04-01/Accounts/AC1/Calls.json?PageSize=2",
            "calls": [{"sid": "CA0123456789abcdef0123456789abcdef", "to": "+15551230000",
                       "price": -0.03, "duration": "15", "caller_name": "A \"quoted\" name\u00e9",
                       "subresource_uris": {"events": "/2010-04-01/Accounts/AC1/Calls/CA0/Events.json"}},
                      {"sid": "CA2", "status": "completed", "x": [true, false, null, 1e5]}],
            "next_page_uri": null}"#
            .to_owned()
    }

    proptest! {
        #[test]
        fn truncated_pages_never_panic_and_agree(cut in 0usize..600) {
            let page = sample_page();
            let bytes = &page.as_bytes()[..cut.min(page.len())];
            prop_assert_eq!(validate(bytes).is_ok(), serde_accepts(bytes));
            let _ = scan_page(bytes);
        }

        #[test]
        fn garbled_pages_never_panic_and_agree(
            edits in proptest::collection::vec((0usize..600, any::<u8>()), 1..4)
        ) {
            let mut bytes = sample_page().into_bytes();
            for (at, byte) in edits {
                let len = bytes.len();
                bytes[at % len] = byte;
            }
            // Invalid UTF-8 included: the scanner checks it as serde_json does.
            prop_assert_eq!(validate(&bytes).is_ok(), serde_accepts(&bytes));
            let _ = scan_page(&bytes);
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            prop_assert_eq!(validate(&bytes).is_ok(), serde_accepts(&bytes));
            let _ = scan_page(&bytes);
        }

        #[test]
        fn json_values_are_accepted(value in json_value()) {
            let text = serde_json::to_string(&value).unwrap();
            prop_assert!(validate(text.as_bytes()).is_ok(), "{}", text);
            let pretty = serde_json::to_string_pretty(&value).unwrap();
            prop_assert!(validate(pretty.as_bytes()).is_ok(), "{}", pretty);
        }
    }

    fn json_value() -> impl Strategy<Value = serde_json::Value> {
        use serde_json::Value;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(Value::from),
            ".*".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                proptest::collection::btree_map(".*", inner, 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }
}
