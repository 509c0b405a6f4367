//! A raw TCP server that misbehaves on purpose, for the failures the simulator cannot produce:
//! bodies that never end, drip one byte a second, lie about their length, or point elsewhere.
//!
//! Built on `std::net` and plain threads so that nothing in it shares code with the clients under
//! test. Every loop is bounded: the server accepts for at most [`LIFETIME`] and
//! [`MAX_CONNECTIONS`] connections, each connection thread ends when its write fails, its
//! timeouts expire or the server is dropped, and dropping the server stops the accept loop.

use std::fmt::Write as _;
use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// Longest time a server accepts connections, however long its test runs.
pub const LIFETIME: Duration = Duration::from_secs(120);
/// Most connections one server serves.
pub const MAX_CONNECTIONS: usize = 1024;
/// Largest request head read (request line and headers).
const MAX_HEAD_BYTES: usize = 64 * 1024;
/// Largest request body read (and discarded).
const MAX_BODY_BYTES: usize = 1024 * 1024;
/// Socket read and write timeout of a connection.
const IO_TIMEOUT: Duration = Duration::from_secs(5);
/// Pause of the accept loop when nobody is connecting.
const ACCEPT_POLL: Duration = Duration::from_millis(5);

/// What the server does with every request it reads.
#[derive(Debug, Clone)]
pub enum Behavior {
    /// Answers with this status, headers and body, then closes the connection.
    Reply(Reply),
    /// Announces `announced` body bytes in `Content-Length`, sends `sent`, then closes.
    Truncated {
        /// The `Content-Length` announced.
        announced: usize,
        /// The bytes actually sent (fewer than announced).
        sent: Vec<u8>,
    },
    /// A JSON answer of `status` whose body is `bytes` long, streamed from a small buffer (the
    /// server never holds it in memory). With `announce_length` the length is sent up front,
    /// otherwise the body ends when the connection closes.
    Flood {
        /// The status of the answer (`200`, or `201` as a create's).
        status: u16,
        /// Body length in bytes.
        bytes: usize,
        /// Whether `Content-Length` is sent.
        announce_length: bool,
    },
    /// Answers every request on the connection with a created call of its own
    /// (`{"sid": "CAhostile<n>", ...}`, status 201) and keeps the connection open for the next,
    /// as servers with keep-alive do; a connection that carries no new request for `idle` is
    /// closed by the server, unannounced, as servers close idle kept-alive connections. A request
    /// that arrives as the server closes is never read (the simulator of a server's idle timer).
    KeepAliveThenClose {
        /// How long a connection may sit idle before the server closes it.
        idle: Duration,
    },
    /// Sends this complete answer one byte per `interval`.
    Drip {
        /// The whole answer: status line, headers, body.
        answer: Vec<u8>,
        /// The pause between two bytes.
        interval: Duration,
    },
}

/// A complete HTTP answer.
#[derive(Debug, Clone)]
pub struct Reply {
    /// The status code.
    pub status: u16,
    /// Headers besides `Content-Length` and `Connection`.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Reply {
    /// An answer with a `Content-Type` and a body.
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Reply {
            status,
            headers: vec![("Content-Type".to_owned(), content_type.to_owned())],
            body: body.into(),
        }
    }

    /// Adds a header.
    #[must_use]
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// The answer as bytes on the wire (`Connection: close`, exact `Content-Length`).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut head = format!("HTTP/1.1 {} Hostile\r\n", self.status);
        for (name, value) in &self.headers {
            let _ = write!(head, "{name}: {value}\r\n");
        }
        let _ = write!(
            head,
            "Content-Length: {}\r\nConnection: close\r\n\r\n",
            self.body.len()
        );
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(&self.body);
        bytes
    }
}

/// A request the server read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The request target (path and query).
    pub target: String,
    /// Every header, names lower-cased.
    pub headers: Vec<(String, String)>,
}

impl Received {
    /// The first value of a header (name in lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        crate::first_value(&self.headers, name)
    }
}

/// A running hostile server; dropping it stops it.
#[derive(Debug)]
pub struct HostileServer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    received: Arc<Mutex<Vec<Received>>>,
    accept_loop: Option<JoinHandle<()>>,
}

impl HostileServer {
    /// Starts a server on `127.0.0.1` with an ephemeral port.
    pub fn start(behavior: Behavior) -> io::Result<Self> {
        Self::start_on(Ipv4Addr::LOCALHOST, behavior)
    }

    /// Starts a server on the loopback address `ip` (for example `127.0.0.2`, "another host").
    pub fn start_on(ip: Ipv4Addr, behavior: Behavior) -> io::Result<Self> {
        let listener = TcpListener::bind((ip, 0))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let received = Arc::new(Mutex::new(Vec::new()));
        let accept_loop = {
            let stop = Arc::clone(&stop);
            let received = Arc::clone(&received);
            thread::Builder::new()
                .name(format!("hostile-{addr}"))
                .spawn(move || accept_loop(&listener, &behavior, &stop, &received))?
        };
        Ok(HostileServer {
            addr,
            stop,
            received,
            accept_loop: Some(accept_loop),
        })
    }

    /// `http://IP:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The listening address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every request read so far.
    pub fn received(&self) -> Vec<Received> {
        self.received
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// How many requests with `method` (`GET`, `POST`, ...) it has read.
    pub fn received_count(&self, method: &str) -> usize {
        self.received()
            .iter()
            .filter(|r| r.method == method)
            .count()
    }
}

impl Drop for HostileServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(accept_loop) = self.accept_loop.take() {
            let _ = accept_loop.join();
        }
    }
}

fn accept_loop(
    listener: &TcpListener,
    behavior: &Behavior,
    stop: &Arc<AtomicBool>,
    received: &Arc<Mutex<Vec<Received>>>,
) {
    let deadline = Instant::now() + LIFETIME;
    let mut served = 0;
    while served < MAX_CONNECTIONS && Instant::now() < deadline && !stop.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((stream, _peer)) => {
                served += 1;
                let behavior = behavior.clone();
                let stop = Arc::clone(stop);
                let received = Arc::clone(received);
                // Detached: the connection ends by itself (bounded writes, timeouts, stop flag).
                let _ = thread::Builder::new()
                    .name("hostile-connection".to_owned())
                    .spawn(move || {
                        let _ = serve(stream, &behavior, &stop, &received);
                    });
            }
            Err(error) if error.kind() == io::ErrorKind::WouldBlock => thread::sleep(ACCEPT_POLL),
            Err(_) => thread::sleep(ACCEPT_POLL),
        }
    }
}

fn serve(
    mut stream: TcpStream,
    behavior: &Behavior,
    stop: &AtomicBool,
    received: &Mutex<Vec<Received>>,
) -> io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(IO_TIMEOUT))?;
    stream.set_write_timeout(Some(IO_TIMEOUT))?;
    stream.set_nodelay(true)?;
    if let Behavior::KeepAliveThenClose { idle } = behavior {
        return keep_alive_then_close(stream, *idle, stop, received);
    }
    let request = read_request(&mut stream)?;
    received
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(request);
    match behavior {
        Behavior::KeepAliveThenClose { .. } => {}
        Behavior::Reply(reply) => stream.write_all(&reply.to_bytes())?,
        Behavior::Truncated { announced, sent } => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {announced}\r\nConnection: close\r\n\r\n"
            );
            stream.write_all(head.as_bytes())?;
            stream.write_all(sent)?;
        }
        Behavior::Flood {
            status,
            bytes,
            announce_length,
        } => flood(&mut stream, *status, *bytes, *announce_length, stop)?,
        Behavior::Drip { answer, interval } => {
            for byte in answer {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                stream.write_all(std::slice::from_ref(byte))?;
                pause(*interval, stop);
            }
        }
    }
    stream.flush()?;
    // Closing both directions at once: the client sees the end of the answer right away.
    let _ = stream.shutdown(std::net::Shutdown::Both);
    Ok(())
}

/// Serves requests on one connection until it has been idle for `idle`, then closes it.
fn keep_alive_then_close(
    mut stream: TcpStream,
    idle: Duration,
    stop: &AtomicBool,
    received: &Mutex<Vec<Received>>,
) -> io::Result<()> {
    let mut first = true;
    while !stop.load(Ordering::SeqCst) {
        if !first {
            // Idle: wait for the first byte of the next request, at most `idle`.
            stream.set_read_timeout(Some(idle))?;
            let mut byte = [0u8; 1];
            match stream.peek(&mut byte) {
                Ok(n) if n > 0 => {}
                // Closed by the client, or idle for too long: close (what is unread stays unread).
                _ => break,
            }
            stream.set_read_timeout(Some(IO_TIMEOUT))?;
        }
        first = false;
        let request = read_request(&mut stream)?;
        let number = {
            let mut received = received.lock().unwrap_or_else(PoisonError::into_inner);
            received.push(request);
            received.len()
        };
        let body = format!(
            r#"{{"sid": "CAhostile{number}", "status": "queued", "direction": "outbound-api"}}"#
        );
        let answer = format!(
            "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(answer.as_bytes())?;
        stream.flush()?;
    }
    drop(stream);
    Ok(())
}

/// Sleeps for `interval`, in short steps so that a stopped server ends its connections soon.
fn pause(interval: Duration, stop: &AtomicBool) {
    let until = Instant::now() + interval;
    while !stop.load(Ordering::SeqCst) {
        let now = Instant::now();
        if now >= until {
            break;
        }
        thread::sleep((until - now).min(ACCEPT_POLL * 10));
    }
}

/// Streams a `{"sid": "CA..."}`-looking body of `bytes` bytes from a 64 KiB buffer.
fn flood(
    stream: &mut TcpStream,
    status: u16,
    bytes: usize,
    announce_length: bool,
    stop: &AtomicBool,
) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {status} Flood\r\nContent-Type: application/json\r\nConnection: close\r\n"
    );
    if announce_length {
        let _ = write!(head, "Content-Length: {bytes}\r\n");
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    let opening = br#"{"sid": "CA"#;
    stream.write_all(opening)?;
    let chunk = vec![b'a'; 64 * 1024];
    let mut left = bytes.saturating_sub(opening.len());
    while left > 0 && !stop.load(Ordering::SeqCst) {
        let n = left.min(chunk.len());
        // Fails (and ends the loop) as soon as the client stops reading and closes.
        stream.write_all(&chunk[..n])?;
        left -= n;
    }
    Ok(())
}

/// Reads the request head and discards a body of at most [`MAX_BODY_BYTES`].
fn read_request(stream: &mut TcpStream) -> io::Result<Received> {
    let mut data = Vec::new();
    let mut buffer = [0u8; 4096];
    let head_end = loop {
        if let Some(end) = find(&data, b"\r\n\r\n") {
            break end;
        }
        if data.len() > MAX_HEAD_BYTES {
            return Err(io::Error::other("request head too large"));
        }
        let n = stream.read(&mut buffer)?;
        if n == 0 {
            return Err(io::Error::other("connection closed before a full request"));
        }
        data.extend_from_slice(&buffer[..n]);
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().unwrap_or_default().split(' ');
    let method = request_line.next().unwrap_or_default().to_owned();
    let target = request_line.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let length = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .and_then(|(_, value)| value.parse::<usize>().ok())
        .unwrap_or(0)
        .min(MAX_BODY_BYTES);
    let mut have = data.len() - (head_end + 4);
    while have < length {
        let n = stream.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        have += n;
    }
    Ok(Received {
        method,
        target,
        headers,
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}
