"""Scrapy item pipelines: extract each fetched page, give it its canonical URL, store it once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from mxwatch.models import store
from mxwatch.pipelines.extraction import ExtractionError, extract_html
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
    """Main text and metadata of the page (title, date, authors, language, declared canonical URL)."""

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        try:
            item["extracted"] = extract_html(item["body"], item["url"])
        except ExtractionError as exc:
            self.spider.skip(item["url"], str(exc))
            raise DropItem(f"{item['url']}: {exc}") from exc
        item.pop("body", None)  # the raw page is not kept past extraction
        return item


class CanonicalUrlPipeline(_SpiderPipeline):
    """The article's canonical URL; an article already stored under it is dropped here."""

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        declared = item["extracted"].url
        item["canonical_url"] = normalize_url(declared or item["url"])
        item["fetched_url"] = normalize_url(item["requested_url"])
        if item["canonical_url"] in self.spider.context.known_urls:
            self.spider.stat("already_stored")
            self.spider.context.emit({"event": "article", "status": "known", "url": item["canonical_url"]})
            raise DropItem(f"{item['canonical_url']} is already stored")
        return item


class StoragePipeline(_SpiderPipeline):
    """Store the article in its own transaction, pending analysis; link republished copies."""

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        spider = self.spider
        context = spider.context
        extracted = item["extracted"]
        published = extracted.published
        if published is None and item.get("hint_published"):
            published = datetime.fromisoformat(item["hint_published"])
        new = store.NewArticle(
            url=item["canonical_url"],
            fetched_url=item["fetched_url"],
            text=extracted.text,
            title=extracted.title or item.get("hint_title"),
            published=published,
            authors=extracted.authors,
            lang=extracted.lang,
            source_id=spider.source.get("id"),
        )
        result = store.store_article(context.session, new, context.duplicate_index)
        context.known_urls.update((item["canonical_url"], item["fetched_url"]))
        spider.stat({"new": "new_articles", "duplicate": "duplicates"}.get(result.status, "already_stored"))
        context.emit({"event": "article", "status": result.status, "url": item["canonical_url"],
                      "duplicate_of": result.duplicate_of_id})
        return {"url": item["canonical_url"], "status": result.status}
