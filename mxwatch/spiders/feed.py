"""Feed spider: article links from RSS 2.0 / RSS 1.0 / Atom feeds, read with conditional requests."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import scrapy
from scrapy.http import Response

from mxwatch.errors import UsageError
from mxwatch.models import store
from mxwatch.spiders.base import ArticleSpider, describe_failure
from mxwatch.spiders.feed_parsing import FeedEntry, parse_feed


class FeedSpider(ArticleSpider):
    """Fetches one feed and every article it links to that is not stored yet.

    The feed is requested with the ETag / Last-Modified of its last complete read; a 304 means nothing new.
    The new validators are saved by the crawl process only when the run ends well (``validators``): a run
    that failed on an article must read the whole feed again next time to retry it.
    """

    # (url, etag, last_modified) of the feed as read in this run, for the crawl process to save.
    validators: tuple[str, str | None, str | None] | None = None

    async def start(self) -> AsyncIterator[scrapy.Request]:
        """The feed itself, conditional on its last complete read."""
        url = self.source["url"]
        headers = store.conditional_headers(self.context.session, url, self.context.not_before)
        yield scrapy.Request(url, callback=self.parse, errback=self.on_listing_error, headers=headers,
                             meta={"handle_httpstatus_list": [304]})

    def parse(self, response: Response) -> Iterator[scrapy.Request]:
        """Queue the feed's article links (none when the feed has not changed)."""
        if response.status == 304:
            self.context.listing_ok(self.source["name"])
            self.stat("not_modified")
            self.context.emit({"event": "listing", "source": self.source["name"], "status": "not_modified"})
            return
        try:
            entries = parse_feed(response.body, response.url)
        except UsageError as exc:
            self.context.listing_failed(self.source["name"], str(exc))
            self.stat("errors")
            return
        self.context.listing_ok(self.source["name"])
        self.validators = (self.source["url"], _header(response, b"ETag", 1000),
                           _header(response, b"Last-Modified", 100))
        for entry in entries:
            request = self.entry_request(entry)
            if request is not None:
                yield request

    def entry_request(self, entry: FeedEntry) -> scrapy.Request | None:
        """The request for one feed entry's article (None when it is stored, queued or skipped)."""
        return self.article_request(entry.url, entry.title, entry.published)

    def on_listing_error(self, failure) -> None:  # noqa: ANN001
        """The feed could not be fetched: the whole source failed."""
        self.on_error(failure)
        self.context.listing_failed(self.source["name"], f"feed fetch failed: {describe_failure(failure)}")


def _header(response: Response, name: bytes, limit: int) -> str | None:
    value = response.headers.get(name)
    # Validators are echoed back verbatim: one too long to store whole is dropped, never cut.
    text = value.decode("latin-1") if value else None
    return text if text and len(text) <= limit else None
