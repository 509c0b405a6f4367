//! The list page envelope.

use std::fmt;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use super::keys::{Key, Seen, field_names};
use super::wire;
use crate::model::Call;

/// One page of a call list: the seed's `{"page", "page_size", "calls"}` plus the links servers of
/// this API shape add. When reading, a link may be absent or `null` (`next_page_uri` on the last
/// page); when writing, every `*_uri` link is written, as `null` when it is `None`, the way these
/// servers send the envelope.
///
/// ```
/// use mycpaas_core::CallPage;
/// let page: CallPage = serde_json::from_str(r#"{"page": 0, "page_size": 10, "calls": []}"#).unwrap();
/// assert_eq!(page.page_size, Some(10));
/// assert!(page.next_page_uri.is_none());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CallPage {
    /// The calls of this page.
    pub calls: Vec<Call>,
    /// The 0-based page number.
    #[serde(serialize_with = "wire::number::serialize")]
    pub page: Option<u64>,
    /// The page size the server used.
    #[serde(serialize_with = "wire::number::serialize")]
    pub page_size: Option<u64>,
    /// This page's path (`null` when absent).
    pub uri: Option<String>,
    /// The first page's path (`null` when absent).
    pub first_page_uri: Option<String>,
    /// The next page's path; `None` (written as `null`) on the last page.
    pub next_page_uri: Option<String>,
    /// The previous page's path; `None` (written as `null`) on the first page.
    pub previous_page_uri: Option<String>,
    /// Index of the first record of this page.
    #[serde(
        serialize_with = "wire::number::serialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub start: Option<u64>,
    /// Index of the last record of this page.
    #[serde(
        serialize_with = "wire::number::serialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub end: Option<u64>,
    /// Fields this version does not know, kept as sent.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

field_names! {
    /// The fields of [`CallPage`], by wire name.
    PageField {
        Calls => "calls",
        Page => "page",
        PageSize => "page_size",
        Uri => "uri",
        FirstPageUri => "first_page_uri",
        NextPageUri => "next_page_uri",
        PreviousPageUri => "previous_page_uri",
        Start => "start",
        End => "end",
    }
}

// Written by hand for the reasons given on `Call`'s impl: unknown members into `extra` without
// `#[serde(flatten)]`, and one table of field names shared with `PageIndex`.
impl<'de> Deserialize<'de> for CallPage {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(PageVisitor)
    }
}

struct PageVisitor;

impl<'de> Visitor<'de> for PageVisitor {
    type Value = CallPage;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a page of calls")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<CallPage, A::Error> {
        let mut page = CallPage::default();
        let mut seen = Seen::default();
        while let Some(key) = map.next_key::<Key<PageField>>()? {
            let field = match key {
                Key::Known(field) => field,
                Key::Other(name) => {
                    let value = map.next_value()?;
                    page.extra.insert(name, value);
                    continue;
                }
            };
            seen.first(field)?;
            read_field(&mut page, field, &mut map)?;
        }
        Ok(page)
    }
}

/// Reads the value of one envelope field into `page` (shared with the lazy page, which reads the
/// envelope the same way and the calls on demand).
pub(crate) fn read_field<'de, A: MapAccess<'de>>(
    page: &mut CallPage,
    field: PageField,
    map: &mut A,
) -> Result<(), A::Error> {
    match field {
        PageField::Calls => page.calls = map.next_value()?,
        PageField::Page => page.page = map.next_value::<wire::value::Count>()?.0,
        PageField::PageSize => page.page_size = map.next_value::<wire::value::Count>()?.0,
        PageField::Uri => page.uri = map.next_value()?,
        PageField::FirstPageUri => page.first_page_uri = map.next_value()?,
        PageField::NextPageUri => page.next_page_uri = map.next_value()?,
        PageField::PreviousPageUri => page.previous_page_uri = map.next_value()?,
        PageField::Start => page.start = map.next_value::<wire::value::Count>()?.0,
        PageField::End => page.end = map.next_value::<wire::value::Count>()?.0,
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_envelope() {
        let page: CallPage = serde_json::from_str(
            r#"{"page": 0, "page_size": 10, "calls": [{"sid": "CA1", "status": "completed"}]}"#,
        )
        .unwrap();
        assert_eq!(page.page, Some(0));
        assert_eq!(page.calls.len(), 1);
        assert_eq!(page.next_page_uri, None);
    }

    #[test]
    fn full_envelope() {
        let page: CallPage = serde_json::from_str(
            r#"{"page": "1", "page_size": 2, "calls": [], "uri": "/a?Page=1",
                "first_page_uri": "/a?Page=0", "next_page_uri": "/a?Page=2&PageToken=PA1",
                "previous_page_uri": "/a?Page=0", "start": 2, "end": 3, "num_pages": 9}"#,
        )
        .unwrap();
        assert_eq!(page.page, Some(1));
        assert_eq!(
            page.next_page_uri.as_deref(),
            Some("/a?Page=2&PageToken=PA1")
        );
        assert_eq!(page.end, Some(3));
        assert!(page.extra.contains_key("num_pages"));
        let back: CallPage = serde_json::from_str(&serde_json::to_string(&page).unwrap()).unwrap();
        assert_eq!(back, page);
    }

    #[test]
    fn serializes_absent_links_as_null() {
        let page = CallPage::default();
        let json = serde_json::to_value(&page).unwrap();
        let object = json.as_object().unwrap();
        for link in [
            "uri",
            "first_page_uri",
            "next_page_uri",
            "previous_page_uri",
        ] {
            assert_eq!(object.get(link), Some(&serde_json::Value::Null), "{link}");
        }
        assert_eq!(json["calls"], serde_json::json!([]));
        // The record indexes are not links: absent stays absent.
        assert!(!object.contains_key("start") && !object.contains_key("end"));
        // Read back: null and absent both give `None`.
        let back: CallPage = serde_json::from_value(json).unwrap();
        assert_eq!(back, page);
    }

    #[test]
    fn first_page_writes_a_null_previous_page_uri() {
        let page: CallPage = serde_json::from_str(
            r#"{"page": 0, "page_size": 2, "calls": [], "uri": "/a?Page=0",
                "first_page_uri": "/a?Page=0", "next_page_uri": "/a?Page=1"}"#,
        )
        .unwrap();
        assert_eq!(page.previous_page_uri, None);
        let json = serde_json::to_value(&page).unwrap();
        assert_eq!(json["previous_page_uri"], serde_json::Value::Null);
        assert_eq!(json["next_page_uri"], "/a?Page=1");
    }
}
