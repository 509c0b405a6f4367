//! What an installed `mycpaas` ships beside its commands: one version everywhere, shell
//! completions and a manual page rendered from the same definitions as `--help`.

use std::io::{Read as _, Write as _};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::support::{mycpaas, text};

/// The one version of the release: `[workspace.package] version` in the workspace manifest.
fn workspace_version() -> String {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../Cargo.toml");
    let manifest = std::fs::read_to_string(manifest).unwrap();
    let section = manifest
        .split("[workspace.package]")
        .nth(1)
        .expect("the workspace manifest has [workspace.package]");
    let line = section
        .lines()
        .find(|line| line.starts_with("version"))
        .expect("[workspace.package] sets version");
    line.split('"').nth(1).unwrap().to_owned()
}

/// The command names `mycpaas --help` lists under "Commands:".
fn commands_in_help() -> Vec<String> {
    let output = mycpaas().arg("--help").output().unwrap();
    assert!(output.status.success());
    let help = text(&output.stdout);
    let commands: Vec<String> = help
        .split("Commands:")
        .nth(1)
        .unwrap()
        .lines()
        .skip(1)
        .take_while(|line| line.starts_with("  "))
        .filter_map(|line| line.split_whitespace().next().map(str::to_owned))
        .filter(|name| name != "help")
        .collect();
    assert!(commands.len() >= 6, "{help}");
    commands
}

#[test]
fn version_flag_user_agent_and_manifest_agree() {
    let version = workspace_version();
    let output = mycpaas().arg("--version").output().unwrap();
    assert!(output.status.success());
    assert_eq!(text(&output.stdout).trim(), format!("mycpaas {version}"));

    // The user agent of a real request, read off the wire by a bare TCP server.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let server = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        let mut head = Vec::new();
        let mut byte = [0_u8; 1];
        while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap() == 1 {
            head.push(byte[0]);
        }
        let body = r#"{"code":20404,"message":"not found","status":404}"#;
        write!(
            stream,
            "HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        String::from_utf8(head).unwrap()
    });
    let output = mycpaas()
        .args(["calls", "get", "CA00000000000000000000000000000001"])
        .args(["--base-url", &base_url])
        .args(["--account-sid", "AC00000000000000000000000000000001"])
        .args(["--auth-token", "token"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let head = server.join().unwrap();
    let user_agent = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("user-agent")
                .then(|| value.trim().to_owned())
        })
        .unwrap_or_else(|| panic!("no user agent in {head}"));
    assert_eq!(
        user_agent,
        format!("mycpaas-rust/{version} mycpaas-cli/{version}")
    );
}

#[test]
fn bash_completions_parse_and_cover_every_command() {
    let output = mycpaas().args(["completions", "bash"]).output().unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    let script = text(&output.stdout);
    let mut bash = Command::new("bash")
        .arg("-n")
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bash runs");
    bash.stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let checked = bash.wait_with_output().unwrap();
    assert!(
        checked.status.success(),
        "bash -n refused the completions: {}",
        text(&checked.stderr)
    );
    assert!(script.contains("complete -F"), "{script}");
    for command in commands_in_help() {
        assert!(
            script.contains(&command),
            "{command} missing from the completions"
        );
    }
    // Flags below the top level come from the same definitions.
    for flag in ["--status-callback", "--account-sid", "--speed"] {
        assert!(script.contains(flag), "{flag} missing from the completions");
    }
}

#[test]
fn zsh_and_fish_completions_are_written() {
    for (shell, marker) in [("zsh", "#compdef mycpaas"), ("fish", "complete -c mycpaas")] {
        let output = mycpaas().args(["completions", shell]).output().unwrap();
        assert!(output.status.success(), "{}", text(&output.stderr));
        let script = text(&output.stdout);
        assert!(script.contains(marker), "{shell}: {script}");
        assert!(script.contains("--status-callback"), "{shell}");
        // Each shell's own syntax check where that shell is installed.
        if let Ok(checked) = Command::new(shell)
            .arg("-n")
            .arg("-c")
            .arg(&script)
            .output()
        {
            assert!(
                checked.status.success(),
                "{shell} -n: {}",
                text(&checked.stderr)
            );
        }
    }
}

#[test]
fn completions_refuse_an_unknown_shell() {
    let output = mycpaas().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("tcsh"));
}

/// `man -l` renders a page to plain text (no pager, no terminal).
fn render(page: &Path) -> String {
    let output = Command::new("man")
        .arg("-l")
        .arg(page)
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "100")
        .output()
        .expect("man (man-db) is installed");
    assert!(output.status.success(), "man -l: {}", text(&output.stderr));
    assert!(
        output.stderr.is_empty(),
        "man -l warned: {}",
        text(&output.stderr)
    );
    text(&output.stdout)
}

#[test]
fn man_page_renders_with_man_and_lists_every_command() {
    let output = mycpaas().arg("man").output().unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("mycpaas.1");
    std::fs::write(&page, &output.stdout).unwrap();
    let rendered = render(&page);
    for section in ["NAME", "SYNOPSIS", "DESCRIPTION", "SUBCOMMANDS", "VERSION"] {
        assert!(rendered.contains(section), "{section} missing: {rendered}");
    }
    assert!(rendered.contains(&workspace_version()), "{rendered}");
    for command in commands_in_help() {
        assert!(
            rendered.contains(&format!("mycpaas-{command}(1)")),
            "{command} missing: {rendered}"
        );
    }
}

#[test]
fn man_dir_writes_a_page_per_command() {
    let dir = tempfile::tempdir().unwrap();
    let output = mycpaas()
        .arg("man")
        .arg("--dir")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    for command in commands_in_help() {
        let page = dir.path().join(format!("mycpaas-{command}.1"));
        assert!(page.is_file(), "{} missing", page.display());
    }
    let rendered = render(&dir.path().join("mycpaas-calls-create.1"));
    assert!(rendered.contains("--status-callback"), "{rendered}");

    let missing = dir.path().join("no/such/dir");
    let output = mycpaas()
        .arg("man")
        .arg("--dir")
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("cannot write the manual pages"));
}
