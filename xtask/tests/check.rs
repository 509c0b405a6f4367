//! `codegen --check` passes on freshly generated files and fails, naming each file, once a
//! generated file is edited by hand. Runs the generator into a scratch root, never the checkout.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The checkout the generator reads the description from.
fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

fn codegen(root: &Path, check: bool) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command.arg("codegen").arg("--root").arg(root);
    if check {
        command.arg("--check");
    }
    command.output().expect("xtask runs")
}

/// A scratch directory, removed when dropped.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn check_fails_after_a_hand_edit_of_a_generated_file() {
    let scratch = Scratch(std::env::temp_dir().join(format!("xtask-check-{}", std::process::id())));
    let root = &scratch.0;
    // The stub file is generated only between its markers: the rest comes from the checkout.
    let stub = "python/mycpaas/_mycpaas.pyi";
    std::fs::create_dir_all(root.join("python/mycpaas")).expect("scratch directory");
    std::fs::copy(workspace().join(stub), root.join(stub)).expect("stub copied");

    let written = codegen(root, false);
    assert!(written.status.success(), "{written:?}");
    let fresh = codegen(root, true);
    assert!(fresh.status.success(), "fresh files are stale: {fresh:?}");

    let edited = [
        "tests/src/generated/rule_cases.rs",
        "crates/mycpaas-cli/src/generated/calls.rs",
        "crates/mycpaas-sim/src/api/generated.rs",
    ];
    for path in edited {
        let path = root.join(path);
        let mut text = std::fs::read_to_string(&path).expect("a generated file");
        text.push_str("// edited by hand\n");
        std::fs::write(&path, text).expect("edit written");
    }
    let stale = codegen(root, true);
    assert_eq!(stale.status.code(), Some(1), "{stale:?}");
    let stderr = String::from_utf8_lossy(&stale.stderr);
    for path in edited {
        assert!(stderr.contains(path), "{path} not named: {stderr}");
    }
}
