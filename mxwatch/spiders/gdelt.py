"""GDELT DOC 2.0 article search: publisher articles GDELT has seen in the crawl window.

One call returns at most settings.GDELT_MAX_RECORDS articles, newest first; a full page means there may be
more, so the next call ends where the page's oldest article was seen (at most settings.GDELT_MAX_CALLS calls).
Calls are spaced by settings.GDELT_MIN_INTERVAL_SECONDS (the API's rule) by the rate-limit middleware.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import scrapy
from scrapy.http import Response

from mxwatch import settings
from mxwatch.spiders.base import ArticleSpider, describe_failure

GDELT_TIME = "%Y%m%d%H%M%S"


@dataclass
class GdeltArticle:
    """One record of an article list."""

    url: str
    title: str | None
    seen: datetime | None
    language: str | None


def parse_seendate(value: object) -> datetime | None:
    """GDELT's ``seendate`` (``20240115T103000Z``) as aware UTC, or None."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def parse_articles(body: bytes) -> list[GdeltArticle]:
    """The ``articles`` of a GDELT artlist JSON response; ValueError with GDELT's message when it is not one
    (GDELT answers a bad query with a line of plain text and status 200)."""
    try:
        data = json.loads(body.decode("utf-8", errors="replace"))
    except json.JSONDecodeError:
        first = body.decode("utf-8", errors="replace").strip().splitlines()[:1]
        raise ValueError(f"not JSON: {(first[0] if first else 'empty response')[:200]}") from None
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    records = data.get("articles", [])  # no matches: GDELT sends {} without "articles"
    if not isinstance(records, list):
        raise ValueError("'articles' is not a list")
    articles = []
    for record in records:
        if isinstance(record, dict) and isinstance(record.get("url"), str):
            title = record.get("title")
            articles.append(GdeltArticle(record["url"], title.strip() or None if isinstance(title, str) else None,
                                         parse_seendate(record.get("seendate")),
                                         record.get("language") if isinstance(record.get("language"), str) else None))
    return articles


def search_window(not_before: datetime | None, not_after: datetime | None,
                  now: datetime | None = None) -> tuple[datetime, datetime]:
    """The crawl window as GDELT can search it: ending no later than now, starting no earlier than
    settings.GDELT_MAX_WINDOW_DAYS before its end."""
    now = now or datetime.now(UTC)
    end = min(not_after, now) if not_after is not None else now
    start = end - timedelta(days=settings.GDELT_MAX_WINDOW_DAYS)
    if not_before is not None and not_before > start:
        start = not_before
    return start, end


class GdeltSpider(ArticleSpider):
    """Searches GDELT for the source's query over the crawl window and fetches each article not stored yet."""

    async def start(self) -> AsyncIterator[scrapy.Request]:
        """The first page of the search: the whole window."""
        start, end = search_window(self.context.not_before, self.context.not_after)
        if start >= end:
            self.context.listing_ok(self.source["name"])  # an empty window: nothing to search
            return
        yield self._search(start, end, 1)

    def _search(self, start: datetime, end: datetime, call: int) -> scrapy.Request:
        url = (f"{self.source['url']}&startdatetime={start.astimezone(UTC):{GDELT_TIME}}"
               f"&enddatetime={end.astimezone(UTC):{GDELT_TIME}}")
        return scrapy.Request(url, callback=self.parse, errback=self.on_listing_error,
                              cb_kwargs={"start": start, "end": end, "call": call},
                              meta={"min_interval": settings.GDELT_MIN_INTERVAL_SECONDS}, dont_filter=True)

    def parse(self, response: Response, start: datetime, end: datetime, call: int) -> Iterator[scrapy.Request]:
        """Queue the articles of one page; ask for the older ones when the page is full."""
        try:
            articles = parse_articles(response.body)
        except ValueError as exc:
            self.context.listing_failed(self.source["name"], f"GDELT search unreadable: {exc}")
            self.stat("errors")
            return
        self.context.listing_ok(self.source["name"])
        for article in articles:
            request = self.article_request(article.url, article.title, article.seen)
            if request is not None:
                yield request
        seen = [a.seen for a in articles if a.seen is not None]
        oldest = min(seen) if seen else None
        if (len(articles) >= settings.GDELT_MAX_RECORDS and oldest is not None and start < oldest < end
                and call < settings.GDELT_MAX_CALLS):
            yield self._search(start, oldest, call + 1)

    def on_listing_error(self, failure: Any) -> None:
        """The search could not be fetched: the source failed."""
        self.on_error(failure)
        self.context.listing_failed(self.source["name"], f"GDELT search failed: {describe_failure(failure)}")
