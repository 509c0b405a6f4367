//! What a call's `<Record transcribe="true">` makes in the simulator: a Recording of the account
//! (found by `CallSid`, its audio a WAV of the recorded length), a Transcription of it, and the
//! recording status and transcription callbacks, each signed and read by the typed forms.

use std::io::Cursor;
use std::time::Duration;

use mycpaas_blocking::{AudioFormat, Client};
use mycpaas_core::webhook::{
    RecordResult, RecordingStatusCallback, TranscriptionCallback, validate_signature,
};
use mycpaas_core::{
    CreateCall, ListRecordingTranscriptions, ListRecordings, RecordingSource, RecordingStatus,
    TranscriptionStatus,
};
use mycpaas_sim::Simulator;
use mycpaas_sim::webapp::{ReceivedRequest, WebApp};

const VOICE: &str = r#"<Response>
  <Record maxLength="5" action="/recorded" recordingStatusCallback="/recording-status"
          recordingStatusCallbackEvent="in-progress completed"
          transcribe="true" transcribeCallback="/transcribed"/>
</Response>"#;

fn signed(request: &ReceivedRequest, token: &str) -> bool {
    let signature = request.signature.as_deref().unwrap_or_default();
    validate_signature(&request.full_url, request.signed_params(), signature, token)
}

#[test]
fn a_record_verb_makes_a_recording_its_audio_its_transcription_and_their_callbacks() {
    let sim = Simulator::builder()
        .seed(21)
        .start_in_background()
        .expect("the simulator");
    let app = WebApp::builder()
        .document("/voice", VOICE)
        .document("/recorded", "<Response><Hangup/></Response>")
        .start_in_background()
        .expect("the web app");
    let client = Client::builder(sim.account_sid(), sim.auth_token())
        .base_url(&sim.base_url())
        .build()
        .expect("a client");
    let call = client
        .calls()
        .create(CreateCall::new("+15551230000", "+15559870000").url(app.url("/voice")))
        .expect("a call");
    sim.wait_for_call(&call.sid, Duration::from_secs(30))
        .expect("the call ends");
    let token = sim.auth_token();

    let page = client
        .recordings()
        .list(ListRecordings::new().call_sid(&call.sid))
        .expect("the call's recordings");
    let [recording] = page.recordings.as_slice() else {
        panic!("one recording: {page:?}");
    };
    assert_eq!(recording.status, Some(RecordingStatus::Completed));
    assert_eq!(recording.source, Some(RecordingSource::RecordVerb));
    // laml.md: `<Record trim>` is `trim-silence` when not given.
    assert_eq!(recording.trim.as_deref(), Some("trim-silence"));
    assert_eq!(recording.duration, Some(5));

    let mut audio = Vec::new();
    client
        .recordings()
        .download(&recording.sid, AudioFormat::Wav, &mut audio)
        .expect("the audio");
    let wav = hound::WavReader::new(Cursor::new(audio)).expect("a WAV");
    assert_eq!(wav.duration() / wav.spec().sample_rate, 5);

    let transcriptions = client
        .transcriptions()
        .list_for_recording(ListRecordingTranscriptions::new(&recording.sid))
        .expect("its transcriptions");
    let [transcription] = transcriptions.transcriptions.as_slice() else {
        panic!("one transcription: {transcriptions:?}");
    };
    assert_eq!(transcription.status, Some(TranscriptionStatus::Completed));
    assert!(
        transcription
            .transcription_text
            .as_deref()
            .is_some_and(|t| !t.is_empty())
    );

    let action = app.requests_to("/recorded");
    let [action] = action.as_slice() else {
        panic!("one action: {action:?}")
    };
    assert!(signed(action, &token));
    let result = RecordResult::from_pairs(action.params.clone()).expect("a typed action");
    assert_eq!(
        result.recording_sid.as_deref(),
        Some(recording.sid.as_str())
    );
    assert_eq!(result.recording_duration, Some(5));
    // The action's RecordingUrl is the audio's URL.
    let mut again = Vec::new();
    client
        .recordings()
        .download(
            result.recording_url.as_deref().unwrap(),
            AudioFormat::Wav,
            &mut again,
        )
        .expect("the audio by RecordingUrl");

    let statuses = app.requests_to("/recording-status");
    let events: Vec<RecordingStatusCallback> = statuses
        .iter()
        .inspect(|request| assert!(signed(request, &token), "{request:?}"))
        .map(|request| RecordingStatusCallback::from_pairs(request.params.clone()).expect("typed"))
        .collect();
    let stages: Vec<Option<RecordingStatus>> =
        events.iter().map(|e| e.recording_status.clone()).collect();
    assert_eq!(
        stages,
        [
            Some(RecordingStatus::InProgress),
            Some(RecordingStatus::Completed)
        ]
    );
    assert_eq!(events[1].recording_duration, Some(5));
    assert_eq!(events[1].call.call_sid.as_deref(), Some(call.sid.as_str()));

    let transcribed = app.requests_to("/transcribed");
    let [transcribed] = transcribed.as_slice() else {
        panic!("one callback: {transcribed:?}")
    };
    assert!(signed(transcribed, &token));
    let callback = TranscriptionCallback::from_pairs(transcribed.params.clone()).expect("typed");
    assert_eq!(
        callback.transcription_sid.as_deref(),
        Some(transcription.sid.as_str())
    );
    assert_eq!(
        callback.transcription_status,
        Some(TranscriptionStatus::Completed)
    );
    assert_eq!(
        callback.recording_sid.as_deref(),
        Some(recording.sid.as_str())
    );
}

#[test]
fn record_true_and_the_start_operation_record_and_call_back() {
    let sim = Simulator::builder()
        .seed(22)
        .start_in_background()
        .expect("the simulator");
    let app = WebApp::builder()
        .document("/voice", r#"<Response><Pause length="30"/></Response>"#)
        .document("/hold", r#"<Response><Pause length="36000"/></Response>"#)
        .start_in_background()
        .expect("the web app");
    let client = Client::builder(sim.account_sid(), sim.auth_token())
        .base_url(&sim.base_url())
        .build()
        .expect("a client");
    let token = sim.auth_token();

    // Record=true: the answered call is recorded until it ends.
    let recorded = client
        .calls()
        .create(
            CreateCall::new("+15551230000", "+15559870000")
                .url(app.url("/voice"))
                .record(true)
                .recording_status_callback(app.url("/whole-call")),
        )
        .expect("a recorded call");
    sim.wait_for_call(&recorded.sid, Duration::from_secs(30))
        .expect("the call ends");
    let page = client
        .recordings()
        .list(ListRecordings::new().call_sid(&recorded.sid))
        .expect("its recordings");
    let [recording] = page.recordings.as_slice() else {
        panic!("one recording: {page:?}")
    };
    assert_eq!(recording.source, Some(RecordingSource::OutboundApi));
    assert_eq!(recording.status, Some(RecordingStatus::Completed));
    assert_eq!(recording.duration, Some(30));
    let whole = app.requests_to("/whole-call");
    let [whole] = whole.as_slice() else {
        panic!("one callback: {whole:?}")
    };
    assert!(signed(whole, &token));
    let callback = RecordingStatusCallback::from_pairs(whole.params.clone()).expect("typed");
    assert_eq!(callback.recording_status, Some(RecordingStatus::Completed));
    assert_eq!(
        callback.recording_source,
        Some(RecordingSource::OutboundApi)
    );

    // The start operation, with both events asked for, stopped through the API.
    let call = client
        .calls()
        .create(CreateCall::new("+15551230001", "+15559870000").url(app.url("/hold")))
        .expect("a call");
    client
        .calls()
        .wait(
            &call.sid,
            mycpaas_blocking::Until::Answered,
            Duration::from_secs(30),
        )
        .expect("answered");
    let started = client
        .recordings()
        .start(
            mycpaas_core::StartCallRecording::new(&call.sid)
                .recording_status_callback(app.url("/api-recording"))
                .recording_status_callback_event(mycpaas_core::RecordingEvent::InProgress)
                .recording_status_callback_event(mycpaas_core::RecordingEvent::Completed),
        )
        .expect("started");
    client
        .recordings()
        .stop(&call.sid, &started.sid)
        .expect("stopped");
    client.calls().hangup(&call.sid).expect("hung up");
    sim.wait_for_call(&call.sid, Duration::from_secs(30))
        .expect("the call ends");
    let events: Vec<Option<RecordingStatus>> = app
        .requests_to("/api-recording")
        .iter()
        .inspect(|request| assert!(signed(request, &token)))
        .map(|request| {
            RecordingStatusCallback::from_pairs(request.params.clone())
                .expect("typed")
                .recording_status
        })
        .collect();
    assert_eq!(
        events,
        [
            Some(RecordingStatus::InProgress),
            Some(RecordingStatus::Completed)
        ]
    );
}

#[test]
fn a_recorded_dial_records_the_conversation() {
    let sim = Simulator::builder()
        .seed(23)
        .start_in_background()
        .expect("the simulator");
    let app = WebApp::builder()
        .document(
            "/voice",
            r#"<Response><Dial record="record-from-answer-dual" recordingStatusCallback="/dial-recording">+15551239999</Dial></Response>"#,
        )
        .start_in_background()
        .expect("the web app");
    let client = Client::builder(sim.account_sid(), sim.auth_token())
        .base_url(&sim.base_url())
        .build()
        .expect("a client");
    let call = client
        .calls()
        .create(CreateCall::new("+15551230000", "+15559870000").url(app.url("/voice")))
        .expect("a call");
    sim.wait_for_call(&call.sid, Duration::from_secs(30))
        .expect("the call ends");
    let page = client
        .recordings()
        .list(ListRecordings::new().call_sid(&call.sid))
        .expect("its recordings");
    let [recording] = page.recordings.as_slice() else {
        panic!("one recording: {page:?}")
    };
    assert_eq!(recording.source, Some(RecordingSource::DialVerb));
    // laml.md: `<Dial trim>` is `do-not-trim` when not given.
    assert_eq!(recording.trim.as_deref(), Some("do-not-trim"));
    assert_eq!(
        (recording.channels, recording.duration),
        (Some(2), Some(10))
    );
    let callbacks = app.requests_to("/dial-recording");
    let [callback] = callbacks.as_slice() else {
        panic!("one callback: {callbacks:?}")
    };
    assert!(signed(callback, &sim.auth_token()));
    let parsed = RecordingStatusCallback::from_pairs(callback.params.clone()).expect("typed");
    assert_eq!(parsed.recording_source, Some(RecordingSource::DialVerb));
}
