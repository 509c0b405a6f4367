//! Clients that hold connections and say nothing: idle sockets, half-sent heads and bodies.
//! They are closed after the idle timeout, and at the connection limit the oldest make room,
//! so a new client is always served.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::{HANGUP, Program, start};
use mycpaas_sim::Simulator;

/// Silent sockets opened at once: more than the simulator's 1,024 file descriptors.
const IDLE_SOCKETS: usize = 1_100;
/// The idle timeout the tests run with (the default is 30 s).
const IDLE_TIMEOUT: Duration = Duration::from_secs(1);
/// The idle timeout of the flood test: silent connections are dropped earlier at the limit.
const FLOOD_IDLE_TIMEOUT: Duration = Duration::from_secs(2);
/// The acceptance bound: a new client is served within this long after the idle timeout.
const SERVED_WITHIN: Duration = Duration::from_secs(2);

/// Reads until the server closes the connection (or `patience` runs out); what it sent.
fn read_until_closed(mut stream: &TcpStream, patience: Duration) -> Option<String> {
    stream.set_read_timeout(Some(patience)).unwrap();
    let mut answer = Vec::new();
    match stream.read_to_end(&mut answer) {
        Ok(_) => Some(String::from_utf8_lossy(&answer).into_owned()),
        // A reset is a close too.
        Err(error) if error.kind() == std::io::ErrorKind::ConnectionReset => {
            Some(String::from_utf8_lossy(&answer).into_owned())
        }
        Err(_) => None,
    }
}

/// Raises this process's own descriptor limit when it is too low for the test (the soft
/// limit up to the hard one, with util-linux's `prlimit`).
fn enough_descriptors(needed: u64) {
    let limits = std::fs::read_to_string("/proc/self/limits").unwrap_or_default();
    let soft = limits
        .lines()
        .find(|line| line.starts_with("Max open files"))
        .and_then(|line| line.split_whitespace().nth(3))
        .and_then(|soft| soft.parse::<u64>().ok())
        .unwrap_or(u64::MAX);
    if soft < needed {
        let pid = std::process::id().to_string();
        let raised = std::process::Command::new("prlimit")
            .args(["--pid", &pid, &format!("--nofile={needed}:")])
            .status();
        assert!(
            raised.is_ok_and(|status| status.success()),
            "this test opens {needed} sockets: raise the limit (ulimit -n {needed})"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eleven_hundred_idle_sockets_lock_nobody_out() {
    enough_descriptors(IDLE_SOCKETS as u64 + 200);
    let idle = format!("{}", FLOOD_IDLE_TIMEOUT.as_secs_f64());
    let program = Program::start(&["--idle-timeout", &idle], Some(1024));
    let addr = program.base_url.trim_start_matches("http://").to_owned();
    let opened = Instant::now();
    let silent: Vec<TcpStream> = (0..IDLE_SOCKETS)
        .map(|_| TcpStream::connect(&addr).expect("the listen queue takes the connection"))
        .collect();

    let opening = opened.elapsed();
    // A new client while every socket is open: the oldest idle connections make room.
    let api = program.api();
    let started = Instant::now();
    let answer = tokio::time::timeout(
        FLOOD_IDLE_TIMEOUT + SERVED_WITHIN,
        api.get(&api.calls_path()),
    )
    .await
    .expect("a new client is served");
    let waited = started.elapsed();
    assert_eq!(answer.status, 200);
    println!(
        "{IDLE_SOCKETS} silent sockets opened in {opening:?}; then a new client served in {waited:?} (idle timeout {FLOOD_IDLE_TIMEOUT:?})"
    );
    assert!(waited < FLOOD_IDLE_TIMEOUT + SERVED_WITHIN, "{waited:?}");

    // After the idle timeout, the simulator has closed every silent socket.
    let closed = tokio::task::spawn_blocking(move || {
        silent
            .iter()
            .filter(|stream| {
                read_until_closed(stream, FLOOD_IDLE_TIMEOUT + SERVED_WITHIN).is_some()
            })
            .count()
    })
    .await
    .unwrap();
    println!(
        "{closed} of {IDLE_SOCKETS} silent sockets closed by the simulator within {:?}",
        opened.elapsed()
    );
    assert_eq!(closed, IDLE_SOCKETS);
    assert_eq!(api.get(&api.calls_path()).await.status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn half_sent_heads_and_bodies_are_closed_after_the_idle_timeout() {
    let (sim, api) = start(Simulator::builder().idle_timeout(IDLE_TIMEOUT)).await;
    let addr = sim.base_url().trim_start_matches("http://").to_owned();
    let path = api.calls_path();
    let cases = [
        // Half a request head, then nothing.
        (format!("POST {path} HTTP/1.1\r\nHost: x\r\n"), ""),
        // A complete head announcing 100 bytes of body, and 10 of them.
        (
            format!(
                "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nTo=%2B1555"
            ),
            "408",
        ),
        // One complete request, then an idle keep-alive connection.
        (format!("GET {path} HTTP/1.1\r\nHost: x\r\n\r\n"), "401"),
    ];
    for (sent, answered) in cases {
        let addr = addr.clone();
        let (elapsed, answer) = tokio::task::spawn_blocking(move || {
            let mut stream = TcpStream::connect(addr).unwrap();
            stream.write_all(sent.as_bytes()).unwrap();
            let started = Instant::now();
            let answer = read_until_closed(&stream, IDLE_TIMEOUT + SERVED_WITHIN);
            (started.elapsed(), answer)
        })
        .await
        .unwrap();
        let answer = answer.expect("the simulator closes the connection");
        assert!(answer.contains(answered), "{answer}");
        assert!(
            elapsed >= IDLE_TIMEOUT.mul_f64(0.9) && elapsed < IDLE_TIMEOUT + SERVED_WITHIN,
            "closed after {elapsed:?}: {answer}"
        );
    }
    // Nothing was created from the half-sent body.
    assert_eq!(sim.calls_created(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_the_connection_limit_the_oldest_idle_connection_makes_room() {
    // Silent connections may be closed at the limit after a quarter of the idle timeout.
    let (sim, api) = start(
        Simulator::builder()
            .max_connections(2)
            .idle_timeout(IDLE_TIMEOUT * 4),
    )
    .await;
    let addr = sim.base_url().trim_start_matches("http://").to_owned();
    let first = TcpStream::connect(&addr).unwrap();
    let second = TcpStream::connect(&addr).unwrap();
    // The idle timeout is 4 s: only the limit can close these in time.
    let answer = tokio::time::timeout(SERVED_WITHIN, api.get(&api.calls_path()))
        .await
        .expect("a third client is served at once");
    assert_eq!(answer.status, 200);
    let closed = tokio::task::spawn_blocking(move || {
        [first, second]
            .iter()
            .filter(|stream| read_until_closed(stream, Duration::from_millis(500)).is_some())
            .count()
    })
    .await
    .unwrap();
    assert!(closed >= 1, "no idle connection made room");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_the_limit_busy_clients_lose_no_request() {
    // Far more concurrent creates than connections: each client's pooled connections are
    // reused while the limit makes room. A connection closed under a request its client had
    // just sent would leave that create's outcome unknown; none may be.
    const LIMIT: usize = 16;
    const CREATES: usize = 400;
    let (sim, api) = start(Simulator::builder().max_connections(LIMIT)).await;
    let creates = (0..CREATES).map(|_| {
        let api = api.clone();
        tokio::spawn(async move {
            let request = common::form_request(
                &api.http,
                &format!("{}{}", api.base, api.calls_path()),
                &[
                    ("To", "+15551230000"),
                    ("From", "+15559870000"),
                    ("Twiml", HANGUP),
                ],
            )
            .basic_auth(&api.sid, Some(&api.token));
            request
                .send()
                .await
                .map(|response| response.status().as_u16())
        })
    });
    let started = Instant::now();
    let outcomes = futures::future::join_all(creates).await;
    println!(
        "{CREATES} concurrent creates through {LIMIT} connections in {:?}",
        started.elapsed()
    );
    let failed: Vec<String> = outcomes
        .into_iter()
        .map(Result::unwrap)
        .filter_map(|outcome| match outcome {
            Ok(201) => None,
            Ok(status) => Some(format!("HTTP {status}")),
            Err(error) => Some(format!("{error:?}")),
        })
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {CREATES} creates failed: {:?}",
        failed.len(),
        &failed[..failed.len().min(3)]
    );
    assert_eq!(sim.calls_created(), CREATES);
}
