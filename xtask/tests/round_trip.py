"""The Python half of xtask's round-trip test, run against the extended copy's build.

Shows the extra create parameter (``ExtraNote``, at most 12 characters) in the signatures, the
stubs, the client's validation and the simulator's, and the extra Call field (``extra_score``) read
from the JSON of a call the simulator sent, with the field set. Writes that JSON to the path it is
given, for the Rust half.
"""

from __future__ import annotations

import base64
import inspect
import json
import sys
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


def raw(sim: mycpaas.Simulator, path: str, form: dict[str, str] | None = None) -> tuple[int, dict[str, object]]:
    """A request to the simulator's account over raw HTTP (a POST when `form` is given)."""
    credentials = base64.b64encode(f"{sim.account_sid}:{sim.auth_token}".encode()).decode()
    request = urllib.request.Request(
        f"{sim.base_url}/api/laml/2010-04-01/Accounts/{sim.account_sid}/{path}",
        data=None if form is None else urllib.parse.urlencode(form).encode(),
        headers={"Authorization": f"Basic {credentials}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as refused:
        return refused.code, json.load(refused)


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
    status, body = raw(sim, "Calls.json", form)
    assert status == 400, (status, body)
    assert body["message"] == str(client_error), (body, str(client_error))

    call = client.calls.create(**CALL, extra_note="x" * 12)
    print(f"refused: {client_error}")
    status, call_json = raw(sim, f"Calls/{call.sid}.json")
    assert status == 200, (status, call_json)
    return call_json


def check_field(call_json: dict[str, object]) -> None:
    """The field read into `Call`, from a page's JSON as a client would receive it."""
    page = json.dumps({"page": 0, "page_size": 1, "calls": [call_json]})
    call = mycpaas.CallPage.from_json(page).calls[0]
    assert call.extra_score == 7, call.extra_score
    assert "extra_score" not in call.extra, call.extra


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
