//! One parameter and one field added to a copy of the description reach the generated layers.
//! The parameter reaches core's request (and so both clients' facades and the simulator's
//! reader, which take that request whole), the Python methods and their stubs, the command
//! line's flags, the rule cases the client, the simulator and the command line are tested with,
//! and the reference page; the field reaches core's `Call` and the reference page. This test
//! reads the generated text only and runs with every `cargo test`; `round_trip.rs` builds the
//! extended copy and runs it.

mod common;

use common::{Scratch, codegen, extended_description, read, workspace};

#[test]
fn an_added_parameter_and_field_reach_every_generated_layer() {
    let scratch = Scratch::new("extra");
    let root = &scratch.0;
    let stub = "python/mycpaas/_mycpaas.pyi";
    std::fs::create_dir_all(root.join("python/mycpaas")).expect("scratch directory");
    std::fs::copy(workspace().join(stub), root.join(stub)).expect("stub copied");
    let spec = root.join("openapi.yaml");
    std::fs::write(&spec, extended_description()).expect("description written");
    codegen(&spec, root);

    let expectations: &[(&str, &[&str])] = &[
        (
            "crates/mycpaas-core/src/generated/calls.rs",
            &["pub fn extra_note(", "\"ExtraNote\""],
        ),
        (
            "crates/mycpaas-core/src/generated/models.rs",
            &["pub extra_score: Option<i64>,"],
        ),
        ("bindings/python/src/generated/calls.rs", &["extra_note"]),
        (
            stub,
            &[
                "extra_note: Optional[str]",
                "def extra_score(self) -> Optional[int]:",
            ],
        ),
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
