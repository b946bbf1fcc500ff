"""The stages of a run — initialise, crawl, analyse, refresh trends — called alike by the CLI, the DAG and
the demo, so that there is one code path."""

from __future__ import annotations

import json
import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from mxwatch import settings
from mxwatch.baseline import ensure_baseline
from mxwatch.errors import MxwatchError, SourceFailed, first_line
from mxwatch.models import db, queries, store
from mxwatch.models.run_leases import reap_interrupted_runs
from mxwatch.models.tables import Article, CrawlRun, Source, utcnow
from mxwatch.pipelines.analysis import Analyzer, ArticleInput
from mxwatch.pipelines.language import detect_language
from mxwatch.pipelines.worker_processes import WORKERS_UNAVAILABLE, WorkerSlots
from mxwatch.spiders.runner import CrawlSummary, run_crawl

if TYPE_CHECKING:
    from mxwatch.pipelines.analysis_pool import AnalysisPool

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


def analyses(batch: list[ArticleInput]) -> list[dict | str]:
    """Analysis objects for a batch, or for an article that cannot be analysed, why (one line)."""
    return get_analyzer().analyze_each(batch)


def analyze_pending(
    database_url: str | None = None, batch_size: int = settings.ANALYSIS_BATCH_SIZE * 4,
    on_progress: Callable[[int], None] | None = None, processes: int | None = None, pool: AnalysisPool | None = None,
) -> int:
    """Analyse every stored article that has no analysis yet, a batch per transaction; return how many.

    A crash loses at most the batches in flight; the next call resumes with what is still pending. An article
    that cannot be analysed is marked with its error instead of blocking the queue. Concurrent callers may
    analyse the same article, but only the first to save it stores its analysis.

    A backlog of at least ``settings.analysis_parallel_min()`` articles is analysed by ``processes`` processes
    (default ``settings.analysis_processes()``: every core), this one and spawned workers; results are the same
    as in one process, and this process alone writes them. The workers come out of the host's worker slots
    (``settings.worker_slots``), so parallel tasks do not overload the machine. A caller may pass its own started
    ``pool`` instead (the tests: warmed up beforehand); it is used whatever the backlog, and left open.
    """
    queue = _PendingQueue(database_url, batch_size)
    if pool is not None:
        return _analyse_queue(queue, on_progress, pool)
    processes = settings.analysis_processes() if processes is None else max(1, processes)
    if processes > 1 and (pending := queue.pending_count()) >= settings.analysis_parallel_min():
        from mxwatch.pipelines.analysis_pool import AnalysisPool

        slots = WorkerSlots([])
        try:
            slots = WorkerSlots.claim(processes - 1)
            if not len(slots):
                log.info("every spare core runs other mxwatch workers; analysing in one process")
                return _analyse_queue(queue, on_progress, None)
            own = AnalysisPool(len(slots), queue.pending_languages())
        except WORKERS_UNAVAILABLE as exc:
            # Analyse alone, as on one core (a Celery task process is daemonic: it may not have children).
            slots.release()
            log.warning("analysis workers unavailable (%s); analysing in one process", exc or type(exc).__name__)
        else:
            log.info("analysing %d pending articles on %d processes", pending, len(slots) + 1)
            try:
                with own:
                    return _analyse_queue(queue, on_progress, own)
            finally:
                slots.release()
    return _analyse_queue(queue, on_progress, None)


@dataclass
class _Batch:
    """Pending articles read together, saved together (one transaction)."""

    ids: list[int]
    inputs: list[ArticleInput]
    results: list[dict | str | None]
    missing: int


class _PendingQueue:
    """The articles still to analyse, read a batch at a time in id order."""

    def __init__(self, database_url: str | None, batch_size: int) -> None:
        self.database_url = database_url
        self.batch_size = max(1, batch_size)
        self.last_id = 0
        self.exhausted = False

    def pending_count(self) -> int:
        """How many articles have no analysis yet."""
        with db.session_scope(self.database_url) as session:
            return session.execute(select(func.count()).select_from(Article)
                                   .where(Article.analyzed_at.is_(None))).scalar() or 0

    def pending_languages(self) -> set[str]:
        """The supported languages declared by pending articles (English when none says)."""
        with db.session_scope(self.database_url) as session:
            declared = session.execute(select(Article.lang).where(Article.analyzed_at.is_(None))
                                       .distinct()).scalars().all()
        return {detect_language("", lang) for lang in declared if lang} or {"en"}

    def next_batch(self) -> _Batch | None:
        """The next batch of pending articles after those already read, or None at the end."""
        if self.exhausted:
            return None
        with db.session_scope(self.database_url) as session:
            articles = session.execute(
                select(Article).where(Article.analyzed_at.is_(None), Article.id > self.last_id)
                .order_by(Article.id).limit(self.batch_size)
            ).scalars().all()
            inputs = [article_input(a) for a in articles]
            ids = [a.id for a in articles]
        if not ids:
            self.exhausted = True
            return None
        self.last_id = ids[-1]
        return _Batch(ids, inputs, [None] * len(ids), len(ids))

    def save(self, batch: _Batch, cache: store.EntityCache) -> int:
        """Store the batch's analyses in one transaction; return how many this process saved."""
        saved = 0
        with db.session_scope(self.database_url) as session:
            store.serialise_writes(session)
            for article_id, result in zip(batch.ids, batch.results, strict=True):
                article = session.get(Article, article_id)
                if article is None or article.analyzed_at is not None:
                    continue  # analysed meanwhile by another process
                if isinstance(result, str):
                    store.mark_analysis_failed(session, article, result)
                else:
                    assert result is not None
                    store.save_analysis(session, article, result, cache)
                saved += 1
        return saved


def _analyse_queue(queue: _PendingQueue, on_progress: Callable[[int], None] | None,
                   pool: AnalysisPool | None) -> int:
    """Analyse and save every pending article; with ``pool`` (an AnalysisPool), chunks go to its workers too."""
    cache = store.EntityCache()
    done = 0
    if pool is None:
        while (batch := queue.next_batch()) is not None:
            batch.results = list(analyses(batch.inputs))
            done += queue.save(batch, cache)
            if on_progress is not None:
                on_progress(len(batch.ids))
        return done

    from concurrent.futures import FIRST_COMPLETED, wait
    from concurrent.futures.process import BrokenProcessPool

    # Chunks not yet started: (batch, start, end). Two batches are read ahead, so that every process has work
    # while this one saves; batches are saved in order, each once all its chunks are back.
    open_batches: deque[_Batch] = deque()
    chunks: deque[tuple[_Batch, int, int]] = deque()
    in_flight: dict[Any, tuple[_Batch, int, int]] = {}
    processes = pool.workers + 1

    def finish(chunk: tuple[_Batch, int, int], results: list[dict | str]) -> None:
        batch, start, end = chunk
        batch.results[start:end] = results
        batch.missing -= end - start

    while True:
        while len(open_batches) < 2 and (batch := queue.next_batch()) is not None:
            open_batches.append(batch)
            size = max(1, min(settings.ANALYSIS_CHUNK, -(-len(batch.ids) // processes)))
            chunks.extend((batch, i, min(i + size, len(batch.ids))) for i in range(0, len(batch.ids), size))
        if not open_batches:
            return done
        try:
            if pool is not None and pool.ready:
                # One running and one queued per worker, so that none waits for this process to hand it the next;
                # near the end only one each, so that none is left with two chunks while the others are done.
                per_worker = 2 if len(chunks) >= 2 * processes else 1
                while chunks and len(in_flight) < per_worker * pool.workers:
                    chunk = chunks.popleft()
                    in_flight[pool.submit(chunk[0].inputs[chunk[1]:chunk[2]])] = chunk
            if chunks:  # this process's share
                chunk = chunks.popleft()
                batch, start, end = chunk
                finish(chunk, analyses(batch.inputs[start:end]))
            elif in_flight:
                wait(in_flight, return_when=FIRST_COMPLETED)
            for future in [f for f in in_flight if f.done()]:
                chunk = in_flight.pop(future)
                finish(chunk, future.result())
        except BrokenProcessPool:
            # A worker died (killed from outside, out of memory): what it had is analysed here instead.
            log.warning("an analysis worker died; analysing the rest in this process")
            chunks.extendleft(reversed([chunk, *in_flight.values()]))
            in_flight.clear()
            pool.close()
            pool = None
        while open_batches and open_batches[0].missing == 0:
            batch = open_batches.popleft()
            done += queue.save(batch, cache)
            if on_progress is not None:
                on_progress(len(batch.ids))


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
    analysis_processes: int | None = None,
) -> dict[str, Any]:
    """Crawl, analyse what is new (on ``analysis_processes`` processes; default: see ``analyze_pending``), refresh
    trends: what ``mxwatch crawl`` does."""
    summary = crawl(sources, database_url, on_event, not_before)
    analyzed = analyze_pending(database_url, processes=analysis_processes)
    points = refresh_trends(database_url)
    return {"sources": summary.sources, "analyzed": analyzed, "trend_points": points,
            "new_articles": summary.total("new_articles"), "duplicates": summary.total("duplicates")}
