"""Cold start and peak memory: each packaged function vs a Python boto3 + Pillow handler.

Cold start: each function's Lambda archive (dist/lambda/NAME.zip, unzipped once) is started
through its `bootstrap` with the environment Lambda gives (bench/coldstart_setup.py), against
the shared moto and a migrated database, so its start-up (settings, SSM parameters, clients) is
done for real. The time runs from just before the process is spawned to the moment its first
`GET /2018-06-01/runtime/invocation/next` reaches our Runtime API server (bench/runtime_api.py);
then the process is killed. The Python handler (bench/python_handler/, ImageProcessor's job
with boto3 + Pillow, clients created at import) is started the same way with the virtual
environment's Python. Runs are interleaved round-robin after one untimed warm-up each; files are
in the page cache, as after a first start.

First invocation: spawn to the first invocation's response, for ImageProcessor and the Python
handler on a photo in moto's S3 (what an upload waits for on a cold start).

Peak memory: the process's `VmHWM` (peak resident set, /proc/PID/status) after it answered one
event for a 6000×4000 JPEG and a 24 MP PNG, read before the process is killed.
"""

from __future__ import annotations

from pathlib import Path

import images
from coldstart_setup import ARCHIVES, Function, Stage
from common import QUICK, heading, median, ms, note, p95, progress, ratio, repeats, save_json, table
from lambda_process import process_floor, run

FUNCTIONS = ["ImageProcessor", "Analyzer", "Embedder"]
FIRST_PHOTO = "bridge.jpg"
"""A 4352×2448 JPEG of 0.9 MB: a phone-sized photo."""


def big_images() -> dict[str, Path]:
    """The thumbnail section's generated 6000×4000 JPEG and 24 MP PNG (bench/images.py)."""
    return {("6000×4000 JPEG" if p.suffix == ".jpg" else "24 MP PNG"): p for p in images.generated()}


def archive_mib(name: str, root: Path) -> tuple[float, float]:
    """(unzipped, zipped) size of a function's archive in MiB."""
    unzipped = sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and not p.is_symlink())
    return unzipped / 1048576, (ARCHIVES / f"{name}.zip").stat().st_size / 1048576


def measure_cold_starts(functions: list[Function], logs: Path, count: int) -> dict[str, list[tuple[float, int]]]:
    """Per function: (seconds to the first `next`, peak RSS bytes then) of each of `count` processes."""
    samples: dict[str, list[tuple[float, int]]] = {f.name: [] for f in functions}
    for round_ in range(count + 1):
        progress(f"cold starts: round {round_}/{count}")
        for function in functions:
            started = run(function, logs / f"{function.name}.log")
            if round_ > 0:
                samples[function.name].append((started.init, started.init_peak_rss_bytes))
    return samples


def measure_invocations(functions: list[Function], stage: Stage, logs: Path, key: str, image: Path, count: int):
    """Per function: (init seconds, answer seconds, peak RSS bytes) of each of `count` fresh processes."""
    event = stage.upload(key, image.read_bytes())
    results: dict[str, list] = {f.name: [] for f in functions}
    for round_ in range(count):
        progress(f"{image.name}: round {round_ + 1}/{count}")
        for function in functions:
            done = run(function, logs / f"{function.name}-invoke.log", event)
            results[function.name].append((done.init, done.answered, done.peak_rss_bytes))
    return results


def main() -> None:
    stage = Stage()
    try:
        logs = stage.temp / "logs"
        logs.mkdir()
        packaged = [stage.packaged(name) for name in FUNCTIONS]
        python = stage.python()
        everyone = packaged + [python]

        count = repeats(20, 3)
        floor = process_floor(count)
        cold = measure_cold_starts(everyone, logs, count)
        pair = [packaged[0], python]
        photo = images.PHOTOS / FIRST_PHOTO
        first = measure_invocations(pair, stage, logs, f"bench/{FIRST_PHOTO}", photo, repeats(10, 2))
        memory = {
            label: measure_invocations(pair, stage, logs, f"bench/big/{path.name}", path, repeats(3, 1))
            for label, path in big_images().items()
        }
        sizes = {f.name: archive_mib(f.name, f.root) for f in packaged}
        report(everyone, python, floor, cold, first, memory, sizes)
    finally:
        stage.close()


def report(everyone, python, floor, cold, first, memory, sizes) -> None:
    reference = median([t for t, _ in cold[python.name]])
    heading("Cold start: process start to the first Runtime API `next`")
    rows = [["`/bin/true` (process start, for scale)", ms(median(floor)), ms(p95(floor)), "", "", "", ""]]
    for function in everyone:
        times = [t for t, _ in cold[function.name]]
        rss = median([m for _, m in cold[function.name]]) / 1048576
        unzipped, zipped = (f"{v:.1f}" for v in sizes[function.name]) if function.name in sizes else ("n/a", "n/a")
        rows.append([
            function.name, ms(median(times)), ms(p95(times)), ratio(median(times), reference), f"{rss:.0f}",
            unzipped, zipped,
        ])
    table(["function", "median ms", "p95 ms", "vs Python", "RSS at `next` MiB", "unzipped MiB", "zip MiB"], rows)

    heading("First invocation after a cold start (spawn to the response)")
    processor, rows = everyone[0].name, []
    python_answer = median([a for _, a, _ in first[python.name]])
    for name in (processor, python.name):
        inits, answers = [i for i, _, _ in first[name]], [a for _, a, _ in first[name]]
        answer = median(answers)
        rows.append([name, ms(median(inits)), ms(answer), ms(p95(answers)), ratio(answer, python_answer)])
    table(["function", "init median ms", "answered median ms", "answered p95 ms", "vs Python"], rows)
    note(f"One photo ({FIRST_PHOTO}, 4352×2448, 0.9 MB) from moto's S3: read, rendition and thumbnail, two S3 "
         "writes, one PutEvents.")

    heading("Peak memory of one invocation (VmHWM)")
    rows = []
    for label, results in memory.items():
        reference_bytes = median([m for _, _, m in results[python.name]])
        for name in (processor, python.name):
            peak = median([m for _, _, m in results[name]])
            answer = median([a for _, a, _ in results[name]])
            rows.append([label, name, f"{peak / 1048576:.0f}", ratio(peak, reference_bytes), ms(answer)])
    table(["image", "function", "peak RSS MiB", "vs Python", "spawn to response ms"], rows)
    note("Processes run on this machine with the archive's files in the page cache; Lambda adds fetching the "
         "code and starting the sandbox. The Python figure is our minimal urllib Runtime API loop "
         "(bench/python_handler/bootstrap.py) importing the handler: Lambda's own Python runtime does more set-up "
         f"before that. {'QUICK run: figures not meaningful.' if QUICK else ''}".strip())
    save_json("coldstart", {
        "floor_s": floor, "cold_start_s_and_rss_bytes": {k: [list(r) for r in v] for k, v in cold.items()},
        "archive_mib_unzipped_zipped": sizes,
        "first_invocation": {k: [list(r) for r in v] for k, v in first.items()},
        "peak_memory": {label: {k: [list(r) for r in v] for k, v in res.items()} for label, res in memory.items()},
    })


if __name__ == "__main__":
    main()
