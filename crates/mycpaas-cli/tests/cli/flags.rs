//! Every parameter of `api/openapi.yaml` has its flag: the description is read here on its own
//! (not through the generator), and `--help` of each command must list each of its parameters.

use serde_json::Value;

use crate::support::mycpaas;

/// The description, as JSON values.
fn description() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../api/openapi.yaml");
    let text = std::fs::read_to_string(path).expect("api/openapi.yaml");
    serde_saphyr::from_str(&text).expect("api/openapi.yaml parses")
}

/// `StatusCallbackEvent` → `status-callback-event`.
fn kebab(name: &str) -> String {
    let mut out = String::new();
    for (index, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if index > 0 {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else if c == '_' {
            out.push('-');
        } else {
            out.push(c);
        }
    }
    out
}

/// The flag a parameter or property is given: its `x-mycpaas-cli-flag`, else its SDK name
/// (`x-mycpaas-name`) or its wire name in kebab case.
fn flag(wire: &str, declared: &Value) -> String {
    match (
        declared["x-mycpaas-cli-flag"].as_str(),
        declared["x-mycpaas-name"].as_str(),
    ) {
        (Some(flag), _) => flag.to_owned(),
        (None, Some(name)) => kebab(name),
        (None, None) => kebab(wire),
    }
}

/// The flags of a form request schema's properties.
fn body_flags(spec: &Value, schema: &str) -> Vec<(String, String)> {
    spec["components"]["schemas"][schema]["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("{schema} has properties"))
        .iter()
        .map(|(wire, property)| (wire.clone(), flag(wire, property)))
        .collect()
}

/// The flags of an operation's query parameters (`$ref`s resolved).
fn query_flags(spec: &Value, path: &str, method: &str) -> Vec<(String, String)> {
    spec["paths"][path][method]["parameters"]
        .as_array()
        .expect("the operation has parameters")
        .iter()
        .map(|parameter| match parameter["$ref"].as_str() {
            Some(reference) => {
                let name = reference.trim_start_matches("#/components/parameters/");
                spec["components"]["parameters"][name].clone()
            }
            None => parameter.clone(),
        })
        .filter(|parameter| parameter["in"] == "query")
        .map(|parameter| {
            let wire = parameter["name"].as_str().expect("a name").to_owned();
            let flag = flag(&wire, &parameter);
            (wire, flag)
        })
        .collect()
}

/// The long flags `--help` of `command` lists.
fn listed(command: &[&str]) -> Vec<String> {
    let output = mycpaas()
        .args(command)
        .arg("--help")
        .output()
        .expect("mycpaas runs");
    assert!(output.status.success(), "{command:?} --help failed");
    String::from_utf8(output.stdout)
        .expect("UTF-8 help")
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix("--"))
        .filter_map(|rest| rest.split([' ', '<']).next())
        .map(str::to_owned)
        .collect()
}

fn assert_listed(command: &[&str], expected: &[(String, String)]) {
    assert!(!expected.is_empty(), "{command:?}: no parameters read");
    let listed = listed(command);
    let missing: Vec<String> = expected
        .iter()
        .filter(|(_, flag)| !listed.contains(flag))
        .map(|(wire, flag)| format!("{wire} (--{flag})"))
        .collect();
    assert!(
        missing.is_empty(),
        "`mycpaas {}` --help lacks the flags of {}; it lists {listed:?}",
        command.join(" "),
        missing.join(", ")
    );
}

#[test]
fn create_help_lists_every_create_parameter_of_the_description() {
    let spec = description();
    let expected = body_flags(&spec, "CreateCallRequest");
    assert!(
        expected.len() >= 30,
        "only {} create parameters",
        expected.len()
    );
    assert_listed(&["calls", "create"], &expected);
}

#[test]
fn update_and_list_help_list_every_parameter_of_theirs() {
    let spec = description();
    assert_listed(
        &["calls", "update"],
        &body_flags(&spec, "UpdateCallRequest"),
    );
    assert_listed(
        &["calls", "list"],
        &query_flags(&spec, "/2010-04-01/Accounts/{AccountSid}/Calls.json", "get"),
    );
}

#[test]
fn flag_values_are_read_and_checked_by_core_before_any_client_exists() {
    // No credentials: each refusal comes from reading or checking the request, before sending.
    mycpaas()
        .args(["calls", "list", "--start-time", "yesterday"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("StartTime"))
        .stderr(predicates::str::contains("YYYY-MM-DD"));
    mycpaas()
        .args(["calls", "update", "CA0123456789abcdef0123456789abcdef"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("needs at least one parameter"));
    // The description's groups are usage: two of a group at most one of which may be given.
    mycpaas()
        .args(["calls", "list", "--start-time", "2026-04-19"])
        .args(["--start-time-before", "2026-04-20"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--start-time"));
    mycpaas()
        .args(["calls", "update", "CA0123456789abcdef0123456789abcdef"])
        .args([
            "--url",
            "https://example.com/next.xml",
            "--twiml",
            "next.xml",
        ])
        .assert()
        .code(2);
}
