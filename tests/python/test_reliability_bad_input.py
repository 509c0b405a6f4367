"""The bad-input corpus of tests/data/params through the Python client: every case raises
ValidationError naming the parameter, and no request reaches the simulator."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Callable

import pytest

import mycpaas

DATA = Path(__file__).resolve().parent.parent / "data" / "params"
BASE = {"To": "+491234567890", "From": "+491098765432", "Url": "https://example.com/voice.xml"}
BASE_SID = "CA1234567890abcdef1234567890abcdef"

CREATE_KWARGS = {
    "To": "to", "From": "from_", "Url": "url", "Twiml": "twiml",
    "ApplicationSid": "application_sid", "FallbackUrl": "fallback_url",
    "StatusCallback": "status_callback", "RecordingStatusCallback": "recording_status_callback",
    "AsyncAmdStatusCallback": "async_amd_status_callback", "SendDigits": "send_digits",
    "CallerId": "caller_id", "SipAuthUsername": "sip_auth_username",
    "SipAuthPassword": "sip_auth_password", "Timeout": "timeout", "TimeLimit": "time_limit",
    "MachineDetectionTimeout": "machine_detection_timeout",
}
UPDATE_KWARGS = {
    "Url": "url", "Twiml": "twiml", "FallbackUrl": "fallback_url",
    "StatusCallback": "status_callback", "TimeLimit": "time_limit", "Status": "status",
}
LIST_KWARGS = {
    "To": "to", "From": "from_", "ParentCallSid": "parent_call_sid", "PageSize": "page_size",
    "Page": "page", "PageToken": "page_token", "StartTime": "start_time",
    "StartTime<": "start_time_before", "StartTime>": "start_time_after", "EndTime": "end_time",
    "EndTime<": "end_time_before", "EndTime>": "end_time_after",
}
# Client settings the Python constructor takes; other config cases are Rust-only settings.
CONFIG_KEYS = {"account_sid", "auth_token", "base_url"}


def expand(value: Any) -> Any:
    if isinstance(value, dict):
        return value.get("prefix", "") + value["repeat"] * value["count"] + value.get("suffix", "")
    return value


def load() -> list[dict[str, Any]]:
    cases = []
    for path in sorted(DATA.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip() and not line.startswith("//"):
                case = json.loads(line)
                case["source"] = f"{path.name}:{number}"
                case["set"] = {k: expand(v) for k, v in case["set"].items()}
                cases.append(case)
    return cases


CASES = load()


@pytest.fixture(scope="module")
def sim() -> Iterator[mycpaas.Simulator]:
    with mycpaas.Simulator(seed=9) as simulator:
        yield simulator


def date_or_value(key: str, value: Any) -> Any:
    if key.startswith(("StartTime", "EndTime")):
        return datetime.date.fromisoformat(value)
    return value


def action(case: dict[str, Any], client: mycpaas.Client, sim: mycpaas.Simulator) -> Callable[[], Any] | None:
    op, values = case["op"], case["set"]
    if op == "create":
        params = {**BASE, **values}
        kwargs = {CREATE_KWARGS[k]: v for k, v in params.items() if v is not None}
        kwargs.setdefault("to", "")
        kwargs.setdefault("from_", "")
        return lambda: client.calls.create(**kwargs)
    if op == "update":
        sid = values.get("CallSid", BASE_SID)
        kwargs = {UPDATE_KWARGS[k]: v for k, v in values.items() if k != "CallSid"}
        return lambda: client.calls.update(sid, **kwargs)
    if op == "list":
        kwargs = {LIST_KWARGS[k]: date_or_value(k, v) for k, v in values.items()}
        return lambda: client.calls.page(**kwargs)
    if op == "fetch":
        return lambda: client.calls.fetch(values.get("CallSid", BASE_SID))
    if op == "delete":
        return lambda: client.calls.delete(values.get("CallSid", BASE_SID))
    if op == "config" and set(values) <= CONFIG_KEYS:
        settings = {"account_sid": sim.account_sid, "auth_token": sim.auth_token, "base_url": sim.base_url}
        settings.update(values)
        return lambda: mycpaas.Client(
            settings["account_sid"], settings["auth_token"], base_url=settings["base_url"]
        )
    return None


def test_every_bad_parameter_is_refused_by_name_before_sending(sim: mycpaas.Simulator) -> None:
    client = sim.client(max_retries=0)
    problems, tried = [], 0
    for case in CASES:
        run = action(case, client, sim)
        if run is None:
            continue
        tried += 1
        label = f"{case['id']} ({case['source']})"
        try:
            run()
        except mycpaas.ValidationError as error:
            if error.parameter != case["expect"]:
                problems.append(f"{label}: names {error.parameter!r}, expected {case['expect']!r}")
        except Exception as error:  # noqa: BLE001 - any other outcome is the finding
            problems.append(f"{label}: {type(error).__name__}: {error}")
        else:
            problems.append(f"{label}: accepted")
    assert not problems, f"{len(problems)} of {tried} cases:\n" + "\n".join(problems)
    assert sim.request_count == 0
    assert tried >= 100
    print(f"python: {tried} bad parameters refused by name, 0 requests sent")
