//! `docs/reference.md`: every operation, parameter, field and enumeration of the description, with
//! its name in each layer, for users to look up.

use minijinja::Environment;
use serde::Serialize;

use crate::Output;
use crate::api::{Api, Enum, Op, Param, Resource};
use crate::render;

pub const TEMPLATES: render::Templates = &[(
    "reference.md",
    include_str!("../templates/reference.md.jinja"),
)];

#[derive(Serialize)]
struct View<'a> {
    resources: Vec<ResourceView<'a>>,
    models: Vec<ModelView>,
    enums: Vec<EnumView<'a>>,
}

#[derive(Serialize)]
struct ResourceView<'a> {
    resource: &'a Resource,
    operations: Vec<OpView<'a>>,
}

#[derive(Serialize)]
struct OpView<'a> {
    op: &'a Op,
    title: String,
    path: String,
    /// What the Rust method takes: `request` or `sid`.
    rust_arg: &'static str,
    /// The Python methods (`list`, `stream`, `page` for a list).
    python: Vec<String>,
    group_rules: Vec<String>,
    params: Vec<ParamView>,
}

#[derive(Serialize)]
struct ParamView {
    wire: String,
    required: bool,
    rust: String,
    python: String,
    /// The `mycpaas` flag (`--event`; `--twiml FILE` for a LaML document, which it reads from a
    /// file).
    cli: String,
    ty: String,
    rules: String,
    doc: String,
}

#[derive(Serialize)]
struct ModelView {
    name: String,
    doc: String,
    fields: Vec<FieldView>,
}

#[derive(Serialize)]
struct FieldView {
    wire: String,
    ty: String,
    doc: String,
}

#[derive(Serialize)]
struct EnumView<'a> {
    #[serde(flatten)]
    inner: &'a Enum,
}

pub fn generate(api: &Api, env: &Environment<'_>, out: &mut Output) -> Result<(), String> {
    let view = View {
        resources: api
            .resources
            .iter()
            .map(|resource| ResourceView {
                resource,
                operations: resource
                    .operations
                    .iter()
                    .map(|op| op_view(api, op))
                    .collect(),
            })
            .collect(),
        models: api
            .models
            .iter()
            .map(|m| ModelView {
                name: m.name.clone(),
                doc: one_line(&m.doc),
                fields: m
                    .fields
                    .iter()
                    .map(|f| FieldView {
                        wire: f.wire.clone(),
                        ty: match (f.kind.as_str(), f.target.as_deref()) {
                            ("enum", Some(target)) => {
                                format!("[{target}](#{})", target.to_lowercase())
                            }
                            ("list", Some(target)) => {
                                format!("list of [{target}](#{})", target.to_lowercase())
                            }
                            ("date", _) => "date (ISO 8601 or RFC 2822)".to_owned(),
                            ("count", _) => "whole number (or its text)".to_owned(),
                            ("decimal", _) => "decimal (text or number)".to_owned(),
                            ("map", _) => "object".to_owned(),
                            ("integer", _) => "whole number".to_owned(),
                            ("number", _) => "number".to_owned(),
                            ("boolean", _) => "true or false".to_owned(),
                            _ => "text".to_owned(),
                        } + if f.required { "" } else { ", optional" },
                        doc: one_line(&f.doc),
                    })
                    .collect(),
            })
            .collect(),
        enums: api.enums.iter().map(|inner| EnumView { inner }).collect(),
    };
    let text = render::render(env, "reference.md", view)?;
    out.other("docs/reference.md".to_owned(), text)
}

fn op_view<'a>(api: &Api, op: &'a Op) -> OpView<'a> {
    let code = |names: &[String]| {
        names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut group_rules = Vec::new();
    if !op.exactly_one_of.is_empty() {
        group_rules.push(format!(
            "Exactly one of {} is required.",
            code(&op.exactly_one_of)
        ));
    }
    for group in &op.at_most_one_of {
        group_rules.push(format!("At most one of {} may be given.", code(group)));
    }
    let start = if op.root {
        op.path_format.clone()
    } else {
        op.path_format.replacen("{}", "{AccountSid}", 1)
    };
    let path = op.path_params.iter().fold(start, |path, p| {
        path.replacen("{}", &format!("{{{}}}", p.wire), 1)
    });
    OpView {
        op,
        title: op.summary.trim_end_matches('.').to_owned(),
        path: if op.root {
            path
        } else {
            format!("/2010-04-01{path}")
        },
        rust_arg: if op.params.is_empty() {
            "sid"
        } else {
            "request"
        },
        python: if op.items.is_some() {
            // `list_for_call` walks as `stream_for_call` and pages as `page_for_call`.
            let rest = op.verb.strip_prefix("list").unwrap_or_default();
            ["list", "stream", "page"]
                .map(|walk| format!("{walk}{rest}"))
                .to_vec()
        } else {
            vec![op.verb.clone()]
        },
        group_rules,
        params: op
            .path_params
            .iter()
            .chain(&op.params)
            .map(|p| param_view(api, op, p))
            .collect(),
    }
}

fn param_view(api: &Api, op: &Op, p: &Param) -> ParamView {
    let ty = match p.kind.as_str() {
        "enum" | "enum_list" => {
            let name = p.enum_name.clone().unwrap_or_default();
            let open = api.enums.iter().any(|e| e.name == name && e.open);
            let link = format!("[{name}](#{})", name.to_lowercase());
            match (p.kind.as_str(), open) {
                ("enum_list", _) => format!("list of {link}"),
                (_, true) => format!("{link} (open)"),
                _ => link,
            }
        }
        "int" => "whole number".to_owned(),
        "bool" => "boolean".to_owned(),
        "day" => "date (`YYYY-MM-DD`)".to_owned(),
        "secret" => "text (secret: never logged)".to_owned(),
        _ => "text".to_owned(),
    };
    let mut rules = Vec::new();
    // The bound of the type (a 32-bit count) is no rule of the API.
    let maximum = p.maximum.filter(|&max| max < u64::from(u32::MAX));
    match (p.minimum.filter(|&min| min > 0), maximum) {
        (Some(min), Some(max)) => rules.push(format!("{min} to {max}")),
        (Some(min), None) => rules.push(format!("at least {min}")),
        (None, Some(max)) => rules.push(format!("at most {max}")),
        (None, None) => {}
    }
    match p.min_length {
        Some(1) => rules.push("not empty".to_owned()),
        Some(min) if min > 1 => rules.push(format!("at least {min} characters")),
        _ => {}
    }
    if let Some(max) = p.max_length {
        rules.push(format!("at most {max} characters"));
    }
    if let Some((_, description)) = &p.charset {
        rules.push(format!("only {description}"));
    }
    let flags = [
        (p.endpoint, "E.164 number, `sip:` or `client:` endpoint"),
        (p.absolute_url, "absolute `http(s)` URL"),
        (p.sid, "a SID"),
        (p.single_line, "one line"),
        (p.laml, "a well-formed LaML document"),
    ];
    rules.extend(
        flags
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, rule)| (*rule).to_owned()),
    );
    if let Some(default) = &p.default {
        rules.push(format!("server default `{default}`"));
    }
    let rust = if p.required {
        format!("{}::new", op.type_name)
    } else {
        format!(".{}(..)", p.name)
    };
    ParamView {
        wire: p.wire.clone(),
        required: p.required,
        rust,
        // The Python clients have no methods for the simulator's control routes.
        python: if op.root {
            "—".to_owned()
        } else {
            format!("`{}`", p.py_name)
        },
        cli: if p.laml {
            format!("--{} FILE", p.cli_flag)
        } else {
            format!("--{}", p.cli_flag)
        },
        ty,
        rules: if rules.is_empty() {
            "—".to_owned()
        } else {
            rules.join("; ")
        },
        doc: one_line(&p.doc),
    }
}

/// Text for a table cell: one line, no unescaped `|`.
fn one_line(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}
