//! `mycpaas laml ...`: check and format LaML documents with `mycpaas-laml`, and load the
//! documents `calls create/update --twiml` send.

mod locate;

use std::fmt::Write as _;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use clap::{ArgGroup, Args, Subcommand};
use mycpaas_laml::{Diagnostic, ParseError, ParseOptions, Response, Severity};

use crate::error::CliError;
use locate::Locator;

const LAML_EXAMPLES: &str = "\
Examples:
  mycpaas laml validate voice.xml menu.xml
  mycpaas laml fmt --pretty voice.xml
  cat voice.xml | mycpaas laml fmt --compact -";

/// The `laml` subcommands.
#[derive(Debug, Subcommand)]
#[command(after_help = LAML_EXAMPLES)]
pub enum LamlCommand {
    /// Check documents: prints `file:line:col: severity: message`; exits 1 on any error
    Validate {
        /// Documents to check (`-` reads stdin)
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Rewrite a document in the canonical layout (alphabetical attributes, escaped text)
    Fmt(FmtArgs),
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("layout").args(["pretty", "compact"])))]
pub struct FmtArgs {
    /// One element per line, indented (the default)
    #[arg(long)]
    pretty: bool,
    /// Everything on one line, as sent on the wire
    #[arg(long)]
    compact: bool,
    /// The document (`-` reads stdin)
    #[arg(value_name = "FILE")]
    file: PathBuf,
}

impl LamlCommand {
    /// Runs the subcommand.
    pub fn run(self) -> Result<(), CliError> {
        match self {
            LamlCommand::Validate { files } => validate(&files),
            LamlCommand::Fmt(args) => format(&args),
        }
    }
}

/// The largest document read: the LaML parser's document cap. Reading stops there, so a file
/// that never ends (`/dev/zero`, an endless pipe) costs no more memory than this.
fn document_cap() -> usize {
    ParseOptions::default().max_size
}

/// `-` means stdin.
fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// A file's text (`-` is stdin): at most [`document_cap`] bytes of UTF-8.
fn read_source(path: &Path) -> io::Result<String> {
    let cap = document_cap();
    // One byte more than the cap tells a document of exactly the cap from a larger one.
    let limit = u64::try_from(cap).unwrap_or(u64::MAX).saturating_add(1);
    let mut bytes = Vec::new();
    if is_stdin(path) {
        io::stdin().lock().take(limit).read_to_end(&mut bytes)?;
    } else {
        std::fs::File::open(path)?
            .take(limit)
            .read_to_end(&mut bytes)?;
    }
    if bytes.len() > cap {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("larger than {cap} bytes, the document cap; reading stopped there"),
        ));
    }
    String::from_utf8(bytes)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "not UTF-8 text"))
}

/// A file's text, or the error a command stops with.
fn read(path: &Path) -> Result<String, CliError> {
    read_source(path).map_err(|error| CliError::file(&display_name(path), &error))
}

/// How a file is named in messages (`<stdin>` for `-`); names that are not UTF-8 are shown
/// with their odd bytes replaced.
fn display_name(path: &Path) -> String {
    if is_stdin(path) {
        "<stdin>".to_owned()
    } else {
        path.display().to_string()
    }
}

fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Warning => "warning",
        // Errors, and any level a newer mycpaas-laml adds, count as errors.
        _ => "error",
    }
}

/// `file:line:col: error: ...` for a document that could not be parsed.
fn parse_error_line(name: &str, error: &ParseError) -> String {
    let mut line = format!("{name}:{}:{}: error: ", error.line(), error.column());
    if let Some(element) = error.element() {
        let _ = write!(line, "<{element}> ");
    }
    if let Some(attribute) = error.attribute() {
        let _ = write!(line, "attribute `{attribute}`: ");
    }
    line.push_str(error.rule());
    line
}

/// `file:line:col: severity: message (path)` for a validation finding.
fn diagnostic_line(name: &str, locator: &Locator, diagnostic: &Diagnostic) -> String {
    let position = locator.find(&diagnostic.path);
    format!(
        "{name}:{}:{}: {}: {} ({})",
        position.line,
        position.column,
        severity_name(diagnostic.severity),
        diagnostic.message,
        diagnostic.path
    )
}

/// What checking one document found.
struct Findings {
    lines: Vec<String>,
    errors: usize,
}

/// Parses strictly (as the provider does) and validates one document's text.
fn check(name: &str, source: &str) -> Result<(Response, Findings), Findings> {
    let document = mycpaas_laml::parse(source).map_err(|error| Findings {
        lines: vec![parse_error_line(name, &error)],
        errors: 1,
    })?;
    let locator = Locator::new(source);
    let diagnostics = document.validate();
    let findings = Findings {
        lines: diagnostics
            .iter()
            .map(|d| diagnostic_line(name, &locator, d))
            .collect(),
        errors: diagnostics
            .iter()
            .filter(|d| d.severity != Severity::Warning)
            .count(),
    };
    Ok((document, findings))
}

fn validate(files: &[PathBuf]) -> Result<(), CliError> {
    let mut out = io::stdout().lock();
    let mut failed_files = 0;
    for path in files {
        let name = display_name(path);
        let name = name.as_str();
        let findings = match read_source(path) {
            Ok(source) => check(name, &source).map_or_else(|f| f, |(_, f)| f),
            Err(error) => Findings {
                lines: vec![format!("{name}: error: cannot read: {error}")],
                errors: 1,
            },
        };
        if findings.lines.is_empty() {
            writeln!(out, "{name}: ok").map_err(|e| CliError::output(&e))?;
        }
        for line in &findings.lines {
            writeln!(out, "{line}").map_err(|e| CliError::output(&e))?;
        }
        if findings.errors > 0 {
            failed_files += 1;
        }
    }
    out.flush().map_err(|e| CliError::output(&e))?;
    match failed_files {
        0 => Ok(()),
        1 if files.len() == 1 => Err(CliError::failed("the document has errors")),
        n => Err(CliError::failed(format!(
            "{n} of {} documents have errors",
            files.len()
        ))),
    }
}

fn format(args: &FmtArgs) -> Result<(), CliError> {
    let name = display_name(&args.file);
    let name = name.as_str();
    let source = read(&args.file)?;
    // Lenient: formatting must not drop what this version does not know.
    let document = ParseOptions::default()
        .lenient(true)
        .parse(&source)
        .map_err(|error| CliError::failed(parse_error_line(name, &error)))?;
    let written = if args.compact {
        document.try_to_xml()
    } else {
        document.try_to_xml_pretty()
    };
    let xml = written.map_err(|error| CliError::failed(format!("{name}: {error}")))?;
    let mut out = io::stdout().lock();
    write!(out, "{xml}")
        .and_then(|()| {
            if xml.ends_with('\n') {
                Ok(())
            } else {
                writeln!(out)
            }
        })
        .and_then(|()| out.flush())
        .map_err(|e| CliError::output(&e))
}

/// Reads, parses and validates a document `calls create/update --twiml` is about to send.
/// Errors stop the command before anything is sent; warnings are shown on stderr.
pub fn load_for_sending(path: &Path) -> Result<Response, CliError> {
    let name = display_name(path);
    let name = name.as_str();
    let source = read(path)?;
    let hint = format!("`mycpaas laml validate {name}` lists every problem");
    match check(name, &source) {
        Err(findings) => Err(CliError::failed(findings.lines.join("\n")).with_hint(hint)),
        Ok((_, findings)) if findings.errors > 0 => {
            let mut message = format!("{name} has LaML errors; nothing was sent");
            for line in &findings.lines {
                message.push_str("\n  ");
                message.push_str(line);
            }
            Err(CliError::failed(message).with_hint(hint))
        }
        Ok((document, findings)) => {
            for line in &findings.lines {
                eprintln!("{line}");
            }
            Ok(document)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_errors_carry_file_line_and_column() {
        let Err(findings) = check(
            "voice.xml",
            "<Response>\n  <Pause length=\"soon\"/></Response>",
        ) else {
            panic!("the document should not parse");
        };
        assert_eq!(findings.errors, 1);
        assert!(
            findings.lines[0].starts_with("voice.xml:2:10: error: <Pause> attribute `length`: "),
            "{}",
            findings.lines[0]
        );
    }

    #[test]
    fn validation_findings_point_at_the_element() {
        let source = "<Response>\n  <Hangup/>\n  <Say>late</Say>\n</Response>";
        let Ok((_, findings)) = check("a.xml", source) else {
            panic!("the document should parse");
        };
        assert_eq!(findings.errors, 0);
        assert!(
            findings.lines[0].starts_with("a.xml:3:3: warning: unreachable"),
            "{:?}",
            findings.lines
        );
    }
}
