//! The part of OpenAPI 3.1 that `api/openapi.yaml` uses, as serde types, and `$ref` resolution.
//!
//! Only what the generator reads is modelled; a key it does not know is ignored here and kept in
//! the file for other tools. Each `x-mycpaas-*` extension is documented in the description itself.

use indexmap::IndexMap;
use serde::Deserialize;

/// The whole description.
#[derive(Debug, Deserialize)]
pub struct Spec {
    #[serde(default)]
    pub tags: Vec<Tag>,
    pub paths: IndexMap<String, PathItem>,
    pub components: Components,
}

/// A tag: a resource, and what it is.
#[derive(Debug, Deserialize)]
pub struct Tag {
    pub name: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Deserialize)]
pub struct Components {
    #[serde(default)]
    pub schemas: IndexMap<String, Schema>,
    #[serde(default)]
    pub parameters: IndexMap<String, Parameter>,
}

/// The operations of one path, and the parameters they share.
#[derive(Debug, Deserialize)]
pub struct PathItem {
    /// A path-level `servers` override: the path is served at that server's root, not below the
    /// API's servers (the simulator's control routes).
    #[serde(default)]
    pub servers: Vec<Server>,
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    pub get: Option<Operation>,
    pub post: Option<Operation>,
    pub delete: Option<Operation>,
}

/// A server of a path-level override.
#[derive(Debug, Deserialize)]
pub struct Server {
    pub url: String,
}

impl PathItem {
    /// `(HTTP method, operation)` in a fixed order.
    pub fn operations(&self) -> impl Iterator<Item = (&'static str, &Operation)> {
        [
            ("POST", self.post.as_ref()),
            ("GET", self.get.as_ref()),
            ("DELETE", self.delete.as_ref()),
        ]
        .into_iter()
        .filter_map(|(method, op)| op.map(|op| (method, op)))
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Operation {
    #[serde(rename = "operationId")]
    pub id: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    pub request_body: Option<RequestBody>,
    #[serde(default)]
    pub responses: IndexMap<String, Response>,
    #[serde(rename = "x-mycpaas-creates", default)]
    pub creates: bool,
    #[serde(rename = "x-mycpaas-items")]
    pub items: Option<String>,
    #[serde(rename = "x-mycpaas-at-most-one-of", default)]
    pub at_most_one_of: Vec<Vec<String>>,
    #[serde(rename = "x-mycpaas-shortcuts", default)]
    pub shortcuts: Vec<Shortcut>,
    #[serde(rename = "x-mycpaas-method")]
    pub method_name: Option<String>,
    #[serde(rename = "x-mycpaas-media")]
    pub media: Option<String>,
    #[serde(rename = "x-mycpaas-reconcile", default)]
    pub reconcile: bool,
}

/// `x-mycpaas-shortcuts`: a named call of an operation with some parameters fixed.
#[derive(Debug, Deserialize)]
pub struct Shortcut {
    pub name: String,
    pub summary: String,
    pub set: IndexMap<String, String>,
}

/// A parameter, or a `$ref` to one in `components.parameters`.
#[derive(Debug, Clone, Deserialize)]
pub struct Parameter {
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
    #[serde(default)]
    pub name: String,
    #[serde(rename = "in", default)]
    pub location: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub description: String,
    pub schema: Option<Schema>,
    #[serde(rename = "x-mycpaas-error-code")]
    pub error_code: Option<u32>,
    #[serde(rename = "x-mycpaas-name")]
    pub sdk_name: Option<String>,
    #[serde(rename = "x-mycpaas-cli-flag")]
    pub cli_flag: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct RequestBody {
    #[serde(default)]
    pub content: IndexMap<String, MediaType>,
}

#[derive(Debug, Deserialize)]
pub struct MediaType {
    pub schema: Option<Schema>,
}

#[derive(Debug, Deserialize)]
pub struct Response {
    #[serde(default)]
    pub content: IndexMap<String, MediaType>,
}

/// `type: string` or `type: [string, "null"]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Types {
    One(String),
    Many(Vec<String>),
}

impl Types {
    pub fn names(&self) -> Vec<&str> {
        match self {
            Types::One(name) => vec![name.as_str()],
            Types::Many(names) => names.iter().map(String::as_str).collect(),
        }
    }
}

/// A JSON Schema, with the extensions the generator reads.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Schema {
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
    #[serde(rename = "type")]
    pub types: Option<Types>,
    #[serde(default)]
    pub description: String,
    #[serde(rename = "enum", default)]
    pub values: Vec<String>,
    #[serde(rename = "x-enum-descriptions", default)]
    pub value_docs: Vec<String>,
    pub default: Option<serde_json::Value>,
    #[serde(default)]
    pub examples: Vec<String>,
    pub minimum: Option<u64>,
    pub maximum: Option<u64>,
    pub min_length: Option<u32>,
    pub max_length: Option<u32>,
    pub min_properties: Option<u32>,
    pub pattern: Option<String>,
    pub items: Option<Box<Schema>>,
    #[serde(default)]
    pub properties: IndexMap<String, Schema>,
    #[serde(default)]
    pub required: Vec<String>,
    #[serde(default)]
    pub one_of: Vec<Schema>,
    #[serde(default)]
    pub all_of: Vec<Schema>,
    pub additional_properties: Option<serde_json::Value>,
    #[serde(rename = "x-mycpaas-endpoint", default)]
    pub endpoint: bool,
    #[serde(rename = "x-mycpaas-e164", default)]
    pub e164: bool,
    #[serde(rename = "x-mycpaas-absolute-url", default)]
    pub absolute_url: bool,
    #[serde(rename = "x-mycpaas-sid", default)]
    pub sid: bool,
    #[serde(rename = "x-mycpaas-single-line", default)]
    pub single_line: bool,
    #[serde(rename = "x-mycpaas-secret", default)]
    pub secret: bool,
    #[serde(rename = "x-mycpaas-laml", default)]
    pub laml: bool,
    #[serde(rename = "x-mycpaas-open-enum", default)]
    pub open_enum: bool,
    #[serde(rename = "x-mycpaas-wire")]
    pub wire: Option<String>,
    #[serde(rename = "x-mycpaas-exactly-one-of", default)]
    pub exactly_one_of: Vec<String>,
    #[serde(rename = "x-mycpaas-at-most-one-of", default)]
    pub at_most_one_of: Vec<String>,
    #[serde(rename = "x-mycpaas-error-code")]
    pub error_code: Option<u32>,
    #[serde(rename = "x-mycpaas-missing-error-code")]
    pub missing_error_code: Option<u32>,
    #[serde(rename = "x-mycpaas-cli-flag")]
    pub cli_flag: Option<String>,
    #[serde(rename = "x-mycpaas-cli-columns", default)]
    pub cli_columns: IndexMap<String, u32>,
    #[serde(rename = "x-mycpaas-key")]
    pub key: Option<String>,
}

impl Schema {
    /// The schema name a `#/components/schemas/NAME` reference points to.
    pub fn ref_name(&self) -> Option<&str> {
        self.reference
            .as_deref()
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
    }

    /// The referenced schema of a nullable `oneOf: [$ref, {type: null}]`, or the reference itself.
    pub fn target_name(&self) -> Option<&str> {
        self.ref_name()
            .or_else(|| self.one_of.iter().find_map(Schema::ref_name))
    }

    pub fn has_type(&self, name: &str) -> bool {
        self.types
            .as_ref()
            .is_some_and(|t| t.names().contains(&name))
    }
}

impl Spec {
    /// Reads and parses the description.
    pub fn load(path: &std::path::Path) -> Result<Spec, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let mut spec: Spec =
            serde_saphyr::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        spec.merge_all_of()?;
        Ok(spec)
    }

    /// Replaces each named schema made with `allOf` by one object schema holding the members of
    /// all its parts (a shared part such as `PageEnvelope` is then written once in the file), so
    /// the generators read every schema as a plain object.
    fn merge_all_of(&mut self) -> Result<(), String> {
        let names: Vec<String> = self.components.schemas.keys().cloned().collect();
        for name in names {
            let merged = self.merged(&name, 0)?;
            self.components.schemas.insert(name, merged);
        }
        Ok(())
    }

    fn merged(&self, name: &str, depth: usize) -> Result<Schema, String> {
        if depth > 8 {
            return Err(format!("{name}: allOf nests too deep (a cycle?)"));
        }
        let schema = self.schema(name)?;
        let mut merged = schema.clone();
        merged.all_of.clear();
        for part in &schema.all_of {
            let part = match part.ref_name() {
                Some(target) => self.merged(target, depth + 1)?,
                None => part.clone(),
            };
            merged.types = merged.types.or(part.types);
            merged.additional_properties =
                merged.additional_properties.or(part.additional_properties);
            for (key, property) in part.properties {
                if merged.properties.contains_key(&key) {
                    return Err(format!(
                        "{name}: {key} is defined by two parts of its allOf"
                    ));
                }
                merged.properties.insert(key, property);
            }
            merged.required.extend(part.required);
            merged.exactly_one_of.extend(part.exactly_one_of);
            merged.at_most_one_of.extend(part.at_most_one_of);
        }
        Ok(merged)
    }

    /// A parameter with its `$ref` resolved.
    pub fn parameter(&self, parameter: &Parameter) -> Result<Parameter, String> {
        match &parameter.reference {
            None => Ok(parameter.clone()),
            Some(reference) => {
                let name = reference
                    .strip_prefix("#/components/parameters/")
                    .ok_or_else(|| format!("unsupported parameter reference {reference}"))?;
                self.components
                    .parameters
                    .get(name)
                    .cloned()
                    .ok_or_else(|| format!("unknown parameter {reference}"))
            }
        }
    }

    /// The named schema of `components.schemas`.
    pub fn schema(&self, name: &str) -> Result<&Schema, String> {
        self.components
            .schemas
            .get(name)
            .ok_or_else(|| format!("unknown schema {name}"))
    }
}
