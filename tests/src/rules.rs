//! The rule cases of `api/openapi.yaml` (generated into [`CASES`] by `cargo run -p xtask --
//! codegen`): each one breaks a single rule of a valid request and says which parameter the
//! refusal names and which API code a server answers with.

// Generated from the description, like every file under a `generated` folder.
#[path = "generated/rule_cases.rs"]
mod cases;

use mycpaas_core::ops::form::FromWire;

pub use cases::{CASES, Request};

/// A valid value of `parameter` from its wire text, for the typed requests of the cases.
///
/// # Panics
///
/// When the text is not valid: the table only builds typed requests from valid values.
pub fn wire<T: FromWire>(parameter: &str, text: &str) -> T {
    T::from_wire(parameter, text)
        .unwrap_or_else(|error| panic!("the case table holds an invalid {parameter}: {error}"))
}

/// A parameter's value in a case.
#[derive(Debug, Clone, Copy)]
pub enum Value {
    /// This text.
    Text(&'static str),
    /// One character, this many times (long values stay short in the table).
    Repeat(char, usize),
}

impl Value {
    /// The value as sent.
    pub fn text(&self) -> String {
        match *self {
            Value::Text(text) => text.to_owned(),
            Value::Repeat(c, count) => std::iter::repeat_n(c, count).collect(),
        }
    }
}

/// A request as the arguments of `mycpaas RESOURCE`.
#[derive(Debug, Clone, Copy)]
pub struct CommandLine {
    /// The subcommand (`create`); an operation with SIDs in its path takes them next.
    pub command: &'static str,
    /// `(flag, value)` pairs; a switch has no value.
    pub flags: &'static [(&'static str, Option<Value>)],
}

impl CommandLine {
    /// The arguments after `mycpaas RESOURCE`, with the SIDs of the operation's path.
    pub fn args(&self, path: &[&str]) -> Vec<String> {
        let mut args = vec![self.command.to_owned()];
        args.extend(path.iter().map(|sid| (*sid).to_owned()));
        for (flag, value) in self.flags {
            args.push((*flag).to_owned());
            args.extend(value.map(|value| value.text()));
        }
        args
    }
}

/// One rule, broken alone.
#[derive(Debug, Clone, Copy)]
pub struct RuleCase {
    /// The operation's request type (`CreateCall`).
    pub operation: &'static str,
    /// The command line's command of its resource (`calls`, `incoming-phone-numbers`).
    pub command: &'static str,
    /// The wire names of its path parameters, in order (`CallSid`, `RecordingSid`).
    pub path_params: &'static [&'static str],
    /// Its HTTP method.
    pub http_method: &'static str,
    /// Its path below the API prefix, `{}` for the account and then each path parameter; for a
    /// `root` operation, its whole path, `{}` for each path parameter.
    pub path: &'static str,
    /// An operation at the server's root (the simulator's control routes), not below the API
    /// prefix, sent by the clients' `execute` (they have no method for it).
    pub root: bool,
    /// The parameters go in the query string (else in a form body).
    pub in_query: bool,
    /// The parameter the refusal names (its wire name).
    pub parameter: &'static str,
    /// The rule broken (`range`, `absolute-url`, `exactly-one-of`, ...).
    pub rule: &'static str,
    /// The request's parameters by wire name, the broken one included (path parameters apart).
    pub pairs: &'static [(&'static str, Value)],
    /// The request built with the SDK's setters, from the SIDs of its path; `None` for a rule
    /// of the wire text itself (a whole number, a day, an enumeration's value), which a typed
    /// value cannot break, and for a required enumeration left out: [`Request::read`] reads the
    /// text instead.
    pub typed: Option<fn(&[&str]) -> Request>,
    /// The same request as `mycpaas calls` arguments; `None` when the command line refuses it as
    /// usage before core reads it (a missing value, a group of flags, a LaML file, a value its
    /// flag's type refuses).
    pub cli: Option<CommandLine>,
    /// The API code the description gives the refusal.
    pub code: u32,
    /// `false` when the wire cannot carry the broken value: an empty value is read as absent, so
    /// only a client can refuse it.
    pub on_the_wire: bool,
}

impl RuleCase {
    /// The parameters as `(name, value)` pairs.
    pub fn pairs(&self) -> Vec<(String, String)> {
        self.pairs
            .iter()
            .map(|(name, value)| ((*name).to_owned(), value.text()))
            .collect()
    }

    /// The parameters form-encoded, as a body or a query string.
    pub fn encoded(&self) -> String {
        let mut form = form_urlencoded::Serializer::new(String::new());
        for (name, value) in self.pairs() {
            form.append_pair(&name, &value);
        }
        form.finish()
    }
}

impl std::fmt::Display for RuleCase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} {}", self.operation, self.parameter, self.rule)
    }
}
