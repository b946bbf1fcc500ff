"""Extraction in worker processes during a crawl, so that it uses the cores the reactor's one thread cannot.

A crawl process spends about as long extracting pages as fetching and storing them; extraction is pure CPU on
bytes in, a dataclass out, so it moves to a process pool while the reactor keeps fetching and storing. The pool
starts after the first few pages (a small crawl never pays for it) and those, and any page that arrives while
the workers are still starting, are extracted in the crawl process itself. A worker exits when the crawl process
is gone (killed, crashed), so nothing is left behind.

One crawl process crawls its sources side by side, each with its own item pipelines; they all share one pool
(``ExtractionPool.shared``), so the crawl runs the configured number of workers whatever its number of sources
(each worker holds its own copy of the extraction libraries).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import ClassVar

from mxwatch.pipelines.extraction import ExtractedArticle, extract_html
from mxwatch.pipelines.worker_processes import WORKERS_UNAVAILABLE, WorkerSlots, tie_to_parent

# Pages extracted in the crawl process before the pool starts: a crawl this small gains nothing from it.
START_AFTER = 8


def _init_worker(parent: int) -> None:
    tie_to_parent(parent)


def _ready() -> bool:
    return True


def _extract(body: bytes, url: str, encoding: str | None) -> ExtractedArticle:
    return extract_html(body, url, encoding=encoding)


class ExtractionPool:
    """``extract_html`` for a crawl: in ``processes`` worker processes once they are up, inline before that."""

    # The pools shared by the pipelines of this process, by number of workers, with how many pipelines use each.
    _shared: ClassVar[dict[int, tuple[ExtractionPool, int]]] = {}

    def __init__(self, processes: int, start_after: int = START_AFTER) -> None:
        self.processes = processes
        self.start_after = start_after
        self._executor: ProcessPoolExecutor | None = None
        self._warm: list[Future[bool]] = []
        self._seen = 0
        self._slots = WorkerSlots([])
        self._key: int | None = None  # set on a pool handed out by ``shared``

    @classmethod
    def shared(cls, processes: int) -> ExtractionPool:
        """The process's pool of ``processes`` workers, shared by every caller until each has called
        ``release``: the spiders of one crawl process run side by side, and one pool per spider would start
        sources x processes workers."""
        pool, users = cls._shared.get(processes, (None, 0))
        if pool is None:
            pool = cls(processes)
            pool._key = processes
        cls._shared[processes] = (pool, users + 1)
        return pool

    def release(self) -> None:
        """Done with a pool from ``shared``: the last user stops its workers (any other pool just stops)."""
        if self._key is None:
            self.close()
            return
        pool, users = self._shared[self._key]
        if users > 1:
            self._shared[self._key] = (pool, users - 1)
            return
        del self._shared[self._key]
        self.close()

    def _start(self) -> None:
        self._slots = WorkerSlots.claim(self.processes)
        if not len(self._slots):
            # Other mxwatch processes on this host use every spare core: extract inline.
            self.processes = 0
            return
        self.processes = len(self._slots)
        # spawn, not fork: the crawl process holds a running reactor, sockets and database connections.
        context = multiprocessing.get_context("spawn")
        self._executor = ProcessPoolExecutor(self.processes, mp_context=context, initializer=_init_worker,
                                             initargs=(os.getpid(),))
        self._warm = [self._executor.submit(_ready) for _ in range(self.processes)]

    def _usable(self) -> bool:
        self._seen += 1
        if self.processes < 1:
            return False
        if self._executor is None and self._seen > self.start_after:
            try:
                self._start()
            except WORKERS_UNAVAILABLE:
                # The crawl extracts inline, as on one core, rather than failing every page from now on.
                self.close()
                self.processes = 0
                return False
        return self._executor is not None and all(f.done() for f in self._warm)

    async def extract(self, body: bytes, url: str, encoding: str | None = None) -> ExtractedArticle:
        """The extracted article (raises ExtractionError like ``extract_html``)."""
        if not self._usable():
            return extract_html(body, url, encoding=encoding)
        assert self._executor is not None
        try:
            return await asyncio.wrap_future(self._executor.submit(_extract, body, url, encoding))
        except BrokenProcessPool:
            # A worker died (killed from outside, out of memory): finish the crawl without the pool.
            self.close()
            self.processes = 0
            return extract_html(body, url, encoding=encoding)

    def close(self) -> None:
        """Stop the workers (pending work is cancelled: called when the crawl is over)."""
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
        self._slots.release()
