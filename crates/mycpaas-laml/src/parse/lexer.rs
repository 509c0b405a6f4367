//! Splits the source into tokens: start and end tags, text, references, CDATA sections and the
//! XML declaration (comments and processing instructions are stepped over).
//!
//! Every byte of a document goes through here, so it does only what the parser needs, on the
//! `&str` it was given: no UTF-8 validation (the input is already a `str`, and every token ends
//! at an ASCII delimiter, so slicing it cannot split a character), no copy of element names
//! (the element code checks end tags against the names it knows), and one pass over text that
//! both finds its end and tells whether it can be used as is. Attributes are left raw for
//! [`AttrScanner`](crate::attr_scan::AttrScanner).

use std::borrow::Cow;

use super::ParseErrorKind;
use crate::attr_scan::{AttrScanner, RawAttribute};

/// A start tag: the element name and the raw text of its attributes.
pub(super) struct Tag<'a> {
    /// The element name, as written.
    pub(super) name: &'a str,
    /// Everything after the name, up to and with the closing `>` (or `/>`), still escaped.
    pub(super) attributes: &'a str,
    /// Byte offset of `attributes` in the source.
    pub(super) attributes_at: usize,
    /// How many attributes the tag has.
    pub(super) attribute_count: usize,
}

/// What the lexer found; `pos` is the byte offset where it starts.
pub(super) enum Token<'a> {
    /// `<name ...>`, or `<name .../>` when `empty`.
    Start {
        tag: Tag<'a>,
        empty: bool,
        pos: usize,
    },
    /// `</name>`.
    End { name: &'a str, pos: usize },
    /// Text up to the next markup or reference. `plain`: it holds no control character other
    /// than tab and line feed (so no carriage return to normalize) and no 0xEF byte (which
    /// starts U+FFFE and U+FFFF): it can be used as is.
    Text {
        text: &'a str,
        plain: bool,
        pos: usize,
    },
    /// The content of `<![CDATA[...]]>`.
    CData { text: &'a str, pos: usize },
    /// `&name;`: the name between `&` and `;`.
    Reference { name: &'a str, pos: usize },
    /// `<?xml ...?>`: the content between `<?` and `?>`.
    Declaration { content: &'a str, pos: usize },
    /// `<!DOCTYPE`: refused by the parser, so its end is not looked for.
    Doctype { pos: usize },
    /// A comment or processing instruction, stepped over.
    Skipped,
    /// The end of the input.
    Eof { pos: usize },
}

/// Malformed markup: the kind of rule, where, the element concerned, and the rule in words.
pub(super) struct LexError<'a> {
    pub(super) kind: ParseErrorKind,
    pub(super) at: usize,
    pub(super) element: Option<&'a str>,
    pub(super) rule: Cow<'static, str>,
}

fn syntax<'a>(at: usize, rule: impl Into<Cow<'static, str>>) -> LexError<'a> {
    LexError {
        kind: ParseErrorKind::Syntax,
        at,
        element: None,
        rule: rule.into(),
    }
}

/// Builds a table of the bytes listed, plus every control byte when `controls` is set.
const fn table(listed: &[u8], controls: bool) -> [bool; 256] {
    let mut table = [false; 256];
    let mut i = 0;
    while controls && i < 0x20 {
        table[i] = true;
        i += 1;
    }
    let mut i = 0;
    while i < listed.len() {
        table[listed[i] as usize] = true;
        i += 1;
    }
    table
}

/// Bytes the text scan stops at: markup, references, and those that keep text from being
/// used as is (control characters but tab and line feed, and 0xEF).
const STOPS_TEXT: [bool; 256] = {
    let mut table = table(b"<&\xEF", true);
    table[b'\t' as usize] = false;
    table[b'\n' as usize] = false;
    table
};

/// Bytes an element name ends at: whitespace, `/` and `>`, and the bytes that cannot follow
/// it (quotes, `=`, `<`), which the attribute scanner then refuses.
const ENDS_NAME: [bool; 256] = table(b" \t\n\r/>\"'=<", false);

/// Whether the eight bytes of `word` may hold one that [`STOPS_TEXT`] lists (never false
/// when one does; true for a tab or line feed too, which the byte loop then passes).
fn may_stop_text(word: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    /// Whether some byte of `x` is zero.
    fn has_zero(x: u64) -> bool {
        x.wrapping_sub(ONES) & !x & (0x80 * ONES) != 0
    }
    let Ok(word) = <[u8; 8]>::try_from(word) else {
        return true;
    };
    let word = u64::from_le_bytes(word);
    // A byte below 0x20 has none of the bits 0xE0 set.
    has_zero(word & (0xE0 * ONES))
        || has_zero(word ^ (u64::from(b'<') * ONES))
        || has_zero(word ^ (u64::from(b'&') * ONES))
        || has_zero(word ^ (0xEF * ONES))
}

/// The position of the first `byte` from `from`.
fn find_byte(bytes: &[u8], from: usize, byte: u8) -> Option<usize> {
    bytes
        .get(from..)?
        .iter()
        .position(|&b| b == byte)
        .map(|i| from + i)
}

/// The position of the first `pattern` (of two bytes or more) from `from`.
fn find_pattern(bytes: &[u8], from: usize, pattern: &[u8]) -> Option<usize> {
    let mut at = from;
    loop {
        let found = find_byte(bytes, at, pattern[0])?;
        if bytes.get(found..found + pattern.len()) == Some(pattern) {
            return Some(found);
        }
        at = found + 1;
    }
}

/// XML whitespace.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// How many attributes of a start tag the lexer keeps for the element code (LaML elements
/// have fewer; a tag with more has them scanned again).
const KEPT_ATTRIBUTES: usize = 8;

/// The token reader over one document.
pub(super) struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    /// The first attributes of the last start tag.
    attributes: [RawAttribute<'a>; KEPT_ATTRIBUTES],
    /// Where the attributes of that tag start (tells them from those of an earlier tag).
    attributes_at: usize,
}

impl<'a> Lexer<'a> {
    /// A lexer at the start of `src`, after a byte order mark if there is one.
    pub(super) fn new(src: &'a str) -> Self {
        let pos = if src.starts_with('\u{FEFF}') { 3 } else { 0 };
        Lexer {
            src,
            pos,
            attributes: [RawAttribute::NONE; KEPT_ATTRIBUTES],
            attributes_at: usize::MAX,
        }
    }

    /// The byte offset of the next token.
    pub(super) fn position(&self) -> usize {
        self.pos
    }

    /// The next token.
    #[inline]
    pub(super) fn next_token(&mut self) -> Result<Token<'a>, LexError<'a>> {
        let bytes = self.src.as_bytes();
        let at = self.pos;
        match bytes.get(at) {
            None => Ok(Token::Eof { pos: at }),
            Some(b'<') => self.markup(at),
            Some(b'&') => self.reference(at),
            Some(_) => Ok(self.text(at)),
        }
    }

    /// Text from `start` to the next `<` or `&` (or the end).
    fn text(&mut self, start: usize) -> Token<'a> {
        let bytes = self.src.as_bytes();
        let mut end = start;
        let mut plain = true;
        loop {
            // Whole words first: most text has none of the bytes the scan stops at.
            while let Some(word) = bytes.get(end..end + 8) {
                if may_stop_text(word) {
                    break;
                }
                end += 8;
            }
            // Then byte by byte, to the end of the word that may hold one.
            let limit = bytes.len().min(end + 8);
            while end < limit && !STOPS_TEXT[usize::from(bytes[end])] {
                end += 1;
            }
            match bytes.get(end) {
                None | Some(b'<' | b'&') => break,
                Some(_) if end == limit => {}
                Some(_) => {
                    plain = false;
                    end += 1;
                }
            }
        }
        self.pos = end;
        // `start` follows a delimiter and `end` is one (or the end): character boundaries.
        Token::Text {
            text: &self.src[start..end],
            plain,
            pos: start,
        }
    }

    /// `&name;` at `amp`.
    fn reference(&mut self, amp: usize) -> Result<Token<'a>, LexError<'a>> {
        let bytes = self.src.as_bytes();
        let end = bytes[amp + 1..]
            .iter()
            .position(|&b| matches!(b, b';' | b'&' | b'<'))
            .map(|i| amp + 1 + i);
        match end {
            Some(semicolon) if bytes[semicolon] == b';' => {
                self.pos = semicolon + 1;
                Ok(Token::Reference {
                    name: &self.src[amp + 1..semicolon],
                    pos: amp,
                })
            }
            _ => Err(syntax(
                amp,
                "`&` starts a reference, which ends with `;` (write &amp; for the character)",
            )),
        }
    }

    /// Markup at `lt` (a `<`).
    fn markup(&mut self, lt: usize) -> Result<Token<'a>, LexError<'a>> {
        let bytes = self.src.as_bytes();
        match bytes.get(lt + 1) {
            None => Err(syntax(lt, "the document ends after `<`")),
            Some(b'/') => self.end_tag(lt),
            Some(b'!') => self.bang(lt),
            Some(b'?') => self.instruction(lt),
            Some(_) => self.start_tag(lt),
        }
    }

    /// `<name attributes>` or `<name attributes/>` at `lt`. The attributes are scanned here,
    /// since that is how the end of the tag is found, and the first ones are kept for the
    /// element code.
    fn start_tag(&mut self, lt: usize) -> Result<Token<'a>, LexError<'a>> {
        let bytes = self.src.as_bytes();
        let mut name_end = lt + 1;
        while name_end < bytes.len() && !ENDS_NAME[usize::from(bytes[name_end])] {
            name_end += 1;
        }
        if name_end == lt + 1 {
            // Most often a `<` meant as text (`1 < 2`): no element, so no known one.
            return Err(LexError {
                kind: ParseErrorKind::UnknownElement,
                ..syntax(
                    lt,
                    "`<` starts an element, and no element name follows (write &lt; for the character)",
                )
            });
        }
        let name = &self.src[lt + 1..name_end];
        let mut scanner = AttrScanner::new(&self.src[name_end..]);
        let mut count = 0;
        for attribute in scanner.by_ref() {
            let attribute = attribute.map_err(|err| LexError {
                element: Some(name),
                ..syntax(name_end + err.at, err.rule)
            })?;
            if let Some(slot) = self.attributes.get_mut(count) {
                *slot = attribute;
            }
            count += 1;
        }
        let Some((end, empty)) = scanner.tag_end() else {
            return Err(LexError {
                element: Some(name),
                ..syntax(lt, "the start tag is not closed (missing `>`)")
            });
        };
        self.pos = name_end + end;
        self.attributes_at = name_end;
        Ok(Token::Start {
            tag: Tag {
                name,
                attributes: &self.src[name_end..self.pos],
                attributes_at: name_end,
                attribute_count: count,
            },
            empty,
            pos: lt,
        })
    }

    /// The attributes of `tag` if it is the last start tag read and had few enough for all to
    /// be kept (otherwise the caller scans [`Tag::attributes`] again).
    pub(super) fn kept_attributes(&self, tag: &Tag<'a>) -> Option<&[RawAttribute<'a>]> {
        if tag.attributes_at != self.attributes_at {
            return None;
        }
        self.attributes.get(..tag.attribute_count)
    }

    /// `</name>` at `lt`; whitespace may follow the name.
    fn end_tag(&mut self, lt: usize) -> Result<Token<'a>, LexError<'a>> {
        let bytes = self.src.as_bytes();
        let Some(gt) = find_byte(bytes, lt + 2, b'>') else {
            return Err(syntax(lt, "the end tag is not closed (missing `>`)"));
        };
        let mut name_end = gt;
        while name_end > lt + 2 && is_space(bytes[name_end - 1]) {
            name_end -= 1;
        }
        self.pos = gt + 1;
        Ok(Token::End {
            name: &self.src[lt + 2..name_end],
            pos: lt,
        })
    }

    /// `<!--`, `<![CDATA[` or `<!DOCTYPE` at `lt`.
    fn bang(&mut self, lt: usize) -> Result<Token<'a>, LexError<'a>> {
        let bytes = self.src.as_bytes();
        let rest = &bytes[lt..];
        if rest.starts_with(b"<!--") {
            let Some(end) = find_pattern(bytes, lt + 4, b"-->") else {
                return Err(syntax(lt, "the comment is not closed (missing `-->`)"));
            };
            self.pos = end + 3;
            return Ok(Token::Skipped);
        }
        if rest.starts_with(b"<![CDATA[") {
            let Some(end) = find_pattern(bytes, lt + 9, b"]]>") else {
                return Err(syntax(
                    lt,
                    "the CDATA section is not closed (missing `]]>`)",
                ));
            };
            self.pos = end + 3;
            return Ok(Token::CData {
                text: &self.src[lt + 9..end],
                pos: lt,
            });
        }
        if rest
            .get(2..9)
            .is_some_and(|word| word.eq_ignore_ascii_case(b"DOCTYPE"))
        {
            return Ok(Token::Doctype { pos: lt });
        }
        Err(syntax(
            lt,
            "`<!` starts only a comment (`<!--`), a CDATA section (`<![CDATA[`) or a DOCTYPE",
        ))
    }

    /// `<?target ...?>` at `lt`: the XML declaration, or a processing instruction (skipped).
    fn instruction(&mut self, lt: usize) -> Result<Token<'a>, LexError<'a>> {
        let Some(end) = find_pattern(self.src.as_bytes(), lt + 2, b"?>") else {
            return Err(syntax(
                lt,
                "the processing instruction is not closed (missing `?>`)",
            ));
        };
        let content = &self.src[lt + 2..end];
        if content
            .as_bytes()
            .first()
            .is_none_or(|&b| is_space(b) || b == b'>')
        {
            return Err(syntax(
                lt,
                "a processing instruction starts with its target name (`<?name ...?>`)",
            ));
        }
        self.pos = end + 2;
        let declaration = content
            .strip_prefix("xml")
            .is_some_and(|rest| rest.is_empty() || is_space(rest.as_bytes()[0]));
        Ok(if declaration {
            Token::Declaration { content, pos: lt }
        } else {
            Token::Skipped
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{Lexer, Token};

    /// Whether `text` comes out as one plain text token.
    fn plain(text: &str) -> bool {
        match Lexer::new(text).next_token() {
            Ok(Token::Text { text: t, plain, .. }) => {
                assert_eq!(t, text);
                plain
            }
            _ => panic!("text expected"),
        }
    }

    #[test]
    fn text_is_plain_unless_it_has_special_bytes() {
        let base = "abcdefghijklmnopqrstuvwxyz0123456789";
        assert!(plain(base));
        for at in 0..=base.len() {
            for special in ["\u{1}", "\u{FFFF}", "\r"] {
                let mut text = base.to_owned();
                text.insert_str(at, special);
                assert!(!plain(&text), "{text:?}");
            }
            let mut text = base.to_owned();
            text.insert_str(at, "\n\t");
            assert!(plain(&text), "{text:?}");
        }
        // Non-ASCII text is plain, except characters led by byte 0xEF (U+F000 to U+FFFF),
        // which take the exact path.
        assert!(plain("çé€😀\u{E000}"));
        assert!(!plain("\u{FFFD}"));
    }

    #[test]
    fn text_ends_at_markup_or_reference_at_any_length() {
        for len in 0..40 {
            let text = "x".repeat(len);
            for next in ["<a/>", "&amp;", ""] {
                let xml = format!("{text}{next}");
                let mut lexer = Lexer::new(&xml);
                if len > 0 {
                    assert!(matches!(
                        lexer.next_token(),
                        Ok(Token::Text { text: t, plain: true, .. }) if t == text
                    ));
                }
                let after = lexer.next_token();
                match next {
                    "" => assert!(matches!(after, Ok(Token::Eof { .. }))),
                    "&amp;" => assert!(matches!(after, Ok(Token::Reference { name: "amp", .. }))),
                    _ => assert!(matches!(after, Ok(Token::Start { empty: true, .. }))),
                }
            }
        }
    }

    #[test]
    fn splits_markup() {
        let mut lexer = Lexer::new(
            "\u{FEFF}<?xml version=\"1.0\"?><a x='>'>t&amp;<!-- c --><b/><![CDATA[<]]></a >",
        );
        let mut seen = Vec::new();
        loop {
            let token = lexer.next_token().ok().expect("well-formed");
            seen.push(match token {
                Token::Start { tag, empty, .. } => {
                    format!("start {} [{}] {empty}", tag.name, tag.attributes)
                }
                Token::End { name, .. } => format!("end {name}"),
                Token::Text { text, .. } => format!("text {text}"),
                Token::CData { text, .. } => format!("cdata {text}"),
                Token::Reference { name, .. } => format!("ref {name}"),
                Token::Declaration { content, .. } => format!("decl {content}"),
                Token::Doctype { .. } => "doctype".to_owned(),
                Token::Skipped => "skipped".to_owned(),
                Token::Eof { .. } => break,
            });
        }
        assert_eq!(
            seen,
            [
                "decl xml version=\"1.0\"",
                "start a [ x='>'>] false",
                "text t",
                "ref amp",
                "skipped",
                "start b [/>] true",
                "cdata <",
                "end a",
            ]
        );
    }

    #[test]
    fn refuses_malformed_markup() {
        for xml in [
            "<",
            "<a",
            "<a x='1>",
            "</a",
            "<!-- x",
            "<![CDATA[x",
            "<!x>",
            "<?pi",
            "& x",
            "<>",
            "< a>",
            "<?>x?>",
            "<??>",
            "<? x?>",
        ] {
            let mut lexer = Lexer::new(xml);
            let failed = loop {
                match lexer.next_token() {
                    Err(_) => break true,
                    Ok(Token::Eof { .. }) => break false,
                    Ok(_) => {}
                }
            };
            assert!(failed, "{xml:?}");
        }
        assert!(matches!(
            Lexer::new("<!doctype x>").next_token(),
            Ok(Token::Doctype { pos: 0 })
        ));
    }
}
