"""What every mxwatch spider shares: skipping stored URLs, fetching article pages, counting outcomes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from mxwatch import settings
from mxwatch.pipelines.urls import normalize_url
from mxwatch.spiders.context import CrawlContext

HTML_TYPES = (b"text/html", b"application/xhtml+xml")


def too_large(failure: Failure) -> str | None:
    """Why a response was refused for its size (on the wire, or once decompressed: a gzip bomb), else None."""
    message = failure.getErrorMessage()
    if failure.check(DownloadCancelledError) and "max size" in message:
        return f"page larger than the {settings.MAX_PAGE_BYTES:,}-byte limit"
    if failure.check(IgnoreRequest) and "DOWNLOAD_MAXSIZE" in message and "decompression" in message:
        return f"page larger than the {settings.MAX_PAGE_BYTES:,}-byte limit once decompressed"
    return None


def describe_failure(failure: Failure) -> str:
    """One line saying why a request failed: the HTTP status, its size, or the network error."""
    if failure.check(HttpError):
        response = failure.value.response
        return f"HTTP {response.status} for {response.url}"
    return too_large(failure) or f"{failure.type.__name__}: {failure.getErrorMessage()}"[:300]


class ArticleSpider(scrapy.Spider):
    """Base spider: one configured source, article requests for URLs not yet stored."""

    def __init__(self, source: dict[str, Any], context: CrawlContext, **kwargs: Any) -> None:
        super().__init__(name=f"mxwatch-{source['name']}", **kwargs)
        self.source = source
        self.context = context

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> ArticleSpider:
        """Also count exceptions raised in pipelines and callbacks: an article is never lost silently."""
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._on_item_error, signal=signals.item_error)
        crawler.signals.connect(spider._on_spider_error, signal=signals.spider_error)
        return spider

    def _on_item_error(self, item: Any, response: Response, spider: Any, failure: Failure) -> None:
        self.stat("errors")
        url = item.get("url", response.url) if isinstance(item, dict) else response.url
        self.context.emit({"event": "article", "status": "error", "url": url,
                           "reason": f"{failure.type.__name__}: {failure.getErrorMessage()}"[:300]})

    def _on_spider_error(self, failure: Failure, response: Response, spider: Any) -> None:
        self.stat("errors")
        self.context.emit({"event": "article", "status": "error", "url": response.url,
                           "reason": f"{failure.type.__name__}: {failure.getErrorMessage()}"[:300]})

    def store_failed(self, url: str, error: Exception) -> None:
        """Record an article that was extracted but could not be stored (counted as an error, like a pipeline
        exception)."""
        self.stat("errors")
        self.context.emit({"event": "article", "status": "error", "url": url,
                           "reason": f"{type(error).__name__}: {error}"[:300]})

    def stat(self, key: str, count: int = 1) -> None:
        """Count an outcome in this crawl's stats (reported to the crawl-runs table)."""
        self.crawler.stats.inc_value(f"mxwatch/{key}", count, spider=self)

    def article_request(
        self, url: str, title: str | None = None, published: datetime | None = None,
        aliases: tuple[str, ...] = (), must_leave_host: str | None = None,
    ) -> scrapy.Request | None:
        """A request for an article page, or None when the URL is already stored, already queued or unusable.

        ``aliases`` are other URLs of the same article (a news search's redirect link): stored with it, and
        an article known under any of them is not fetched. With ``must_leave_host``, a response still on that
        host (a redirect link that did not redirect) is skipped, not stored as an article.
        """
        try:
            normalized = normalize_url(url)
            other = [normalize_url(a) for a in aliases]
        except ValueError as exc:  # a malformed link in a feed skips that entry, not the rest of the feed
            self.skip(url, f"malformed URL: {exc}")
            return None
        if normalized in self.context.known_urls or any(a in self.context.known_urls for a in other):
            self.stat("already_stored")
            return None
        if reason := self.context.outside_window(published):
            self.stat("outside_window")
            if self.context.after_window(published):
                self.stat("after_window")  # may count in a later run: the listing must be read again then
            self.context.emit({"event": "article", "status": "skipped", "url": normalized, "reason": reason})
            return None
        if normalized in self.context.queued_urls:
            return None  # another source of this crawl fetches it already
        self.context.queued_urls.add(normalized)
        self.context.emit({"event": "queued", "source": self.source["name"], "url": normalized})
        return scrapy.Request(
            url,
            callback=self.parse_article,
            errback=self.on_error,
            # Duplicates are already excluded above (queued_urls). Scrapy's own filter would silently drop the
            # second hop of a redirect loop (A -> B -> A), losing the article without a trace; unfiltered, the
            # loop ends at REDIRECT_MAX_TIMES and is recorded as an error.
            dont_filter=True,
            cb_kwargs={"hint_title": title, "hint_published": published.isoformat() if published else None,
                       "aliases": tuple(other), "must_leave_host": must_leave_host},
        )

    def parse_article(
        self, response: Response, hint_title: str | None = None, hint_published: str | None = None,
        aliases: tuple[str, ...] = (), must_leave_host: str | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Hand an HTML page to the item pipelines; count anything else as skipped."""
        header = response.headers.get(b"Content-Type", b"text/html").decode("latin-1")
        content_type = header.split(";")[0].strip().lower()
        if content_type.encode() not in HTML_TYPES:
            self.skip(response.url, f"not HTML ({content_type})")
            return
        if must_leave_host and urlsplit(response.url).netloc == must_leave_host:
            # A news search's own page (a script redirect, a consent page), not the publisher's article.
            self.skip(response.url, f"link did not redirect away from {must_leave_host}")
            return
        # The link as the feed gave it, before redirects: remembered so that it is not fetched again.
        redirects = list(response.meta.get("redirect_urls", []))
        requested = redirects[0] if redirects else response.url
        charset = next((p.split("=", 1)[1].strip(" \"'") for p in header.split(";")[1:]
                        if p.strip().lower().startswith("charset=")), None)
        yield {
            "url": response.url,
            "requested_url": requested,
            "redirect_urls": redirects,
            "aliases": list(aliases),
            "encoding": charset,
            "body": response.body,
            "source": self.source["name"],
            "hint_title": hint_title,
            "hint_published": hint_published,
        }

    def skip(self, url: str, reason: str) -> None:
        """Record an article that was fetched but not stored, and why."""
        self.stat("skipped")
        self.context.emit({"event": "article", "status": "skipped", "url": url, "reason": reason})

    def on_error(self, failure: Failure) -> None:
        """Record a request that failed for good (after retries)."""
        request = getattr(failure, "request", None)
        # The URL as queued (before redirects), so that an outcome is reported under the link it belongs to.
        url = (request.meta.get("redirect_urls") or [request.url])[0] if request is not None else "?"
        message = failure.getErrorMessage()
        if reason := too_large(failure):
            # Bigger than settings.MAX_PAGE_BYTES: no news article is; not worth a failure of the source.
            self.skip(url, reason)
            return
        redirect_loop = "max redirections" in message
        if failure.check(IgnoreRequest) and not failure.check(HttpError) and not redirect_loop:
            # Refused before fetching (robots.txt): a skip, not a failure. HttpError subclasses IgnoreRequest.
            self.skip(url, message or "ignored")
            return
        self.stat("errors")
        message = f"redirect loop or chain over {settings.REDIRECT_MAX_TIMES} redirects from {url}" \
            if redirect_loop else describe_failure(failure)
        self.context.emit({"event": "article", "status": "error", "url": url, "reason": message[:300]})
