"""What the cold-start benchmark (bench/coldstart.py) runs the functions against.

`Stage` makes a bucket, an event bus and the SSM parameters (database URL, API keys) in the
shared moto (the verifying server, with its access key), a migrated database `bench_coldstart`,
unzips each packaged archive from dist/lambda once, and gives each function the environment
Lambda would (`AWS_LAMBDA_*`, `_HANDLER`, `LAMBDA_TASK_ROOT`, region, credentials) plus its own
settings from infrastructure/template.yaml, so that each function's start-up succeeds for real.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import boto3

from common import REPO, RELEASE

ARCHIVES = REPO / "dist" / "lambda"
DATABASE = "bench_coldstart"
REGION = "us-east-1"
OUTPUT_PREFIX = "derived/"
PYTHON_HANDLER = REPO / "bench" / "python_handler"
MEMORY_MB = {"ImageProcessor": 1024, "Analyzer": 512, "Embedder": 256}
"""The template's MemorySize defaults; the Python handler does ImageProcessor's job."""


@dataclass
class Function:
    """One function as the benchmark starts it."""

    name: str
    command: list[str]
    environment: dict[str, str]
    root: Path
    """The task root (the unzipped archive, or the Python handler's folder)."""


def require(variable: str) -> str:
    value = os.environ.get(variable)
    if not value:
        raise SystemExit(f"coldstart: {variable} is not set; run this through scripts/bench")
    return value


class Stage:
    """The moto resources, database and unzipped archives; `close()` removes the temporary files."""

    def __init__(self) -> None:
        self.endpoint = require("COLLECTIONS_TEST_MOTO_URL")
        self.access_key = require("COLLECTIONS_TEST_MOTO_ACCESS_KEY_ID")
        self.secret_key = require("COLLECTIONS_TEST_MOTO_SECRET_ACCESS_KEY")
        self.tag = f"bench-coldstart-{os.getpid()}"
        self.bucket = self.tag
        self.bus = self.tag
        self.temp = Path(tempfile.mkdtemp(prefix="collections-coldstart-"))
        self.parameters = {
            "database": f"/{self.tag}/database-url",
            "anthropic": f"/{self.tag}/anthropic-api-key",
            "voyage": f"/{self.tag}/voyage-api-key",
        }
        self.s3 = self.client("s3")
        self.s3.create_bucket(Bucket=self.bucket)
        self.client("events").create_event_bus(Name=self.bus)
        ssm = self.client("ssm")
        values = {"database": self._database_url(), "anthropic": "sk-ant-bench", "voyage": "pa-bench"}
        for role, name in self.parameters.items():
            ssm.put_parameter(Name=name, Value=values[role], Type="SecureString", Overwrite=True)

    def client(self, service: str):
        return boto3.client(
            service, endpoint_url=self.endpoint, region_name=REGION,
            aws_access_key_id=self.access_key, aws_secret_access_key=self.secret_key)

    def _database_url(self) -> str:
        subprocess.run([REPO / "scripts" / "postgres", "createdb", DATABASE], check=True, capture_output=True)
        url = subprocess.run(
            [REPO / "scripts" / "postgres", "url", DATABASE], check=True, capture_output=True, text=True
        ).stdout.strip()
        tool = next((p for p in (RELEASE / "collections", REPO / ".build" / "debug" / "collections") if p.exists()),
                    RELEASE / "collections")
        subprocess.run(
            [tool, "migrate"], check=True, capture_output=True,
            env=os.environ | {"DATABASE_URL": url})
        return url

    def unpack(self, name: str) -> Path:
        """Unzips dist/lambda/NAME.zip once, keeping modes, as Lambda does into /var/task."""
        root = self.temp / name
        if not root.exists():
            with zipfile.ZipFile(ARCHIVES / f"{name}.zip") as archive:
                for info in archive.infolist():
                    path = Path(archive.extract(info, root))
                    mode = info.external_attr >> 16
                    if mode:
                        path.chmod(mode & 0o7777)
        return root

    def base_environment(self, name: str, root: Path, handler: str) -> dict[str, str]:
        """What Lambda sets for every function, pointed at moto."""
        return {
            "PATH": "/usr/local/bin:/usr/bin/:/bin",
            "LANG": "en_US.UTF-8",
            "TZ": ":UTC",
            "_HANDLER": handler,
            "LAMBDA_TASK_ROOT": str(root),
            "AWS_LAMBDA_FUNCTION_NAME": f"collections-bench-{name}",
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(MEMORY_MB.get(name, 1024)),
            "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/collections-bench-{name}",
            "AWS_EXECUTION_ENV": "AWS_Lambda_provided.al2023" if handler == "bootstrap" else "AWS_Lambda_python3.11",
            "AWS_REGION": REGION,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
            "AWS_ENDPOINT_URL": self.endpoint,
        }

    def settings(self, name: str) -> dict[str, str]:
        """The function's own variables, as infrastructure/template.yaml sets them."""
        common = {"COLLECTIONS_EVENT_BUS_NAME": self.bus}
        if name == "ImageProcessor":
            return common | {
                "COLLECTIONS_THUMBNAIL_PREFIX": f"{OUTPUT_PREFIX}thumbnails/",
                "COLLECTIONS_RENDITION_PREFIX": f"{OUTPUT_PREFIX}renditions/",
                "COLLECTIONS_THUMBNAIL_SIZE": "512",
            }
        if name == "Analyzer":
            return common | {
                "COLLECTIONS_RENDITION_PREFIX": f"{OUTPUT_PREFIX}renditions/",
                "COLLECTIONS_DATABASE_URL_PARAMETER": self.parameters["database"],
                "COLLECTIONS_ANTHROPIC_API_KEY_PARAMETER": self.parameters["anthropic"],
                "COLLECTIONS_CLAUDE_MODEL": "claude-haiku-5-5",
            }
        return common | {
            "COLLECTIONS_DATABASE_URL_PARAMETER": self.parameters["database"],
            "COLLECTIONS_VOYAGE_API_KEY_PARAMETER": self.parameters["voyage"],
            "COLLECTIONS_VOYAGE_MODEL": "voyage-4",
            "COLLECTIONS_EMBEDDING_DIMENSIONS": "1024",
        }

    def packaged(self, name: str) -> Function:
        """A packaged function, started through its archive's `bootstrap`."""
        root = self.unpack(name)
        environment = self.base_environment(name, root, "bootstrap") | self.settings(name)
        return Function(name, [str(root / "bootstrap")], environment, root)

    def python(self) -> Function:
        """The Python handler doing ImageProcessor's job, started as Lambda's Python runtime would."""
        environment = self.base_environment("python", PYTHON_HANDLER, "handler.handler")
        environment |= self.settings("ImageProcessor")
        command = [str(REPO / ".venv" / "bin" / "python"), str(PYTHON_HANDLER / "bootstrap.py")]
        return Function("Python (boto3 + Pillow)", command, environment, PYTHON_HANDLER)

    def upload(self, key: str, data: bytes) -> dict:
        """Puts an object and returns the EventBridge "Object Created" event S3 sends for it."""
        etag = self.s3.put_object(Bucket=self.bucket, Key=key, Body=data)["ETag"].strip('"')
        return {
            "version": "0", "id": os.urandom(16).hex(), "detail-type": "Object Created", "source": "aws.s3",
            "account": "123456789012", "time": "2026-11-21T09:00:00Z", "region": REGION,
            "resources": [f"arn:aws:s3:::{self.bucket}"],
            "detail": {
                "version": "0", "bucket": {"name": self.bucket},
                "object": {"key": key, "size": len(data), "etag": etag, "sequencer": "0055AED6DCD90281E5"},
                "request-id": "BENCH", "requester": "123456789012", "source-ip-address": "127.0.0.1",
                "reason": "PutObject",
            },
        }

    def close(self) -> None:
        shutil.rmtree(self.temp, ignore_errors=True)
