"""Loads the generated set into the real schema and builds the HNSW index as migration 0007 does.

The database is made with `scripts/postgres createdb` and migrated by the release `collections
migrate`, so the tables, generated columns and indexes are the application's own. Rows go in
with psycopg's binary COPY (items, then analyses, then embeddings; the vector column in
pgvector's binary format), with the 1,024-dimension HNSW index dropped first. The index is then
built in one transaction as the migrations define it: 0007's table setting (parallel_workers),
`maintenance_work_mem`, and 0004's CREATE INDEX, while another connection watches
`pg_stat_activity` for the parallel workers the build launches.
"""

from __future__ import annotations

import datetime
import re
import struct
import subprocess
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import numpy as np
import psycopg
from psycopg.adapt import Dumper
from psycopg.pq import Format
from psycopg.types import TypeInfo

from common import RELEASE, REPO, progress
from search_data import CATEGORIES, USERS, Corpus, summary

MODEL = "voyage-4"
MIGRATIONS = REPO / "Sources" / "PipelineCore" / "Database" / "Migrations"
INDEX = "embeddings_hnsw_1024"
MAINTENANCE_WORK_MEM = "2GB"
"""For the build: the 100,000-vector graph (about 0.8 GB) fits with room to spare (docs/SEARCH.md)."""
EPOCH = 1_735_689_600  # 2025-01-01T00:00:00Z


def database_url(base: str, name: str) -> str:
    """`base` with its database name replaced by `name`."""
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/{name}"))


def create_database(base_url: str, name: str) -> str:
    """A fresh, empty database `name` migrated by the release `collections migrate`; its URL."""
    subprocess.run([str(REPO / "scripts" / "postgres"), "createdb", name], check=True, stdout=subprocess.DEVNULL)
    url = database_url(base_url, name)
    subprocess.run([str(RELEASE / "collections"), "migrate", "--database-url", url], check=True,
                   stdout=subprocess.DEVNULL)
    return url


def drop_database(base_url: str, name: str) -> None:
    with psycopg.connect(database_url(base_url, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def index_migration() -> Path:
    """The migration that holds the HNSW build settings (0007_*.sql)."""
    found = sorted(MIGRATIONS.glob("0007_*.sql"))
    if len(found) != 1:
        raise SystemExit(f"expected one 0007_*.sql migration in {MIGRATIONS}, found {found}")
    return found[0]


def index_statements(m: int | None = None, ef_construction: int | None = None, workers: int | None = None
                     ) -> list[str]:
    """The index build as the migrations define it: 0007's statements (the table's parallel_workers),
    `maintenance_work_mem`, then the 1,024-dimension CREATE INDEX of 0004, after dropping it.

    The sweep passes other parameters: `m` and `ef_construction` go into the index's WITH clause,
    `workers` replaces the table's parallel_workers."""
    settings = statements(index_migration().read_text())
    if workers is not None:
        settings = [re.sub(r"parallel_workers = \d+", f"parallel_workers = {workers}", s) for s in settings]
    create = [s for s in statements((MIGRATIONS / "0004_embedding_indexes.sql").read_text())
              if s.startswith(f"CREATE INDEX {INDEX} ")]
    if len(create) != 1:
        raise SystemExit(f"0004_embedding_indexes.sql has no single CREATE INDEX {INDEX}")
    statement = create[0]
    if m is not None:
        if " WITH (" in statement:
            raise SystemExit(f"{INDEX} already has a WITH clause; the sweep cannot add one")
        statement = statement.replace("vector_cosine_ops)", f"vector_cosine_ops) WITH (m = {m}, "
                                      f"ef_construction = {ef_construction})")
    return settings + [f"SET LOCAL maintenance_work_mem = '{MAINTENANCE_WORK_MEM}'",
                       f"DROP INDEX IF EXISTS {INDEX}", statement]


def statements(sql: str) -> list[str]:
    """A migration's statements, split at `;` after removing comments (0004 and 0007 have no
    function bodies and no `;` inside a string; this refuses a migration with dollar quoting)."""
    body = re.sub(r"--[^\n]*", "", sql)
    if "$" in body:
        raise SystemExit("the migration holds dollar quoting; split it with SQLScript's rules")
    return [s.strip() for s in body.split(";") if s.strip()]


def vector_dumper(conn: psycopg.Connection) -> None:
    """Teaches the connection to send numpy rows as pgvector `vector` in binary."""
    info = TypeInfo.fetch(conn, "vector")
    if info is None:
        raise SystemExit("the vector extension is not installed in the benchmark database")
    info.register(conn)

    class VectorDumper(Dumper):
        format = Format.BINARY
        oid = info.oid

        def dump(self, obj: np.ndarray) -> bytes:
            return struct.pack(">HH", len(obj), 0) + obj.astype(">f4").tobytes()

    conn.adapters.register_dumper(np.ndarray, VectorDumper)


def ids(rng: np.random.Generator, count: int) -> list[uuid.UUID]:
    raw = rng.bytes(16 * count)
    return [uuid.UUID(bytes=raw[i * 16 : i * 16 + 16], version=4) for i in range(count)]


def load(url: str, corpus: Corpus) -> dict[str, float]:
    """COPYs the corpus into items, analyses and embeddings; seconds taken per table."""
    count = len(corpus.vectors)
    rng = np.random.default_rng(7)
    items, analyses, embeddings = ids(rng, count), ids(rng, count), ids(rng, count)
    timings: dict[str, float] = {}
    with psycopg.connect(url) as conn:
        vector_dumper(conn)
        conn.execute(f"DROP INDEX IF EXISTS {INDEX}")
        start = time.perf_counter()
        with conn.cursor().copy(
            "COPY items (item_id, user_id, bucket, object_key, etag, content_type, format, width, height, bytes,"
            " thumbnail_key, status, created_at, updated_at) FROM STDIN (FORMAT BINARY)"
        ) as copy:
            copy.set_types(["uuid", "text", "text", "text", "text", "text", "text", "int4", "int4", "int8", "text",
                            "text", "timestamptz", "timestamptz"])
            for n in range(count):
                user = USERS[corpus.users[n]]
                created = _time(corpus.days[n])
                copy.write_row((items[n], user, "bench", f"{user}/photo-{n:06d}.jpg", f"etag-{n}", "image/jpeg",
                                "jpeg", 4000, 3000, 2_500_000, f"derived/thumbnails/{user}/photo-{n:06d}.jpg",
                                "embedded", created, created))
        timings["items"] = time.perf_counter() - start
        start = time.perf_counter()
        with conn.cursor().copy(
            "COPY analyses (analysis_id, item_id, etag, model, prompt_version, category, summary, description,"
            " tags, raw, created_at, updated_at) FROM STDIN (FORMAT BINARY)"
        ) as copy:
            copy.set_types(["uuid", "uuid", "text", "text", "text", "text", "text", "text", "text[]", "jsonb",
                            "timestamptz", "timestamptz"])
            for n in range(count):
                text, tags, description = summary(corpus.cluster_words[corpus.clusters[n]], rng)
                created = _time(corpus.days[n])
                copy.write_row((analyses[n], items[n], f"etag-{n}", "claude-bench", "v1",
                                CATEGORIES[corpus.categories[n]], text, description, [str(t) for t in tags],
                                psycopg.types.json.Jsonb({"generated": True}), created, created))
        timings["analyses"] = time.perf_counter() - start
        start = time.perf_counter()
        with conn.cursor().copy(
            "COPY embeddings (embedding_id, item_id, analysis_id, model, dimensions, embedding, content_hash,"
            " total_tokens) FROM STDIN (FORMAT BINARY)"
        ) as copy:
            copy.set_types(["uuid", "uuid", "uuid", "text", "int4", "vector", "text", "int4"])
            for n in range(count):
                copy.write_row((embeddings[n], items[n], analyses[n], MODEL, 1024, corpus.vectors[n], f"hash-{n}", 40))
        timings["embeddings"] = time.perf_counter() - start
        conn.commit()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE items")
        conn.execute("VACUUM ANALYZE analyses")
        conn.execute("VACUUM ANALYZE embeddings")
    return timings


def _time(days_before: int) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(EPOCH - int(days_before) * 86_400 - 3_600, datetime.timezone.utc)


class WorkerWatch:
    """The most parallel workers seen building an index in a database (pg_stat_activity, every 0.5 s)."""

    def __init__(self, url: str):
        self.url = url
        self.most = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self._stop.wait(0.5):
                (workers,) = conn.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'parallel worker'"
                    " AND datname = current_database() AND query ILIKE 'CREATE INDEX%'").fetchone()
                self.most = max(self.most, workers)

    def __enter__(self) -> "WorkerWatch":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def build_index(url: str, build: list[str]) -> dict[str, object]:
    """Runs the build's statements (`index_statements`) in one transaction; time, size and workers seen."""
    progress("building the HNSW index: " + build[-1].split("\n")[0] + " ...")
    notices: list[str] = []
    with psycopg.connect(url) as conn, WorkerWatch(url) as watch:
        conn.add_notice_handler(lambda diag: notices.append(diag.message_primary or ""))
        start = time.perf_counter()
        for statement in build:
            conn.execute(statement)
        conn.commit()
        seconds = time.perf_counter() - start
    with psycopg.connect(url) as conn:
        (size,) = conn.execute("SELECT pg_relation_size(%s::regclass)", (INDEX,)).fetchone()
    for message in notices:
        progress(f"notice: {message}")
    return {"seconds": seconds, "bytes": size, "workers": watch.most, "notices": notices}
