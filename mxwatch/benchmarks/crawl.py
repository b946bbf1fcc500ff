"""Crawl benchmarks on the generated site served from 127.0.0.1, each against a bare Scrapy spider on the same
pages in the same run:

- fetch only: mxwatch's spider (feed, robots.txt, stored-URL checks, middlewares, events) with no item
  pipeline vs a no-op Scrapy spider given the URL list;
- fetch + extract: mxwatch's extraction pipeline vs the no-op spider calling trafilatura's ``bare_extraction``;
- fetch + extract + store (the real crawl: SQLite, one transaction per article, duplicate detection).

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

CONCURRENCY = 16
BARE_SPIDER = '''
import json, sys, scrapy
from scrapy.crawler import CrawlerProcess
urls, extract = json.loads(sys.stdin.read()), sys.argv[1] == "extract"
if extract:
    import trafilatura
class Bare(scrapy.Spider):
    name = "bare"
    async def start(self):
        for u in urls:
            yield scrapy.Request(u, callback=self.parse)
    def parse(self, response):
        if extract:
            trafilatura.bare_extraction(response.body, url=response.url, with_metadata=True)
p = CrawlerProcess({"LOG_LEVEL": "ERROR", "CONCURRENT_REQUESTS": CONCURRENCY,
                    "CONCURRENT_REQUESTS_PER_DOMAIN": CONCURRENCY, "TELNETCONSOLE_ENABLED": False,
                    "ROBOTSTXT_OBEY": False})
p.crawl(Bare)
p.start()
'''.replace("CONCURRENCY", str(CONCURRENCY))
FAST = {"AUTOTHROTTLE_ENABLED": False, "CONCURRENT_REQUESTS": CONCURRENCY,
        "CONCURRENT_REQUESTS_PER_DOMAIN": CONCURRENCY}
STAGES = {
    "fetch": {},
    "fetch_extract": {"mxwatch.pipelines.items.ExtractionPipeline": 100},
    "fetch_extract_store": None,  # the configured pipelines: extract, canonical URL, store
    "fetch_extract_store_pool": None,  # the same, extraction in worker processes (MXWATCH_EXTRACTION_PROCESSES)
}


def _bare(urls: list[str], mode: str) -> tuple[None, float]:
    return timed(lambda: subprocess.run([sys.executable, "-c", BARE_SPIDER, mode], input=json.dumps(urls),
                                        text=True, check=True) and None)


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
            if stage in ("fetch", "fetch_extract"):
                mode = "extract" if stage == "fetch_extract" else "fetch"
                row["bare"] = _measure(site, lambda mode=mode: _bare(urls, mode))
            processes = max(1, (os.cpu_count() or 1) - 1) if stage.endswith("_pool") else 0
            row["mxwatch"] = _measure(site, lambda pipelines=pipelines, processes=processes: _mxwatch(
                site, pipelines, processes))
            if "bare" in row:
                row["ratio"] = row["bare"]["steady_pages_per_s"] / row["mxwatch"]["steady_pages_per_s"]
                row["ratio_with_startup"] = row["bare"]["pages_per_s"] / row["mxwatch"]["pages_per_s"]
            result[stage] = row
            print(f"  crawl {stage}: {row}", flush=True)
    # The full crawl is compared with the bare fetch (what a crawl that stores nothing costs).
    for stage in ("fetch_extract_store", "fetch_extract_store_pool"):
        full = result[stage]
        ours = full["mxwatch"]["steady_pages_per_s"]
        full["ratio_to_bare_fetch"] = result["fetch"]["bare"]["steady_pages_per_s"] / ours
        full["ratio_to_bare_fetch_extract"] = result["fetch_extract"]["bare"]["steady_pages_per_s"] / ours
    return result
