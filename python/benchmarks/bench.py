"""mycpaas (Rust core) against the PyPI package `twilio`, in one run, on the same machine and the same simulator.

Run it with `python/benchmarks/run` (it builds the release wheel and installs both packages into
target/bench-venv). Each measurement is the median of several rounds; a round times a batch of calls
and reports the time per call. The ratio column is twilio's time divided by mycpaas's.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from typing import Any, Callable

from reference import PARAMS, SIGNATURE, TOKEN, URL

QUICK = "--quick" in sys.argv
ROUNDS = 3 if QUICK else 9


def per_call(fn: Callable[[], Any], batch: int) -> float:
    """Median seconds per call of `fn` over ROUNDS batches (after one warm-up batch)."""
    for _ in range(max(1, batch // 10)):
        fn()
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for _ in range(batch):
            fn()
        samples.append((time.perf_counter() - start) / batch)
    return statistics.median(samples)


def import_time(statement: str) -> float:
    """Median time of `statement` (the imports) in fresh interpreters, timed inside each one."""
    code = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"

    def run() -> float:
        out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
        return float(out.stdout)

    return statistics.median(run() for _ in range(5 if QUICK else 15))


# --- LaML: the reference IVR document (as in crates/mycpaas-laml/benches/laml.rs), built and written ---


def laml_mycpaas() -> str:
    from mycpaas import laml

    resp = laml.Response()
    resp.say("Welcome to Example Corp.", voice="alice", language="en-US")
    resp.gather(input="dtmf speech", action="/menu", num_digits=1, timeout=5).say("Press 1 for sales, 2 for support.")
    resp.play("https://example.com/hold.mp3", loop=2)
    resp.pause(length=1)
    resp.redirect("/start", method="POST")
    return str(resp)


def laml_twilio() -> str:
    from twilio.twiml.voice_response import Gather, VoiceResponse

    resp = VoiceResponse()
    resp.say("Welcome to Example Corp.", voice="alice", language="en-US")
    gather = Gather(input="dtmf speech", action="/menu", num_digits=1, timeout=5)
    gather.say("Press 1 for sales, 2 for support.")
    resp.append(gather)
    resp.play("https://example.com/hold.mp3", loop=2)
    resp.pause(length=1)
    resp.redirect("/start", method="POST")
    return str(resp)




def main() -> None:
    import mycpaas
    from mycpaas import webhooks
    from twilio.http.http_client import TwilioHttpClient
    from twilio.request_validator import RequestValidator
    from twilio.rest import Client as TwilioClient

    results: list[tuple[str, float, float]] = []

    # Same document out of both (attribute order aside), or the comparison means nothing.
    assert "<Gather" in laml_mycpaas() and "<Gather" in laml_twilio()
    results.append(("LaML build + serialize (reference IVR)", per_call(laml_mycpaas, 2000), per_call(laml_twilio, 2000)))

    validator = RequestValidator(TOKEN)
    assert validator.validate(URL, PARAMS, SIGNATURE)
    assert webhooks.validate_signature(URL, PARAMS, SIGNATURE, TOKEN)
    results.append(
        (
            "signature validation (reference vector)",
            per_call(lambda: webhooks.validate_signature(URL, PARAMS, SIGNATURE, TOKEN), 5000),
            per_call(lambda: validator.validate(URL, PARAMS, SIGNATURE), 5000),
        )
    )

    with mycpaas.Simulator(speed=1000.0) as sim:

        class LocalHttpClient(TwilioHttpClient):  # type: ignore[misc]
            """twilio's own HTTP client (requests), with its API host swapped for the simulator."""

            def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
                return super().request(method, url.replace("https://api.twilio.com", sim.base_url), *args, **kwargs)

        ours = sim.client()
        theirs = TwilioClient(sim.account_sid, sim.auth_token, http_client=LocalHttpClient())
        to, caller, voice = "+15551230000", "+15559870000", "https://example.com/voice.xml"

        assert theirs.calls.create(to=to, from_=caller, url=voice).sid.startswith("CA")
        batch = 50 if QUICK else 200
        results.append(
            (
                "calls.create round trip",
                per_call(lambda: ours.calls.create(to=to, from_=caller, url=voice), batch),
                per_call(lambda: theirs.calls.create(to=to, from_=caller, url=voice), batch),
            )
        )

        listed = "+15551110000"
        for _ in range(1000):
            ours.calls.create(to=listed, from_=caller, url=voice)

        def iterate_ours() -> None:
            assert sum(1 for _ in ours.calls.stream(to=listed, page_size=100)) == 1000

        def iterate_theirs() -> None:
            assert sum(1 for _ in theirs.calls.stream(to=listed, page_size=100)) == 1000

        results.append(("iterate 1,000 calls (pages of 100)", per_call(iterate_ours, 3), per_call(iterate_theirs, 3)))

    results.append(
        (
            "import (fresh interpreter)",
            import_time("import mycpaas"),
            import_time("import twilio.rest, twilio.twiml.voice_response, twilio.request_validator"),
        )
    )

    print(f"Python {sys.version.split()[0]}, mycpaas {mycpaas.__version__}, twilio {__import__('twilio').__version__}")
    print()
    print("| benchmark | mycpaas | twilio | twilio / mycpaas |")
    print("|---|---:|---:|---:|")
    for name, ours_s, theirs_s in results:
        ratio = theirs_s / ours_s if ours_s > 0 else float("inf")
        print(f"| {name} | {fmt(ours_s)} | {fmt(theirs_s)} | {ratio:.1f}x |")


def fmt(seconds: float) -> str:
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} µs"


if __name__ == "__main__":
    main()
