//! A list page read lazily: one validating pass over the body records where each call and each
//! of its fields is; a field is decoded only when it is asked for.
//!
//! [`CallPage`] decodes every field of every call up front (dates, strings, maps). A program
//! that only looks at a few fields of each call (the SID, the status) pays for all of them.
//! [`PageIndex`] checks the whole body (it is JSON, `calls` is an array of objects each with a
//! string `sid`, the envelope decodes) and then hands out [`CallView`]s that decode on demand,
//! with the same rules as the typed models: a view's [`CallView::to_call`] is the [`Call`] the
//! typed parse gives.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{DeserializeSeed, MapAccess};
use time::OffsetDateTime;

use super::call::CallField;
use super::json_scan::{self, Element, Entry, Span, key_is};
use super::keys::{Key, Seen};
use super::page::{PageField, read_field};
use super::wire;
use super::{Call, CallPage};
use crate::error::{Error, Result};
use crate::ops::response::excerpt;
use crate::types::{CallStatus, Direction};

/// A validated list page whose calls are decoded on demand.
///
/// Building one checks the whole body in one pass and decodes the envelope (`page`,
/// `page_size`, the links); each call is a [`CallView`] over its bytes. The body is kept as
/// given (`B` is `Vec<u8>`, `&[u8]`, or any other owner of bytes).
///
/// ```
/// use mycpaas_core::model::PageIndex;
///
/// let body = br#"{"page": 0, "page_size": 2, "next_page_uri": null,
///                 "calls": [{"sid": "CA1", "status": "completed", "duration": "15"},
///                           {"sid": "CA2", "status": "ringing", "shiny_new_field": 1}]}"#;
/// let page = PageIndex::new(&body[..])?;
/// assert_eq!(page.envelope().page_size, Some(2));
/// assert_eq!(page.len(), 2);
///
/// let sids: Vec<_> = page.calls().map(|call| call.sid()).collect::<Result<_, _>>()?;
/// assert_eq!(sids, ["CA1", "CA2"]);
///
/// let first = page.call(0).unwrap();
/// assert_eq!(first.count("duration")?, Some(15));
/// assert_eq!(first.to_call()?.duration, Some(15));        // the same as the typed parse
/// assert!(page.call(1).unwrap().extra()?.contains_key("shiny_new_field"));
///
/// // Anything that is not a page is refused with the error undecodable bodies give.
/// assert!(PageIndex::new(&b"{\"calls\": [{\"sid\": \"CA1\"}"[..]).is_err());
/// # Ok::<(), mycpaas_core::Error>(())
/// ```
pub struct PageIndex<B = Vec<u8>> {
    body: B,
    status: u16,
    envelope: CallPage,
    elements: Vec<Element>,
    entries: Vec<Entry>,
}

impl<B: AsRef<[u8]>> PageIndex<B> {
    /// Validates `body` as a page of calls and indexes it. Errors are [`Error::Decode`] (with the
    /// status 200, as for a success response's body).
    pub fn new(body: B) -> Result<Self> {
        Self::with_status(body, 200)
    }

    /// As [`PageIndex::new`], for the body of a response of status `status` (reported in errors).
    pub fn with_status(body: B, status: u16) -> Result<Self> {
        let bytes = body.as_ref();
        let failed = |message: String| Error::Decode {
            status,
            message,
            body_excerpt: excerpt(bytes),
        };
        // The scan checks UTF-8 as well (inside strings; the grammar is ASCII elsewhere).
        let scan = json_scan::scan_page(bytes)
            .map_err(|err| failed(format!("{} at byte {}", err.message, err.offset)))?;
        let envelope = decode_envelope(bytes, &scan).map_err(|err| failed(err.to_string()))?;
        for (number, element) in scan.elements.iter().enumerate() {
            if !is_call(bytes, element, &scan.entries) {
                // Let the typed parse say what is wrong with it.
                let message = match bytes
                    .get(element.value.range())
                    .map(serde_json::from_slice::<Call>)
                {
                    Some(Err(err)) => err.to_string(),
                    _ => continue, // the typed parse accepts it after all
                };
                return Err(failed(format!("calls[{number}]: {message}")));
            }
        }
        Ok(PageIndex {
            status,
            envelope,
            elements: scan.elements,
            entries: scan.entries,
            body,
        })
    }

    /// Everything but the calls: `page`, `page_size`, the links, `start`, `end`, `extra`
    /// (`calls` is empty here).
    pub fn envelope(&self) -> &CallPage {
        &self.envelope
    }

    /// The number of calls.
    pub fn len(&self) -> usize {
        self.elements.len()
    }

    /// Whether the page holds no call.
    pub fn is_empty(&self) -> bool {
        self.elements.is_empty()
    }

    /// The call at `number` (from 0), if there is one.
    pub fn call(&self, number: usize) -> Option<CallView<'_>> {
        self.elements
            .get(number)
            .map(|element| self.view(number, element))
    }

    /// Every call, in order.
    pub fn calls(&self) -> impl ExactSizeIterator<Item = CallView<'_>> {
        self.elements
            .iter()
            .enumerate()
            .map(|(number, element)| self.view(number, element))
    }

    fn view(&self, number: usize, element: &Element) -> CallView<'_> {
        CallView {
            body: self.body.as_ref(),
            members: self
                .entries
                .get(element.first as usize..element.end as usize)
                .unwrap_or_default(),
            value: element.value,
            number,
            status: self.status,
        }
    }

    /// The whole page decoded, as [`CallPage`] would decode the body.
    pub fn to_call_page(&self) -> Result<CallPage> {
        let mut page = self.envelope.clone();
        page.calls = self
            .calls()
            .map(|call| call.to_call())
            .collect::<Result<_>>()?;
        Ok(page)
    }

    /// The body.
    pub fn body(&self) -> &B {
        &self.body
    }

    /// Gives the body back.
    pub fn into_body(self) -> B {
        self.body
    }
}

impl<B> fmt::Debug for PageIndex<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PageIndex")
            .field("envelope", &self.envelope)
            .field("calls", &self.elements.len())
            .finish_non_exhaustive()
    }
}

/// Whether a `calls` element is an object with a string `sid` (what the typed parse requires
/// before looking at the other fields, which are checked when read).
fn is_call(body: &[u8], element: &Element, entries: &[Entry]) -> bool {
    element.object
        && entries
            .get(element.first as usize..element.end as usize)
            .unwrap_or_default()
            .iter()
            .find(|entry| key_is(body, entry.key, "sid"))
            .is_some_and(|sid| body.get(sid.value.start as usize) == Some(&b'"'))
}

/// The envelope's fields, read with the same rules as [`CallPage`]'s `Deserialize`; the indexed
/// `calls` array is skipped (its calls are read on demand).
fn decode_envelope(body: &[u8], scan: &json_scan::Scan) -> serde_json::Result<CallPage> {
    let mut page = CallPage::default();
    let mut seen = Seen::default();
    for (member, entry) in scan.top.iter().enumerate() {
        let key: Key<PageField> = serde_json::from_slice(quoted(body, entry.key))?;
        let value = body.get(entry.value.range()).unwrap_or_default();
        match key {
            Key::Other(name) => {
                page.extra.insert(name, serde_json::from_slice(value)?);
            }
            Key::Known(field) => {
                seen.first::<_, serde_json::Error>(field)?;
                if scan.calls_member != Some(member) {
                    read_field(&mut page, field, &mut OneValue(Some(value)))?;
                }
            }
        }
    }
    Ok(page)
}

/// A key's text with its quotes, as JSON.
fn quoted(body: &[u8], key: Span) -> &[u8] {
    body.get((key.start as usize).saturating_sub(1)..key.end as usize + 1)
        .unwrap_or_default()
}

/// A map access holding one value, so [`read_field`] (written for a map) reads a single value.
struct OneValue<'de>(Option<&'de [u8]>);

impl<'de> MapAccess<'de> for OneValue<'de> {
    type Error = serde_json::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        _: K,
    ) -> serde_json::Result<Option<K::Value>> {
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> serde_json::Result<V::Value> {
        let text = self.0.take().unwrap_or(b"null");
        let mut deserializer = serde_json::Deserializer::from_slice(text);
        let value = seed.deserialize(&mut deserializer)?;
        deserializer.end()?;
        Ok(value)
    }
}

/// One call of a [`PageIndex`], decoded field by field when asked.
///
/// Each accessor decodes with the rule of the [`Call`] field of that name: [`text`](Self::text)
/// for the plain strings (`to`, `from`, `uri`, ...), [`date`](Self::date) for the dates,
/// [`count`](Self::count) for `duration`, [`loose_text`](Self::loose_text) for `price` and
/// `queue_time`, [`object`](Self::object) for `subresource_uris`. A key sent twice is read from
/// its first occurrence (the typed parse, [`to_call`](Self::to_call), refuses it).
#[derive(Clone, Copy)]
pub struct CallView<'a> {
    body: &'a [u8],
    members: &'a [Entry],
    value: Span,
    number: usize,
    status: u16,
}

impl<'a> CallView<'a> {
    /// The call's position in the page (from 0).
    pub fn number(&self) -> usize {
        self.number
    }

    /// The call's raw JSON object.
    pub fn json(&self) -> &'a str {
        self.text_at(self.value)
    }

    /// The raw JSON of the value of `key` (`"CA1"` with its quotes, `15`, `null`), if the call
    /// has that key.
    pub fn raw(&self, key: &str) -> Option<&'a str> {
        self.members
            .iter()
            .find(|entry| key_is(self.body, entry.key, key))
            .map(|entry| self.text_at(entry.value))
    }

    /// The SID (checked to be a string when the page was indexed).
    pub fn sid(&self) -> Result<Cow<'a, str>> {
        self.text("sid")?
            .ok_or_else(|| self.error("sid", "missing field `sid`"))
    }

    /// A string field (`to`, `status`, `uri`, ...): `None` when absent or `null`. Borrowed from
    /// the body unless the string has escapes.
    pub fn text(&self, key: &str) -> Result<Option<Cow<'a, str>>> {
        let Some(raw) = self.raw(key) else {
            return Ok(None);
        };
        if let Some(inner) = raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
            if !inner.contains('\\') {
                return Ok(Some(Cow::Borrowed(inner)));
            }
        }
        self.decode::<Option<String>>(key, raw)
            .map(|text| text.map(Cow::Owned))
    }

    /// A date field (`date_created`, `start_time`, ...): RFC 3339 / RFC 2822 text or unix
    /// seconds; `None` when absent, `null` or empty.
    pub fn date(&self, key: &str) -> Result<Option<OffsetDateTime>> {
        self.field::<wire::value::Date>(key)
            .map(|date| date.and_then(|d| d.0))
    }

    /// A whole number sent as a number or a string (`duration`).
    pub fn count(&self, key: &str) -> Result<Option<u64>> {
        self.field::<wire::value::Count>(key)
            .map(|count| count.and_then(|c| c.0))
    }

    /// A scalar kept as text (`price`, `queue_time`): strings as sent, numbers and booleans
    /// written out; `None` when absent, `null` or empty.
    pub fn loose_text(&self, key: &str) -> Result<Option<String>> {
        self.field::<wire::value::Text>(key)
            .map(|text| text.and_then(|t| t.0))
    }

    /// A JSON object field (`subresource_uris`).
    pub fn object(&self, key: &str) -> Result<Option<serde_json::Map<String, serde_json::Value>>> {
        self.field::<Option<serde_json::Map<String, serde_json::Value>>>(key)
            .map(Option::flatten)
    }

    /// The status, as [`Call::status`].
    pub fn status(&self) -> Result<Option<CallStatus>> {
        Ok(self.text("status")?.map(|s| CallStatus::from_wire(&s)))
    }

    /// The direction, as [`Call::direction`].
    pub fn direction(&self) -> Result<Option<Direction>> {
        Ok(self.text("direction")?.map(|d| Direction::from_wire(&d)))
    }

    /// The fields [`Call`] does not model, as [`Call::extra`].
    pub fn extra(&self) -> Result<serde_json::Map<String, serde_json::Value>> {
        let mut extra = serde_json::Map::new();
        for entry in self.members {
            let key: Key<CallField> = serde_json::from_slice(quoted(self.body, entry.key))
                .map_err(|err| self.error("extra", err))?;
            if let Key::Other(name) = key {
                let value = self.decode(&name, self.text_at(entry.value))?;
                extra.insert(name, value);
            }
        }
        Ok(extra)
    }

    /// The whole call, as the typed parse gives it.
    pub fn to_call(&self) -> Result<Call> {
        serde_json::from_str(self.json()).map_err(|err| Error::Decode {
            status: self.status,
            message: format!("calls[{}]: {err}", self.number),
            body_excerpt: excerpt(self.json().as_bytes()),
        })
    }

    /// The value of `key` decoded as `T`, `None` when the call does not have the key.
    fn field<T: Deserialize<'a>>(&self, key: &str) -> Result<Option<T>> {
        self.raw(key).map(|raw| self.decode(key, raw)).transpose()
    }

    fn decode<T: Deserialize<'a>>(&self, key: &str, raw: &'a str) -> Result<T> {
        serde_json::from_str(raw).map_err(|err| self.error(key, err))
    }

    fn error(&self, key: &str, message: impl fmt::Display) -> Error {
        Error::Decode {
            status: self.status,
            message: format!("calls[{}].{key}: {message}", self.number),
            body_excerpt: excerpt(self.json().as_bytes()),
        }
    }

    /// The text of a span. Spans end on ASCII delimiters of a body the scan checked as UTF-8, so this
    /// never fails; an empty string stands for the impossible.
    fn text_at(&self, span: Span) -> &'a str {
        self.body
            .get(span.range())
            .and_then(|bytes| std::str::from_utf8(bytes).ok())
            .unwrap_or_default()
    }
}

impl fmt::Debug for CallView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallView")
            .field("number", &self.number)
            .field("json", &self.json())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::derive_oracle::CALL_CORPUS;

    /// Every accessor of `view` against the typed call.
    fn assert_view_matches(view: &CallView<'_>, call: &Call) {
        let text = |key| view.text(key).unwrap().map(Cow::into_owned);
        assert_eq!(view.sid().unwrap(), call.sid);
        assert_eq!(text("account_sid"), call.account_sid);
        assert_eq!(text("parent_call_sid"), call.parent_call_sid);
        assert_eq!(text("to"), call.to);
        assert_eq!(text("to_formatted"), call.to_formatted);
        assert_eq!(text("from"), call.from);
        assert_eq!(text("from_formatted"), call.from_formatted);
        assert_eq!(text("phone_number_sid"), call.phone_number_sid);
        assert_eq!(view.status().unwrap(), call.status);
        assert_eq!(view.direction().unwrap(), call.direction);
        assert_eq!(view.date("date_created").unwrap(), call.date_created);
        assert_eq!(view.date("date_updated").unwrap(), call.date_updated);
        assert_eq!(view.date("start_time").unwrap(), call.start_time);
        assert_eq!(view.date("end_time").unwrap(), call.end_time);
        assert_eq!(view.count("duration").unwrap(), call.duration);
        assert_eq!(view.loose_text("price").unwrap(), call.price);
        assert_eq!(text("price_unit"), call.price_unit);
        assert_eq!(text("answered_by"), call.answered_by);
        assert_eq!(text("api_version"), call.api_version);
        assert_eq!(text("forwarded_from"), call.forwarded_from);
        assert_eq!(text("caller_name"), call.caller_name);
        assert_eq!(text("group_sid"), call.group_sid);
        assert_eq!(view.loose_text("queue_time").unwrap(), call.queue_time);
        assert_eq!(text("annotation"), call.annotation);
        assert_eq!(text("uri"), call.uri);
        assert_eq!(
            view.object("subresource_uris").unwrap(),
            call.subresource_uris
        );
        assert_eq!(view.extra().unwrap(), call.extra);
        assert_eq!(&view.to_call().unwrap(), call);
    }

    #[test]
    fn views_decode_as_the_typed_call() {
        for text in CALL_CORPUS {
            let body = format!(r#"{{"page": 0, "calls": [{{"sid": "CA0"}}, {text}]}}"#);
            let typed = serde_json::from_str::<CallPage>(&body);
            let index = PageIndex::new(body.as_bytes());
            match typed {
                Ok(page) => {
                    let index = index.unwrap_or_else(|e| panic!("{text}: {e}"));
                    assert_eq!(index.len(), 2);
                    for (view, call) in index.calls().zip(&page.calls) {
                        assert_view_matches(&view, call);
                    }
                    assert_eq!(index.to_call_page().unwrap(), page);
                }
                // The typed parse refuses it: so does the index, or reading the call does.
                Err(_) => {
                    if let Ok(index) = index {
                        assert!(index.to_call_page().is_err(), "{text}");
                    }
                }
            }
        }
    }

    #[test]
    fn the_envelope_decodes_as_the_typed_page() {
        let body = br#"{"page": "1", "page_size": 2, "calls": [], "uri": "/a?Page=1",
            "first_page_uri": "/a?Page=0", "next_page_uri": "/a?Page=2&PageToken=PA1",
            "previous_page_uri": "/a?Page=0", "start": 2, "end": 3, "num_pages": 9}"#;
        let index = PageIndex::new(&body[..]).unwrap();
        let typed: CallPage = serde_json::from_slice(body).unwrap();
        assert_eq!(index.envelope(), &typed);
        assert!(index.is_empty());
        assert_eq!(
            PageIndex::new(&b"{}"[..]).unwrap().envelope(),
            &CallPage::default()
        );
    }

    #[test]
    fn pages_the_typed_parse_refuses_are_refused() {
        for body in [
            r#"{"page": -1, "calls": []}"#,
            r#"{"page": 0, "page": 1}"#,
            r#"{"calls": null}"#,
            r#"{"calls": [], "calls": []}"#,
            r#"{"calls": [5]}"#,
            r#"{"calls": [{"to": "+1"}]}"#,
            r#"{"calls": [{"sid": 1}]}"#,
            r#"{"next_page_uri": 1}"#,
            "[]",
            r#"{"calls": [{"sid": "CA1"}]"#,
            r#"{"calls": [{"sid": "CA1"}]} x"#,
        ] {
            assert!(serde_json::from_str::<CallPage>(body).is_err(), "{body}");
            let err = PageIndex::new(body.as_bytes()).unwrap_err();
            assert!(
                matches!(err, Error::Decode { status: 200, .. }),
                "{body}: {err}"
            );
        }
    }

    #[test]
    fn errors_say_what_and_where() {
        let err = PageIndex::new(&br#"{"calls": [{"sid": "CA1"}, {"to": "+1"}]}"#[..]).unwrap_err();
        assert!(
            err.to_string().contains("calls[1]: missing field `sid`"),
            "{err}"
        );
        let err = PageIndex::with_status(&b"{\"calls\": [tru]}"[..], 203).unwrap_err();
        assert!(
            err.to_string().contains("expected ident at byte 11"),
            "{err}"
        );
        assert_eq!(err.status(), Some(203));
        let err = PageIndex::new(&b"{\"a\": \"\xff\"}"[..]).unwrap_err();
        assert!(err.to_string().contains("invalid UTF-8 at byte 7"), "{err}");

        let index =
            PageIndex::new(&br#"{"calls": [{"sid": "CA1", "end_time": "soon"}]}"#[..]).unwrap();
        let err = index.call(0).unwrap().date("end_time").unwrap_err();
        assert!(
            err.to_string()
                .contains("calls[0].end_time: unrecognised date"),
            "{err}"
        );
    }

    #[test]
    fn strings_without_escapes_are_borrowed() {
        let body = br#"{"calls": [{"sid": "CA1", "to": "+1\n2", "\u0066rom": "+3"}]}"#;
        let index = PageIndex::new(&body[..]).unwrap();
        let call = index.call(0).unwrap();
        assert!(matches!(call.sid().unwrap(), Cow::Borrowed("CA1")));
        assert_eq!(call.text("to").unwrap().as_deref(), Some("+1\n2"));
        // An escaped key still names its field.
        assert_eq!(call.text("from").unwrap().as_deref(), Some("+3"));
        assert_eq!(call.raw("to"), Some(r#""+1\n2""#));
        assert!(call.raw("missing").is_none());
        assert!(index.call(1).is_none());
        // An escaped `calls` key is still the page's calls.
        let index = PageIndex::new(&br#"{"call\u0073": [{"sid": "CA1"}]}"#[..]).unwrap();
        assert_eq!(index.len(), 1);
    }

    #[test]
    fn debug_shows_the_envelope_and_the_count() {
        let index = PageIndex::new(br#"{"page": 0, "calls": [{"sid": "CA1"}]}"#.to_vec()).unwrap();
        let shown = format!("{index:?} {:?}", index.call(0).unwrap());
        assert!(
            shown.contains("calls: 1") && shown.contains("CA1"),
            "{shown}"
        );
        assert_eq!(index.into_body().len(), 38);
    }
}
