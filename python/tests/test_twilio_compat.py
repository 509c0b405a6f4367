"""twilio-python and twilio-node (the peer SDKs of this API shape), pointed at the simulator, work with the resources
beyond Calls: they list and fetch recordings, provision and update a number, create and fetch an application, and
(twilio-python) manage a queue and a conference's participants (the compatibility table of docs/simulator.md)."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import time

import pytest
from twilio.rest import Client as TwilioClient

import mycpaas


def test_twilio_python_lists_and_fetches_recordings_numbers_and_applications() -> None:
    with mycpaas.Simulator(seed=3) as sim, sim.client() as ours:
        twilio = TwilioClient(sim.account_sid, sim.auth_token)
        twilio.api.base_url = sim.base_url  # its paths are /2010-04-01/..., which the simulator serves

        app = twilio.applications.create(friendly_name="ivr", voice_url="https://example.com/voice.xml")
        assert app.sid.startswith("AP") and app.voice_url == "https://example.com/voice.xml"
        assert twilio.applications(app.sid).fetch().friendly_name == "ivr"
        assert ours.applications.fetch(app.sid).voice_method == "POST"

        number = twilio.incoming_phone_numbers.create(phone_number="+14155550100", voice_application_sid=app.sid)
        assert (number.phone_number, number.voice_application_sid) == ("+14155550100", app.sid)
        updated = twilio.incoming_phone_numbers(number.sid).update(friendly_name="front desk")
        assert updated.friendly_name == "front desk"
        assert [n.sid for n in twilio.incoming_phone_numbers.list(phone_number="+1415")] == [number.sid]

        queue = twilio.queues.create(friendly_name="support", max_size=20)
        assert (queue.sid[:2], queue.max_size, queue.current_size) == ("QU", 20, 0)
        assert twilio.queues(queue.sid).update(max_size=30).max_size == 30
        assert [q.friendly_name for q in twilio.queues.list()] == ["support"]
        assert twilio.queues(queue.sid).delete() is True
        assert ours.queues.list() == []

        call = ours.calls.create(
            to="+15551230000", from_="+15559870000", twiml="<Response><Pause length='600'/></Response>"
        )
        ours.calls.wait(call.sid, until="answered")
        recording = ours.recordings.start(call.sid)
        ours.recordings.stop(call.sid, recording.sid)
        ours.calls.hangup(call.sid)

        assert [r.sid for r in twilio.recordings.list(call_sid=call.sid)] == [recording.sid]
        fetched = twilio.recordings(recording.sid).fetch()
        assert (fetched.status, fetched.call_sid) == ("completed", call.sid)
        assert fetched.duration is not None


def test_twilio_python_adds_mutes_holds_and_kicks_a_participant() -> None:
    with mycpaas.Simulator(seed=4, speed=100) as sim, sim.client() as ours:
        twilio = TwilioClient(sim.account_sid, sim.auth_token)
        twilio.api.base_url = sim.base_url

        room = "<Response><Dial><Conference>standup</Conference></Dial></Response>"
        caller = ours.calls.create(to="+15551230000", from_="+15559870000", twiml=room)
        while not (live := twilio.conferences.list(friendly_name="standup")):
            time.sleep(0.01)
        conference = twilio.conferences(live[0].sid)
        assert [p.call_sid for p in conference.participants.list()] == [caller.sid]

        added = conference.participants.create(from_="+15559870000", to="+15551230001", muted=True, label="guest")
        assert (added.status, added.muted, added.label) == ("queued", True, "guest")
        while added.call_sid not in [p.call_sid for p in conference.participants.list()]:
            time.sleep(0.01)
        guest = conference.participants(added.call_sid)
        assert guest.fetch().muted is True
        changed = guest.update(muted=False, hold=True)
        assert (changed.muted, changed.hold) == (False, True)
        assert [p.call_sid for p in conference.participants.list(hold=True)] == [added.call_sid]
        assert guest.delete() is True
        assert [p.call_sid for p in conference.participants.list()] == [caller.sid]
        assert conference.recordings.list() == []
        conference.update(status="completed")
        assert sim.wait_for_call(caller.sid) is not None


NODE_PROJECT = pathlib.Path(__file__).resolve().parents[2] / "tests" / "twilio_node"


def test_twilio_node_lists_and_fetches_recordings_numbers_and_applications() -> None:
    if not (NODE_PROJECT / "node_modules" / "twilio").is_dir():
        pytest.fail(f"twilio-node is not installed: run `npm install --no-package-lock` in {NODE_PROJECT}")
    with mycpaas.Simulator(seed=4) as sim, sim.client() as ours:
        call = ours.calls.create(
            to="+15551230000", from_="+15559870000", twiml="<Response><Pause length='600'/></Response>"
        )
        ours.calls.wait(call.sid, until="answered")
        recording = ours.recordings.start(call.sid)
        ours.recordings.stop(call.sid, recording.sid)
        ours.calls.hangup(call.sid)
        env = {
            **os.environ,
            "MYCPAAS_BASE_URL": sim.base_url,
            "MYCPAAS_ACCOUNT_SID": sim.account_sid,
            "MYCPAAS_AUTH_TOKEN": sim.auth_token,
            "CALL_SID": call.sid,
            "RECORDING_SID": recording.sid,
        }
        done = subprocess.run(
            ["node", "compat.js"], cwd=NODE_PROJECT, env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        seen = json.loads(done.stdout)
        assert seen["application"]["friendlyName"] == "ivr"
        assert seen["application"]["voiceUrl"] == "https://example.com/voice.xml"
        assert ours.applications.fetch(seen["application"]["sid"]).friendly_name == "ivr"
        assert seen["number"]["phoneNumber"] == "+14155550111"
        assert ours.incoming_phone_numbers.fetch(seen["number"]["sid"]).friendly_name == "front desk"
        assert seen["recordings"] == [recording.sid]
        assert seen["recording"] == {"sid": recording.sid, "status": "completed", "callSid": call.sid}
