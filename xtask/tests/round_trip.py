"""The Python half of xtask's round-trip test, run against the extended copy's build.

Shows the extra create parameter (``ExtraNote``, at most 12 characters) in the signatures, the
stubs, the client's validation and the simulator's, and the extra Call field (``extra_score``) read
from JSON a real server sends. Writes that JSON to the path it is given, for the Rust half.
"""

from __future__ import annotations

import base64
import http.server
import inspect
import json
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request

import mycpaas

TOO_LONG = "x" * 13
CALL = {"to": "+15550001111", "from_": "+15550002222", "url": "https://example.com/voice.xml"}


def check_signatures(stub_path: str) -> None:
    for calls in (mycpaas.Calls, mycpaas.AsyncCalls):
        parameter = inspect.signature(calls.create).parameters["extra_note"]
        assert parameter.kind is inspect.Parameter.KEYWORD_ONLY, parameter
        assert parameter.default is None, parameter
    with open(stub_path, encoding="utf-8") as stub:
        assert "extra_note: Optional[str]" in stub.read(), "the stub lacks extra_note"


def raw_create(sim: mycpaas.Simulator, form: dict[str, str]) -> tuple[int, dict[str, object]]:
    """Sends a create to the simulator over raw HTTP; returns the status and the JSON body."""
    url = f"{sim.base_url}/api/laml/2010-04-01/Accounts/{sim.account_sid}/Calls.json"
    credentials = base64.b64encode(f"{sim.account_sid}:{sim.auth_token}".encode()).decode()
    request = urllib.request.Request(
        url,
        data=urllib.parse.urlencode(form).encode(),
        headers={"Authorization": f"Basic {credentials}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as refused:
        return refused.code, json.load(refused)


def raw_get(sim: mycpaas.Simulator, sid: str) -> dict[str, object]:
    url = f"{sim.base_url}/api/laml/2010-04-01/Accounts/{sim.account_sid}/Calls/{sid}.json"
    credentials = base64.b64encode(f"{sim.account_sid}:{sim.auth_token}".encode()).decode()
    request = urllib.request.Request(url, headers={"Authorization": f"Basic {credentials}"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        body: dict[str, object] = json.load(answer)
        return body


def check_validation(sim: mycpaas.Simulator) -> dict[str, object]:
    """Both refuse 13 characters with the same words; 12 are accepted. Returns the call's JSON."""
    client = sim.client()
    try:
        client.calls.create(**CALL, extra_note=TOO_LONG)
    except mycpaas.ValidationError as refused:
        client_error = refused
    else:
        raise AssertionError("the client accepted 13 characters")
    assert client_error.parameter == "ExtraNote", client_error.parameter
    assert "12 characters (got 13)" in client_error.rule, client_error.rule
    assert sim.calls_created == 0, "the client sent the refused create"

    form = {"To": CALL["to"], "From": CALL["from_"], "Url": CALL["url"], "ExtraNote": TOO_LONG}
    status, body = raw_create(sim, form)
    assert status == 400, (status, body)
    assert body["message"] == str(client_error), (body, str(client_error))

    call = client.calls.create(**CALL, extra_note="x" * 12)
    print(f"refused: {client_error}")
    return raw_get(sim, call.sid)


def serve_once(body: bytes) -> http.server.HTTPServer:
    """A real HTTP server on 127.0.0.1 that answers every GET with `body`."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def check_field(call_json: dict[str, object]) -> None:
    server = serve_once(json.dumps(call_json).encode())
    try:
        client = mycpaas.Client("AC1", "token", base_url=f"http://127.0.0.1:{server.server_port}")
        call = client.calls.fetch(str(call_json["sid"]))
        assert call.extra_score == 7, call.extra_score
    finally:
        server.shutdown()


def main() -> None:
    json_path, stub_path = sys.argv[1], sys.argv[2]
    check_signatures(stub_path)
    with mycpaas.Simulator(seed=1) as sim:
        call_json = check_validation(sim)
    call_json["extra_score"] = 7
    check_field(call_json)
    with open(json_path, "w", encoding="utf-8") as out:
        json.dump(call_json, out)
    print("python: ok")


if __name__ == "__main__":
    main()
