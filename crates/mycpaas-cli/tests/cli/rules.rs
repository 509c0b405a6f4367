//! Each rule of `api/openapi.yaml` the command line leaves to core: `mycpaas calls`, given the
//! case's request as flags, refuses it with exit code 1 and core's very words (the ones the
//! clients raise and the simulator answers, `tests/tests/rules.rs`), before any credential is
//! needed. Rules the command line checks as usage (a missing flag, a group of flags, a value its
//! type refuses) are clap's and exit with 2; the cases say which.

use mycpaas_tests::rules::CASES;

use crate::support::mycpaas;

/// The SID of the path, for the operations that take one.
const SID: &str = "CA0123456789abcdef0123456789abcdef";

#[test]
fn the_command_line_refuses_every_rule_with_cores_words() {
    let mut problems = Vec::new();
    let mut checked = 0;
    let mut kinds = Vec::new();
    for case in CASES {
        let (Some(cli), Some(build)) = (case.cli, case.typed) else {
            continue;
        };
        let path = vec![SID; case.path_params.len()];
        let Some(expected) = build(&path).validate().err() else {
            problems.push(format!("{case}: core accepts the typed request"));
            continue;
        };
        let args = cli.args(&path);
        // No credentials anywhere: a request that got past the checks would exit 2 for them.
        let output = mycpaas()
            .arg(case.command)
            .args(&args)
            .output()
            .expect("mycpaas runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr.lines().next().unwrap_or_default();
        if output.status.code() != Some(1) || first != format!("error: {expected}") {
            problems.push(format!(
                "{case}: `mycpaas {} {}` exited {:?} with {first:?}; expected 1 and \"error: {expected}\"",
                case.command,
                args.join(" "),
                output.status.code()
            ));
        }
        checked += 1;
        kinds.push(case.rule);
    }
    assert!(
        problems.is_empty(),
        "{} of {checked} rule cases disagree:\n{}",
        problems.len(),
        problems.join("\n")
    );
    // The kinds of rule a flag's value can break with its type intact all reach core.
    for kind in [
        "not-empty",
        "max-length",
        "charset",
        "endpoint",
        "absolute-url",
        "sid",
        "single-line",
        "range",
        "at-least",
        "some-parameter",
    ] {
        assert!(
            kinds.contains(&kind),
            "no {kind} case reached the command line"
        );
    }
    println!("the command line refused {checked} rule cases with core's words");
}
