"""Extraction worker processes during a crawl of several sources: one pool for the crawl process, not one per
source (each worker holds its own copy of the extraction libraries), and every article stored once."""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from mxwatch.models import db
from mxwatch.models.tables import Article
from mxwatch.pipelines.extraction_pool import ExtractionPool
from mxwatch.pipelines.worker_processes import WorkerSlots
from mxwatch.spiders.runner import CrawlSummary, run_crawl
from mxwatch.stages import init_database
from tests.fixture_web import XML, FixtureWeb, Route, article_page, rss

SOURCES = 3
ARTICLES = 14  # beyond the pool's START_AFTER in every source, so that each source would start its own pool

WORDS = ["plant", "engineers", "assembly", "export", "supplier", "contract", "shift", "wages", "logistics",
         "tooling", "harness", "wiring", "castings", "paint", "press", "robots", "training", "campus", "warehouse",
         "freight", "rail", "port", "customs"]


def _text(source: int, number: int) -> list[str]:
    # Distinct texts (no near-copies): word order varies with the article, and each names its own numbers.
    words = [WORDS[(source * 7 + number * 3 + i * 5) % len(WORDS)] for i in range(90)]
    return [f"Story {source}-{number}: a maker said it would hire {100 + 10 * number + source} people. "
            + " ".join(words[:45]) + ".", f"Figure {source * 1000 + number}. " + " ".join(words[45:]) + "."]


def _spawned_workers_of(root: int) -> set[int]:
    """Pids of multiprocessing spawn workers that descend from ``root``."""
    parents: dict[int, int] = {}
    commands: dict[int, bytes] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            commands[int(entry.name)] = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found = set()
    for pid, command in commands.items():
        if b"spawn_main" not in command:
            continue
        ancestor = parents.get(pid)
        while ancestor and ancestor != root:
            ancestor = parents.get(ancestor)
        if ancestor == root:
            found.add(pid)
    return found


def _crawl_watching_workers(sources: list[dict], database_url: str) -> tuple[CrawlSummary, set[int]]:
    """Crawl with one extraction worker configured; the crawl's summary and the extraction workers seen."""
    seen: set[int] = set()
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            seen.update(_spawned_workers_of(os.getpid()))
            time.sleep(0.05)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        summary = run_crawl(sources, database_url, scrapy_settings={"MXWATCH_EXTRACTION_PROCESSES": 1})
    finally:
        done.set()
        watcher.join()
    return summary, seen


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process tree from /proc (Linux)")
def test_sources_of_one_crawl_share_one_extraction_pool(sqlite_url: str) -> None:
    init_database(sqlite_url, analyze=False)
    routes: dict[str, Route | list[Route]] = {}
    for s in range(SOURCES):
        routes[f"/feed{s}.xml"] = Route(rss([f"{{base}}/s{s}/{n}" for n in range(ARTICLES)]), headers=XML)
        for n in range(ARTICLES):
            # Slow pages: the sources crawl side by side long enough for their pools to be seen.
            routes[f"/s{s}/{n}"] = Route(article_page(f"Maker {s}-{n} hires", _text(s, n)), delay=0.2)
    with FixtureWeb(routes) as web:
        sources = [{"name": f"f{s}", "kind": "feed", "url": f"{web.base_url}/feed{s}.xml"} for s in range(SOURCES)]
        summary, seen = _crawl_watching_workers(sources, sqlite_url)
    assert summary.total("new_articles") == SOURCES * ARTICLES and summary.total("errors") == 0
    with db.session_scope(sqlite_url) as session:
        assert session.execute(select(func.count()).select_from(Article)
                               .where(Article.is_baseline.is_(False))).scalar_one() == SOURCES * ARTICLES
    # The pool was used (its worker was seen), and it was one pool of one worker for the three sources.
    assert len(seen) == 1, f"{len(seen)} extraction workers for {SOURCES} sources with 1 process configured"


def _without_shared_memory() -> list[str] | None:
    """A command prefix running its command where /dev/shm is read-only (as in containers without one), so that
    worker pools cannot be created; None when this machine cannot make one (not root, no unshare)."""
    prefix = ["unshare", "-m", "sh", "-c", 'mount -t tmpfs -o ro none /dev/shm && exec "$@"', "sh"]
    try:
        probe = subprocess.run([*prefix, sys.executable, "-c", "import multiprocessing as m; m.Lock()"],
                               capture_output=True, text=True, timeout=60)
    except OSError:
        return None
    return prefix if "Read-only file system" in probe.stderr else None


def test_crawl_extracts_inline_when_worker_processes_cannot_start(sqlite_url: str) -> None:
    prefix = _without_shared_memory()
    if prefix is None:
        pytest.skip("needs root and unshare to make /dev/shm read-only")
    init_database(sqlite_url, analyze=False)
    routes: dict[str, Route | list[Route]] = {"/feed.xml": Route(rss([f"{{base}}/a/{n}" for n in range(ARTICLES)]),
                                                                  headers=XML)}
    for n in range(ARTICLES):
        routes[f"/a/{n}"] = Route(article_page(f"Maker {n} hires", _text(0, n)))
    with FixtureWeb(routes) as web:
        script = ("import json, sys; from mxwatch.spiders.runner import run_crawl; "
                  "s = run_crawl(json.loads(sys.argv[1]), sys.argv[2], "
                  "scrapy_settings={'MXWATCH_EXTRACTION_PROCESSES': 1}); "
                  "print(json.dumps({'new': s.total('new_articles'), 'errors': s.total('errors')}))")
        sources = [{"name": "f", "kind": "feed", "url": f"{web.base_url}/feed.xml"}]
        done = subprocess.run([*prefix, sys.executable, "-c", script, json.dumps(sources), sqlite_url],
                              capture_output=True, text=True, timeout=300, cwd=Path(__file__).parent.parent)
    assert done.returncode == 0, done.stderr[-2000:]
    # Every article past the first few used to fail: the pool's creation raised for each one.
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {"new": ARTICLES, "errors": 0}


def _extract_in_a_daemonic_process(result: multiprocessing.Queue) -> None:
    pool = ExtractionPool(1, start_after=0)
    page = article_page("Maker hires in Saltillo", _text(0, 1))
    try:
        article = asyncio.run(pool.extract(page, "http://127.0.0.1/a/1"))
        result.put((article.title, pool.processes))
    except BaseException as exc:  # noqa: BLE001 - the parent asserts on what happened
        result.put((f"{type(exc).__name__}: {exc}", -1))
    finally:
        pool.close()


def test_a_process_that_may_not_have_children_extracts_inline() -> None:
    # A daemonic process (a multiprocessing or Celery worker's) may not start the pool's workers: the page is
    # extracted in the process itself, and the pool stays off, as with no /dev/shm.
    context = multiprocessing.get_context("spawn")
    result = context.Queue()
    process = context.Process(target=_extract_in_a_daemonic_process, args=(result,), daemon=True)
    process.start()
    title, processes = result.get(timeout=120)
    process.join(timeout=30)
    assert (title, processes) == ("Maker hires in Saltillo", 0)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process tree from /proc (Linux)")
def test_a_crawl_finding_every_worker_slot_taken_extracts_inline(sqlite_url: str,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # Another mxwatch process on this host (a parallel Airflow task) holds the host's only spare core.
    monkeypatch.setenv("MXWATCH_WORKER_SLOTS", "1")
    init_database(sqlite_url, analyze=False)
    routes: dict[str, Route | list[Route]] = {"/feed.xml": Route(rss([f"{{base}}/a/{n}" for n in range(ARTICLES)]),
                                                                  headers=XML)}
    for n in range(ARTICLES):
        routes[f"/a/{n}"] = Route(article_page(f"Maker {n} hires", _text(0, n)), delay=0.2)
    held = WorkerSlots.claim(1)
    try:
        with FixtureWeb(routes) as web:
            summary, seen = _crawl_watching_workers(
                [{"name": "f", "kind": "feed", "url": f"{web.base_url}/feed.xml"}], sqlite_url)
    finally:
        held.release()
    assert (summary.total("new_articles"), summary.total("errors")) == (ARTICLES, 0)
    assert seen == set(), f"{len(seen)} extraction workers started with no worker slot free"
