"""What the two worker pools (extraction during a crawl, analysis of a backlog) share about their processes.

Both follow one rule: worker processes are an optimisation. Where they cannot start, the work runs inline, as on
one core; and a worker never outlives the process that started it (its results would have no reader). Workers
come out of one budget for the host (``settings.worker_slots``): several crawls or analyses at once (parallel
Airflow tasks) share the spare cores instead of each starting cores - 1 workers.
"""

from __future__ import annotations

import ctypes
import fcntl
import os
import signal
import sys
import threading
import time

from mxwatch import settings

# Raised when a pool cannot start its workers here: no /dev/shm for the pool's locks or a process limit (OSError),
# no working multiprocessing (NotImplementedError, ImportError), a daemonic process such as a multiprocessing or
# Celery worker's, which may not have children (AssertionError from multiprocessing). The caller works inline.
WORKERS_UNAVAILABLE: tuple[type[BaseException], ...] = (OSError, NotImplementedError, ImportError, AssertionError)

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os._exit(0)


def tie_to_parent(parent: int) -> None:
    """Make this worker process end when ``parent`` does (a pool's initializer calls it first).

    On Linux the kernel kills the worker with its parent (PR_SET_PDEATHSIG); elsewhere, or where prctl is not
    reachable, a daemon thread polls for the parent once a second. Ctrl-C is left to the parent, which closes
    the pool.
    """
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="watch-parent").start()
    else:
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="watch-parent").start()
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(0)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class WorkerSlots:
    """Worker slots held by this process: one lock file each in ``settings.worker_slots_dir()``.

    A slot is an exclusive ``flock`` on ``slot-K`` (K below ``settings.worker_slots()``), so the kernel frees it
    when the holder exits, however it ends: a killed crawl never leaks its slots. A forked worker shares its
    parent's locks and keeps them until it exits too.
    """

    def __init__(self, descriptors: list[int]) -> None:
        self._descriptors = descriptors

    @classmethod
    def claim(cls, wanted: int) -> WorkerSlots:
        """Up to ``wanted`` free slots, without waiting: none free means working inline."""
        held: list[int] = []
        if wanted < 1:
            return cls(held)
        directory = settings.worker_slots_dir()
        for number in range(settings.worker_slots()):
            if len(held) == wanted:
                break
            descriptor = os.open(directory / f"slot-{number}", os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:  # another process holds it
                os.close(descriptor)
                continue
            held.append(descriptor)
        return cls(held)

    def __len__(self) -> int:
        return len(self._descriptors)

    def release(self) -> None:
        """Give the slots back (closing the files drops the locks)."""
        descriptors, self._descriptors = self._descriptors, []
        for descriptor in descriptors:
            os.close(descriptor)
