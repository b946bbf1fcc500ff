"""Analysis of a backlog on several processes: the same analyses as in one process, each saved once, workers gone
afterwards; a worker that dies leaves its share to the caller; bad settings are one-line errors."""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from mxwatch import settings
from mxwatch.demo_site.generated import generated_articles
from mxwatch.errors import UsageError
from mxwatch.models import db, store
from mxwatch.models.queries import analysis_object
from mxwatch.models.tables import Article
from mxwatch.pipelines.analysis_pool import AnalysisPool
from mxwatch.stages import analyze_pending, article_input, get_analyzer, init_database

KEYS = ("lang", "relevant", "relevance", "companies", "cities", "states", "job_counts")


def _store(database_url: str, n: int) -> None:
    """``n`` generated articles (English and Spanish, 150-250 words) waiting for analysis."""
    init_database(database_url, analyze=False)
    with db.session_scope(database_url) as session:
        index = store.load_duplicate_index(session)
        for record in generated_articles(n, seed=5, words=(150, 250)):
            store.store_article(session, store.NewArticle(
                url=f"https://news.example/{record['slug']}", title=record["title"],
                text="\n\n".join(record["paragraphs"]), lang=record["lang"]), index)


def _stored_and_fresh(database_url: str) -> tuple[list[dict], list[dict]]:
    with db.session_scope(database_url) as session:
        articles = session.execute(select(Article).order_by(Article.id)).scalars().all()
        stored = [analysis_object(session, a) for a in articles]
        fresh = list(get_analyzer().analyze_many([article_input(a) for a in articles]))
    return stored, fresh


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_backlog_on_two_processes_equals_one_process(db_url: str, start_method: str) -> None:
    _store(db_url, 48)
    with AnalysisPool(1, method=start_method) as pool:
        workers = pool.wait_ready(timeout=120)
        assert len(workers) == 1
        assert analyze_pending(db_url, pool=pool) == 49  # and the baseline
        assert 0 < pool.submitted < 49  # both processes took a share
    assert not any(_alive(pid) for pid in workers)
    stored, fresh = _stored_and_fresh(db_url)
    assert {a["lang"] for a in stored} == {"en", "es"}
    assert sum(len(a["companies"]) for a in stored) > 40
    for mine, theirs in zip(stored, fresh, strict=True):
        assert {k: mine[k] for k in KEYS} == {k: theirs[k] for k in KEYS}, mine["url"]
    assert analyze_pending(db_url, pool=None) == 0


def test_a_dead_worker_leaves_its_share_to_the_caller(sqlite_url: str) -> None:
    _store(sqlite_url, 30)
    with AnalysisPool(1) as pool:
        (worker,) = pool.wait_ready(timeout=120)
        os.kill(worker, signal.SIGKILL)
        assert analyze_pending(sqlite_url, pool=pool) == 31
    stored, fresh = _stored_and_fresh(sqlite_url)
    assert all(a["relevance"] is not None for a in stored)
    for mine, theirs in zip(stored, fresh, strict=True):
        assert {k: mine[k] for k in KEYS} == {k: theirs[k] for k in KEYS}, mine["url"]


def test_workers_start_only_for_a_backlog_of_parallel_min(sqlite_url: str, monkeypatch: pytest.MonkeyPatch,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    _store(sqlite_url, 3)
    monkeypatch.setenv("MXWATCH_ANALYSIS_PROCESSES", "2")
    assert settings.ANALYSIS_PARALLEL_MIN > 4
    with caplog.at_level(logging.INFO, logger="mxwatch.stages"):
        assert analyze_pending(sqlite_url, batch_size=2) == 4  # below the default minimum: one process
        assert "pending articles on" not in caplog.text
        with db.session_scope(sqlite_url) as session:
            for article in session.execute(select(Article)).scalars():
                article.analyzed_at = None
        monkeypatch.setenv("MXWATCH_ANALYSIS_PARALLEL_MIN", "4")
        assert analyze_pending(sqlite_url, batch_size=2) == 4
        assert "analysing 4 pending articles on 2 processes" in caplog.text


def test_bad_setting_fails_the_crawl_before_it_starts(cli) -> None:  # noqa: ANN001
    result = cli("crawl", "--feed", "http://127.0.0.1:9/feed.xml", env={"MXWATCH_ANALYSIS_PROCESSES": "many"})
    assert result.code == 2 and result.stderr.strip().splitlines() == [
        "mxwatch: error: MXWATCH_ANALYSIS_PROCESSES must be a whole number of at least 1, not 'many'"], result.stderr


@pytest.mark.parametrize(("name", "value"), [("MXWATCH_ANALYSIS_PROCESSES", "0"),
                                             ("MXWATCH_ANALYSIS_PROCESSES", "two"),
                                             ("MXWATCH_ANALYSIS_PARALLEL_MIN", "-1")])
def test_bad_settings_are_one_line_errors(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(UsageError, match=name):
        settings.analysis_processes()
        settings.analysis_parallel_min()


UNGUARDED_SCRIPT = """
import sys, threading
from mxwatch.stages import analyze_pending
threading.Thread(target=threading.Event().wait, daemon=True).start()  # another thread: workers are spawned
print("analysed", analyze_pending(sys.argv[1], processes=2))
"""


def test_spawned_workers_do_not_rerun_the_callers_script(sqlite_url: str, tmp_path: Path) -> None:
    # A script without an `if __name__ == "__main__"` guard: a spawned worker must not run it again (it would
    # start workers of its own, and analyse the backlog once more).
    _store(sqlite_url, 6)
    script = tmp_path / "analyse.py"
    script.write_text(UNGUARDED_SCRIPT, encoding="utf-8")
    env = {**os.environ, "MXWATCH_ANALYSIS_PARALLEL_MIN": "0"}
    proc = subprocess.run([sys.executable, str(script), sqlite_url], capture_output=True, text=True, env=env,
                          timeout=300)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    assert proc.stdout.splitlines() == ["analysed 7"]


def _analyse_in_a_daemonic_process(database_url: str, result: multiprocessing.Queue) -> None:
    result.put(analyze_pending(database_url, processes=2))


def test_a_process_that_may_not_have_children_analyses_alone(sqlite_url: str) -> None:
    # A multiprocessing worker (daemonic: it may not start processes) running analyze_pending with a backlog
    # big enough for workers: it analyses everything itself instead of failing.
    _store(sqlite_url, settings.analysis_parallel_min())
    context = multiprocessing.get_context("fork")
    result = context.Queue()
    process = context.Process(target=_analyse_in_a_daemonic_process, args=(sqlite_url, result), daemon=True)
    process.start()
    done = result.get(timeout=120)
    process.join(60)
    assert process.exitcode == 0
    assert done == settings.analysis_parallel_min() + 1  # and the baseline
    stored, fresh = _stored_and_fresh(sqlite_url)
    for mine, theirs in zip(stored, fresh, strict=True):
        assert {k: mine[k] for k in KEYS} == {k: theirs[k] for k in KEYS}, mine["url"]
