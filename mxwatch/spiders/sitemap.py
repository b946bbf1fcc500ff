"""Sitemap spider: Google News sitemaps, plain sitemaps and sitemap indexes (gzipped or not)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response
from scrapy.utils.gz import gunzip

from mxwatch import settings
from mxwatch.errors import UsageError
from mxwatch.spiders.base import ArticleSpider, describe_failure
from mxwatch.spiders.sitemap_parsing import parse_sitemap


def _site(url: str) -> tuple[str, int | None]:
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = -1  # unusable: matches no configured site
    return (parts.hostname or "").removeprefix("www."), port or {"http": 80, "https": 443}.get(parts.scheme)


def same_site(url: str, configured: str) -> bool:
    """True when ``url`` is on the configured URL's host, give or take ``www.`` or a subdomain either way
    (``example.com`` and ``news.example.com``), on the same port."""
    (host, port), (home, home_port) = _site(url), _site(configured)
    if not host or port != home_port:
        return False
    return host == home or host.endswith("." + home) or home.endswith("." + host)


class SitemapSpider(ArticleSpider):
    """Walks a sitemap (index) on the source's host and fetches every article not stored yet."""

    async def start(self) -> AsyncIterator[scrapy.Request]:
        """The sitemap itself."""
        yield self._sitemap_request(self.source["url"], depth=0)

    def _sitemap_request(self, url: str, depth: int) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse, errback=self.on_listing_error, cb_kwargs={"depth": depth})

    def parse(self, response: Response, depth: int = 0) -> Iterator[scrapy.Request]:
        """Follow child sitemaps of an index; queue the article URLs of a urlset."""
        try:
            body = response.body
            if body[:2] == b"\x1f\x8b":  # gzipped, bounded like any download
                body = gunzip(body, max_size=settings.MAX_PAGE_BYTES)
            kind, entries = parse_sitemap(body, response.url)
        except (UsageError, OSError, EOFError, ValueError) as exc:  # bad or oversized gzip: OSError/EOFError/ValueError
            self.context.listing_failed(self.source["name"], f"sitemap {response.url} unreadable: {exc}")
            self.stat("errors")
            return
        self.context.listing_ok(self.source["name"])
        for entry in entries:
            if not same_site(entry.url, self.source["url"]):
                # The sitemaps protocol keeps a sitemap's URLs on its own site: a stray or planted entry (or child
                # sitemap) cannot send the crawl to other hosts.
                self.skip(entry.url, f"sitemap entry outside {urlsplit(self.source['url']).netloc}")
                continue
            if kind == "sitemapindex":
                if depth < settings.MAX_SITEMAP_DEPTH:
                    yield self._sitemap_request(entry.url, depth + 1)
            else:
                # <lastmod> is when a page last changed, not when it was published: only the news date is a hint.
                request = self.article_request(entry.url, entry.title, entry.published)
                if request is not None:
                    yield request

    def on_listing_error(self, failure) -> None:  # noqa: ANN001
        """A sitemap could not be fetched."""
        self.on_error(failure)
        self.context.listing_failed(self.source["name"], f"sitemap fetch failed: {describe_failure(failure)}")
