"""Extraction throughput in one process: ``extract_html`` against trafilatura's ``bare_extraction`` on the same
pages: the generated site's pages (what the crawl benchmark fetches) and the real publisher pages."""

from __future__ import annotations

import gzip
from typing import Any

from mxwatch.benchmarks.common import corpus, timed
from mxwatch.demo_site.generated import GeneratedSite
from mxwatch.evaluation import CORPUS


def _compare(pages: list[bytes]) -> dict[str, float]:
    import trafilatura

    from mxwatch.pipelines.extraction import extract_html

    extract_html(pages[0])
    trafilatura.bare_extraction(pages[0], with_metadata=True)
    _, ours = timed(lambda: [extract_html(p) for p in pages])
    _, bare = timed(lambda: [trafilatura.bare_extraction(p, with_metadata=True) for p in pages])
    return {"pages": len(pages), "mxwatch_pages_per_s": len(pages) / ours, "bare_pages_per_s": len(pages) / bare,
            "ratio": ours / bare}


def generated_pages(n: int) -> list[bytes]:
    """The HTML of ``n`` generated article pages, as the site serves them."""
    with GeneratedSite(corpus(n)) as site:
        site.prerender()
        return [site._response(site.article_url(r).removeprefix(site.base_url), site.base_url).body
                for r in site.public_articles()]


def bench_extraction(n: int, passes: int = 3) -> dict[str, Any]:
    """Pages/s of mxwatch and of bare trafilatura on ``n`` generated pages and on the publisher pages."""
    publisher = [gzip.decompress(p.read_bytes()) for p in sorted(CORPUS.glob("*.html.gz"))]
    return {"generated": _compare(generated_pages(n)), "publisher": _compare(publisher * passes)}
