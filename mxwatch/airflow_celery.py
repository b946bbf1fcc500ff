"""``make airflow-celery``: mxwatch on a real distributed Airflow, end to end, on this machine.

Airflow's metadata in PostgreSQL, the CeleryExecutor with Redis as its broker, and the components a
deployment runs as separate processes: api-server (which serves the task Execution API), scheduler,
dag-processor and one Celery worker. Against the bundled demo site it triggers one run of mxwatch_daily and a
backfill of the three days before it, waits for every run to finish, prints each task's state and duration,
checks the trend database (PostgreSQL) for duplicates, and stops everything.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg

from mxwatch import settings
from mxwatch.airflow_env import DAGS_FOLDER
from mxwatch.demo import write_demo_sources

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
METADATA_DB, TRENDS_DB = "mxwatch_airflow_celery", "mxwatch_celery_trends"
COMPONENTS = (["api-server"], ["scheduler"], ["dag-processor"], ["celery", "worker", "--concurrency", "2"])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fresh_database(admin: str, name: str) -> str:
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    base = admin.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    return f"{base}/{name}"


def airflow_environment(home: Path, metadata_url: str, trend_url: str, broker: str, port: int,
                        sources: Path) -> dict[str, str]:
    """The environment every component shares (one AIRFLOW_HOME, one set of secrets)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")}
    bin_dir = os.path.dirname(sys.executable)
    env.update({
        "PATH": bin_dir + os.pathsep + env.get("PATH", ""),
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_FOLDER),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": metadata_url,
        "AIRFLOW__CELERY__BROKER_URL": broker,
        "AIRFLOW__CELERY__RESULT_BACKEND": "db+" + metadata_url,
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__API__PORT": str(port),
        # Every component must sign and check the Execution API's tokens with the same secret.
        "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_urlsafe(32),
        "AIRFLOW__API__SECRET_KEY": secrets.token_urlsafe(32),
        "AIRFLOW__SCHEDULER__DAG_DIR_LIST_INTERVAL": "10",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "WARNING",
        "MXWATCH_DATABASE_URL": trend_url,
        "MXWATCH_SOURCES": str(sources),
        "MXWATCH_TASK_RETRIES": "1",
    })
    return env


def _airflow(env: dict[str, str], *args: str, timeout: float = 300) -> str:
    result = subprocess.run(["airflow", *args], env=env, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(f"airflow {' '.join(args)} failed: {result.stderr.strip().splitlines()[-1:]}")
    return result.stdout


def _metadata_rows(metadata_url: str, sql: str) -> list[tuple]:
    with psycopg.connect(metadata_url.replace("+psycopg", "")) as conn:
        return conn.execute(sql).fetchall()


def _wait(predicate: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(3)
    raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")


def _drop_database(admin: str, name: str) -> None:
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(timeout: float, admin: str, broker: str, keep: bool = False) -> dict[str, Any]:
    """Start the deployment, run the DAG once and a three-day backfill, and report; always stops it, and drops
    its two databases unless ``keep``."""
    from mxwatch.demo_site.server import DemoSite

    home = settings.home() / "airflow-celery"
    shutil.rmtree(home, ignore_errors=True)
    (home / "logs").mkdir(parents=True)
    metadata_url = _fresh_database(admin, METADATA_DB)
    trend_url = _fresh_database(admin, TRENDS_DB)
    port = _free_port()
    processes: list[subprocess.Popen] = []
    started = time.monotonic()
    with DemoSite() as site:
        env = airflow_environment(home, metadata_url, trend_url, broker, port,
                                  write_demo_sources(site.base_url, home / "sources.yaml"))
        try:
            _airflow(env, "db", "migrate")
            for component in COMPONENTS:
                log = open(home / "logs" / f"{component[0]}.log", "w")  # noqa: SIM115 - closed with the process
                processes.append(subprocess.Popen(["airflow", *component], env=env, stdout=log,
                                                  stderr=subprocess.STDOUT, start_new_session=True))
            _wait(lambda: "mxwatch_daily" in _airflow(env, "dags", "list", "-o", "plain"), timeout,
                  "the dag-processor to parse mxwatch_daily")
            # Unpausing lets the scheduler create today's scheduled run (catchup is off: only the latest one).
            _airflow(env, "dags", "unpause", "mxwatch_daily")
            _wait(lambda: bool(_metadata_rows(metadata_url, "SELECT 1 FROM dag_run WHERE run_type = 'scheduled'")),
                  timeout, "the scheduler to create today's run")
            today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
            _airflow(env, "backfill", "create", "--dag-id", "mxwatch_daily", "--from-date",
                     (today - timedelta(days=3)).date().isoformat(), "--to-date",
                     (today - timedelta(days=1)).date().isoformat(), "--max-active-runs", "1")

            def finished() -> bool:
                rows = _metadata_rows(metadata_url, "SELECT state FROM dag_run WHERE dag_id = 'mxwatch_daily'")
                return len(rows) >= 4 and all(state in ("success", "failed") for (state,) in rows)

            _wait(finished, timeout, "four DAG runs to finish")
        finally:
            for proc in processes:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
            for proc in processes:
                try:
                    proc.wait(30)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
    runs = _metadata_rows(metadata_url, "SELECT run_id, run_type, state, logical_date FROM dag_run "
                                        "WHERE dag_id = 'mxwatch_daily' ORDER BY logical_date")
    tasks = _metadata_rows(metadata_url, "SELECT run_id, task_id, map_index, state, queue, hostname, "
                                         "EXTRACT(EPOCH FROM (end_date - start_date)) FROM task_instance "
                                         "WHERE dag_id = 'mxwatch_daily' ORDER BY start_date")
    with psycopg.connect(trend_url.replace("+psycopg", "")) as conn:
        articles, unique_urls = conn.execute("SELECT count(*), count(DISTINCT url) FROM article").fetchone()
        new_per_run = [n for (n,) in conn.execute("SELECT new_articles FROM crawl_run ORDER BY id").fetchall()]
    if not keep:
        for name in (METADATA_DB, TRENDS_DB):
            _drop_database(admin, name)
    return {
        "seconds": round(time.monotonic() - started, 1),
        "runs": [{"run_id": r, "type": t, "state": s, "logical_date": str(d)} for r, t, s, d in runs],
        "tasks": [{"run_id": r, "task": t, "map_index": m, "state": s, "queue": q, "host": h,
                   "seconds": round(float(sec or 0), 1)} for r, t, m, s, q, h, sec in tasks],
        "articles": articles, "unique_urls": unique_urls, "new_articles_per_crawl": new_per_run,
        "logs": str(home / "logs"),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Run it and print the task table; exit 0 when every run succeeded with no article stored twice."""
    parser = argparse.ArgumentParser(prog="python -m mxwatch.airflow_celery", description=__doc__)
    parser.add_argument("--timeout", type=float, default=900, help="seconds to wait for the runs")
    parser.add_argument("--pg", default=os.environ.get("MXWATCH_CELERY_PG", PG_ADMIN), help="PostgreSQL admin URL")
    parser.add_argument("--broker", default=os.environ.get("MXWATCH_CELERY_BROKER", "redis://127.0.0.1:6379/5"))
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--keep", action="store_true", help="keep the metadata and trend databases afterwards")
    args = parser.parse_args(argv)
    report = run(args.timeout, args.pg, args.broker, keep=args.keep)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        for r in report["runs"]:
            print(f"run {r['run_id']:<60} {r['type']:<10} {r['state']}")
        for t in report["tasks"]:
            index = f"[{t['map_index']}]" if t["map_index"] >= 0 else ""
            print(f"  {t['run_id'][:40]:<40} {t['task'] + index:<18} {t['state']:<8} {t['seconds']:>6.1f} s  "
                  f"{t['host']}")
        print(f"{report['articles']} articles ({report['unique_urls']} distinct URLs), new per crawl "
              f"{report['new_articles_per_crawl']}, {report['seconds']} s in all; logs in {report['logs']}")
    ok = all(r["state"] == "success" for r in report["runs"]) and report["articles"] == report["unique_urls"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
