"""Scrapy item pipelines: extract each fetched page, give it its canonical URL, store it once."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.utils.reactor import is_asyncio_reactor_installed

from mxwatch import settings
from mxwatch.models import store
from mxwatch.pipelines.extraction import ExtractionError
from mxwatch.pipelines.extraction_pool import ExtractionPool
from mxwatch.pipelines.urls import normalize_url


class _SpiderPipeline:
    """Keeps the crawler, to reach the running spider and its crawl context."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> _SpiderPipeline:
        return cls(crawler)

    @property
    def spider(self) -> Any:
        return self.crawler.spider


class ExtractionPipeline(_SpiderPipeline):
    """Main text and metadata of the page (title, date, authors, language, declared canonical URL), extracted in
    ``MXWATCH_EXTRACTION_PROCESSES`` worker processes (0: in the crawl process) while the reactor fetches on."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        processes = crawler.settings.getint("MXWATCH_EXTRACTION_PROCESSES", 0)
        # The workers' results are awaited as asyncio futures: only under the asyncio reactor (Scrapy's default).
        # One pool for all the sources this process crawls side by side, not one per source.
        self.pool = ExtractionPool.shared(processes if is_asyncio_reactor_installed() else 0)

    def close_spider(self) -> None:
        """Release the extraction workers (the last source to finish stops them)."""
        self.pool.release()

    async def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        """Extract the article, or drop the page as skipped when there is none."""
        try:
            item["extracted"] = await self.pool.extract(item["body"], item["url"], encoding=item.get("encoding"))
        except ExtractionError as exc:
            self.spider.skip(item["url"], str(exc))
            raise DropItem(f"{item['url']}: {exc}") from exc
        item.pop("body", None)  # the raw page is not kept past extraction
        return item


def trusted_canonical(declared: str | None, fetched: str) -> str:
    """The URL to store an article under: the page's declared canonical when it can be trusted, else the URL
    it was fetched from.

    A canonical on another host (a syndicated copy pointing at its original) or at a site's root (a common
    misconfiguration) would merge distinct articles into one, so those are not trusted; copies are linked by
    their content instead (``duplicate_of``).
    """
    if not declared:
        return fetched
    try:
        canonical = normalize_url(declared)
    except ValueError:
        return fetched
    c, f = urlsplit(canonical), urlsplit(fetched)
    same_host = c.netloc.removeprefix("www.") == f.netloc.removeprefix("www.")
    return canonical if same_host and c.path not in ("", "/") else fetched


class CanonicalUrlPipeline(_SpiderPipeline):
    """The article's canonical URL and the other URLs it was reached by."""

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        """Set ``canonical_url``, ``fetched_url`` and ``aliases`` on the item."""
        fetched = normalize_url(item["url"])
        item["canonical_url"] = trusted_canonical(item["extracted"].url, fetched)
        item["fetched_url"] = fetched
        others = {fetched, *(normalize_url(u) for u in item.get("redirect_urls", [])), *item.get("aliases", ())}
        item["aliases"] = tuple(sorted(others - {item["canonical_url"]}))
        return item


class StoragePipeline(_SpiderPipeline):
    """Store articles pending analysis, several per transaction (``MXWATCH_STORE_BATCH_SIZE`` articles or
    ``MXWATCH_STORE_BATCH_SECONDS``, and the rest when the spider closes); link republished copies."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.batch_size = max(1, crawler.settings.getint("MXWATCH_STORE_BATCH_SIZE", settings.STORE_BATCH_SIZE))
        self.batch_seconds = crawler.settings.getfloat("MXWATCH_STORE_BATCH_SECONDS", settings.STORE_BATCH_SECONDS)
        self._pending: list[store.NewArticle] = []
        self._timer: Any = None

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        """Queue the item's article for the next batch (its outcome is counted when the batch is stored)."""
        extracted = item["extracted"]
        published, guessed = extracted.published, extracted.published_guessed
        if (published is None or guessed) and item.get("hint_published"):
            published = datetime.fromisoformat(item["hint_published"])  # the listing's date beats a guess
            guessed = False
        self._pending.append(store.NewArticle(
            url=item["canonical_url"],
            fetched_url=item["fetched_url"],
            text=extracted.text,
            title=extracted.title or item.get("hint_title"),
            published=published,
            authors=extracted.authors,
            lang=extracted.lang,
            source_id=self.spider.source.get("id"),
            aliases=item["aliases"],
            published_guessed=guessed,
        ))
        if len(self._pending) >= self.batch_size:
            self.flush()
        elif self._timer is None:
            from twisted.internet import reactor  # the crawler's reactor, installed by now

            self._timer = reactor.callLater(self.batch_seconds, self.flush)
        return {"url": item["canonical_url"], "status": "queued"}

    def close_spider(self) -> None:
        """Store what is left (before the spider's run is recorded with its counts)."""
        self.flush()

    def flush(self) -> None:
        """Store the queued articles in one transaction; count and report each one's outcome."""
        if self._timer is not None:
            if self._timer.active():
                self._timer.cancel()
            self._timer = None
        batch, self._pending = self._pending, []
        if not batch:
            return
        spider, context = self.spider, self.spider.context
        results = store.store_articles(context.session, batch, context.duplicate_index)
        for new, result in zip(batch, results, strict=True):
            if isinstance(result, Exception):
                spider.store_failed(new.url, result)  # not stored: its URL stays unknown, the next run retries
                continue
            context.known_urls.update((new.url, *new.aliases))
            spider.stat({"new": "new_articles", "duplicate": "duplicates"}.get(result.status, "already_stored"))
            event = {"event": "article", "status": result.status, "url": new.url,
                     "duplicate_of": result.duplicate_of_id}
            if result.replaced_id is not None:
                event["replaced"] = result.replaced_id  # an earlier-published copy: the stored original is now its copy
            context.emit(event)
