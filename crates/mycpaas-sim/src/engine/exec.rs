//! Running LaML: fetching documents from the customer's web app (or taking them
//! inline) and executing their verbs on the simulated clock.

use std::time::Duration;

use mycpaas_laml::{
    Dial, DialNoun, Gather, GatherChild, GatherInput as Listen, Pause, Play, Record,
    RecordingEvent, RejectReason, Response, Say, Verb,
};

use encoding_rs::Encoding;

use super::{CallRun, Interrupt, conference, legs, queue, recordings, webhook};
use crate::recording::{self, RecordingAsk, RecordingCallback};
use crate::store::{DocSource, Method, Status, Target, without_credentials};
use crate::timeline::TimelineEvent;
use mycpaas_core::{RecordingSource, Trim};
use mycpaas_laml::Trim as LamlTrim;

/// Documents one call may load before the simulator calls it a redirect loop.
const MAX_DOCUMENTS: usize = 64;
/// Simulated speaking rate for `<Say>`, in characters per second.
const SPEECH_CHARS_PER_SEC: f64 = 15.0;
/// Simulated length of any `<Play>` audio.
const AUDIO_LENGTH: Duration = Duration::from_secs(5);
/// How many times the simulated callee listens to `loop="0"` before hanging up.
const LOOP_FOREVER_REPEATS: u32 = 3;
/// Simulated length of a `<Record>`ing.
const RECORDING_LENGTH_SECS: u32 = 5;
/// `<Record trim>` when not given (laml.md): silence is cut.
const RECORD_TRIM: LamlTrim = LamlTrim::TrimSilence;
/// `<Dial timeout>` when not given (laml.md): 30 seconds of ringing.
pub(super) const DIAL_TIMEOUT_SECS: u32 = 30;
/// `<Dial timeLimit>` when not given (laml.md): four hours.
pub(super) const DIAL_TIME_LIMIT_SECS: u32 = 14_400;
/// `<Dial trim>` when not given (laml.md): silence is kept.
pub(super) const DIAL_TRIM: LamlTrim = LamlTrim::DoNotTrim;

/// Where the call goes after a document's verbs.
pub(super) enum Next {
    /// Request a document from the web app.
    Fetch {
        target: Target,
        purpose: &'static str,
        extra: Vec<(String, String)>,
    },
    /// Run an inline document.
    Inline {
        twiml: String,
        purpose: &'static str,
    },
    /// End the call with this status.
    End(Status),
}

impl Next {
    fn from_source(source: DocSource, purpose: &'static str) -> Next {
        match source {
            DocSource::Url(target) => Next::Fetch {
                target,
                purpose,
                extra: Vec::new(),
            },
            DocSource::Inline(twiml) => Next::Inline { twiml, purpose },
        }
    }
}

/// A document ready to run, and the URL relative URLs in it resolve against.
pub(super) struct Loaded {
    pub(super) response: Response,
    url: Option<String>,
}

/// Runs the call's instructions until it ends; returns its terminal status.
pub(super) async fn converse(run: &CallRun, source: DocSource) -> Result<Status, Interrupt> {
    let mut fallback = run.call.inner.lock().record.fallback.clone();
    let mut next = Next::from_source(source, "voice");
    let mut loaded = 0;
    loop {
        if !matches!(next, Next::End(_)) {
            loaded += 1;
            if loaded > MAX_DOCUMENTS {
                run.record(TimelineEvent::Error {
                    message: format!(
                        "more than {MAX_DOCUMENTS} documents in one call (a redirect loop?)"
                    ),
                });
                return Ok(Status::Failed);
            }
        }
        let doc = match next {
            Next::End(status) => return Ok(status),
            Next::Inline { twiml, purpose } => match load_inline(run, &twiml, purpose) {
                Some(doc) => doc,
                None => return Ok(Status::Failed),
            },
            Next::Fetch {
                target,
                purpose,
                extra,
            } => match run
                .fetch_then_check(fetch(run, &target, purpose, extra))
                .await
            {
                Ok(Ok(doc)) => doc,
                // The fallback URL gets one chance when a document cannot be used.
                Ok(Err(())) => match fallback.take() {
                    Some(target) => {
                        next = Next::Fetch {
                            target,
                            purpose: "fallback",
                            extra: Vec::new(),
                        };
                        continue;
                    }
                    None => return Ok(Status::Failed),
                },
                Err(Interrupt::Redirect(source)) => {
                    next = Next::from_source(source, "api-redirect");
                    continue;
                }
                Err(other) => return Err(other),
            },
        };
        // An inbound call is answered once its first document is in hand (its voice request
        // was sent while it rang).
        run.answer_if_ringing()?;
        next = redirected(run_document(run, &doc).await)?;
    }
}

/// Turns an API redirect that interrupted a document into the next step.
fn redirected(step: Result<Next, Interrupt>) -> Result<Next, Interrupt> {
    match step {
        Ok(next) => Ok(next),
        Err(Interrupt::Redirect(source)) => Ok(Next::from_source(source, "api-redirect")),
        Err(other) => Err(other),
    }
}

/// Requests a document and checks it: 2xx, an XML content type, valid LaML.
/// Every outcome is recorded; `Err(())` means the call cannot continue with it.
pub(super) async fn fetch(
    run: &CallRun,
    target: &Target,
    purpose: &'static str,
    extra: Vec<(String, String)>,
) -> Result<Loaded, ()> {
    let (mut params, token) = {
        let inner = run.call.inner.lock();
        let token = run
            .state
            .accounts
            .get(&inner.record.account_sid)
            .map(|a| a.auth_token().to_owned())
            .unwrap_or_default();
        (webhook::base_params(&inner.record), token)
    };
    params.extend(extra);
    let request = webhook::send(&run.state, &token, target, &params, webhook::Read::Body);
    let reply = run.state.clock.aside(&run.call.alarm, request).await;
    let (http_status, outcome) = match reply {
        Err(error) => (None, Err(error)),
        Ok(reply) => (Some(reply.status), check_document(&reply)),
    };
    run.record(TimelineEvent::Document {
        purpose: purpose.to_owned(),
        url: target.shown_url(),
        method: target.method.as_str().to_owned(),
        http_status,
        error: outcome.as_ref().err().cloned(),
    });
    outcome.map_or(Err(()), |response| {
        Ok(Loaded {
            response,
            url: Some(target.url.clone()),
        })
    })
}

fn check_document(reply: &webhook::Reply) -> Result<Response, String> {
    if let Some(location) = reply
        .location
        .as_deref()
        .filter(|_| (300..400).contains(&reply.status))
    {
        return Err(format!(
            "the web app answered HTTP {} to {location}; redirects are not followed, give the call the final URL",
            reply.status
        ));
    }
    if !(200..300).contains(&reply.status) {
        return Err(format!("the web app answered HTTP {}", reply.status));
    }
    let content_type = reply.content_type.as_deref().unwrap_or("");
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence != "application/xml" && essence != "text/xml" {
        return Err(format!(
            "Content-Type must be application/xml or text/xml, got {content_type:?}"
        ));
    }
    let text = decode(&reply.body, charset(content_type))?;
    mycpaas_laml::parse(&text).map_err(|e| format!("invalid LaML: {e}"))
}

/// The `charset` parameter of a `Content-Type` (`text/xml; charset="utf-8"` → `utf-8`).
fn charset(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|field| {
        let (name, value) = field.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches('"'))
    })
}

/// The document's text: a byte order mark decides the encoding, then the `charset` of its
/// `Content-Type`, then UTF-8 (the XML default). Bytes that are not valid in that encoding
/// are an error, never replaced: a repaired document is not what the web app sent.
fn decode(body: &[u8], charset: Option<&str>) -> Result<String, String> {
    let (encoding, text) = if let Some((encoding, bom_length)) = Encoding::for_bom(body) {
        (encoding, &body[bom_length..])
    } else if let Some(label) = charset {
        let encoding = Encoding::for_label(label.as_bytes())
            .ok_or_else(|| format!("the Content-Type names an unknown charset {label:?}"))?;
        (encoding, body)
    } else {
        (encoding_rs::UTF_8, body)
    };
    encoding
        .decode_without_bom_handling_and_without_replacement(text)
        .map(std::borrow::Cow::into_owned)
        .ok_or_else(|| format!("the document is not valid {}", encoding.name()))
}

pub(super) fn load_inline(run: &CallRun, twiml: &str, purpose: &'static str) -> Option<Loaded> {
    let parsed = mycpaas_laml::parse(twiml).map_err(|e| format!("invalid LaML: {e}"));
    run.record(TimelineEvent::Document {
        purpose: if purpose == "voice" {
            "inline"
        } else {
            purpose
        }
        .to_owned(),
        url: String::new(),
        method: String::new(),
        http_status: None,
        error: parsed.as_ref().err().cloned(),
    });
    parsed.ok().map(|response| Loaded {
        response,
        url: None,
    })
}

/// Executes a document's verbs in order; says where the call goes next.
pub(super) async fn run_document(run: &CallRun, doc: &Loaded) -> Result<Next, Interrupt> {
    for verb in doc.response.verbs() {
        if time_limit_reached(run) {
            run.record(TimelineEvent::Error {
                message: "TimeLimit reached: the call is hung up".to_owned(),
            });
            return Ok(Next::End(Status::Completed));
        }
        let step = match verb {
            Verb::Say(say) => speak(run, say).await.map(|()| None),
            Verb::Play(play) => play_audio(run, play).await.map(|()| None),
            Verb::Pause(pause) => wait(run, pause).await.map(|()| None),
            Verb::Gather(gather) => listen(run, gather, doc).await,
            Verb::Dial(dial) => call_out(run, dial, doc).await,
            Verb::Record(record) => record_caller(run, record, doc).await.map(Some),
            Verb::Enqueue(enqueue) => queue::enqueue(run, enqueue, doc).await,
            Verb::Leave(_) => {
                queue::leave_outside_queue(run);
                Ok(None)
            }
            Verb::Hangup(_) => {
                verb_done(run, "Hangup", "hung up".to_owned());
                Ok(Some(Next::End(Status::Completed)))
            }
            Verb::Redirect(redirect) => {
                verb_done(run, "Redirect", shown_reference(&redirect.url));
                Ok(Some(go_to(
                    run,
                    doc,
                    Some(&redirect.url),
                    redirect.method,
                    "redirect",
                    Vec::new(),
                )))
            }
            Verb::Reject(reject) => {
                let busy = reject.reason == Some(RejectReason::Busy);
                verb_done(
                    run,
                    "Reject",
                    if busy { "busy signal" } else { "rejected" }.to_owned(),
                );
                let status = if busy {
                    Status::Busy
                } else {
                    Status::Completed
                };
                Ok(Some(Next::End(status)))
            }
            other => {
                verb_done(
                    run,
                    other.element_name(),
                    "not simulated: skipped".to_owned(),
                );
                Ok(None)
            }
        }?;
        if let Some(next) = step {
            return Ok(next);
        }
    }
    Ok(Next::End(Status::Completed))
}

pub(super) fn time_limit_reached(run: &CallRun) -> bool {
    let inner = run.call.inner.lock();
    inner.record.start_time.is_some_and(|start| {
        let talked = run.state.now() - start;
        talked.whole_seconds()
            >= i64::try_from(inner.record.time_limit.as_secs()).unwrap_or(i64::MAX)
    })
}

pub(super) fn verb_done(run: &CallRun, verb: &str, detail: String) {
    run.record(TimelineEvent::Verb {
        verb: verb.to_owned(),
        detail,
    });
}

/// How many times a `loop` attribute plays (0 = until the callee hangs up).
fn repeats(loop_count: Option<u32>) -> u32 {
    match loop_count {
        None => 1,
        Some(0) => LOOP_FOREVER_REPEATS,
        Some(n) => n,
    }
}

pub(super) async fn speak(run: &CallRun, say: &Say) -> Result<(), Interrupt> {
    let text = say.plain_text();
    let times = repeats(say.loop_count);
    verb_done(run, "Say", excerpt(&text));
    let chars = u32::try_from(text.chars().count()).unwrap_or(u32::MAX);
    let once = Duration::from_secs_f64((f64::from(chars) / SPEECH_CHARS_PER_SEC).max(0.5));
    run.pause(once * times).await
}

pub(super) async fn play_audio(run: &CallRun, play: &Play) -> Result<(), Interrupt> {
    if let Some(digits) = play.digits.as_deref().filter(|d| !d.is_empty()) {
        verb_done(run, "Play", format!("sent digits {digits}"));
        let len = u32::try_from(digits.len()).unwrap_or(u32::MAX);
        return run.pause(Duration::from_millis(250) * len).await;
    }
    let times = repeats(play.loop_count);
    verb_done(run, "Play", play.url.clone());
    run.pause(AUDIO_LENGTH * times).await
}

pub(super) async fn wait(run: &CallRun, pause: &Pause) -> Result<(), Interrupt> {
    let seconds = pause.length.unwrap_or(1);
    verb_done(run, "Pause", format!("{seconds} s"));
    run.pause(Duration::from_secs(u64::from(seconds))).await
}

/// Plays what a document says to a call in a conference (hold music, an announcement): its
/// `<Say>`, `<Play>` and `<Pause>` verbs, in order; any other verb is noted and skipped. Says
/// whether it played any.
pub(super) async fn play_sounds(run: &CallRun, doc: &Loaded) -> Result<bool, Interrupt> {
    let mut played = false;
    for verb in doc.response.verbs() {
        match verb {
            Verb::Say(say) => speak(run, say).await?,
            Verb::Play(play) => play_audio(run, play).await?,
            Verb::Pause(pause) => wait(run, pause).await?,
            other => {
                verb_done(
                    run,
                    other.element_name(),
                    "not played in a conference: skipped".to_owned(),
                );
                continue;
            }
        }
        played = true;
    }
    Ok(played)
}

/// `<Gather>`: plays its children, then takes the next scripted input.
async fn listen(run: &CallRun, gather: &Gather, doc: &Loaded) -> Result<Option<Next>, Interrupt> {
    verb_done(run, "Gather", "listening".to_owned());
    for child in &gather.children {
        match child {
            GatherChild::Say(say) => speak(run, say).await?,
            GatherChild::Play(play) => play_audio(run, play).await?,
            GatherChild::Pause(pause) => wait(run, pause).await?,
            _ => {}
        }
    }
    let listens = gather.input.clone().unwrap_or_else(|| vec![Listen::Dtmf]);
    let (sid, to) = {
        let inner = run.call.inner.lock();
        (inner.record.sid.clone(), inner.record.party().to_owned())
    };
    let scripted = run.state.inputs.take(&sid, &to).unwrap_or_default();
    // `w` is a half-second pause between keys: it takes time and is not sent.
    let pauses = scripted
        .digits
        .as_deref()
        .map_or(0, |d| d.matches('w').count());
    let digits = scripted
        .digits
        .filter(|_| listens.contains(&Listen::Dtmf))
        .map(|d| trim_digits(&d, gather.finish_on_key.as_deref(), gather.num_digits))
        .filter(|d| !d.is_empty());
    let speech = scripted
        .speech
        .filter(|_| listens.contains(&Listen::Speech))
        .filter(|s| !s.is_empty());
    run.record(TimelineEvent::Input {
        digits: digits.clone(),
        speech: speech.clone(),
    });

    if digits.is_none() && speech.is_none() {
        let timeout = gather.timeout.unwrap_or(5);
        run.pause(Duration::from_secs(u64::from(timeout))).await?;
        if gather.action_on_empty_result != Some(true) {
            return Ok(None);
        }
    } else {
        // Time for the callee to press or speak.
        let pausing = Duration::from_millis(500) * u32::try_from(pauses).unwrap_or(u32::MAX);
        run.pause(Duration::from_secs(2).saturating_add(pausing))
            .await?;
    }
    let mut extra = Vec::new();
    if let Some(digits) = &digits {
        extra.push(("Digits".to_owned(), digits.clone()));
    }
    if let Some(speech) = &speech {
        extra.push(("SpeechResult".to_owned(), speech.clone()));
        extra.push(("Confidence".to_owned(), "0.9".to_owned()));
    }
    if digits.is_none() && speech.is_none() {
        extra.push(("Digits".to_owned(), String::new()));
    }
    Ok(Some(go_to(
        run,
        doc,
        gather.action.as_deref(),
        gather.method,
        "gather-action",
        extra,
    )))
}

/// Applies `finishOnKey` (default `#`) and `numDigits` to scripted digits.
fn trim_digits(digits: &str, finish_on_key: Option<&str>, num_digits: Option<u32>) -> String {
    let finish = finish_on_key.unwrap_or("#");
    let keys: String = digits.chars().filter(|key| *key != 'w').collect();
    let mut kept: String = match finish.chars().next() {
        Some(key) => keys.split(key).next().unwrap_or("").to_owned(),
        None => keys,
    };
    if let Some(n) = num_digits.and_then(|n| usize::try_from(n).ok()) {
        kept = kept.chars().take(n).collect();
    }
    kept
}

/// `<Record>`: a simulated recording (a Recording resource with its audio, see
/// `crate::audio`), its status callback, its transcription when asked, then its action (or the
/// current document).
async fn record_caller(run: &CallRun, record: &Record, doc: &Loaded) -> Result<Next, Interrupt> {
    let seconds = record.max_length.map_or(RECORDING_LENGTH_SECS, |max| {
        max.clamp(1, RECORDING_LENGTH_SECS)
    });
    let callback = record
        .recording_status_callback
        .as_deref()
        .and_then(|url| resolve(run, doc, url, record.recording_status_callback_method))
        .map(|target| {
            RecordingCallback::asking(
                target,
                event_names(record.recording_status_callback_event.as_ref()),
            )
        });
    let ask = RecordingAsk {
        source: RecordingSource::RecordVerb,
        dual: false,
        trim: trim_of(record.trim, RECORD_TRIM),
        callback,
    };
    let started = recording::start(&run.state, &run.call, ask);
    let recording_sid = started.sid.clone();
    let account_sid = started.account_sid.clone().unwrap_or_default();
    verb_done(
        run,
        "Record",
        format!("{seconds} s recorded as {recording_sid}"),
    );
    run.pause(Duration::from_secs(u64::from(seconds))).await?;
    let ended = run.state.now();
    let recording = match recordings::finished(&run.state, &account_sid, &recording_sid, ended) {
        Some(kept) => {
            recording::announce(&run.state, &run.call, &kept, "completed");
            kept.recording
        }
        None => started,
    };
    if record.transcribe == Some(true) {
        let callback = record
            .transcribe_callback
            .as_deref()
            .and_then(|url| resolve(run, doc, url, None));
        recordings::transcribe(run, &recording, callback);
    }
    let extra = vec![
        (
            "RecordingUrl".to_owned(),
            recording::media_url(&run.state, &recording),
        ),
        ("RecordingDuration".to_owned(), seconds.to_string()),
        ("RecordingSid".to_owned(), recording_sid),
        // The simulated callee stops talking: the recording ends on silence, no key.
        ("Digits".to_owned(), String::new()),
    ];
    Ok(go_to(
        run,
        doc,
        record.action.as_deref(),
        record.method,
        "record-action",
        extra,
    ))
}

/// The recording status callbacks a `<Dial record=...>` asks for.
pub(super) fn dial_recording_callback(
    run: &CallRun,
    dial: &Dial,
    doc: &Loaded,
) -> Option<RecordingCallback> {
    let url = dial.recording_status_callback.as_deref()?;
    let target = resolve(run, doc, url, dial.recording_status_callback_method)?;
    Some(RecordingCallback::asking(
        target,
        event_names(dial.recording_status_callback_event.as_ref()),
    ))
}

/// The wire names of a verb's `recordingStatusCallbackEvent`.
pub(super) fn event_names(
    events: Option<&Vec<RecordingEvent>>,
) -> impl Iterator<Item = &'static str> {
    events.into_iter().flatten().map(RecordingEvent::as_str)
}

/// A verb's `trim`, or its default, as the Recording resource states it.
pub(super) fn trim_of(trim: Option<LamlTrim>, default: LamlTrim) -> Trim {
    match trim.unwrap_or(default) {
        LamlTrim::TrimSilence => Trim::TrimSilence,
        // `do-not-trim`, the only other value.
        _ => Trim::DoNotTrim,
    }
}

/// A callback URL of a verb, resolved against the document's URL; `None` (with a timeline
/// error) when it cannot be.
pub(super) fn resolve(
    run: &CallRun,
    doc: &Loaded,
    url: &str,
    method: Option<mycpaas_laml::Method>,
) -> Option<Target> {
    match go_to(run, doc, Some(url), method, "callback", Vec::new()) {
        Next::Fetch { target, .. } => Some(target),
        _ => None,
    }
}

/// `<Dial>`: a `<Conference>` (alone in its dial) joins the room, a `<Queue>` talks to the queue,
/// numbers and SIP endpoints ring as child legs (`super::legs`); then the dial's action.
async fn call_out(run: &CallRun, dial: &Dial, doc: &Loaded) -> Result<Option<Next>, Interrupt> {
    for noun in &dial.nouns {
        match noun {
            DialNoun::Conference(room) => return conference::attend(run, dial, room, doc).await,
            DialNoun::Queue(waiting) => return queue::dial_queue(run, dial, waiting, doc).await,
            _ => {}
        }
    }
    legs::ring(run, dial, doc).await
}

/// Where a `<Dial>` goes once it is over: its `action` with the dial's outcome, or the next
/// verb when it has none.
pub(super) fn dial_action(
    run: &CallRun,
    dial: &Dial,
    doc: &Loaded,
    outcome: Vec<(String, String)>,
) -> Option<Next> {
    dial.action.as_ref()?;
    Some(go_to(
        run,
        doc,
        dial.action.as_deref(),
        dial.method,
        "dial-action",
        outcome,
    ))
}

/// The request for an action or redirect URL (relative to the current document), or,
/// with no URL, the current document again. Inline documents have no URL: without an
/// absolute URL the call ends.
pub(super) fn go_to(
    run: &CallRun,
    doc: &Loaded,
    url: Option<&str>,
    method: Option<mycpaas_laml::Method>,
    purpose: &'static str,
    extra: Vec<(String, String)>,
) -> Next {
    let method = match method {
        Some(mycpaas_laml::Method::Get) => Method::Get,
        _ => Method::Post,
    };
    let resolved = match (url.filter(|u| !u.is_empty()), doc.url.as_deref()) {
        (Some(url), Some(base)) => url::Url::parse(base)
            .and_then(|base| base.join(url))
            .map(String::from)
            .map_err(|e| {
                format!(
                    "cannot resolve {:?} against {:?}: {e}",
                    shown_reference(url),
                    without_credentials(base)
                )
            }),
        (Some(url), None) => url::Url::parse(url).map(String::from).map_err(|_| {
            format!(
                "{:?} is relative and the document was inline",
                shown_reference(url)
            )
        }),
        (None, Some(base)) => Ok(base.to_owned()),
        (None, None) => Err("no action URL and the document was inline".to_owned()),
    };
    match resolved {
        Ok(url) => Next::Fetch {
            target: Target { url, method },
            purpose,
            extra,
        },
        Err(message) => {
            run.record(TimelineEvent::Error {
                message: format!("{purpose}: {message}"),
            });
            Next::End(Status::Failed)
        }
    }
}

/// A URL reference from a document as timelines show it: without credentials, absolute or
/// relative (`//user:password@host/path` is a reference to another host that carries them).
fn shown_reference(reference: &str) -> String {
    if url::Url::parse(reference).is_ok() {
        return without_credentials(reference);
    }
    if reference.starts_with("//") && reference.contains('@') {
        if let Ok(resolved) =
            url::Url::parse("http://placeholder.invalid/").and_then(|base| base.join(reference))
        {
            let shown = without_credentials(resolved.as_str());
            return shown.trim_start_matches("http:").to_owned();
        }
    }
    reference.to_owned()
}

/// The first 80 characters of spoken text, for timelines.
fn excerpt(text: &str) -> String {
    let mut out: String = text.chars().take(80).collect();
    if text.chars().count() > 80 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_shown_without_credentials() {
        let cases = [
            ("/next", "/next"),
            ("https://u:p@example.com/a", "https://example.com/a"),
            ("//u:p@example.com/a", "//example.com/a"),
            ("next?x=a@b", "next?x=a@b"),
        ];
        for (reference, shown) in cases {
            assert_eq!(shown_reference(reference), shown);
        }
    }

    #[test]
    fn the_charset_comes_from_the_content_type_parameters() {
        assert_eq!(
            charset("text/xml; charset=\"ISO-8859-1\""),
            Some("ISO-8859-1")
        );
        assert_eq!(charset("text/xml;CHARSET=utf-8;x=y"), Some("utf-8"));
        assert_eq!(charset("text/xml"), None);
        assert_eq!(charset("text/xml; x=charset"), None);
    }

    #[test]
    fn documents_are_decoded_in_their_charset_and_refused_when_invalid() {
        // Body, charset, and the text or the error it decodes to.
        type Case<'a> = (&'a [u8], Option<&'a str>, Result<&'a str, &'a str>);
        let cases: [Case; 7] = [
            (b"<R>\xc3\xbc</R>", None, Ok("<R>\u{fc}</R>")),
            (b"<R>\xfc</R>", None, Err("not valid UTF-8")),
            (b"<R>\xfc</R>", Some("ISO-8859-1"), Ok("<R>\u{fc}</R>")),
            (b"<R>\xfc</R>", Some("latin1"), Ok("<R>\u{fc}</R>")),
            (b"<R>\x82\xa0</R>", Some("Shift_JIS"), Ok("<R>\u{3042}</R>")),
            (
                b"\xef\xbb\xbf<R>\xc3\xbc</R>",
                Some("ISO-8859-1"),
                Ok("<R>\u{fc}</R>"),
            ),
            (b"<R/>", Some("klingon"), Err("unknown charset \"klingon\"")),
        ];
        for (body, charset, expected) in cases {
            match (decode(body, charset), expected) {
                (Ok(text), Ok(want)) => assert_eq!(text, want, "{charset:?}"),
                (Err(error), Err(want)) => assert!(error.contains(want), "{error}"),
                (got, want) => panic!("{body:?} {charset:?}: got {got:?}, want {want:?}"),
            }
        }
    }

    #[test]
    fn digits_stop_at_finish_key_and_num_digits() {
        assert_eq!(trim_digits("123#45", None, None), "123");
        assert_eq!(trim_digits("12345", Some(""), Some(2)), "12");
        assert_eq!(trim_digits("12*3", Some("*"), None), "12");
        assert_eq!(trim_digits("1w2ww3#", None, None), "123");
    }
}
