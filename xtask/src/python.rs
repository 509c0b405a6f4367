//! The Python package's generated parts, for every resource and model of the description: the
//! classes (made by the binding's macros in `resource.rs`: model, page, streams, resource), the
//! methods of each resource on `Client` and `AsyncClient` (explicit signatures, so
//! `inspect.signature` and editors see every parameter), the model attributes, the clients'
//! getters, the package's exports (`python/mycpaas/_resources.py`) and their stubs in
//! `python/mycpaas/_mycpaas.pyi`, between marker lines.
//!
//! Both clients' methods are printed from one list of arguments per operation: an argument is
//! declared, converted and typed in one place (`Arg`), so the sync and async methods and the stub
//! cannot disagree.

use std::fmt::Write as _;

use minijinja::Environment;
use serde::Serialize;

use crate::Output;
use crate::api::{Api, Op, Param, Resource};
use crate::render;

pub const TEMPLATES: render::Templates = &[
    (
        "python_resource.rs",
        include_str!("../templates/python_resource.rs.jinja"),
    ),
    (
        "python_mod.rs",
        include_str!("../templates/python_mod.rs.jinja"),
    ),
    (
        "python_stub.pyi",
        include_str!("../templates/python_stub.pyi.jinja"),
    ),
    (
        "python_models.rs",
        include_str!("../templates/python_models.rs.jinja"),
    ),
    (
        "python_stub_classes.pyi",
        include_str!("../templates/python_stub_classes.pyi.jinja"),
    ),
    (
        "python_exports.py",
        include_str!("../templates/python_exports.py.jinja"),
    ),
];

const DIR: &str = "bindings/python/src/generated";
pub const STUB: &str = "python/mycpaas/_mycpaas.pyi";
/// The package's exports of the generated classes, re-exported by `mycpaas/__init__.py`.
const EXPORTS: &str = "python/mycpaas/_resources.py";
/// The stub's generated parts are between `# --- begin NAME: <marker>` and `# --- end NAME ---`
/// lines: `resources` (the classes of every resource and model), `Client` and `AsyncClient`
/// (their getters) and `__all__`; the rest is hand-written.
const REGION_BEGIN: &str = "# --- begin ";

/// The list parameters that `list()` and `stream()` set themselves as they walk the pages: only
/// `page()` takes them.
const CURSOR_PARAMETERS: &[&str] = &["Page", "PageToken"];

/// The attributes a model's `repr()` shows after its `sid` (in the model's order), where it has
/// them.
const REPR_FIELDS: &[&str] = &[
    "to",
    "from",
    "status",
    "direction",
    "call_sid",
    "conference_sid",
    "queue_sid",
    "recording_sid",
    "source",
    "phone_number",
    "friendly_name",
    "name",
];

/// One Python method.
#[derive(Serialize)]
struct Method {
    /// `create`, `fetch`, `list`, ...
    name: String,
    doc: String,
    /// The first line of `doc` (the stub's docstring).
    summary: String,
    /// The pyo3 signature: `sid, *, url = None, ...`.
    signature: String,
    /// `one` (a model or `None`), `page` (a list page, its items kept as rows), `all` (a list of
    /// items), `lazy` (a stream of items).
    returns: &'static str,
    /// The Python class of the result in the stub (`Call`, `None`, `list[Call]`, `CallStream`).
    stub_returns: String,
    /// The item model of a list (`Call`), for `all` and `lazy`.
    item: Option<String>,
    /// Takes `limit=` (`list`, `stream`).
    limit: bool,
    builder: Builder,
}

/// The function turning a method's arguments into a validated request; `list` and `stream`
/// share one.
#[derive(Clone, Serialize)]
struct Builder {
    /// `create_request`
    name: String,
    /// The first method that uses it (`create`), for its doc.
    method: String,
    /// The request type built (`CreateCall`).
    request: String,
    args: Vec<Arg>,
    /// The arguments of `Request::new`: the converted path and required arguments, or the
    /// fixed value of a required parameter a shortcut sets.
    new_args: Vec<String>,
    /// Optional fields set to fixed enum values (a shortcut such as `cancel`): `(field, value)`.
    fixed: Vec<(String, String)>,
    /// Anything is set after `new`.
    mutable: bool,
}

impl Builder {
    fn new(method: &str, request: &str, args: Vec<Arg>) -> Self {
        let new_args = args
            .iter()
            .filter(|a| a.how == "new")
            .map(|a| a.convert.clone())
            .collect();
        Builder {
            name: format!("{method}_request"),
            method: method.to_owned(),
            request: request.to_owned(),
            mutable: args.iter().any(|a| a.how != "new"),
            args,
            new_args,
            fixed: Vec::new(),
        }
    }

    /// The request of shortcut `name`: the path arguments of `op`, and the values it fixes.
    fn shortcut(name: &str, op: &Op, path_args: Vec<Arg>, set: &[(Param, String)]) -> Self {
        let value = |p: &Param, variant: &str| {
            format!("{}::{variant}", p.enum_name.as_deref().unwrap_or_default())
        };
        let mut builder = Builder::new(name, &op.type_name, path_args);
        for required in op.params.iter().filter(|p| p.required) {
            let (param, variant) = set
                .iter()
                .find(|(p, _)| p.wire == required.wire)
                .unwrap_or_else(|| {
                    panic!(
                        "{}: shortcut {name} leaves the required {} unset",
                        op.type_name, required.wire
                    )
                });
            builder.new_args.push(value(param, variant));
        }
        builder.fixed = set
            .iter()
            .filter(|(p, _)| !p.required)
            .map(|(p, variant)| (p.name.clone(), value(p, variant)))
            .collect();
        builder.mutable = !builder.fixed.is_empty();
        builder
    }
}

impl Method {
    fn new(
        name: &str,
        doc: String,
        returns: &'static str,
        stub_returns: String,
        builder: Builder,
    ) -> Self {
        let limit = !matches!(returns, "one" | "page");
        let mut positional: Vec<String> = Vec::new();
        let mut keywords: Vec<String> = Vec::new();
        if limit {
            keywords.push("limit = None".to_owned());
        }
        for a in &builder.args {
            match (a.positional, a.required) {
                (true, _) => positional.push(a.name.clone()),
                (false, true) => keywords.push(a.name.clone()),
                (false, false) => keywords.push(format!("{} = None", a.name)),
            }
        }
        if !keywords.is_empty() {
            positional.push("*".to_owned());
            positional.extend(keywords);
        }
        Method {
            name: name.to_owned(),
            summary: doc.lines().next().unwrap_or_default().to_owned(),
            doc,
            signature: positional.join(", "),
            returns,
            stub_returns,
            item: None,
            limit,
            builder,
        }
    }
}

/// One argument of a method.
#[derive(Clone, Serialize)]
struct Arg {
    /// The Python keyword and the Rust variable (`from_`).
    name: String,
    /// Positional (a path parameter such as `sid`), before the `*`.
    positional: bool,
    required: bool,
    /// How the request gets the value: `new` (an argument of `Request::new`), `field`, `setter`.
    how: &'static str,
    /// The Rust field or setter.
    target: String,
    /// The expression converting the argument (`args::text(py, "url", url)?`).
    convert: String,
    /// The stub's type (`str`, `Optional[int]`, ...).
    stub_type: String,
}

#[derive(Serialize)]
struct ResourceView<'a> {
    resource: &'a Resource,
    /// `Calls`'s hand-written methods (`wait`, ...) are in the stub's `_CallsExtras` (and
    /// `_AsyncCallsExtras`), which its generated classes derive from.
    extras: bool,
    uses: Vec<String>,
    /// The item models of the resource's lists (`Call`): their stream classes are imported.
    items: Vec<String>,
    builders: Vec<Builder>,
    methods: Vec<Method>,
}

/// Every generated class and module-level part of the package.
#[derive(Serialize)]
struct PackageView<'a> {
    resources: &'a [ResourceView<'a>],
    /// The enums the model attributes read.
    enums: Vec<String>,
    models: Vec<ModelView>,
    pages: Vec<PageView>,
    /// The models listed by some operation: each has a stream class in both clients.
    streams: Vec<String>,
    /// Every class name the package exports, sorted.
    exports: Vec<String>,
    /// The stub's flavor of a resource class or getter: `` or `Async`.
    flavor: &'static str,
}

pub fn generate(
    api: &Api,
    env: &Environment<'_>,
    out: &mut Output,
    current_stub: &str,
) -> Result<(), String> {
    let mut views = Vec::new();
    // The simulator's control routes are not the platform's: the clients do not have them.
    for resource in api.platform_resources() {
        views.push(ResourceView::of(api, resource, current_stub)?);
    }
    for view in &views {
        let path = format!("{DIR}/{}.rs", view.resource.name);
        out.rust(path, env, "python_resource.rs", view)?;
    }
    let (enums, models) = models(api);
    let pages = pages(api);
    let mut streams: Vec<String> = views.iter().flat_map(|v| v.items.clone()).collect();
    streams.sort();
    streams.dedup();
    let mut exports: Vec<String> = Vec::new();
    for v in &views {
        exports.push(v.resource.type_name.clone());
        exports.push(format!("Async{}", v.resource.type_name));
    }
    exports.extend(models.iter().map(|m| m.name.clone()));
    exports.extend(pages.iter().map(|p| p.name.clone()));
    for item in &streams {
        exports.push(format!("{item}Stream"));
        exports.push(format!("Async{item}Stream"));
    }
    exports.sort();
    let mut package = PackageView {
        resources: &views,
        enums,
        models,
        pages,
        streams,
        exports,
        flavor: "",
    };
    out.rust(format!("{DIR}/mod.rs"), env, "python_mod.rs", &package)?;
    out.rust(
        format!("{DIR}/models.rs"),
        env,
        "python_models.rs",
        &package,
    )?;
    out.other(
        EXPORTS.to_owned(),
        render::render(env, "python_exports.py", &package)?,
    )?;
    let mut stub = current_stub.to_owned();
    let classes = render::render(env, "python_stub_classes.pyi", &package)?;
    stub = splice(&stub, "resources", &classes)?;
    let mut all = String::new();
    for name in &package.exports {
        writeln!(all, "    {name:?},").map_err(|e| e.to_string())?;
    }
    stub = splice(&stub, "__all__", &all)?;
    // `Simulator.inject_fault`'s names and `Simulator.script_callee`'s answers: the
    // description's `SimFault` and `SimCalleeAnswer`.
    for (region, alias, enumeration) in [
        ("faults", "_Fault", "SimFault"),
        ("callees", "_CalleeAnswer", "SimCalleeAnswer"),
    ] {
        stub = splice(&stub, region, &literal(api, alias, enumeration)?)?;
    }
    for (client, flavor) in [("Client", ""), ("AsyncClient", "Async")] {
        package.flavor = flavor;
        let getters = render::render(env, "python_stub.pyi", &package)?;
        stub = splice(&stub, client, &getters)?;
    }
    out.other(STUB.to_owned(), stub)
}

/// `alias = Literal[...]` of the wire values of the description's enumeration `name`.
fn literal(api: &Api, alias: &str, name: &str) -> Result<String, String> {
    let enumeration = api
        .enums
        .iter()
        .find(|e| e.name == name)
        .ok_or_else(|| format!("the description has no {name} enumeration"))?;
    let mut text = format!("{alias} = Literal[\n");
    for variant in &enumeration.variants {
        writeln!(text, "    {:?},", variant.wire).map_err(|e| e.to_string())?;
    }
    text.push_str("]\n");
    Ok(text)
}

#[derive(Serialize)]
struct ModelView {
    name: String,
    /// The first line of the model's description.
    summary: String,
    fields: Vec<FieldView>,
    /// The member that identifies it (`sid`, `call_sid`): `repr()` shows it first.
    key: String,
    /// What `repr()` shows after the SID: `(attribute, expression of an Option<&str>)`.
    repr: Vec<(String, String)>,
}

/// A list page (`CallPage`) and its items (`Call` in `calls`).
#[derive(Serialize)]
struct PageView {
    name: String,
    summary: String,
    item: String,
    /// The member holding the items: the Rust field and the Python attribute.
    items: String,
}

#[derive(Serialize)]
struct FieldView {
    /// The Rust field.
    name: String,
    /// The attribute (`from_` for `from`, `type` for `r#type`).
    py_name: String,
    /// The Rust getter (`r#type`).
    getter: String,
    /// `sid` (read without decoding the rest), `required` (other required text), `text`, `enum`,
    /// `date`, `copy` (a number or boolean, returned as it is), `decimal` or `map`.
    kind: &'static str,
    target: Option<String>,
    doc: String,
    summary: String,
    stub_type: &'static str,
    /// The Rust type of a `copy` field.
    rust_type: &'static str,
}

/// The resources the API identifies by a SID (`Call`), with their attributes, and the enums
/// those read.
fn models(api: &Api) -> (Vec<String>, Vec<ModelView>) {
    let mut enums = Vec::new();
    let models = api
        .models
        .iter()
        .filter(|m| m.is_identified())
        .map(|m| {
            let fields: Vec<FieldView> = m
                .fields
                .iter()
                .filter_map(|f| {
                    let (kind, stub_type, rust_type) = match f.kind.as_str() {
                        "text" if f.wire == m.key => ("sid", "str", ""),
                        "text" if f.required => ("required", "str", ""),
                        "text" => ("text", "Optional[str]", ""),
                        "enum" => ("enum", "Optional[str]", ""),
                        "date" => ("date", "Optional[datetime]", ""),
                        "count" => ("copy", "Optional[int]", "Option<u64>"),
                        "integer" => ("copy", "Optional[int]", "Option<i64>"),
                        "number" => ("copy", "Optional[float]", "Option<f64>"),
                        "boolean" => ("copy", "Optional[bool]", "Option<bool>"),
                        "decimal" => ("decimal", "Optional[Decimal]", ""),
                        "map" => ("map", "Optional[dict[str, Any]]", ""),
                        _ => return None,
                    };
                    if kind == "enum" {
                        enums.extend(f.target.clone());
                    }
                    let py_name = match f.name.as_str() {
                        "from" => "from_".to_owned(),
                        other => other.trim_start_matches("r#").to_owned(),
                    };
                    Some(FieldView {
                        name: f.name.clone(),
                        // A raw identifier keeps its `r#`; pyo3 names the attribute without it.
                        getter: if f.name.starts_with("r#") {
                            f.name.clone()
                        } else {
                            py_name.clone()
                        },
                        py_name,
                        kind,
                        target: f.target.clone(),
                        doc: f.doc.clone(),
                        summary: f.doc.lines().next().unwrap_or_default().to_owned(),
                        stub_type,
                        rust_type,
                    })
                })
                .collect();
            let repr = fields
                .iter()
                .filter(|f| REPR_FIELDS.contains(&f.name.as_str()))
                .filter_map(|f| {
                    let value = match f.kind {
                        "text" => format!("value.{}.as_deref()", f.name),
                        "required" => format!("Some(value.{}.as_str())", f.name),
                        "enum" => format!(
                            "value.{}.as_ref().map({}::as_str)",
                            f.name,
                            f.target.as_deref()?
                        ),
                        _ => return None,
                    };
                    Some((f.py_name.clone(), value))
                })
                .collect();
            ModelView {
                name: m.name.clone(),
                summary: m.doc.lines().next().unwrap_or_default().to_owned(),
                fields,
                key: m.key.clone(),
                repr,
            }
        })
        .collect();
    enums.sort();
    enums.dedup();
    (enums, models)
}

/// The list pages of the description, with their item models.
fn pages(api: &Api) -> Vec<PageView> {
    api.models
        .iter()
        .filter_map(|m| {
            let member = m.items.as_ref()?;
            let field = m.fields.iter().find(|f| &f.wire == member)?;
            Some(PageView {
                name: m.name.clone(),
                summary: m.doc.lines().next().unwrap_or_default().to_owned(),
                item: field.target.clone()?,
                items: field.name.clone(),
            })
        })
        .collect()
}

/// `current` with the part between the marker lines of region `name` replaced by `generated`
/// (the markers keep their indentation).
fn splice(current: &str, name: &str, generated: &str) -> Result<String, String> {
    let begin = format!("{REGION_BEGIN}{name}: ");
    let end = format!("# --- end {name} ---");
    let at = current
        .find(&begin)
        .ok_or_else(|| format!("{STUB} lacks a line starting {begin:?}"))?;
    let line = current[..at].rfind('\n').map_or(0, |n| n + 1);
    let indent = &current[line..at];
    let until = current[at..]
        .find(&end)
        .map(|n| at + n)
        .ok_or_else(|| format!("{STUB} lacks the line {end:?} after {begin:?}"))?;
    Ok(format!(
        "{}{indent}{begin}{}\n{generated}{indent}{}",
        &current[..line],
        render::MARKER,
        &current[until..]
    ))
}

impl<'a> ResourceView<'a> {
    fn of(api: &Api, resource: &'a Resource, stub: &str) -> Result<Self, String> {
        let mut uses = Vec::new();
        let mut items = Vec::new();
        let mut methods = Vec::new();
        for op in &resource.operations {
            uses.push(op.type_name.clone());
            if op.params.iter().any(|p| p.kind == "secret") {
                uses.push("ops::form::SecretText".to_owned());
            }
            let args: Vec<(&Param, Arg)> = args_of(api, op);
            if let Some(member) = &op.items {
                let page = op.output.clone().ok_or("a list operation has no output")?;
                let item = item_of(api, &page, member)?;
                // `list_for_call` walks with `stream_for_call` and has one page with
                // `page_for_call`, as `list` has `stream` and `page`.
                let rest = op.verb.strip_prefix("list").unwrap_or_default();
                let walk: Vec<Arg> = args
                    .iter()
                    .filter(|(p, _)| !CURSOR_PARAMETERS.contains(&p.wire.as_str()))
                    .map(|(_, arg)| arg.clone())
                    .collect();
                let every = Builder::new(&op.verb, &op.type_name, walk);
                let one = Builder::new(
                    &format!("page{rest}"),
                    &op.type_name,
                    args.into_iter().map(|(_, a)| a).collect(),
                );
                let mut list = Method::new(
                    &op.verb,
                    format!(
                        "{} that match the filters (at most `limit`), fetched page by page into a list.",
                        walked(op)
                    ),
                    "all",
                    format!("builtins.list[{item}]"),
                    every.clone(),
                );
                let mut stream = Method::new(
                    &format!("stream{rest}"),
                    format!(
                        "{} that match the filters (at most `limit`), lazily: a page is fetched when the previous one is used up.",
                        walked(op)
                    ),
                    "lazy",
                    format!("{item}Stream"),
                    every,
                );
                list.item = Some(item.clone());
                stream.item = Some(item.clone());
                let mut page = Method::new(&format!("page{rest}"), doc_of(op), "page", page, one);
                page.item = Some(item.clone());
                methods.extend([list, stream, page]);
                items.push(item);
                continue;
            }
            let returns = op.output.clone().unwrap_or_else(|| "None".to_owned());
            let path_args: Vec<Arg> = args
                .iter()
                .filter(|(_, arg)| arg.positional)
                .map(|(_, arg)| arg.clone())
                .collect();
            let builder = Builder::new(
                &op.verb,
                &op.type_name,
                args.into_iter().map(|(_, a)| a).collect(),
            );
            methods.push(Method::new(
                &op.verb,
                doc_of(op),
                "one",
                returns.clone(),
                builder,
            ));
            for shortcut in &op.shortcuts {
                uses.extend(shortcut.set.iter().filter_map(|(p, _)| p.enum_name.clone()));
                let builder =
                    Builder::shortcut(&shortcut.name, op, path_args.clone(), &shortcut.set);
                methods.push(Method::new(
                    &shortcut.name,
                    shortcut.summary.clone(),
                    "one",
                    returns.clone(),
                    builder,
                ));
            }
        }
        uses.sort();
        uses.dedup();
        items.sort();
        items.dedup();
        let mut builders: Vec<Builder> = Vec::new();
        for m in &methods {
            if !builders.iter().any(|b| b.name == m.builder.name) {
                builders.push(m.builder.clone());
            }
        }
        Ok(ResourceView {
            extras: stub.contains(&format!("class _{}Extras:", resource.type_name)),
            resource,
            uses,
            items,
            builders,
            methods,
        })
    }
}

/// What a list's walk yields, from its page's summary: `The account's calls` for "One page of
/// the account's calls, newest first.".
fn walked(op: &Op) -> String {
    let what = op
        .summary
        .strip_prefix("One page of ")
        .unwrap_or("the items");
    let what = what.split([',', '.']).next().unwrap_or(what);
    let mut chars = what.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// The summary, and the description as further paragraphs.
fn doc_of(op: &Op) -> String {
    if op.description.is_empty() {
        op.summary.clone()
    } else {
        format!("{}\n\n{}", op.summary, op.description)
    }
}

/// The model of the items of a page (`Call` for `CallPage.calls`).
fn item_of(api: &Api, page: &str, member: &str) -> Result<String, String> {
    api.models
        .iter()
        .find(|m| m.name == page)
        .and_then(|m| m.fields.iter().find(|f| f.wire == member))
        .and_then(|f| f.target.clone())
        .ok_or_else(|| format!("{page}.{member} names no item model"))
}

/// Every argument of `op`: path parameters, then required ones, then the rest, each with the
/// parameter it comes from.
fn args_of<'a>(api: &Api, op: &'a Op) -> Vec<(&'a Param, Arg)> {
    let mut args: Vec<(&Param, Arg)> = op
        .path_params
        .iter()
        .map(|p| (p, arg_of(api, p, true)))
        .collect();
    args.extend(
        op.params
            .iter()
            .filter(|p| p.required)
            .map(|p| (p, arg_of(api, p, false))),
    );
    args.extend(
        op.params
            .iter()
            .filter(|p| !p.required)
            .map(|p| (p, arg_of(api, p, false))),
    );
    args
}

fn arg_of(api: &Api, p: &Param, positional: bool) -> Arg {
    let name = p.py_name.clone();
    let at = format!("py, {name:?}, {name}");
    let open = p
        .enum_name
        .as_ref()
        .is_some_and(|e| api.enums.iter().any(|x| &x.name == e && x.open));
    let literal = || {
        let values: Vec<String> = p.enum_values.iter().map(|v| format!("{v:?}")).collect();
        format!("Literal[{}]", values.join(", "))
    };
    let (convert, ty) = match p.kind.as_str() {
        "enum" if p.required => (format!("args::required_keyword({at})?"), literal()),
        _ if p.required => (format!("args::required_text({at})?"), "str".to_owned()),
        "text" if p.laml => (format!("args::laml({at})?"), "_Twiml".to_owned()),
        "text" => (format!("args::text({at})?"), "str".to_owned()),
        "secret" => (
            format!("args::text({at})?.map(SecretText::new)"),
            "str".to_owned(),
        ),
        "enum" if open => (format!("args::open_keyword({at})?"), "str".to_owned()),
        "enum" => (format!("args::keyword({at})?"), literal()),
        "enum_list" => (format!("args::keywords({at})?"), "_Events".to_owned()),
        "int" => (format!("args::count({at})?"), "int".to_owned()),
        "bool" => (format!("args::flag({at})?"), "bool".to_owned()),
        "day" => (format!("args::day({at})?"), "date".to_owned()),
        other => unreachable!("parameter kind {other}"),
    };
    let (how, target) = if p.required {
        ("new", p.name.clone())
    } else if p.kind == "enum_list" {
        ("setter", format!("{}s", p.name))
    } else {
        ("field", p.name.clone())
    };
    Arg {
        stub_type: if p.required {
            ty
        } else {
            format!("Optional[{ty}]")
        },
        name,
        positional,
        required: p.required,
        how,
        target,
        convert,
    }
}
