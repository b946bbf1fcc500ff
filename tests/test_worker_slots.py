"""The host's budget of worker processes: parallel crawls and analyses share the spare cores (one lock file per
slot), a killed holder frees its slots, and a process that finds none works inline."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys

import pytest

from mxwatch import stages
from mxwatch.pipelines.worker_processes import WorkerSlots
from mxwatch.stages import init_database


def test_slots_are_shared_between_holders(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MXWATCH_WORKER_SLOTS", "2")
    first = WorkerSlots.claim(3)
    assert len(first) == 2  # never more than the host's budget
    second = WorkerSlots.claim(1)
    assert len(second) == 0
    first.release()
    third = WorkerSlots.claim(1)
    fourth = WorkerSlots.claim(5)
    assert (len(third), len(fourth)) == (1, 1)
    third.release()
    fourth.release()


def test_a_killed_holder_frees_its_slots(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MXWATCH_WORKER_SLOTS", "1")
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from mxwatch.pipelines.worker_processes import WorkerSlots; "
         "s = WorkerSlots.claim(1); print(len(s), flush=True); time.sleep(600)"],
        stdout=subprocess.PIPE, text=True, env=os.environ.copy())
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "1"
        assert len(WorkerSlots.claim(1)) == 0
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
    freed = WorkerSlots.claim(1)
    assert len(freed) == 1
    freed.release()


def test_analysis_with_every_slot_taken_runs_in_one_process(sqlite_url: str, monkeypatch: pytest.MonkeyPatch,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    init_database(sqlite_url, analyze=False)  # the baseline is pending
    monkeypatch.setenv("MXWATCH_WORKER_SLOTS", "1")
    monkeypatch.setenv("MXWATCH_ANALYSIS_PARALLEL_MIN", "1")
    held = WorkerSlots.claim(1)
    try:
        with caplog.at_level(logging.INFO, logger=stages.log.name):
            assert stages.analyze_pending(sqlite_url, processes=2) == 1
    finally:
        held.release()
    assert "analysing in one process" in caplog.text and "on 2 processes" not in caplog.text
    # With the slot free again, the same backlog size starts a worker.
    init_database(sqlite_url.replace("mxwatch.db", "second.db"), analyze=False)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger=stages.log.name):
        assert stages.analyze_pending(sqlite_url.replace("mxwatch.db", "second.db"), processes=2) == 1
    assert "on 2 processes" in caplog.text
