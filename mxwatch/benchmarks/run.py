"""``make bench``: run every benchmark, print the figures and ratios, write BENCHMARKS.md (and JSON)."""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mxwatch.benchmarks.common import peak_rss_mb
from mxwatch.benchmarks.machine import machine
from mxwatch.benchmarks.report import render

ROOT = Path(__file__).resolve().parents[2]
MEMORY_100K = Path(__file__).with_name("results") / "memory_100k.json"
STAGES = ("crawl", "extraction", "analysis", "storage", "end_to_end", "peers", "memory", "queries")
QUICK = {"pages": 120, "docs": 24, "storage_articles": 40, "e2e_pages": 30, "memory_docs": 400, "extract_pages": 20,
         "query_articles": 500}


def _queries(articles: int) -> dict[str, Any]:
    if importlib.util.find_spec("mxwatch.query_benchmark") is None:
        return {"all": "mxwatch.query_benchmark is not there yet: no query timings in this run"}
    import tempfile

    from mxwatch.benchmarks.storage import postgres_database
    from mxwatch.query_benchmark import bench_queries

    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        out["SQLite"] = bench_queries(f"sqlite:///{Path(tmp) / 'queries.db'}", articles=articles)
    with postgres_database() as url:
        out["PostgreSQL"] = bench_queries(url, articles=articles)
    return out


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m mxwatch.benchmarks", description=__doc__)
    p.add_argument("--quick", action="store_true", help="a smoke run on a tiny corpus (figures meaningless)")
    p.add_argument("--pages", type=int, default=10_000, help="generated pages crawled (default 10,000)")
    p.add_argument("--extract-pages", type=int, default=500, help="generated pages for in-process extraction")
    p.add_argument("--docs", type=int, default=400, help="texts for the analysis benchmark")
    p.add_argument("--storage-articles", type=int, default=1_000, help="articles written per database")
    p.add_argument("--e2e-pages", type=int, default=1_000, help="pages of the end-to-end run")
    p.add_argument("--memory-docs", type=int, default=int(os.environ.get("BENCH_MEMORY_DOCS", 10_000)),
                   help="documents of the memory run (env BENCH_MEMORY_DOCS; 100,000 takes about an hour here)")
    p.add_argument("--query-articles", type=int, default=100_000, help="articles for the trend-query timings")
    p.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    p.add_argument("--only", action="append", choices=STAGES, help="run only these benchmarks (repeatable)")
    p.add_argument("--out", default=str(ROOT / "BENCHMARKS.md"), help="where to write the report")
    p.add_argument("--json", metavar="FILE", help="also write every figure as JSON")
    p.add_argument("--render", metavar="JSON", help="measure nothing: write the report of an earlier run's JSON "
                   "(with the latest recorded 100,000-document memory run)")
    return p


def run(args: argparse.Namespace, log: Callable[[str], None] = print) -> dict[str, Any]:
    """Run the selected benchmarks; return every result (see report.render for their shape)."""
    from mxwatch.benchmarks.analysis import bench_analysis
    from mxwatch.benchmarks.crawl import bench_crawl
    from mxwatch.benchmarks.end_to_end import bench_end_to_end
    from mxwatch.benchmarks.extraction import bench_extraction
    from mxwatch.benchmarks.memory import bench_memory
    from mxwatch.benchmarks.peers import bench_peers
    from mxwatch.benchmarks.storage import bench_storage

    if args.quick:
        for key, value in QUICK.items():
            setattr(args, key, min(getattr(args, key), value))
    started = time.time()
    options = {k: v for k, v in vars(args).items() if k not in ("out", "json", "only")}
    results: dict[str, Any] = {"machine": machine(),
                               "options": {"started": datetime.now(UTC).strftime("%Y-%m-%d %H:%M"), **options}}
    jobs: dict[str, Callable[[], Any]] = {
        "crawl": lambda: bench_crawl(args.pages),
        "extraction": lambda: bench_extraction(args.extract_pages, passes=1 if args.quick else 3),
        "analysis": lambda: bench_analysis(args.docs, args.processes),
        "storage": lambda: bench_storage(args.storage_articles),
        "end_to_end": lambda: bench_end_to_end(args.e2e_pages, args.processes),
        "peers": lambda: bench_peers(),
        "memory": lambda: bench_memory(args.memory_docs, args.processes, every=max(args.memory_docs // 20, 1)),
        "queries": lambda: _queries(args.query_articles),
    }
    for name in args.only or STAGES:
        log(f"bench: {name} ...")
        t = time.time()
        results[name] = jobs[name]()
        log(f"bench: {name} done in {time.time() - t:.0f} s")
    if MEMORY_100K.is_file() and (not args.only or "memory" in args.only):
        results["memory_100k"] = json.loads(MEMORY_100K.read_text(encoding="utf-8"))
    results["peak_memory"] = {"self_mb": peak_rss_mb(), "children_mb": peak_rss_mb(children=True)}
    results["options"]["duration_min"] = (time.time() - started) / 60
    return results


def main(argv: Sequence[str] | None = None) -> int:
    """Run, print the report, write it (and the JSON)."""
    args = _parser().parse_args(argv)
    if args.render:
        results = json.loads(Path(args.render).read_text(encoding="utf-8"))
        if MEMORY_100K.is_file():
            results["memory_100k"] = json.loads(MEMORY_100K.read_text(encoding="utf-8"))
    else:
        results = run(args)
    text = render(results)
    print(text)
    Path(args.out).write_text(text, encoding="utf-8")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    print(f"written: {args.out}")
    return 0
