"""A whole ImageProcessor invocation against moto vs its thumbnail and rendition alone.

`collections-bench invocation` runs the real `ImageProcessingStage`, wired as the function's
main.swift wires it (settings and AWS clients made once and reused across invocations, as in
Lambda), on an S3 event for each image: S3 GetObject, render (thumbnail and rendition from one
decode), two PutObjects, PutEvents to a custom bus; against scripts/moto's verifying server
(SigV4 checked). In each round it also times the render alone on the same bytes, in the same
process, and the time the invocation spent in each call (its S3, renderer and bus wrapped in
timers). The bucket and bus are made for the run and removed after it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from common import RELEASE, heading, median, ms, note, progress, repeats, save_json, table
from images import describe, generated, photos

BENCH = RELEASE / "collections-bench"
# A small JPEG, a 20 MP JPEG, the WebP, then the generated 6000×4000 JPEG and 24 MP PNG.
PHOTO_NAMES = ["rocket.jpg", "kleiber.jpg", "dune.webp"]


def moto() -> tuple[str, str, str]:
    """The verifying moto server scripts/moto started: URL, access key id, secret."""
    names = ["COLLECTIONS_TEST_MOTO_URL", "COLLECTIONS_TEST_MOTO_ACCESS_KEY_ID",
             "COLLECTIONS_TEST_MOTO_SECRET_ACCESS_KEY"]
    missing = [name for name in names if not os.environ.get(name)]
    if missing:
        raise SystemExit(f"{', '.join(missing)} not set: run through scripts/bench (eval \"$(scripts/moto env)\")")
    return tuple(os.environ[name] for name in names)


def aws_environment(url: str, key: str, secret: str, bus: str) -> dict[str, str]:
    return dict(os.environ, AWS_ENDPOINT_URL=url, AWS_ACCESS_KEY_ID=key, AWS_SECRET_ACCESS_KEY=secret,
                AWS_REGION="us-east-1", COLLECTIONS_EVENT_BUS_NAME=bus)


def images():
    by_name = {path.name: path for path in photos()}
    return [describe(by_name[name]) for name in PHOTO_NAMES] + [describe(path) for path in generated()]


def run(env: dict[str, str], bucket: str, files: list[str], count: int) -> dict:
    command = [str(BENCH), "invocation", "--repeats", str(count), "--bucket", bucket, *files]
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"collections-bench invocation failed ({done.returncode})")
    return json.loads(done.stdout)


def phase(result: dict, name: str) -> float:
    return median([sample[name] for sample in result["phases_ms"]]) / 1000


def main() -> None:
    import boto3

    if not BENCH.exists():
        raise SystemExit(f"{BENCH} is missing: scripts/bench builds it")
    url, key, secret = moto()
    name = f"bench-invocation-{os.getpid()}"
    session = boto3.session.Session(aws_access_key_id=key, aws_secret_access_key=secret, region_name="us-east-1")
    s3, events = session.client("s3", endpoint_url=url), session.client("events", endpoint_url=url)
    s3.create_bucket(Bucket=name)
    events.create_event_bus(Name=name)
    count = repeats(7)
    inputs = images()
    try:
        progress(f"invocation: {len(inputs)} images, {count} invocations each, against moto at {url}")
        report = run(aws_environment(url, key, secret, name), name, [str(i.path) for i in inputs], count)
    finally:
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=name):
            for item in page.get("Contents", []):
                s3.delete_object(Bucket=name, Key=item["Key"])
        s3.delete_bucket(Bucket=name)
        events.delete_event_bus(Name=name)

    rows = []
    for image, result in zip(inputs, report["files"]):
        inside = [sample["render_ms"] for sample in result["phases_ms"]]
        overhead = median([total - render for total, render in zip(result["invocation_ms"], inside)]) / 1000
        invocation = median(result["invocation_ms"]) / 1000
        rows.append([image.name, f"{image.megapixels:.1f}", image.format, f"{result['bytes'] / 1e6:.1f}",
                     ms(median(result["render_ms"]) / 1000), ms(invocation), ms(overhead),
                     f"{median([t / r for t, r in zip(result['invocation_ms'], inside)]):.2f}×",
                     ms(phase(result, "get_ms")),
                     ms(phase(result, "render_ms")), ms(phase(result, "put_ms")), ms(phase(result, "events_ms"))])
    heading("ImageProcessor invocation")
    table(["image", "MP", "format", "MB", "render alone ms", "invocation ms", "overhead ms", "invocation ÷ render",
           "get ms", "render ms", "2 puts ms", "PutEvents ms"], rows)
    note(f"Median of {count} invocations after a warm-up, in one process (release `collections-bench invocation`): "
         "the real ImageProcessingStage with its S3 and EventBridge clients made once, against moto's verifying "
         "server on this machine (S3 and EventBridge cost what moto costs here, not AWS latency). Render alone: "
         "thumbnail and rendition from the bytes in memory, timed in the same rounds. Overhead: the median over "
         "invocations of the invocation's time minus its own render's (the render column), i.e. event parsing, S3 "
         "get, the two puts (concurrent: first start to last end), PutEvents; invocation ÷ render: the median of "
         "each invocation's time over its own render's.")
    save_json("invocation", report)


if __name__ == "__main__":
    main()
