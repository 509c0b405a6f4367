"""Smoke test of an installed wheel, run by scripts/test-dist in a fresh virtual environment
with no Rust toolchain on PATH: import, build a LaML document, run a call on the simulator."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import mycpaas
from mycpaas import laml


def main() -> None:
    assert shutil.which("cargo") is None and shutil.which("rustc") is None, "a Rust toolchain is on PATH"
    package = Path(mycpaas.__file__).resolve()
    assert "site-packages" in package.parts, f"mycpaas imported from {package}, not the installed wheel"

    document = laml.Response().say("Hello from the wheel", voice="alice").hangup()
    xml = document.to_xml()
    assert "<Say" in xml and "Hello from the wheel" in xml, xml

    with mycpaas.Simulator() as sim:
        client = sim.client()
        call = client.calls.create(to="+491234567890", from_="+491098765432", twiml=document)
        statuses = sim.wait_for_call(call.sid).statuses
    assert statuses[0] == "queued" and statuses[-1] == "completed", statuses
    print(f"mycpaas {mycpaas.__version__} from {package.parent}: {call.sid} {' -> '.join(statuses)}")


if __name__ == "__main__":
    main()
    sys.exit(0)
