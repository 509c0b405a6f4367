//! The command line's resource commands: for each resource a clap `Subcommand` with one command
//! per operation (and per shortcut), each turned into core's request and checked before any
//! client exists, then sent and printed through `crates/mycpaas-cli`'s `resource` module; for
//! each operation with parameters, a clap `Args` struct with one flag per parameter of the
//! description (its help from the parameter's description and rules); and for each resource
//! model, its view (the columns and fields printed). What a resource adds by hand (`calls
//! wait`) wraps the generated commands.

use heck::{ToKebabCase, ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
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

/// The resources whose commands a hand-written enum of `crates/mycpaas-cli` extends, and that
/// enum (it flattens the generated `Command` and adds its own).
const EXTENDED: &[(&str, &str)] = &[
    ("calls", "crate::calls::CallsCommand"),
    ("recordings", "crate::recordings::RecordingsCommand"),
];

/// One command of a resource.
#[derive(Serialize)]
struct Subcommand {
    /// `Get`, `ListForCall`, `Hangup`.
    variant: String,
    doc: String,
    /// `args` (the operation's flags struct), `list` (the flags and `--limit`) or `path` (the
    /// path's SIDs as positional arguments).
    kind: &'static str,
    /// The flags struct (`CreateCallArgs`, `ListCallsCommand`).
    args: String,
    /// The positional SIDs of a `path` command: `(field, help, value name when several)`.
    positional: Vec<(String, String, Option<String>)>,
    /// The request's expression, over the positional fields (`FetchCall::new(sid)`).
    request: String,
    request_type: String,
    /// `one` (print the model), `deleted` (print the SID) or `list`.
    prints: &'static str,
    /// The prepared request's variant: the operation's (a shortcut's is its operation's).
    prepared: String,
    /// A shortcut of another command's operation (it has no prepared variant of its own).
    shortcut: bool,
    /// The view constant of the printed model (`CALL`).
    view: String,
    /// For a `deleted` command, the request's field holding the SID it names (the path's last).
    deleted: String,
}

/// A resource's list command: the operation's flags and `--limit`.
#[derive(Serialize)]
struct ListCommand {
    name: String,
    args: String,
    noun: String,
}

/// What the command line shows of a model.
#[derive(Serialize)]
struct ViewOf {
    constant: String,
    plural: String,
    singular: String,
    /// `(header, field, width)`.
    columns: Vec<(String, String, u32)>,
    fields: Vec<String>,
}

pub fn generate(api: &Api, env: &Environment<'_>, out: &mut Output) -> Result<(), String> {
    let mut modules = Vec::new();
    let mut control_modules = Vec::new();
    for resource in &api.resources {
        let mut commands = Vec::new();
        let mut types = Vec::new();
        let mut enums = Vec::new();
        let mut subcommands = Vec::new();
        let mut lists = Vec::new();
        for op in &resource.operations {
            types.push(op.type_name.clone());
            subcommands.extend(subcommands_of(api, op, &mut enums, &mut lists)?);
            if op.location != "none" {
                commands.push(command_of(op)?);
            }
        }
        enums.sort();
        enums.dedup();
        let mut views: Vec<String> = subcommands
            .iter()
            .filter(|s| s.prints != "deleted" && s.prints != "nothing")
            .map(|s| s.view.clone())
            .collect();
        views.sort();
        views.dedup();
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
                command: if resource.root {
                    "sim".to_owned()
                } else {
                    resource.name.to_kebab_case()
                },
                types,
                enums,
                views,
                commands,
                subcommands,
                lists,
                examples: examples_of(resource),
                uses,
                connected: resource.root,
            },
        )?;
        if resource.root {
            // The simulator's control routes are `mycpaas sim <command>`, not a resource of
            // the platform: `crate::sim` runs them.
            control_modules.push(resource.name.clone());
            continue;
        }
        let extended = EXTENDED
            .iter()
            .find(|(name, _)| *name == resource.name)
            .map(|(_, command)| (*command).to_owned());
        modules.push(Module {
            name: resource.name.clone(),
            type_name: resource.type_name.clone(),
            doc: resource.doc.trim_end_matches('.').to_owned(),
            command: extended.unwrap_or_else(|| format!("{}::Command", resource.name)),
        });
    }
    let views = api
        .models
        .iter()
        .filter(|m| m.is_identified() || answers_a_root_operation(api, &m.name))
        .map(view_of)
        .collect();
    out.rust(
        format!("{DIR}/mod.rs"),
        env,
        "cli_mod.rs",
        ModView {
            modules,
            control_modules,
            views,
        },
    )
}

#[derive(Serialize)]
struct ModView {
    modules: Vec<Module>,
    /// The modules of root resources: the simulator's control commands (`mycpaas sim ...`).
    control_modules: Vec<String>,
    views: Vec<ViewOf>,
}

#[derive(Serialize)]
struct Module {
    name: String,
    type_name: String,
    /// The resource's help line (its tag's description).
    doc: String,
    /// The type of its commands.
    command: String,
}

#[derive(Serialize)]
struct ResourceView {
    resource: String,
    /// The resource's command (`incoming-phone-numbers`).
    command: String,
    /// Core's request types the commands build.
    types: Vec<String>,
    /// The enumerations shortcuts set.
    enums: Vec<String>,
    /// The views the commands print with.
    views: Vec<String>,
    commands: Vec<Command>,
    subcommands: Vec<Subcommand>,
    lists: Vec<ListCommand>,
    /// Example command lines, from the description's examples.
    examples: Vec<String>,
    uses: Uses,
    /// The commands of a root resource (the simulator's control routes, `mycpaas sim
    /// <command>`): each carries its own connection flags and output format.
    connected: bool,
}

/// `model` is what an operation at a server's root answers (the simulator's `SimTimeline`).
fn answers_a_root_operation(api: &Api, model: &str) -> bool {
    api.resources
        .iter()
        .filter(|r| r.root)
        .flat_map(|r| &r.operations)
        .any(|op| op.output.as_deref() == Some(model))
}

/// The commands of `op`: its own, then one per shortcut.
fn subcommands_of(
    api: &Api,
    op: &Op,
    enums: &mut Vec<String>,
    lists: &mut Vec<ListCommand>,
) -> Result<Vec<Subcommand>, String> {
    let model = op.item.as_ref().or(op.output.as_ref());
    let view = model.map_or_else(String::new, |m| m.to_shouty_snake_case());
    let prints = match (&op.item, &op.output) {
        (Some(_), _) => "list",
        (None, Some(_)) => "one",
        // A control route's empty answer (input queued, faults cleared) prints nothing.
        (None, None) if op.root => "nothing",
        (None, None) => "deleted",
    };
    let deleted = op
        .path_params
        .last()
        .map(|p| p.name.clone())
        .unwrap_or_default();
    if prints == "deleted" && deleted.is_empty() {
        return Err(format!(
            "{}: a command answered with nothing needs a SID in its path",
            op.type_name
        ));
    }
    if let Some(model) = model
        && !api
            .models
            .iter()
            .any(|m| &m.name == model && (m.is_identified() || op.root))
    {
        return Err(format!("{}: {model} is not a resource model", op.type_name));
    }
    let variant = match op.verb.as_str() {
        "fetch" if !op.root => "Get".to_owned(),
        verb => verb.to_upper_camel_case(),
    };
    let doc = match (prints, op.summary.strip_prefix("One page of ")) {
        ("list", Some(rest)) => format!("List {}, every page up to --limit", first_sentence(rest)),
        _ => first_sentence(&op.summary),
    };
    let positional: Vec<(String, String, Option<String>)> = op
        .path_params
        .iter()
        .map(|p| {
            (
                p.name.clone(),
                p.doc.trim_end_matches('.').to_owned(),
                several_sids(op).then(|| p.wire.to_shouty_snake_case()),
            )
        })
        .collect();
    let path_args = op
        .path_params
        .iter()
        .map(|p| p.name.clone())
        .collect::<Vec<_>>();
    let mut subcommands = Vec::new();
    let (kind, args) = match (op.location.as_str(), prints) {
        ("none", _) => ("path", String::new()),
        (_, "list") => {
            let name = format!("{}Command", op.type_name);
            lists.push(ListCommand {
                name: name.clone(),
                args: format!("{}Args", op.type_name),
                noun: model.map_or_else(String::new, |m| m.to_snake_case().replace('_', " ")),
            });
            ("list", name)
        }
        _ => ("args", format!("{}Args", op.type_name)),
    };
    subcommands.push(Subcommand {
        prepared: variant.clone(),
        shortcut: false,
        variant: variant.clone(),
        doc,
        kind,
        args,
        positional: positional.clone(),
        request: format!("{}::new({})", op.type_name, path_args.join(", ")),
        request_type: op.type_name.clone(),
        prints,
        view: view.clone(),
        deleted: deleted.clone(),
    });
    for shortcut in &op.shortcuts {
        for (param, _) in &shortcut.set {
            enums.extend(param.enum_name.clone());
        }
        subcommands.push(Subcommand {
            prepared: variant.clone(),
            shortcut: true,
            variant: shortcut.name.to_upper_camel_case(),
            doc: first_sentence(&shortcut.summary),
            kind: "path",
            args: String::new(),
            positional: positional.clone(),
            request: shortcut.request(op),
            request_type: op.type_name.clone(),
            prints,
            view: view.clone(),
            deleted: deleted.clone(),
        });
    }
    Ok(subcommands)
}

/// The command of an operation's verb: `get` for `fetch`, `list-for-call` for `list_for_call`.
pub fn command_name(verb: &str) -> String {
    match verb {
        "fetch" => "get".to_owned(),
        verb => verb.to_kebab_case(),
    }
}

/// The command of an operation: [`command_name`], or a root operation's verb as it is.
pub fn command_of_op(op: &Op) -> String {
    if op.root {
        op.verb.to_kebab_case()
    } else {
        command_name(&op.verb)
    }
}

/// A summary as a help line: its first sentence, without the full stop.
fn first_sentence(summary: &str) -> String {
    let sentence = summary.split(". ").next().unwrap_or_default();
    sentence.trim_end_matches('.').to_owned()
}

/// `mycpaas recordings get RE0123...`, one per operation whose required values and path have
/// examples in the description.
fn examples_of(resource: &crate::api::Resource) -> Vec<String> {
    // The simulator's control routes are `mycpaas sim <command>`.
    let command = if resource.root {
        "sim".to_owned()
    } else {
        resource.name.to_kebab_case()
    };
    let mut lines = Vec::new();
    for op in &resource.operations {
        let verb = command_of_op(op);
        let mut words = vec![format!("mycpaas {command} {verb}")];
        let mut complete = true;
        for param in &op.path_params {
            match &param.example {
                Some(example) => words.push(example.clone()),
                None => complete = false,
            }
        }
        let wanted = op
            .params
            .iter()
            .filter(|p| p.required || op.exactly_one_of.first() == Some(&p.wire));
        for param in wanted {
            match &param.example {
                Some(example) if !param.laml => {
                    words.push(format!("--{} {}", param.cli_flag, shell_word(example)));
                }
                _ => complete = false,
            }
        }
        if complete {
            lines.push(words.join(" "));
        }
    }
    lines
}

/// `example` as one shell word.
fn shell_word(example: &str) -> String {
    if example
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "+-_./:@".contains(c))
    {
        example.to_owned()
    } else {
        format!("'{}'", example.replace('\'', "'\\''"))
    }
}

/// The view of a resource model: its columns from the description, then every scalar field.
fn view_of(model: &crate::api::Model) -> ViewOf {
    let columns = model
        .cli_columns
        .iter()
        .map(|(field, width)| {
            let header = field
                .strip_prefix("date_")
                .unwrap_or(field)
                .replace('_', " ")
                .to_uppercase();
            (header, field.clone(), *width)
        })
        .collect();
    let mut fields: Vec<String> = model.cli_columns.iter().map(|(f, _)| f.clone()).collect();
    for field in &model.fields {
        if !matches!(field.kind.as_str(), "map" | "list") && !fields.contains(&field.wire) {
            fields.push(field.wire.clone());
        }
    }
    let singular = model.name.to_snake_case().replace('_', " ");
    ViewOf {
        constant: model.name.to_shouty_snake_case(),
        plural: format!("{singular}s"),
        singular,
        columns,
        fields,
    }
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
    /// Reading a flag can fail (an enumeration, a day, a LaML file).
    fallible: bool,
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

/// Whether an operation's path has several SIDs: the command line then tells its positional
/// arguments apart by their names (`<CONFERENCE_SID> <CALL_SID>`), not all `<SID>`.
fn several_sids(op: &Op) -> bool {
    op.path_params.len() > 1
}

fn command_of(op: &Op) -> Result<Command, String> {
    let mut flags = Vec::new();
    let mut new_args = Vec::new();
    for param in &op.path_params {
        let value_name = if several_sids(op) {
            param.wire.to_shouty_snake_case()
        } else {
            "SID".to_owned()
        };
        flags.push(Flag {
            field: param.name.clone(),
            help: help_line(&param.doc, op, &[]),
            attrs: format!("value_name = {value_name:?}"),
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
    let fallible = op.params.iter().any(|p| p.laml)
        || flags.iter().any(|f| f.apply.contains('?'))
        || new_args.iter().any(|a| a.contains('?'));
    Ok(Command {
        type_name: op.type_name.clone(),
        args_name: format!("{}Args", op.type_name),
        verb: op.verb.to_snake_case(),
        groups,
        flags,
        new_args,
        has_setters,
        uses_laml: op.params.iter().any(|p| p.laml),
        fallible,
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
        // A switch only when leaving it out means `false`; otherwise (`Muted` of an update,
        // where `false` unmutes, or a default of `true`) the flag takes `true` or `false`.
        "bool" if param.default.as_deref() == Some("false") => (
            "bool",
            format!("if self.{name} {{ request = request.{name}(true); }}"),
        ),
        "bool" => {
            attrs.push("value_name = \"BOOL\"".to_owned());
            (
                "Option<bool>",
                format!("if let Some(value) = self.{name} {{ request = request.{name}(value); }}"),
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
    // A switch is off unless given: its default goes without saying; a LaML file's default is a
    // document, not a value to type.
    if let Some(default) = param
        .default
        .as_ref()
        .filter(|_| param.kind != "bool" && !param.laml)
    {
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
