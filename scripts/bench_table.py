#!/usr/bin/env python3
"""Builds the one table of `scripts/bench` from the figures its benchmarks left behind.

Inputs (standard library only, so it runs with any Python 3.9+):
- every `*.jsonl` file of the run directory: one `{"id", "value", "unit"}` object a line, printed by
  the Rust bench binaries (`vs_ureq`, `vs_reqwest`) and `python/benchmarks/vs_twilio.py`;
- criterion's `criterion/<group>/<function>/new/estimates.json` under the run directory (its
  CRITERION_HOME; the median time per iteration), read as `rs.laml.<group>.<function>`;
- `scale.txt` files of the run directory: the text the simulator's scale example prints.

When an id has several values (repeated runs), the table uses their median. Each row compares our
figure with a peer's (the `twilio` package) or a limit's (the bare transport with the same bytes),
gives the ratio, and checks the goal the project holds the row to, when it has one.

    python3 scripts/bench_table.py RUN_DIR [--markdown FILE]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional

@dataclass
class Row:
    """One line of the table.

    kind says how the ratio reads:
    - "faster": times, peer / ours (how many times faster we are; goal is a minimum);
    - "cost": times, ours / limit (what we pay over the bare transport; goal is a maximum);
    - "rate": rates, ours / peer (goal is a minimum);
    - "smaller": sizes, peer / ours (how many times smaller; no goal).
    """

    section: str
    what: str
    ours: str
    peer: Optional[str]
    peer_name: str
    kind: str
    goal: Optional[float] = None


ROWS: List[Row] = [
    Row("LaML", "reference IVR: build + write (Rust)", "rs.laml.reference_ivr.build_and_write",
        "py.twilio.laml_ref", "twilio generator", "faster", 50),
    Row("LaML", "1,000-verb document: build + write (Rust)", "rs.laml.thousand_verbs.build_and_write",
        "py.twilio.laml_1000", "twilio generator", "faster"),
    Row("LaML", "reference IVR: parse (Rust)", "rs.laml.reference_ivr.parse",
        "rs.laml.reference_ivr.quick_xml_event_loop", "bare quick-xml loop", "cost", 2.5),
    Row("LaML", "1,000-verb document: parse (Rust)", "rs.laml.thousand_verbs.parse",
        "rs.laml.thousand_verbs.quick_xml_event_loop", "bare quick-xml loop", "cost"),
    Row("Python", "LaML reference IVR: build + serialize", "py.mycpaas.laml_ref",
        "py.twilio.laml_ref", "twilio", "faster", 10),
    Row("Python", "LaML 1,000 verbs: build + serialize", "py.mycpaas.laml_1000",
        "py.twilio.laml_1000", "twilio", "faster"),
    Row("Python", "webhook signature validation", "py.mycpaas.signature",
        "py.twilio.signature", "twilio", "faster", 20),
    Row("Python", "calls.create round trip (simulator)", "py.mycpaas.create",
        "py.twilio.create", "twilio", "faster", 5),
    Row("Python", "calls.create round trip (simulator)", "py.mycpaas.create_alongside_bare",
        "py.bare_ureq.create_alongside_python", "bare ureq POST (Rust)", "cost", 1.15),
    Row("Python", "50-call page: fetch + read", "py.mycpaas.page50",
        "py.twilio.page50", "twilio", "faster", 3),
    Row("Python", "50-call page: parse + read sid", "py.mycpaas.page50_parse",
        "py.twilio.page50_parse", "twilio CallPage", "faster", 5),
    Row("Python", "iterate 1,000 calls (simulator)", "py.mycpaas.iter1000",
        "py.twilio.iter1000", "twilio", "faster", 3),
    Row("Python", "import time (goal: at most 20 ms)", "py.mycpaas.import_ms",
        "py.twilio.import_ms", "twilio", "faster"),
    Row("Python", "memory after import", "py.mycpaas.import_mib",
        "py.twilio.import_mib", "twilio", "smaller"),
    Row("Rust clients", "blocking create", "rs.blocking.create",
        "rs.bare_ureq.create", "bare ureq, same bytes", "cost"),
    Row("Rust clients", "blocking 50-call page", "rs.blocking.page50",
        "rs.bare_ureq.page50", "bare ureq, same bytes", "cost"),
    Row("Rust clients", "async create", "rs.async.create",
        "rs.bare_reqwest.create", "bare reqwest, same bytes", "cost"),
    Row("Rust clients", "async creates/s, 64 in flight", "rs.async.throughput64",
        "rs.bare_reqwest.throughput64", "bare reqwest, same bytes", "rate", 0.9),
    Row("Simulator", "creates/s, 4 signed callbacks each", "sim.creates_per_s", None, "", "rate"),
    Row("Simulator", "calls alive at once (10,000 placed)", "sim.peak", "sim.calls", "calls placed", "rate", 1.0),
    Row("Simulator", "status callbacks delivered", "sim.delivered", "sim.expected", "callbacks expected",
        "rate", 1.0),
]

# Absolute goals that no ratio expresses: id -> (largest value allowed, unit).
ABSOLUTE_GOALS = {"py.mycpaas.import_ms": 20.0}


def read_jsonl(run_dir: Path, figures: Dict[str, List[float]], units: Dict[str, str]) -> None:
    for path in sorted(run_dir.glob("*.jsonl")):
        for line in path.read_text().splitlines():
            line = line.strip()
            if not line.startswith("{"):
                continue
            try:
                record = json.loads(line)
                figures.setdefault(record["id"], []).append(float(record["value"]))
                units[record["id"]] = record.get("unit", "")
            except (ValueError, KeyError, TypeError):
                print(f"bench_table: skipped a bad line of {path.name}: {line[:80]}", file=sys.stderr)


def read_criterion(run_dir: Path, figures: Dict[str, List[float]], units: Dict[str, str]) -> None:
    for path in sorted((run_dir / "criterion").glob("*/*/new/estimates.json")):
        group, function = path.parent.parent.parent.name, path.parent.parent.name
        try:
            median = json.loads(path.read_text())["median"]["point_estimate"]
        except (ValueError, KeyError):
            continue
        add(figures, units, f"rs.laml.{group}.{function}", float(median), "ns")


SCALE_PATTERNS = {
    "created": re.compile(r"created (\d+) calls in ([\d.]+) s"),
    "peak": re.compile(r"peak concurrent calls:\s+(\d+)"),
    "expected": re.compile(r"callbacks expected:\s+(\d+)"),
    "distinct": re.compile(r"web app received (\d+) distinct"),
    "wall": re.compile(r"wall time:\s+([\d.]+) s"),
}


def read_scale(run_dir: Path, figures: Dict[str, List[float]], units: Dict[str, str]) -> None:
    for path in sorted(run_dir.glob("scale*.txt")):
        text = path.read_text()
        found = {name: pattern.search(text) for name, pattern in SCALE_PATTERNS.items()}
        created = found["created"]
        if created:
            calls, seconds = int(created.group(1)), float(created.group(2))
            add(figures, units, "sim.calls", calls, "calls")
            add(figures, units, "sim.creates_per_s", calls / seconds, "per_s")
        for name, key, unit in (("peak", "sim.peak", "calls"), ("expected", "sim.expected", "callbacks"),
                                ("distinct", "sim.delivered", "callbacks"), ("wall", "sim.wall_s", "s")):
            match = found[name]
            if match:
                add(figures, units, key, float(match.group(1)), unit)


def add(figures: Dict[str, List[float]], units: Dict[str, str], key: str, value: float, unit: str) -> None:
    figures.setdefault(key, []).append(value)
    units[key] = unit


def show(value: Optional[float], unit: str) -> str:
    if value is None:
        return "n/a"
    if unit == "ns":
        for scale, name in ((1e9, "s"), (1e6, "ms"), (1e3, "us")):
            if value >= scale:
                return f"{value / scale:.3g} {name}"
        return f"{value:.3g} ns"
    if unit == "per_s":
        return f"{value:,.0f}/s"
    if unit == "ms":
        return f"{value:.1f} ms"
    if unit == "MiB":
        return f"{value:.1f} MiB"
    return f"{value:,.0f} {unit}".strip()


def ratio_of(row: Row, ours: Optional[float], peer: Optional[float]) -> Optional[float]:
    if ours is None or peer is None or ours <= 0 or peer <= 0:
        return None
    if row.kind in ("faster", "smaller"):
        return peer / ours
    return ours / peer


def describe(row: Row, ratio: Optional[float]) -> str:
    if ratio is None:
        return "-"
    if row.kind == "faster":
        return f"{ratio:.1f}x faster" if ratio >= 1 else f"{1 / ratio:.2f}x slower"
    if row.kind == "smaller":
        return f"{ratio:.1f}x smaller" if ratio >= 1 else f"{1 / ratio:.2f}x larger"
    return f"{ratio:.2f}x"


def verdict(row: Row, ratio: Optional[float], ours: Optional[float]) -> str:
    absolute = ABSOLUTE_GOALS.get(row.ours)
    if absolute is not None and ours is not None:
        return f"<= {absolute:g} ms: " + ("met" if ours <= absolute else "MISSED")
    if row.goal is None:
        return ""
    if ratio is None:
        return "no figure"
    if row.kind == "cost":
        return f"<= {row.goal:g}x: " + ("met" if ratio <= row.goal else "MISSED")
    return f">= {row.goal:g}x: " + ("met" if ratio >= row.goal else "MISSED")


def build(run_dir: Path) -> List[List[str]]:
    figures: Dict[str, List[float]] = {}
    units: Dict[str, str] = {}
    read_jsonl(run_dir, figures, units)
    read_criterion(run_dir, figures, units)
    read_scale(run_dir, figures, units)
    values = {key: statistics.median(found) for key, found in figures.items()}
    table = [["area", "what", "ours", "peer or limit", "their figure", "ratio", "goal"]]
    for row in ROWS:
        ours = values.get(row.ours)
        peer = values.get(row.peer) if row.peer else None
        ratio = ratio_of(row, ours, peer)
        table.append([
            row.section,
            row.what,
            show(ours, units.get(row.ours, "")),
            row.peer_name,
            show(peer, units.get(row.peer, "")) if row.peer else "",
            describe(row, ratio),
            verdict(row, ratio, ours),
        ])
    return table


def as_text(table: List[List[str]]) -> str:
    widths = [max(len(line[i]) for line in table) for i in range(len(table[0]))]
    lines = []
    for n, line in enumerate(table):
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def as_markdown(table: List[List[str]]) -> str:
    lines = ["| " + " | ".join(table[0]) + " |", "|" + "---|" * len(table[0])]
    lines += ["| " + " | ".join(cell.replace("|", "/") for cell in line) + " |" for line in table[1:]]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="Prints the table of scripts/bench.")
    parser.add_argument("run_dir", type=Path)
    parser.add_argument("--markdown", type=Path, help="also write the table as Markdown here")
    args = parser.parse_args()
    table = build(args.run_dir)
    print(as_text(table))
    if args.markdown:
        args.markdown.write_text(as_markdown(table) + "\n")


if __name__ == "__main__":
    main()
