"""mycpaas.integrations without a framework: what importing it pulls in, what it shows, what it refuses."""

from __future__ import annotations

import subprocess
import sys

import pytest

from mycpaas import laml
from mycpaas.exceptions import ValidationError
from mycpaas.integrations import (
    RawWebhook,
    Received,
    Rejected,
    WebhookVerifier,
    asgi_path,
    check_kind,
    laml_text,
    wsgi_path,
)
from mycpaas.webhooks import SignedUrl, StatusCallback, compute_signature

FRAMEWORKS = ("flask", "werkzeug", "starlette", "fastapi", "django", "uvicorn")


def test_importing_mycpaas_and_the_integrations_imports_no_framework() -> None:
    code = (
        "import sys, mycpaas, mycpaas.integrations, mycpaas.webhooks, mycpaas.testing\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {FRAMEWORKS!r}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("module", ["flask", "starlette", "django"])
def test_each_integration_imports_its_framework_only(module: str) -> None:
    code = (
        f"import sys, mycpaas.integrations.{module}\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules if m.split('.')[0] in {FRAMEWORKS!r}}}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    expected = {"flask": ["flask", "werkzeug"], "starlette": ["starlette"], "django": ["django"]}[module]
    assert out.strip() == repr(expected)


def test_the_auth_token_is_never_shown() -> None:
    verifier = WebhookVerifier("s3cret-token", signed_url=SignedUrl.public("https://voice.example.com"))
    assert "s3cret" not in repr(verifier) and "s3cret" not in str(verifier)


def test_an_empty_auth_token_is_refused_at_once() -> None:
    with pytest.raises(ValidationError) as info:
        WebhookVerifier("")
    assert info.value.parameter == "auth_token"


def test_the_environment_is_read_at_each_request(monkeypatch: pytest.MonkeyPatch) -> None:
    verifier = WebhookVerifier()
    monkeypatch.delenv("MYCPAAS_AUTH_TOKEN", raising=False)
    with pytest.raises(RuntimeError, match="MYCPAAS_AUTH_TOKEN"):
        verifier.auth_token()
    monkeypatch.setenv("MYCPAAS_AUTH_TOKEN", "from-env")
    assert verifier.auth_token() == "from-env"


def test_only_known_payloads_are_accepted() -> None:
    check_kind(StatusCallback)
    check_kind(RawWebhook)
    with pytest.raises(TypeError, match="StatusCallback"):
        check_kind(dict)


def test_laml_text_takes_a_document_or_its_xml() -> None:
    doc = laml.Response().say("Hi").hangup()
    assert laml_text(doc) == doc.to_xml() and laml_text("<Response/>") == "<Response/>"
    with pytest.raises(TypeError):
        laml_text(b"<Response/>")  # type: ignore[arg-type]


def test_the_path_is_the_one_sent() -> None:
    # A server's raw request target is used as sent; a decoded path is encoded again.
    assert wsgi_path({"REQUEST_URI": "/a%20b/voice?x=1", "PATH_INFO": "/a b/voice"}) == "/a%20b/voice?x=1"
    assert wsgi_path({"RAW_URI": "http://h/voice?x=1"}) == "/voice?x=1"
    assert wsgi_path({"SCRIPT_NAME": "/app", "PATH_INFO": "/caf\xc3\xa9", "QUERY_STRING": "a=1"}) == "/app/caf%C3%A9?a=1"
    assert wsgi_path({"PATH_INFO": ""}) == "/"
    assert asgi_path({"raw_path": b"/a%2Fb", "path": "/a/b", "query_string": b"q=1"}) == "/a%2Fb?q=1"
    assert asgi_path({"path": "/café", "query_string": b""}) == "/caf%C3%A9"


def test_a_json_body_is_checked_by_its_hash() -> None:
    from mycpaas.webhooks import body_sha256

    body = b'{"a": 1}'
    url = f"http://127.0.0.1:8000/raw?bodySHA256={body_sha256(body)}"
    received = Received(
        method="POST",
        scheme="http",
        host="127.0.0.1:8000",
        path=url.split("8000", 1)[1],
        headers=[("X-Mycpaas-Signature", compute_signature(url, [], "tok"))],
        body=body,
        content_type="application/json",
    )
    raw = WebhookVerifier("tok").verify(received, RawWebhook)
    assert raw.json() == {"a": 1} and raw.get("bodySHA256") == body_sha256(body)
    with pytest.raises(Rejected) as info:
        WebhookVerifier("tok").verify(received, StatusCallback)
    assert info.value.status == 400
    with pytest.raises(Rejected) as info:
        WebhookVerifier("other").verify(received, RawWebhook)
    assert (info.value.status, info.value.detail) == (403, "")
