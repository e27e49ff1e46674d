"""Runs the benchmark's searches and scores them.

Approximate searches go through the production code: the release `collections-bench search`
calls `SearchRepository.search` (a read-only transaction that sets `hnsw.ef_search` and
`hnsw.iterative_scan`, then the statement `collections search` runs) once per query vector, after
a warm-up, and reports each search's client-side latency and the item IDs it returned. The
reference is the same search done exactly: the same joins and filters ordered by the same
distance with index scans turned off, so PostgreSQL compares the query with every stored vector
(a parallel sequential scan). Recall@10 is the share of the exact top 10, computed with numpy over
the generated vectors, that a search returned.
"""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import numpy as np
import psycopg

from common import RELEASE, median, p95
from search_load import MODEL, vector_dumper

EXACT_SQL = """
SELECT i.object_key
FROM embeddings e
JOIN items i ON i.item_id = e.item_id
JOIN analyses a ON a.analysis_id = e.analysis_id AND a.etag = i.etag
WHERE e.model = %(model)s AND e.dimensions = 1024 AND i.status <> 'failed'
    AND (%(user)s::text IS NULL OR i.user_id = %(user)s)
ORDER BY (e.embedding::vector(1024)) <=> %(vector)s::vector(1024)
LIMIT 10
"""


def row_of(object_key: str) -> int:
    """The corpus row an object key was made from (`user07/photo-012345.jpg` is row 12345)."""
    return int(object_key.rsplit("-", 1)[1].split(".")[0])


def item_rows(url: str) -> dict[str, int]:
    """Item ID (upper-case, as Swift prints a UUID) to corpus row."""
    with psycopg.connect(url) as conn:
        return {str(item).upper(): row_of(key) for item, key in conn.execute("SELECT item_id, object_key FROM items")}


def write_queries(directory: Path, vectors: np.ndarray, texts: list[str], name: str = "search-queries"
                  ) -> tuple[Path, Path]:
    """The query vectors as little-endian float32 and their texts, one per line, for the Swift side."""
    directory.mkdir(parents=True, exist_ok=True)
    vectors_path, texts_path = directory / f"{name}.f32", directory / f"{name}.txt"
    vectors.astype("<f4").tofile(vectors_path)
    texts_path.write_text("".join(f"{text}\n" for text in texts))
    return vectors_path, texts_path


def run_searches(url: str, vectors: Path, ef_search: list[int], *, mode: str = "vector", user: str | None = None,
                 texts: Path | None = None, warmup: int = 20) -> list[dict]:
    """`collections-bench search` over the query file: one pass per ef_search value."""
    command = [str(RELEASE / "collections-bench"), "search", "--database-url", url, "--queries", str(vectors),
               "--ef-search", ",".join(map(str, ef_search)), "--limit", "10", "--mode", mode, "--model", MODEL,
               "--warmup", str(warmup)]
    if user:
        command += ["--user", user]
    if texts:
        command += ["--texts", str(texts)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"collections-bench search failed ({done.returncode}):\n{done.stderr.strip()}")
    return json.loads(done.stdout)["passes"]


def score(passes: list[dict], truth: np.ndarray, rows: dict[str, int]) -> list[dict]:
    """Recall@10, median and p95 latency (seconds) of each pass."""
    scored = []
    for run in passes:
        recalls = [recall(ids, expected, rows) for ids, expected in zip(run["item_ids"], truth)]
        latencies = [value / 1000 for value in run["latency_ms"]]
        scored.append({"ef_search": run["ef_search"], "recall": float(np.mean(recalls)),
                       "median": median(latencies), "p95": p95(latencies),
                       "short": sum(len(ids) < 10 for ids in run["item_ids"]), "count": len(latencies)})
    return scored


def recall(item_ids: list[str], expected: np.ndarray, rows: dict[str, int]) -> float:
    found = {rows[item] for item in item_ids}
    return len(found & set(expected.tolist())) / len(expected)


def exact_scan(url: str, vectors: np.ndarray, truth: np.ndarray, user: str | None = None) -> dict:
    """The search done exactly in SQL (index scans off): latency of each query and its recall."""
    latencies, recalls = [], []
    with psycopg.connect(url) as conn:
        vector_dumper(conn)
        conn.execute("SET enable_indexscan = off")
        conn.execute(EXACT_SQL, {"model": MODEL, "user": user, "vector": vectors[0]}).fetchall()  # warm-up
        for vector, expected in zip(vectors, truth):
            start = time.perf_counter()
            keys = [key for (key,) in conn.execute(EXACT_SQL, {"model": MODEL, "user": user, "vector": vector})]
            latencies.append(time.perf_counter() - start)
            recalls.append(len({row_of(key) for key in keys} & set(expected.tolist())) / len(expected))
        plan = "\n".join(line for (line,) in conn.execute(
            "EXPLAIN " + EXACT_SQL, {"model": MODEL, "user": user, "vector": vectors[0]}))
    if "Index Scan using embeddings_hnsw" in plan:
        raise SystemExit(f"the exact scan used the HNSW index:\n{plan}")
    return {"recall": float(np.mean(recalls)), "median": median(latencies), "p95": p95(latencies),
            "count": len(latencies), "parallel": "Gather" in plan}


def plan(url: str, vector: np.ndarray, ef_search: int) -> str:
    """EXPLAIN of the exact statement with index scans on: what the index-backed plan looks like."""
    with psycopg.connect(url) as conn:
        vector_dumper(conn)
        conn.execute(f"SET hnsw.ef_search = {int(ef_search)}")
        return "\n".join(line for (line,) in conn.execute(
            "EXPLAIN " + EXACT_SQL, {"model": MODEL, "user": None, "vector": vector}))


# The vector statement of SearchRepository with the item's current version checked through an
# opaque CASE: written as `a.etag = i.etag`, PostgreSQL multiplies that clause's selectivity
# (1 / distinct ETags) into the join estimate, expects one row, and sorts the whole table instead
# of walking the HNSW index. The sweep times this statement from Python (docs/SEARCH.md).
SWEEP_SQL = """
WITH nearest AS MATERIALIZED (
    SELECT e.item_id, (e.embedding::vector(1024)) <=> %(vector)s::vector(1024) AS distance
    FROM embeddings e
    JOIN items i ON i.item_id = e.item_id
    JOIN analyses a ON a.analysis_id = e.analysis_id
    WHERE e.model = %(model)s AND e.dimensions = 1024 AND i.status <> 'failed'
        AND CASE WHEN a.etag = i.etag THEN true END
        AND (%(user)s::text IS NULL OR i.user_id = %(user)s)
    ORDER BY distance
    LIMIT 10)
SELECT item_id FROM nearest ORDER BY distance
"""


def sql_searches(url: str, vectors: np.ndarray, ef_search: list[int], user: str | None = None,
                 warmup: int = 20) -> list[dict]:
    """SWEEP_SQL from psycopg, in the passes format of `run_searches` (one transaction per search).

    Sequential scans are off in these transactions: with m above 16 pgvector's cost estimate
    grows and the planner sorts the table instead, which would compare nothing about the graph."""
    passes = []
    with psycopg.connect(url) as conn:
        vector_dumper(conn)
        for ef in ef_search:
            settings = ("SELECT set_config('hnsw.ef_search', %s, true), "
                        "set_config('hnsw.iterative_scan', 'relaxed_order', true), "
                        "set_config('enable_seqscan', 'off', true)")
            params = {"model": MODEL, "user": user, "vector": vectors[0]}
            with conn.transaction():
                conn.execute(settings, (str(ef),))
                explained = "\n".join(row[0] for row in conn.execute("EXPLAIN " + SWEEP_SQL, params))
            if "embeddings_hnsw_1024" not in explained:
                raise SystemExit(f"the sweep's statement does not use the HNSW index:\n{explained}")
            latencies, ids = [], []
            for index, vector in enumerate(list(vectors[:warmup]) + list(vectors)):
                start = time.perf_counter()
                with conn.transaction():
                    conn.execute(settings, (str(ef),))
                    found = [str(item).upper() for (item,) in conn.execute(SWEEP_SQL, {**params, "vector": vector})]
                if index >= warmup:
                    latencies.append((time.perf_counter() - start) * 1000)
                    ids.append(found)
            passes.append({"ef_search": ef, "latency_ms": latencies, "item_ids": ids})
    return passes
