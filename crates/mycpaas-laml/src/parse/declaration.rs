//! The XML declaration (`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`). quick-xml
//! hands it over as a name and attributes; XML 1.0 fixes which attributes it holds, in which
//! order and with which values, and that is checked here. Only version 1.0 is accepted.

use quick_xml::events::attributes::Attributes;

use super::events::followed_by_space;

/// Why the content of a declaration (`xml version="1.0" ...`, between `<?` and `?>`) breaks
/// the rules; `None` when it does not.
pub(super) fn declaration_problem(content: &str) -> Option<&'static str> {
    const ORDER: &str = "the XML declaration holds `version`, then optionally `encoding` and \
                         `standalone`, in that order";
    // Each attribute may only follow the ones before it in this list.
    const NAMES: [&str; 3] = ["version", "encoding", "standalone"];
    // The usual spellings, compared at once.
    if matches!(
        content,
        r#"xml version="1.0" encoding="UTF-8""# | r#"xml version="1.0""#
    ) {
        return None;
    }
    let mut next = 0;
    for attribute in Attributes::new(content, 3) {
        let Ok(attribute) = attribute else {
            return Some("the XML declaration is malformed: its values must be quoted, after `=`");
        };
        let name = attribute.key.into_inner();
        let value = &*attribute.value;
        if !followed_by_space(content, value) {
            return Some("attributes must be separated by whitespace");
        }
        let Some(index) = NAMES.iter().position(|&n| n == name) else {
            return Some(ORDER);
        };
        if index < next || (next == 0 && index != 0) {
            return Some(if next == 0 {
                "only XML version 1.0 is supported: the declaration starts with `version=\"1.0\"`"
            } else {
                ORDER
            });
        }
        next = index + 1;
        let valid = match index {
            0 => value == "1.0",
            1 => is_encoding_name(value),
            _ => matches!(value, "yes" | "no"),
        };
        if !valid {
            return Some(match index {
                0 => "only XML version 1.0 is supported (`version=\"1.0\"`)",
                1 => {
                    "`encoding` names an encoding: a letter, then letters, digits, `.`, `_` or `-`"
                }
                _ => "`standalone` is `yes` or `no`",
            });
        }
    }
    (next == 0).then_some(
        "only XML version 1.0 is supported: the declaration starts with `version=\"1.0\"`",
    )
}

/// Production `EncName`: `[A-Za-z] ([A-Za-z0-9._] | '-')*`.
fn is_encoding_name(value: &str) -> bool {
    let bytes = value.as_bytes();
    bytes.first().is_some_and(u8::is_ascii_alphabetic)
        && bytes
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

#[cfg(test)]
mod tests {
    use super::declaration_problem;

    #[test]
    fn declarations_follow_the_grammar() {
        for ok in [
            "xml version=\"1.0\"",
            "xml version='1.0' ",
            "xml version = \"1.0\" encoding='utf-8'",
            "xml version=\"1.0\" standalone=\"no\"",
            "xml\n\tversion=\"1.0\" encoding=\"ISO-8859-1\" standalone='yes'",
        ] {
            assert_eq!(declaration_problem(ok), None, "{ok}");
        }
        for bad in [
            "xml",
            "xml ",
            "xml encoding=\"UTF-8\"",
            "xml version=\"1.1\"",
            "xml version=\"1.0\"encoding=\"UTF-8\"",
            "xml version=\"1.0\" encoding=\"8bit\"",
            "xml version=\"1.0\" encoding=\"\"",
            "xml version=\"1.0\" standalone=\"maybe\"",
            "xml version=\"1.0\" standalone=\"yes\" encoding=\"UTF-8\"",
            "xml version=\"1.0\" version=\"1.0\"",
            "xml version=\"1.0\" other=\"x\"",
            "xml version=1.0",
            "xml version",
        ] {
            assert!(declaration_problem(bad).is_some(), "{bad}");
        }
    }
}
