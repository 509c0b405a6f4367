//! The issue's end-to-end IVR, offline: a web app owns a number; a caller rings it, presses 2 and
//! leaves a 5-second message with `<Record transcribe="true">`. The test then finds the Recording
//! by `CallSid`, downloads its WAV and reads it, reads the Transcription, and checks every
//! webhook the app received for a valid signature and a typed parse.

use std::io::Cursor;
use std::time::Duration;

use mycpaas_blocking::{AudioFormat, Client};
use mycpaas_core::webhook::{
    GatherResult, RecordResult, RecordingStatusCallback, StatusCallback, TranscriptionCallback,
    VoiceRequest, validate_signature,
};
use mycpaas_core::{
    CallStatus, CreateIncomingPhoneNumber, Direction, ListRecordingTranscriptions, ListRecordings,
    RecordingStatus, TranscriptionStatus,
};
use mycpaas_sim::webapp::{ReceivedRequest, WebApp};
use mycpaas_sim::{GatherInput, Simulator};

const NUMBER: &str = "+14155550100";
const CALLER: &str = "+15557770123";

const MENU: &str = r#"<Response>
  <Gather numDigits="1" action="/menu">
    <Say>Press 1 for sales, 2 to leave a message.</Say>
  </Gather>
</Response>"#;

const MESSAGE: &str = r#"<Response>
  <Say>Leave your message after the tone.</Say>
  <Record maxLength="5" action="/recorded" recordingStatusCallback="/recording-status"
          transcribe="true" transcribeCallback="/transcribed"/>
</Response>"#;

fn signed(request: &ReceivedRequest, token: &str) -> bool {
    let signature = request.signature.as_deref().unwrap_or_default();
    validate_signature(&request.full_url, request.signed_params(), signature, token)
}

/// The one request the app received at `path`, checked for its signature.
fn only(app: &mycpaas_sim::webapp::WebAppHandle, path: &str, token: &str) -> ReceivedRequest {
    let requests = app.requests_to(path);
    let [request] = requests.as_slice() else {
        panic!("one request to {path}: {requests:?}");
    };
    assert!(signed(request, token), "{path} is not signed: {request:?}");
    request.clone()
}

#[test]
fn an_inbound_call_presses_2_and_leaves_a_transcribed_message() {
    let sim = Simulator::builder()
        .seed(33)
        .start_in_background()
        .expect("the simulator");
    let app = WebApp::builder()
        .document("/voice", MENU)
        .document_fn("/menu", |request| match request.param("Digits") {
            Some("2") => MESSAGE.to_owned(),
            _ => "<Response><Say>Goodbye</Say></Response>".to_owned(),
        })
        .document(
            "/recorded",
            "<Response><Say>Thanks</Say><Hangup/></Response>",
        )
        .start_in_background()
        .expect("the IVR app");
    let client = Client::builder(sim.account_sid(), sim.auth_token())
        .base_url(&sim.base_url())
        .build()
        .expect("a client");
    let token = sim.auth_token();
    client
        .incoming_phone_numbers()
        .create(
            CreateIncomingPhoneNumber::new(NUMBER)
                .voice_url(app.url("/voice"))
                .status_callback(app.url("/status")),
        )
        .expect("the IVR's number");

    sim.script_input(CALLER, GatherInput::digits("2"))
        .expect("the caller's keys");
    sim.script_transcription(CALLER, "Please call me back about my order.");
    let sid = sim.call_in(NUMBER, CALLER).expect("an inbound call");
    sim.wait_for_call(&sid, Duration::from_secs(30))
        .expect("the call ends");

    let call = client.calls().fetch(&sid).expect("the call");
    assert_eq!(call.direction, Some(Direction::Inbound));
    assert_eq!(
        (call.from.as_deref(), call.to.as_deref()),
        (Some(CALLER), Some(NUMBER))
    );
    assert_eq!(call.status, Some(CallStatus::Completed));

    let voice = VoiceRequest::from_pairs(only(&app, "/voice", &token).params).expect("typed");
    assert_eq!(voice.call.direction, Some(Direction::Inbound));
    assert_eq!(voice.call.call_status, Some(CallStatus::Ringing));
    assert_eq!(voice.call.from.as_deref(), Some(CALLER));
    let menu = GatherResult::from_pairs(only(&app, "/menu", &token).params).expect("typed");
    assert_eq!(menu.digits.as_deref(), Some("2"));
    let recorded = RecordResult::from_pairs(only(&app, "/recorded", &token).params).expect("typed");
    assert_eq!(recorded.recording_duration, Some(5));

    let page = client
        .recordings()
        .list(ListRecordings::new().call_sid(&sid))
        .expect("the call's recordings");
    let [recording] = page.recordings.as_slice() else {
        panic!("one recording: {page:?}")
    };
    assert_eq!(
        recorded.recording_sid.as_deref(),
        Some(recording.sid.as_str())
    );
    let mut audio = Vec::new();
    client
        .recordings()
        .download(&recording.sid, AudioFormat::Wav, &mut audio)
        .expect("the WAV");
    let wav = hound::WavReader::new(Cursor::new(audio)).expect("a valid WAV");
    assert_eq!(wav.spec().sample_rate, 8000);
    assert_eq!(
        wav.duration() / wav.spec().sample_rate,
        5,
        "a 5-second message"
    );

    let transcriptions = client
        .transcriptions()
        .list_for_recording(ListRecordingTranscriptions::new(&recording.sid))
        .expect("its transcription");
    let [transcription] = transcriptions.transcriptions.as_slice() else {
        panic!("one transcription: {transcriptions:?}");
    };
    assert_eq!(transcription.status, Some(TranscriptionStatus::Completed));
    assert_eq!(
        transcription.transcription_text.as_deref(),
        Some("Please call me back about my order.")
    );

    let status =
        RecordingStatusCallback::from_pairs(only(&app, "/recording-status", &token).params)
            .expect("typed");
    assert_eq!(status.recording_status, Some(RecordingStatus::Completed));
    assert_eq!(status.recording_duration, Some(5));
    let text = TranscriptionCallback::from_pairs(only(&app, "/transcribed", &token).params)
        .expect("typed");
    assert_eq!(text.transcription_text, transcription.transcription_text);

    let completed =
        StatusCallback::from_pairs(only(&app, "/status", &token).params).expect("typed");
    assert_eq!(completed.call.call_status, Some(CallStatus::Completed));
    assert_eq!(completed.call.direction, Some(Direction::Inbound));
    assert!(completed.call_duration.is_some_and(|secs| secs >= 5));
}
