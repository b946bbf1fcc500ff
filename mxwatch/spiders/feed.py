"""Feed spider: article links from RSS 2.0 / RSS 1.0 / Atom feeds."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import scrapy
from scrapy.http import Response

from mxwatch.errors import UsageError
from mxwatch.spiders.base import ArticleSpider, describe_failure
from mxwatch.spiders.feed_parsing import parse_feed


class FeedSpider(ArticleSpider):
    """Fetches one feed and every article it links to that is not stored yet."""

    async def start(self) -> AsyncIterator[scrapy.Request]:
        """The feed itself."""
        yield scrapy.Request(self.source["url"], callback=self.parse, errback=self.on_listing_error)

    def parse(self, response: Response) -> Iterator[scrapy.Request]:
        """Queue the feed's article links."""
        try:
            entries = parse_feed(response.body, response.url)
        except UsageError as exc:
            self.context.listing_failed(self.source["name"], str(exc))
            self.stat("errors")
            return
        self.context.listing_ok(self.source["name"])
        for entry in entries:
            request = self.article_request(entry.url, entry.title, entry.published)
            if request is not None:
                yield request

    def on_listing_error(self, failure) -> None:  # noqa: ANN001
        """The feed could not be fetched: the whole source failed."""
        self.on_error(failure)
        self.context.listing_failed(self.source["name"], f"feed fetch failed: {describe_failure(failure)}")
