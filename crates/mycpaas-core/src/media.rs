//! A recording's audio: the request that fetches it, sans IO. The transports stream the answer's
//! body to the caller's file or writer (`download` of both clients' `recordings()`), so a long
//! recording is never held in memory.
//!
//! ```
//! use mycpaas_core::Config;
//! use mycpaas_core::media::{AudioFormat, media_request};
//!
//! let config = Config::builder("AC1", "token").base_url("http://127.0.0.1:8080").build()?;
//! let by_sid = media_request(&config, "RE1", AudioFormat::Wav)?;
//! assert_eq!(
//!     by_sid.uri().to_string(),
//!     "http://127.0.0.1:8080/api/laml/2010-04-01/Accounts/AC1/Recordings/RE1.wav"
//! );
//! assert!(by_sid.headers().contains_key(http::header::AUTHORIZATION));
//!
//! // A webhook's RecordingUrl on another host gets no credentials.
//! let elsewhere = media_request(&config, "https://media.example.com/r/RE1", AudioFormat::Mp3)?;
//! assert_eq!(elsewhere.uri().to_string(), "https://media.example.com/r/RE1.mp3");
//! assert!(!elsewhere.headers().contains_key(http::header::AUTHORIZATION));
//! # Ok::<(), mycpaas_core::Error>(())
//! ```

use http::header::{ACCEPT, HeaderValue, USER_AGENT};
use http::{Method, Request};

use crate::config::Config;
use crate::error::{Error, Result};
use crate::ops::{request, validate};
use crate::paths::{API_PREFIX, encode_segment};
use crate::types::check_sid;

/// The audio formats a recording is served in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum AudioFormat {
    /// WAV (`audio/wav`): what the platform records.
    #[default]
    Wav,
    /// MP3 (`audio/mpeg`).
    Mp3,
}

impl AudioFormat {
    /// The extension of the media URL (`wav`).
    pub fn extension(self) -> &'static str {
        match self {
            AudioFormat::Wav => "wav",
            AudioFormat::Mp3 => "mp3",
        }
    }

    /// The media type served (`audio/wav`).
    pub fn content_type(self) -> &'static str {
        match self {
            AudioFormat::Wav => "audio/wav",
            AudioFormat::Mp3 => "audio/mpeg",
        }
    }
}

impl std::str::FromStr for AudioFormat {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self> {
        match text.to_ascii_lowercase().as_str() {
            "wav" => Ok(AudioFormat::Wav),
            "mp3" => Ok(AudioFormat::Mp3),
            _ => Err(Error::invalid("format", "must be one of wav, mp3")),
        }
    }
}

/// The request for the audio of `recording` in `format`. `recording` is a recording's SID, or
/// a media URL as a webhook's `RecordingUrl` gives it (with or without its extension). The
/// credentials go only to the configured API's origin: a URL elsewhere is fetched without them.
pub fn media_request(
    config: &Config,
    recording: &str,
    format: AudioFormat,
) -> Result<Request<Vec<u8>>> {
    let is_url = recording.starts_with("http://") || recording.starts_with("https://");
    let url = if is_url {
        validate::absolute_url("RecordingUrl", recording)?;
        with_extension(recording, format)?
    } else {
        check_sid("RecordingSid", recording)?;
        format!(
            "{}{API_PREFIX}/Accounts/{}/Recordings/{}.{}",
            config.base_url(),
            encode_segment(config.account_sid()),
            encode_segment(recording),
            format.extension()
        )
    };
    let parsed =
        url::Url::parse(&url).map_err(|e| Error::invalid("RecordingUrl", format!("{e}")))?;
    if same_origin(&parsed, config.parsed_base_url()) {
        let mut request = request::build_absolute(config, Method::GET, &url, None)?;
        request
            .headers_mut()
            .insert(ACCEPT, HeaderValue::from_static(format.content_type()));
        return Ok(request);
    }
    Request::builder()
        .method(Method::GET)
        .uri(url)
        .header(USER_AGENT, config.user_agent_header().clone())
        .header(ACCEPT, HeaderValue::from_static(format.content_type()))
        .body(Vec::new())
        .map_err(|e| Error::invalid("RecordingUrl", format!("could not build the request ({e})")))
}

/// The media URL with the extension of `format`: added when it has none, kept when it is the
/// format's, refused when it is the other format's.
fn with_extension(url: &str, format: AudioFormat) -> Result<String> {
    let (path, query) = url
        .split_once('?')
        .map_or((url, None), |(p, q)| (p, Some(q)));
    let last = path.rsplit('/').next().unwrap_or_default();
    let path = match last
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
    {
        Some(ext) if ext == format.extension() => path.to_owned(),
        Some(ext) if ext == "wav" || ext == "mp3" => {
            return Err(Error::invalid(
                "RecordingUrl",
                format!("is a .{ext} URL, but {} was asked for", format.extension()),
            ));
        }
        _ => format!("{path}.{}", format.extension()),
    };
    Ok(match query {
        Some(query) => format!("{path}?{query}"),
        None => path,
    })
}

fn same_origin(a: &url::Url, b: &url::Url) -> bool {
    a.scheme() == b.scheme()
        && a.host() == b.host()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// What a download wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Downloaded {
    /// How many bytes of audio were written.
    pub bytes: u64,
    /// The media type the server announced.
    pub content_type: Option<String>,
}

impl Downloaded {
    /// What a download of `bytes` bytes announced as `content_type` wrote.
    pub fn new(bytes: u64, content_type: Option<String>) -> Self {
        Downloaded {
            bytes,
            content_type,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        Config::builder("AC1", "token")
            .base_url("http://127.0.0.1:8080")
            .build()
            .unwrap()
    }

    #[test]
    fn urls_get_the_formats_extension_once() {
        let cases = [
            (
                "http://127.0.0.1:8080/r/RE1",
                AudioFormat::Wav,
                Ok("http://127.0.0.1:8080/r/RE1.wav"),
            ),
            (
                "http://127.0.0.1:8080/r/RE1.wav",
                AudioFormat::Wav,
                Ok("http://127.0.0.1:8080/r/RE1.wav"),
            ),
            (
                "http://127.0.0.1:8080/r/RE1?x=1",
                AudioFormat::Mp3,
                Ok("http://127.0.0.1:8080/r/RE1.mp3?x=1"),
            ),
            (
                "http://127.0.0.1:8080/r/RE1.wav",
                AudioFormat::Mp3,
                Err("RecordingUrl"),
            ),
        ];
        for (url, format, expected) in cases {
            let built = media_request(&config(), url, format);
            match expected {
                Ok(uri) => assert_eq!(built.unwrap().uri().to_string(), uri),
                Err(parameter) => assert_eq!(built.unwrap_err().parameter(), Some(parameter)),
            }
        }
    }

    #[test]
    fn bad_recordings_are_refused_before_sending() {
        for bad in ["", "RE1/../x", "ftp://x/y"] {
            assert!(
                media_request(&config(), bad, AudioFormat::Wav).is_err(),
                "{bad:?}"
            );
        }
    }
}
