//! Feeds arbitrary input to the parser in strict and lenient mode, and to roxmltree, an XML
//! parser written independently of quick-xml.
//!
//! Round trip: whatever the parser accepts must validate without panicking and write back to
//! a document that parses to the same value.
//!
//! Differential: on every input, the two parsers' verdicts on well-formedness must agree.
//! Where roxmltree refuses a document as not well-formed, ours refuses it too (in both modes;
//! lenient mode accepts the most). Where ours refuses it with a well-formedness error (kinds
//! `Syntax`, `Entity` and `ForbiddenCharacter`), roxmltree refuses it too. A disagreement
//! panics. The differences that are not disagreements, each checked below as narrowly as the
//! input allows:
//!
//! Refusals on our side only (never compared):
//! - the safety caps: `TooLarge`, `TooDeep`, `TooManyAttributes`;
//! - DOCTYPE (`Doctype`; roxmltree refuses it too, with `allow_dtd` off);
//! - LaML's own rules: `Root` (the root is not `Response`), `UnknownElement`,
//!   `MisplacedElement`, `UnknownAttribute`, `InvalidValue`, `UnexpectedText` (text where LaML
//!   takes only elements, which XML allows);
//! - a declared XML version other than 1.0 (XML 1.0 processors may take `1.x`); reported as
//!   `Syntax` at the declaration, which roxmltree does not check (see below).
//!
//! Refusals on roxmltree's side only: roxmltree also implements Namespaces in XML, which XML 1.0
//! does not ask for: undeclared prefixes, the `xml` and `xmlns` prefix rules, names that are
//! not qualified names (two colons, an empty prefix or local part, a local part that does not
//! start like a name), and attributes that are the same once their prefixes are resolved.
//!
//! Where roxmltree is more lenient than XML 1.0 (ours refuses, correctly):
//! - the XML declaration: it checks the order of its attributes, not their values, takes
//!   `<?xml` followed by anything but a space for a processing instruction, and does not
//!   reserve the target `xml` (any case);
//! - processing instructions: it takes the content right after the target, with no space
//!   (`<?a?b?>`, `<?a"b?>`);
//! - character references to a surrogate or past U+10FFFF, which it reads as U+FFFD;
//! - a name with an empty prefix (`:a`), which it compares to the same name without the
//!   colon, so `<:a></a>` is accepted there.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mycpaas_laml::{ParseError, ParseErrorKind, ParseOptions, parse};
use quick_xml::events::Event;
use quick_xml::reader::Reader;

fuzz_target!(|data: &[u8]| {
    let Ok(xml) = std::str::from_utf8(data) else {
        return;
    };
    let lenient = ParseOptions::default().lenient(true);
    let strict_result = parse(xml);
    let lenient_result = lenient.parse(xml);

    if let Ok(doc) = &strict_result {
        let _ = doc.validate();
        let again = parse(&doc.to_xml()).expect("strict output reparses");
        assert_eq!(&again, doc);
        assert!(lenient_result.is_ok(), "lenient mode accepts what strict mode accepts");
    }
    if let Ok(doc) = &lenient_result {
        let _ = doc.validate();
        let again = lenient.parse(&doc.to_xml()).expect("lenient output reparses");
        assert_eq!(&again, doc);
    }

    let independent = roxmltree::Document::parse(xml).map(|_| ());
    match (&lenient_result, &independent) {
        (Ok(_), Err(theirs)) => assert!(
            namespace_rule(theirs, xml),
            "roxmltree refuses what we accept: {theirs}\n{xml:?}"
        ),
        (Err(ours), Ok(())) if is_well_formedness(ours) => assert!(
            roxmltree_lenient(ours, xml),
            "we refuse what roxmltree accepts: {ours}\n{xml:?}"
        ),
        _ => {}
    }
});

/// Whether `error` says the document is not well-formed XML (as opposed to breaking a cap, a
/// safety rule or a LaML rule).
fn is_well_formedness(error: &ParseError) -> bool {
    matches!(
        error.kind(),
        ParseErrorKind::Syntax | ParseErrorKind::Entity | ParseErrorKind::ForbiddenCharacter
    )
}

/// Whether roxmltree's refusal of `xml` (which our parser accepts) comes from Namespaces in
/// XML rather than XML 1.0.
fn namespace_rule(error: &roxmltree::Error, xml: &str) -> bool {
    use roxmltree::Error as E;
    match error {
        E::UnknownNamespace(..)
        | E::InvalidXmlPrefixUri(_)
        | E::UnexpectedXmlUri(_)
        | E::UnexpectedXmlnsUri(_)
        | E::InvalidElementNamePrefix(_)
        | E::DuplicatedNamespace(..) => true,
        E::InvalidName(_) => tags(xml).iter().any(|tag| {
            std::iter::once(tag.name.as_str())
                .chain(tag.attributes.iter().map(String::as_str))
                .any(|name| !is_qualified_name(name))
        }),
        E::DuplicatedAttribute(..) => tags(xml).iter().any(|tag| {
            let locals: Vec<&str> = tag.attributes.iter().map(|a| local_part(a)).collect();
            (1..locals.len()).any(|i| locals[..i].contains(&locals[i]))
        }),
        _ => false,
    }
}

/// The part of a name after its first colon (all of it without one).
fn local_part(name: &str) -> &str {
    name.split_once(':').map_or(name, |(_, local)| local)
}

/// Whether `name` (an XML name) is a qualified name as roxmltree reads one: at most one
/// colon, and a local part that starts as a name does.
fn is_qualified_name(name: &str) -> bool {
    match name.split_once(':') {
        None => true,
        Some((_, local)) => {
            !local.contains(':')
                && local
                    .chars()
                    .next()
                    .is_some_and(|c| c != '-' && c != '.' && !c.is_ascii_digit() && !is_combining(c))
        }
    }
}

/// The name characters that may not start a name, past ASCII.
fn is_combining(c: char) -> bool {
    matches!(c, '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

/// A start tag: its name and the names of its attributes.
struct TagNames {
    name: String,
    attributes: Vec<String>,
}

/// The start tags of a document our parser accepted, read with quick-xml.
fn tags(xml: &str) -> Vec<TagNames> {
    let mut reader = Reader::from_str(xml.strip_prefix('\u{FEFF}').unwrap_or(xml));
    let mut found = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(tag) | Event::Empty(tag)) => {
                let mut attributes = tag.attributes();
                attributes.with_checks(false);
                found.push(TagNames {
                    name: tag.name().into_inner().to_owned(),
                    attributes: attributes
                        .flatten()
                        .map(|a| a.key.into_inner().to_owned())
                        .collect(),
                });
            }
            Ok(Event::Eof) | Err(_) => return found,
            Ok(_) => {}
        }
    }
}

/// Whether our refusal of `xml` (which roxmltree accepts) is one of the places where
/// roxmltree is more lenient than XML 1.0.
fn roxmltree_lenient(error: &ParseError, xml: &str) -> bool {
    let at = &xml[offset_of(xml, error.line(), error.column())..];
    // The declaration and processing instructions.
    if at.starts_with("<?") {
        return true;
    }
    // A character reference to a surrogate or past U+10FFFF.
    if error.kind() == ParseErrorKind::Entity && xml.match_indices("&#").any(|(i, _)| {
        char_reference(&xml[i + 2..]).is_some_and(|code| char::from_u32(code).is_none())
    }) {
        return true;
    }
    // An end tag that differs from its start tag by an empty prefix (`<:a></a>`).
    error.rule().contains("does not close")
        && (error.element().is_some_and(|e| e.starts_with(':')) || xml.contains("</:"))
}

/// The code point of the character reference whose digits start `rest` (after `&#`).
fn char_reference(rest: &str) -> Option<u32> {
    let (digits, radix) = match rest.strip_prefix('x') {
        Some(hex) => (hex, 16),
        None => (rest, 10),
    };
    let end = digits.find(';')?;
    u32::from_str_radix(&digits[..end], radix).ok()
}

/// The byte offset of `line` and `column` (from 1, the column in characters) in `xml`.
fn offset_of(xml: &str, line: usize, column: usize) -> usize {
    let line_start = if line <= 1 {
        0
    } else {
        xml.match_indices('\n')
            .nth(line - 2)
            .map_or(xml.len(), |(i, _)| i + 1)
    };
    xml[line_start..]
        .char_indices()
        .nth(column - 1)
        .map_or(xml.len(), |(i, _)| line_start + i)
}
