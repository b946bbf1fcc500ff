"""What every benchmark shares: timing, memory readings, the generated corpus's texts."""

from __future__ import annotations

import resource
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from mxwatch.demo_site.generated import BENCH_WORDS, generated_articles


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    """``fn()``'s result and the seconds it took (wall clock)."""
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started


def peak_rss_mb(children: bool = False) -> float:
    """Peak resident memory of this process (or of the largest child waited for so far), in MB."""
    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
    return resource.getrusage(who).ru_maxrss / 1024


def rss_mb(pid: int | str = "self") -> float:
    """Current resident memory of a process, in MB (from /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@cache
def corpus(n: int, words: tuple[int, int] = BENCH_WORDS) -> list[dict[str, Any]]:
    """The generated corpus of ``n`` articles (seeded; English and Spanish) of ``words`` (min, max) words each."""
    return generated_articles(n, words=words)


def texts(n: int, lang: str | None = None, words: tuple[int, int] = BENCH_WORDS) -> list[tuple[str, str]]:
    """(title, text) of ``n`` generated articles, of one language or both, as the analysis reads them."""
    records = [r for r in corpus(max(n * 2 + 50, 100), words) if lang is None or r["lang"] == lang][:n]
    return [(r["title"], "\n\n".join(r["paragraphs"])) for r in records]
