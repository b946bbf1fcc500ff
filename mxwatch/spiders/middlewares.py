"""Downloader middlewares for polite crawling: retries that honour Retry-After and back off, and a minimum
interval between calls to rate-limited APIs (GDELT: one call per 5 seconds)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response
from scrapy.settings import BaseSettings
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import reactor, task

# Statuses whose Retry-After header means "come back later" (RFC 9110 §10.2.3).
RETRY_AFTER_STATUSES = (429, 503)


async def sleep(seconds: float) -> None:
    """Wait without blocking the reactor (works under Twisted's default and asyncio reactors)."""
    if seconds > 0:
        await maybe_deferred_to_future(task.deferLater(reactor, seconds, lambda: None))


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), or None when absent or
    unreadable."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class PoliteRetryMiddleware(RetryMiddleware):
    """Scrapy's RetryMiddleware, plus: a retry waits for exponential backoff (``MXWATCH_RETRY_BACKOFF_BASE``
    doubling per attempt, up to ``MXWATCH_RETRY_BACKOFF_MAX``) or the server's Retry-After, whichever is
    longer; a Retry-After over ``MXWATCH_RETRY_AFTER_MAX`` is not retried in this run (the error is recorded
    and the next run tries again) rather than stalling the crawl or coming back too early."""

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.backoff_base = settings.getfloat("MXWATCH_RETRY_BACKOFF_BASE")
        self.backoff_max = settings.getfloat("MXWATCH_RETRY_BACKOFF_MAX")
        self.retry_after_max = settings.getfloat("MXWATCH_RETRY_AFTER_MAX")

    def backoff(self, request: Request) -> float:
        """The backoff before the next attempt of ``request``."""
        return min(self.backoff_base * 2 ** request.meta.get("retry_times", 0), self.backoff_max)

    async def process_response(self, request: Request, response: Response, spider: Any = None) -> Request | Response:
        """Retry a retryable status after the backoff or the server's Retry-After."""
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        wait = None
        if response.status in RETRY_AFTER_STATUSES:
            wait = retry_after_seconds(response.headers.get(b"Retry-After"))
            if wait is not None and wait > self.retry_after_max:
                self.crawler.stats.inc_value("mxwatch/retry_after_too_long")
                return response  # fails as HTTP 429/503 and is recorded
        delay = max(wait or 0.0, self.backoff(request))
        retry = self._retry(request, f"HTTP {response.status}")
        if retry is None:
            return response
        await sleep(delay)
        return retry

    async def process_exception(self, request: Request, exception: Exception, spider: Any = None) -> Request | None:
        """Retry a network failure (timeout, refused connection) after the backoff."""
        if not isinstance(exception, self.exceptions_to_retry) or request.meta.get("dont_retry", False):
            return None
        delay = self.backoff(request)
        retry = self._retry(request, exception)
        if retry is not None:
            await sleep(delay)
        return retry


class MinIntervalMiddleware:
    """Space requests that carry ``meta["min_interval"]`` (seconds) at least that far apart per host, across
    every crawler of the process: two GDELT sources crawled together still make one call per 5 seconds.

    The interval counts from the later of the previous call's start and its answer, so a slow answer or a
    request held up after its slot (robots.txt, the download slot's own delay) never shortens the gap.
    """

    _next_slot: dict[str, float] = {}  # host -> earliest monotonic time of its next call (process-wide)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> MinIntervalMiddleware:
        """Scrapy's constructor hook."""
        return cls()

    async def process_request(self, request: Request, spider: Any = None) -> None:
        """Wait for the host's next free slot, then let the request go."""
        interval = request.meta.get("min_interval")
        if not interval:
            return
        host = urlsplit(request.url).netloc
        now = time.monotonic()
        # Reserve the slot before waiting: the reactor is single-threaded, so no two requests get the same one.
        slot = max(now, self._next_slot.get(host, 0.0))
        self._next_slot[host] = slot + float(interval)
        await sleep(slot - now)

    def _answered(self, request: Request) -> None:
        interval = request.meta.get("min_interval")
        if interval:
            host = urlsplit(request.url).netloc
            self._next_slot[host] = max(self._next_slot.get(host, 0.0), time.monotonic() + float(interval))

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        """The next call to this host waits a full interval from now."""
        self._answered(request)
        return response

    def process_exception(self, request: Request, exception: Exception, spider: Any = None) -> None:
        """A failed call counts as a call."""
        self._answered(request)
