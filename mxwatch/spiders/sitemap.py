"""Sitemap spider: Google News sitemaps, plain sitemaps and sitemap indexes (gzipped or not)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.http import Response
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap

from mxwatch.spiders.base import ArticleSpider, describe_failure

MAX_SITEMAP_DEPTH = 3  # an index of indexes of sitemaps is as deep as real sites go


def _lastmod(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


class SitemapSpider(ArticleSpider):
    """Walks a sitemap (index) on the source's host and fetches every article not stored yet."""

    async def start(self) -> AsyncIterator[scrapy.Request]:
        """The sitemap itself."""
        yield self._sitemap_request(self.source["url"], depth=0)

    def _sitemap_request(self, url: str, depth: int) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse, errback=self.on_listing_error, cb_kwargs={"depth": depth})

    def parse(self, response: Response, depth: int = 0) -> Iterator[scrapy.Request]:
        """Follow child sitemaps of an index; queue the article URLs of a urlset."""
        body = response.body
        if body[:2] == b"\x1f\x8b":
            body = gunzip(body, max_size=self.crawler.settings.getint("DOWNLOAD_MAXSIZE"))
        try:
            sitemap = Sitemap(body)
        except Exception as exc:  # lxml raises several types on garbage; all mean the same here
            self.context.listing_failed(self.source["name"], f"sitemap {response.url} unreadable: {exc}")
            self.stat("errors")
            return
        self.context.listing_ok(self.source["name"])
        host = urlsplit(self.source["url"]).netloc
        if sitemap.type == "sitemapindex":
            for entry in sitemap:
                child = urljoin(response.url, entry["loc"])
                # Only the source's own host: a sitemap index cannot send us crawling other sites.
                if depth < MAX_SITEMAP_DEPTH and urlsplit(child).netloc == host:
                    yield self._sitemap_request(child, depth + 1)
        elif sitemap.type == "urlset":
            for entry in sitemap:
                url = urljoin(response.url, entry["loc"])
                request = self.article_request(url, entry.get("title"), _lastmod(entry.get("lastmod")))
                if request is not None:
                    yield request
        else:
            self.context.listing_failed(self.source["name"], f"{response.url} is not a sitemap (<{sitemap.type}>)")
            self.stat("errors")

    def on_listing_error(self, failure) -> None:  # noqa: ANN001
        """A sitemap could not be fetched."""
        self.on_error(failure)
        self.context.listing_failed(self.source["name"], f"sitemap fetch failed: {describe_failure(failure)}")
