//! The description read into what the generators need: enums, models and resources with their
//! operations and parameters, names already chosen for each language, rules already resolved.
//!
//! Everything a target needs to know is decided here once, so the targets only print it.

use std::fmt::Write as _;

use heck::{ToKebabCase, ToSnakeCase, ToUpperCamelCase};
use serde::Serialize;

use crate::spec::{self, Schema, Spec};

/// The API as the generators see it.
#[derive(Debug, Serialize)]
pub struct Api {
    pub enums: Vec<Enum>,
    pub models: Vec<Model>,
    pub resources: Vec<Resource>,
}

/// A string enumeration (`CallStatus`).
#[derive(Debug, Serialize)]
pub struct Enum {
    pub name: String,
    pub doc: String,
    /// Servers may send values not listed (`Other(String)`).
    pub open: bool,
    pub variants: Vec<Variant>,
    /// The wire parameter named by a parse error of a closed enum.
    pub parameter: String,
}

#[derive(Debug, Serialize)]
pub struct Variant {
    pub name: String,
    pub wire: String,
    pub doc: String,
}

/// A JSON resource (`Call`, `CallPage`).
#[derive(Debug, Serialize)]
pub struct Model {
    pub name: String,
    pub doc: String,
    pub fields: Vec<Field>,
    /// The member holding the items, for a list page.
    pub items: Option<String>,
    /// The command line's list table: `(field, width)` (`x-mycpaas-cli-columns`).
    pub cli_columns: Vec<(String, u32)>,
    /// The member that identifies the resource (`x-mycpaas-key`; `sid` when not given).
    pub key: String,
}

impl Model {
    /// A resource the API identifies by a required text member, its key (not a list page): read
    /// through core's `Identified`, which keeps the key of an answer with an odd member.
    pub fn is_identified(&self) -> bool {
        self.items.is_none()
            && self
                .fields
                .iter()
                .any(|f| f.wire == self.key && f.required && f.kind == "text")
    }
}

#[derive(Debug, Serialize)]
pub struct Field {
    pub wire: String,
    pub name: String,
    pub doc: String,
    pub required: bool,
    /// `text`, `enum`, `date`, `count`, `decimal`, `map` or `list`.
    pub kind: String,
    /// The enum or model named by `enum` and `list` fields.
    pub target: Option<String>,
    /// `null` is one of its types: written as `null` when absent (otherwise left out).
    pub nullable: bool,
    /// A `count` whose first listed type is `string`: written as text.
    pub written_as_text: bool,
}

/// A resource and its operations (`Calls`).
#[derive(Debug, Serialize)]
pub struct Resource {
    /// `calls`
    pub name: String,
    /// `Calls`
    pub type_name: String,
    pub doc: String,
    pub operations: Vec<Op>,
    /// Served at a server's root by a path-level `servers` override (the simulator's control
    /// routes): no version prefix, no account in the path, and no method on the platform clients.
    pub root: bool,
}

/// One operation (`CreateCall`).
#[derive(Debug, Serialize)]
pub struct Op {
    /// `CreateCall`
    pub type_name: String,
    /// `create`: the method name on the resource.
    pub verb: String,
    pub http_method: String,
    pub summary: String,
    pub description: String,
    /// The path below the version prefix with `{}` for each path parameter, in order (for a
    /// root operation, the whole path: the account is not in it).
    pub path_format: String,
    /// Served at a server's root (see [`Resource::root`]).
    pub root: bool,
    /// The URL of the server of a root operation (`http://127.0.0.1:{port}`).
    pub server: Option<String>,
    /// Path parameters other than the account (`CallSid`).
    pub path_params: Vec<Param>,
    /// Query or form parameters.
    pub params: Vec<Param>,
    /// `query`, `form` or `none`.
    pub location: String,
    /// The model of a success, `None` for an empty answer (204).
    pub output: Option<String>,
    pub success_status: u16,
    pub creates: bool,
    /// A create whose possible result can be found by listing (`find_created`).
    pub reconcile: bool,
    /// The page's item member of a list operation.
    pub items: Option<String>,
    /// The resource a list operation's page holds (`Call`).
    pub item: Option<String>,
    pub exactly_one_of: Vec<String>,
    pub at_most_one_of: Vec<Vec<String>>,
    pub min_properties: u32,
    pub shortcuts: Vec<Shortcut>,
}

#[derive(Debug, Serialize)]
pub struct Shortcut {
    pub name: String,
    pub summary: String,
    /// `(parameter, enum variant)` pairs.
    pub set: Vec<(Param, String)>,
}

impl Shortcut {
    /// The request the shortcut sends, as a Rust expression over variables named after the
    /// operation's path parameters: `UpdateCall::new(sid).status(UpdateStatus::Canceled)`. A
    /// fixed parameter is an argument of `new` when it is required, else a setter.
    pub fn request(&self, op: &Op) -> String {
        let value = |param: &Param| {
            self.set
                .iter()
                .find(|(p, _)| p.wire == param.wire)
                .map(|(p, variant)| {
                    format!("{}::{variant}", p.enum_name.as_deref().unwrap_or_default())
                })
        };
        let mut args: Vec<String> = op.path_params.iter().map(|p| p.name.clone()).collect();
        for param in op.params.iter().filter(|p| p.required) {
            // `operation_of` refuses a shortcut that leaves a required value unset.
            args.push(value(param).unwrap_or_default());
        }
        let mut request = format!("{}::new({})", op.type_name, args.join(", "));
        for (param, _) in self.set.iter().filter(|(p, _)| !p.required) {
            let _ = write!(
                request,
                ".{}({})",
                param.name,
                value(param).unwrap_or_default()
            );
        }
        request
    }
}

/// One parameter of an operation.
#[derive(Debug, Clone, Serialize)]
pub struct Param {
    /// `StatusCallbackEvent`
    pub wire: String,
    /// `status_callback_event`: the Rust field and the Python keyword.
    pub name: String,
    /// The Python keyword (`from_` for `From`).
    pub py_name: String,
    pub doc: String,
    pub required: bool,
    /// `text`, `secret`, `enum`, `enum_list`, `int`, `bool` or `day`.
    pub kind: String,
    pub enum_name: Option<String>,
    pub enum_values: Vec<String>,
    /// The enum keeps values it does not list (`x-mycpaas-open-enum`): no value is refused.
    pub open_enum: bool,
    pub minimum: Option<u64>,
    pub maximum: Option<u64>,
    pub min_length: Option<u32>,
    pub max_length: Option<u32>,
    /// `(Rust pattern, description)` of the allowed characters, from `pattern: ^[...]+$`.
    pub charset: Option<(String, String)>,
    pub endpoint: bool,
    /// An E.164 number only.
    pub e164: bool,
    pub absolute_url: bool,
    pub sid: bool,
    pub single_line: bool,
    pub laml: bool,
    pub error_code: u32,
    pub missing_error_code: Option<u32>,
    /// The server's default, as wire text.
    pub default: Option<String>,
    /// A value for examples (the schema's first `examples` entry).
    pub example: Option<String>,
    /// The command line's flag, without its dashes (`x-mycpaas-cli-flag`, else the name in
    /// kebab case: `status-callback`).
    pub cli_flag: String,
}

/// The code servers answer for a refused parameter when the description names none.
pub const GENERIC_ERROR_CODE: u32 = 20001;

impl Api {
    /// The resources of the platform's API: what the clients have (not the simulator's routes).
    pub fn platform_resources(&self) -> impl Iterator<Item = &Resource> {
        self.resources.iter().filter(|r| !r.root)
    }

    pub fn from_spec(spec: &Spec) -> Result<Api, String> {
        let mut resources: Vec<Resource> = Vec::new();
        for (path, item) in &spec.paths {
            for (method, operation) in item.operations() {
                if operation.media.is_some() {
                    // Bytes, streamed by the SDKs' hand-written download.
                    continue;
                }
                let op = operation_of(spec, path, item, method, operation)?;
                let tag = operation
                    .tags
                    .first()
                    .ok_or_else(|| format!("{} has no tag", operation.id))?;
                let name = tag.to_snake_case();
                match resources.iter_mut().find(|r| r.name == name) {
                    Some(resource) if resource.root != op.root => {
                        return Err(format!(
                            "{}: a tag's paths are all at a server's root or none is",
                            operation.id
                        ));
                    }
                    Some(resource) => resource.operations.push(op),
                    None => resources.push(Resource {
                        root: op.root,
                        type_name: tag.to_upper_camel_case(),
                        doc: spec
                            .tags
                            .iter()
                            .find(|t| &t.name == tag)
                            .map(|t| t.description.clone())
                            .unwrap_or_default(),
                        name,
                        operations: vec![op],
                    }),
                }
            }
        }
        let mut enums = Vec::new();
        let mut models = Vec::new();
        for (name, schema) in &spec.components.schemas {
            if !schema.values.is_empty() {
                enums.push(enum_of(name, schema, &resources));
            } else if schema.has_type("object")
                && schema.additional_properties.is_some()
                && name != "Error"
            {
                models.push(model_of(spec, name, schema, &resources)?);
            }
        }
        Ok(Api {
            enums,
            models,
            resources,
        })
    }
}

fn enum_of(name: &str, schema: &Schema, resources: &[Resource]) -> Enum {
    let parameter = resources
        .iter()
        .flat_map(|r| &r.operations)
        .flat_map(|op| &op.params)
        .find(|p| p.enum_name.as_deref() == Some(name))
        .map_or_else(|| name.to_owned(), |p| p.wire.clone());
    Enum {
        name: name.to_owned(),
        doc: schema.description.clone(),
        open: schema.open_enum,
        variants: schema
            .values
            .iter()
            .enumerate()
            .map(|(i, wire)| Variant {
                name: wire.to_upper_camel_case(),
                wire: wire.clone(),
                doc: schema
                    .value_docs
                    .get(i)
                    .cloned()
                    .unwrap_or_else(|| format!("`{wire}`")),
            })
            .collect(),
        parameter,
    }
}

fn model_of(
    spec: &Spec,
    name: &str,
    schema: &Schema,
    resources: &[Resource],
) -> Result<Model, String> {
    let items = resources
        .iter()
        .flat_map(|r| &r.operations)
        .find(|op| op.output.as_deref() == Some(name))
        .and_then(|op| op.items.clone());
    let mut fields = Vec::new();
    for (wire, property) in &schema.properties {
        let target = property
            .items
            .as_deref()
            .and_then(Schema::ref_name)
            .or_else(|| property.target_name())
            .map(str::to_owned);
        let kind = match (property.wire.as_deref(), &target) {
            (Some("date"), _) => "date",
            (Some("count"), _) => "count",
            (Some("decimal"), _) => "decimal",
            (Some(other), _) => {
                return Err(format!("{name}.{wire}: unknown x-mycpaas-wire {other}"));
            }
            (None, Some(_)) if property.has_type("array") => "list",
            (None, Some(target)) => {
                spec.schema(target)?;
                "enum"
            }
            (None, None) if property.has_type("array") => {
                return Err(format!("{name}.{wire}: arrays need items with a $ref"));
            }
            (None, None) if property.has_type("object") => "map",
            (None, None) => scalar_kind(property)
                .ok_or_else(|| format!("{name}.{wire}: a field's type must be one of string, integer, number or boolean (and null), or say its x-mycpaas-wire"))?,
        };
        fields.push(Field {
            wire: wire.clone(),
            name: rust_ident(wire),
            doc: property.description.clone(),
            required: schema.required.contains(wire),
            kind: kind.to_owned(),
            target,
            nullable: property.has_type("null")
                || property.one_of.iter().any(|s| s.has_type("null")),
            written_as_text: property
                .types
                .as_ref()
                .is_some_and(|t| t.names().first() == Some(&"string")),
        });
    }
    for column in schema.cli_columns.keys() {
        if !fields.iter().any(|f| &f.wire == column) {
            return Err(format!("{name}: the column {column} is not a field"));
        }
    }
    Ok(Model {
        name: name.to_owned(),
        doc: schema.description.clone(),
        fields,
        items,
        cli_columns: schema
            .cli_columns
            .iter()
            .map(|(field, width)| (field.clone(), *width))
            .collect(),
        key: schema.key.clone().unwrap_or_else(|| "sid".to_owned()),
    })
}

/// The kind of a field of one JSON type (`null` aside): `None` for a mix, which the description
/// must name with `x-mycpaas-wire`.
fn scalar_kind(property: &Schema) -> Option<&'static str> {
    let names = property.types.as_ref()?.names();
    match names.iter().filter(|t| **t != "null").collect::<Vec<_>>()[..] {
        [&"string"] => Some("text"),
        [&"integer"] => Some("integer"),
        [&"number"] => Some("number"),
        [&"boolean"] => Some("boolean"),
        _ => None,
    }
}

fn operation_of(
    spec: &Spec,
    path: &str,
    item: &spec::PathItem,
    method: &str,
    operation: &spec::Operation,
) -> Result<Op, String> {
    let id = &operation.id;
    let type_name = id.to_upper_camel_case();
    let verb = match &operation.method_name {
        Some(name) => name.clone(),
        None => id
            .to_snake_case()
            .split('_')
            .next()
            .unwrap_or_default()
            .to_owned(),
    };
    // The SDKs call the SID of the resource a path ends with `sid`; the SIDs of the resources
    // above it keep their names (`call_sid` in `/Calls/{CallSid}/Recordings/{RecordingSid}.json`).
    let own_sid = path
        .rsplit('/')
        .next()
        .and_then(|last| last.strip_prefix('{'))
        .and_then(|last| last.split('}').next());
    let server = item.servers.first().map(|s| s.url.clone());
    let root = server.is_some();
    let mut path_params = Vec::new();
    let mut query = Vec::new();
    for parameter in item.parameters.iter().chain(&operation.parameters) {
        let parameter = spec.parameter(parameter)?;
        let schema = parameter.schema.clone().unwrap_or_default();
        let mut param = param_of(
            spec,
            &parameter.name,
            &schema,
            parameter.required,
            &parameter.description,
        )?;
        if let Some(code) = parameter.error_code {
            param.error_code = code;
        }
        if let Some(name) = &parameter.sdk_name {
            param.name.clone_from(name);
            param.py_name.clone_from(name);
            param.cli_flag = name.to_kebab_case();
        }
        if let Some(flag) = &parameter.cli_flag {
            param.cli_flag.clone_from(flag);
        }
        match parameter.location.as_str() {
            "path" if parameter.name == "AccountSid" && !root => {}
            "path" => {
                // A name the description gives wins (`call_sid` for a queue member's call).
                if own_sid == Some(parameter.name.as_str()) && parameter.sdk_name.is_none() {
                    "sid".clone_into(&mut param.name);
                    "sid".clone_into(&mut param.py_name);
                }
                path_params.push(param);
            }
            "query" => query.push(param),
            other => return Err(format!("{id}: parameters in {other} are not supported")),
        }
    }
    let body = operation
        .request_body
        .as_ref()
        .and_then(|b| b.content.get("application/x-www-form-urlencoded"))
        .and_then(|m| m.schema.as_ref());
    let (location, params, exactly_one_of, mut at_most_one_of, min_properties) = match body {
        Some(schema) => {
            let schema = match schema.ref_name() {
                Some(name) => spec.schema(name)?,
                None => schema,
            };
            let mut params = Vec::new();
            for (wire, property) in &schema.properties {
                let mut param = param_of(
                    spec,
                    wire,
                    property,
                    schema.required.contains(wire),
                    &property.description,
                )?;
                if let Some(code) = property.error_code {
                    param.error_code = code;
                }
                params.push(param);
            }
            let groups = if schema.at_most_one_of.is_empty() {
                Vec::new()
            } else {
                vec![schema.at_most_one_of.clone()]
            };
            (
                "form",
                params,
                schema.exactly_one_of.clone(),
                groups,
                schema.min_properties.unwrap_or(0),
            )
        }
        None if !query.is_empty() => ("query", query, Vec::new(), Vec::new(), 0),
        None => ("none", Vec::new(), Vec::new(), Vec::new(), 0),
    };
    at_most_one_of.extend(operation.at_most_one_of.iter().cloned());
    for name in exactly_one_of.iter().chain(at_most_one_of.iter().flatten()) {
        if !params.iter().any(|p| &p.wire == name) {
            return Err(format!(
                "{id}: a rule names {name}, which is not a parameter"
            ));
        }
    }
    let (success_status, output) = success_of(operation)?;
    let item = match (&operation.items, &output) {
        (Some(key), Some(page)) => Some(
            spec.schema(page)?
                .properties
                .get(key)
                .and_then(|p| p.items.as_deref())
                .and_then(Schema::ref_name)
                .ok_or_else(|| format!("{id}: the page {page} has no array {key} of a $ref"))?
                .to_owned(),
        ),
        (Some(_), None) => return Err(format!("{id}: a list needs a page model")),
        _ => None,
    };
    let mut shortcuts = Vec::new();
    for shortcut in &operation.shortcuts {
        let mut set = Vec::new();
        for (wire, value) in &shortcut.set {
            let param = params
                .iter()
                .find(|p| &p.wire == wire)
                .ok_or_else(|| format!("{id}: shortcut {} sets unknown {wire}", shortcut.name))?;
            if !param.enum_values.contains(value) {
                return Err(format!(
                    "{id}: shortcut {} sets {wire} to {value}, not one of its values",
                    shortcut.name
                ));
            }
            set.push((param.clone(), value.to_upper_camel_case()));
        }
        if let Some(unset) = params
            .iter()
            .find(|p| p.required && !shortcut.set.contains_key(&p.wire))
        {
            return Err(format!(
                "{id}: shortcut {} leaves the required {} unset",
                shortcut.name, unset.wire
            ));
        }
        shortcuts.push(Shortcut {
            name: shortcut.name.clone(),
            summary: shortcut.summary.clone(),
            set,
        });
    }
    Ok(Op {
        type_name,
        verb,
        http_method: method.to_owned(),
        summary: operation.summary.clone(),
        description: operation.description.trim_end().to_owned(),
        path_format: if root {
            placeholders(path)?
        } else {
            path_format(path)?
        },
        root,
        server,
        path_params,
        params,
        location: location.to_owned(),
        output,
        success_status,
        creates: operation.creates,
        reconcile: operation.reconcile,
        items: operation.items.clone(),
        item,
        exactly_one_of,
        at_most_one_of,
        min_properties,
        shortcuts,
    })
}

/// The success status and its model: the first 2xx response.
fn success_of(operation: &spec::Operation) -> Result<(u16, Option<String>), String> {
    let (status, response) = operation
        .responses
        .iter()
        .find(|(status, _)| status.starts_with('2'))
        .ok_or_else(|| format!("{} has no success response", operation.id))?;
    let model = response
        .content
        .get("application/json")
        .and_then(|m| m.schema.as_ref())
        .and_then(Schema::ref_name)
        .map(str::to_owned);
    let status = status
        .parse()
        .map_err(|_| format!("{}: bad status {status}", operation.id))?;
    Ok((status, model))
}

/// `/2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}.json` → `/Accounts/{}/Calls/{}.json`.
fn path_format(path: &str) -> Result<String, String> {
    let below = path
        .strip_prefix("/2010-04-01")
        .ok_or_else(|| format!("{path} is not below /2010-04-01"))?;
    placeholders(below)
}

/// `/_sim/calls/{CallSid}/timeline` → `/_sim/calls/{}/timeline`.
fn placeholders(below: &str) -> Result<String, String> {
    let path = below;
    let mut out = String::new();
    let mut rest = below;
    while let Some(open) = rest.find('{') {
        let close = rest[open..]
            .find('}')
            .ok_or_else(|| format!("{path}: unclosed {{"))?
            + open;
        out.push_str(&rest[..open]);
        out.push_str("{}");
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

fn param_of(
    spec: &Spec,
    wire: &str,
    schema: &Schema,
    required: bool,
    doc: &str,
) -> Result<Param, String> {
    let target = match schema.ref_name() {
        Some(name) => Some((name.to_owned(), spec.schema(name)?)),
        None => None,
    };
    let item = schema.items.as_deref().and_then(Schema::ref_name);
    let (kind, enum_name, enum_values) = if let Some((name, target)) = &target {
        ("enum", Some(name.clone()), target.values.clone())
    } else if let Some(item) = item {
        (
            "enum_list",
            Some(item.to_owned()),
            spec.schema(item)?.values.clone(),
        )
    } else if schema.has_type("integer") {
        ("int", None, Vec::new())
    } else if schema.has_type("boolean") {
        ("bool", None, Vec::new())
    } else if schema.wire.as_deref() == Some("day") {
        ("day", None, Vec::new())
    } else if schema.secret {
        ("secret", None, Vec::new())
    } else if schema.has_type("string") {
        ("text", None, Vec::new())
    } else {
        return Err(format!("{wire}: unsupported parameter type"));
    };
    let name = rust_ident(wire);
    let py_name = if name == "from" {
        "from_".to_owned()
    } else {
        name.clone()
    };
    let charset = schema.pattern.as_deref().map(charset_of).transpose()?;
    let default = schema.default.as_ref().map(|v| match v {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    });
    let cli_flag = schema
        .cli_flag
        .clone()
        .unwrap_or_else(|| name.to_kebab_case());
    Ok(Param {
        wire: wire.to_owned(),
        name,
        py_name,
        doc: if doc.is_empty() {
            schema.description.clone()
        } else {
            doc.to_owned()
        },
        required,
        kind: kind.to_owned(),
        enum_name,
        enum_values,
        open_enum: target.as_ref().is_some_and(|(_, t)| t.open_enum),
        minimum: schema.minimum,
        maximum: schema.maximum,
        min_length: schema.min_length,
        max_length: schema.max_length,
        charset,
        endpoint: schema.endpoint,
        e164: schema.e164,
        absolute_url: schema.absolute_url,
        sid: schema.sid,
        single_line: schema.single_line,
        laml: schema.laml,
        error_code: schema.error_code.unwrap_or(GENERIC_ERROR_CODE),
        missing_error_code: schema.missing_error_code,
        default,
        example: schema.examples.first().cloned(),
        cli_flag,
    })
}

/// `^[0-9A-D#*wW]+$` → (`'0'..='9' | 'A'..='D' | '#' | '*' | 'w' | 'W'`, `0-9, A-D, #, *, w and W`).
///
/// Only this one form of pattern (a character class of single characters and ranges) is read;
/// anything else is refused, so a pattern is never silently ignored.
fn charset_of(pattern: &str) -> Result<(String, String), String> {
    let class = pattern
        .strip_prefix("^[")
        .and_then(|p| p.strip_suffix("]+$"))
        .ok_or_else(|| format!("pattern {pattern:?}: only ^[...]+$ is supported"))?;
    let chars: Vec<char> = class.chars().collect();
    let mut arms = Vec::new();
    let mut words = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '\\' || chars[i] == '^' || chars[i] == ']' {
            return Err(format!(
                "pattern {pattern:?}: escapes and negation are not supported"
            ));
        }
        if i + 2 < chars.len() && chars[i + 1] == '-' {
            arms.push(format!("{:?}..={:?}", chars[i], chars[i + 2]));
            words.push(format!("{}-{}", chars[i], chars[i + 2]));
            i += 3;
        } else {
            arms.push(format!("{:?}", chars[i]));
            words.push(chars[i].to_string());
            i += 1;
        }
    }
    let described = match words.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => words.join(""),
    };
    Ok((arms.join(" | "), described))
}

/// A Rust identifier for a wire name: `StatusCallbackEvent` → `status_callback_event`.
fn rust_ident(wire: &str) -> String {
    let name = wire.to_snake_case();
    match name.as_str() {
        "type" | "match" | "ref" | "move" | "loop" | "use" | "mod" | "fn" | "in" => {
            format!("r#{name}")
        }
        _ => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charsets() {
        let (arms, words) = charset_of("^[0-9A-D#*wW]+$").unwrap();
        assert_eq!(arms, "'0'..='9' | 'A'..='D' | '#' | '*' | 'w' | 'W'");
        assert_eq!(words, "0-9, A-D, #, *, w and W");
        assert!(charset_of("^a+$").is_err());
    }

    #[test]
    fn paths() {
        assert_eq!(
            path_format("/2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}.json").unwrap(),
            "/Accounts/{}/Calls/{}.json"
        );
    }
}
