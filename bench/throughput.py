"""End-to-end throughput of the local stack, and where an upload's time goes.

What runs: `collections local up` on the release binaries (.build-static/release) with its
defaults (the template's event source mappings: processes, batch sizes and windows), the offline
stand-ins for Claude and Voyage with no added latency and no faults (checked against their own
stats), its own moto and a fresh database (bench/throughput_stack.py).

What is measured:
- the reference: single uploads on the idle stack, one at a time, each waited for (after a few
  untimed warm-up uploads), so nothing queues;
- a burst: N uploads (a quarter real photos, the rest generated JPEGs; bench/throughput_runs.py)
  put by 10 threads at once, then waited for until every one has a vector.
Images per second is N over the wall time from the first upload's start to the last Embedder
response. Each image's timeline comes from the start of its upload and the runner's invocation
reports (runner.log: when a function received the image's event and when its response came back),
so its steps (waiting to be taken by each function, and each invocation) add up to its time from
upload to embedded. The run fails if any upload is dead-lettered or the rows do not match N.
"""

from __future__ import annotations

import time

from common import QUICK, RELEASE, heading, median, ms, note, p95, progress, ratio, save_json, table
from throughput_runs import Timeline, make_uploads, rows, timelines, upload_all, wait_until_embedded
from throughput_stack import FUNCTIONS, LocalStack

BURST = 20 if QUICK else 200
ALONE = 2 if QUICK else 8
WARMUP = 2 if QUICK else 4
BURST_TIMEOUT = 120 if QUICK else 300

STEPS = [
    ("to ImageProcessor", "upload, S3 → EventBridge → ImageProcessor's queue"),
    ("queued for ImageProcessor", "queued until an ImageProcessor process takes it"),
    ("ImageProcessor", "ImageProcessor invocation (thumbnail, rendition, S3, PutEvents)"),
    ("queued for Analyzer", "ImageProcessed queued until an Analyzer process takes it"),
    ("Analyzer", "Analyzer invocation (S3, Claude stand-in, PostgreSQL, PutEvents)"),
    ("queued for Embedder", "ImageAnalyzed queued until an Embedder process takes it"),
    ("Embedder", "Embedder invocation (PostgreSQL, Voyage stand-in, pgvector)"),
]


def one_at_a_time(stack: LocalStack) -> list[Timeline]:
    warmup = make_uploads(WARMUP, "warmup/", seed=3)
    upload_all(stack, warmup)
    wait_until_embedded(stack, "warmup/", len(warmup), timeout=120)
    uploads = make_uploads(ALONE, "alone/", seed=2)
    for upload in uploads:
        upload_all(stack, [upload], threads=1)
        wait_until_embedded(stack, upload.key, 1, timeout=60, poll=0.02)
    found, extra = timelines(stack, uploads, "alone/")
    if extra:
        raise RuntimeError(f"{len(extra)} failed or repeated invocations for single uploads: {extra[:2]}")
    return found


def burst(stack: LocalStack) -> tuple[list[Timeline], list[dict], float]:
    uploads = make_uploads(BURST, "burst/", seed=1)
    progress(f"burst of {len(uploads)} uploads")
    started = time.monotonic()
    upload_all(stack, uploads)
    uploaded = time.monotonic() - started
    wait_until_embedded(stack, "burst/", len(uploads), timeout=BURST_TIMEOUT)
    counts = rows(stack, "burst/")
    if any(count != len(uploads) for count in counts.values()) or stack.dead_letters():
        raise RuntimeError(f"expected {len(uploads)} of each, found {counts}, {stack.dead_letters()} dead letters")
    failures = stack.collections("local", "failures", "--json").stdout.strip()
    if failures:
        raise RuntimeError(f"dead-lettered events:\n{failures}")
    found, extra = timelines(stack, uploads, "burst/")
    return found, extra, uploaded


def summarise(timelines: list[Timeline], extra: list[dict], processes: dict[str, int]) -> dict:
    first = min(timeline.upload_started for timeline in timelines)
    last = max(timeline.stages["Embedder"]["ended_at"] for timeline in timelines)
    steps = {name: [timeline.steps()[name] for timeline in timelines] for name, _ in STEPS}
    durations = {name: [timeline.durations()[name] for timeline in timelines] for name in FUNCTIONS}
    busy = {}
    reports = [timeline.stages[name] for timeline in timelines for name in FUNCTIONS] + extra
    for function in FUNCTIONS:
        # Each invocation once: the messages of a batch share it.
        invocations = {(r["process"], r["received_at"]): r["duration_ms"] / 1000 for r in reports if r["stage"] == function}
        busy[function] = sum(invocations.values()) / (processes[function] * (last - first))
    return {
        "images": len(timelines),
        "handovers_s": handovers(reports),
        "wall_s": last - first,
        "end_to_end_s": [timeline.end_to_end for timeline in timelines],
        "steps_s": steps,
        "durations_s": durations,
        "busy": busy,
        "extra_invocations": [{k: v for k, v in r.items() if k != "time"} for r in extra],
        "per_image": [
            {"key": t.key, "kind": t.kind, "end_to_end_s": t.end_to_end, "steps_s": t.steps(),
             "durations_s": t.durations()}
            for t in timelines
        ],
        "images_by_kind": {kind: sum(t.kind == kind for t in timelines) for kind in ("photo", "generated")},
    }


def handovers(reports: list[dict]) -> dict[str, list[float]]:
    """Per function, the seconds from a process's answer to the same process holding its next event,
    counted only when that event was already in the queue: the local event source's DeleteMessage and
    ReceiveMessage on moto, time in which the process could have worked."""
    by_process: dict[str, dict[float, dict]] = {}
    for report in reports:
        # The messages of one batch share an invocation: keep it once, with its earliest send.
        invocation = by_process.setdefault(report["process"], {}).setdefault(report["received_at"], report)
        if report["sent_at"] < invocation["sent_at"]:
            by_process[report["process"]][report["received_at"]] = report
    found: dict[str, list[float]] = {name: [] for name in FUNCTIONS}
    for batches in by_process.values():
        invocations = sorted(batches.values(), key=lambda report: report["received_at"])
        for previous, following in zip(invocations, invocations[1:]):
            if following["sent_at"] < previous["ended_at"]:
                found[following["stage"]].append(following["received_at"] - previous["ended_at"])
    return found


def report(alone: dict, loaded: dict, uploaded: float, processes: dict[str, int], stats: dict) -> None:
    heading("End-to-end throughput (local stack)")
    alone_e2e, burst_e2e = alone["end_to_end_s"], loaded["end_to_end_s"]
    table(
        ["run", "images", "wall (s)", "images/s", "upload → embedded, median (ms)", "p95 (ms)", "median vs alone"],
        [
            [
                "one at a time on the idle stack (reference)", alone["images"], f"{sum(alone_e2e):.1f}",
                f"{len(alone_e2e) / sum(alone_e2e):.1f}", ms(median(alone_e2e)), ms(p95(alone_e2e)), "1.00×",
            ],
            [
                f"burst of {loaded['images']} uploads", loaded["images"], f"{loaded['wall_s']:.1f}",
                f"{loaded['images'] / loaded['wall_s']:.1f}", ms(median(burst_e2e)), ms(p95(burst_e2e)),
                ratio(median(burst_e2e), median(alone_e2e)),
            ],
        ],
    )
    print()
    total_e2e = sum(burst_e2e)
    function_time = sum(sum(loaded["durations_s"][name]) for name in FUNCTIONS)
    lines = []
    for name, label in STEPS:
        is_function = name in FUNCTIONS
        values = loaded["durations_s" if is_function else "steps_s"][name]
        reference = alone["durations_s" if is_function else "steps_s"][name]
        lines.append([
            label, ms(median(values)), ms(p95(values)), ms(median(reference)), ratio(median(values), median(reference)),
            f"{100 * sum(loaded['steps_s'][name]) / total_e2e:.0f}%",
            f"{100 * sum(values) / function_time:.0f}%" if is_function else "–",
            f"{100 * loaded['busy'][name]:.0f}% of {processes[name]}" if is_function else "–",
            handover(loaded["handovers_s"].get(name, [])) if is_function else "–",
        ])
    lines.append([
        "upload → embedded", ms(median(burst_e2e)), ms(p95(burst_e2e)), ms(median(alone_e2e)),
        ratio(median(burst_e2e), median(alone_e2e)), "100%", "–", "–", "–",
    ])
    table(
        ["step, per image in the burst", "median (ms)", "p95 (ms)", "alone, median (ms)", "burst vs alone",
         "share of upload → embedded", "share of function time", "busy (of processes)",
         "hand-over, median (ms)"],
        lines,
    )
    kinds = loaded["images_by_kind"]
    note(
        f"Release binaries, `collections local up` defaults ({', '.join(f'{n} ×{processes[n]}' for n in FUNCTIONS)}"
        f" processes), stand-ins with no latency and no faults (their stats: plan `{stats['plan']}`, "
        f"{describe(stats['requests'])} requests, {sum(stats['faults'].values())} faults). "
        f"The burst: {kinds['photo']} real photos and "
        f"{kinds['generated']} generated JPEGs (48–960 px), put by 10 threads in {uploaded:.1f} s; wall from the "
        f"first upload's start to the last Embedder response; no dead letters, one item, analysis and vector per "
        f"upload, {len(loaded['extra_invocations'])} failed or repeated invocations. Reference: {alone['images']} "
        f"single uploads of the same mix, one at a time, after {WARMUP} warm-up uploads. Times come from the "
        f"upload starts, the runner's invocation reports (runner.log) and the events' SQS send times. A function "
        f"sends its event before it answers, so its share of upload → embedded ends at that send (the shares add up "
        f"to 100%); an invocation row's median and p95 are whole invocations. Busy is a function's invocation time "
        f"over its processes × the wall time; hand-over is the time from a process's answer to its next event in "
        f"hand when that event was already queued (the local event source's DeleteMessage and ReceiveMessage on "
        f"moto). 2 shared cores run everything (moto, PostgreSQL, the stand-ins, "
        f"{sum(processes.values())} function processes, the uploads)."
    )


def handover(values: list[float]) -> str:
    return f"{ms(median(values))} (n={len(values)})" if values else "–"


def describe(requests: dict[str, int]) -> str:
    """Requests per route, such as `246 /v1/messages, 246 /v1/embeddings`."""
    return ", ".join(f"{count} {route}" for route, count in sorted(requests.items())) or "no"


def main() -> None:
    for binary in ("collections", *FUNCTIONS):
        if not (RELEASE / binary).exists():
            raise SystemExit(f"{RELEASE / binary} is missing: scripts/bench builds it")
    stack = LocalStack()
    try:
        stack.up()
        processes = stack.processes()
        progress(f"{ALONE} single uploads on the idle stack")
        alone = summarise(one_at_a_time(stack), [], processes)
        loaded_timelines, extra, uploaded = burst(stack)
        loaded = summarise(loaded_timelines, extra, processes)
        stats = stack.stand_in_stats()
    finally:
        stack.down()
    if stats.get("plan") != "none" or any(stats.get("faults", {}).values()):
        raise RuntimeError(f"the stand-ins were not at zero latency without faults: {stats}")
    report(alone, loaded, uploaded, processes, stats)
    save_json("throughput", {
        "quick": QUICK, "processes": processes, "stand_ins": stats, "upload_s": uploaded,
        "alone": alone, "burst": loaded,
    })


if __name__ == "__main__":
    main()
