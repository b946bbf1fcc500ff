"""Smoke test of `make bench`'s machinery on a tiny corpus: every benchmark produces its figures and BENCHMARKS.md
renders them. No timing is asserted (speed is measured by `make bench`, never in tests)."""

from __future__ import annotations

import gzip
import json
import urllib.request
from pathlib import Path

from mxwatch.benchmarks import peers
from mxwatch.benchmarks.run import main
from mxwatch.demo_site.generated import BENCH_WORDS, GeneratedSite, generated_articles, short_texts
from mxwatch.evaluation import CORPUS, load_scorer, score_publisher_pages
from mxwatch.pipelines.extraction import extract_html, to_json

STAGES = ("crawl", "extraction", "analysis", "storage", "end_to_end", "memory")


def test_generated_corpus_is_seeded_distinct_and_realistic() -> None:
    a, b = generated_articles(60, words=BENCH_WORDS), generated_articles(60, words=BENCH_WORDS)
    assert a == b  # seeded: the same site every time
    bodies = [" ".join(r["paragraphs"]) for r in a]
    assert len(set(bodies)) == len(bodies)
    words = [len(t.split()) for t in bodies]
    assert min(words) >= 350 and sum(words) / len(words) < 900
    assert {r["lang"] for r in a} == {"en", "es"}
    assert list(short_texts(3, start=5)) == list(short_texts(8))[5:]  # a stream splits between workers


def test_generated_site_serves_cluttered_pages() -> None:
    records = generated_articles(12, words=BENCH_WORDS)
    with GeneratedSite(records) as site:
        assert site.prerender() > 12 * 20_000
        html = urllib.request.urlopen(site.article_url(records[3]), timeout=10).read().decode()
        fetched, _ = site.article_rate()
    assert fetched == 1
    for clutter in ("__NEXT_DATA__", "cookie", "comments-widget", "<nav", "newsletter"):
        assert clutter in html
    extracted = extract_html(html.encode())
    assert records[3]["paragraphs"][0][:60] in extracted.text
    assert "__NEXT_DATA__" not in extracted.text and "Sign up" not in extracted.text


def test_peer_scores_use_the_corpus_scorer() -> None:
    # mxwatch's own predictions scored through the peers' path give the evaluation's figures.
    golds = [json.loads(line) for line in (CORPUS / "gold.jsonl").read_text("utf-8").splitlines() if line]
    predictions = {g["file"]: to_json(extract_html(gzip.decompress((CORPUS / g["file"]).read_bytes())))
                   for g in golds}
    ours = peers._score(load_scorer(), golds, predictions)
    reference = score_publisher_pages()["means"]["ALL"]
    for key in ("body_f1", "title", "date", "authors"):
        assert abs(ours[key] - reference[key]) < 1e-9, key
    assert peers.RUNNER.is_file()


def test_bench_quick_run_writes_benchmarks(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    out, data = tmp_path / "BENCHMARKS.md", tmp_path / "bench.json"
    args = ["--quick", "--pages", "30", "--extract-pages", "6", "--docs", "6", "--storage-articles", "10",
            "--e2e-pages", "8", "--memory-docs", "40", "--out", str(out), "--json", str(data)]
    for stage in STAGES:
        args += ["--only", stage]
    assert main(args) == 0
    results = json.loads(data.read_text())
    crawl = results["crawl"]
    for stage in ("fetch", "fetch_extract", "fetch_extract_store", "fetch_extract_store_pool"):
        assert crawl[stage]["mxwatch"]["fetched"] == 30, stage
        assert crawl[stage]["mxwatch"]["steady_pages_per_s"] > 0
    assert crawl["fetch"]["bare"]["fetched"] == 30 and crawl["fetch_extract"]["bare"]["fetched"] == 30
    # The bare full crawl (no-op spider, trafilatura, SQLAlchemy Core batched inserts) stores every page too.
    assert crawl["fetch_extract_store"]["bare"]["fetched"] == crawl["fetch_extract_store"]["bare"]["stored"] == 30
    assert crawl["fetch_extract_store_pool"]["ratio"] > 0
    for stage in ("fetch_extract_store", "fetch_extract_store_pool"):  # the pool loses or doubles nothing
        assert crawl[stage]["mxwatch"]["new"] == 30 and crawl[stage]["mxwatch"]["errors"] == 0
    assert results["analysis"]["one_process"]["mxwatch_docs_per_s"] > 0
    assert results["storage"]["sqlite"]["article_writes_per_s"] > 0
    assert results["storage"]["postgresql"]["analysis_writes_per_s"] > 0
    assert results["end_to_end"]["stored"] == results["end_to_end"]["analysed"] >= 8
    memory = results["memory"]
    assert memory["docs"] == 40 and all(len(s) >= 3 for s in memory["samples"])
    text = out.read_text()
    assert text.strip() in capsys.readouterr().out  # printed as written
    for heading in ("## Machine", "## Crawl", "## Extraction", "## Analysis", "## Database writes", "## End to end",
                    "## Memory", "## Reproduce"):
        assert heading in text, heading
    assert f"{crawl['fetch']['mxwatch']['steady_pages_per_s']:,.1f}" in text
    assert "no-op spider + trafilatura + SQLAlchemy Core batched insert" in text
