"""Search at scale: 100,000 clustered 1,024-dimension vectors in the real schema.

Measured: the binary COPY of the rows; the HNSW index build as migrations 0004 and 0007 define it (its
time, size and the parallel workers seen); for several `ef_search` values, recall@10 against the
exact top 10 and the median and p95 client-side latency of `SearchRepository.search` (through
`collections-bench search`), with the exact scan in SQL as the reference row; the same for one
user's items (a filter keeping about 10%) and the hybrid mode's latency. The vectors and the ground
truth come from `search_data.py` (clustered, seeded), the loading and the build from
`search_load.py`, the searches and scoring from `search_queries.py`.

    .venv/bin/python bench/search.py [--sweep] [--keep]

`--sweep` (or COLLECTIONS_BENCH_SEARCH_SWEEP=1) also rebuilds the index for several (m,
ef_construction) pairs and once without parallel workers: slow, for docs/SEARCH.md, not in the
default run. QUICK (`scripts/bench --quick`): 10,000 vectors, 50 queries. The database
`bench_search` is left for inspection (`--keep` is the default; `--drop` removes it).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import QUICK, RESULTS, heading, ms, note, progress, ratio, save_json, table  # noqa: E402
from search_data import USERS, Generator, describe  # noqa: E402
from search_load import (INDEX, MAINTENANCE_WORK_MEM, build_index, create_database, drop_database,  # noqa: E402
                         index_statements, load)
from search_queries import exact_scan, item_rows, run_searches, score, sql_searches, write_queries  # noqa: E402

DATABASE = "bench_search_quick" if QUICK else "bench_search"
COUNT, CLUSTERS, QUERIES = (10_000, 100, 50) if QUICK else (100_000, 1_000, 200)
EF_SEARCH = [10, 20, 40, 64, 100, 200, 400]
FILTERED_EF_SEARCH = [40, 100, 200]
SWEEP = [(16, 64, 2), (16, 128, 2), (24, 128, 2), (32, 200, 2), (16, 64, 1), (16, 64, 0)]
"""(m, ef_construction, the table's parallel_workers) for --sweep."""
RECALL_TARGET, P95_TARGET = 0.95, 0.010


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sweep", action="store_true", default=os.environ.get("COLLECTIONS_BENCH_SEARCH_SWEEP") == "1")
    parser.add_argument("--drop", action="store_true", help="drop the benchmark database at the end")
    args = parser.parse_args()
    base = os.environ.get("COLLECTIONS_BENCH_DATABASE_URL")
    if not base:
        raise SystemExit("COLLECTIONS_BENCH_DATABASE_URL is not set (scripts/bench sets it)")

    progress(f"search: generating {COUNT:,} clustered vectors and {QUERIES} queries")
    generator = Generator(CLUSTERS)
    corpus = generator.corpus(COUNT)
    queries = generator.queries(corpus, QUERIES)
    shape = describe(corpus, queries)
    progress("search: creating and migrating " + DATABASE)
    url = create_database(base, DATABASE)
    progress("search: loading rows (binary COPY)")
    copy = load(url, corpus)
    rows = item_rows(url)
    vectors_file, texts_file = write_queries(RESULTS, queries.vectors, queries.words)

    progress("search: building the index as migrations 0004 and 0007 define it")
    build = build_index(url, index_statements())
    progress(f"search: index built in {build['seconds']:.0f} s with {build['workers']} parallel workers seen")
    exact = exact_scan(url, queries.vectors[: 5 if QUICK else 20], queries.truth)
    user = USERS[queries.user]
    exact_user = exact_scan(url, queries.vectors[: 5 if QUICK else 20], queries.user_truth, user)
    if exact["recall"] < 1.0 or exact_user["recall"] < 1.0:
        raise SystemExit(f"the exact scan disagrees with numpy's top 10 (recall {exact['recall']:.3f}, "
                         f"filtered {exact_user['recall']:.3f}): the ground truth or the loading is wrong")
    # A probe of 10 searches first: if the production statement does not use the index, each
    # search is an exact scan and the full set would take many minutes.
    probe_vectors, probe_texts = write_queries(RESULTS, queries.vectors[:10], queries.words[:10], "search-probe")
    probe = score(run_searches(url, probe_vectors, [chosen_ef_search()], warmup=2), queries.truth[:10], rows)
    count, ef_values, filtered_values = len(queries.vectors), EF_SEARCH, FILTERED_EF_SEARCH
    if probe[0]["median"] > exact["median"] / 2:
        progress("search: SearchRepository's statement is as slow as the exact scan (it does not use the HNSW "
                 "index); measuring 10 searches at the default ef_search only")
        vectors_file, texts_file = probe_vectors, probe_texts
        count, ef_values, filtered_values = 10, [chosen_ef_search()], [chosen_ef_search()]
    progress("search: vector searches")
    vector = score(run_searches(url, vectors_file, ef_values), queries.truth[:count], rows)
    progress("search: filtered and hybrid searches")
    filtered = score(run_searches(url, vectors_file, filtered_values, user=user), queries.user_truth[:count], rows)
    hybrid = score(run_searches(url, vectors_file, [chosen_ef_search()], mode="hybrid", texts=texts_file),
                   queries.truth[:count], rows)

    report(copy, build, exact, exact_user, vector, filtered, hybrid, shape)
    results = {"count": COUNT, "queries": count, "shape": shape, "copy_seconds": copy, "build": build,
               "exact": exact, "exact_filtered": exact_user, "vector": vector, "filtered": filtered,
               "hybrid": hybrid}
    if args.sweep:
        results["sweep"] = sweep(url, queries.vectors, queries.truth, rows)
    save_json("search", results)
    if args.drop:
        drop_database(base, DATABASE)
    check(vector)


def chosen_ef_search() -> int:
    """SearchTuning.efSearch, read from the Swift source: the value `collections search` uses."""
    source = (Path(__file__).resolve().parent.parent / "Sources" / "PipelineCore" / "Database"
              / "SearchTuning.swift").read_text()
    found = re.search(r"static let efSearch = (\d+)", source)
    if not found:
        raise SystemExit("SearchTuning.swift has no `static let efSearch = N`")
    return int(found.group(1))


def report(copy, build, exact, exact_user, vector, filtered, hybrid, shape) -> None:
    chosen = chosen_ef_search()
    heading(f"Search: {COUNT:,} clustered 1,024-dimension vectors")
    note(f"Binary COPY of {COUNT:,} embeddings: {copy['embeddings']:.1f} s (items {copy['items']:.1f} s, "
         f"analyses {copy['analyses']:.1f} s). HNSW build of `{INDEX}` as migrations 0004 and 0007 define it "
         f"(maintenance_work_mem {MAINTENANCE_WORK_MEM}): {build['seconds']:.0f} s, {build['workers']} parallel "
         "workers seen, index "
         f"{build['bytes'] / 2**20:.0f} MiB.")
    rows = [["exact scan (no index)", f"{exact['recall']:.3f}", ms(exact["median"]), ms(exact["p95"]), "1.00×"]]
    for run in vector:
        marker = " (default)" if run["ef_search"] == chosen else ""
        rows.append([f"HNSW, ef_search {run['ef_search']}{marker}", f"{run['recall']:.3f}", ms(run["median"]),
                     ms(run["p95"]), ratio(run["median"], exact["median"])])
    table(["search (top 10)", "recall@10", "median ms", "p95 ms", "vs exact scan"], rows)
    if min(run["median"] for run in vector) > exact["median"] / 2:
        note("**Every ef_search took about as long as the exact scan: SearchRepository's statement did not walk "
             "the HNSW index** (the planner chose to sort the whole table; docs/SEARCH.md, \"The plan\").")
    rows = [["exact scan (no index)", f"{exact_user['recall']:.3f}", ms(exact_user["median"]),
             ms(exact_user["p95"]), "1.00×", "0"]]
    for run in filtered:
        rows.append([f"HNSW, ef_search {run['ef_search']}", f"{run['recall']:.3f}", ms(run["median"]),
                     ms(run["p95"]), ratio(run["median"], exact_user["median"]), str(run["short"])])
    note(f"One user's items (about {100 // len(USERS)}%), iterative index scan (relaxed order):")
    table(["filtered search", "recall@10", "median ms", "p95 ms", "vs exact scan", "short pages"], rows)
    for run in hybrid:
        note(f"Hybrid (vector + full text, fused by rank) at ef_search {run['ef_search']}: median "
             f"{ms(run['median'])} ms, p95 {ms(run['p95'])} ms, {ratio(run['median'], exact['median'])} the exact "
             f"scan's median.")
    note(f"{vector[0]['count']} held-out queries ({exact['count']} for the exact scans), "
         "each through `SearchRepository.search` on one connection after 20 warm-up searches; recall against "
         "numpy's exact cosine top 10. The set's median cosines: "
         + ", ".join(f"{name} {value:.2f}" for name, value in shape.items()) + ". See docs/SEARCH.md.")


def sweep(url, vectors, truth, rows) -> list[dict]:
    """Rebuilds the index for each SWEEP entry (the migrations' build with m, ef_construction and
    parallel_workers replaced); recall and latency of each at every ef_search."""
    results = []
    for m, ef_construction, workers in SWEEP:
        progress(f"sweep: m {m}, ef_construction {ef_construction}, parallel_workers {workers}")
        build = build_index(url, index_statements(m, ef_construction, workers))
        runs = score(sql_searches(url, vectors, EF_SEARCH), truth, rows)
        results.append({"m": m, "ef_construction": ef_construction, "parallel_workers": workers, "build": build,
                        "runs": runs})
    heading("Search sweep: HNSW parameters")
    note("Recall@10 and p95 of the sweep's statement (SearchRepository's vector search, run from Python: "
         "search_queries.SWEEP_SQL), one transaction per search:")
    table(["m", "ef_construction", "workers", "build s", "index MiB"]
          + [f"ef {ef}: recall / p95 ms" for ef in EF_SEARCH],
          [[r["m"], r["ef_construction"], r["build"]["workers"], f"{r['build']['seconds']:.0f}",
            f"{r['build']['bytes'] / 2**20:.0f}"]
           + [f"{run['recall']:.3f} / {ms(run['p95'])}" for run in r["runs"]] for r in results])
    # Leave the index as the migrations define it.
    build_index(url, index_statements())
    return results


def check(vector: list[dict]) -> None:
    """Says whether the chosen ef_search meets the issue's target; only prints (QUICK data is small)."""
    chosen = next((run for run in vector if run["ef_search"] == chosen_ef_search()), None)
    if chosen is None:
        progress(f"search: ef_search {chosen_ef_search()} (SearchTuning) was not among {EF_SEARCH}")
        return
    met = chosen["recall"] >= RECALL_TARGET and chosen["p95"] <= P95_TARGET
    progress(f"search: default ef_search {chosen['ef_search']}: recall@10 {chosen['recall']:.3f}, p95 "
             f"{ms(chosen['p95'])} ms: {'meets' if met else 'misses'} the target (>= {RECALL_TARGET}, <= 10 ms)")


if __name__ == "__main__":
    main()
