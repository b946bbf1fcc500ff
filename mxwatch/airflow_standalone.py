"""``make airflow``: Airflow standalone (SQLite metadata, LocalExecutor) with this project's DAGs, unpaused.

Airflow's own files live in ``$MXWATCH_HOME/airflow``; the trend database is the one mxwatch is configured
with (``MXWATCH_DATABASE_URL`` or SQLite under ``MXWATCH_HOME``).
"""

from __future__ import annotations

import os
import shutil
import sys

from mxwatch import settings
from mxwatch.airflow_env import configure_airflow

PORT = os.environ.get("AIRFLOW__API__PORT", "8080")


def main() -> int:
    """Configure Airflow for this project and replace this process with ``airflow standalone``."""
    home = settings.home() / "airflow"
    configure_airflow(home)
    os.environ["AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION"] = "False"
    os.environ.setdefault("AIRFLOW__API__HOST", "127.0.0.1")  # a laptop tool: not reachable from the network
    os.environ.setdefault("AIRFLOW__LOGGING__LOGGING_LEVEL", "INFO")
    os.environ["MXWATCH_DATABASE_URL"] = settings.database_url()  # tasks see the same trend database
    bin_dir = os.path.dirname(sys.executable)
    # standalone starts its components as `airflow ...` subprocesses: they must find this venv's airflow.
    os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
    airflow = shutil.which("airflow", path=bin_dir) or "airflow"
    print(
        f"Starting Airflow standalone (AIRFLOW_HOME={home}).\n"
        f"  UI and API: http://127.0.0.1:{PORT}  (user 'admin'; Airflow prints the generated password below\n"
        f"  and keeps it in {home / 'simple_auth_manager_passwords.json.generated'})\n"
        f"  DAG: mxwatch_daily (unpaused), trend database: {os.environ['MXWATCH_DATABASE_URL']}\n"
        "  Stop with Ctrl-C.",
        flush=True,
    )
    os.execv(airflow, [airflow, "standalone"])
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
