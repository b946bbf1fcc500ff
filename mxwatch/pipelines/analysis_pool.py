"""Analysis on several cores: worker processes that analyse chunks of articles beside the calling process.

Analysis is pure CPU (spaCy and our rules) on plain values in and out, so a backlog splits across processes with
no change to any result: each worker runs the same ``Analyzer`` on the chunks it is given, with the same models.

Starting a worker is the cost that decides when this pays (settings.ANALYSIS_PARALLEL_MIN). On Linux, when the
caller runs a single thread, the caller loads the models it needs anyway and then forks: a worker is ready in
milliseconds and shares the models' memory until it writes to it. A forked worker never touches the database
connections it inherits (and ends with ``os._exit``, closing nothing). With other threads running (a lock held by
one would stay held in the child forever) or without fork, workers are spawned: a fresh interpreter that imports
spaCy and loads the models itself (~4 s of CPU here). A worker dies with the process that started it, so a killed
``analyze_pending`` leaves nothing behind, and its work is simply pending again.
"""

from __future__ import annotations

import contextlib
import functools
import multiprocessing
import os
import sys
import threading
import types
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, wait

from mxwatch import settings
from mxwatch.pipelines.analysis import Analyzer, ArticleInput
from mxwatch.pipelines.nlp import get_nlp
from mxwatch.pipelines.worker_processes import tie_to_parent


def _init_worker(parent: int) -> None:
    # Nothing a worker holds is worth keeping once its parent is gone (results go to the parent).
    tie_to_parent(parent)


def start_method() -> str:
    """How workers would start now: "fork" on Linux in a process running one thread, else "spawn"."""
    if (sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()
            and threading.active_count() == 1):
        return "fork"
    return "spawn"


@contextlib.contextmanager
def _main_module_hidden() -> Iterator[None]:
    """Start workers without the caller's ``__main__``: a spawned process otherwise runs the caller's script
    again (everything a script without an ``if __name__ == "__main__"`` guard does, including starting workers
    of its own). Workers need nothing from it: what they run lives in this module."""
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main


def _warm_up() -> int:
    """Load the English model (the common case; a forked worker has it already) so that the first real chunk does
    not wait for it; return the worker's pid."""
    get_nlp("en")
    return os.getpid()


@functools.cache
def _analyzer() -> Analyzer:
    # The same settings as stages.get_analyzer, without importing the stages (the database, Scrapy): a worker
    # starts in seconds less.
    return Analyzer(batch_size=settings.ANALYSIS_BATCH_SIZE)


def analyse_chunk(chunk: list[ArticleInput]) -> list[dict | str]:
    """Analysis objects for ``chunk`` (or, for an article that cannot be analysed, why), as ``analyze_pending``
    computes them in its own process."""
    return _analyzer().analyze_each(chunk)


class AnalysisPool:
    """``workers`` spawned processes taking chunks of articles; ``ready`` once every one has its model loaded."""

    def __init__(self, workers: int, languages: Iterable[str] = ("en",), method: str | None = None) -> None:
        self.workers = workers
        self.submitted = 0  # articles handed to the workers so far
        self.start_method = method or start_method()
        if self.start_method == "fork":
            for lang in languages:  # loaded once here, shared by every worker
                get_nlp(lang)
        context = multiprocessing.get_context(self.start_method)
        self._executor: ProcessPoolExecutor | None = ProcessPoolExecutor(
            workers, mp_context=context, initializer=_init_worker, initargs=(os.getpid(),))
        try:
            with _main_module_hidden():  # the workers are started by these first submits, one each
                self._warm = [self._executor.submit(_warm_up) for _ in range(workers)]
        except BaseException:
            # A process that may not start workers (see stages.analyze_pending) fails here: leave nothing behind.
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
            raise

    @property
    def ready(self) -> bool:
        """Whether every worker has started and loaded its model (until then the caller analyses alone)."""
        return self._executor is not None and all(f.done() for f in self._warm)

    def wait_ready(self, timeout: float | None = None) -> set[int]:
        """Wait until the workers are ready (or ``timeout`` seconds); return the pids of those that are."""
        wait(self._warm, timeout)
        return {f.result() for f in self._warm if f.done() and f.exception() is None}

    def submit(self, chunk: list[ArticleInput]) -> Future[list[dict | str]]:
        """Analyse ``chunk`` in a worker."""
        assert self._executor is not None
        with _main_module_hidden():
            future = self._executor.submit(analyse_chunk, chunk)
        self.submitted += len(chunk)
        return future

    def close(self) -> None:
        """Stop the workers (work not started is cancelled; workers still starting are not waited for)."""
        executor, self._executor = self._executor, None
        if executor is None:
            return
        if not all(f.done() for f in self._warm):
            # A backlog finished before a worker was up: loading its models would only delay the caller.
            processes = getattr(executor, "_processes", None) or {}  # no public way to reach them
            for process in list(processes.values()):
                process.kill()
        executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> AnalysisPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
