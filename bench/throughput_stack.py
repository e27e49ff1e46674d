"""A private local stack for the throughput section: `collections local up` on the release binaries.

`collections local up` runs the function binaries that sit beside the `collections` it is started
from, so starting `.build-static/release/collections` runs the release builds of ImageProcessor,
Analyzer and Embedder. The stack gets its own state folder (.collections/bench/throughput-stack),
its own moto (the first free port from 54370, not the shared one), its own stand-ins, and its own
database `bench_throughput` on the shared PostgreSQL, made afresh each run. The environment is
cleaned of AWS_*, ANTHROPIC_*, VOYAGE_*, DATABASE_URL and LOG_LEVEL, so the stand-ins are used and
the runner logs its invocation reports (level info).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import urllib.request
from pathlib import Path

import boto3
import psycopg
from botocore.config import Config

from common import RELEASE, REPO, RESULTS, progress

DATABASE = "bench_throughput"
STATE_DIR = RESULTS / "throughput-stack"
FUNCTIONS = ("ImageProcessor", "Analyzer", "Embedder")


def stack_environment(state_dir: Path) -> dict[str, str]:
    """The caller's environment without what would point the stack at other servers or keys."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AWS_", "ANTHROPIC_", "VOYAGE_")) and key not in ("DATABASE_URL", "LOG_LEVEL")
    }
    environment["COLLECTIONS_LOCAL_DIR"] = str(state_dir)
    return environment


class LocalStack:
    """One local stack: start, upload to it, read its reports and queues, stop."""

    def __init__(self, state_dir: Path = STATE_DIR):
        self.state_dir = state_dir
        self.environment = stack_environment(state_dir)
        self.state: dict = {}
        self._s3 = None

    def collections(self, *arguments: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [str(RELEASE / "collections"), *arguments], env=self.environment, cwd=REPO, capture_output=True, text=True
        )
        if check and result.returncode != 0:
            raise RuntimeError(f"collections {' '.join(arguments)} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def up(self) -> None:
        """A fresh stack: any previous one in the folder stopped, its logs removed, an empty database."""
        if (self.state_dir / "stack.json").exists():
            self.collections("local", "down", check=False)
        shutil.rmtree(self.state_dir, ignore_errors=True)
        subprocess.run([str(REPO / "scripts/postgres"), "createdb", DATABASE], check=True, capture_output=True)
        progress("starting the local stack (release binaries, stand-ins without latency or faults)")
        self.collections("local", "up", "--database", DATABASE, "--faults", "")
        self.state = json.loads((self.state_dir / "stack.json").read_text())
        if self.state.get("claude") != "stand-in" or self.state.get("voyage") != "stand-in":
            models = f"Claude: {self.state.get('claude')}, Voyage: {self.state.get('voyage')}"
            raise RuntimeError(f"the stack does not use the stand-ins ({models})")

    def down(self) -> None:
        if (self.state_dir / "stack.json").exists():
            result = self.collections("local", "down", check=False)
            if result.returncode != 0:
                progress(f"collections local down failed: {result.stdout}{result.stderr}")

    @property
    def bucket(self) -> str:
        return self.state["bucket"]

    def processes(self) -> dict[str, int]:
        return {function["executable"]: function["processes"] for function in self.state["functions"]}

    def _client(self, service: str):
        environment = self.state["clientEnvironment"]
        return boto3.client(
            service,
            endpoint_url=self.state["endpoint"],
            region_name=environment["AWS_REGION"],
            aws_access_key_id=environment["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=environment["AWS_SECRET_ACCESS_KEY"],
            config=Config(max_pool_connections=32, retries={"max_attempts": 1}),
        )

    def s3(self):
        if self._s3 is None:
            self._s3 = self._client("s3")
        return self._s3

    def dead_letters(self) -> int:
        """Messages in the functions' dead-letter queues, visible or not."""
        sqs = self._client("sqs")
        total = 0
        for function in self.state["functions"]:
            attributes = sqs.get_queue_attributes(
                QueueUrl=function["deadLetterURL"],
                AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
            )["Attributes"]
            total += sum(int(value) for value in attributes.values())
        return total

    def database(self) -> psycopg.Connection:
        return psycopg.connect(self.state["databaseURL"], autocommit=True)

    def stand_in_stats(self) -> dict:
        """The stand-ins' own counts: their fault plan (with any latency), requests and faults."""
        with urllib.request.urlopen(self.state["standInsURL"] + "/stand-ins/stats", timeout=10) as response:
            return json.loads(response.read())

    def reports(self) -> list[dict]:
        """The runner's invocation reports so far, with the function's executable name added."""
        names = {function["name"]: function["executable"] for function in self.state["functions"]}
        found = []
        log = self.state_dir / "logs" / "runner.log"
        for line in log.read_text(errors="replace").splitlines():
            if '"invocation report"' not in line:
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            if record.get("message") != "invocation report":
                continue
            record["stage"] = names.get(record["function"], record["function"])
            for field in ("sent_at", "received_at", "ended_at", "duration_ms", "queued_ms"):
                if field in record:
                    record[field] = float(record[field])
            found.append(record)
        return found
