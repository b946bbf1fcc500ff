"""The stages of a run — initialise, crawl, analyse, refresh trends — called alike by the CLI, the DAG and
the demo, so that there is one code path."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import select

from mxwatch import settings
from mxwatch.baseline import ensure_baseline
from mxwatch.errors import MxwatchError, SourceFailed, first_line
from mxwatch.models import db, queries, store
from mxwatch.models.run_leases import reap_interrupted_runs
from mxwatch.models.tables import Article, CrawlRun, Source, utcnow
from mxwatch.pipelines.analysis import Analyzer, ArticleInput
from mxwatch.spiders.runner import CrawlSummary, run_crawl

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def get_analyzer() -> Analyzer:
    """The process's analyzer: models load once, on first use."""
    return Analyzer(batch_size=settings.ANALYSIS_BATCH_SIZE)


def init_database(database_url: str | None = None, analyze: bool = True) -> dict[str, Any]:
    """Create or migrate the schema and store the baseline; with ``analyze``, also analyse what is pending
    (the baseline first of all) and refresh trends. Idempotent."""
    db.migrate(database_url)
    with db.session_scope(database_url) as session:
        article, created = ensure_baseline(session)
        baseline_id = article.id
    if not analyze:
        return {"baseline_id": baseline_id, "baseline_created": created, "analyzed": 0, "trend_points": None}
    analyzed = analyze_pending(database_url)
    points = refresh_trends(database_url)
    return {"baseline_id": baseline_id, "baseline_created": created, "analyzed": analyzed, "trend_points": points}


def article_input(article: Article) -> ArticleInput:
    """What the analyzer needs from a stored article."""
    return ArticleInput(
        text=article.text, title=article.title, url=article.url, published=db.as_utc(article.published),
        authors=json.loads(article.authors or "[]"), lang=article.lang,
    )


def _analyses(batch: list[ArticleInput]) -> list[dict | str]:
    """Analysis objects for a batch, or for an article that cannot be analysed, why (one line)."""
    analyzer = get_analyzer()
    try:
        return list(analyzer.analyze_many(batch))
    except Exception:  # noqa: BLE001 - find the article that fails, keep the rest of the batch
        results: list[dict | str] = []
        for article in batch:
            try:
                results.append(analyzer.analyze(article))
            except Exception as exc:  # noqa: BLE001 - recorded on the article, the queue moves on
                results.append(f"{type(exc).__name__}: {first_line(exc)}")
        return results


def analyze_pending(
    database_url: str | None = None, batch_size: int = settings.ANALYSIS_BATCH_SIZE * 4,
    on_progress: Callable[[int], None] | None = None,
) -> int:
    """Analyse every stored article that has no analysis yet, a batch per transaction; return how many.

    A crash loses at most the batch in flight; the next call resumes with what is still pending. An article
    that cannot be analysed is marked with its error instead of blocking the queue. Concurrent callers may
    analyse the same article, but only the first to save it stores its analysis.
    """
    cache = store.EntityCache()
    done = 0
    last_id = 0
    while True:
        with db.session_scope(database_url) as session:
            batch = session.execute(
                select(Article).where(Article.analyzed_at.is_(None), Article.id > last_id)
                .order_by(Article.id).limit(batch_size)
            ).scalars().all()
            inputs = [article_input(a) for a in batch]
        if not batch:
            return done
        results = _analyses(inputs)
        with db.session_scope(database_url) as session:
            store.serialise_writes(session)
            for stale, result in zip(batch, results, strict=True):
                article = session.get(Article, stale.id)
                if article is None or article.analyzed_at is not None:
                    continue  # analysed meanwhile by another process
                if isinstance(result, str):
                    store.mark_analysis_failed(session, article, result)
                else:
                    store.save_analysis(session, article, result, cache)
                done += 1
        last_id = batch[-1].id
        if on_progress is not None:
            on_progress(len(batch))


def refresh_trends(database_url: str | None = None) -> int:
    """Rebuild the trend table from what is stored; return the number of trend points."""
    with db.session_scope(database_url) as session:
        return queries.refresh_trends(session)


def write_report(
    database_url: str | None = None, out_path: str | Path | None = None, since: date | None = None,
    until: date | None = None,
) -> dict[str, Any]:
    """Write the self-contained HTML report (default ``settings.report_path()``): what ``mxwatch report`` and
    the DAG's last task do."""
    from mxwatch.report import write_report as write

    return write(out_path, database_url, since, until)


def crawl(
    sources: list[dict[str, str]], database_url: str | None = None,
    on_event: Callable[[dict[str, Any]], None] | None = None, not_before: datetime | None = None,
) -> CrawlSummary:
    """Discover and store new articles from ``sources`` (in a child process), skipping items the listings date
    before ``not_before``. The database is migrated and the baseline stored first, so that republished copies of
    it are recognised."""
    init_database(database_url, analyze=False)  # analysis of what is pending comes after the crawl
    database_url = database_url or settings.database_url()
    try:
        return run_crawl(sources, database_url=database_url, on_event=on_event, not_before=not_before)
    except MxwatchError:
        reap_interrupted_runs(database_url)  # the crawl process died: its runs say so now, not at the next crawl
        raise


def crawl_source(
    source: dict[str, str], database_url: str | None = None, not_before: datetime | None = None,
    not_after: datetime | None = None,
) -> dict[str, Any]:
    """Crawl one source in its own process (the DAG's mapped task) within a date window; raise SourceFailed if
    the source failed (its crawl run records why)."""
    database_url = database_url or settings.database_url()
    try:
        result = run_crawl([source], database_url=database_url, not_before=not_before, not_after=not_after).sources[0]
    except MxwatchError as exc:  # the crawl process itself died: nothing recorded it yet
        reap_interrupted_runs(database_url)
        record_failure(f"crawl of {source['name']} failed: {exc}", source["name"], database_url)
        raise SourceFailed(str(exc)) from exc
    if result["status"] != "ok":
        raise SourceFailed(f"source {source['name']} failed: {result['message']}")
    return result


def record_failure(message: str, source_name: str | None = None, database_url: str | None = None) -> None:
    """Record a failed step in the crawl-runs table (best effort: never raises, it runs in failure paths)."""
    try:
        with db.session_scope(database_url) as session:
            source_id = None
            if source_name:
                source_id = session.execute(select(Source.id).where(Source.name == source_name)).scalar()
            session.add(CrawlRun(source_id=source_id, status="failed", finished_at=utcnow(), message=message[:2000]))
    except Exception as exc:  # noqa: BLE001 - the database may be what failed
        log.warning("could not record the failure %r: %s", message, first_line(exc))


def run_all(
    sources: list[dict[str, str]], database_url: str | None = None,
    on_event: Callable[[dict[str, Any]], None] | None = None, not_before: datetime | None = None,
) -> dict[str, Any]:
    """Crawl, analyse what is new, refresh trends: what ``mxwatch crawl`` does."""
    summary = crawl(sources, database_url, on_event, not_before)
    analyzed = analyze_pending(database_url)
    points = refresh_trends(database_url)
    return {"sources": summary.sources, "analyzed": analyzed, "trend_points": points,
            "new_articles": summary.total("new_articles"), "duplicates": summary.total("duplicates")}
