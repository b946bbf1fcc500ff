"""The baseline: the 2017 seed story, stored once and analysed by the same code as every other article."""

from __future__ import annotations

import json
from datetime import datetime

from sqlmodel import Session

from mxwatch import settings
from mxwatch.models import store
from mxwatch.models.queries import baseline_article
from mxwatch.models.tables import Article
from mxwatch.pipelines.extraction import ExtractedArticle, extract_text
from mxwatch.pipelines.urls import normalize_url


def seed_article() -> tuple[ExtractedArticle, dict]:
    """The seed page read as a plain-text article (its trailing page furniture cut by the generic rules)."""
    meta = json.loads((settings.SEED_DIR / "seed.json").read_text(encoding="utf-8"))
    text = (settings.SEED_DIR / meta["file"]).read_text(encoding="utf-8")
    article = extract_text(text, url=meta["url"], published=datetime.fromisoformat(meta["published"]))
    return article, meta


def ensure_baseline(session: Session) -> tuple[Article, bool]:
    """Store the seed as the baseline article (pending analysis) unless it is there; return it and whether it
    was created now."""
    existing = baseline_article(session)
    if existing is not None:
        return existing, False
    article, meta = seed_article()
    index = store.load_duplicate_index(session)
    result = store.store_article(session, store.NewArticle(
        url=normalize_url(meta["url"]), text=article.text, title=article.title, published=article.published,
        authors=article.authors, lang=article.lang or meta.get("lang"), is_baseline=True,
    ), index)
    stored = session.get(Article, result.article_id)
    if not stored.is_baseline:  # the URL was stored earlier by a crawl: promote that row
        stored.is_baseline = True
        stored.duplicate_of_id = None
        session.add(stored)
        session.commit()
    return stored, True
