//! The core crate's generated files: enums, models, and one module per resource with its
//! operations' parameter structs (setters, validation, encoding, decoding on the server side).

use heck::{ToShoutySnakeCase, ToUpperCamelCase};
use serde::Serialize;

use crate::api::{Api, GENERIC_ERROR_CODE, Model, Op, Param, Resource};
use minijinja::Environment;

use crate::Output;
use crate::render;

pub const TEMPLATES: render::Templates = &[
    (
        "core_enums.rs",
        include_str!("../templates/core_enums.rs.jinja"),
    ),
    (
        "core_models.rs",
        include_str!("../templates/core_models.rs.jinja"),
    ),
    (
        "core_resource.rs",
        include_str!("../templates/core_resource.rs.jinja"),
    ),
    (
        "core_mod.rs",
        include_str!("../templates/core_mod.rs.jinja"),
    ),
];

pub fn generate(api: &Api, env: &Environment<'_>, out: &mut Output) -> Result<(), String> {
    let dir = "crates/mycpaas-core/src/generated";
    out.rust(format!("{dir}/enums.rs"), env, "core_enums.rs", api)?;
    out.rust(
        format!("{dir}/models.rs"),
        env,
        "core_models.rs",
        models(api),
    )?;
    for resource in &api.resources {
        let path = format!("{dir}/{}.rs", resource.name);
        let view = ResourceView::of(resource, api);
        out.rust(path, env, "core_resource.rs", view)?;
    }
    out.rust(format!("{dir}/mod.rs"), env, "core_mod.rs", api)?;
    Ok(())
}

#[derive(Serialize)]
struct ModelsView<'a> {
    models: Vec<ModelView<'a>>,
    /// The enums the models use.
    enums: Vec<&'a str>,
}

#[derive(Serialize)]
struct ModelView<'a> {
    name: &'a str,
    doc: &'a str,
    /// A resource with a required `sid`, read through `Identified` (not a list page).
    identified: bool,
    /// The Rust field of the member that identifies it, and that member's wire name.
    key: &'a str,
    key_wire: &'a str,
    /// For a list page, the resource its items are (`Call`): the page is generic over them.
    item: Option<&'a str>,
    /// For a list page, the Rust field holding its items (`calls`).
    items_field: Option<&'a str>,
    /// The answer of an operation: it carries what happened to the request (`response`).
    responds: bool,
    fields: Vec<FieldView<'a>>,
}

#[derive(Serialize)]
struct FieldView<'a> {
    name: &'a str,
    wire: &'a str,
    doc: &'a str,
    ty: String,
    serde: Vec<String>,
}

fn models(api: &Api) -> ModelsView<'_> {
    let models = api
        .models
        .iter()
        .map(|model| ModelView {
            name: &model.name,
            doc: &model.doc,
            identified: model.is_identified(),
            key: model
                .fields
                .iter()
                .find(|f| f.wire == model.key)
                .map_or("sid", |f| f.name.as_str()),
            key_wire: &model.key,
            responds: api
                .resources
                .iter()
                .flat_map(|r| &r.operations)
                .any(|op| op.output.as_ref() == Some(&model.name)),
            item: page_item(model),
            items_field: model
                .items
                .as_ref()
                .and_then(|items| model.fields.iter().find(|f| &f.wire == items))
                .map(|f| f.name.as_str()),
            fields: model
                .fields
                .iter()
                .map(|field| {
                    let target = field.target.as_deref().unwrap_or_default();
                    let (ty, mut serde) = match field.kind.as_str() {
                        "text" if field.required => ("String".to_owned(), vec![]),
                        "text" => ("Option<String>".to_owned(), vec![]),
                        "enum" => (format!("Option<{target}>"), vec![]),
                        "list" if model.items.as_ref() == Some(&field.wire) => {
                            ("Vec<C>".to_owned(), vec!["default".to_owned()])
                        }
                        "list" => (format!("Vec<{target}>"), vec!["default".to_owned()]),
                        "map" => (
                            "Option<serde_json::Map<String, serde_json::Value>>".to_owned(),
                            vec![],
                        ),
                        "date" => (
                            "Option<OffsetDateTime>".to_owned(),
                            vec!["default".to_owned(), r#"with = "wire::date""#.to_owned()],
                        ),
                        "count" if field.written_as_text => (
                            "Option<u64>".to_owned(),
                            vec![
                                "default".to_owned(),
                                r#"with = "wire::number_as_string""#.to_owned(),
                            ],
                        ),
                        "count" => (
                            "Option<u64>".to_owned(),
                            vec!["default".to_owned(), r#"with = "wire::number""#.to_owned()],
                        ),
                        "integer" => ("Option<i64>".to_owned(), vec![]),
                        "number" => ("Option<f64>".to_owned(), vec![]),
                        "boolean" => ("Option<bool>".to_owned(), vec![]),
                        "decimal" => (
                            "Option<String>".to_owned(),
                            vec![
                                "default".to_owned(),
                                r#"deserialize_with = "wire::decimal_text::deserialize""#
                                    .to_owned(),
                            ],
                        ),
                        other => unreachable!("field kind {other}"),
                    };
                    if !field.required && !field.nullable && ty.starts_with("Option<") {
                        serde.push(r#"skip_serializing_if = "Option::is_none""#.to_owned());
                    }
                    if field.name != field.wire {
                        serde.push(format!("rename = {:?}", field.wire));
                    }
                    FieldView {
                        name: &field.name,
                        wire: &field.wire,
                        doc: &field.doc,
                        ty,
                        serde,
                    }
                })
                .collect(),
        })
        .collect();
    let mut enums: Vec<&str> = api
        .models
        .iter()
        .flat_map(|m| &m.fields)
        .filter(|f| f.kind == "enum")
        .filter_map(|f| f.target.as_deref())
        .collect();
    enums.sort_unstable();
    enums.dedup();
    ModelsView { models, enums }
}

/// The resource a list page holds, named by its items member.
fn page_item(model: &Model) -> Option<&str> {
    let items = model.items.as_ref()?;
    model
        .fields
        .iter()
        .find(|f| &f.wire == items)
        .and_then(|f| f.target.as_deref())
}

#[derive(Serialize)]
struct ResourceView<'a> {
    name: &'a str,
    type_name: &'a str,
    /// An operation can be reconciled (its `MaybeCreated` carries a `CreateAttempt`).
    creates: bool,
    /// An operation is a list (it implements `ListOperation`).
    lists: bool,
    /// An operation creates (its failures are reported as "may have been created").
    any_creates: bool,
    /// Served at a server's root: paths without the version prefix and the account.
    root: bool,
    uses: Vec<String>,
    operations: Vec<OpView<'a>>,
}

#[derive(Serialize)]
struct OpView<'a> {
    op: &'a Op,
    derives: String,
    fields: Vec<FieldDecl>,
    new_args: Vec<String>,
    new_fields: Vec<String>,
    blank_fields: Vec<String>,
    setters: Vec<Setter>,
    checks: Vec<String>,
    encode: Vec<String>,
    decode: Vec<String>,
    error_codes: Vec<(String, String)>,
    defaults: Vec<DefaultConst>,
    path_args: String,
    /// The expression of the request's path (below the configured base URL).
    path: String,
    /// The output is a resource read through `Identified` (its SID kept despite odd members).
    identified: bool,
    output: String,
    required_docs: String,
    /// The `PageSize` maximum of a list operation.
    max_page_size: Option<u64>,
}

#[derive(Serialize)]
struct FieldDecl {
    name: String,
    ty: String,
    doc: String,
}

/// `pub const DEFAULT_TIMEOUT: u32 = 60;`: a server's default as a constant a server uses.
#[derive(Serialize)]
struct DefaultConst {
    name: String,
    ty: String,
    value: String,
    wire: String,
}

#[derive(Serialize)]
struct Setter {
    name: String,
    doc: String,
    arg: String,
    body: String,
}

impl<'a> ResourceView<'a> {
    fn of(resource: &'a Resource, api: &Api) -> Self {
        let mut uses: Vec<String> = Vec::new();
        let operations = resource
            .operations
            .iter()
            .map(|op| {
                for param in &op.params {
                    if let Some(name) = &param.enum_name {
                        uses.push(format!("crate::generated::enums::{name}"));
                    }
                    match param.kind.as_str() {
                        "day" => uses.push("time::Date".to_owned()),
                        "secret" => uses.push("crate::ops::form::SecretText".to_owned()),
                        _ => {}
                    }
                }
                if let Some(model) = &op.output {
                    uses.push(format!("crate::generated::models::{model}"));
                }
                let identified = api
                    .models
                    .iter()
                    .any(|m| Some(&m.name) == op.output.as_ref() && m.is_identified());
                OpView::of(op, identified)
            })
            .collect();
        uses.sort();
        uses.dedup();
        ResourceView {
            name: &resource.name,
            type_name: &resource.type_name,
            creates: resource.operations.iter().any(|op| op.reconcile),
            lists: resource.operations.iter().any(|op| op.item.is_some()),
            any_creates: resource.operations.iter().any(|op| op.creates),
            root: resource.root,
            uses,
            operations,
        }
    }
}

/// A required enumeration is held as an `Option` (set by `new`), so that a server can read a
/// request that lacks it and answer with the parameter's "missing" code.
fn held_as_option(param: &Param) -> bool {
    !param.required || param.kind == "enum"
}

fn field_type(param: &Param) -> String {
    let inner = match param.kind.as_str() {
        "text" => "String".to_owned(),
        "secret" => "SecretText".to_owned(),
        "enum" => param.enum_name.clone().unwrap_or_default(),
        "enum_list" => return format!("Vec<{}>", param.enum_name.as_deref().unwrap_or_default()),
        "int" => "u32".to_owned(),
        "bool" => "bool".to_owned(),
        "day" => "Date".to_owned(),
        other => unreachable!("parameter kind {other}"),
    };
    if held_as_option(param) {
        format!("Option<{inner}>")
    } else {
        inner
    }
}

fn wire_doc(param: &Param) -> String {
    let text = param.doc.trim_end();
    match &param.default {
        Some(default) => format!(
            "`{}`: {}; the server's default is `{default}`.",
            param.wire,
            text.trim_end_matches('.')
        ),
        None => format!("`{}`: {text}", param.wire),
    }
}

/// The statements that check one parameter, against `value` (a `&str` or `u32`).
fn rules(param: &Param) -> Vec<String> {
    let wire = &param.wire;
    let mut rules = Vec::new();
    if param.min_length == Some(1) {
        rules.push(format!("validate::not_empty({wire:?}, value)?;"));
    }
    if param.laml {
        rules.push(format!("validate::laml({wire:?}, value)?;"));
    }
    if let Some(max) = param.max_length {
        rules.push(format!("validate::max_chars({wire:?}, value, {max})?;"));
    }
    if let Some((arms, described)) = &param.charset {
        rules.push(format!(
            "validate::charset({wire:?}, value, |c| matches!(c, {arms}), {described:?})?;"
        ));
    }
    if param.endpoint {
        rules.push(format!("validate::endpoint({wire:?}, value)?;"));
    }
    if param.e164 {
        rules.push(format!("validate::e164({wire:?}, value)?;"));
    }
    if param.absolute_url {
        rules.push(format!("validate::absolute_url({wire:?}, value)?;"));
    }
    if param.sid {
        rules.push(format!("check_sid({wire:?}, value)?;"));
    }
    if param.single_line {
        rules.push(format!("validate::single_line({wire:?}, value)?;"));
    }
    if param.kind == "int" {
        let min = param.minimum.unwrap_or(0);
        let max = param.maximum.unwrap_or(u64::from(u32::MAX));
        let (low, high) = (literal(min), literal(max));
        if max < u64::from(u32::MAX) {
            rules.push(format!(
                "validate::in_range({wire:?}, value, {low}, {high})?;"
            ));
        } else if min > 0 {
            rules.push(format!("validate::at_least({wire:?}, value, {low})?;"));
        }
    }
    rules
}

/// A number as a Rust literal, its digits grouped by three past four digits (`1_000_000`).
fn literal(number: u64) -> String {
    let digits = number.to_string();
    if digits.len() <= 5 {
        return digits;
    }
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('_');
        }
        out.push(digit);
    }
    out
}

impl<'a> OpView<'a> {
    fn of(op: &'a Op, identified: bool) -> Self {
        let all: Vec<&Param> = op.path_params.iter().chain(&op.params).collect();
        let has_secret = all.iter().any(|p| p.kind == "secret");
        let has_required = all.iter().any(|p| p.required);
        let mut derives = vec!["Debug", "Clone"];
        if !has_required {
            derives.push("Default");
        }
        if !has_secret {
            derives.extend(["PartialEq", "Eq"]);
        }
        let fields = all
            .iter()
            .map(|p| FieldDecl {
                name: p.name.clone(),
                ty: field_type(p),
                doc: wire_doc(p),
            })
            .collect();
        let required: Vec<&&Param> = all.iter().filter(|p| p.required).collect();
        let new_args = required
            .iter()
            .map(|p| match p.kind.as_str() {
                "enum" => format!("{}: {}", p.name, p.enum_name.as_deref().unwrap_or_default()),
                _ => format!("{}: impl Into<String>", p.name),
            })
            .collect();
        let new_fields = all
            .iter()
            .map(|p| {
                if p.required && held_as_option(p) {
                    format!("{}: Some({})", p.name, p.name)
                } else if p.required {
                    format!("{}: {}.into()", p.name, p.name)
                } else if p.kind == "enum_list" {
                    format!("{}: Vec::new()", p.name)
                } else {
                    format!("{}: None", p.name)
                }
            })
            .collect();
        // The request `from_form`/`from_query` fills in: path parameters given, the rest unset.
        let blank_fields = all
            .iter()
            .map(|p| {
                if op.path_params.iter().any(|path| path.name == p.name) {
                    format!("{0}: {0}.into()", p.name)
                } else if p.kind == "enum_list" {
                    format!("{}: Vec::new()", p.name)
                } else if held_as_option(p) {
                    format!("{}: None", p.name)
                } else if p.kind == "secret" {
                    format!("{}: SecretText::new(\"\")", p.name)
                } else {
                    format!("{}: String::new()", p.name)
                }
            })
            .collect();
        let mut setters = Vec::new();
        for p in op.params.iter().filter(|p| !p.required) {
            let name = &p.name;
            let (arg, body) = match p.kind.as_str() {
                "text" => (
                    "value: impl Into<String>".to_owned(),
                    format!("self.{name} = Some(value.into());"),
                ),
                "secret" => (
                    "value: impl Into<String>".to_owned(),
                    format!("self.{name} = Some(SecretText::new(value));"),
                ),
                "enum_list" => {
                    let ty = p.enum_name.as_deref().unwrap_or_default();
                    setters.push(Setter {
                        name: format!("{name}s"),
                        doc: format!("Adds several `{}` values.", p.wire),
                        arg: format!("values: impl IntoIterator<Item = {ty}>"),
                        body: format!("for value in values {{ self = self.{name}(value); }}"),
                    });
                    (
                        format!("value: {ty}"),
                        format!("if !self.{name}.contains(&value) {{ self.{name}.push(value); }}"),
                    )
                }
                _ => (
                    format!(
                        "value: {}",
                        field_type(p)
                            .trim_start_matches("Option<")
                            .trim_end_matches('>')
                    ),
                    format!("self.{name} = Some(value);"),
                ),
            };
            let doc = if p.kind == "enum_list" {
                format!(
                    "{} Adds one value; a value already added is ignored.",
                    wire_doc(p)
                )
            } else {
                wire_doc(p)
            };
            let at = setters
                .len()
                .saturating_sub(usize::from(p.kind == "enum_list"));
            setters.insert(
                at,
                Setter {
                    name: name.clone(),
                    doc,
                    arg,
                    body,
                },
            );
        }

        // Checks: path parameters and required values first, then the group rules, then each
        // parameter's own rules, in the description's order.
        let mut checks = Vec::new();
        for p in all.iter().filter(|p| p.required) {
            if held_as_option(p) {
                checks.push(format!(
                    "validate::present({:?}, self.{}.is_some())?;",
                    p.wire, p.name
                ));
            } else if !p.sid {
                checks.push(format!(
                    "validate::required({:?}, &self.{})?;",
                    p.wire, p.name
                ));
            }
        }
        if !op.exactly_one_of.is_empty() {
            checks.push(format!(
                "validate::exactly_one_of(&[{}])?;",
                set_list(op, &op.exactly_one_of)
            ));
        }
        for group in &op.at_most_one_of {
            checks.push(format!(
                "validate::at_most_one_of(&[{}])?;",
                set_list(op, group)
            ));
        }
        for p in &all {
            let rules = rules(p);
            if rules.is_empty() {
                continue;
            }
            let body = rules.join("\n");
            let access = if p.kind == "int" { "" } else { "&" };
            let check = if p.required {
                format!("{{ let value = {access}self.{}; {body} }}", p.name)
            } else if p.kind == "secret" {
                format!(
                    "if let Some(secret) = &self.{} {{ let value = secret.expose_secret(); {body} }}",
                    p.name
                )
            } else if p.kind == "int" {
                format!("if let Some(value) = self.{} {{ {body} }}", p.name)
            } else {
                format!("if let Some(value) = &self.{} {{ {body} }}", p.name)
            };
            checks.push(check);
        }
        if op.min_properties > 0 {
            let names: Vec<String> = op.params.iter().map(|p| format!("{:?}", p.wire)).collect();
            let pairs = if op.location == "query" {
                "query_pairs"
            } else {
                "form_pairs"
            };
            checks.push(format!(
                "validate::some_parameter(&self.{pairs}(), &[{}])?;",
                names.join(", ")
            ));
        }

        let encode = op
            .params
            .iter()
            .map(|p| match (p.required, p.kind.as_str()) {
                (_, "enum_list") => format!("params.add_each({:?}, &self.{});", p.wire, p.name),
                (true, _) if !held_as_option(p) => {
                    format!("params.add({:?}, &self.{});", p.wire, p.name)
                }
                _ => format!("params.add_opt({:?}, self.{}.as_ref());", p.wire, p.name),
            })
            .collect();
        let decode = op
            .params
            .iter()
            .map(|p| {
                let wire = &p.wire;
                match (p.required, p.kind.as_str()) {
                    (_, "enum_list") => format!(
                        "{wire:?} => for word in value.split_whitespace() {{ let item = FromWire::from_wire({wire:?}, word)?; if !request.{0}.contains(&item) {{ request.{0}.push(item); }} }}",
                        p.name
                    ),
                    (true, _) if !held_as_option(p) => format!("{wire:?} => {{ request.{} = FromWire::from_wire({wire:?}, value)?; }}", p.name),
                    _ => format!("{wire:?} => {{ request.{} = Some(FromWire::from_wire({wire:?}, value)?); }}", p.name),
                }
            })
            .collect();
        // Arms: each "missing" code, then one arm per refusal code with every parameter that has it.
        let mut error_codes: Vec<(String, String)> = all
            .iter()
            .filter_map(|p| {
                p.missing_error_code
                    .map(|code| (format!("({:?}, true)", p.wire), code.to_string()))
            })
            .collect();
        let mut refused: Vec<(u32, Vec<String>)> = Vec::new();
        for p in all.iter().filter(|p| p.error_code != GENERIC_ERROR_CODE) {
            match refused.iter_mut().find(|(code, _)| *code == p.error_code) {
                Some((_, names)) => names.push(format!("{:?}", p.wire)),
                None => refused.push((p.error_code, vec![format!("{:?}", p.wire)])),
            }
        }
        error_codes.extend(
            refused
                .into_iter()
                .map(|(code, names)| (format!("({}, _)", names.join(" | ")), code.to_string())),
        );
        let path_args = op.path_params.iter().fold(String::new(), |args, p| {
            args + &format!(", encode_segment(&self.{})", p.name)
        });
        let path = if !op.root {
            format!(
                "format!(\"{{API_PREFIX}}{}\", encode_segment(config.account_sid()){path_args})",
                op.path_format
            )
        } else if path_args.is_empty() {
            format!("{:?}.to_owned()", op.path_format)
        } else {
            format!("format!({:?}{path_args})", op.path_format)
        };
        let defaults = op.params.iter().filter_map(default_const).collect();
        let output = op.output.clone().unwrap_or_else(|| "()".to_owned());
        let required_docs = required
            .iter()
            .map(|p| format!("`{}`", p.wire))
            .collect::<Vec<_>>()
            .join(" and ");
        OpView {
            op,
            derives: derives.join(", "),
            fields,
            new_args,
            new_fields,
            blank_fields,
            setters,
            checks,
            encode,
            decode,
            error_codes,
            defaults,
            path_args,
            path,
            identified,
            output,
            required_docs,
            max_page_size: op
                .items
                .as_ref()
                .and_then(|_| op.params.iter().find(|p| p.wire == "PageSize"))
                .and_then(|p| p.maximum),
        }
    }
}

/// The constant of a parameter's default, for the kinds a constant can hold.
fn default_const(param: &Param) -> Option<DefaultConst> {
    let default = param.default.as_ref()?;
    let (ty, value) = match param.kind.as_str() {
        "int" => ("u32".to_owned(), default.clone()),
        "bool" => ("bool".to_owned(), default.clone()),
        "text" => ("&'static str".to_owned(), format!("{default:?}")),
        "enum" => {
            let name = param.enum_name.clone()?;
            let value = format!("{name}::{}", default.to_upper_camel_case());
            (name, value)
        }
        _ => return None,
    };
    Some(DefaultConst {
        name: format!("DEFAULT_{}", param.name.to_shouty_snake_case()),
        ty,
        value,
        wire: param.wire.clone(),
    })
}

/// `("Url", self.url.is_some()), ...` for a group rule.
fn set_list(op: &Op, names: &[String]) -> String {
    names
        .iter()
        .map(|wire| {
            let param = op
                .params
                .iter()
                .find(|p| &p.wire == wire)
                .expect("checked in api");
            let test = if param.kind == "enum_list" {
                "!self.{}.is_empty()"
            } else {
                "self.{}.is_some()"
            };
            format!("({wire:?}, {})", test.replace("{}", &param.name))
        })
        .collect::<Vec<_>>()
        .join(", ")
}
