//! The command line's flags: for each operation with parameters, a clap `Args` struct with one
//! flag per parameter of the description (its help from the parameter's description and rules)
//! and the function that turns the flags into core's request. The subcommands themselves, and
//! what each prints, are written by hand in `crates/mycpaas-cli`.

use heck::ToSnakeCase;
use minijinja::Environment;
use serde::Serialize;

use crate::Output;
use crate::api::{Api, Op, Param};
use crate::render;
use crate::rules::{self, Rule};

pub const TEMPLATES: render::Templates = &[
    (
        "cli_resource.rs",
        include_str!("../templates/cli_resource.rs.jinja"),
    ),
    ("cli_mod.rs", include_str!("../templates/cli_mod.rs.jinja")),
];

const DIR: &str = "crates/mycpaas-cli/src/generated";

/// The resources the command line has commands for so far; the others get theirs in the
/// following commits.
pub const RESOURCES: &[&str] = &["calls"];

pub fn generate(api: &Api, env: &Environment<'_>, out: &mut Output) -> Result<(), String> {
    let mut modules = Vec::new();
    for resource in api
        .resources
        .iter()
        .filter(|r| RESOURCES.contains(&r.name.as_str()))
    {
        let mut commands = Vec::new();
        let mut types = Vec::new();
        for op in &resource.operations {
            if op.location == "none" {
                continue;
            }
            types.push(op.type_name.clone());
            commands.push(command_of(op)?);
        }
        if commands.is_empty() {
            continue;
        }
        let params = || {
            resource
                .operations
                .iter()
                .flat_map(|op| op.params.iter().chain(&op.path_params))
        };
        let kinds =
            |wanted: &[&str]| params().any(|p| !p.laml && wanted.contains(&p.kind.as_str()));
        let uses = Uses {
            from_wire: kinds(&["enum", "enum_list", "day"]),
            possible_values: params().any(|p| {
                matches!(p.kind.as_str(), "enum" | "enum_list") && !p.open_enum && !p.laml
            }),
            groups: commands.iter().any(|c| !c.groups.is_empty()),
            laml: params().any(|p| p.laml),
            secret: kinds(&["secret"]),
        };
        out.rust(
            format!("{DIR}/{}.rs", resource.name),
            env,
            "cli_resource.rs",
            ResourceView {
                resource: resource.type_name.clone(),
                types,
                commands,
                uses,
            },
        )?;
        modules.push(Module {
            name: resource.name.clone(),
            type_name: resource.type_name.clone(),
        });
    }
    out.rust(
        format!("{DIR}/mod.rs"),
        env,
        "cli_mod.rs",
        ModView { modules },
    )
}

#[derive(Serialize)]
struct ModView {
    modules: Vec<Module>,
}

#[derive(Serialize)]
struct Module {
    name: String,
    type_name: String,
}

#[derive(Serialize)]
struct ResourceView {
    resource: String,
    /// Core's request types the commands build.
    types: Vec<String>,
    commands: Vec<Command>,
    uses: Uses,
}

/// What a resource's file imports.
#[derive(Serialize)]
struct Uses {
    /// Core's reading of wire text (enumerations, days).
    from_wire: bool,
    /// Closed enumerations, whose values clap lists and checks.
    possible_values: bool,
    /// Groups of parameters.
    groups: bool,
    /// A LaML parameter, read from a file (named by a path, which need not be UTF-8).
    laml: bool,
    /// A secret parameter.
    secret: bool,
}

/// The flags of one operation.
#[derive(Serialize)]
struct Command {
    /// `CreateCall`: the request built.
    type_name: String,
    /// `CreateCallArgs`.
    args_name: String,
    /// `create`.
    verb: String,
    /// `ArgGroup` expressions: the description's groups of parameters, checked as usage.
    groups: Vec<String>,
    flags: Vec<Flag>,
    /// The arguments of the request's `new`, in order.
    new_args: Vec<String>,
    /// Some flag is applied with a setter after `new`.
    has_setters: bool,
    /// A flag names a LaML file.
    uses_laml: bool,
}

/// One flag (or the positional SID of the path).
#[derive(Serialize)]
struct Flag {
    /// The field, named as core's setter.
    field: String,
    /// Its help line.
    help: String,
    /// The contents of its `#[arg(...)]`.
    attrs: String,
    /// The field's type.
    ty: String,
    /// Statements that apply the field to `request` (empty for the arguments of `new`).
    apply: String,
}

fn command_of(op: &Op) -> Result<Command, String> {
    let mut flags = Vec::new();
    let mut new_args = Vec::new();
    for param in &op.path_params {
        flags.push(Flag {
            field: param.name.clone(),
            help: help_line(&param.doc, op, &[]),
            attrs: format!("value_name = {:?}", "SID"),
            ty: "String".to_owned(),
            apply: String::new(),
        });
        new_args.push(format!("self.{}", param.name));
    }
    for param in &op.params {
        let flag = flag_of(op, param)?;
        if param.required {
            new_args.push(required_value(param));
        }
        flags.push(flag);
    }
    let flag_of_wire = |wire: &String| -> Result<String, String> {
        op.params
            .iter()
            .find(|p| &p.wire == wire)
            .map(|p| format!("{:?}", p.name))
            .ok_or_else(|| format!("{}: a group names {wire}", op.type_name))
    };
    let mut groups = Vec::new();
    if !op.exactly_one_of.is_empty() {
        let ids: Vec<String> = op
            .exactly_one_of
            .iter()
            .map(flag_of_wire)
            .collect::<Result<_, _>>()?;
        groups.push(format!(
            "ArgGroup::new(\"exactly-one-of\").required(true).args([{}])",
            ids.join(", ")
        ));
    }
    for (index, group) in op.at_most_one_of.iter().enumerate() {
        let ids: Vec<String> = group.iter().map(flag_of_wire).collect::<Result<_, _>>()?;
        groups.push(format!(
            "ArgGroup::new(\"at-most-one-of-{index}\").multiple(false).args([{}])",
            ids.join(", ")
        ));
    }
    let has_setters = flags.iter().any(|f| !f.apply.is_empty());
    Ok(Command {
        type_name: op.type_name.clone(),
        args_name: format!("{}Args", op.type_name),
        verb: op.verb.to_snake_case(),
        groups,
        flags,
        new_args,
        has_setters,
        uses_laml: op.params.iter().any(|p| p.laml),
    })
}

/// The expression passed to `new` for a required parameter (text, a number or a secret: the
/// kinds [`flag_of`] accepts for one).
fn required_value(param: &Param) -> String {
    if param.kind == "secret" {
        format!("self.{}.expose()", param.name)
    } else if param.kind == "enum" {
        format!(
            "FromWire::from_wire({:?}, &self.{})?",
            param.wire, param.name
        )
    } else {
        format!("self.{}", param.name)
    }
}

fn flag_of(op: &Op, param: &Param) -> Result<Flag, String> {
    let name = &param.name;
    let wire = &param.wire;
    let mut attrs = vec![format!("long = {:?}", param.cli_flag)];
    // The placeholder: what the value is (`--to <NUMBER>`), else the flag's last word
    // (`--fallback-method <METHOD>`).
    let placeholder = value_name(param).map_or_else(
        || {
            param
                .cli_flag
                .rsplit('-')
                .next()
                .unwrap_or(&param.cli_flag)
                .to_uppercase()
        },
        str::to_owned,
    );
    if param.kind != "bool" {
        attrs.push(format!("value_name = {placeholder:?}"));
    }
    let mut notes = notes_of(param);
    let (ty, apply) = match param.kind.as_str() {
        _ if param.laml => {
            notes.insert(
                0,
                "a file, `-` reads stdin; checked before it is sent".to_owned(),
            );
            (
                "Option<PathBuf>",
                format!(
                    "if let Some(path) = self.{name} {{ request = request.{name}(&laml::load_for_sending(&path)?); }}"
                ),
            )
        }
        "text" => (
            "Option<String>",
            format!("if let Some(value) = self.{name} {{ request = request.{name}(value); }}"),
        ),
        "secret" => {
            notes.push("visible to other users of this machine while the command runs".to_owned());
            (
                "Option<Secret>",
                format!(
                    "if let Some(value) = self.{name} {{ request = request.{name}(value.expose()); }}"
                ),
            )
        }
        "int" => (
            "Option<u32>",
            format!("if let Some(value) = self.{name} {{ request = request.{name}(value); }}"),
        ),
        "bool" => {
            if param.default.as_deref() == Some("true") {
                return Err(format!(
                    "{}: {wire} defaults to true, which a command-line switch cannot turn off",
                    op.type_name
                ));
            }
            (
                "bool",
                format!("if self.{name} {{ request = request.{name}(true); }}"),
            )
        }
        "day" => (
            "Option<String>",
            format!(
                "if let Some(text) = self.{name} {{ request = request.{name}(FromWire::from_wire({wire:?}, &text)?); }}"
            ),
        ),
        "enum" | "enum_list" => {
            if param.open_enum {
                notes.insert(
                    0,
                    format!(
                        "one of {}, or another value the server knows",
                        param.enum_values.join(", ")
                    ),
                );
            } else {
                attrs.push(format!(
                    "value_parser = PossibleValuesParser::new([{}])",
                    quoted(&param.enum_values)
                ));
                attrs.push("ignore_case = true".to_owned());
            }
            if param.kind == "enum" {
                (
                    "Option<String>",
                    format!(
                        "if let Some(text) = self.{name} {{ request = request.{name}(FromWire::from_wire({wire:?}, &text)?); }}"
                    ),
                )
            } else {
                attrs.push("value_delimiter = ','".to_owned());
                notes.insert(0, "repeat the flag or separate with commas".to_owned());
                (
                    "Vec<String>",
                    format!(
                        "for text in self.{name} {{ request = request.{name}(FromWire::from_wire({wire:?}, &text)?); }}"
                    ),
                )
            }
        }
        other => return Err(format!("{wire}: no flag for parameters of kind {other}")),
    };
    let (ty, apply) = if param.required {
        // Required values go to `new`; the field holds the text as given.
        if !matches!(param.kind.as_str(), "text" | "int" | "secret" | "enum") || param.laml {
            return Err(format!(
                "{}: required {wire} of kind {} has no flag form",
                op.type_name, param.kind
            ));
        }
        (
            ty.trim_start_matches("Option<").trim_end_matches('>'),
            String::new(),
        )
    } else {
        (ty, apply)
    };
    Ok(Flag {
        field: name.clone(),
        help: help_line(&param.doc, op, &notes),
        attrs: attrs.join(", "),
        ty: ty.to_owned(),
        apply,
    })
}

/// The placeholder of a value in the help, for the values the description says what they are.
fn value_name(param: &Param) -> Option<&'static str> {
    if param.laml {
        Some("FILE")
    } else if param.kind == "int" {
        Some("N")
    } else if param.kind == "day" {
        Some("DAY")
    } else if param.endpoint {
        Some("NUMBER")
    } else if param.absolute_url {
        Some("URL")
    } else if param.sid {
        Some("SID")
    } else {
        None
    }
}

/// The rules of `param` a user needs before typing a value, and its server default, in words.
fn notes_of(param: &Param) -> Vec<String> {
    let mut notes = Vec::new();
    let mut max_length = None;
    for rule in rules::of_param(param) {
        match rule {
            Rule::MaxLength(max) => max_length = Some(max),
            Rule::Charset(_, described) => notes.push(match max_length.take() {
                Some(max) => format!("up to {max} of {described}"),
                None => format!("only {described}"),
            }),
            Rule::Endpoint => {
                notes.push("E.164 (+491234567890), sip:URI or client:NAME".to_owned());
            }
            Rule::E164 => notes.push("E.164 (+14155550100)".to_owned()),
            Rule::AbsoluteUrl => notes.push("an absolute http(s) URL".to_owned()),
            Rule::Range(min, max) => notes.push(format!("{min}-{max}")),
            Rule::AtLeast(min) => notes.push(format!("at least {min}")),
            Rule::Day => notes.push("YYYY-MM-DD".to_owned()),
            _ => {}
        }
    }
    if let Some(max) = max_length.filter(|_| !param.laml) {
        notes.push(format!("up to {max} characters"));
    }
    // A switch is off unless given: its default goes without saying.
    if let Some(default) = param.default.as_ref().filter(|_| param.kind != "bool") {
        notes.push(format!("server default: {default}"));
    }
    notes
}

/// One line of help: the description's text with the operation's parameters named by their
/// flags (`` `Url` `` → `--url`), without its final period, then the notes in brackets.
fn help_line(doc: &str, op: &Op, notes: &[String]) -> String {
    let mut line = doc.split_whitespace().collect::<Vec<_>>().join(" ");
    for param in &op.params {
        line = line.replace(
            &format!("`{}`", param.wire),
            &format!("--{}", param.cli_flag),
        );
    }
    let mut line = line.trim_end_matches('.').to_owned();
    if !notes.is_empty() {
        line = format!("{line} [{}]", notes.join("; "));
    }
    line
}

fn quoted(values: &[String]) -> String {
    values
        .iter()
        .map(|v| format!("{v:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}
