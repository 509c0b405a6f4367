//! The resource facades of the two Rust clients, from one template: `client.calls().create(..)`
//! in `mycpaas-blocking` and `client.calls().create(..).await` in `mycpaas-async` are printed
//! from the same operations, so the two crates cannot drift apart.

use minijinja::Environment;
use serde::Serialize;

use crate::Output;
use crate::api::{Api, Op, Resource};
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
    resources: &'a [Resource],
}

#[derive(Serialize)]
struct Method<'a> {
    op: &'a Op,
    /// `sid: &str` for an operation that has only path parameters, else the request.
    takes_request: bool,
    /// A `no_run` example's call, when the description gives what it needs.
    example: Option<String>,
}

pub fn generate(api: &Api, env: &Environment<'_>, out: &mut Output) -> Result<(), String> {
    for (dir, flavor) in &FLAVORS {
        for resource in &api.resources {
            let path = format!("{dir}/{}.rs", resource.name);
            let view = ResourceView::of(flavor, resource);
            out.rust(path, env, "facade_resource.rs", view)?;
        }
        let context = ModView {
            resources: &api.resources,
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
        args.push(format!("{:?}", p.example.as_ref()?));
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
