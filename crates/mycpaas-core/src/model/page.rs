//! The list page envelope.

use serde::{Deserialize, Serialize};

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
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CallPage {
    /// The calls of this page.
    #[serde(default)]
    pub calls: Vec<Call>,
    /// The 0-based page number.
    #[serde(default, with = "wire::number")]
    pub page: Option<u64>,
    /// The page size the server used.
    #[serde(default, with = "wire::number")]
    pub page_size: Option<u64>,
    /// This page's path (`null` when absent).
    #[serde(default)]
    pub uri: Option<String>,
    /// The first page's path (`null` when absent).
    #[serde(default)]
    pub first_page_uri: Option<String>,
    /// The next page's path; `None` (written as `null`) on the last page.
    #[serde(default)]
    pub next_page_uri: Option<String>,
    /// The previous page's path; `None` (written as `null`) on the first page.
    #[serde(default)]
    pub previous_page_uri: Option<String>,
    /// Index of the first record of this page.
    #[serde(
        default,
        with = "wire::number",
        skip_serializing_if = "Option::is_none"
    )]
    pub start: Option<u64>,
    /// Index of the last record of this page.
    #[serde(
        default,
        with = "wire::number",
        skip_serializing_if = "Option::is_none"
    )]
    pub end: Option<u64>,
    /// Fields this version does not know, kept as sent.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
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
