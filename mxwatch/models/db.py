"""Engines, sessions and migrations for SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import event, inspect
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlmodel import Session, create_engine

from mxwatch import settings
from mxwatch.errors import MxwatchError, UsageError, first_line

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _on_sqlite_connect(dbapi_connection, _record) -> None:  # noqa: ANN001 - DBAPI objects are untyped
    # WAL lets readers run during a crawl's writes; busy_timeout makes concurrent writers wait, not fail.
    # synchronous=NORMAL under WAL: a commit survives a killed process (the crash tests kill -9 crawls); only a
    # power cut can lose the last commits, never corrupt the file. FULL made each article commit an fsync.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def get_engine(url: str | None = None) -> Engine:
    """Return a (cached) engine for ``url`` or the database URL configured now."""
    # Resolve before caching: the configured URL may change within a process (tests, a worker's next task).
    return _engine_for(url or settings.database_url())


@lru_cache(maxsize=8)
def _engine_for(url: str) -> Engine:
    try:
        parsed = make_url(url)
        parsed.get_dialect()
    except ArgumentError as exc:
        raise UsageError(f"invalid database URL {url!r}") from exc
    except (NoSuchModuleError, ImportError) as exc:
        raise UsageError(f"unsupported database URL {url!r}: use sqlite:/// or postgresql+psycopg://") from exc
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _on_sqlite_connect)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    return engine


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    with Session(get_engine(url), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def alembic_config(url: str | None = None) -> Config:
    """An Alembic config for this project's migrations, bound to ``url``."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["database_url"] = url or settings.database_url()
    return cfg


def migrate(url: str | None = None) -> None:
    """Create the schema or bring it to the newest revision (idempotent)."""
    cfg = alembic_config(url)
    engine = get_engine(cfg.attributes["database_url"])
    try:
        with engine.begin() as connection:
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "head")
    except OperationalError as exc:
        raise MxwatchError(f"cannot reach the database: {first_line(exc)}") from exc


def is_migrated(url: str | None = None) -> bool:
    """True when the schema exists (the article table is there)."""
    try:
        return inspect(get_engine(url)).has_table("article")
    except OperationalError as exc:
        raise MxwatchError(f"cannot reach the database: {first_line(exc)}") from exc


def as_utc(value: datetime | None) -> datetime | None:
    """Read a stored timestamp as aware UTC (SQLite hands them back naive)."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
