//! The bad-input corpus kept in `tests/data/`.
//!
//! - `params/*.jsonl`: one case per line,
//!   `{"id": "...", "op": "create", "set": {"To": "+49abc"}, "expect": "To"}`. `op` is `create`,
//!   `update`, `list`, `fetch`, `delete` or `config`; `set` overrides the parameters of a valid
//!   base request (wire names; `null` removes one); `expect` is the parameter the typed error must
//!   name. A value is a string, a number, `null`, or `{"repeat": "x", "count": 4001, "prefix":
//!   "...", "suffix": "..."}` for long values. Lines starting with `//` are comments.
//! - `laml/<kind>/*.xml`: documents the parser must refuse with that kind of error;
//!   `laml/invalid-utf8/*.bin`: byte strings that are not UTF-8.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use mycpaas_core::retry::RandomSource;
use mycpaas_core::{
    ClientBuilder, Config, CreateCall, DeleteCall, FetchCall, FromSettings, ListCalls, UpdateCall,
};
use serde_json::Value;

/// A valid `To` used when a case does not set one.
pub const BASE_TO: &str = "+491234567890";
/// A valid `From` used when a case does not set one.
pub const BASE_FROM: &str = "+491098765432";
/// A valid `Url` used when a case does not set one.
pub const BASE_URL: &str = "https://example.com/voice.xml";
/// A valid call SID used when a case does not set one.
pub const BASE_CALL_SID: &str = "CA1234567890abcdef1234567890abcdef";

/// The directory of the corpus.
pub fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

/// The operation a case exercises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    /// `CreateCall`.
    Create,
    /// `UpdateCall`.
    Update,
    /// `ListCalls`.
    List,
    /// `FetchCall`.
    Fetch,
    /// `DeleteCall`.
    Delete,
    /// Client configuration (`Config::builder`, `Client::builder`).
    Config,
}

/// One parameter case.
#[derive(Debug, Clone)]
pub struct Case {
    /// Short name, unique in the corpus.
    pub id: String,
    /// Where it is written: `file:line`.
    pub source: String,
    /// The operation.
    pub op: Op,
    /// The parameters set (wire names), in file order; `None` removes the parameter.
    pub set: Vec<(String, Option<Value>)>,
    /// The parameter the error must name.
    pub expect: String,
}

impl fmt::Display for Case {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.id, self.source)
    }
}

/// Client settings of a `config` case.
#[derive(Debug, Clone)]
pub struct ConfigCase {
    /// Account SID.
    pub account_sid: String,
    /// Auth token.
    pub auth_token: String,
    /// Base URL.
    pub base_url: String,
    /// Connect timeout.
    pub connect_timeout: Duration,
    /// Request timeout.
    pub request_timeout: Duration,
    /// Response cap.
    pub max_response_bytes: usize,
    /// User agent suffix.
    pub user_agent_suffix: Option<String>,
    /// Retry attempts.
    pub max_attempts: u32,
}

impl ConfigCase {
    /// Checks the settings through `mycpaas_core::Config`.
    pub fn build_core(&self) -> mycpaas_core::Result<Config> {
        self.build::<ConfigOnly>().map(|checked| checked.0)
    }

    /// Builds a blocking client with the settings.
    pub fn build_blocking(&self) -> mycpaas_core::Result<mycpaas_blocking::Client> {
        self.build()
    }

    /// Builds an async client with the settings.
    pub fn build_async(&self) -> mycpaas_core::Result<mycpaas_async::Client> {
        self.build()
    }

    /// The settings through core's builder, which checks them the same way for every client.
    fn build<C: FromSettings>(&self) -> mycpaas_core::Result<C> {
        let mut builder =
            ClientBuilder::<C>::new(self.account_sid.as_str(), self.auth_token.as_str())
                .base_url(&self.base_url)
                .connect_timeout(self.connect_timeout)
                .request_timeout(self.request_timeout)
                .max_response_bytes(self.max_response_bytes)
                .retry_policy(crate::fixtures::fast_retries(self.max_attempts));
        if let Some(suffix) = &self.user_agent_suffix {
            builder = builder.user_agent_suffix(suffix);
        }
        builder.build()
    }
}

/// The checked configuration alone, with no transport: what [`ConfigCase::build_core`] returns.
struct ConfigOnly(Config);

impl FromSettings for ConfigOnly {
    fn from_settings(
        config: Config,
        _jitter: Option<Box<dyn RandomSource + Send>>,
    ) -> mycpaas_core::Result<Self> {
        Ok(ConfigOnly(config))
    }
}

/// A case turned into the value the SDK takes.
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)] // built once per case, never stored in bulk
pub enum Built {
    /// A create.
    Create(CreateCall),
    /// An update.
    Update(UpdateCall),
    /// A list.
    List(ListCalls),
    /// A fetch.
    Fetch(FetchCall),
    /// A delete.
    Delete(DeleteCall),
    /// Client settings.
    Config(ConfigCase),
}

/// Every parameter case of `params/*.jsonl`, in file order.
pub fn load_params() -> Vec<Case> {
    load_cases("params")
}

/// Every case of `<directory>/*.jsonl` under the corpus, in file order.
pub fn load_cases(directory: &str) -> Vec<Case> {
    let dir = data_dir().join(directory);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "jsonl"))
        .collect();
    files.sort();
    let mut cases = Vec::new();
    for file in files {
        let text =
            std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let name = file.file_name().unwrap_or_default().to_string_lossy();
        for (index, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with("//") {
                continue;
            }
            let source = format!("{name}:{}", index + 1);
            cases.push(parse_case(line, source));
        }
    }
    cases
}

fn parse_case(line: &str, source: String) -> Case {
    let value: Value =
        serde_json::from_str(line).unwrap_or_else(|e| panic!("{source}: not JSON: {e}"));
    let text = |key: &str| {
        value[key]
            .as_str()
            .unwrap_or_else(|| panic!("{source}: `{key}` must be a string"))
            .to_owned()
    };
    let op = match text("op").as_str() {
        "create" => Op::Create,
        "update" => Op::Update,
        "list" => Op::List,
        "fetch" => Op::Fetch,
        "delete" => Op::Delete,
        "config" => Op::Config,
        other => panic!("{source}: unknown op {other:?}"),
    };
    let set = value["set"]
        .as_object()
        .unwrap_or_else(|| panic!("{source}: `set` must be an object"))
        .iter()
        .map(|(key, value)| {
            let value = if value.is_null() {
                None
            } else {
                Some(expand(value, &source))
            };
            (key.clone(), value)
        })
        .collect();
    Case {
        id: text("id"),
        op,
        set,
        expect: text("expect"),
        source,
    }
}

/// Expands `{"repeat": .., "count": ..}` into a string; other values are kept.
fn expand(value: &Value, source: &str) -> Value {
    let Some(object) = value.as_object() else {
        return value.clone();
    };
    let unit = object["repeat"]
        .as_str()
        .unwrap_or_else(|| panic!("{source}: `repeat` must be a string"));
    let count = object["count"]
        .as_u64()
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or_else(|| panic!("{source}: `count` must be a number"));
    let prefix = object.get("prefix").and_then(Value::as_str).unwrap_or("");
    let suffix = object.get("suffix").and_then(Value::as_str).unwrap_or("");
    Value::String(format!("{prefix}{}{suffix}", unit.repeat(count)))
}

impl Case {
    /// What the case does with `key`.
    fn get(&self, key: &str) -> Setting<'_> {
        match self.set.iter().find(|(k, _)| k == key) {
            None => Setting::Unset,
            Some((_, None)) => Setting::Removed,
            Some((_, Some(value))) => Setting::Value(value),
        }
    }

    fn string_or(&self, key: &str, default: &str) -> Option<String> {
        match self.get(key) {
            Setting::Unset => Some(default.to_owned()),
            Setting::Removed => None,
            Setting::Value(value) => Some(as_string(value, self)),
        }
    }

    fn number_or(&self, key: &str, default: u64) -> u64 {
        match self.get(key) {
            Setting::Value(value) => u64::from(as_u32(value, self)),
            Setting::Unset | Setting::Removed => default,
        }
    }

    /// Turns the case into the value the SDK takes. Panics on a case naming a parameter the
    /// corpus does not know (a mistake in the data, not in the SDK).
    pub fn build(&self) -> Built {
        match self.op {
            Op::Create => Built::Create(self.build_create()),
            Op::Update => Built::Update(self.build_update()),
            Op::List => Built::List(self.build_list()),
            Op::Fetch => Built::Fetch(FetchCall::new(self.call_sid())),
            Op::Delete => Built::Delete(DeleteCall::new(self.call_sid())),
            Op::Config => Built::Config(self.build_config()),
        }
    }

    fn call_sid(&self) -> String {
        self.string_or("CallSid", BASE_CALL_SID).unwrap_or_default()
    }

    fn build_create(&self) -> CreateCall {
        let to = self.string_or("To", BASE_TO).unwrap_or_default();
        let from = self.string_or("From", BASE_FROM).unwrap_or_default();
        let mut call = CreateCall::new(to, from);
        if let Some(url) = self.string_or("Url", BASE_URL) {
            call = call.url(url);
        }
        for (key, value) in &self.set {
            let Some(value) = value else { continue };
            call = match key.as_str() {
                "To" | "From" | "Url" => call,
                "Twiml" => call.twiml(as_string(value, self)),
                "ApplicationSid" => call.application_sid(as_string(value, self)),
                "FallbackUrl" => call.fallback_url(as_string(value, self)),
                "StatusCallback" => call.status_callback(as_string(value, self)),
                "RecordingStatusCallback" => call.recording_status_callback(as_string(value, self)),
                "AsyncAmdStatusCallback" => call.async_amd_status_callback(as_string(value, self)),
                "SendDigits" => call.send_digits(as_string(value, self)),
                "CallerId" => call.caller_id(as_string(value, self)),
                "SipAuthUsername" => call.sip_auth_username(as_string(value, self)),
                "SipAuthPassword" => call.sip_auth_password(as_string(value, self)),
                "Timeout" => call.timeout(as_u32(value, self)),
                "TimeLimit" => call.time_limit(as_u32(value, self)),
                "MachineDetectionTimeout" => call.machine_detection_timeout(as_u32(value, self)),
                other => panic!("{self}: the corpus does not know create parameter {other}"),
            };
        }
        call
    }

    fn build_update(&self) -> UpdateCall {
        let mut update = UpdateCall::new(self.call_sid());
        for (key, value) in &self.set {
            let Some(value) = value else { continue };
            update = match key.as_str() {
                "CallSid" => update,
                "Url" => update.url(as_string(value, self)),
                "Twiml" => update.twiml(as_string(value, self)),
                "FallbackUrl" => update.fallback_url(as_string(value, self)),
                "StatusCallback" => update.status_callback(as_string(value, self)),
                "TimeLimit" => update.time_limit(as_u32(value, self)),
                "Status" => match as_string(value, self).as_str() {
                    "canceled" => update.status(mycpaas_core::UpdateStatus::Canceled),
                    "completed" => update.status(mycpaas_core::UpdateStatus::Completed),
                    other => panic!("{self}: Status {other:?} cannot be expressed"),
                },
                other => panic!("{self}: the corpus does not know update parameter {other}"),
            };
        }
        update
    }

    fn build_list(&self) -> ListCalls {
        let mut list = ListCalls::new();
        for (key, value) in &self.set {
            let Some(value) = value else { continue };
            list = match key.as_str() {
                "To" => list.to(as_string(value, self)),
                "From" => list.from(as_string(value, self)),
                "ParentCallSid" => list.parent_call_sid(as_string(value, self)),
                "PageSize" => list.page_size(as_u32(value, self)),
                "Page" => list.page(as_u32(value, self)),
                "PageToken" => list.page_token(as_string(value, self)),
                "StartTime" => list.start_time(as_date(value, self)),
                "StartTime<" => list.start_time_before(as_date(value, self)),
                "StartTime>" => list.start_time_after(as_date(value, self)),
                "EndTime" => list.end_time(as_date(value, self)),
                "EndTime<" => list.end_time_before(as_date(value, self)),
                "EndTime>" => list.end_time_after(as_date(value, self)),
                other => panic!("{self}: the corpus does not know list parameter {other}"),
            };
        }
        list
    }

    fn build_config(&self) -> ConfigCase {
        let millis = |key: &str, default: u64| self.number_or(key, default);
        ConfigCase {
            account_sid: self
                .string_or("account_sid", "AC0123456789abcdef0123456789abcdef")
                .unwrap_or_default(),
            auth_token: self
                .string_or("auth_token", "a-valid-token")
                .unwrap_or_default(),
            base_url: self
                .string_or("base_url", "http://127.0.0.1:9")
                .unwrap_or_default(),
            connect_timeout: Duration::from_millis(millis("connect_timeout_ms", 1000)),
            request_timeout: Duration::from_millis(millis("request_timeout_ms", 1000)),
            max_response_bytes: usize::try_from(millis("max_response_bytes", 1024))
                .unwrap_or(usize::MAX),
            user_agent_suffix: match self.get("user_agent_suffix") {
                Setting::Value(value) => Some(as_string(value, self)),
                Setting::Unset | Setting::Removed => None,
            },
            max_attempts: u32::try_from(millis("retry_policy.max_attempts", 3)).unwrap_or(3),
        }
    }
}

/// What a case does with one parameter.
enum Setting<'a> {
    /// Leaves the base value.
    Unset,
    /// Removes the parameter.
    Removed,
    /// Sets this value.
    Value(&'a Value),
}

fn as_string(value: &Value, case: &Case) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Number(number) => number.to_string(),
        other => panic!("{case}: expected a string, got {other}"),
    }
}

fn as_u32(value: &Value, case: &Case) -> u32 {
    value
        .as_u64()
        .and_then(|n| u32::try_from(n).ok())
        .unwrap_or_else(|| panic!("{case}: expected a number that fits u32, got {value}"))
}

fn as_date(value: &Value, case: &Case) -> time::Date {
    let text = as_string(value, case);
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(&text, format).unwrap_or_else(|e| panic!("{case}: bad date {text}: {e}"))
}

/// A document of `laml/<kind>/`.
#[derive(Debug, Clone)]
pub struct LamlCase {
    /// `kind/file.xml`.
    pub name: String,
    /// The directory: the kind of error expected.
    pub kind: String,
    /// The raw bytes.
    pub bytes: Vec<u8>,
}

/// Every document of `laml/*/`, sorted by name.
pub fn load_laml() -> Vec<LamlCase> {
    let root = data_dir().join("laml");
    let mut cases = Vec::new();
    let mut kinds: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_dir())
        .collect();
    kinds.sort();
    for dir in kinds {
        let kind = dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| path.is_file())
            .collect();
        files.sort();
        for file in files {
            let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            let name = format!(
                "{kind}/{}",
                file.file_name().unwrap_or_default().to_string_lossy()
            );
            cases.push(LamlCase {
                name,
                kind: kind.clone(),
                bytes,
            });
        }
    }
    cases
}
