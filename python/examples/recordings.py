"""Record a live call on the local simulator, pause and stop the recording, and download its audio."""

from __future__ import annotations

import io
import wave

import mycpaas
from mycpaas import laml


def main() -> None:
    with mycpaas.Simulator(speed=100) as sim, sim.client() as client:
        held = laml.Response().pause(length=600)
        call = client.calls.create(to="+15551230000", from_="+15559870000", twiml=held)
        client.calls.wait(call.sid, until="answered")

        recording = client.recordings.start(call.sid, recording_channels="dual")
        client.recordings.pause(call.sid, recording.sid)
        client.recordings.resume(call.sid, recording.sid)
        stopped = client.recordings.stop(call.sid, recording.sid)
        print(f"{stopped.sid}: {stopped.status}, {stopped.duration} s")

        audio = io.BytesIO()
        written = client.recordings.download(recording.sid, audio)
        with wave.open(io.BytesIO(audio.getvalue())) as wav:
            print(f"{written} bytes: {wav.getnchannels()} channels at {wav.getframerate()} Hz")
        for listed in client.recordings.list_for_call(call.sid):
            print(listed.sid, listed.status)
        client.calls.hangup(call.sid)


if __name__ == "__main__":
    main()
