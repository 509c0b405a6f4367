//! Resources of a list page kept as the JSON the server sent, decoded when first used.

use std::fmt;
use std::sync::OnceLock;

use serde::de::{self, DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::value::RawValue;

use super::salvage::{FieldProblem, Identified, read_resource};

/// What a list page holds: a decoded resource, or a [`Row`] of one. The walk over pages tells
/// pages apart by their resources' SIDs.
pub trait Listed: DeserializeOwned {
    /// The resource's SID.
    fn listed_sid(&self) -> &str;
}

impl<T: Identified> Listed for T {
    fn listed_sid(&self) -> &str {
        self.sid()
    }
}

/// A resource of a list page as the server sent it: its `sid` is read with the page, every other
/// member when the resource is first used ([`Row::get`]).
///
/// A page of rows is read in a fraction of the time a full decode takes, and a listing that
/// needs only SIDs never decodes the rest; a row that is used costs one decode, as a decoded page
/// does. `CallPage<Row<Call>>` is the page type that holds them (the Python package reads pages
/// this way).
///
/// ```
/// use mycpaas_core::model::Row;
/// use mycpaas_core::{Call, CallPage, CallStatus};
///
/// let body = r#"{"calls": [{"sid": "CA1", "status": "busy"}, {"sid": "CA2", "duration": -4}]}"#;
/// let page: CallPage<Row<Call>> = serde_json::from_str(body)?;
/// assert_eq!(page.calls[0].sid(), "CA1");
/// assert_eq!(page.calls[0].get().status, Some(CallStatus::Busy));
/// // A member that does not read is left out and named, as for any answer.
/// assert_eq!(page.calls[1].get().problems[0].field, "duration");
/// # Ok::<(), serde_json::Error>(())
/// ```
pub struct Row<T> {
    sid: String,
    /// The JSON of a row read from a page; `None` for a resource decoded already.
    text: Option<Box<RawValue>>,
    decoded: OnceLock<Box<T>>,
}

impl<T: Identified> Row<T> {
    /// The resource's SID.
    pub fn sid(&self) -> &str {
        &self.sid
    }

    /// The resource, decoded on the first call. Members that do not read are left out and named
    /// in its problems, as [`Identified::from_answer`] does; the row's SID is always kept.
    pub fn get(&self) -> &T {
        self.decoded
            .get_or_init(|| Box::new(decode(&self.sid, self.text.as_deref())))
    }

    /// The resource's JSON as the server sent it, for a row read from a page.
    pub fn json(&self) -> Option<&str> {
        self.text.as_deref().map(RawValue::get)
    }

    /// The decoded resource.
    pub fn into_inner(self) -> T {
        let Row { sid, text, decoded } = self;
        match decoded.into_inner() {
            Some(resource) => *resource,
            None => decode(&sid, text.as_deref()),
        }
    }
}

/// The resource of a row, read as any answer is; the row's SID is kept whatever happens.
fn decode<T: Identified>(sid: &str, text: Option<&RawValue>) -> T {
    let read = match text {
        Some(text) => read_resource(text.get().as_bytes()).map_err(|e| e.to_string()),
        None => Err("the row holds no JSON".to_owned()),
    };
    read.unwrap_or_else(|problem| {
        let mut resource = T::with_sid(sid.to_owned());
        resource.set_problems(vec![FieldProblem {
            field: "sid".to_owned(),
            problem,
        }]);
        resource
    })
}

impl<T: Identified> From<T> for Row<T> {
    /// A resource decoded already (a fetch's or a create's answer), as a row.
    fn from(resource: T) -> Self {
        Row {
            sid: resource.sid().to_owned(),
            text: None,
            decoded: OnceLock::from(Box::new(resource)),
        }
    }
}

impl<T: Identified> Listed for Row<T> {
    fn listed_sid(&self) -> &str {
        &self.sid
    }
}

impl<'de, T: Identified> Deserialize<'de> for Row<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Box::<RawValue>::deserialize(deserializer)?;
        let sid = sid_of(T::KEY, text.get()).map_err(de::Error::custom)?;
        Ok(Row {
            sid,
            text: Some(text),
            decoded: OnceLock::new(),
        })
    }
}

/// The `key` member (`sid`) of a row's JSON object. The page's reading has checked the whole
/// object already, so this one reads its members only up to the key (most servers send it first):
/// the visitor stops serde_json there by answering an error, after keeping the SID.
fn sid_of(key: &'static str, object: &str) -> Result<String, serde_json::Error> {
    struct UpToSid<'a>(&'static str, &'a mut Option<String>);

    impl<'de> de::Visitor<'de> for UpToSid<'_> {
        type Value = ();

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a JSON object with a `{}`", self.0)
        }

        fn visit_map<A: de::MapAccess<'de>>(self, mut members: A) -> Result<(), A::Error> {
            while let Some(name) = members.next_key::<std::borrow::Cow<'de, str>>()? {
                if name == self.0 {
                    *self.1 = Some(members.next_value()?);
                    return Err(de::Error::custom("the key is read"));
                }
                members.next_value::<de::IgnoredAny>()?;
            }
            Err(de::Error::missing_field(self.0))
        }
    }

    let mut sid = None;
    let read = serde_json::Deserializer::from_str(object).deserialize_map(UpToSid(key, &mut sid));
    match (sid, read) {
        (Some(sid), _) => Ok(sid),
        (None, Err(error)) => Err(error),
        (None, Ok(())) => Err(de::Error::missing_field(key)),
    }
}

impl<T: Identified + Serialize> Serialize for Row<T> {
    /// The JSON the server sent, or the decoded resource's.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.text {
            Some(text) => text.serialize(serializer),
            None => self.get().serialize(serializer),
        }
    }
}

impl<T: Clone> Clone for Row<T> {
    fn clone(&self) -> Self {
        Row {
            sid: self.sid.clone(),
            text: self.text.clone(),
            decoded: self.decoded.clone(),
        }
    }
}

impl<T> fmt::Debug for Row<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Row")
            .field("sid", &self.sid)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::sid_of;

    #[test]
    fn the_sid_is_the_objects_own_wherever_it_stands() {
        assert_eq!(
            sid_of("sid", r#"{"sid": "CA1", "to": "+1"}"#).unwrap(),
            "CA1"
        );
        // A `sid` inside another member is not the object's.
        let late = r#"{"parent": {"sid": "CA0"}, "note": "\"sid\": \"x\"", "sid": "CA2"}"#;
        assert_eq!(sid_of("sid", late).unwrap(), "CA2");
        // A participant or member is named by its call.
        let member = r#"{"queue_sid": "QU1", "call_sid": "CA3"}"#;
        assert_eq!(sid_of("call_sid", member).unwrap(), "CA3");
    }

    #[test]
    fn a_row_without_a_string_sid_is_refused() {
        assert!(
            sid_of("sid", r#"{"to": "+1"}"#)
                .unwrap_err()
                .to_string()
                .contains("missing field `sid`")
        );
        assert!(sid_of("sid", r#"{"sid": 7}"#).is_err());
        assert!(sid_of("sid", r#"["sid"]"#).is_err());
    }
}
