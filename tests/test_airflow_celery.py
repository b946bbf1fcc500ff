"""mxwatch_daily on a real distributed Airflow: PostgreSQL metadata, CeleryExecutor with Redis, separate
api-server, scheduler, dag-processor and worker processes; a scheduled run plus a three-day backfill."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg


def test_celery_deployment_runs_and_backfills_without_duplicates(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "MXWATCH"))}
    env["MXWATCH_HOME"] = str(tmp_path)
    result = subprocess.run([sys.executable, "-m", "mxwatch.airflow_celery", "--json", "--timeout", "600"],
                            env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = json.loads(result.stdout)
    runs = report["runs"]
    assert sorted(r["type"] for r in runs) == ["backfill", "backfill", "backfill", "scheduled"]
    assert all(r["state"] == "success" for r in runs)
    tasks = report["tasks"]
    assert {t["task"] for t in tasks} == {"init_database", "load_sources", "crawl_source", "analyze_new",
                                           "refresh_trends", "write_report"}
    assert all(t["state"] == "success" for t in tasks) and len(tasks) == 4 * 7  # 2 mapped crawls per run
    assert (tmp_path / "report.html").stat().st_size > 1_000_000  # the workers wrote the HTML report
    assert report["articles"] == report["unique_urls"] > 30
    crawls = report["new_articles_per_crawl"]
    assert len(crawls) == 8 and sum(crawls) == report["articles"] - 2  # baseline and the syndicated copy
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres") as conn:
        left = conn.execute("SELECT datname FROM pg_database WHERE datname IN "
                            "('mxwatch_airflow_celery', 'mxwatch_celery_trends')").fetchall()
    assert left == []  # the run cleans up after itself
