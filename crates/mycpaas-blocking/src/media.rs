//! `recordings().download(..)`: a recording's audio streamed to a writer or a file as it
//! arrives, so a long recording never sits in memory. The request is core's
//! ([`media_request`]); a refusal is read into the same errors as every other answer.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use mycpaas_core::media::{AudioFormat, Downloaded, media_request};
use mycpaas_core::ops::response;
use mycpaas_core::{Error, Result};

use crate::generated::Recordings;
use crate::transport::Streamed;

impl Recordings<'_> {
    /// Writes the audio of `recording` (a SID, or a webhook's `RecordingUrl`) in `format` to
    /// `writer` as it arrives. Credentials are sent only to the configured API's origin. The
    /// download is one attempt: bytes already written are never written twice.
    ///
    /// ```no_run
    /// use mycpaas_blocking::{AudioFormat, Client};
    ///
    /// let client = Client::from_env()?;
    /// let mut audio = Vec::new();
    /// let got = client
    ///     .recordings()
    ///     .download("RE0123456789abcdef0123456789abcdef", AudioFormat::Wav, &mut audio)?;
    /// assert_eq!(got.bytes, audio.len() as u64);
    /// # Ok::<(), mycpaas_blocking::Error>(())
    /// ```
    pub fn download(
        &self,
        recording: &str,
        format: AudioFormat,
        writer: &mut impl Write,
    ) -> Result<Downloaded> {
        let inner = self.client.inner();
        let request = media_request(&inner.config, recording, format)?;
        let transport = inner.transport.get(&inner.config)?;
        match transport.stream(request, writer)? {
            Streamed::Written(bytes, content_type) => Ok(Downloaded::new(bytes, content_type)),
            Streamed::Refused(answer) => {
                Err(response::api_error(answer.status().as_u16(), answer.body()))
            }
        }
    }

    /// [`Recordings::download`] to the file at `path` (created or truncated); a download that
    /// fails leaves no file behind.
    ///
    /// ```no_run
    /// use mycpaas_blocking::{AudioFormat, Client};
    ///
    /// let client = Client::from_env()?;
    /// client
    ///     .recordings()
    ///     .download_to_file("RE0123456789abcdef0123456789abcdef", AudioFormat::Wav, "message.wav")?;
    /// # Ok::<(), mycpaas_blocking::Error>(())
    /// ```
    pub fn download_to_file(
        &self,
        recording: &str,
        format: AudioFormat,
        path: impl AsRef<Path>,
    ) -> Result<Downloaded> {
        let path = path.as_ref();
        let file = File::create(path).map_err(|error| Error::Write {
            message: format!("cannot create {}: {error}", path.display()),
            source: Some(Box::new(error)),
        })?;
        let mut writer = BufWriter::new(file);
        let downloaded = self.download(recording, format, &mut writer);
        if downloaded.is_err() {
            drop(writer);
            let _ = std::fs::remove_file(path);
        }
        downloaded
    }
}
