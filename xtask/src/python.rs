//! The Python package's generated parts: the methods of each resource on `Client` and
//! `AsyncClient` (explicit signatures, so `inspect.signature` and editors see every parameter),
//! and their stubs in `python/mycpaas/_mycpaas.pyi`, between two marker lines.
//!
//! Both clients' methods are printed from one list of arguments per operation: an argument is
//! declared, converted and typed in one place (`Arg`), so the sync and async methods and the stub
//! cannot disagree.

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
        "python_stub_model.pyi",
        include_str!("../templates/python_stub_model.pyi.jinja"),
    ),
];

const DIR: &str = "bindings/python/src/generated";
pub const STUB: &str = "python/mycpaas/_mycpaas.pyi";
/// The stub's generated parts are between `# --- begin NAME: <marker>` and `# --- end NAME ---`
/// lines inside the hand-written class NAME (a resource class or a model); the rest is
/// hand-written.
const REGION_BEGIN: &str = "# --- begin ";

/// The list parameters that `list()` and `stream()` set themselves as they walk the pages: only
/// `page()` takes them.
const CURSOR_PARAMETERS: &[&str] = &["Page", "PageToken"];

/// The resources and models the Python package has classes for so far; the others get theirs
/// in the following commits.
const PYTHON_RESOURCES: &[&str] = &["calls"];
const PYTHON_MODELS: &[&str] = &["Call"];

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
    /// Fields set to fixed enum values (a shortcut such as `cancel`): `(field, value)`.
    fixed: Vec<(String, String)>,
    /// Anything is set after `new`.
    mutable: bool,
}

impl Builder {
    fn new(method: &str, request: &str, args: Vec<Arg>, fixed: Vec<(String, String)>) -> Self {
        Builder {
            name: format!("{method}_request"),
            method: method.to_owned(),
            request: request.to_owned(),
            mutable: !fixed.is_empty() || args.iter().any(|a| a.how != "new"),
            args,
            fixed,
        }
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
    uses: Vec<String>,
    /// The item models of the resource's lists (`Call`): their stream classes are imported.
    items: Vec<String>,
    builders: Vec<Builder>,
    methods: Vec<Method>,
}

/// The stub of one resource class: `Calls` (`flavor` empty) or `AsyncCalls`.
#[derive(Serialize)]
struct StubView<'a> {
    v: &'a ResourceView<'a>,
    flavor: &'static str,
}

pub fn generate(
    api: &Api,
    env: &Environment<'_>,
    out: &mut Output,
    current_stub: &str,
) -> Result<(), String> {
    let mut views = Vec::new();
    for resource in api
        .resources
        .iter()
        .filter(|r| PYTHON_RESOURCES.contains(&r.name.as_str()))
    {
        let path = format!("{DIR}/{}.rs", resource.name);
        let view = ResourceView::of(api, resource)?;
        out.rust(path, env, "python_resource.rs", &view)?;
        views.push(view);
    }
    let resources: Vec<&Resource> = views.iter().map(|v| v.resource).collect();
    out.rust(
        format!("{DIR}/mod.rs"),
        env,
        "python_mod.rs",
        ModContext { resources },
    )?;
    let mut stub = current_stub.to_owned();
    for v in &views {
        for flavor in ["", "Async"] {
            let methods = render::render(env, "python_stub.pyi", StubView { v, flavor })?;
            stub = splice(
                &stub,
                &format!("{flavor}{}", v.resource.type_name),
                &methods,
            )?;
        }
    }
    let models = models(api);
    out.rust(format!("{DIR}/models.rs"), env, "python_models.rs", &models)?;
    for model in &models.models {
        let attributes = render::render(env, "python_stub_model.pyi", Context { model })?;
        stub = splice(&stub, &model.name, &attributes)?;
    }
    out.other(STUB.to_owned(), stub)
}

#[derive(Serialize)]
struct ModContext<'a> {
    resources: Vec<&'a Resource>,
}

#[derive(Serialize)]
struct Context<'a, T> {
    model: &'a T,
}

#[derive(Serialize)]
struct ModelsView {
    /// The enums the attributes read.
    enums: Vec<String>,
    models: Vec<ModelView>,
}

#[derive(Serialize)]
struct ModelView {
    name: String,
    fields: Vec<FieldView>,
}

#[derive(Serialize)]
struct FieldView {
    /// The Rust field.
    name: String,
    /// The attribute (`from_` for `from`).
    py_name: String,
    /// `sid` (read without decoding the rest), `required` (other required text), `text`, `enum`, `date`, `copy` (a number or boolean, returned
    /// as it is), `decimal` or `map`.
    kind: &'static str,
    target: Option<String>,
    doc: String,
    summary: String,
    stub_type: &'static str,
    /// The Rust type of a `copy` field.
    rust_type: &'static str,
}

/// The resources the API identifies by a SID (`Call`), with their attributes; pages stay
/// hand-written classes.
fn models(api: &Api) -> ModelsView {
    let mut enums = Vec::new();
    let models = api
        .models
        .iter()
        .filter(|m| m.is_identified() && PYTHON_MODELS.contains(&m.name.as_str()))
        .map(|m| ModelView {
            name: m.name.clone(),
            fields: m
                .fields
                .iter()
                .filter_map(|f| {
                    let (kind, stub_type, rust_type) = match f.kind.as_str() {
                        "text" if f.name == "sid" => ("sid", "str", ""),
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
                    Some(FieldView {
                        name: f.name.clone(),
                        py_name: if f.name == "from" {
                            "from_".to_owned()
                        } else {
                            f.name.clone()
                        },
                        kind,
                        target: f.target.clone(),
                        doc: f.doc.clone(),
                        summary: f.doc.lines().next().unwrap_or_default().to_owned(),
                        stub_type,
                        rust_type,
                    })
                })
                .collect(),
        })
        .collect();
    enums.sort();
    enums.dedup();
    ModelsView { enums, models }
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
    fn of(api: &Api, resource: &'a Resource) -> Result<Self, String> {
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
                let walk: Vec<Arg> = args
                    .iter()
                    .filter(|(p, _)| !CURSOR_PARAMETERS.contains(&p.wire.as_str()))
                    .map(|(_, arg)| arg.clone())
                    .collect();
                let every = Builder::new("list", &op.type_name, walk, Vec::new());
                let one = Builder::new(
                    "page",
                    &op.type_name,
                    args.into_iter().map(|(_, a)| a).collect(),
                    Vec::new(),
                );
                let mut list = Method::new(
                    "list",
                    "Every match of the filters (at most `limit`), fetched page by page into a list.".to_owned(),
                    "all",
                    format!("list[{item}]"),
                    every.clone(),
                );
                let mut stream = Method::new(
                    "stream",
                    "Every match of the filters (at most `limit`), lazily: a page is fetched when the previous one is used up.".to_owned(),
                    "lazy",
                    format!("{item}Stream"),
                    every,
                );
                list.item = Some(item.clone());
                stream.item = Some(item.clone());
                methods.extend([
                    list,
                    stream,
                    Method::new("page", doc_of(op), "page", page, one),
                ]);
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
                Vec::new(),
            );
            methods.push(Method::new(
                &op.verb,
                doc_of(op),
                "one",
                returns.clone(),
                builder,
            ));
            for shortcut in &op.shortcuts {
                let fixed = shortcut
                    .set
                    .iter()
                    .map(|(p, variant)| {
                        let ty = p.enum_name.clone().unwrap_or_default();
                        uses.push(format!("types::{ty}"));
                        (p.name.clone(), format!("{ty}::{variant}"))
                    })
                    .collect();
                let builder = Builder::new(&shortcut.name, &op.type_name, path_args.clone(), fixed);
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
        let mut builders: Vec<Builder> = Vec::new();
        for m in &methods {
            if !builders.iter().any(|b| b.name == m.builder.name) {
                builders.push(m.builder.clone());
            }
        }
        Ok(ResourceView {
            resource,
            uses,
            items,
            builders,
            methods,
        })
    }
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
