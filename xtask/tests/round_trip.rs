//! The generator's round trip: a copy of the workspace whose description has one extra create
//! parameter (`ExtraNote`, at most 12 characters) and one extra Call field (`extra_score`) is
//! generated, built and run. The parameter reaches core's setter and form, the command line's
//! flag and its refusal, the Python signatures and stubs, the Python client's refusal and the
//! simulator's (over raw HTTP, with the same words); the field is read from a call's JSON into
//! core's `Call` and Python's.
//!
//! It builds the copy's core, command line and Python extension in a target directory of its
//! own (kept between runs, so dependencies build once), which takes minutes: `scripts/test`
//! runs it with `cargo test -p xtask --test round_trip -- --ignored`.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{EXTRA_FIELD, EXTRA_PARAMETER, codegen, extended_description, workspace};

/// A program written into the copy's core: it uses the extra setter and field by name, so it
/// compiles only if both were generated.
const RUST_CHECK: &str = r#"//! Written by xtask's round-trip test into a copy of the workspace.
use mycpaas_core::{Config, CreateCall, FetchCall, Operation};

fn main() {
    let create = CreateCall::new("+15550001111", "+15550002222").url("https://example.com/voice.xml");
    let config = Config::builder("AC1", "token").build().expect("config");
    let request = create.clone().extra_note("kept").build_request(&config).expect("valid");
    println!("form: {}", String::from_utf8_lossy(request.body()));
    let refused = create.extra_note("x".repeat(13)).validate().expect_err("13 characters");
    println!("refused: {refused}");
    let path = std::env::args().nth(1).expect("a JSON file");
    let body = std::fs::read(path).expect("the call's JSON");
    let response = http::Response::builder().status(200).body(body).expect("response");
    let call = FetchCall::new("CA0").parse_response(response).expect("a call");
    println!("extra_score: {:?}", call.extra_score);
}
"#;

fn run(command: &mut Command) -> Output {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("{command:?}: {e}"));
    assert!(
        output.status.success(),
        "{command:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The rest of the line of `output` that starts with `prefix`.
fn said<'a>(output: &'a str, prefix: &str) -> &'a str {
    output
        .lines()
        .find_map(|line| line.strip_prefix(prefix))
        .unwrap_or_else(|| panic!("no {prefix:?} line in {output:?}"))
}

/// Copies the files git knows (tracked, or new and not ignored) from `from` to `to`.
fn copy_workspace(from: &Path, to: &Path) {
    let _ = std::fs::remove_dir_all(to);
    let listed = run(Command::new("git").current_dir(from).args([
        "ls-files",
        "-z",
        "--cached",
        "--others",
        "--exclude-standard",
    ]));
    for name in listed.stdout.split(|b| *b == 0).filter(|n| !n.is_empty()) {
        let name = std::str::from_utf8(name).expect("UTF-8 file names");
        let source = from.join(name);
        if !source.is_file() {
            continue; // deleted in the working tree
        }
        let destination = to.join(name);
        std::fs::create_dir_all(destination.parent().expect("a parent")).expect("directory");
        std::fs::copy(&source, &destination).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

/// The interpreter the project's tests use, or the system's.
fn python() -> PathBuf {
    let venv = workspace().join(".venv/bin/python");
    if venv.exists() {
        venv
    } else {
        PathBuf::from("python3")
    }
}

#[test]
#[ignore = "builds a copy of the workspace (minutes): scripts/test runs it"]
fn an_added_parameter_and_field_work_in_every_layer() {
    assert!(EXTRA_PARAMETER.contains("maxLength: 12") && EXTRA_FIELD.contains("integer"));
    let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join("round-trip");
    let copy = base.join("workspace");
    let target = base.join("target");
    copy_workspace(&workspace(), &copy);

    let spec = copy.join("api/openapi.yaml");
    std::fs::write(&spec, extended_description()).expect("description written");
    codegen(&spec, &copy);
    let bin = copy.join("crates/mycpaas-core/src/bin");
    std::fs::create_dir_all(&bin).expect("bin directory");
    std::fs::write(bin.join("extra_round_trip.rs"), RUST_CHECK).expect("program written");

    let python = python();
    run(Command::new(env!("CARGO"))
        .current_dir(&copy)
        .env("CARGO_TARGET_DIR", &target)
        .env("PYO3_BUILD_EXTENSION_MODULE", "1")
        .env("PYO3_PYTHON", &python)
        .args(["build", "--locked", "--quiet"])
        .args([
            "-p",
            "mycpaas-core",
            "-p",
            "mycpaas-cli",
            "-p",
            "mycpaas-python",
        ]));
    let built = target.join("debug");

    // Python and the simulator; the call's JSON, with the extra field set, is left for Rust.
    std::fs::copy(
        built.join("lib_mycpaas.so"),
        copy.join("python/mycpaas/_mycpaas.abi3.so"),
    )
    .expect("extension copied");
    let call_json = base.join("call.json");
    let python_run = run(Command::new(&python)
        .current_dir(&copy)
        .env("PYTHONPATH", copy.join("python"))
        .arg(workspace().join("xtask/tests/round_trip.py"))
        .arg(&call_json)
        .arg(copy.join("python/mycpaas/_mycpaas.pyi")));
    let python_said = stdout(&python_run);
    assert!(python_said.contains("python: ok"), "{python_said}");

    // Rust: the setter's form, its refusal, and the field read into `Call`.
    let rust = stdout(&run(
        Command::new(built.join("extra_round_trip")).arg(&call_json)
    ));
    assert!(rust.contains("ExtraNote=kept"), "{rust}");
    assert!(rust.contains("extra_score: Some(7)"), "{rust}");
    let refusal = said(&rust, "refused: ");
    assert!(refusal.contains("ExtraNote") && refusal.contains("12 characters (got 13)"));
    assert_eq!(
        said(&python_said, "refused: "),
        refusal,
        "Python's words differ"
    );

    // The command line: the flag in the help, and core's refusal before any credential.
    let cli = built.join("mycpaas");
    let help = stdout(&run(Command::new(&cli).args(["calls", "create", "--help"])));
    assert!(help.contains("--extra-note"), "{help}");
    assert!(help.contains("A note kept with the call"), "{help}");
    let refused = Command::new(&cli)
        .env_clear()
        .args([
            "calls",
            "create",
            "--to",
            "+15550001111",
            "--from",
            "+15550002222",
        ])
        .args([
            "--url",
            "https://example.com/voice.xml",
            "--extra-note",
            "xxxxxxxxxxxxx",
        ])
        .output()
        .expect("mycpaas runs");
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{stderr}");
    assert_eq!(
        stderr.lines().next(),
        Some(format!("error: {refusal}").as_str())
    );
}
