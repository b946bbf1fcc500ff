"""Which crawl runs still have a live process: a lease that each run's crawl process holds until it ends.

A crawl killed with SIGKILL (or whose machine dies) cannot mark its runs finished, so their rows would say
'running' forever. Each run is leased by its process through something the operating system or the database
server releases when the process dies, without a schema change: on PostgreSQL a session-level advisory lock keyed
by the run id, released when its connection closes (from any host: a Celery worker elsewhere is covered too); on
SQLite an flock on a file beside the database (an SQLite database is on one host). A 'running' run whose lease
anyone can take has no process left: ``reap_interrupted_runs`` marks it 'interrupted'.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

from sqlalchemy import Connection, select, text, update
from sqlalchemy.engine import make_url
from sqlmodel import Session

from mxwatch.models.db import get_engine
from mxwatch.models.store import serialise_writes
from mxwatch.models.tables import CrawlRun, utcnow

# The first key of the two-key advisory lock: "mx" for mxwatch, so that our locks never meet another app's.
ADVISORY_CLASS = 0x6D78
INTERRUPTED_MESSAGE = "the crawl process ended before finishing this run (killed or crashed)"


def _lease_dir(database_url: str) -> Path | None:
    """The folder of an SQLite database's lease files (None for PostgreSQL and in-memory SQLite)."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database).expanduser().with_name(Path(url.database).name + ".crawl-runs")


class RunLeases:
    """The leases of one crawl process's runs, held until ``release`` or the process's end (however it ends)."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self._dir = _lease_dir(database_url)
        self._files: dict[int, int] = {}  # run id -> open, flocked file descriptor (SQLite)
        self._connection: Connection | None = None  # holds the advisory locks (PostgreSQL)
        self._postgres = get_engine(database_url).dialect.name == "postgresql"

    def take(self, run_id: int) -> None:
        """Lease ``run_id``: call before the run's row is committed, so that no one ever sees it unleased."""
        if self._postgres:
            if self._connection is None:
                # Its own connection, outside any transaction: the lock lives as long as the connection.
                engine = get_engine(self.database_url)
                self._connection = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            self._connection.execute(text("SELECT pg_advisory_lock(:c, :r)"), {"c": ADVISORY_CLASS, "r": run_id})
        elif self._dir is not None:
            self._dir.mkdir(parents=True, exist_ok=True)
            fd = os.open(self._dir / f"{run_id}.lock", os.O_CREAT | os.O_RDWR, 0o644)
            fcntl.flock(fd, fcntl.LOCK_EX)
            self._files[run_id] = fd

    def release(self, run_id: int) -> None:
        """End the lease of a run whose row is marked finished."""
        if self._postgres and self._connection is not None:
            self._connection.execute(text("SELECT pg_advisory_unlock(:c, :r)"), {"c": ADVISORY_CLASS, "r": run_id})
        fd = self._files.pop(run_id, None)
        if fd is not None and self._dir is not None:
            with contextlib.suppress(FileNotFoundError):
                (self._dir / f"{run_id}.lock").unlink()
            os.close(fd)

    def close(self) -> None:
        """Release every lease still held."""
        for run_id in list(self._files):
            self.release(run_id)
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def _orphaned(session: Session, lease_dir: Path | None, run_id: int) -> bool:
    """True when no process holds the run's lease (taking it proves that; it is kept until the commit)."""
    if session.get_bind().dialect.name == "postgresql":
        # Transaction-level: released at this transaction's end, after the row is marked.
        return bool(session.execute(text("SELECT pg_try_advisory_xact_lock(:c, :r)"),
                                    {"c": ADVISORY_CLASS, "r": run_id}).scalar())
    if lease_dir is None:
        return False  # in-memory SQLite: its crawl runs can only be this process's
    path = lease_dir / f"{run_id}.lock"
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return True  # never leased (a crawl of an older version) or already reaped
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    return True


def reap_interrupted_runs(database_url: str) -> int:
    """Mark 'interrupted' every 'running' crawl run whose process is gone; return how many."""
    lease_dir = _lease_dir(database_url)
    running = CrawlRun.status == "running"
    with Session(get_engine(database_url)) as session:
        if session.execute(select(CrawlRun.id).where(running).limit(1)).first() is None:
            return 0  # the usual case costs one read, no lock
        session.commit()  # end the read: the write lock must be the next transaction's first statement
        serialise_writes(session)
        ids = session.execute(select(CrawlRun.id).where(running)).scalars().all()
        gone = [run_id for run_id in ids if _orphaned(session, lease_dir, run_id)]
        if gone:
            # Only rows still 'running': a run that finished meanwhile keeps its own outcome.
            session.execute(update(CrawlRun).where(CrawlRun.id.in_(gone), running)
                            .values(status="interrupted", finished_at=utcnow(), message=INTERRUPTED_MESSAGE))
        session.commit()
    return len(gone)
