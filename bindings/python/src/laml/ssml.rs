//! SSML inside `<Say>`. The values of SSML attributes (`time="500ms"`, `rate="90%"`, `pitch="+5%"`) have
//! their own grammar, which only the LaML parser of `mycpaas-laml` reads; so SSML content is written as
//! markup and read by that parser, which checks it exactly as it checks a received document.

use mycpaas_laml as laml;
use pyo3::prelude::*;

use crate::errors;

/// The markup before the content, when it is parsed inside a document.
const PREFIX: &str = "<Response><Say>";

/// Escapes text for an XML attribute value or element content.
fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
}

/// `<name a="1">text</name>` (or `<name/>` without text); attributes set to `None` are left out.
pub(crate) fn element(name: &str, attrs: &[(&str, Option<&str>)], text: Option<&str>) -> String {
    let mut out = String::with_capacity(32);
    out.push('<');
    out.push_str(name);
    for (attr, value) in attrs {
        if let Some(value) = value {
            out.push(' ');
            out.push_str(attr);
            out.push_str("=\"");
            escape(value, &mut out);
            out.push('"');
        }
    }
    match text {
        Some(text) => {
            out.push('>');
            escape(text, &mut out);
            out.push_str("</");
            out.push_str(name);
            out.push('>');
        }
        None => out.push_str("/>"),
    }
    out
}

/// Reads SSML markup into `Say` content; a fault raises `LamlParseError` with its position in `markup`.
pub(crate) fn parse_content(py: Python<'_>, markup: &str) -> PyResult<Vec<laml::SsmlNode>> {
    let document = format!("{PREFIX}{markup}</Say></Response>");
    match laml::parse(&document) {
        Ok(doc) => Ok(match doc.verbs().first() {
            Some(laml::Verb::Say(say)) => say.content.clone(),
            _ => Vec::new(),
        }),
        Err(err) => {
            let column = if err.line() == 1 {
                err.column().saturating_sub(PREFIX.len())
            } else {
                err.column()
            };
            Err(errors::new_error(
                py,
                "LamlParseError",
                (format!("SSML: {}", err.rule()), err.line(), column),
            ))
        }
    }
}
