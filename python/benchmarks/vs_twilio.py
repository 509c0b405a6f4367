"""The Python package ``mycpaas`` against the ``twilio`` package, side by side, on the same work.

Cases (each one the median of several timed rounds, the two packages in alternating rounds):

- LaML: build and serialize the reference IVR document, and a 1,000-verb one;
- webhook signature validation (the reference test vector);
- ``calls.create`` round trip against the local simulator (an inline document that hangs up);
- a 50-call page: fetched and read through each client, and parsed from a body already received
  (each package's public page class) with every call's ``sid`` read;
- iterating 1,000 calls;
- ``import`` time and resident memory after import, each in a fresh interpreter.

Prints one JSON line per figure: ``{"id": "py.<package>.<case>", "value": ..., "unit": ...}``
(``ns`` per operation, ``ms``, or ``MiB``). ``scripts/bench`` runs it in its own virtual environment
(``twilio`` and a release build of ``mycpaas``) and collects the lines into the table of
docs/performance.md. It talks to simulators that are already running::

    python vs_twilio.py --base-url URL --list-url URL --account-sid SID --auth-token TOKEN [--quick]

``--base-url`` takes the creates; ``--list-url`` (same account) holds the 1,000 listed calls.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import warnings
from typing import Any, Callable, Dict, List, Tuple

from reference import PARAMS, SIGNATURE, TOKEN, URL

TO = "+15551230000"
FROM = "+15559870000"
HANGUP = "<Response><Hangup/></Response>"
LISTED_CALLS = 1000



def report(package: str, case: str, value: float, unit: str) -> None:
    print(json.dumps({"id": f"py.{package}.{case}", "value": round(value, 3), "unit": unit}), flush=True)


def batch_size(fn: Callable[[], Any], min_seconds: float) -> int:
    """How many calls of ``fn`` make one timed batch of at least ``min_seconds``."""
    n = 1
    while True:
        started = time.perf_counter()
        for _ in range(n):
            fn()
        elapsed = time.perf_counter() - started
        if elapsed >= min_seconds:
            return n
        n = n * 2 if elapsed <= 0 else max(n + 1, int(n * min_seconds / elapsed * 1.2))


def compare(
    ours: Callable[[], Any], theirs: Callable[[], Any], rounds: int, min_seconds: float
) -> Tuple[float, float]:
    """Median nanoseconds per call of each function, timed in alternating batches.

    The order flips every round: the side that goes second meets what the first left behind
    (calls stored in the simulator, garbage to collect), so neither may always be second.
    """
    sizes = (batch_size(ours, min_seconds), batch_size(theirs, min_seconds))
    samples: Tuple[List[float], List[float]] = ([], [])
    for round_number in range(rounds):
        sides = [(ours, sizes[0], samples[0]), (theirs, sizes[1], samples[1])]
        if round_number % 2:
            sides.reverse()
        for fn, n, out in sides:
            started = time.perf_counter_ns()
            for _ in range(n):
                fn()
            out.append((time.perf_counter_ns() - started) / n)
    return statistics.median(samples[0]), statistics.median(samples[1])


# ---- LaML -----------------------------------------------------------------------------------------


def ivr(doc: Any, rounds: int) -> Any:
    """Adds `rounds` menus to `doc`: both libraries' documents have the same verb methods."""
    for _ in range(rounds):
        doc.say("Welcome to Example Corp.", voice="alice", language="en-US")
        gather = doc.gather(input="dtmf speech", action="/menu", num_digits=1, timeout=5)
        gather.say("Press 1 for sales, 2 for support.")
        doc.play("https://example.com/hold.mp3", loop=2)
        doc.pause(length=1)
        doc.redirect("/start", method="POST")
    return doc


def mycpaas_ivr(rounds: int) -> str:
    from mycpaas.laml import Response

    return str(ivr(Response(), rounds).to_xml())


def twilio_ivr(rounds: int) -> str:
    from twilio.twiml.voice_response import VoiceResponse

    return str(ivr(VoiceResponse(), rounds).to_xml())


def bench_laml(rounds: int, min_seconds: float) -> None:
    # Both generators must write the same document, or the comparison means nothing.
    for verbs in (1, 200):
        ours, theirs = mycpaas_ivr(verbs), twilio_ivr(verbs)
        for tag in ("<Say", "<Gather", "<Play", "<Pause", "<Redirect"):
            if ours.count(tag) != theirs.count(tag):
                raise SystemExit(f"the two LaML documents differ:\n{ours[:400]}\n{theirs[:400]}")
    for case, verbs in (("laml_ref", 1), ("laml_1000", 200)):
        ours_ns, theirs_ns = compare(
            lambda v=verbs: mycpaas_ivr(v), lambda v=verbs: twilio_ivr(v), rounds, min_seconds
        )
        report("mycpaas", case, ours_ns, "ns")
        report("twilio", case, theirs_ns, "ns")


# ---- signatures -----------------------------------------------------------------------------------


def bench_signature(rounds: int, min_seconds: float) -> None:
    from mycpaas.webhooks import validate_signature
    from twilio.request_validator import RequestValidator

    validator = RequestValidator(TOKEN)
    if not validate_signature(URL, PARAMS, SIGNATURE, TOKEN):
        raise SystemExit("mycpaas rejects the reference signature")
    if not validator.validate(URL, PARAMS, SIGNATURE):
        raise SystemExit("twilio rejects the reference signature")
    ours_ns, theirs_ns = compare(
        lambda: validate_signature(URL, PARAMS, SIGNATURE, TOKEN),
        lambda: validator.validate(URL, PARAMS, SIGNATURE),
        rounds,
        min_seconds,
    )
    report("mycpaas", "signature", ours_ns, "ns")
    report("twilio", "signature", theirs_ns, "ns")


# ---- the API, against the simulator ---------------------------------------------------------------


def clients(base_url: str, sid: str, token: str) -> Tuple[Any, Any]:
    import mycpaas
    from twilio.rest import Client as TwilioClient

    ours = mycpaas.Client(sid, token, base_url=base_url)
    theirs = TwilioClient(sid, token)
    # twilio puts its own host before /2010-04-01/...; the simulator serves that prefix too.
    theirs.api.base_url = base_url
    return ours, theirs


def bench_create(args: argparse.Namespace, rounds: int, min_seconds: float) -> None:
    ours, theirs = clients(args.base_url, args.account_sid, args.auth_token)
    their_calls = theirs.api.account.calls
    ours_ns, theirs_ns = compare(
        lambda: ours.calls.create(to=TO, from_=FROM, twiml=HANGUP).sid,
        lambda: their_calls.create(to=TO, from_=FROM, twiml=HANGUP).sid,
        rounds,
        min_seconds,
    )
    report("mycpaas", "create", ours_ns, "ns")
    report("twilio", "create", theirs_ns, "ns")
    if args.bare_post_exe:
        bench_create_vs_bare(args, ours, rounds, min_seconds)


def bench_create_vs_bare(args: argparse.Namespace, ours: Any, rounds: int, min_seconds: float) -> None:
    """Our create against a bare ureq POST of the same request from Rust, in alternating rounds.

    The bare side is the ``vs_ureq`` bench binary run once per round (``--bare-create-round N``,
    reading the simulator from the environment); it times its own batch after opening its
    connection, so its start-up is not counted. Both sides hit the same simulator in the same
    minutes, which two separate runs could not promise.
    """
    create = lambda: ours.calls.create(to=TO, from_=FROM, twiml=HANGUP).sid  # noqa: E731
    n = batch_size(create, min_seconds)
    env = dict(
        os.environ,
        MYCPAAS_BENCH_BASE_URL=args.base_url,
        MYCPAAS_BENCH_ACCOUNT_SID=args.account_sid,
        MYCPAAS_BENCH_AUTH_TOKEN=args.auth_token,
    )

    def bare_round() -> float:
        out = subprocess.run(
            [args.bare_post_exe, "--bare-create-round", str(n)],
            env=env, check=True, capture_output=True, text=True,
        ).stdout
        return float(out.strip().splitlines()[-1])

    def our_round() -> float:
        started = time.perf_counter_ns()
        for _ in range(n):
            create()
        return (time.perf_counter_ns() - started) / n

    ours_samples: List[float] = []
    bare_samples: List[float] = []
    for round_number in range(rounds):
        if round_number % 2:
            bare_samples.append(bare_round())
            ours_samples.append(our_round())
        else:
            ours_samples.append(our_round())
            bare_samples.append(bare_round())
    report("mycpaas", "create_alongside_bare", statistics.median(ours_samples), "ns")
    report("bare_ureq", "create_alongside_python", statistics.median(bare_samples), "ns")


def seed(client: Any) -> None:
    """Creates calls in the list simulator until it holds at least ``LISTED_CALLS``."""
    held = len(client.calls.list(limit=LISTED_CALLS))
    for n in range(held, LISTED_CALLS):
        client.calls.create(to=f"+1555{n:07d}", from_=FROM, twiml=HANGUP)


def bench_listing(args: argparse.Namespace, rounds: int, min_seconds: float) -> None:
    from twilio.http.response import Response as TwilioResponse
    from twilio.rest.api.v2010.account.call import CallPage

    ours, theirs = clients(args.list_url, args.account_sid, args.auth_token)
    seed(ours)
    their_calls = theirs.api.account.calls

    def our_page() -> int:
        return sum(1 for call in ours.calls.page(page_size=50).calls if call.sid)

    def their_page() -> int:
        return sum(1 for call in their_calls.page(page_size=50) if call.sid)

    if our_page() != 50 or their_page() != 50:
        raise SystemExit("a 50-call page did not hold 50 calls")
    ours_ns, theirs_ns = compare(our_page, their_page, rounds, min_seconds)
    report("mycpaas", "page50", ours_ns, "ns")
    report("twilio", "page50", theirs_ns, "ns")

    # Parsing alone, over a body already received: each package's public page class, then every
    # call's sid (ours reads bytes, twilio's response object takes the text).
    import mycpaas

    version = theirs.api.v2010
    url = f"{args.list_url}/2010-04-01/Accounts/{args.account_sid}/Calls.json?PageSize=50"
    text = theirs.http_client.request("GET", url, auth=(args.account_sid, args.auth_token)).text
    body = text.encode()
    solution = {"account_sid": args.account_sid}

    def our_parse() -> int:
        return sum(1 for call in mycpaas.CallPage.from_json(body).calls if call.sid)

    def their_parse() -> int:
        page = CallPage(version, TwilioResponse(200, text), solution)
        return sum(1 for call in page if call.sid)

    if our_parse() != 50 or their_parse() != 50:
        raise SystemExit("a page class did not read 50 calls")
    ours_ns, theirs_ns = compare(our_parse, their_parse, rounds, min_seconds)
    report("mycpaas", "page50_parse", ours_ns, "ns")
    report("twilio", "page50_parse", theirs_ns, "ns")

    def our_iter() -> int:
        return sum(1 for call in ours.calls.stream(limit=LISTED_CALLS) if call.sid)

    def their_iter() -> int:
        return sum(1 for call in their_calls.stream(limit=LISTED_CALLS) if call.sid)

    if our_iter() != LISTED_CALLS or their_iter() != LISTED_CALLS:
        raise SystemExit(f"iterating did not yield {LISTED_CALLS} calls")
    ours_ns, theirs_ns = compare(our_iter, their_iter, rounds, min_seconds)
    report("mycpaas", "iter1000", ours_ns, "ns")
    report("twilio", "iter1000", theirs_ns, "ns")


# ---- import -----------------------------------------------------------------------------------------

IMPORT_PROBE = """
import sys, time
def rss_kib():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
before = rss_kib()
started = time.perf_counter()
exec(sys.argv[1])
elapsed = time.perf_counter() - started
print(elapsed * 1000, (rss_kib() - before) / 1024)
"""


def bench_import(rounds: int) -> None:
    statements: Dict[str, str] = {
        "mycpaas": "import mycpaas",
        "twilio": "from twilio.rest import Client",
    }
    for package, statement in statements.items():
        times, memory = [], []
        for _ in range(rounds + 1):  # the first run warms the file cache
            out = subprocess.run(
                [sys.executable, "-c", IMPORT_PROBE, statement],
                check=True,
                capture_output=True,
                text=True,
            ).stdout.split()
            times.append(float(out[0]))
            memory.append(float(out[1]))
        report(package, "import_ms", statistics.median(times[1:]), "ms")
        report(package, "import_mib", statistics.median(memory[1:]), "MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--list-url", required=True)
    parser.add_argument("--account-sid", required=True)
    parser.add_argument("--auth-token", required=True)
    parser.add_argument("--quick", action="store_true", help="fewer, shorter rounds")
    parser.add_argument(
        "--bare-post-exe",
        help="the vs_ureq bench binary: times a bare Rust POST in rounds alternating with ours",
    )
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    rounds, min_seconds = (5, 0.05) if args.quick else (9, 0.2)

    bench_laml(rounds, min_seconds)
    bench_signature(rounds, min_seconds)
    bench_create(args, rounds, min_seconds)
    bench_listing(args, rounds, min_seconds)
    bench_import(rounds)


if __name__ == "__main__":
    main()
