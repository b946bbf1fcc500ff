"""State one crawl process shares between its spiders and item pipelines."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from typing import IO, Any

from sqlmodel import Session

from mxwatch.models import store
from mxwatch.models.db import get_engine


class CrawlContext:
    """The database session, the URLs already stored, the duplicate index and the event stream of a crawl."""

    def __init__(self, database_url: str, events: IO[str] | None = None, not_before: datetime | None = None,
                 not_after: datetime | None = None) -> None:
        self.database_url = database_url
        # The crawl window: items a listing dates outside it are skipped (a backfilled day stores its own items).
        self.not_before = not_before
        self.not_after = not_after
        self.session = Session(get_engine(database_url), expire_on_commit=False)
        self.known_urls: set[str] = store.known_urls(self.session)
        self.queued_urls: set[str] = set()
        self.duplicate_index = store.load_duplicate_index(self.session)
        self.session.commit()
        self._events = events or sys.stdout
        self._reader_gone = False
        self.listing_errors: dict[str, str] = {}
        self.listings_ok: set[str] = set()

    def outside_window(self, published: datetime | None) -> str | None:
        """Why an item dated ``published`` is outside the crawl window, or None when it counts (or is undated)."""
        if published is None:
            return None
        if published.tzinfo is None:
            published = published.replace(tzinfo=UTC)
        if self.not_before is not None and published < self.not_before:
            return f"published {published:%Y-%m-%d}, before the horizon {self.not_before:%Y-%m-%d}"
        if self.not_after is not None and published >= self.not_after:
            return f"published {published:%Y-%m-%d}, after this run's window"
        return None

    def after_window(self, published: datetime | None) -> bool:
        """True when an item dated ``published`` is too new for this run (a later run may count it)."""
        if published is None or self.not_after is None:
            return False
        return (published if published.tzinfo else published.replace(tzinfo=UTC)) >= self.not_after

    def emit(self, event: dict[str, Any]) -> None:
        """Write one JSON event line for the parent process (progress, outcomes)."""
        if self._reader_gone:
            return
        try:
            self._events.write(json.dumps(event, ensure_ascii=False, default=str) + "\n")
            self._events.flush()
        except BrokenPipeError:
            # The parent died: no one reads the events any more; the outcomes are in the database all the same.
            self._reader_gone = True

    def listing_ok(self, source: str) -> None:
        """A feed or sitemap of ``source`` was read."""
        self.listings_ok.add(source)

    def listing_failed(self, source: str, message: str) -> None:
        """A feed or sitemap of ``source`` could not be read."""
        self.listing_errors.setdefault(source, message)
        self.emit({"event": "listing_error", "source": source, "reason": message})

    def close(self) -> None:
        """Release the database session."""
        self.session.close()
