"""The examples of docs/resources.md and docs/simulator.md run as a user runs them."""

from __future__ import annotations

import pathlib
import subprocess
import sys

EXAMPLES = pathlib.Path(__file__).resolve().parents[1] / "examples"


def test_the_recordings_example_runs() -> None:
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "recordings.py")], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "completed" in done.stdout
    assert "2 channels at 8000 Hz" in done.stdout


def test_the_forwarding_example_runs() -> None:
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "forwarding.py")], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "+15551230001: busy, 0 s (outbound-dial" in done.stdout
    assert "+15551230002: completed, 7 s (outbound-dial" in done.stdout
    assert "+15551230002 answered" in done.stdout
def test_the_participants_example_runs() -> None:
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "participants.py")], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "True" and "'Hold', 'Play'" in lines[1] and lines[2] == "[True]"
