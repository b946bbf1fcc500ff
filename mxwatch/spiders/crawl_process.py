"""The crawl child process: runs the spiders for a list of sources in one Twisted reactor.

Twisted's reactor cannot be restarted inside a process, so every crawl runs here, in a process of its own
(started by ``mxwatch.spiders.runner``). Input: one JSON job on stdin. Output: JSON event lines on stdout.
"""

from __future__ import annotations

import ctypes
import json
import logging
import os
import signal
import sys
from datetime import datetime
from typing import Any

from scrapy import signals
from scrapy.crawler import CrawlerProcess

from mxwatch.models import store
from mxwatch.models.run_leases import RunLeases, reap_interrupted_runs
from mxwatch.spiders.context import CrawlContext
from mxwatch.spiders.feed import FeedSpider
from mxwatch.spiders.gdelt import GdeltSpider
from mxwatch.spiders.google_news import GoogleNewsSpider
from mxwatch.spiders.settings import SCRAPY_SETTINGS
from mxwatch.spiders.sitemap import SitemapSpider

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
# The signal Linux sends when the parent dies (see die_with_parent); a crawl process has no terminal to hang up.
PARENT_DEATH_SIGNAL = signal.SIGHUP
SPIDERS = {"feed": FeedSpider, "sitemap": SitemapSpider, "google_news": GoogleNewsSpider, "gdelt": GdeltSpider}


def _counts(stats: dict[str, Any]) -> dict[str, int]:
    return {
        "requests": stats.get("downloader/request_count", 0),
        "new_articles": stats.get("mxwatch/new_articles", 0),
        "duplicates": stats.get("mxwatch/duplicates", 0),
        "skipped": stats.get("mxwatch/skipped", 0) + stats.get("mxwatch/already_stored", 0)
        + stats.get("mxwatch/outside_window", 0),
        "errors": stats.get("mxwatch/errors", 0),
    }


def crawl(job: dict[str, Any]) -> list[dict[str, Any]]:
    """Crawl every source of ``job`` ({"database_url", "sources", "settings"?, "not_before"?, "not_after"?});
    return one summary per source."""
    window = {k: datetime.fromisoformat(job[k]) for k in ("not_before", "not_after") if job.get(k)}
    # Runs of crawls that were killed are marked first, so that only live crawls' runs say 'running'.
    reap_interrupted_runs(job["database_url"])
    leases = RunLeases(job["database_url"])
    context = CrawlContext(job["database_url"], **window)
    ids = store.upsert_sources(context.session, job["sources"])
    process = CrawlerProcess({**SCRAPY_SETTINGS, "LOG_INSTALL_ROOT_HANDLER": False, **job.get("settings", {})})
    summaries: list[dict[str, Any]] = []
    handlers = []  # Scrapy's signals hold receivers weakly: keep each source's handler alive until the end

    for source in job["sources"]:
        source = {**source, "id": ids[source["name"]]}
        run_id = store.start_run(context.session, source["id"], leases)
        crawler = process.create_crawler(SPIDERS[source["kind"]])

        def closed(spider, reason, source=source, run_id=run_id, crawler=crawler) -> None:  # noqa: ANN001
            stats = crawler.stats.get_stats()
            counts = _counts(stats)
            listing_error = context.listing_errors.get(source["name"])
            failed = listing_error is not None and source["name"] not in context.listings_ok
            status = "failed" if failed or reason != "finished" else "ok"
            message = listing_error if failed else (None if reason == "finished" else f"closed: {reason}")
            if stats.get("mxwatch/not_modified"):
                message = "feed not modified since the last run"
            validators = getattr(spider, "validators", None)
            # Only a complete read may make the next run conditional: a failed article must be retried, and an
            # item too new for this window must be seen again by a later one.
            if validators and status == "ok" and not counts["errors"] and not stats.get("mxwatch/after_window"):
                store.save_validators(context.session, *validators, context.not_before)
            store.finish_run(context.session, run_id, status, counts, message)
            leases.release(run_id)
            summary = {"source": source["name"], "run_id": run_id, "status": status, "message": message, **counts}
            summaries.append(summary)
            context.emit({"event": "source_done", **summary})

        handlers.append(closed)
        crawler.signals.connect(closed, signal=signals.spider_closed)
        process.crawl(crawler, source=source, context=context)
    process.start()
    context.close()
    leases.close()
    return summaries


def _parent_died(signum: int, frame: object) -> None:
    # Once only: Scrapy takes a second SIGTERM as "force an unclean shutdown", which skips recording the runs.
    signal.signal(PARENT_DEATH_SIGNAL, signal.SIG_IGN)
    os.kill(os.getpid(), signal.SIGTERM)


def die_with_parent() -> None:
    """Ask Linux for a signal when the parent (``mxwatch crawl``, an Airflow task) dies, turned into one SIGTERM,
    so that a crawl whose parent was killed stops (Scrapy shuts down cleanly on SIGTERM, recording its runs)
    instead of running on unsupervised. Elsewhere, a no-op.

    Not SIGTERM itself: Linux sends the parent-death signal each time the process is handed to a new parent, and
    a parent with several threads hands it first to another of its (dying) threads, then to init. Two SIGTERMs
    made Scrapy stop without closing its spiders, so the killed CLI's run stayed 'running'.
    """
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    signal.signal(PARENT_DEATH_SIGNAL, _parent_died)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, PARENT_DEATH_SIGNAL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        _parent_died(PARENT_DEATH_SIGNAL, None)


def own_peak_rss() -> int:
    """This process's peak resident memory in bytes (VmHWM), or 0 where /proc is missing.

    Not getrusage: on Linux a child's ru_maxrss starts from its parent's size at fork, so a crawl started by a
    big process (a test run with spaCy loaded) would report the parent's memory as its own.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def main() -> int:
    """Read the job from stdin, crawl, print the summary event."""
    die_with_parent()
    logging.getLogger("scrapy").setLevel(logging.WARNING)
    job = json.loads(sys.stdin.read())
    summaries = crawl(job)
    try:
        print(json.dumps({"event": "summary", "sources": summaries, "peak_rss_bytes": own_peak_rss()}), flush=True)
    except BrokenPipeError:  # the parent died; the runs are recorded in the database
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing more to flush at exit
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
