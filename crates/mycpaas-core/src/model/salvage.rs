//! Reading a resource out of an answer whose SID is good but whose other members are not all
//! readable.
//!
//! A create that succeeded placed a call; if its answer carries a usable `sid` and one odd member
//! (a negative `duration`, a date in no known format, a member sent twice), refusing the whole
//! answer would lose the SID of a call that exists, and invite a second create. So an answer the
//! strict reading refuses is read again member by member: every member that reads on its own is
//! kept, every other one is left out and named in the resource's `problems`. Without a usable SID
//! there is nothing to hand back: that is [`Unreadable`].

use std::collections::HashMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde_json::{Map, Value};

use crate::types::check_sid;

/// A resource the API identifies by its `sid` (a [`Call`](crate::Call), ...): what an answer must
/// carry to be handed back. Implemented by every generated resource model.
pub trait Identified: DeserializeOwned + Default {
    /// The member whose SID identifies the resource: `sid` for most, `call_sid` for a conference's
    /// participant or a queue's member (the call is what the API names them by).
    ///
    /// ```
    /// use mycpaas_core::{Call, Identified};
    ///
    /// assert_eq!(Call::KEY, "sid");
    /// ```
    const KEY: &'static str = "sid";

    /// The resource's SID: the value of its [`KEY`](Identified::KEY) member.
    fn sid(&self) -> &str;

    /// A resource of which only the SID is known.
    fn with_sid(sid: String) -> Self;

    /// Records the members of its answer that could not be read.
    fn set_problems(&mut self, problems: Vec<FieldProblem>);

    /// Reads the resource from the body of an answer: the strict reading when it succeeds,
    /// otherwise every member that reads on its own, with the others listed in its `problems`. A
    /// body that is no JSON object, or whose `sid` is missing, empty, not a string, sent twice
    /// with different values, or not URL-safe, is an error: nothing can be found by that answer.
    ///
    /// ```
    /// use mycpaas_core::{Call, Identified};
    ///
    /// let call = Call::from_answer(br#"{"sid": "CA1", "status": "queued"}"#).unwrap();
    /// assert!(call.problems.is_empty());
    /// let odd = Call::from_answer(br#"{"sid": "CA1", "status": "queued", "status": "ringing"}"#).unwrap();
    /// assert_eq!((odd.status, odd.problems.len()), (None, 1));
    /// assert!(Call::from_answer(br#"{"sid": "", "status": "queued"}"#).is_err());
    /// assert!(Call::from_answer(br#"{"sid": "CA1", "status": "que"#).is_err());
    /// ```
    fn from_answer(body: &[u8]) -> Result<Self, String> {
        read_resource(body).map_err(|unreadable| unreadable.to_string())
    }
}

/// A member of an answer that could not be read, and why; the field is `None` (or, for a member
/// this version does not model, missing from `extra`) in the resource that carries it.
///
/// ```
/// use mycpaas_core::{Call, Identified};
///
/// let call = Call::from_answer(br#"{"sid": "CA1", "to": "+4912", "duration": -4}"#).unwrap();
/// assert_eq!((call.sid.as_str(), call.to.as_deref()), ("CA1", Some("+4912")));
/// assert_eq!(call.duration, None);
/// assert_eq!(call.problems[0].field, "duration");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FieldProblem {
    /// The member's wire name (`duration`, `date_created`, ...).
    pub field: String,
    /// What was wrong with it, in words.
    pub problem: String,
}

impl fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.problem)
    }
}

/// Why an answer holds no call: it is no JSON object, or it has no usable `sid`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Unreadable {
    /// The body is not a JSON object (malformed, cut short, another format).
    NotAnObject(String),
    /// A JSON object, but without a `sid` a call can be found by again.
    NoUsableSid(String),
}

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unreadable::NotAnObject(why) => write!(f, "the body is not a call object: {why}"),
            Unreadable::NoUsableSid(why) => write!(f, "the answer has no usable sid: {why}"),
        }
    }
}

/// [`Identified::from_answer`], with the reason typed.
pub(crate) fn read_resource<T: Identified>(body: &[u8]) -> Result<T, Unreadable> {
    if let Ok(resource) = serde_json::from_slice::<T>(body) {
        usable_sid(T::KEY, resource.sid())?;
        return Ok(resource);
    }
    let Members(members) =
        serde_json::from_slice(body).map_err(|e| Unreadable::NotAnObject(e.to_string()))?;
    let key = T::KEY;
    let sid = the_sid(key, &members)?;
    let mut times_sent: HashMap<&str, usize> = HashMap::new();
    for (name, _) in &members {
        *times_sent.entry(name.as_str()).or_default() += 1;
    }
    let mut readable = Map::new();
    readable.insert(key.to_owned(), Value::String(sid.clone()));
    let mut problems = Vec::new();
    for (name, value) in &members {
        if name == key || readable.contains_key(name) {
            continue;
        }
        let times = times_sent[name.as_str()];
        if times > 1 {
            // Neither value can be told to be the right one.
            if !problems.iter().any(|p: &FieldProblem| &p.field == name) {
                problems.push(FieldProblem {
                    field: name.clone(),
                    problem: format!("sent {times} times"),
                });
            }
            continue;
        }
        let alone = Map::from_iter([
            (key.to_owned(), Value::String(sid.clone())),
            (name.clone(), value.clone()),
        ]);
        match serde_json::from_value::<T>(Value::Object(alone)) {
            Ok(_) => {
                readable.insert(name.clone(), value.clone());
            }
            Err(error) => problems.push(FieldProblem {
                field: name.clone(),
                problem: error.to_string(),
            }),
        }
    }
    // Every member in `readable` was read once on its own, so together they read too; the
    // fallback keeps the SID even so.
    let mut resource = serde_json::from_value::<T>(Value::Object(readable))
        .unwrap_or_else(|_| T::with_sid(sid.clone()));
    resource.set_problems(problems);
    Ok(resource)
}

/// The one `key` member (`sid`) of the members, usable in a URL.
fn the_sid(key: &str, members: &[(String, Value)]) -> Result<String, Unreadable> {
    let mut sids = members
        .iter()
        .filter(|(name, _)| name == key)
        .map(|(_, v)| v);
    let Some(first) = sids.next() else {
        return Err(Unreadable::NoUsableSid(format!("no {key} member")));
    };
    let Value::String(sid) = first else {
        return Err(Unreadable::NoUsableSid(format!(
            "{key} is {} instead of a string",
            kind(first)
        )));
    };
    if sids.any(|other| other != first) {
        return Err(Unreadable::NoUsableSid(format!(
            "{key} is sent more than once, with different values"
        )));
    }
    usable_sid(key, sid)?;
    Ok(sid.clone())
}

fn usable_sid(key: &str, sid: &str) -> Result<(), Unreadable> {
    check_sid(key, sid).map_err(|error| match error {
        crate::Error::InvalidInput { rule, .. } => Unreadable::NoUsableSid(format!("{key} {rule}")),
        other => Unreadable::NoUsableSid(other.to_string()),
    })
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The members of a JSON object in their order, a name sent twice kept twice (a map would keep
/// one of the values and hide that there were two).
struct Members(Vec<(String, Value)>);

impl<'de> Deserialize<'de> for Members {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(MembersVisitor)
    }
}

struct MembersVisitor;

impl<'de> Visitor<'de> for MembersVisitor {
    type Value = Members;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members, A::Error> {
        let mut members = Vec::new();
        while let Some((name, value)) = map.next_entry::<String, Value>()? {
            members.push((name, value));
        }
        Ok(Members(members))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Members, E> {
        Err(E::custom("null instead of an object"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Call;

    fn read_call(body: &[u8]) -> Result<Call, Unreadable> {
        read_resource(body)
    }

    const SID: &str = "CA1234567890abcdef1234567890abcdef";

    #[test]
    fn an_odd_member_is_left_out_and_named_the_rest_is_kept() {
        let cases: &[(&str, &str)] = &[
            (r#""duration": -4"#, "duration"),
            (r#""duration": "soon""#, "duration"),
            (r#""date_created": "yesterday""#, "date_created"),
            (r#""status": 7"#, "status"),
            (r#""to": ["+4912"]"#, "to"),
            (r#""subresource_uris": "none""#, "subresource_uris"),
            (r#""to": "+4912", "to": "+4913""#, "to"),
            (r#""trunk": 1, "trunk": 2, "duration": -1"#, "duration"),
        ];
        for (member, field) in cases {
            let body =
                format!(r#"{{"sid": "{SID}", "from": "+4998", {member}, "status_extra": null}}"#);
            let call = read_call(body.as_bytes()).unwrap_or_else(|e| panic!("{member}: {e}"));
            assert_eq!(call.sid, SID, "{member}");
            assert_eq!(call.from.as_deref(), Some("+4998"), "{member}");
            assert!(call.extra.contains_key("status_extra"), "{member}");
            let named: Vec<_> = call.problems.iter().map(|p| p.field.as_str()).collect();
            assert!(named.contains(field), "{member}: {:?}", call.problems);
            assert!(!call.extra.contains_key(*field), "{member}");
        }
    }

    #[test]
    fn a_good_answer_reads_strictly_with_no_problems() {
        let call =
            read_call(format!(r#"{{"sid": "{SID}", "duration": "15"}}"#).as_bytes()).unwrap();
        assert_eq!((call.duration, call.problems.len()), (Some(15), 0));
    }

    #[test]
    fn no_usable_sid_is_unreadable() {
        let cases = [
            r#"{"to": "+4912"}"#,
            r#"{"sid": "", "to": "+4912"}"#,
            r#"{"sid": null}"#,
            r#"{"sid": 12}"#,
            r#"{"sid": "CA1/../CA2"}"#,
            r#"{"sid": "CA 1"}"#,
            r#"{"sid": "CA1", "sid": "CA2"}"#,
            r#"{"sid": "", "duration": -1}"#,
        ];
        for body in cases {
            assert!(
                matches!(read_call(body.as_bytes()), Err(Unreadable::NoUsableSid(_))),
                "{body}: {:?}",
                read_call(body.as_bytes())
            );
        }
        // The same SID twice is one SID.
        let call = read_call(br#"{"sid": "CA1", "sid": "CA1", "to": "+4912"}"#).unwrap();
        assert_eq!(
            (call.sid.as_str(), call.to.as_deref()),
            ("CA1", Some("+4912"))
        );
    }

    #[test]
    fn a_body_that_is_no_object_is_unreadable() {
        for body in [
            &b"{\"sid\": \"CA1\", \"status\": \"que"[..],
            b"<html>Bad gateway</html>",
            b"",
            b"null",
            b"[{\"sid\": \"CA1\"}]",
            b"\"CA1\"",
            &[0xff, 0xfe, b'{'],
        ] {
            assert!(
                matches!(read_call(body), Err(Unreadable::NotAnObject(_))),
                "{:?}",
                String::from_utf8_lossy(body)
            );
        }
    }
}
