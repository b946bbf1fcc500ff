"""End to end: crawl the generated site (fetch, extract, store), analyse what was stored and refresh the trends,
with the same stage functions the CLI and the DAG call; articles/s over the whole run, against the slowest stage's
bare speed (spaCy's NER-only pipelines on the same stored texts, with as many processes) measured in the same run."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import select

from mxwatch.benchmarks.common import corpus, timed
from mxwatch.benchmarks.crawl import FAST
from mxwatch.demo_site.generated import GeneratedSite


def _stored_docs(url: str) -> dict[str, list[str]]:
    """The texts analysis read, by language (title and text, as the analyzer joins them; baseline excluded)."""
    from mxwatch.models import db
    from mxwatch.models.tables import Article
    from mxwatch.pipelines.analysis import _doc_text
    from mxwatch.stages import article_input

    by_lang: dict[str, list[str]] = {}
    with db.session_scope(url) as session:
        for article in session.execute(select(Article).where(Article.is_baseline.is_(False))).scalars():
            by_lang.setdefault(article.lang or "en", []).append(_doc_text(article_input(article)))
    return by_lang


def bare_ner_seconds(by_lang: dict[str, list[str]], processes: int) -> float:
    """Seconds spaCy's NER-only pipelines (every trained component but ``ner`` excluded) take over the texts of
    each language, ``nlp.pipe`` with ``n_process=processes``; models loaded before the clock starts."""
    import warnings

    import spacy

    from mxwatch.pipelines.nlp import MODELS

    seconds = 0.0
    for lang, docs in by_lang.items():
        info = spacy.info(MODELS[lang])
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=r".*\[W095\].*")  # es 3.1 under spaCy 3.8, as in nlp.py
            nlp = spacy.load(MODELS[lang], exclude=[p for p in info["pipeline"] if p != "ner"])
        list(nlp.pipe(docs[:4]))
        _, took = timed(lambda nlp=nlp, docs=docs: list(nlp.pipe(docs, batch_size=32, n_process=processes)))
        seconds += took
    return seconds


def bench_end_to_end(pages: int, processes: int = 1) -> dict[str, Any]:
    """Articles/s from an empty database to analysed articles and refreshed trends, on ``pages`` pages, with
    analysis on ``processes`` processes (what ``analyze_pending`` uses on this machine by default)."""
    from mxwatch.pipelines.analysis_pool import start_method
    from mxwatch.spiders.runner import run_crawl
    from mxwatch.stages import analyze_pending, init_database, refresh_trends

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'e2e.db'}"
        with GeneratedSite(corpus(pages)[:pages]) as site:
            site.prerender()
            init_database(url)  # the baseline is stored and analysed before the clock starts
            source = {"name": "bench", "kind": "feed", "url": f"{site.base_url}/feed.xml"}
            summary, crawl_s = timed(lambda: run_crawl([source], url, scrapy_settings=FAST))
        # The site's server threads are gone, as in `mxwatch crawl` (one thread: analysis workers are forked).
        method = start_method()
        analysed, analyse_s = timed(lambda: analyze_pending(url, processes=processes))
        _, trends_s = timed(lambda: refresh_trends(url))
        by_lang = _stored_docs(url)
    bare_s = bare_ner_seconds(by_lang, processes)
    docs = sum(len(d) for d in by_lang.values())
    stored = summary.total("new_articles") + summary.total("duplicates")
    total = crawl_s + analyse_s + trends_s
    per_s = stored / total
    bare_per_s = docs / bare_s
    return {"pages": pages, "stored": stored, "analysed": analysed, "processes": processes,
            "worker_start": method if processes > 1 else None, "crawl_s": crawl_s,
            "analyse_s": analyse_s, "trends_s": trends_s, "articles_per_s": per_s,
            "bare_ner_docs": docs, "bare_ner_s": bare_s, "bare_ner_docs_per_s": bare_per_s,
            "ratio": bare_per_s / per_s}
