"""Shared fixtures: databases (SQLite and the machine's PostgreSQL), the demo site, the real CLI, Airflow."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg
import pytest

from mxwatch.airflow_env import configure_airflow

if TYPE_CHECKING:
    from mxwatch.pipelines.analysis import Analyzer

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
MXWATCH = Path(sys.executable).with_name("mxwatch")
PG_ADMIN = os.environ.get("MXWATCH_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")

# Airflow reads its configuration once, at import: point it at a throw-away home before any test imports it.
AIRFLOW_HOME = Path(tempfile.mkdtemp(prefix="mxwatch-airflow-"))
configure_airflow(AIRFLOW_HOME)
# The host's worker slots (one budget of extra processes for every mxwatch process here): the tests get their own,
# so that an mxwatch run beside them (a developer's Airflow) does not change how many workers a test sees.
os.environ["MXWATCH_WORKER_SLOTS_DIR"] = tempfile.mkdtemp(prefix="mxwatch-slots-")


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    """The analysis as the CLI and the DAG run it (real spaCy models), one per test module."""
    from mxwatch.pipelines.analysis import Analyzer

    return Analyzer()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database on this machine's server, dropped afterwards. No server is a failure."""
    name = f"mxwatch_test_{uuid.uuid4().hex[:10]}"
    try:
        admin = psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL is required for these tests and is not reachable at {PG_ADMIN}: {exc}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        # FORCE ends connections still pooled by engines of this process or by child processes.
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A fresh SQLite database file."""
    return f"sqlite:///{tmp_path / 'mxwatch.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each test using it runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'mxwatch.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def demo_site() -> Iterator:
    """The bundled demo news site, served on 127.0.0.1 for one test."""
    from mxwatch.demo_site.server import DemoSite

    with DemoSite() as site:
        yield site


@dataclass
class CliResult:
    """What a run of the real ``mxwatch`` console script did."""

    code: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(tmp_path: Path):
    """Run the installed ``mxwatch`` console script with its own MXWATCH_HOME (and a database URL)."""
    home = tmp_path / "home"

    def run(*args: str, database_url: str | None = None, stdin: str | None = None, env: dict | None = None,
            timeout: float = 600) -> CliResult:
        environ = {**os.environ, "MXWATCH_HOME": str(home), **(env or {})}
        if database_url:
            environ["MXWATCH_DATABASE_URL"] = database_url
        proc = subprocess.run([str(MXWATCH), *args], input=stdin, capture_output=True, text=True, env=environ,
                              timeout=timeout)
        return CliResult(proc.returncode, proc.stdout, proc.stderr)

    return run


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    shutil.rmtree(AIRFLOW_HOME, ignore_errors=True)
