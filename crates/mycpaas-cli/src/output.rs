//! How resources are printed: an aligned table for people, JSON and CSV for programs. Which
//! fields a resource shows is its [`View`] (generated from the description).
//!
//! Lists are written as they stream in, one item at a time, so a long `calls list` shows its
//! first page at once and never holds every call in memory. Columns therefore have fixed widths
//! (a longer value pushes its row out of line rather than being cut).
//!
//! What a server sends is data, never instructions to the reader's tools: the table shows
//! control characters and bidirectional overrides as `\u{..}` escapes (a field cannot move the
//! cursor, recolour the terminal or reorder the line), and CSV cells that a spreadsheet would
//! run as a formula start with `'`.

use std::fmt::Write as _;
use std::io::{self, IsTerminal, Write};

use clap::ValueEnum;
use serde::Serialize;
use serde_json::{Map, Value};

/// The output formats of the resource commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned columns (a list) or one `field: value` line per field (one resource)
    Table,
    /// An object per resource, an array for lists, with the API's field names
    Json,
    /// A header row, then a row per resource, with the API's field names
    Csv,
}

/// What the command line shows of one kind of resource.
#[derive(Debug)]
pub struct View {
    /// The resources, for people (`calls`, `incoming phone numbers`).
    pub plural: &'static str,
    /// The one resource, for people (`call`).
    pub singular: &'static str,
    /// The columns of a list's table: header, JSON field, width (0 for the last).
    pub columns: &'static [(&'static str, &'static str, usize)],
    /// The fields of the one-resource view and of CSV rows, in order.
    pub fields: &'static [&'static str],
}

/// The resource as the API's JSON object (dates in ISO 8601, numbers as the model writes them).
fn to_object(resource: &impl Serialize) -> io::Result<Map<String, Value>> {
    match serde_json::to_value(resource).map_err(io::Error::other)? {
        Value::Object(map) => Ok(map),
        _ => Err(io::Error::other(
            "a resource did not serialize to a JSON object",
        )),
    }
}

/// A field as text; absent and `null` fields are empty.
fn text(object: &Map<String, Value>, field: &str) -> String {
    match object.get(field) {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// `value` as the terminal shows it: control characters (C0, DEL, C1: escape sequences start
/// with one) and the invisible marks that reorder text (bidirectional embeddings, overrides
/// and isolates) are written as `\u{..}`, everything else as is.
pub fn for_terminal(value: &str) -> String {
    let mut shown = String::with_capacity(value.len());
    for c in value.chars() {
        let reorders = matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        if c.is_control() || reorders {
            shown.extend(c.escape_unicode());
        } else {
            shown.push(c);
        }
    }
    shown
}

/// A CSV field: a value a spreadsheet would read as a formula (it starts with `=`, `+`, `-`,
/// `@`, a tab or a carriage return; phone numbers included) gets a leading `'`, as OWASP's
/// CSV injection guidance says, and a field holding a comma, quote or line break is quoted
/// (RFC 4180).
fn csv_field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

fn csv_row(out: &mut impl Write, values: impl IntoIterator<Item = String>) -> io::Result<()> {
    let row: Vec<String> = values.into_iter().map(|v| csv_field(&v)).collect();
    writeln!(out, "{}", row.join(","))
}

fn table_row(out: &mut impl Write, view: &View, values: &[String]) -> io::Result<()> {
    let mut line = String::new();
    for ((_, _, width), value) in view.columns.iter().zip(values) {
        let value = if value.is_empty() {
            "-".to_owned()
        } else {
            for_terminal(value)
        };
        let _ = write!(line, "{value:<width$}  ");
    }
    writeln!(out, "{}", line.trim_end())
}

/// Prints one resource.
pub fn write_one(
    out: &mut impl Write,
    format: Format,
    view: &View,
    resource: &impl Serialize,
) -> io::Result<()> {
    let object = to_object(resource)?;
    let fields = view.fields;
    match format {
        Format::Table => {
            for field in fields {
                let value = text(&object, field);
                if !value.is_empty() {
                    writeln!(out, "{:<16}{}", format!("{field}:"), for_terminal(&value))?;
                }
            }
        }
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &object).map_err(io::Error::other)?;
            writeln!(out)?;
        }
        Format::Csv => {
            csv_row(out, fields.iter().map(|f| (*f).to_owned()))?;
            csv_row(out, fields.iter().map(|f| text(&object, f)))?;
        }
    }
    out.flush()
}

/// Prints that a resource was deleted.
pub fn write_deleted(out: &mut impl Write, format: Format, sid: &str) -> io::Result<()> {
    match format {
        Format::Table => writeln!(out, "deleted {sid}")?,
        Format::Json => writeln!(out, "{}", serde_json::json!({"sid": sid, "deleted": true}))?,
        Format::Csv => {
            csv_row(out, ["sid".to_owned(), "deleted".to_owned()])?;
            csv_row(out, [sid.to_owned(), "true".to_owned()])?;
        }
    }
    out.flush()
}

/// Writes a list as it arrives: [`List::push`] each item, then [`List::finish`].
pub struct List<W: Write> {
    out: W,
    format: Format,
    view: &'static View,
    count: usize,
}

impl<W: Write> List<W> {
    /// Starts the list (writes the header).
    pub fn start(mut out: W, format: Format, view: &'static View) -> io::Result<Self> {
        match format {
            Format::Table => {
                let headers: Vec<String> = view
                    .columns
                    .iter()
                    .map(|(h, _, _)| (*h).to_owned())
                    .collect();
                table_row(&mut out, view, &headers)?;
            }
            Format::Json => write!(out, "[")?,
            Format::Csv => csv_row(&mut out, view.fields.iter().map(|f| (*f).to_owned()))?,
        }
        Ok(List {
            out,
            format,
            view,
            count: 0,
        })
    }

    /// Writes one item.
    pub fn push(&mut self, item: &impl Serialize) -> io::Result<()> {
        let object = to_object(item)?;
        match self.format {
            Format::Table => {
                let values: Vec<String> = self
                    .view
                    .columns
                    .iter()
                    .map(|(_, field, _)| text(&object, field))
                    .collect();
                table_row(&mut self.out, self.view, &values)?;
            }
            Format::Json => {
                let separator = if self.count == 0 { "\n  " } else { ",\n  " };
                write!(self.out, "{separator}{}", Value::Object(object))?;
            }
            Format::Csv => csv_row(
                &mut self.out,
                self.view.fields.iter().map(|f| text(&object, f)),
            )?,
        }
        self.count += 1;
        Ok(())
    }

    /// Ends the list (closes the JSON array, notes an empty table) and returns how many items
    /// were written. Called on errors too, so JSON output stays well-formed.
    pub fn finish(mut self) -> io::Result<usize> {
        match self.format {
            Format::Table if self.count == 0 => writeln!(self.out, "(no {})", self.view.plural)?,
            Format::Json if self.count == 0 => writeln!(self.out, "]")?,
            Format::Json => writeln!(self.out, "\n]")?,
            Format::Table | Format::Csv => {}
        }
        self.out.flush()?;
        Ok(self.count)
    }
}

/// A one-line "N calls fetched" counter on stderr, shown only when stderr is a terminal.
pub struct Progress {
    enabled: bool,
    view: &'static View,
}

impl Progress {
    /// A counter of `view`'s resources that draws only on a terminal.
    pub fn on_stderr(view: &'static View) -> Self {
        Progress {
            enabled: io::stderr().is_terminal(),
            view,
        }
    }

    /// Redraws the counter.
    pub fn update(&self, count: usize) {
        if self.enabled {
            let noun = if count == 1 {
                self.view.singular
            } else {
                self.view.plural
            };
            eprint!("\r{count} {noun} fetched...");
        }
    }

    /// Erases the counter.
    pub fn clear(&self) {
        if self.enabled {
            eprint!("\r\x1b[K");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generated::views::CALL;
    use mycpaas_blocking::Call;

    fn call(sid: &str, to: &str) -> Call {
        serde_json::from_value(serde_json::json!({
            "sid": sid, "to": to, "from": "+15550001111", "status": "completed",
            "direction": "outbound-api", "date_created": "2026-04-19T10:00:00Z", "duration": "15"
        }))
        .unwrap()
    }

    fn list(format: Format, calls: &[Call]) -> String {
        let mut out = Vec::new();
        let mut list = List::start(&mut out, format, &CALL).unwrap();
        for call in calls {
            list.push(call).unwrap();
        }
        list.finish().unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn json_list_is_one_valid_array() {
        let calls = [call("CA1", "+15551230001"), call("CA2", "+15551230002")];
        let parsed: Vec<Call> = serde_json::from_str(&list(Format::Json, &calls)).unwrap();
        assert_eq!(parsed, calls);
        let empty: Vec<Call> = serde_json::from_str(&list(Format::Json, &[])).unwrap();
        assert!(empty.is_empty());
    }

    #[test]
    fn csv_quotes_what_needs_quoting() {
        let text = list(Format::Csv, &[call("CA1", "client:a,\"b\"")]);
        let mut lines = text.lines();
        assert!(
            lines
                .next()
                .unwrap()
                .starts_with("sid,status,direction,from,to,")
        );
        assert!(lines.next().unwrap().contains(r#","client:a,""b""","#));
    }

    #[test]
    fn csv_neutralises_cells_a_spreadsheet_would_run() {
        let cases = [
            (
                "=HYPERLINK(\"http://x\")",
                "\"'=HYPERLINK(\"\"http://x\"\")\"",
            ),
            ("+15551230000", "'+15551230000"),
            ("-1+2", "'-1+2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "\"'\rx\""),
            ("client:a,b", "\"client:a,b\""),
            ("CA1", "CA1"),
            ("a=b", "a=b"),
        ];
        for (value, written) in cases {
            assert_eq!(csv_field(value), written, "{value:?}");
        }
    }

    #[test]
    fn the_terminal_sees_escapes_not_control_characters() {
        let cases = [
            (
                "\u{1b}[2J\u{1b}]0;owned\u{7}",
                "\\u{1b}[2J\\u{1b}]0;owned\\u{7}",
            ),
            ("a\nb\rc\td", "a\\u{a}b\\u{d}c\\u{9}d"),
            ("\u{9b}31m", "\\u{9b}31m"),
            ("x\u{202e}gpj.exe", "x\\u{202e}gpj.exe"),
            ("+15551230000 Grüße", "+15551230000 Grüße"),
        ];
        for (value, shown) in cases {
            assert_eq!(for_terminal(value), shown, "{value:?}");
        }
        let hostile = call("CA1\u{1b}[31m", "+1555\u{1b}]8;;http://x\u{7}");
        let table = list(Format::Table, std::slice::from_ref(&hostile));
        assert!(
            !table.contains('\u{1b}') && !table.contains('\u{7}'),
            "{table:?}"
        );
        let mut one = Vec::new();
        write_one(&mut one, Format::Table, &CALL, &hostile).unwrap();
        assert!(!String::from_utf8(one).unwrap().contains('\u{1b}'));
    }

    #[test]
    fn table_aligns_and_marks_empty_lists() {
        let text = list(Format::Table, &[call("CA1", "+15551230001")]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0].find("STATUS"), lines[1].find("completed"));
        assert!(list(Format::Table, &[]).contains("(no calls)"));
    }

    #[test]
    fn one_call_view_skips_empty_fields() {
        let mut out = Vec::new();
        write_one(&mut out, Format::Table, &CALL, &call("CA1", "+15551230001")).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("sid:            CA1\n"), "{text}");
        assert!(!text.contains("price"));
    }
}
