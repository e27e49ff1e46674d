"""Shared helpers for the benchmark sections under bench/ (run through scripts/bench).

Each section is a script `bench/<section>.py` that prints Markdown: a `## Title` heading, one
or more tables of medians with a ratio column against a reference measured in the same run,
and a line on how it was measured. It also saves its raw figures as JSON with `save_json`.
Timings are wall-clock medians over repeats; never a single run.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Callable, Iterable, Sequence

REPO = Path(os.environ.get("REPO", Path(__file__).resolve().parent.parent))
STATE = REPO / ".collections"
RESULTS = STATE / "bench"
QUICK = os.environ.get("COLLECTIONS_BENCH_QUICK") == "1"
"""`scripts/bench --quick`: fewer repeats and smaller data, to check the benchmark still runs."""

RELEASE = Path(os.environ.get("COLLECTIONS_BENCH_BINARIES", REPO / ".build-static" / "release"))
"""Release binaries built by scripts/bench (static Swift standard library, as packaged)."""


def repeats(full: int, quick: int = 2) -> int:
    """How many repeats to run: `full`, or `quick` under --quick."""
    return quick if QUICK else full


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def p95(values: Sequence[float]) -> float:
    """The 95th percentile by nearest rank."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("p95 of no values")
    rank = max(1, -(-95 * len(ordered) // 100))
    return ordered[rank - 1]


def time_calls(body: Callable[[], object], count: int, warmup: int = 1) -> list[float]:
    """Seconds taken by each of `count` calls of `body`, after `warmup` untimed calls."""
    for _ in range(warmup):
        body()
    samples = []
    for _ in range(count):
        start = time.perf_counter()
        body()
        samples.append(time.perf_counter() - start)
    return samples


def ms(seconds: float) -> str:
    """Seconds as milliseconds, to a sensible precision."""
    value = seconds * 1000
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def ratio(value: float, reference: float) -> str:
    """`value / reference` as `2.31×` (how many times the reference it takes)."""
    if reference <= 0:
        return "n/a"
    return f"{value / reference:.2f}×"


def heading(title: str) -> None:
    print(f"\n## {title}\n", flush=True)


def note(text: str) -> None:
    print(f"\n{text}\n", flush=True)


def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Prints a Markdown table, columns padded so it also reads well in a terminal."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |"

    print(line(cells[0]))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in cells[1:]:
        print(line(row))
    sys.stdout.flush()


def save_json(section: str, data: object) -> Path:
    """Saves a section's raw figures to .collections/bench/<section>.json."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{section}.json"
    path.write_text(json.dumps(data, indent=2, sort_keys=True))
    return path


def progress(message: str) -> None:
    """A progress line on stderr (stdout carries only the report)."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)
