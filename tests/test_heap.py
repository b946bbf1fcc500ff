"""release_free_memory gives freed heap pages back to the OS (what keeps a long analysis stream's RSS flat)."""

from __future__ import annotations

import resource
import sys

import pytest

from mxwatch.benchmarks.common import rss_mb
from mxwatch.pipelines.heap import release_free_memory, reuse_large_blocks


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim is Linux-only")
def test_freed_heap_pages_go_back_to_the_os() -> None:
    # 1,000-byte objects come from malloc's heap (not Python's small-object arenas); keeping every 50th alive
    # pins the heap, so free() alone cannot shrink it and only a trim returns the pages in between.
    blocks = [bytes(1000) + i.to_bytes(4, "little") for i in range(150_000)]
    kept = blocks[::50]
    del blocks
    before = rss_mb()
    assert release_free_memory() is True
    after = rss_mb()
    assert len(kept) == 3_000
    assert before - after > 50, (before, after)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt is Linux-only")
def test_large_blocks_are_reused_not_faulted_in_anew() -> None:
    # What spaCy's NER does each batch: allocate and fill arrays of a few MB, then free them all. By default glibc
    # gives the freed top of the heap back at once and the next batch faults every page in again (~82,000 faults
    # for these ten rounds here); after reuse_large_blocks the heap keeps them for the next batch.
    assert reuse_large_blocks() is True

    def batch() -> None:
        arrays = [bytearray(4 << 20) for _ in range(8)]
        del arrays

    batch()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(10):
        batch()
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before
    assert faults < 5_000, faults
    assert release_free_memory() is True  # the free pages still go back to the OS on demand
