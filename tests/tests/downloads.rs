//! Recording audio downloaded through both Rust clients from the simulator: a valid WAV of the
//! recorded length, by SID and by a webhook's `RecordingUrl`, MP3 refused with 415, and a
//! failed download that leaves no file. (The memory of a 30-minute download is measured on the
//! command line, in a process of its own: `crates/mycpaas-cli/tests/cli/resources.rs`.)

use std::io::Cursor;
use std::time::Duration;

use mycpaas_blocking::{AudioFormat, Client};
use mycpaas_core::{
    CreateCall, Error, Recording, RecordingUpdateStatus, StartCallRecording, UpdateCallRecording,
};
use mycpaas_sim::{SimHandle, Simulator};

fn client(sim: &SimHandle) -> Client {
    Client::builder(sim.account_sid(), sim.auth_token())
        .base_url(&sim.base_url())
        .build()
        .expect("a client")
}

/// A completed recording of `seconds` simulated seconds of a live call, in `channels`.
fn recording(client: &Client, seconds: u64, dual: bool) -> Recording {
    let call = client
        .calls()
        .create(
            CreateCall::new("+15551230000", "+15559870000")
                .twiml("<Response><Pause length=\"36000\"/></Response>"),
        )
        .expect("a call");
    client
        .calls()
        .wait(
            &call.sid,
            mycpaas_blocking::Until::Answered,
            Duration::from_secs(30),
        )
        .expect("answered");
    let mut start = StartCallRecording::new(&call.sid);
    if dual {
        start = start.recording_channels(mycpaas_core::RecordingChannels::Dual);
    }
    let started = client.recordings().start(start).expect("started");
    // The simulator runs at 1000 simulated seconds per real second.
    std::thread::sleep(Duration::from_millis(seconds + 20));
    let stopped = client
        .recordings()
        .update(UpdateCallRecording::new(
            &call.sid,
            &started.sid,
            RecordingUpdateStatus::Stopped,
        ))
        .expect("stopped");
    client.calls().hangup(&call.sid).expect("hung up");
    stopped
}

#[test]
fn a_recording_downloads_as_a_wav_of_its_length_in_both_clients() {
    let sim = Simulator::builder()
        .seed(5)
        .start_in_background()
        .expect("the simulator");
    let client = client(&sim);
    let recorded = recording(&client, 5, true);
    let seconds = recorded.duration.expect("a duration");
    assert!(seconds >= 5, "{recorded:?}");

    let mut audio = Vec::new();
    let got = client
        .recordings()
        .download(&recorded.sid, AudioFormat::Wav, &mut audio)
        .expect("the WAV");
    assert_eq!(got.bytes, audio.len() as u64);
    assert_eq!(got.content_type.as_deref(), Some("audio/wav"));
    let wav = hound::WavReader::new(Cursor::new(&audio)).expect("a valid WAV");
    let spec = wav.spec();
    assert_eq!(
        (spec.channels, spec.sample_rate, spec.bits_per_sample),
        (2, 8000, 16)
    );
    assert_eq!(
        u64::from(wav.duration()) / u64::from(spec.sample_rate),
        seconds
    );

    // The URL a webhook gives (no extension, no credentials needed), through the async client.
    let url = format!(
        "{}/api/laml/2010-04-01/Accounts/{}/Recordings/{}",
        sim.base_url(),
        sim.account_sid(),
        recorded.sid
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let asynchronous = mycpaas_async::Client::builder(sim.account_sid(), sim.auth_token())
        .base_url(&sim.base_url())
        .build()
        .unwrap();
    let dir = std::env::temp_dir().join(format!("mycpaas-download-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("message.wav");
    let got = runtime
        .block_on(
            asynchronous
                .recordings()
                .download_to_file(&url, AudioFormat::Wav, &file),
        )
        .expect("the WAV, by URL");
    assert_eq!(std::fs::read(&file).unwrap(), audio);
    assert_eq!(got.bytes, audio.len() as u64);

    let mp3 = client
        .recordings()
        .download(&recorded.sid, AudioFormat::Mp3, &mut Vec::new());
    assert!(
        matches!(mp3, Err(Error::Api(ref api)) if api.status == 415),
        "{mp3:?}"
    );
    let missing = dir.join("missing.wav");
    let unknown = client
        .recordings()
        .download_to_file("RE0", AudioFormat::Wav, &missing);
    assert!(
        matches!(unknown, Err(Error::Api(ref api)) if api.status == 404),
        "{unknown:?}"
    );
    assert!(!missing.exists(), "a failed download leaves no file");
    std::fs::remove_dir_all(&dir).unwrap();
}
