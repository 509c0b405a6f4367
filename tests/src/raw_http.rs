//! A raw HTTP/1.1 client on `std::net`, for the requests no well-behaved client sends: missing or
//! foreign credentials, malformed form bodies, invalid UTF-8, oversized bodies.
//!
//! One request per connection (`Connection: close`); the answer is read to the end of the
//! connection, capped at [`MAX_ANSWER_BYTES`], and de-chunked when needed.

use std::fmt::Write as _;
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// Largest answer read.
pub const MAX_ANSWER_BYTES: usize = 4 * 1024 * 1024;
/// Socket timeout of one request.
const IO_TIMEOUT: Duration = Duration::from_secs(10);

/// An answer, as read off the wire.
#[derive(Debug, Clone)]
pub struct RawResponse {
    /// The status code.
    pub status: u16,
    /// Every header, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// The body (de-chunked).
    pub body: Vec<u8>,
}

impl RawResponse {
    /// The first value of a header (name in lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        crate::first_value(&self.headers, name)
    }

    /// The body as JSON (`Null` when it is not JSON).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }

    /// The API error code of an error body (`{"code": 20003, ...}`).
    pub fn code(&self) -> Option<u64> {
        self.json().get("code").and_then(serde_json::Value::as_u64)
    }
}

/// A request to send: method, path, optional Basic credentials, optional body.
#[derive(Debug, Clone)]
pub struct RawRequest<'a> {
    /// `GET`, `POST`, ...
    pub method: &'a str,
    /// Path and query.
    pub path: &'a str,
    /// Basic-auth user and password.
    pub credentials: Option<(&'a str, &'a str)>,
    /// `Content-Type` of the body.
    pub content_type: Option<&'a str>,
    /// The body bytes (sent with `Content-Length`).
    pub body: &'a [u8],
}

impl<'a> RawRequest<'a> {
    /// A request without credentials or body.
    pub fn new(method: &'a str, path: &'a str) -> Self {
        RawRequest {
            method,
            path,
            credentials: None,
            content_type: None,
            body: &[],
        }
    }

    /// Sets Basic credentials.
    #[must_use]
    pub fn basic_auth(mut self, user: &'a str, password: &'a str) -> Self {
        self.credentials = Some((user, password));
        self
    }

    /// Sets a form body (`application/x-www-form-urlencoded`), taken as raw bytes.
    #[must_use]
    pub fn form(mut self, body: &'a [u8]) -> Self {
        self.content_type = Some("application/x-www-form-urlencoded");
        self.body = body;
        self
    }

    /// The request as bytes on the wire.
    pub fn to_bytes(&self, host: &str) -> Vec<u8> {
        let mut head = format!(
            "{} {} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nAccept: application/json\r\n",
            self.method, self.path
        );
        if let Some((user, password)) = self.credentials {
            let token = STANDARD.encode(format!("{user}:{password}"));
            let _ = write!(head, "Authorization: Basic {token}\r\n");
        }
        if let Some(content_type) = self.content_type {
            let _ = write!(head, "Content-Type: {content_type}\r\n");
        }
        if !self.body.is_empty() || self.method == "POST" {
            let _ = write!(head, "Content-Length: {}\r\n", self.body.len());
        }
        head.push_str("\r\n");
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(self.body);
        bytes
    }

    /// Sends the request to `base_url` (`http://HOST:PORT`) and reads the answer.
    pub fn send(&self, base_url: &str) -> io::Result<RawResponse> {
        let host = base_url
            .strip_prefix("http://")
            .ok_or_else(|| io::Error::other("base URL must start with http://"))?
            .trim_end_matches('/');
        let mut stream = TcpStream::connect(host)?;
        stream.set_read_timeout(Some(IO_TIMEOUT))?;
        stream.set_write_timeout(Some(IO_TIMEOUT))?;
        // A server may answer (413) before reading the whole body and close: the answer is
        // what matters, so a failed write is not an error by itself.
        let _ = stream.write_all(&self.to_bytes(host));
        let mut answer = Vec::new();
        (&mut stream)
            .take(MAX_ANSWER_BYTES as u64)
            .read_to_end(&mut answer)
            .or_else(|error| {
                if answer.is_empty() {
                    Err(error)
                } else {
                    Ok(answer.len())
                }
            })?;
        parse(&answer)
    }
}

/// Parses a complete answer.
pub fn parse(answer: &[u8]) -> io::Result<RawResponse> {
    let head_end = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| io::Error::other("no complete answer head"))?;
    let head = String::from_utf8_lossy(&answer[..head_end]);
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse::<u16>().ok())
        .ok_or_else(|| io::Error::other("no status line"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let raw_body = &answer[head_end + 4..];
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
    let body = if chunked {
        dechunk(raw_body)?
    } else {
        raw_body.to_vec()
    };
    Ok(RawResponse {
        status,
        headers,
        body,
    })
}

fn dechunk(mut data: &[u8]) -> io::Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = data
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or_else(|| io::Error::other("bad chunk size line"))?;
        let size_text = String::from_utf8_lossy(&data[..line_end]);
        let size_text = size_text.split(';').next().unwrap_or_default().trim();
        let size =
            usize::from_str_radix(size_text, 16).map_err(|_| io::Error::other("bad chunk size"))?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Ok(body);
        }
        let chunk = data
            .get(..size)
            .ok_or_else(|| io::Error::other("short chunk"))?;
        body.extend_from_slice(chunk);
        data = data.get(size + 2..).unwrap_or_default();
    }
}
