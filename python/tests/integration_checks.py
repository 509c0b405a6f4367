"""What every web-framework integration is checked for, over real HTTP against an app served on 127.0.0.1.

Each framework's test module builds the same small IVR with its integration, under four URL prefixes that differ
only in how the signed URL is rebuilt (``POLICIES``): ``""`` as the request names it (the auth token from
``MYCPAAS_AUTH_TOKEN``), ``/public`` under ``PUBLIC``, ``/proxied`` behind a trusted proxy on 127.0.0.1 and
``/other-proxy`` behind proxies the test never sends from (the token passed as an argument). Every prefix serves
``/voice`` (a ``VoiceRequest``, answered with a ``<Gather>``), ``/menu`` (a ``GatherResult``), ``/status`` (a
``StatusCallback``) and ``/raw`` (a ``RawWebhook``, GET or POST, answered with what it read). Each app also serves
``/retried``, a status-callback handler that tells repeats with ``Repeats`` and always answers 204
(``answer_retried``; the simulator's callback fault makes some answers count as 500s).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Union
from urllib.parse import urlencode

import mycpaas
from mycpaas import laml, webhooks
from mycpaas.integrations import RawWebhook
from mycpaas.webhooks import GatherResult, SignedUrl, StatusCallback, VoiceRequest

from helpers import CALLER

#: The public base URL the `/public` routes are configured with (what a tunnel or a proxy would serve).
PUBLIC = "https://voice.example.com"
#: The `X-Forwarded-*` headers a proxy serving PUBLIC adds.
FORWARDED = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "voice.example.com"}


def policies() -> dict[str, Optional[SignedUrl]]:
    """The URL prefixes of the test apps, and how each rebuilds the signed URL (None: the default, direct)."""
    return {
        "": None,
        "/public": SignedUrl.public(PUBLIC),
        "/proxied": SignedUrl.behind_proxies(["127.0.0.1"]),
        "/other-proxy": SignedUrl.behind_proxies(["10.0.0.0/8"]),
    }


def token_of(prefix: str, token: str) -> Optional[str]:
    """The ``auth_token`` argument of a prefix's routes: none for the default one (``MYCPAAS_AUTH_TOKEN``)."""
    return None if prefix == "" else token


@dataclass
class Seen:
    """What the views of an app received, in order: ``(prefix + route, payload)``; and the state of the
    ``/retried`` route (its ``Repeats``)."""

    entries: list[tuple[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    repeats: webhooks.Repeats = field(default_factory=webhooks.Repeats)

    def add(self, route: str, payload: Any) -> None:
        with self.lock:
            self.entries.append((route, payload))

    def of(self, route: str) -> list[Any]:
        with self.lock:
            return [payload for seen_route, payload in self.entries if seen_route == route]

    def routes(self) -> list[str]:
        with self.lock:
            return [route for route, _ in self.entries]


def answer_retried(seen: Seen, callback: StatusCallback) -> int:
    """The ``/retried`` route, as an idempotent handler is written: ``Repeats`` says whether the callback was seen
    (the work is done only when it was not), and the answer is a success; the simulator's callback fault makes some
    answers count as 500s, as a failing gateway in front of the app would."""
    repeat = seen.repeats.is_repeat(callback)
    seen.add("/retried", (callback.sequence_number, repeat))
    return 204


#: Callback attempts faulted by ``check_retries_are_repeats``: two, so no callback fails all three attempts.
FAULTED = 2


def menu_document() -> laml.Response:
    """The voice route's answer: a one-digit menu, then a goodbye if nothing is pressed."""
    resp = laml.Response()
    # A relative action: behind a prefix ("/proxied/voice") it is "/proxied/menu".
    with resp.gather(num_digits=1, action="menu", timeout=5) as menu:
        menu.say("Press 1 for sales, 2 for support.")
    return resp.say("We did not get your choice.").hangup()


def choice_document(gather: GatherResult) -> laml.Response:
    """The menu route's answer."""
    return laml.Response().say(f"You pressed {gather.digits}").hangup()


def raw_text(raw: RawWebhook) -> str:
    """The raw route's answer: the parameters it read, and the body's ``event`` when it is JSON."""
    event = raw.json().get("event") if raw.body.startswith(b"{") else None
    return json.dumps({"params": [list(p) for p in raw.params], "event": event})


# ---- HTTP, as a client of the app -------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    content_type: str
    body: str


def send(
    url: str,
    *,
    form: Union[Sequence[tuple[str, str]], bytes] = (),
    signature: Optional[str] = None,
    headers: Optional[dict[str, str]] = None,
    method: str = "POST",
    content_type: str = "application/x-www-form-urlencoded",
) -> Answer:
    """Sends one request with urllib; the answer, whatever its status."""
    data = form if isinstance(form, bytes) else urlencode(list(form)).encode()
    request = urllib.request.Request(url, data=data if method != "GET" else None, method=method)
    if method != "GET":
        request.add_header("Content-Type", content_type)
    if signature is not None:
        request.add_header(webhooks.SIGNATURE_HEADER, signature)
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return Answer(response.status, response.headers.get("Content-Type", ""), response.read().decode())
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.headers.get("Content-Type", ""), error.read().decode())


def send_signed(
    url: str, form: Sequence[tuple[str, str]], token: str, *, signed_url: Optional[str] = None, **kwargs: Any
) -> Answer:
    """POSTs ``form`` to ``url``, signed with ``token`` over ``signed_url`` (by default ``url`` itself)."""
    signature = webhooks.compute_signature(signed_url or url, list(form), token)
    return send(url, form=form, signature=signature, **kwargs)


def status_form(sequence: str = "0", status: str = "ringing") -> list[tuple[str, str]]:
    return [("CallSid", "CA1"), ("SequenceNumber", sequence), ("CallStatus", status)]


# ---- the checks -------------------------------------------------------------------------------------------


def check_ivr(sim: Any, client: mycpaas.Client, base_url: str, seen: Seen, prefix: str = "") -> None:
    """A call through the app: the voice request answered with a <Gather>, its action with the scripted digit,
    and every status callback received, signed and typed (at ``base_url``, the routes under ``prefix``)."""
    base_url = f"{base_url}{prefix}"
    number = "+15551230002"
    sim.script_input(number, digits="2")
    call = client.calls.create(
        to=number,
        from_=CALLER,
        url=f"{base_url}/voice",
        status_callback=f"{base_url}/status",
        status_callback_event=["initiated", "ringing", "answered", "completed"],
    )
    timeline = sim.wait_for_call(call.sid, timeout=30)
    assert timeline is not None and timeline.status == "completed", timeline
    assert timeline.verbs[0] == "Gather" and "Hangup" in timeline.verbs
    wait_until(lambda: any(s.call_status == "completed" for s in seen.of(f"{prefix}/status")))

    voice = seen.of(f"{prefix}/voice")
    assert len(voice) == 1 and isinstance(voice[0], VoiceRequest)
    assert (voice[0].call_sid, voice[0].to, voice[0].from_) == (call.sid, number, CALLER)
    [gather] = seen.of(f"{prefix}/menu")
    assert isinstance(gather, GatherResult) and gather.digits == "2" and gather.call_sid == call.sid
    statuses = seen.of(f"{prefix}/status")
    assert all(isinstance(s, StatusCallback) and s.call_sid == call.sid for s in statuses)
    assert {s.call_status for s in statuses} >= {"initiated", "ringing", "in-progress", "completed"}
    assert sorted(s.sequence_number for s in statuses) == list(range(len(statuses)))
    final = next(s for s in statuses if s.call_status == "completed")
    assert final.call_duration is not None and final.timestamp is not None


def check_laml_answer(base_url: str, token: str) -> None:
    """The voice route answers its LaML with ``Content-Type: application/xml``."""
    answer = send_signed(f"{base_url}/voice", [("CallSid", "CA1"), ("To", "+15551230000")], token)
    assert answer.status == 200, answer
    assert answer.content_type.split(";")[0] == "application/xml", answer.content_type
    assert [type(v).__name__ for v in laml.parse(answer.body).verbs] == ["Gather", "Say", "Hangup"]


def check_refusals(base_url: str, token: str, seen: Seen, forbidden_bodies: Sequence[str]) -> None:
    """What is not a signed webhook never reaches a view: 403 (with no reason given) for a missing, tampered or
    foreign signature, 400 naming the parameter for a signed form that does not read."""
    url = f"{base_url}/status"
    form = status_form()
    signature = webhooks.compute_signature(url, form, token)
    cases: list[tuple[str, Answer]] = [
        ("no signature", send(url, form=form)),
        ("an empty signature", send(url, form=form, signature="")),
        ("a tampered form", send(url, form=status_form(status="completed"), signature=signature)),
        ("another key", send_signed(url, form, "not-the-token")),
        ("another URL signed", send_signed(url, form, token, signed_url="http://127.0.0.1:1/status")),
        ("a garbage signature", send(url, form=form, signature="AAAA")),
    ]
    for name, answer in cases:
        assert answer.status == 403, (name, answer)
        assert answer.body in forbidden_bodies, (name, answer.body)
        assert token not in answer.body and "signature" not in answer.body.lower(), name
    assert seen.of("/status") == [], "no refused request reached the view"

    malformed = send_signed(url, [("CallSid", "CA1"), ("SequenceNumber", "soon")], token)
    assert malformed.status == 400, malformed
    assert "SequenceNumber" in malformed.body and token not in malformed.body
    assert seen.of("/status") == []

    assert send_signed(url, form, token).status in (200, 204)
    [callback] = seen.of("/status")
    assert (callback.call_sid, callback.sequence_number, callback.call_status) == ("CA1", 0, "ringing")


def check_raw_and_json(base_url: str, token: str) -> None:
    """A raw form, a signed GET (its query is in the signed URL) and a JSON body (signed by its hash)."""
    url = f"{base_url}/raw"
    form = [("CallSid", "CA1"), ("Event", "b"), ("Event", "a")]
    answer = send_signed(url, form, token)
    assert answer.status == 200 and json.loads(answer.body)["params"] == [list(p) for p in form], answer

    get_url = f"{url}?CallSid=CA2&Digits=5"
    signature = webhooks.compute_signature(get_url, [], token)
    answer = send(get_url, method="GET", signature=signature)
    assert answer.status == 200, answer
    assert json.loads(answer.body)["params"] == [["CallSid", "CA2"], ["Digits", "5"]]
    assert send(get_url.replace("Digits=5", "Digits=6"), method="GET", signature=signature).status == 403

    body = b'{"event": "recording-ready", "boolean": true}'
    json_url = f"{url}?bodySHA256={webhooks.body_sha256(body)}"
    signature = webhooks.compute_signature(json_url, [], token)
    answer = send(json_url, form=body, signature=signature, content_type="application/json")
    assert answer.status == 200 and json.loads(answer.body)["event"] == "recording-ready", answer
    tampered = body.replace(b"true", b"false")
    assert send(json_url, form=tampered, signature=signature, content_type="application/json").status == 403

    # A typed payload wants a form: a signed JSON body to a typed route is malformed, not forbidden.
    status_url = f"{base_url}/status?bodySHA256={webhooks.body_sha256(body)}"
    signature = webhooks.compute_signature(status_url, [], token)
    assert send(status_url, form=body, signature=signature, content_type="application/json").status == 400


def check_public_url_and_proxies(base_url: str, token: str, seen: Seen) -> None:
    """The app is reached on http://127.0.0.1:PORT but the platform signed the public URL: the configured public
    base, or the forwarding headers of a trusted proxy, rebuild it; without that trust the request is refused."""
    form = status_form("1", "completed")
    cases = [
        ("the public base configured", "/public", {}, 200),
        ("the proxy trusted", "/proxied", FORWARDED, 200),
        ("another proxy trusted", "/other-proxy", FORWARDED, 403),
        ("no proxy trusted", "", FORWARDED, 403),
        ("no public base configured", "", {}, 403),
        ("the proxy trusted, no forwarding headers", "/proxied", {}, 403),
    ]
    for name, prefix, headers, expected in cases:
        answer = send_signed(
            f"{base_url}{prefix}/status", form, token, signed_url=f"{PUBLIC}{prefix}/status", headers=headers
        )
        assert (answer.status in (200, 204)) == (expected == 200) and answer.status != 500, (name, answer)
        if expected == 403:
            assert answer.status == 403, (name, answer)
    assert len(seen.of("/public/status")) == 1 and len(seen.of("/proxied/status")) == 1
    assert seen.of("/other-proxy/status") == [] and seen.of("/status") == []
    # The app's own URL is no longer the signed one for the public routes.
    assert send_signed(f"{base_url}/public/status", form, token).status == 403


@contextlib.contextmanager
def reverse_proxy(app_base_url: str) -> Iterator[str]:
    """A reverse proxy on its own loopback port, in front of the app at ``app_base_url``, as nginx is usually set up:
    it sends the app its own ``Host`` (the app's address) and says what the caller asked for in ``X-Forwarded-Host``,
    ``X-Forwarded-Proto`` and ``X-Forwarded-For``. Yields the proxy's base URL, the one the platform calls."""
    target = app_base_url.removeprefix("http://")

    class Proxy(BaseHTTPRequestHandler):
        def forward(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
            headers.update(
                {
                    "Host": target,
                    "X-Forwarded-Host": self.headers.get("Host", ""),
                    "X-Forwarded-Proto": "http",
                    "X-Forwarded-For": self.client_address[0],
                }
            )
            upstream = http.client.HTTPConnection(target, timeout=10)
            try:
                upstream.request(self.command, self.path, body=body, headers=headers)
                answer = upstream.getresponse()
                payload = answer.read()
                self.send_response(answer.status)
                for name, value in answer.getheaders():
                    if name.lower() not in ("connection", "transfer-encoding", "content-length", "date", "server"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            finally:
                upstream.close()

        do_GET = forward
        do_POST = forward

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def check_calls_through_a_proxy(sim: Any, client: mycpaas.Client, app_base_url: str, seen: Seen) -> None:
    """The simulator calls the app through a reverse proxy that rewrites the host: the routes that trust the
    proxy run the whole IVR; the routes that trust no proxy refuse every webhook, so the call never reaches them."""
    with reverse_proxy(app_base_url) as proxy_url:
        check_ivr(sim, client, proxy_url, seen, prefix="/proxied")
        call = client.calls.create(to="+15551230003", from_=CALLER, url=f"{proxy_url}/voice")
        timeline = sim.wait_for_call(call.sid, timeout=30)
        assert timeline is not None and timeline.settled
        assert "Gather" not in timeline.verbs, timeline.verbs
        assert seen.of("/voice") == [] and seen.of("/other-proxy/voice") == []


def check_retries_are_repeats(sim: Any, client: mycpaas.Client, base_url: str, seen: Seen) -> None:
    """A call whose status callbacks go to ``/retried``, with ``FAULTED`` callback attempts faulted: the app handles
    every attempt and answers 204, the simulator counts the faulted answers as 500s and retries them, and the
    handler's ``Repeats`` sees each retry as a repeat, exactly once per retry (and each callback as new once)."""
    sim.script_input("+15551230004", digits="1")
    sim.inject_fault("callback_server_error", count=FAULTED)
    call = client.calls.create(
        to="+15551230004",
        from_=CALLER,
        url=f"{base_url}/voice",
        status_callback=f"{base_url}/retried",
        status_callback_event=["initiated", "ringing", "answered", "completed"],
    )
    timeline = sim.wait_for_call(call.sid, timeout=30)
    assert timeline is not None and timeline.status == "completed", timeline
    # Settled: every callback delivered or given up, so the timeline holds every attempt.
    wait_until(lambda: sim.timeline(call.sid).settled)
    timeline = sim.timeline(call.sid)
    attempts = [e for e in timeline.entries if e["type"] == "callback"]
    by_sequence: dict[int, list[dict[str, Any]]] = {}
    for attempt in attempts:
        by_sequence.setdefault(attempt["sequence"], []).append(attempt)
    assert sorted(by_sequence) == [0, 1, 2, 3], attempts

    handled = seen.of("/retried")
    for sequence, tries in by_sequence.items():
        failures = len(tries) - 1
        assert [t["attempt"] for t in tries] == list(range(1, failures + 2)), tries
        # Every attempt but the last was faulted (counted a 500); the last was the app's own 204.
        assert [t["http_status"] for t in tries] == [500] * failures + [204], tries
        assert [t.get("fault") for t in tries] == ["callback_server_error"] * failures + [None], tries
        assert tries[-1]["delivered"] and not any(t["given_up"] for t in tries), tries
        repeats = [repeat for seq, repeat in handled if seq == sequence]
        # The app handled every attempt: the first is new, each of the len(tries) - 1 retries a repeat.
        assert repeats == [False] + [True] * failures, (sequence, repeats)
    retries = sum(len(tries) - 1 for tries in by_sequence.values())
    assert retries == FAULTED and sum(repeat for _, repeat in handled) == retries
    assert len(handled) == len(attempts) == 4 + FAULTED


def cli_binary() -> str:
    """The ``mycpaas`` command line: ``$MYCPAAS_CLI``, else the workspace's ``target/debug/mycpaas`` (in
    ``$CARGO_TARGET_DIR`` when set), which ``cargo build -p mycpaas-cli`` builds (scripts/test-python runs it,
    and scripts/test's ``cargo test`` builds it first)."""
    explicit = os.environ.get("MYCPAAS_CLI")
    if explicit:
        assert os.access(explicit, os.X_OK), f"MYCPAAS_CLI={explicit} is not an executable"
        return explicit
    workspace = Path(__file__).resolve().parents[2]
    target = Path(os.environ.get("CARGO_TARGET_DIR") or workspace / "target")
    if not target.is_absolute():
        target = workspace / target
    binary = target / "debug" / "mycpaas"
    assert binary.is_file() and os.access(binary, os.X_OK), (
        f"the mycpaas command line is not built ({binary} is missing): run `cargo build -p mycpaas-cli`, "
        "or set MYCPAAS_CLI to the binary"
    )
    return str(binary)


def webhook_send(url: str, token: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``mycpaas webhook send URL ARGS...``, the auth token from ``MYCPAAS_AUTH_TOKEN`` (never on the command line)."""
    env = {**os.environ, "MYCPAAS_AUTH_TOKEN": token}
    env.pop("MYCPAAS_ACCOUNT_SID", None)
    return subprocess.run(
        [cli_binary(), "webhook", "send", url, *args], env=env, capture_output=True, text=True, timeout=60
    )


def check_webhook_send(base_url: str, token: str, seen: Seen) -> None:
    """``mycpaas webhook send`` reaches each route with a valid signature (a 2xx, exit 0, the view got the typed
    payload) and with ``--bad-signature`` gets the 403 (exit 1), the view never running."""
    voice = webhook_send(f"{base_url}/voice", token, "--event", "voice")
    assert voice.returncode == 0, voice
    assert voice.stderr.startswith("HTTP 200 (application/xml"), voice.stderr
    assert [type(v).__name__ for v in laml.parse(voice.stdout).verbs] == ["Gather", "Say", "Hangup"]
    [call] = seen.of("/voice")
    assert isinstance(call, VoiceRequest) and (call.call_sid or "").startswith("CA") and call.to == "+15005550001"
    assert call.call_status == "ringing" and (call.account_sid or "").startswith("AC")

    menu = webhook_send(f"{base_url}/menu", token, "--event", "gather", "--param", "Digits=2")
    assert menu.returncode == 0 and "You pressed 2" in menu.stdout, menu
    [gather] = seen.of("/menu")
    assert isinstance(gather, GatherResult) and gather.digits == "2" and gather.call_status == "in-progress"

    status = webhook_send(f"{base_url}/status", token, "--event", "status-callback", "--param", "CallStatus=busy")
    assert status.returncode == 0 and status.stderr.startswith("HTTP 204"), status
    [callback] = seen.of("/status")
    assert isinstance(callback, StatusCallback) and callback.call_status == "busy"
    assert (callback.sequence_number, callback.call_duration) == (3, 42) and callback.timestamp is not None

    record = webhook_send(f"{base_url}/raw", token, "--event", "record")
    dial = webhook_send(f"{base_url}/raw", token, "--event", "dial", "--method", "get")
    assert record.returncode == 0 and dial.returncode == 0, (record, dial)
    [recorded, dialled] = seen.of("/raw")
    assert {"RecordingSid", "RecordingUrl", "RecordingDuration"} <= {name for name, _ in recorded.params}
    assert dict(dialled.params)["DialCallStatus"] == "completed" and dialled.body == b""

    before = len(seen.entries)
    for route, event in [("voice", "voice"), ("menu", "gather"), ("status", "status-callback"), ("raw", "record")]:
        refused = webhook_send(f"{base_url}/{route}", token, "--event", event, "--bad-signature")
        assert refused.returncode == 1, (route, refused)
        assert refused.stderr.startswith("HTTP 403"), (route, refused.stderr)
        assert "answered HTTP 403" in refused.stderr
    assert len(seen.entries) == before, "no refused request reached a view"
    for run in (voice, menu, status, record, dial):
        assert token not in run.stdout + run.stderr


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)
