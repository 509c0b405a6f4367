//! How calls are printed: an aligned table for people, JSON and CSV for programs.
//!
//! Lists are written as they stream in, one call at a time, so a long `calls list` shows its
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
use mycpaas_blocking::Call;
use serde_json::{Map, Value};

/// The output formats of the `calls` commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned columns (a list) or one `field: value` line per field (one call)
    Table,
    /// An object per call, an array for lists, with the API's field names
    Json,
    /// A header row, then a row per call, with the API's field names
    Csv,
}

/// Columns of the list table: header, JSON field, width.
const TABLE_COLUMNS: &[(&str, &str, usize)] = &[
    ("SID", "sid", 34),
    ("STATUS", "status", 11),
    ("DIRECTION", "direction", 13),
    ("FROM", "from", 16),
    ("TO", "to", 16),
    ("CREATED", "date_created", 20),
    ("DURATION", "duration", 0),
];

/// Fields of the one-call view and of CSV rows, in order.
const FIELDS: &[&str] = &[
    "sid",
    "status",
    "direction",
    "from",
    "to",
    "date_created",
    "date_updated",
    "start_time",
    "end_time",
    "duration",
    "parent_call_sid",
    "account_sid",
    "answered_by",
    "price",
    "price_unit",
    "uri",
];

/// The call as the API's JSON object (dates in ISO 8601, numbers as the model writes them).
fn to_object(call: &Call) -> io::Result<Map<String, Value>> {
    match serde_json::to_value(call).map_err(io::Error::other)? {
        Value::Object(map) => Ok(map),
        _ => Err(io::Error::other(
            "a call did not serialize to a JSON object",
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

fn table_row(out: &mut impl Write, values: &[String]) -> io::Result<()> {
    let mut line = String::new();
    for ((_, _, width), value) in TABLE_COLUMNS.iter().zip(values) {
        let value = if value.is_empty() {
            "-".to_owned()
        } else {
            for_terminal(value)
        };
        let _ = write!(line, "{value:<width$}  ");
    }
    writeln!(out, "{}", line.trim_end())
}

/// Prints one call.
pub fn write_call(out: &mut impl Write, format: Format, call: &Call) -> io::Result<()> {
    let object = to_object(call)?;
    match format {
        Format::Table => {
            for field in FIELDS {
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
            csv_row(out, FIELDS.iter().map(|f| (*f).to_owned()))?;
            csv_row(out, FIELDS.iter().map(|f| text(&object, f)))?;
        }
    }
    out.flush()
}

/// Prints that a call record was deleted.
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

/// Writes a list of calls as they arrive: [`CallList::push`] each, then [`CallList::finish`].
pub struct CallList<W: Write> {
    out: W,
    format: Format,
    count: usize,
}

impl<W: Write> CallList<W> {
    /// Starts the list (writes the header).
    pub fn start(mut out: W, format: Format) -> io::Result<Self> {
        match format {
            Format::Table => {
                let headers: Vec<String> = TABLE_COLUMNS
                    .iter()
                    .map(|(h, _, _)| (*h).to_owned())
                    .collect();
                table_row(&mut out, &headers)?;
            }
            Format::Json => write!(out, "[")?,
            Format::Csv => csv_row(&mut out, FIELDS.iter().map(|f| (*f).to_owned()))?,
        }
        Ok(CallList {
            out,
            format,
            count: 0,
        })
    }

    /// Writes one call.
    pub fn push(&mut self, call: &Call) -> io::Result<()> {
        let object = to_object(call)?;
        match self.format {
            Format::Table => {
                let values: Vec<String> = TABLE_COLUMNS
                    .iter()
                    .map(|(_, field, _)| text(&object, field))
                    .collect();
                table_row(&mut self.out, &values)?;
            }
            Format::Json => {
                let separator = if self.count == 0 { "\n  " } else { ",\n  " };
                write!(self.out, "{separator}{}", Value::Object(object))?;
            }
            Format::Csv => csv_row(&mut self.out, FIELDS.iter().map(|f| text(&object, f)))?,
        }
        self.count += 1;
        Ok(())
    }

    /// Ends the list (closes the JSON array, notes an empty table) and returns how many calls
    /// were written. Called on errors too, so JSON output stays well-formed.
    pub fn finish(mut self) -> io::Result<usize> {
        match self.format {
            Format::Table if self.count == 0 => writeln!(self.out, "(no calls)")?,
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
}

impl Progress {
    /// A counter that draws only on a terminal.
    pub fn on_stderr() -> Self {
        Progress {
            enabled: io::stderr().is_terminal(),
        }
    }

    /// Redraws the counter.
    pub fn update(&self, count: usize) {
        if self.enabled {
            let noun = if count == 1 { "call" } else { "calls" };
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

    fn call(sid: &str, to: &str) -> Call {
        serde_json::from_value(serde_json::json!({
            "sid": sid, "to": to, "from": "+15550001111", "status": "completed",
            "direction": "outbound-api", "date_created": "2026-04-19T10:00:00Z", "duration": "15"
        }))
        .unwrap()
    }

    fn list(format: Format, calls: &[Call]) -> String {
        let mut out = Vec::new();
        let mut list = CallList::start(&mut out, format).unwrap();
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
        write_call(&mut one, Format::Table, &hostile).unwrap();
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
        write_call(&mut out, Format::Table, &call("CA1", "+15551230001")).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("sid:            CA1\n"), "{text}");
        assert!(!text.contains("price"));
    }
}
