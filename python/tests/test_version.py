"""One version: the workspace manifest's, in the package, its metadata and the user agent."""

from __future__ import annotations

import http.server
import importlib.metadata
import re
import threading
from pathlib import Path

import pytest

import mycpaas

ROOT = Path(__file__).resolve().parents[2]


def workspace_manifest() -> str:
    return (ROOT / "Cargo.toml").read_text()


def workspace_version() -> str:
    section = workspace_manifest().split("[workspace.package]", 1)[1]
    match = re.search(r'^version = "([^"]+)"', section, re.MULTILINE)
    assert match, "[workspace.package] sets version"
    return match.group(1)


def test_package_version_is_the_workspace_version() -> None:
    version = workspace_version()
    assert mycpaas.__version__ == version
    assert importlib.metadata.version("mycpaas") == version


def test_pyproject_takes_its_version_from_the_workspace() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert re.search(r'^dynamic = \["version"\]', pyproject, re.MULTILINE)
    assert not re.search(r"^version\s*=", pyproject, re.MULTILINE)


def test_workspace_dependencies_name_the_workspace_version() -> None:
    version = workspace_version()
    ours = re.findall(r'^(mycpaas-[a-z]+) = \{ path = "[^"]+", version = "([^"]+)" \}', workspace_manifest(), re.MULTILINE)
    assert {name for name, _ in ours} >= {"mycpaas-core", "mycpaas-laml", "mycpaas-blocking", "mycpaas-async", "mycpaas-sim"}
    assert all(v == version for _, v in ours), ours


class _Recorder(http.server.BaseHTTPRequestHandler):
    user_agents: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (the handler's protocol)
        _Recorder.user_agents.append(self.headers.get("User-Agent", ""))
        body = b'{"code":20404,"message":"not found","status":404}'
        self.send_response(404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


def test_user_agent_carries_the_workspace_version() -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base_url = f"http://127.0.0.1:{server.server_address[1]}"
        with mycpaas.Client("AC" + "0" * 31 + "1", "token", base_url=base_url, max_retries=0) as client:
            with pytest.raises(mycpaas.MycpaasError):
                client.calls.fetch("CA" + "0" * 31 + "1")
    finally:
        server.shutdown()
        server.server_close()
    assert _Recorder.user_agents, "the request reached the server"
    assert _Recorder.user_agents[0].startswith(f"mycpaas-rust/{workspace_version()}")
