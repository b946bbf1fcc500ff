"""mxwatch inside Airflow: configuring Airflow for this project, and what the DAG's tasks need from it.

Nothing here imports Airflow at module level: the DAG file imports this module, and the scheduler parses DAG
files often.
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mxwatch import settings

DAGS_FOLDER = Path(__file__).resolve().parent.parent / "dags"
CONNECTION_ID = "mxwatch_db"  # an Airflow Connection that, when defined, names the trend database
log = logging.getLogger(__name__)


def configure_airflow(airflow_home: Path, dags_folder: Path = DAGS_FOLDER) -> None:
    """Set the environment Airflow reads at import: its home, a SQLite metadata DB there, our DAGs, no examples.

    Must run before the first ``import airflow`` in the process (Airflow reads its configuration once).
    """
    airflow_home.mkdir(parents=True, exist_ok=True)
    os.environ["AIRFLOW_HOME"] = str(airflow_home)
    os.environ.setdefault("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", f"sqlite:///{airflow_home / 'airflow.db'}")
    os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(dags_folder)
    os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
    os.environ.setdefault("AIRFLOW__CORE__EXECUTOR", "LocalExecutor")
    os.environ.setdefault("AIRFLOW__LOGGING__LOGGING_LEVEL", "WARNING")


def reset_metadata_db() -> None:
    """Create Airflow's metadata database from scratch (call after configure_airflow)."""
    from airflow.utils import db

    db.resetdb()


def load_dag(dag_id: str = "mxwatch_daily"):  # noqa: ANN201 - airflow's DAG type, imported lazily
    """Parse the project's DAG folder and return one DAG, failing loudly on import errors."""
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(DAGS_FOLDER))
    if bag.import_errors:
        raise RuntimeError(f"DAG import errors: {bag.import_errors}")
    return bag.get_dag(dag_id)


def trend_database_url() -> str:
    """The trend database for a task: the Airflow Connection ``mxwatch_db`` when one is defined (UI, secrets
    backend or ``AIRFLOW_CONN_MXWATCH_DB``), else ``MXWATCH_DATABASE_URL`` / the default SQLite file."""
    from airflow.sdk import Connection
    from sqlalchemy.engine import URL

    try:
        conn = Connection.get(CONNECTION_ID)
    except Exception:  # noqa: BLE001 - not defined (AirflowNotFoundException) or no API: use the environment
        return settings.database_url()
    if conn.conn_type in ("postgres", "postgresql"):
        return URL.create("postgresql+psycopg", username=conn.login, password=conn.password, host=conn.host,
                          port=conn.port, database=conn.schema).render_as_string(hide_password=False)
    if conn.conn_type == "sqlite":
        return f"sqlite:///{conn.host}"
    return conn.get_uri()


def crawl_window(context: dict[str, Any], horizon: str | None) -> tuple[datetime | None, datetime | None]:
    """The items a run counts: published on or after the horizon and before the end of the run's data
    interval, so that a backfilled day stores the items of its own days only."""
    not_before = datetime.fromisoformat(horizon) if horizon else None
    if not_before is not None and not_before.tzinfo is None:
        not_before = not_before.replace(tzinfo=UTC)
    return not_before, context.get("data_interval_end")


def record_task_failure(context: dict[str, Any]) -> None:
    """Airflow failure callback: record which task failed, and why, in the crawl-runs table."""
    from mxwatch.errors import SourceFailed
    from mxwatch.stages import record_failure

    exc = context.get("exception")
    if isinstance(exc, SourceFailed):
        return  # the source's own crawl run already says so
    ti = context.get("ti") or context.get("task_instance")
    task = f"{getattr(ti, 'task_id', '?')}[{getattr(ti, 'map_index', -1)}]"
    record_failure(f"task {task} of {getattr(ti, 'dag_id', '?')} failed: {exc}", database_url=trend_database_url())
