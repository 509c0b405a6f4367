//! The resource facades of the two Rust clients, from one template: `client.calls().create(..)`
//! in `mycpaas-blocking` and `client.calls().create(..).await` in `mycpaas-async` are printed
//! from the same operations, so the two crates cannot drift apart.

use heck::ToUpperCamelCase;
use minijinja::Environment;
use serde::Serialize;

use crate::Output;
use crate::api::{Api, Op, Resource, Shortcut};
use crate::render;

pub const TEMPLATES: render::Templates = &[
    (
        "facade_resource.rs",
        include_str!("../templates/facade_resource.rs.jinja"),
    ),
    (
        "facade_mod.rs",
        include_str!("../templates/facade_mod.rs.jinja"),
    ),
];

/// One of the two clients.
#[derive(Serialize)]
struct Flavor {
    /// `mycpaas_blocking`
    krate: &'static str,
    /// `async ` or nothing, before `fn`.
    asyncness: &'static str,
    /// `.await` or nothing, after a call.
    wait: &'static str,
    /// The lazy walk over a list's pages: `iter` or `stream`.
    walk: &'static str,
}

const FLAVORS: [(&str, Flavor); 2] = [
    (
        "crates/mycpaas-blocking/src/generated",
        Flavor {
            krate: "mycpaas_blocking",
            asyncness: "",
            wait: "",
            walk: "iter",
        },
    ),
    (
        "crates/mycpaas-async/src/generated",
        Flavor {
            krate: "mycpaas_async",
            asyncness: "async ",
            wait: ".await",
            walk: "stream",
        },
    ),
];

#[derive(Serialize)]
struct ResourceView<'a> {
    flavor: &'a Flavor,
    resource: &'a Resource,
    uses: Vec<String>,
    methods: Vec<Method<'a>>,
}

#[derive(Serialize)]
struct ModView<'a> {
    resources: Vec<&'a Resource>,
}

#[derive(Serialize)]
struct Method<'a> {
    op: &'a Op,
    /// `sid: &str` for an operation that has only path parameters, else the request.
    takes_request: bool,
    /// A `no_run` example's call, when the description gives what it needs.
    example: Option<String>,
    shortcuts: Vec<ShortcutCall<'a>>,
    /// The lazy walk of a list: `iter` for `list`, `iter_for_call` for `list_for_call` (`stream`
    /// in the async client).
    walk: String,
}

/// A shortcut method and the request it sends.
#[derive(Serialize)]
struct ShortcutCall<'a> {
    name: &'a str,
    summary: &'a str,
    /// `UpdateCall::new(sid).status(UpdateStatus::Canceled)`: the path parameters are the method's
    /// arguments; a fixed parameter is a constructor argument when it is required, else a setter.
    request: String,
}

pub fn generate(api: &Api, env: &Environment<'_>, out: &mut Output) -> Result<(), String> {
    for (dir, flavor) in &FLAVORS {
        // The simulator's control routes are not the platform's: no client has them.
        for resource in api.platform_resources() {
            let path = format!("{dir}/{}.rs", resource.name);
            let view = ResourceView::of(flavor, resource);
            out.rust(path, env, "facade_resource.rs", view)?;
        }
        let context = ModView {
            resources: api.platform_resources().collect(),
        };
        out.rust(format!("{dir}/mod.rs"), env, "facade_mod.rs", context)?;
    }
    Ok(())
}

impl<'a> ResourceView<'a> {
    fn of(flavor: &'a Flavor, resource: &'a Resource) -> Self {
        let mut uses = Vec::new();
        let methods = resource
            .operations
            .iter()
            .map(|op| {
                uses.push(op.type_name.clone());
                if let Some(output) = &op.output {
                    uses.push(output.clone());
                }
                if flavor.walk == "stream" {
                    // The stream's items are named by its type.
                    uses.extend(op.item.clone());
                }
                for shortcut in &op.shortcuts {
                    for (param, _) in &shortcut.set {
                        uses.extend(param.enum_name.clone());
                    }
                }
                Method {
                    op,
                    takes_request: op.location != "none",
                    example: example(op),
                    shortcuts: op.shortcuts.iter().map(|s| shortcut_call(op, s)).collect(),
                    walk: match op.verb.strip_prefix("list") {
                        Some(rest) => format!("{}{rest}", flavor.walk),
                        None => flavor.walk.to_owned(),
                    },
                }
            })
            .collect();
        uses.sort();
        uses.dedup();
        ResourceView {
            flavor,
            resource,
            uses,
            methods,
        }
    }
}

fn shortcut_call<'a>(op: &Op, shortcut: &'a Shortcut) -> ShortcutCall<'a> {
    ShortcutCall {
        name: &shortcut.name,
        summary: &shortcut.summary,
        request: shortcut.request(op),
    }
}

/// `CreateCall::new("+491234567890", "+491098765432").url("https://example.com/voice.xml")`
/// from the `examples` of the required parameters and of the first of an exactly-one-of group.
fn example(op: &Op) -> Option<String> {
    if op.location == "none" {
        return Some(String::new());
    }
    let mut args = Vec::new();
    for p in op
        .path_params
        .iter()
        .chain(op.params.iter().filter(|p| p.required))
    {
        let example = p.example.as_ref()?;
        args.push(match &p.enum_name {
            // The crate's name is put in by the template.
            Some(name) if p.kind == "enum" => {
                format!("KRATE::{name}::{}", example.to_upper_camel_case())
            }
            _ => format!("{example:?}"),
        });
    }
    let call = format!("{}::new({})", op.type_name, args.join(", "));
    match op.exactly_one_of.first() {
        Some(first) => {
            let param = op.params.iter().find(|p| &p.wire == first)?;
            Some(format!(
                "{call}.{}({:?})",
                param.name,
                param.example.as_ref()?
            ))
        }
        None => Some(call),
    }
}
