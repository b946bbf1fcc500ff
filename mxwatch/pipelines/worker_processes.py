"""What the two worker pools (extraction during a crawl, analysis of a backlog) share about their processes.

Both follow one rule: worker processes are an optimisation. Where they cannot start, the work runs inline, as on
one core; and a worker never outlives the process that started it (its results would have no reader).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

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
