"""``make bench``: mxwatch's stages against the bare tools they are built on, in the same run.

- extraction: ``extract_html`` vs trafilatura's ``bare_extraction`` on the real publisher pages;
- analysis: the whole analysis vs spaCy's NER-only small English model on the same ~350-word texts, in one
  process, and with ``--processes 2`` (both cores);
- crawl: the mxwatch crawl process (fetch, extract, store; no analysis) vs a no-op Scrapy spider fetching the
  same pages from a generated news site on 127.0.0.1.

Prints figures and ratios (mxwatch time / bare time: 1.0 is as fast as the bare tool) and peak memory.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from mxwatch.evaluation import CORPUS


def _rate(n: int, fn: Callable[[], Any]) -> float:
    started = time.perf_counter()
    fn()
    return n / (time.perf_counter() - started)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_extraction() -> dict[str, float]:
    """Pages/s of mxwatch extraction and of bare trafilatura on the publisher corpus (3 passes each)."""
    import trafilatura

    from mxwatch.pipelines.extraction import extract_html

    pages = [gzip.decompress(p.read_bytes()) for p in sorted(CORPUS.glob("*.html.gz"))] * 3
    extract_html(pages[0])
    trafilatura.bare_extraction(pages[0], with_metadata=True)
    ours = _rate(len(pages), lambda: [extract_html(p) for p in pages])
    bare = _rate(len(pages), lambda: [trafilatura.bare_extraction(p, with_metadata=True) for p in pages])
    return {"mxwatch_pages_per_s": ours, "trafilatura_pages_per_s": bare, "ratio": bare / ours}


def benchmark_texts(n: int) -> list[str]:
    """``n`` English news texts of about 350 words, built from the demo site's articles."""
    from mxwatch.demo_site.server import load_articles

    english = [" ".join(a["paragraphs"]) for a in load_articles() if a["lang"] == "en"]
    texts = []
    for i in range(n):
        words = " ".join(english[(i + j) % len(english)] for j in range(2)).split()
        texts.append(" ".join(words[(i * 7) % 50: (i * 7) % 50 + 350]))
    return texts


def bench_analysis(n: int, processes: int) -> dict[str, float]:
    """Docs/s and words/s of the whole analysis vs spaCy NER-only on the same texts."""
    import spacy

    from mxwatch.pipelines.analysis import Analyzer, ArticleInput
    from mxwatch.pipelines.nlp import MODELS

    texts = benchmark_texts(n)
    words = sum(len(t.split()) for t in texts)
    info = spacy.info(MODELS["en"])
    bare = spacy.load(MODELS["en"], exclude=[p for p in info["pipeline"] if p != "ner"])
    list(bare.pipe(texts[:8]))
    bare_rate = _rate(n, lambda: list(bare.pipe(texts, batch_size=32)))
    analyzer = Analyzer()
    inputs = [ArticleInput(text=t, lang="en") for t in texts]
    analyzer.analyze(inputs[0])
    ours = _rate(n, lambda: list(analyzer.analyze_many(inputs)))
    result = {"mxwatch_docs_per_s": ours, "mxwatch_words_per_s": ours * words / n, "spacy_ner_docs_per_s": bare_rate,
              "ratio": bare_rate / ours}
    if processes > 1:
        result["mxwatch_docs_per_s_all_cores"] = _parallel_rate(inputs, processes)
    return result


def _analyse_chunk(chunk: list[Any]) -> int:
    from mxwatch.stages import get_analyzer

    return len(list(get_analyzer().analyze_many(chunk)))


def _parallel_rate(inputs: list[Any], processes: int) -> float:
    from concurrent.futures import ProcessPoolExecutor

    chunks = [inputs[i::processes] for i in range(processes)]
    with ProcessPoolExecutor(processes) as pool:
        list(pool.map(_analyse_chunk, [c[:2] for c in chunks]))  # load the models in every worker first
        started = time.perf_counter()
        total = sum(pool.map(_analyse_chunk, chunks))
    return total / (time.perf_counter() - started)


NOOP_SPIDER = '''
import json, sys, scrapy
from scrapy.crawler import CrawlerProcess
urls = json.loads(sys.argv[1])
class Noop(scrapy.Spider):
    name = "noop"
    async def start(self):
        for u in urls:
            yield scrapy.Request(u, callback=self.parse)
    def parse(self, response):
        pass
p = CrawlerProcess({"LOG_LEVEL": "ERROR", "CONCURRENT_REQUESTS": 16, "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
                    "TELNETCONSOLE_ENABLED": False, "ROBOTSTXT_OBEY": False})
p.crawl(Noop)
p.start()
'''


def bench_crawl(n: int) -> dict[str, float]:
    """Pages/s of an mxwatch crawl (fetch, extract, store in SQLite) vs a no-op Scrapy spider, same pages."""
    from mxwatch.demo_site.generated import generated_articles
    from mxwatch.demo_site.server import DemoSite
    from mxwatch.spiders.runner import run_crawl
    from mxwatch.stages import init_database

    with DemoSite(articles=generated_articles(n)) as site, tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        init_database(url, analyze=False)
        pages = [site.article_url(r) for r in site.public_articles()]
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", NOOP_SPIDER, json.dumps(pages)], check=True)
        bare = len(pages) / (time.perf_counter() - started)
        # Same concurrency as the bare spider: this measures our work per page, not the politeness throttle.
        fast = {"AUTOTHROTTLE_ENABLED": False, "CONCURRENT_REQUESTS_PER_DOMAIN": 16}
        source = {"name": "bench", "kind": "feed", "url": f"{site.base_url}/feed.xml"}
        started = time.perf_counter()
        summary = run_crawl([source], url, scrapy_settings=fast)
        stored = summary.total("new_articles") + summary.total("duplicates")
        ours = stored / (time.perf_counter() - started)
    return {"mxwatch_pages_per_s": ours, "scrapy_noop_pages_per_s": bare, "ratio": bare / ours, "stored": stored}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmarks and print a table (and JSON with ``--json FILE``)."""
    parser = argparse.ArgumentParser(prog="python -m mxwatch.benchmark", description=__doc__)
    parser.add_argument("--docs", type=int, default=400, help="texts for the analysis benchmark")
    parser.add_argument("--pages", type=int, default=1000, help="pages for the crawl benchmark")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args(argv)
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}", flush=True)
    results = {"extraction": bench_extraction()}
    r = results["extraction"]
    print(f"extraction  mxwatch {r['mxwatch_pages_per_s']:7.1f} pages/s   "
          f"trafilatura {r['trafilatura_pages_per_s']:7.1f} pages/s   ratio {r['ratio']:.2f}", flush=True)
    results["analysis"] = bench_analysis(args.docs, args.processes)
    r = results["analysis"]
    print(f"analysis    mxwatch {r['mxwatch_docs_per_s']:7.1f} docs/s ({r['mxwatch_words_per_s']:.0f} words/s)   "
          f"spaCy NER-only {r['spacy_ner_docs_per_s']:7.1f} docs/s   ratio {r['ratio']:.2f}"
          + (f"   all cores {r['mxwatch_docs_per_s_all_cores']:.1f} docs/s" if "mxwatch_docs_per_s_all_cores" in r
             else ""), flush=True)
    results["crawl"] = bench_crawl(args.pages)
    r = results["crawl"]
    print(f"crawl       mxwatch {r['mxwatch_pages_per_s']:7.1f} pages/s   "
          f"Scrapy no-op {r['scrapy_noop_pages_per_s']:7.1f} pages/s   ratio {r['ratio']:.2f}   ({r['stored']} stored)",
          flush=True)
    results["peak_memory_mb"] = _peak_mb()
    print(f"peak memory of this process: {results['peak_memory_mb']:.0f} MB")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
