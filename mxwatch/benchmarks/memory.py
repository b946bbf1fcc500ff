"""Memory on a long analysis stream: the real analysis path (``get_analyzer().analyze_many``, what
``analyze_pending`` runs) over N short news items, each naming a company never seen before, split over the
cores; each worker samples its resident memory every few thousand documents.

The bound: after warm-up (the first WARMUP documents of each worker: models loaded, caches filled), resident
memory may grow by at most GROWTH_BOUND_MB per worker to the end of the stream.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from mxwatch.benchmarks.common import rss_mb, timed

GROWTH_BOUND_MB = 50.0
WARMUP = 5_000


def _worker(job: tuple[int, int, int, str | None]) -> dict[str, Any]:
    from mxwatch.demo_site.generated import short_texts
    from mxwatch.pipelines.analysis import ArticleInput
    from mxwatch.pipelines.nlp import get_nlp
    from mxwatch.stages import get_analyzer

    start, n, every, progress = job
    inputs = (ArticleInput(text=text, lang=lang) for lang, text in short_texts(n, start=start))
    samples = [(0, rss_mb())]
    words = 0
    for done, result in enumerate(get_analyzer().analyze_many(inputs), 1):
        words += len(result["text"].split())
        if done % every == 0 or done == n:
            samples.append((done, rss_mb()))
            if progress:  # a long run shows its samples as it goes
                with open(progress, "a", encoding="utf-8") as fh:
                    fh.write(json.dumps({"worker": start, "done": done, "rss_mb": samples[-1][1]}) + "\n")
    strings = {lang: len(get_nlp(lang).vocab.strings) for lang in ("en", "es")}
    return {"samples": samples, "words": words, "strings": strings}


def bench_memory(n: int, processes: int, every: int = 5_000, progress: str | None = None) -> dict[str, Any]:
    """RSS samples of ``processes`` workers analysing ``n`` documents between them; growth after warm-up."""
    per = n // processes
    every = max(1, min(every, per // 4))
    jobs = [(k * per, per, every, progress) for k in range(processes)]
    with ProcessPoolExecutor(processes) as pool:
        workers, seconds = timed(lambda: list(pool.map(_worker, jobs)))
    warmup = min(WARMUP, per // 4)
    growth = []
    for w in workers:
        after = [rss for done, rss in w["samples"] if done >= warmup]
        growth.append(after[-1] - after[0] if after else 0.0)
    words = sum(w["words"] for w in workers)
    return {
        "docs": per * processes, "processes": processes, "seconds": seconds, "docs_per_s": per * processes / seconds,
        "words_per_s": words / seconds, "mean_words": words / (per * processes), "warmup_docs": warmup,
        "samples": [w["samples"] for w in workers], "strings": [w["strings"] for w in workers],
        "growth_after_warmup_mb": max(growth), "peak_worker_rss_mb": max(r for w in workers for _, r in w["samples"]),
        "bound_mb": GROWTH_BOUND_MB, "within_bound": max(growth) <= GROWTH_BOUND_MB,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Run the memory benchmark alone (it is the long one) and write its result as JSON."""
    parser = argparse.ArgumentParser(prog="python -m mxwatch.benchmarks.memory", description=__doc__)
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--every", type=int, default=5_000, help="sample RSS every this many documents")
    parser.add_argument("--json", metavar="FILE", required=True)
    args = parser.parse_args(argv)
    progress = args.json + ".progress"
    result = bench_memory(args.docs, args.processes, args.every, progress)
    Path(args.json).write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(f"memory: {result['docs']} docs, growth after warm-up {result['growth_after_warmup_mb']:.1f} MB "
          f"(bound {GROWTH_BOUND_MB:.0f} MB), {result['docs_per_s']:.1f} docs/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
