//! What the generator tests share: the workspace, a scratch directory, and the description
//! with one extra create parameter (`ExtraNote`) and one extra Call field (`extra_score`).

#![allow(dead_code)] // each test file uses its own part

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// A scratch directory, removed when dropped.
pub struct Scratch(pub PathBuf);

impl Scratch {
    /// A fresh, empty directory named after `name` and this process.
    pub fn new(name: &str) -> Self {
        let path = std::env::temp_dir().join(format!("xtask-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("scratch directory");
        Scratch(path)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The create parameter the extended description adds: a single-line string of at most 12
/// characters.
pub const EXTRA_PARAMETER: &str = "        ExtraNote:\n          type: string\n          \
     maxLength: 12\n          description: A note kept with the call.\n          \
     x-mycpaas-single-line: true\n";

/// The Call field the extended description adds: an integer or null.
pub const EXTRA_FIELD: &str = "        extra_score:\n          type: [integer, \"null\"]\n          \
     description: A score of the call.\n";

/// `api/openapi.yaml` with [`EXTRA_PARAMETER`] and [`EXTRA_FIELD`] added.
pub fn extended_description() -> String {
    let description =
        std::fs::read_to_string(workspace().join("api/openapi.yaml")).expect("api/openapi.yaml");
    let description = insert_property(&description, "    CreateCallRequest:\n", EXTRA_PARAMETER);
    insert_property(&description, "    Call:\n", EXTRA_FIELD)
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

/// Runs the generator on `spec`, writing below `root`.
pub fn codegen(spec: &Path, root: &Path) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("codegen")
        .arg("--spec")
        .arg(spec)
        .arg("--root")
        .arg(root)
        .output()
        .expect("xtask runs");
    assert!(output.status.success(), "{output:?}");
}

/// The text of `path` below `root`.
pub fn read(root: &Path, path: &str) -> String {
    std::fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}
