//! The cross-crate test's table of rule cases (`tests/src/generated/rule_cases.rs`): for every
//! rule of every parameter, and every rule over several parameters, a request of the description
//! that breaks that rule alone, with the parameter the refusal must name and the API code the
//! description gives it. A parameter or rule added to the description gets its case here.

use std::fmt::Write as _;

use heck::ToKebabCase;
use minijinja::Environment;
use serde::Serialize;

use crate::Output;
use crate::api::{Api, Op, Param};
use crate::render;
use crate::rules::{self, GroupRule, Rule};

pub const TEMPLATES: render::Templates = &[(
    "tests_rule_cases.rs",
    include_str!("../templates/tests_rule_cases.rs.jinja"),
)];

pub fn generate(api: &Api, env: &Environment<'_>, out: &mut Output) -> Result<(), String> {
    let mut cases = Vec::new();
    let mut operations = Vec::new();
    for resource in &api.resources {
        for op in &resource.operations {
            if op.location == "none" {
                continue;
            }
            operations.push(Operation {
                type_name: op.type_name.clone(),
                location: op.location.clone(),
                path_args: (0..op.path_params.len()).fold(String::new(), |mut args, i| {
                    let _ = write!(args, "path[{i}], ");
                    args
                }),
                resource: resource.name.clone(),
                verb: op.verb.clone(),
                root: op.root,
            });
            cases.extend(cases_of(&resource.name, op)?);
        }
    }
    out.rust(
        "tests/src/generated/rule_cases.rs".to_owned(),
        env,
        "tests_rule_cases.rs",
        View { operations, cases },
    )
}

#[derive(Serialize)]
struct View {
    /// The request types of the operations with parameters.
    operations: Vec<Operation>,
    cases: Vec<Case>,
}

#[derive(Serialize)]
struct Operation {
    type_name: String,
    location: String,
    /// What `from_form` takes before the pairs: the path's SIDs (`path[0], `).
    path_args: String,
    /// The client's resource (`calls`) and method (`update`).
    resource: String,
    verb: String,
    /// At the server's root: sent with the client's `execute` (no resource has it).
    root: bool,
}

/// One case: `pairs` holds Rust expressions of the tests' `Value`, `typed` builds the request
/// with the SDK's setters (`None` when a typed value cannot break the rule).
#[derive(Serialize)]
struct Case {
    operation: String,
    /// The command of the resource (`incoming-phone-numbers`).
    command: String,
    /// The path parameters' wire names, in order.
    path_params: Vec<String>,
    http_method: String,
    path: String,
    /// At the server's root (the simulator's control routes).
    root: bool,
    in_query: bool,
    parameter: String,
    rule: String,
    pairs: Vec<(String, String)>,
    typed: Option<String>,
    /// The `mycpaas calls` arguments that send the same request: the command, then
    /// `(flag, value)` pairs (a switch's value is `None`); `None` when the command line refuses
    /// the case as usage before core sees it (a missing value, a group, a LaML file, a text a
    /// flag's type refuses).
    cli: Option<(String, Vec<(String, String)>)>,
    code: u32,
    on_the_wire: bool,
}

/// A value of a case: text, or one character repeated (long values stay short in the table).
enum Value {
    Text(String),
    Repeat(char, u32),
}

impl Value {
    /// The tests' `Value` for it.
    fn rust(&self) -> String {
        match self {
            Value::Text(text) => format!("Value::Text({text:?})"),
            Value::Repeat(c, count) => format!("Value::Repeat({c:?}, {count})"),
        }
    }

    /// The argument of `param`'s setter (or of `new`) holding it.
    fn argument(&self, param: &Param) -> String {
        match (self, param.kind.as_str()) {
            (Value::Repeat(..), _) => format!("{}.text()", self.rust()),
            (Value::Text(text), "int" | "bool") => text.clone(),
            (Value::Text(text), "enum" | "enum_list" | "day") => {
                format!("wire({:?}, {text:?})", param.wire)
            }
            (Value::Text(text), _) => format!("{text:?}"),
        }
    }
}

fn text(value: &str) -> Value {
    Value::Text(value.to_owned())
}

fn cases_of(resource: &str, op: &Op) -> Result<Vec<Case>, String> {
    let mut cases = Vec::new();
    let case =
        |parameter: &Param, rule: &str, typed: bool, pairs: Vec<(&Param, Value)>, code| Case {
            operation: op.type_name.clone(),
            command: if op.root {
                "sim".to_owned()
            } else {
                resource.to_kebab_case()
            },
            path_params: op.path_params.iter().map(|p| p.wire.clone()).collect(),
            http_method: op.http_method.clone(),
            path: op.path_format.clone(),
            root: op.root,
            in_query: op.location == "query",
            parameter: parameter.wire.clone(),
            rule: rule.to_owned(),
            on_the_wire: !pairs
                .iter()
                .any(|(_, value)| matches!(value, Value::Text(t) if t.is_empty())),
            typed: typed.then(|| builder(op, &pairs)).flatten(),
            cli: (typed && !matches!(rule, "required" | "exactly-one-of" | "at-most-one-of"))
                .then(|| command_line(op, &pairs))
                .flatten(),
            pairs: pairs
                .iter()
                .map(|(param, value)| (param.wire.clone(), value.rust()))
                .collect(),
            code,
        };
    for param in &op.params {
        for rule in rules::of_param(param) {
            for bad in broken(param, &rule)? {
                let pairs = request(op, param, bad);
                let typed = !rule.is_wire_type();
                cases.push(case(
                    param,
                    rule.kind(),
                    typed,
                    pairs,
                    rules::code(param, &rule),
                ));
            }
        }
    }
    for group in rules::of_op(op) {
        let named = |wire: &str| {
            op.params
                .iter()
                .find(|p| p.wire == wire)
                .ok_or_else(|| format!("{}: {wire} is not a parameter", op.type_name))
        };
        let base = || required(op, None);
        match &group {
            GroupRule::ExactlyOneOf(names) => {
                // None set: the first is named. Two set: the first set is named.
                let first = named(&names[0])?;
                cases.push(case(first, group.kind(), true, base(), first.error_code));
                if let Some(second) = names.get(1) {
                    let mut pairs = base();
                    pairs.push((first, valid(first, 0)));
                    let second = named(second)?;
                    pairs.push((second, valid(second, 1)));
                    cases.push(case(first, group.kind(), true, pairs, first.error_code));
                }
            }
            GroupRule::AtMostOneOf(names) => {
                // Both set: the second is named.
                let mut pairs = base();
                for (index, wire) in names.iter().enumerate() {
                    let param = named(wire)?;
                    pairs.push((param, valid(param, index)));
                }
                let second = named(&names[1])?;
                cases.push(case(second, group.kind(), true, pairs, second.error_code));
            }
            GroupRule::SomeParameter => {
                let first = op
                    .params
                    .first()
                    .ok_or_else(|| format!("{}: minProperties without parameters", op.type_name))?;
                cases.push(case(
                    first,
                    group.kind(),
                    true,
                    Vec::new(),
                    first.error_code,
                ));
            }
        }
    }
    Ok(cases)
}

/// A valid request of `op` with `param` set to `bad` (or left out, for `None`): the required
/// parameters, and of an exactly-one-of group `param` itself or else its first member.
fn request<'a>(op: &'a Op, param: &'a Param, bad: Option<Value>) -> Vec<(&'a Param, Value)> {
    let mut pairs = required(op, Some(param));
    if let Some(first) = op.exactly_one_of.first()
        && !op.exactly_one_of.contains(&param.wire)
    {
        let first = op
            .params
            .iter()
            .find(|p| &p.wire == first)
            .expect("checked in api");
        pairs.push((first, valid(first, 0)));
    }
    if let Some(bad) = bad {
        pairs.push((param, bad));
    }
    pairs
}

/// The required parameters of `op` with valid values, but `except`.
fn required<'a>(op: &'a Op, except: Option<&Param>) -> Vec<(&'a Param, Value)> {
    op.params
        .iter()
        .filter(|p| p.required && except.is_none_or(|e| e.wire != p.wire))
        .enumerate()
        .map(|(index, p)| (p, valid(p, index)))
        .collect()
}

/// The request built with the SDK's typed API: `new` with the required values (`""` for one left
/// out, which is how the typed API leaves it unset), then one setter per other value. A closure
/// of the SIDs of its path. `None` when the typed API cannot leave out a required value (an
/// enumeration).
fn builder(op: &Op, pairs: &[(&Param, Value)]) -> Option<String> {
    let find = |wire: &str| pairs.iter().find(|(p, _)| p.wire == wire);
    let mut args: Vec<String> = (0..op.path_params.len())
        .map(|i| format!("path[{i}]"))
        .collect();
    for param in op.params.iter().filter(|p| p.required) {
        args.push(match find(&param.wire) {
            Some((param, value)) => value.argument(param),
            None if param.kind == "enum" => return None,
            None => "\"\"".to_owned(),
        });
    }
    let mut expression = format!("{}::new({})", op.type_name, args.join(", "));
    for (param, value) in pairs.iter().filter(|(p, _)| !p.required) {
        write!(expression, ".{}({})", param.name, value.argument(param))
            .expect("writing to a String");
    }
    let path = if op.path_params.is_empty() {
        "_"
    } else {
        "path"
    };
    Some(format!(
        "|{path}| Request::{}(Box::new({expression}))",
        op.type_name
    ))
}

/// The command line of a request: each value behind its parameter's flag, `None` when a value
/// has no flag form (a LaML file, a switch turned off).
fn command_line(op: &Op, pairs: &[(&Param, Value)]) -> Option<(String, Vec<(String, String)>)> {
    let mut flags = Vec::new();
    for (param, value) in pairs {
        if param.laml {
            return None;
        }
        let value = match (param.kind.as_str(), value) {
            ("bool", Value::Text(text)) if text == "true" => "None".to_owned(),
            ("bool", _) => return None,
            _ => format!("Some({})", value.rust()),
        };
        flags.push((format!("--{}", param.cli_flag), value));
    }
    Some((crate::cli::command_of_op(op), flags))
}

/// A value every rule of `param` accepts; `index` tells apart two endpoints of one request.
fn valid(param: &Param, index: usize) -> Value {
    if param.endpoint || param.e164 {
        text(&format!("+1555123{index:04}"))
    } else if param.absolute_url {
        text("http://127.0.0.1:9/voice.xml")
    } else if param.laml {
        text("<Response><Hangup/></Response>")
    } else if param.sid {
        text("XX0123456789abcdef0123456789abcdef")
    } else if let Some((arms, _)) = &param.charset {
        text(&allowed(arms).to_string())
    } else {
        match param.kind.as_str() {
            "int" => text(&param.minimum.unwrap_or(0).to_string()),
            "bool" => text("true"),
            "day" => text("2026-04-19"),
            _ => match param.enum_values.first() {
                Some(value) => text(value),
                None => text("x"),
            },
        }
    }
}

/// Values of `param` that break `rule` alone (`None`: the parameter left out). A range has a
/// case below its minimum and one above its maximum.
fn broken(param: &Param, rule: &Rule) -> Result<Vec<Option<Value>>, String> {
    let filler = match &param.charset {
        Some((arms, _)) => allowed(arms),
        None => 'x',
    };
    Ok(match rule {
        Rule::Required => vec![None],
        Rule::NotEmpty => vec![Some(text(""))],
        Rule::Laml => vec![Some(text("   "))],
        Rule::MaxLength(max) => vec![Some(Value::Repeat(filler, max + 1))],
        Rule::Charset(arms, _) => {
            let outside = ['x', '!', '~', '?', 'é']
                .into_iter()
                .find(|c| !ranges(arms).iter().any(|(lo, hi)| (lo..=hi).contains(&c)))
                .ok_or_else(|| format!("{}: no character outside its pattern", param.wire))?;
            vec![Some(text(&format!("{filler}{outside}")))]
        }
        Rule::Endpoint => vec![Some(text("12345"))],
        Rule::E164 => vec![Some(text("sip:alice@example.com")), Some(text("+0123"))],
        Rule::AbsoluteUrl => vec![Some(text("ftp://example.com/voice.xml"))],
        Rule::Sid => vec![Some(text("CA/1"))],
        Rule::SingleLine => vec![Some(text("a\u{7}b"))],
        Rule::Range(min, max) => {
            let mut values = Vec::new();
            if *min > 0 {
                values.push(Some(text(&(min - 1).to_string())));
            }
            values.push(Some(text(&(max + 1).to_string())));
            values
        }
        Rule::AtLeast(min) => vec![Some(text(&(min - 1).to_string()))],
        Rule::OneOf(_) => vec![Some(text("bogus"))],
        Rule::Integer => vec![Some(text("soon"))],
        Rule::Boolean => vec![Some(text("yes"))],
        Rule::Day => vec![Some(text("yesterday"))],
    })
}

/// The character ranges of a pattern's match arms (`'0'..='9' | '#'`).
fn ranges(arms: &str) -> Vec<(char, char)> {
    let char_of = |quoted: &str| quoted.trim().trim_matches('\'').chars().next();
    arms.split(" | ")
        .filter_map(|arm| match arm.split_once("..=") {
            Some((lo, hi)) => Some((char_of(lo)?, char_of(hi)?)),
            None => char_of(arm).map(|c| (c, c)),
        })
        .collect()
}

/// The first character a pattern allows.
fn allowed(arms: &str) -> char {
    ranges(arms).first().map_or('x', |(lo, _)| *lo)
}

#[cfg(test)]
mod tests {
    use super::{allowed, ranges};

    #[test]
    fn pattern_arms_read_back() {
        let arms = "'0'..='9' | 'A'..='D' | '#' | '*' | 'w' | 'W'";
        assert_eq!(
            ranges(arms),
            [
                ('0', '9'),
                ('A', 'D'),
                ('#', '#'),
                ('*', '*'),
                ('w', 'w'),
                ('W', 'W')
            ]
        );
        assert_eq!(allowed(arms), '0');
    }
}
