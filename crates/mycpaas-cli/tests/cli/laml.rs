//! `mycpaas laml validate` and `mycpaas laml fmt`.

use assert_cmd::assert::Assert;
use predicates::prelude::*;

use crate::support::{file, mycpaas, temp_file, text};

const GOOD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Response>
  <Say voice="alice">Hello</Say>
  <Gather numDigits="1" action="/menu"><Say>Press 1</Say></Gather>
</Response>
"#;

/// `mycpaas laml validate` of a file `name` holding `content`: the file's path and the finished run.
fn validate(name: &str, content: &str) -> (String, Assert) {
    let (_dir, path) = temp_file(name, content);
    let run = mycpaas().args(["laml", "validate", &path]).assert();
    (path, run)
}

/// `mycpaas laml ARGS -` with `document` on stdin: the finished run.
fn laml_on_stdin(args: &[&str], document: impl Into<Vec<u8>>) -> Assert {
    mycpaas()
        .arg("laml")
        .args(args)
        .arg("-")
        .write_stdin(document)
        .assert()
}

#[test]
fn a_valid_document_passes() {
    let (path, run) = validate("good.xml", GOOD);
    run.success().stdout(format!("{path}: ok\n"));
}

#[test]
fn malformed_laml_is_reported_with_line_and_column() {
    let (path, run) = validate(
        "bad.xml",
        "<Response>\n  <Say>Hi</Say>\n  <Pause length=\"soon\"/>\n</Response>\n",
    );
    run.code(1).stdout(predicate::str::starts_with(format!(
        "{path}:3:10: error: <Pause> attribute `length`"
    )));
}

#[test]
fn validation_errors_and_warnings_point_at_their_element() {
    let (path, run) = validate(
        "rules.xml",
        "<Response>\n  <Hangup/>\n  <Dial timeout=\"2\">\n    <Number>+15551230000</Number>\n  </Dial>\n</Response>\n",
    );
    let output = run.code(1);
    let stdout = text(&output.get_output().stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(
        lines[0].starts_with(&format!("{path}:3:3: warning: unreachable")),
        "{stdout}"
    );
    assert!(
        lines[1].starts_with(&format!("{path}:3:3: error: attribute `timeout`")),
        "{stdout}"
    );
}

#[test]
fn warnings_alone_do_not_fail() {
    let (_, run) = validate("warn.xml", "<Response><Hangup/><Say>late</Say></Response>");
    run.success()
        .stdout(predicate::str::contains(":1:20: warning: unreachable"));
}

#[test]
fn every_file_is_checked_and_one_bad_file_fails_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let good = file(&dir, "good.xml", GOOD);
    let bad = file(&dir, "bad.xml", "<Response><Say>unclosed</Response>");
    let missing = dir.path().join("missing.xml");
    let output = mycpaas()
        .args(["laml", "validate"])
        .args([&good, &bad, &missing])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("2 of 3 documents have errors"));
    let stdout = text(&output.get_output().stdout);
    assert!(
        stdout.contains(&format!("{}: ok", good.display())),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("{}:1:", bad.display())),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("{}: error: cannot read", missing.display())),
        "{stdout}"
    );
}

#[test]
fn stdin_is_read_for_a_dash() {
    laml_on_stdin(
        &["validate"],
        "<Response>\n<say>lower case</say></Response>",
    )
    .code(1)
    .stdout(predicate::str::starts_with("<stdin>:2:1: error:"));
}

#[test]
fn fmt_writes_the_canonical_forms() {
    let dir = tempfile::tempdir().unwrap();
    let path = file(
        &dir,
        "messy.xml",
        "<Response>   <Say   language=\"en-US\" voice=\"alice\" >Hi &amp; bye</Say>\n\n<Hangup></Hangup></Response>",
    );
    let path = path.to_str().unwrap();
    let compact = mycpaas()
        .args(["laml", "fmt", "--compact", path])
        .assert()
        .success();
    assert_eq!(
        text(&compact.get_output().stdout),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Say language=\"en-US\" voice=\"alice\">Hi &amp; bye</Say><Hangup/></Response>\n"
    );

    let pretty = mycpaas().args(["laml", "fmt", path]).assert().success();
    let pretty = text(&pretty.get_output().stdout);
    assert!(pretty.lines().count() > 3, "{pretty}");
    let same = laml_on_stdin(&["fmt", "--pretty"], pretty.clone()).success();
    assert_eq!(
        text(&same.get_output().stdout),
        pretty,
        "formatting is stable"
    );
}

#[test]
fn fmt_keeps_unknown_elements_but_refuses_broken_xml() {
    laml_on_stdin(
        &["fmt", "--compact"],
        "<Response><Beep loud=\"yes\"/></Response>",
    )
    .success()
    .stdout(predicate::str::contains("<Beep loud=\"yes\"/>"));
    laml_on_stdin(&["fmt"], "<Response><Say>")
        .code(1)
        .stderr(predicate::str::contains("<stdin>:1:"));
}

#[test]
fn names_that_are_not_xml_names_are_refused_with_line_and_column() {
    // (document, where, what the message names)
    let cases = [
        (
            "<Response>\n  <a;b x=\"1\"/>\n</Response>\n",
            "2:3",
            "<a;b> `a;b` is not an XML name: `;` cannot appear in a name",
        ),
        (
            "<Response>\n  <Say v&l=\"1\">Hi</Say>\n</Response>\n",
            "2:8",
            "<Say> attribute `v&l`: `v&l` is not an XML name: `&` cannot appear in a name",
        ),
    ];
    for (document, at, message) in cases {
        let expected = format!("<stdin>:{at}: error: {message}");
        // `fmt` reads leniently, keeping unknown elements and attributes, and still refuses.
        let formatted = laml_on_stdin(&["fmt", "--compact"], document)
            .code(1)
            .stdout("");
        let stderr = text(&formatted.get_output().stderr);
        assert!(stderr.contains(&expected), "{stderr}");
        laml_on_stdin(&["validate"], document)
            .code(1)
            .stdout(predicate::str::starts_with(expected));
    }
}
