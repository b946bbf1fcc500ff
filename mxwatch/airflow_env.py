"""Point Airflow at a home folder of ours and this project's DAGs, before ``airflow`` is imported."""

from __future__ import annotations

import os
from pathlib import Path

DAGS_FOLDER = Path(__file__).resolve().parent.parent / "dags"


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
