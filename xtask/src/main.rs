//! The project's generator: reads `api/openapi.yaml` and writes every file that restates it.
//!
//! ```text
//! cargo run -p xtask -- codegen            # write the generated files
//! cargo run -p xtask -- codegen --check    # fail if any generated file differs from what it would write
//! ```
//!
//! `--spec PATH` reads another description and `--root DIR` writes below another checkout (the
//! round-trip test uses both).

mod api;
mod cli;
mod facade;
mod python;
mod reference;
mod render;
mod rule_cases;
mod rules;
mod rust_core;
mod sim;
mod spec;

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use minijinja::Environment;
use serde::Serialize;

/// The files a run would write, by path below the root.
#[derive(Default)]
pub struct Output {
    files: BTreeMap<String, String>,
}

impl Output {
    /// A Rust file rendered from `template` with `context`: formatted, with the marker checked.
    pub fn rust(
        &mut self,
        path: String,
        env: &Environment<'_>,
        template: &str,
        context: impl Serialize,
    ) -> Result<(), String> {
        let source = render::render(env, template, context)?;
        self.other(path, render::rustfmt(&source)?)
    }

    /// Any other file.
    pub fn other(&mut self, path: String, contents: String) -> Result<(), String> {
        if !contents.contains(render::MARKER) {
            return Err(format!(
                "{path}: the generated text lacks the generated-file marker"
            ));
        }
        match self.files.entry(path) {
            Entry::Occupied(taken) => Err(format!("{} is generated twice", taken.key())),
            Entry::Vacant(free) => {
                free.insert(contents);
                Ok(())
            }
        }
    }
}

struct Args {
    check: bool,
    spec: PathBuf,
    root: PathBuf,
}

fn parse_args() -> Result<Args, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf();
    let mut args = Args {
        check: false,
        spec: root.join("api/openapi.yaml"),
        root,
    };
    let mut given = std::env::args().skip(1);
    match given.next().as_deref() {
        Some("codegen") => {}
        other => {
            return Err(format!(
                "usage: xtask codegen [--check] [--spec PATH] [--root DIR] (got {other:?})"
            ));
        }
    }
    while let Some(arg) = given.next() {
        match arg.as_str() {
            "--check" => args.check = true,
            "--spec" => args.spec = given.next().ok_or("--spec needs a path")?.into(),
            "--root" => args.root = given.next().ok_or("--root needs a directory")?.into(),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(args)
}

fn generate(spec_path: &Path, root: &Path) -> Result<Output, String> {
    let spec = spec::Spec::load(spec_path)?;
    let api = api::Api::from_spec(&spec)?;
    let env = render::environment(&[
        rust_core::TEMPLATES,
        facade::TEMPLATES,
        python::TEMPLATES,
        reference::TEMPLATES,
        sim::TEMPLATES,
        rule_cases::TEMPLATES,
        cli::TEMPLATES,
    ]);
    let mut out = Output::default();
    rust_core::generate(&api, &env, &mut out)?;
    facade::generate(&api, &env, &mut out)?;
    let stub = root.join(python::STUB);
    let current_stub =
        std::fs::read_to_string(&stub).map_err(|e| format!("{}: {e}", stub.display()))?;
    python::generate(&api, &env, &mut out, &current_stub)?;
    reference::generate(&api, &env, &mut out)?;
    sim::generate(&api, &env, &mut out)?;
    rule_cases::generate(&api, &env, &mut out)?;
    cli::generate(&api, &env, &mut out)?;
    Ok(out)
}

fn run() -> Result<bool, String> {
    let args = parse_args()?;
    let out = generate(&args.spec, &args.root)?;
    let mut stale = Vec::new();
    for (path, contents) in &out.files {
        let target = args.root.join(path);
        let current = std::fs::read_to_string(&target).ok();
        if current.as_deref() == Some(contents.as_str()) {
            continue;
        }
        if args.check {
            stale.push(path.clone());
        } else {
            if let Some(dir) = target.parent() {
                std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            }
            std::fs::write(&target, contents).map_err(|e| format!("{}: {e}", target.display()))?;
            println!("wrote {path}");
        }
    }
    if stale.is_empty() {
        if args.check {
            println!(
                "codegen --check: {} generated files are up to date",
                out.files.len()
            );
        }
        Ok(true)
    } else {
        eprintln!("codegen --check: these generated files differ from api/openapi.yaml:");
        for path in &stale {
            eprintln!("  {path}");
        }
        eprintln!("run `cargo run -p xtask -- codegen` (and never edit generated files by hand)");
        Ok(false)
    }
}

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::from(2)
        }
    }
}
