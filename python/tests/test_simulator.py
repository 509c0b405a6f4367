"""The simulator's options as Python sets them: the date format of call JSON, the speed range,
and scripted input limited to what a phone can send."""

from __future__ import annotations

import base64
import email.utils
import json
import re
import urllib.request
from typing import Any

import pytest

import mycpaas

from helpers import CALLER

ISO_8601 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def raw_call(sim: mycpaas.Simulator, sid: str) -> dict[str, Any]:
    """The call's JSON exactly as the simulator sends it, over plain HTTP."""
    url = f"{sim.base_url}/api/laml/2010-04-01/Accounts/{sim.account_sid}/Calls/{sid}.json"
    credentials = base64.b64encode(f"{sim.account_sid}:{sim.auth_token}".encode()).decode()
    request = urllib.request.Request(url, headers={"Authorization": f"Basic {credentials}"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        body: dict[str, Any] = json.load(answer)
    return body


@pytest.mark.parametrize("date_format", ["iso8601", "rfc2822"])
def test_call_json_writes_dates_in_the_chosen_format(date_format: str) -> None:
    with mycpaas.Simulator(date_format=date_format) as sim:  # type: ignore[arg-type]
        client = sim.client()
        call = client.calls.create(to="+15551239000", from_=CALLER, twiml="<Response><Hangup/></Response>")
        written = raw_call(sim, call.sid)["date_created"]
        if date_format == "iso8601":
            assert ISO_8601.match(written), written
        else:
            assert written.endswith(" +0000"), written
            assert email.utils.parsedate_to_datetime(written) == call.date_created
        # The SDK reads either form into the same datetime.
        assert client.calls.fetch(call.sid).date_created == call.date_created


def test_the_default_date_format_is_iso_8601() -> None:
    with mycpaas.Simulator() as sim:
        call = sim.client().calls.create(to="+15551239001", from_=CALLER, twiml="<Response><Hangup/></Response>")
        assert ISO_8601.match(raw_call(sim, call.sid)["date_created"])


@pytest.mark.parametrize("options", [{"date_format": "unix"}, {"speed": 1e-19}, {"speed": 0.0}, {"speed": 1e300}])
def test_options_the_simulator_cannot_honour_are_refused(options: dict[str, Any]) -> None:
    with pytest.raises(mycpaas.ValidationError) as info:
        mycpaas.Simulator(**options)
    assert info.value.parameter == next(iter(options))


def test_scripted_digits_are_keys_a_phone_can_send(sim: mycpaas.Simulator) -> None:
    sim.script_input("+15551239002", digits="0123456789*#ABCDw")
    with pytest.raises(mycpaas.ValidationError) as info:
        sim.script_input("+15551239002", digits="zz")
    assert info.value.parameter == "digits"
    assert "'z'" in str(info.value)
