"""The mxwatch_daily DAG: parses cleanly and runs end to end with dag.test() against the demo site."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from mxwatch.demo import write_demo_sources
from mxwatch.models import db
from mxwatch.models.tables import Article, CrawlRun, JobCount
from tests.conftest import AIRFLOW_HOME, REPO


@pytest.fixture(scope="module")
def airflow_db() -> None:
    """Airflow's metadata database (in the throw-away AIRFLOW_HOME set by conftest), created once."""
    from mxwatch.airflow_env import reset_metadata_db

    reset_metadata_db()


def test_dag_parses_with_expected_structure(airflow_db) -> None:
    from mxwatch.airflow_env import load_dag

    dag = load_dag("mxwatch_daily")
    tasks = {t.task_id: t for t in dag.tasks}
    assert set(tasks) == {"init_database", "load_sources", "crawl_source", "analyze_new", "refresh_trends",
                          "write_report"}
    assert tasks["load_sources"].upstream_task_ids == {"init_database"}
    assert tasks["crawl_source"].upstream_task_ids == {"load_sources"}
    assert type(tasks["crawl_source"]).__name__.endswith("MappedOperator")  # one task per source
    assert tasks["analyze_new"].upstream_task_ids == {"crawl_source"}
    assert tasks["analyze_new"].trigger_rule == "all_done"  # a failed source does not block analysis
    assert tasks["refresh_trends"].upstream_task_ids == {"analyze_new"}
    assert tasks["write_report"].upstream_task_ids == {"refresh_trends"}
    assert dag.catchup is False and dag.timetable.expression == "0 0 * * *"  # @daily


def test_dag_run_stores_analyses_and_trends(airflow_db, demo_site, db_url: str, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from mxwatch.airflow_env import load_dag

    monkeypatch.setenv("MXWATCH_DATABASE_URL", db_url)
    monkeypatch.setenv("MXWATCH_SOURCES", str(write_demo_sources(demo_site.base_url, tmp_path / "sources.yaml")))
    monkeypatch.setenv("MXWATCH_REPORT", str(tmp_path / "report.html"))
    run = load_dag("mxwatch_daily").test()
    assert str(run.state).endswith("success")
    assert {ti.task_id for ti in run.get_task_instances() if str(ti.state).endswith("success")} == {
        "init_database", "load_sources", "crawl_source", "analyze_new", "refresh_trends", "write_report"}
    page = (tmp_path / "report.html").read_text(encoding="utf-8")  # the report's own test opens it in Chromium
    assert 'id="chart-map"' in page and demo_site.syndicated_url not in page  # a republished copy is no source

    expected_urls = {demo_site.article_url(r) for r in demo_site.public_articles()} | {demo_site.syndicated_url}
    expected = len(expected_urls) + 1  # + the baseline
    with db.session_scope(db_url) as session:
        stored = set(session.execute(select(Article.url).where(Article.is_baseline.is_(False))).scalars())
        assert stored == expected_urls
        assert session.execute(select(func.count()).where(Article.analyzed_at.is_(None))).scalar() == 0
        assert session.execute(select(func.count()).select_from(JobCount)).scalar() > 30
        runs = session.execute(select(CrawlRun.status, CrawlRun.new_articles)).all()
    assert sorted(status for status, _ in runs) == ["ok", "ok"]
    assert sum(new for _, new in runs) == expected - 2  # the copy counts as a duplicate, not as new
    assert not any("/private/" in p for p in demo_site.requested_paths)
    from mxwatch.models.queries import trends

    with db.session_scope(db_url) as session:
        by_state = trends(session, "jobs", "state", "year")
    assert {"Jalisco", "Querétaro", "Nuevo León"} <= {row["key"] for row in by_state}
    assert json.dumps(by_state)  # plain data, ready for --json


def test_dag_file_imports_light() -> None:
    """Parsing the DAG file must not import the heavy libraries: the scheduler parses it often."""
    code = ("import runpy, sys, time; t = time.perf_counter(); runpy.run_path('dags/mxwatch_daily.py'); "
            "print(round(time.perf_counter() - t, 3)); "
            "print(sorted(m for m in ('spacy', 'scrapy', 'trafilatura', 'sqlmodel', 'thinc') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True,
                         env={**os.environ, "AIRFLOW_HOME": str(AIRFLOW_HOME)}).stdout.split("\n")
    print(f"DAG file import: {out[0]} s")
    assert out[1] == "[]"


def _write_sources(path: Path, site, extra: str = "") -> Path:  # noqa: ANN001
    path.write_text(f"sources:\n  - {{name: demo-feed, kind: feed, url: '{site.base_url}/feed.xml'}}\n{extra}")
    return path


def test_failing_source_fails_alone_and_is_recorded(airflow_db, demo_site, sqlite_url: str, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from mxwatch.airflow_env import load_dag

    monkeypatch.setenv("MXWATCH_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("MXWATCH_TASK_RETRIES", "0")  # the failure is permanent: no need to wait for retries
    broken = f"  - {{name: broken-feed, kind: feed, url: '{demo_site.base_url}/gone.xml'}}\n"
    monkeypatch.setenv("MXWATCH_SOURCES", str(_write_sources(tmp_path / "s.yaml", demo_site, broken)))
    run = load_dag("mxwatch_daily").test(logical_date=datetime(2026, 11, 20, tzinfo=UTC))
    states = {(ti.task_id, ti.map_index): str(ti.state).split(".")[-1] for ti in run.get_task_instances()}
    assert states[("crawl_source", 0)] == "success" and states[("crawl_source", 1)] == "failed"
    assert states[("analyze_new", -1)] == "success" and states[("refresh_trends", -1)] == "success"
    with db.session_scope(sqlite_url) as session:
        runs = session.execute(select(CrawlRun.status, CrawlRun.message)).all()
        stored = session.execute(select(func.count()).select_from(Article)).scalar()
    assert sorted(status for status, _ in runs) == ["failed", "ok"]
    assert any("HTTP 404" in (message or "") for _, message in runs)
    assert stored == len(demo_site.public_articles()) + 2


def test_same_logical_date_twice_stores_nothing_twice(airflow_db, demo_site, pg_url: str, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Also: the trend database comes from the Airflow Connection mxwatch_db, ahead of the environment."""
    from mxwatch.airflow_env import load_dag

    unused = tmp_path / "not-this.db"
    monkeypatch.setenv("MXWATCH_DATABASE_URL", f"sqlite:///{unused}")
    monkeypatch.setenv("AIRFLOW_CONN_MXWATCH_DB", pg_url.replace("postgresql+psycopg://", "postgresql://"))
    monkeypatch.setenv("MXWATCH_SOURCES", str(_write_sources(tmp_path / "s.yaml", demo_site)))
    day = datetime(2026, 11, 21, tzinfo=UTC)
    counts = []
    for _ in range(2):
        run = load_dag("mxwatch_daily").test(logical_date=day)
        assert str(run.state).endswith("success")
        with db.session_scope(pg_url) as session:
            counts.append((session.execute(select(func.count()).select_from(Article)).scalar(),
                           session.execute(select(func.count()).select_from(JobCount)).scalar()))
    assert counts[0] == counts[1] and counts[0][0] == len(demo_site.public_articles()) + 2
    with db.session_scope(pg_url) as session:
        news = session.execute(select(CrawlRun.new_articles).order_by(CrawlRun.id)).scalars().all()
    assert news[-1] == 0
    assert not unused.exists()


def test_run_window_skips_items_published_after_it(airflow_db, demo_site, sqlite_url: str, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A backfilled day counts only the items published before its data interval ends."""
    from mxwatch.airflow_env import load_dag

    monkeypatch.setenv("MXWATCH_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("MXWATCH_SOURCES", str(_write_sources(tmp_path / "s.yaml", demo_site)))
    day = datetime(2022, 1, 1, tzinfo=UTC)  # the data interval ends on 2022-01-02
    run = load_dag("mxwatch_daily").test(logical_date=day)
    assert str(run.state).endswith("success")
    with db.session_scope(sqlite_url) as session:
        dates = session.execute(select(Article.published).where(Article.is_baseline.is_(False))).scalars().all()
    expected = [r for r in demo_site.public_articles() if r["published"] < "2022-01-01T"] + [demo_site.syndicated]
    assert len(dates) == len(expected)
    assert all(db.as_utc(d) < datetime(2022, 1, 2, tzinfo=UTC) for d in dates)


def test_failure_callback_records_the_failed_task(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from types import SimpleNamespace

    from mxwatch.airflow_env import record_task_failure
    from mxwatch.errors import SourceFailed
    from mxwatch.stages import init_database

    monkeypatch.setenv("MXWATCH_DATABASE_URL", sqlite_url)
    init_database(sqlite_url, analyze=False)
    ti = SimpleNamespace(task_id="analyze_new", map_index=-1, dag_id="mxwatch_daily")
    record_task_failure({"ti": ti, "exception": RuntimeError("disk full")})
    record_task_failure({"ti": ti, "exception": SourceFailed("already recorded by the crawl")})
    with db.session_scope(sqlite_url) as session:
        runs = session.execute(select(CrawlRun.status, CrawlRun.message)).all()
    assert runs == [("failed", "task analyze_new[-1] of mxwatch_daily failed: disk full")]
