"""release_free_memory gives freed heap pages back to the OS (what keeps a long analysis stream's RSS flat)."""

from __future__ import annotations

import sys

import pytest

from mxwatch.benchmarks.common import rss_mb
from mxwatch.pipelines.heap import release_free_memory


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
