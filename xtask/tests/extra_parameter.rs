//! One parameter and one field added to a copy of the description reach the generated layers.
//! The parameter reaches core's request (and so both clients' facades and the simulator's
//! reader, which take that request whole), the Python methods and their stubs, the command
//! line's flags, the rule cases the client, the simulator and the command line are tested with,
//! and the reference page; the field reaches core's `Call` and the reference page. The
//! generator writes into a scratch root: building its output is the checkout's own tests' job
//! once a real parameter is added.

use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// A scratch directory, removed when dropped.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `text` with `insert` placed right after the first `properties:` line below `anchor`.
fn insert_property(text: &str, anchor: &str, insert: &str) -> String {
    let start = text
        .find(anchor)
        .unwrap_or_else(|| panic!("{anchor} not found"));
    let key = "      properties:\n";
    let at = start + text[start..].find(key).expect("a properties block") + key.len();
    format!("{}{insert}{}", &text[..at], &text[at..])
}

fn read(root: &Path, path: &str) -> String {
    std::fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn an_added_parameter_and_field_reach_every_generated_layer() {
    let scratch = Scratch(std::env::temp_dir().join(format!("xtask-extra-{}", std::process::id())));
    let root = &scratch.0;
    let stub = "python/mycpaas/_mycpaas.pyi";
    std::fs::create_dir_all(root.join("python/mycpaas")).expect("scratch directory");
    std::fs::copy(workspace().join(stub), root.join(stub)).expect("stub copied");

    let description =
        std::fs::read_to_string(workspace().join("api/openapi.yaml")).expect("api/openapi.yaml");
    let description = insert_property(
        &description,
        "    CreateCallRequest:\n",
        "        ExtraNote:\n          type: string\n          maxLength: 12\n          \
         description: A note kept with the call.\n          x-mycpaas-single-line: true\n",
    );
    let description = insert_property(
        &description,
        "    Call:\n",
        "        extra_score:\n          type: [integer, \"null\"]\n          \
         description: A score of the call.\n",
    );
    let spec = root.join("openapi.yaml");
    std::fs::write(&spec, description).expect("description written");

    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("codegen")
        .arg("--spec")
        .arg(&spec)
        .arg("--root")
        .arg(root)
        .output()
        .expect("xtask runs");
    assert!(output.status.success(), "{output:?}");

    let expectations: &[(&str, &[&str])] = &[
        (
            "crates/mycpaas-core/src/generated/calls.rs",
            &["pub fn extra_note(", "\"ExtraNote\""],
        ),
        (
            "crates/mycpaas-core/src/generated/models.rs",
            &["pub extra_score:"],
        ),
        ("bindings/python/src/generated/calls.rs", &["extra_note"]),
        (stub, &["extra_note: Optional[str]"]),
        (
            "crates/mycpaas-cli/src/generated/calls.rs",
            &[
                "long = \"extra-note\"",
                "A note kept with the call [up to 12 characters]",
            ],
        ),
        (
            "docs/reference.md",
            &[
                "| `ExtraNote` | `.extra_note(..)` | `extra_note` | `--extra-note` |",
                "`extra_score`",
            ],
        ),
        (
            "tests/src/generated/rule_cases.rs",
            &[
                "parameter: \"ExtraNote\",\n        rule: \"max-length\"",
                "(\"--extra-note\"",
            ],
        ),
    ];
    let mut missing = Vec::new();
    for (path, needles) in expectations {
        let text = read(root, path);
        for needle in *needles {
            if !text.contains(needle) {
                missing.push(format!("{path} lacks {needle:?}"));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}
