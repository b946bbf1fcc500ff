"""End to end: crawl the generated site (fetch, extract, store), analyse what was stored and refresh the trends,
with the same stage functions the CLI and the DAG call; articles/s over the whole run."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from mxwatch.benchmarks.common import corpus, timed
from mxwatch.benchmarks.crawl import FAST
from mxwatch.demo_site.generated import GeneratedSite


def bench_end_to_end(pages: int) -> dict[str, Any]:
    """Articles/s from an empty database to analysed articles and refreshed trends, on ``pages`` pages."""
    from mxwatch.spiders.runner import run_crawl
    from mxwatch.stages import analyze_pending, init_database, refresh_trends

    with GeneratedSite(corpus(pages)[:pages]) as site, tempfile.TemporaryDirectory() as tmp:
        site.prerender()
        url = f"sqlite:///{Path(tmp) / 'e2e.db'}"
        init_database(url)  # the baseline is stored and analysed before the clock starts
        source = {"name": "bench", "kind": "feed", "url": f"{site.base_url}/feed.xml"}
        summary, crawl_s = timed(lambda: run_crawl([source], url, scrapy_settings=FAST))
        analysed, analyse_s = timed(lambda: analyze_pending(url))
        _, trends_s = timed(lambda: refresh_trends(url))
    stored = summary.total("new_articles") + summary.total("duplicates")
    total = crawl_s + analyse_s + trends_s
    return {"pages": pages, "stored": stored, "analysed": analysed, "crawl_s": crawl_s, "analyse_s": analyse_s,
            "trends_s": trends_s, "articles_per_s": stored / total}
