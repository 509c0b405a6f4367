//! The simulator's generated file: the API's routes, and for each operation with parameters the
//! function that reads its request with core's decoding and checks it with core's rules, so the
//! simulator refuses exactly what a client refuses, with the same words and the description's code.

use heck::ToSnakeCase;
use minijinja::Environment;
use serde::Serialize;

use crate::Output;
use crate::api::Api;
use crate::render;

pub const TEMPLATES: render::Templates =
    &[("sim_api.rs", include_str!("../templates/sim_api.rs.jinja"))];

pub fn generate(api: &Api, env: &Environment<'_>, out: &mut Output) -> Result<(), String> {
    out.rust(
        "crates/mycpaas-sim/src/api/generated.rs".to_owned(),
        env,
        "sim_api.rs",
        View::of(api)?,
    )
}

#[derive(Serialize)]
struct View {
    /// The resource modules the handlers live in.
    resources: Vec<String>,
    /// The core request types the readers return.
    types: Vec<String>,
    /// The routing functions that start a route's methods (`get`, `post`, ...).
    routing: Vec<String>,
    routes: Vec<Route>,
    /// The routes at the simulator's root (its control routes), served once, without a prefix.
    root_routes: Vec<Route>,
    readers: Vec<Reader>,
}

/// One path and the handler of each of its methods.
#[derive(Serialize)]
struct Route {
    /// The path below the prefix, as a `format!` string (`/Accounts/{{AccountSid}}/Calls.json`).
    path: String,
    /// The path as the router reads it (`/Accounts/{AccountSid}/Calls.json`).
    literal: String,
    /// A path parameter followed by `.json` in one segment is captured whole: the router cannot
    /// match a suffix after a parameter.
    whole_segment: bool,
    /// `(routing function, handler path, summary)` per method.
    methods: Vec<(String, String, String)>,
}

/// `read_create_call(form)`: one operation's request read and checked.
#[derive(Serialize)]
struct Reader {
    name: String,
    type_name: String,
    summary: String,
    http_method: String,
    path_format: String,
    /// `form` or `query`.
    location: String,
    /// The path parameters `from_form`/`from_query` takes first (`sid`).
    path_args: Vec<String>,
}

impl View {
    fn of(api: &Api) -> Result<View, String> {
        let mut routes: Vec<Route> = Vec::new();
        let mut root_routes: Vec<Route> = Vec::new();
        let mut readers = Vec::new();
        let mut types = Vec::new();
        for resource in &api.resources {
            let routes = if resource.root {
                &mut root_routes
            } else {
                &mut routes
            };
            for op in &resource.operations {
                let account = (!op.root).then_some("AccountSid");
                let names: Vec<&str> = account
                    .into_iter()
                    .chain(op.path_params.iter().map(|p| p.wire.as_str()))
                    .collect();
                let (path, whole_segment) =
                    route_path(&op.path_format, &names).ok_or_else(|| {
                        format!(
                            "{}: path parameters do not fit {}",
                            op.type_name, op.path_format
                        )
                    })?;
                let method = (
                    op.http_method.to_lowercase(),
                    format!("{}::{}", resource.name, op.type_name.to_snake_case()),
                    op.summary.clone(),
                );
                match routes.iter_mut().find(|r| r.path == path) {
                    Some(route) => route.methods.push(method),
                    None => routes.push(Route {
                        literal: path.replace("{{", "{").replace("}}", "}"),
                        path,
                        whole_segment,
                        methods: vec![method],
                    }),
                }
                if op.location == "none" {
                    continue;
                }
                types.push(op.type_name.clone());
                readers.push(Reader {
                    name: format!("read_{}", op.type_name.to_snake_case()),
                    type_name: op.type_name.clone(),
                    summary: op.summary.clone(),
                    http_method: op.http_method.clone(),
                    path_format: op.path_format.clone(),
                    location: op.location.clone(),
                    path_args: op.path_params.iter().map(|p| p.name.clone()).collect(),
                });
            }
        }
        types.sort();
        let mut routing: Vec<String> = routes
            .iter()
            .chain(&root_routes)
            .filter_map(|r| r.methods.first().map(|(f, _, _)| f.clone()))
            .collect();
        routing.sort();
        routing.dedup();
        Ok(View {
            routing,
            resources: api.resources.iter().map(|r| r.name.clone()).collect(),
            types,
            routes,
            root_routes,
            readers,
        })
    }
}

/// `/Accounts/{}/Calls/{}.json` with `names` → `/Accounts/{{AccountSid}}/Calls/{{CallSid}}`, and
/// whether a segment was captured whole (its `.json` is then the handler's to check); `None` when
/// the names do not fit the placeholders.
fn route_path(path_format: &str, names: &[&str]) -> Option<(String, bool)> {
    let pieces: Vec<&str> = path_format.split("{}").collect();
    if pieces.len() != names.len() + 1 {
        return None;
    }
    let mut path = pieces[0].to_owned();
    let mut whole_segment = false;
    for (name, rest) in names.iter().zip(&pieces[1..]) {
        path.push_str("{{");
        path.push_str(name);
        path.push_str("}}");
        let rest = match rest.split_once('/') {
            Some((suffix, tail)) if !suffix.is_empty() => {
                whole_segment = true;
                format!("/{tail}")
            }
            None if !rest.is_empty() => {
                whole_segment = true;
                String::new()
            }
            _ => (*rest).to_owned(),
        };
        path.push_str(&rest);
    }
    Some((path, whole_segment))
}

#[cfg(test)]
mod tests {
    use super::route_path;

    #[test]
    fn routes_capture_a_suffixed_segment_whole() {
        assert_eq!(
            route_path("/Accounts/{}/Calls.json", &["AccountSid"]),
            Some(("/Accounts/{{AccountSid}}/Calls.json".to_owned(), false))
        );
        assert_eq!(
            route_path("/Accounts/{}/Calls/{}.json", &["AccountSid", "CallSid"]),
            Some((
                "/Accounts/{{AccountSid}}/Calls/{{CallSid}}".to_owned(),
                true
            ))
        );
        assert_eq!(
            route_path(
                "/Accounts/{}/Calls/{}/Recordings.json",
                &["AccountSid", "CallSid"]
            ),
            Some((
                "/Accounts/{{AccountSid}}/Calls/{{CallSid}}/Recordings.json".to_owned(),
                false
            ))
        );
        assert_eq!(route_path("/Accounts/{}.json", &[]), None);
    }
}
