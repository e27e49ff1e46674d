"""The uploads of the throughput section and what became of them, image by image.

Images: the real photos (each under as many distinct keys as needed) for a quarter of a run, and
JPEGs from scripts/lib/make_load_images.py (48 to 960 px a side, varied content) for the rest, in a
seeded shuffled order. An upload is a boto3 `put_object` to the stack's moto; its start (wall
clock, as the stack's reports are) begins the image's timeline, which the runner's invocation
reports continue: when each function received the image's event and when its response came back.
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from common import REPO, progress
from images import PHOTOS, PHOTO_SUFFIXES
from throughput_stack import FUNCTIONS, LocalStack

UPLOAD_THREADS = 10
"""As many concurrent uploads as `aws s3 cp --recursive` makes."""


@dataclass
class Upload:
    key: str
    data: bytes
    kind: str  # "photo" or "generated"
    started: float = 0.0
    finished: float = 0.0


@dataclass
class Timeline:
    """One image from the start of its upload to its Embedder response (seconds since 1970)."""

    key: str
    kind: str
    upload_started: float
    stages: dict[str, dict] = field(default_factory=dict)  # executable -> its successful report

    @property
    def end_to_end(self) -> float:
        return self.stages["Embedder"]["ended_at"] - self.upload_started

    def steps(self) -> dict[str, float]:
        """Seconds spent in each step; they add up to `end_to_end`.

        A function sends its event to the next stage before it answers, and the next stage may
        take the event before the answer is in, so a function's step ends when it sends its event
        (the event's SQS `SentTimestamp`, in milliseconds): the queue rows run from the send to
        the moment a process took it.
        """
        processor, analyzer, embedder = (self.stages[name] for name in FUNCTIONS)
        return {
            "to ImageProcessor": processor["sent_at"] - self.upload_started,
            "queued for ImageProcessor": processor["received_at"] - processor["sent_at"],
            "ImageProcessor": analyzer["sent_at"] - processor["received_at"],
            "queued for Analyzer": analyzer["received_at"] - analyzer["sent_at"],
            "Analyzer": embedder["sent_at"] - analyzer["received_at"],
            "queued for Embedder": embedder["received_at"] - embedder["sent_at"],
            "Embedder": embedder["ended_at"] - embedder["received_at"],
        }

    def durations(self) -> dict[str, float]:
        """Seconds each function's invocation took, from receiving the event to its answer."""
        return {name: self.stages[name]["duration_ms"] / 1000 for name in FUNCTIONS}


def photo_files() -> list[Path]:
    files = sorted(path for path in PHOTOS.iterdir() if path.suffix.lower() in PHOTO_SUFFIXES)
    if not files:
        raise SystemExit(f"no photos in {PHOTOS}: run scripts/fetch-photos")
    return files


def generated_files(count: int, folder: Path, seed: int) -> list[Path]:
    script = REPO / "scripts" / "lib" / "make_load_images.py"
    subprocess.run([sys.executable, str(script), str(folder), str(count), str(seed)], check=True)
    return sorted(folder.glob("generated-*.jpg"))


def make_uploads(count: int, prefix: str, seed: int) -> list[Upload]:
    """`count` uploads under `prefix`: a quarter (at least one) photos, the rest generated JPEGs."""
    photos = photo_files()
    photo_count = max(1, round(count / 4))
    uploads = []
    for index in range(photo_count):
        path = photos[(index + seed) % len(photos)]
        uploads.append(Upload(f"{prefix}photo-{index:04d}-{path.name}", path.read_bytes(), "photo"))
    if count > photo_count:
        with tempfile.TemporaryDirectory(prefix="collections-throughput-") as folder:
            for path in generated_files(count - photo_count, Path(folder), seed):
                uploads.append(Upload(f"{prefix}{path.name}", path.read_bytes(), "generated"))
    random.Random(seed).shuffle(uploads)
    return uploads


def upload_all(stack: LocalStack, uploads: list[Upload], threads: int = UPLOAD_THREADS) -> None:
    """Puts every upload, `threads` at a time, recording when each started and finished."""
    s3 = stack.s3()

    def put(upload: Upload) -> None:
        upload.started = time.time()
        s3.put_object(Bucket=stack.bucket, Key=upload.key, Body=upload.data, ContentType=content_type(upload.key))
        upload.finished = time.time()

    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(put, uploads))


def content_type(key: str) -> str:
    suffix = key.rsplit(".", 1)[-1].lower()
    return {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}.get(
        suffix, "application/octet-stream"
    )


def embedded(stack: LocalStack, prefix: str) -> int:
    pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    with stack.database() as connection:
        row = connection.execute(
            "SELECT count(DISTINCT e.item_id) FROM items i JOIN embeddings e USING (item_id) "
            "WHERE i.object_key LIKE %s",
            (pattern,),
        ).fetchone()
    return row[0]


def rows(stack: LocalStack, prefix: str) -> dict[str, int]:
    """Items, analyses and embeddings under the prefix; and the item id of each key."""
    pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    counts = {}
    with stack.database() as connection:
        for table in ("items", "analyses", "embeddings"):
            join = "" if table == "items" else f" JOIN {table} t USING (item_id)"
            counts[table] = connection.execute(
                f"SELECT count(*) FROM items i{join} WHERE i.object_key LIKE %s", (pattern,)
            ).fetchone()[0]
    return counts


def item_ids(stack: LocalStack, prefix: str) -> dict[str, str]:
    pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    with stack.database() as connection:
        found = connection.execute(
            "SELECT item_id::text, object_key FROM items WHERE object_key LIKE %s", (pattern,)
        ).fetchall()
    return dict(found)


def wait_until_embedded(stack: LocalStack, prefix: str, count: int, timeout: float, poll: float = 0.1) -> None:
    """Polls PostgreSQL until `count` items under `prefix` have a vector; fails on a dead letter or timeout."""
    start = time.monotonic()
    last_check = 0.0
    reported = -1
    while True:
        done = embedded(stack, prefix)
        if done >= count:
            return
        now = time.monotonic()
        if now - last_check > 1:
            last_check = now
            if stack.dead_letters():
                failures = stack.collections("local", "failures", check=False).stdout
                raise RuntimeError(f"dead letters after {done}/{count} embedded:\n{failures}")
            if count > 1 and done // 50 != reported // 50:
                progress(f"{done}/{count} embedded after {now - start:.1f} s")
                reported = done
        if now - start > timeout:
            raise RuntimeError(f"only {done}/{count} embedded after {timeout:.0f} s")
        time.sleep(poll)


def timelines(
    stack: LocalStack, uploads: list[Upload], prefix: str, timeout: float = 15
) -> tuple[list[Timeline], list[dict]]:
    """Each upload's timeline from the reports; also the reports of failed or repeated invocations.

    The reports come a moment after the rows they are about, so this waits for the last ones.
    """
    ids = item_ids(stack, prefix)
    deadline = time.monotonic() + timeout
    while True:
        found, extra = match_reports(stack.reports(), uploads, ids)
        missing = [timeline.key for timeline in found if len(timeline.stages) < len(FUNCTIONS)]
        if not missing:
            return found, extra
        if time.monotonic() > deadline:
            raise RuntimeError(f"no invocation reports for {len(missing)} uploads, such as {missing[:3]}")
        time.sleep(0.2)


def match_reports(
    reports: list[dict], uploads: list[Upload], ids: dict[str, str]
) -> tuple[list[Timeline], list[dict]]:
    """Each upload's first successful report per stage; the rest (failures, repeats) apart."""
    by_key = {upload.key: Timeline(upload.key, upload.kind, upload.started) for upload in uploads}
    extra = []
    for report in reports:
        # ImageProcessor and Analyzer events name the object key, Embedder's the item id.
        key = ids.get(report["subject"], "") if report["stage"] == "Embedder" else report["subject"]
        timeline = by_key.get(key)
        if timeline is None:
            continue
        if report["outcome"] != "success" or report["stage"] in timeline.stages:
            extra.append(report)
        else:
            timeline.stages[report["stage"]] = report
    return list(by_key.values()), extra
