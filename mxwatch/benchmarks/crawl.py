"""Crawl benchmarks on the generated site served from 127.0.0.1, each against a bare Scrapy spider on the same
pages in the same run:

- fetch only: mxwatch's spider (feed, robots.txt, stored-URL checks, middlewares, events) with no item
  pipeline vs a no-op Scrapy spider given the URL list;
- fetch + extract: mxwatch's extraction pipeline vs the no-op spider calling trafilatura's ``bare_extraction``;
- fetch + extract + store (the real crawl: SQLite, batched transactions, duplicate detection) vs the no-op spider
  calling ``bare_extraction`` and inserting each result with plain SQLAlchemy Core into a SQLite table of the
  article table's columns (executemany, STORE_BATCH_SIZE rows per transaction, the same WAL/synchronous=NORMAL
  settings as mxwatch's database; no duplicate check, no write lock, no canonical URLs).

Both sides run in a process of their own (one reactor per process), with the same concurrency (16 per host,
no AutoThrottle: this measures work per page, not politeness), process start-up included.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from mxwatch.benchmarks.common import corpus, timed
from mxwatch.demo_site.generated import GeneratedSite
from mxwatch.settings import STORE_BATCH_SIZE

CONCURRENCY = 16
BARE_SPIDER = '''
import hashlib, json, sys, scrapy
from datetime import datetime, timezone
from scrapy.crawler import CrawlerProcess
urls, mode = json.loads(sys.stdin.read()), sys.argv[1]
extract, store = mode in ("extract", "store"), mode == "store"
if extract:
    import trafilatura
if store:
    import sqlalchemy as sa
    engine = sa.create_engine("sqlite:///" + sys.argv[2])
    @sa.event.listens_for(engine, "connect")
    def _pragmas(connection, record):
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
    meta = sa.MetaData()
    # The columns of mxwatch's article table.
    article = sa.Table("article", meta, sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("url", sa.Text, unique=True), sa.Column("fetched_url", sa.Text, index=True),
        sa.Column("source_id", sa.Integer), sa.Column("title", sa.Text),
        sa.Column("published", sa.DateTime(timezone=True), index=True),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False), sa.Column("authors", sa.Text),
        sa.Column("lang", sa.String(8)), sa.Column("text", sa.Text),
        sa.Column("content_hash", sa.String(64), index=True),
        sa.Column("minhash", sa.LargeBinary), sa.Column("relevance", sa.Float), sa.Column("relevant", sa.Boolean),
        sa.Column("is_baseline", sa.Boolean), sa.Column("duplicate_of_id", sa.Integer, index=True),
        sa.Column("analyzed_at", sa.DateTime(timezone=True)), sa.Column("analysis_error", sa.Text))
    meta.create_all(engine)
    rows = []
    def flush():
        if rows:
            with engine.begin() as connection:
                connection.execute(article.insert(), rows)
            rows.clear()
class Bare(scrapy.Spider):
    name = "bare"
    async def start(self):
        for u in urls:
            yield scrapy.Request(u, callback=self.parse)
    def parse(self, response):
        if not extract:
            return
        doc = trafilatura.bare_extraction(response.body, url=response.url, with_metadata=True)
        if store and doc is not None and doc.text:
            published = datetime.fromisoformat(doc.date).replace(tzinfo=timezone.utc) if doc.date else None
            rows.append({"url": response.url, "fetched_url": response.url, "title": doc.title,
                         "published": published, "fetched_at": datetime.now(timezone.utc),
                         "authors": json.dumps([doc.author] if doc.author else []), "lang": doc.language,
                         "text": doc.text, "content_hash": hashlib.sha256(doc.text.encode()).hexdigest(),
                         "is_baseline": False})
            if len(rows) >= BATCH:
                flush()
    def closed(self, reason):
        if store:
            flush()
p = CrawlerProcess({"LOG_LEVEL": "ERROR", "CONCURRENT_REQUESTS": CONCURRENCY,
                    "CONCURRENT_REQUESTS_PER_DOMAIN": CONCURRENCY, "TELNETCONSOLE_ENABLED": False,
                    "ROBOTSTXT_OBEY": False})
p.crawl(Bare)
p.start()
if store:
    with engine.connect() as connection:
        print(connection.execute(sa.select(sa.func.count()).select_from(article)).scalar())
'''.replace("CONCURRENCY", str(CONCURRENCY)).replace("BATCH", str(STORE_BATCH_SIZE))
FAST = {"AUTOTHROTTLE_ENABLED": False, "CONCURRENT_REQUESTS": CONCURRENCY,
        "CONCURRENT_REQUESTS_PER_DOMAIN": CONCURRENCY}
# The bare spider's mode for each stage (the pool row is compared with the same bare full crawl).
BARE_MODES = {"fetch": "fetch", "fetch_extract": "extract", "fetch_extract_store": "store"}
STAGES = {
    "fetch": {},
    "fetch_extract": {"mxwatch.pipelines.items.ExtractionPipeline": 100},
    "fetch_extract_store": None,  # the configured pipelines: extract, canonical URL, store; extraction inline
    "fetch_extract_store_pool": None,  # the same, extraction in worker processes (the default on 2+ cores)
}


def _bare(urls: list[str], mode: str) -> tuple[dict[str, Any] | None, float]:
    if mode != "store":
        return timed(lambda: subprocess.run([sys.executable, "-c", BARE_SPIDER, mode], input=json.dumps(urls),
                                            text=True, check=True) and None)
    with tempfile.TemporaryDirectory() as tmp:
        done, seconds = timed(lambda: subprocess.run(
            [sys.executable, "-c", BARE_SPIDER, mode, str(Path(tmp) / "bare.db")], input=json.dumps(urls),
            text=True, check=True, stdout=subprocess.PIPE))
    return {"stored": int(done.stdout.strip().splitlines()[-1])}, seconds


def _mxwatch(site: GeneratedSite, pipelines: dict[str, int] | None, processes: int = 0) -> tuple[dict[str, Any], float]:
    from mxwatch.spiders.runner import run_crawl
    from mxwatch.stages import init_database

    settings = {**FAST, "MXWATCH_EXTRACTION_PROCESSES": processes}
    if pipelines is not None:
        settings["ITEM_PIPELINES"] = pipelines
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'crawl.db'}"
        init_database(url, analyze=False)
        source = {"name": "bench", "kind": "feed", "url": f"{site.base_url}/feed.xml"}
        summary, seconds = timed(lambda: run_crawl([source], url, scrapy_settings=settings))
    return {"new": summary.total("new_articles"), "duplicates": summary.total("duplicates"),
            "errors": summary.total("errors"), "peak_rss_mb": summary.peak_rss_bytes / 2**20}, seconds


def _measure(site: GeneratedSite, run: Any) -> dict[str, float]:
    """Run a crawl; its pages/s over the whole process (start-up included) and in steady state."""
    site.clear_requests()
    site.article_times.clear()
    extra, seconds = run()
    fetched, steady = site.article_rate()
    return {"fetched": fetched, "pages_per_s": fetched / seconds, "steady_pages_per_s": steady, **(extra or {})}


def bench_crawl(pages: int) -> dict[str, Any]:
    """Pages/s of each crawl stage and of its bare counterpart, on ``pages`` generated pages."""
    records = corpus(pages)
    result: dict[str, Any] = {"pages": pages}
    with GeneratedSite(records) as site:
        page_bytes, seconds = timed(site.prerender)
        result["mean_page_kb"] = page_bytes / len(records) / 1024
        result["prerender_s"] = seconds
        urls = [site.article_url(r) for r in site.public_articles()]
        for stage, pipelines in STAGES.items():
            row: dict[str, Any] = {}
            if stage in BARE_MODES:
                row["bare"] = _measure(site, lambda mode=BARE_MODES[stage]: _bare(urls, mode))
            processes = max(1, (os.cpu_count() or 1) - 1) if stage.endswith("_pool") else 0
            row["mxwatch"] = _measure(site, lambda pipelines=pipelines, processes=processes: _mxwatch(
                site, pipelines, processes))
            if "bare" in row:
                row["ratio"] = row["bare"]["steady_pages_per_s"] / row["mxwatch"]["steady_pages_per_s"]
                row["ratio_with_startup"] = row["bare"]["pages_per_s"] / row["mxwatch"]["pages_per_s"]
            result[stage] = row
            print(f"  crawl {stage}: {row}", flush=True)
    # The full crawl against the bare tools doing the same work (fetch, trafilatura, a batched insert), and against
    # the bare fetch alone and the bare fetch + trafilatura (what a crawl that stores nothing costs).
    bare_store = result["fetch_extract_store"]["bare"]
    for stage in ("fetch_extract_store", "fetch_extract_store_pool"):
        full = result[stage]
        ours = full["mxwatch"]["steady_pages_per_s"]
        full["ratio"] = bare_store["steady_pages_per_s"] / ours
        full["ratio_with_startup"] = bare_store["pages_per_s"] / full["mxwatch"]["pages_per_s"]
        full["ratio_to_bare_fetch"] = result["fetch"]["bare"]["steady_pages_per_s"] / ours
        full["ratio_to_bare_fetch_extract"] = result["fetch_extract"]["bare"]["steady_pages_per_s"] / ours
    return result
