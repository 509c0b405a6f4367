//! Every rule of a parameter and of an operation, named, in the order `validate()` checks them.
//! The rule cases the cross-crate test breaks on both sides of the wire, and the rules the
//! command line's help states, are listed from here.

use crate::api::{Op, Param};

/// One rule of one parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// Must be sent (a required form parameter; path parameters are the SDKs' arguments).
    Required,
    /// `minLength: 1`.
    NotEmpty,
    /// `x-mycpaas-laml`: not blank.
    Laml,
    /// `maxLength`.
    MaxLength(u32),
    /// `pattern: ^[...]+$`: (Rust match arms, the characters in words).
    Charset(String, String),
    /// `x-mycpaas-endpoint`.
    Endpoint,
    /// `x-mycpaas-e164`.
    E164,
    /// `x-mycpaas-absolute-url`.
    AbsoluteUrl,
    /// `x-mycpaas-sid`.
    Sid,
    /// `x-mycpaas-single-line`.
    SingleLine,
    /// `minimum` and `maximum`.
    Range(u64, u64),
    /// `minimum` alone (the maximum is the type's).
    AtLeast(u64),
    /// A closed enumeration (each value of a list).
    OneOf(Vec<String>),
    /// The wire text of an integer.
    Integer,
    /// The wire text of a boolean.
    Boolean,
    /// The wire text of a day.
    Day,
}

/// The largest integer the SDKs' integer parameters hold.
const U32_MAX: u64 = u32::MAX as u64;

impl Rule {
    /// A short name, stable for tests (`range`, `absolute-url`).
    pub fn kind(&self) -> &'static str {
        match self {
            Rule::Required => "required",
            Rule::NotEmpty => "not-empty",
            Rule::Laml => "laml",
            Rule::MaxLength(_) => "max-length",
            Rule::Charset(..) => "charset",
            Rule::Endpoint => "endpoint",
            Rule::E164 => "e164",
            Rule::AbsoluteUrl => "absolute-url",
            Rule::Sid => "sid",
            Rule::SingleLine => "single-line",
            Rule::Range(..) => "range",
            Rule::AtLeast(_) => "at-least",
            Rule::OneOf(_) => "one-of",
            Rule::Integer => "integer",
            Rule::Boolean => "boolean",
            Rule::Day => "day",
        }
    }

    /// `true` for the rules of the wire text itself (a typed SDK value cannot break them).
    pub fn is_wire_type(&self) -> bool {
        matches!(
            self,
            Rule::Integer | Rule::Boolean | Rule::Day | Rule::OneOf(_)
        )
    }
}

/// The rules of `param`, in the order `validate()` checks them, then the rules of its wire text.
pub fn of_param(param: &Param) -> Vec<Rule> {
    let mut rules = Vec::new();
    if param.required && !param.sid {
        rules.push(Rule::Required);
    }
    if param.min_length == Some(1) {
        rules.push(Rule::NotEmpty);
    }
    if param.laml {
        rules.push(Rule::Laml);
    }
    if let Some(max) = param.max_length {
        rules.push(Rule::MaxLength(max));
    }
    if let Some((arms, described)) = &param.charset {
        rules.push(Rule::Charset(arms.clone(), described.clone()));
    }
    if param.endpoint {
        rules.push(Rule::Endpoint);
    }
    if param.e164 {
        rules.push(Rule::E164);
    }
    if param.absolute_url {
        rules.push(Rule::AbsoluteUrl);
    }
    if param.sid {
        rules.push(Rule::Sid);
    }
    if param.single_line {
        rules.push(Rule::SingleLine);
    }
    match param.kind.as_str() {
        "int" => {
            let min = param.minimum.unwrap_or(0);
            let max = param.maximum.unwrap_or(U32_MAX);
            if max < U32_MAX {
                rules.push(Rule::Range(min, max));
            } else if min > 0 {
                rules.push(Rule::AtLeast(min));
            }
            rules.push(Rule::Integer);
        }
        "bool" => rules.push(Rule::Boolean),
        "day" => rules.push(Rule::Day),
        "enum" | "enum_list" if !param.enum_values.is_empty() && !param.open_enum => {
            rules.push(Rule::OneOf(param.enum_values.clone()));
        }
        _ => {}
    }
    rules
}

/// A rule over several parameters of one operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupRule {
    /// `x-mycpaas-exactly-one-of`.
    ExactlyOneOf(Vec<String>),
    /// `x-mycpaas-at-most-one-of`.
    AtMostOneOf(Vec<String>),
    /// `minProperties: 1`.
    SomeParameter,
}

impl GroupRule {
    /// A short name, stable for tests.
    pub fn kind(&self) -> &'static str {
        match self {
            GroupRule::ExactlyOneOf(_) => "exactly-one-of",
            GroupRule::AtMostOneOf(_) => "at-most-one-of",
            GroupRule::SomeParameter => "some-parameter",
        }
    }
}

/// The rules of `op` over several parameters, in the order `validate()` checks them.
pub fn of_op(op: &Op) -> Vec<GroupRule> {
    let mut rules = Vec::new();
    if !op.exactly_one_of.is_empty() {
        rules.push(GroupRule::ExactlyOneOf(op.exactly_one_of.clone()));
    }
    rules.extend(
        op.at_most_one_of
            .iter()
            .cloned()
            .map(GroupRule::AtMostOneOf),
    );
    if op.min_properties > 0 {
        rules.push(GroupRule::SomeParameter);
    }
    rules
}

/// The API code a server answers when `param` breaks `rule`: its "missing" code for a required
/// value that is absent, else its own code (the description's, or 20001).
pub fn code(param: &Param, rule: &Rule) -> u32 {
    match (rule, param.missing_error_code) {
        (Rule::Required, Some(missing)) => missing,
        _ => param.error_code,
    }
}
