"""Start a crawl in its own process and follow its progress (the parent side of crawl_process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any

from mxwatch import settings
from mxwatch.errors import MxwatchError


@dataclass
class CrawlSummary:
    """Outcome of one crawl over several sources."""

    sources: list[dict[str, Any]] = field(default_factory=list)
    # The crawl process's own peak resident memory (bytes, VmHWM), as it reported it when it finished.
    peak_rss_bytes: int = 0

    def total(self, key: str) -> int:
        """Sum of a per-source count (requests, new_articles, duplicates, skipped, errors)."""
        return sum(int(s.get(key, 0)) for s in self.sources)


def run_crawl(
    sources: list[dict[str, str]],
    database_url: str | None = None,
    on_event: Callable[[dict[str, Any]], None] | None = None,
    scrapy_settings: dict[str, Any] | None = None,
    not_before: datetime | None = None,
    not_after: datetime | None = None,
) -> CrawlSummary:
    """Crawl ``sources`` in a child process and store new articles (pending analysis).

    ``on_event`` receives every progress event ({"event": "queued"|"article"|"source_done", ...}). Items that
    the listing dates before ``not_before`` or at/after ``not_after`` are skipped.
    """
    job = {"database_url": database_url or settings.database_url(), "sources": sources,
           "settings": scrapy_settings or {},
           "not_before": not_before.isoformat() if not_before else None,
           "not_after": not_after.isoformat() if not_after else None}
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    # stderr goes to a file, not a pipe: a chatty child must never block on a full pipe we are not reading.
    with tempfile.TemporaryFile(mode="w+") as stderr_file:
        return _follow(job, env, stderr_file, on_event)


def _follow(job: dict[str, Any], env: dict[str, str], stderr_file: IO[str],
            on_event: Callable[[dict[str, Any]], None] | None) -> CrawlSummary:
    proc = subprocess.Popen(
        [sys.executable, "-m", "mxwatch.spiders.crawl_process"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr_file, text=True, env=env,
    )
    assert proc.stdin and proc.stdout
    proc.stdin.write(json.dumps(job))
    proc.stdin.close()
    summary = CrawlSummary()
    for line in proc.stdout:
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            continue  # a stray print from a library; events are always JSON
        if event.get("event") == "summary":
            summary.sources = event["sources"]
            summary.peak_rss_bytes = event.get("peak_rss_bytes", 0)
        elif on_event is not None:
            on_event(event)
    proc.wait()
    returncode = proc.returncode
    stderr_file.seek(0)
    stderr = stderr_file.read()
    if returncode != 0 or not summary.sources:
        last = next((ln for ln in reversed(stderr.strip().splitlines()) if ln.strip()), "no output")
        raise MxwatchError(f"crawl process failed (exit {proc.returncode}): {last}")
    return summary
