"""Database writes/s: articles stored the way a crawl stores them (``store.store_articles``: a transaction per
batch of STORE_BATCH_SIZE, write lock, duplicate check, MinHash) and analyses saved the way ``analyze_pending``
saves them, on SQLite and PostgreSQL (a database of its own, created and dropped)."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from mxwatch import settings
from mxwatch.benchmarks.common import texts, timed

PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


@contextmanager
def postgres_database(admin_url: str = PG_ADMIN_URL) -> Iterator[str]:
    """A fresh PostgreSQL database for the benchmark, dropped afterwards; yields its URL."""
    name = f"mxwatch_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.rsplit("/", 1)[0] + "/" + name
    finally:
        from mxwatch.models import db

        db._engine_for.cache_clear()  # close pooled connections, or the drop waits for them
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _writes(url: str, n: int) -> dict[str, Any]:
    from sqlmodel import Session

    from mxwatch.models import db, store
    from mxwatch.models.tables import Article
    from mxwatch.stages import init_database

    init_database(url, analyze=False)
    articles = [store.NewArticle(url=f"https://bench.example/{i}", text=body, title=title, lang="en")
                for i, (title, body) in enumerate(texts(n))]
    with Session(db.get_engine(url), expire_on_commit=False) as session:
        index = store.load_duplicate_index(session)
        size = settings.STORE_BATCH_SIZE
        batches = [articles[start : start + size] for start in range(0, len(articles), size)]
        results, seconds = timed(lambda: [r for batch in batches for r in store.store_articles(session, batch, index)])
        stored = [session.get(Article, r.article_id) for r in results]
        session.commit()
        analysis = {"lang": "en", "relevance": 0.9, "relevant": True,
                    "companies": [{"name": f"Company {k}", "mentions": 2} for k in range(4)],
                    "cities": [{"name": "Guadalajara", "state": "Jalisco", "lat": 20.67, "lon": -103.39,
                                "mentions": 3}],
                    "states": [{"name": "Jalisco", "mentions": 2}],
                    "job_counts": [{"value": 250, "unit": "jobs", "kind": "new", "company": "Company 1",
                                    "city": "Guadalajara", "state": "Jalisco", "evidence": "a sentence"}]}
        cache = store.EntityCache()

        def save_all() -> None:
            # As analyze_pending does: one transaction per batch of 128, behind the write lock.
            for start in range(0, len(stored), 128):
                store.serialise_writes(session)
                for article in stored[start:start + 128]:
                    store.save_analysis(session, article, analysis, cache)
                session.commit()

        _, save_s = timed(save_all)
    return {"articles": n, "article_writes_per_s": n / seconds, "analysis_writes_per_s": n / save_s}


def bench_storage(n: int) -> dict[str, Any]:
    """Article and analysis writes/s on SQLite and on PostgreSQL."""
    result: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        result["sqlite"] = _writes(f"sqlite:///{Path(tmp) / 'writes.db'}", n)
    with postgres_database() as url:
        result["postgresql"] = _writes(url, n)
    return result
