"""The mxwatch_daily DAG: parses cleanly and runs end to end with dag.test() against the demo site."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from mxwatch.demo import write_demo_sources
from mxwatch.models import db
from mxwatch.models.tables import Article, CrawlRun, JobCount


@pytest.fixture(scope="module")
def airflow_db() -> None:
    """Airflow's metadata database (in the throw-away AIRFLOW_HOME set by conftest), created once."""
    from mxwatch.airflow_env import reset_metadata_db

    reset_metadata_db()


def test_dag_parses_with_expected_structure(airflow_db) -> None:
    from mxwatch.airflow_env import load_dag

    dag = load_dag("mxwatch_daily")
    tasks = {t.task_id: t for t in dag.tasks}
    assert set(tasks) == {"init_database", "load_sources", "crawl_source", "analyze_new", "refresh_trends"}
    assert tasks["load_sources"].upstream_task_ids == {"init_database"}
    assert tasks["crawl_source"].upstream_task_ids == {"load_sources"}
    assert type(tasks["crawl_source"]).__name__.endswith("MappedOperator")  # one task per source
    assert tasks["analyze_new"].upstream_task_ids == {"crawl_source"}
    assert tasks["analyze_new"].trigger_rule == "all_done"  # a failed source does not block analysis
    assert tasks["refresh_trends"].upstream_task_ids == {"analyze_new"}
    assert dag.catchup is False and dag.timetable.expression == "0 0 * * *"  # @daily


def test_dag_run_stores_analyses_and_trends(airflow_db, demo_site, db_url: str, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from mxwatch.airflow_env import load_dag

    monkeypatch.setenv("MXWATCH_DATABASE_URL", db_url)
    monkeypatch.setenv("MXWATCH_SOURCES", str(write_demo_sources(demo_site.base_url, tmp_path / "sources.yaml")))
    run = load_dag("mxwatch_daily").test()
    assert str(run.state).endswith("success")
    assert {ti.task_id for ti in run.get_task_instances() if str(ti.state).endswith("success")} == {
        "init_database", "load_sources", "crawl_source", "analyze_new", "refresh_trends"}

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
