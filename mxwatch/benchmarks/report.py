"""BENCHMARKS.md from a benchmark run's results (the same text ``make bench`` prints)."""

from __future__ import annotations

from typing import Any

from mxwatch.settings import STORE_BATCH_SIZE

TARGET_RATIO = 1.5


def _f(value: Any, digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _ratio(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.2f} ({'within' if value <= TARGET_RATIO else 'over'} {TARGET_RATIO}x)"


def _table(header: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(_f(c) if not isinstance(c, str) else c for c in row) + " |" for row in rows]
    return lines + [""]


def _machine(m: dict[str, Any], options: dict[str, Any]) -> list[str]:
    libs = ", ".join(f"{k} {v}" for k, v in m["libraries"].items())
    load = ", ".join(f"{x:.1f}" for x in m["load_average"])
    return [f"- CPU: {m['cpu']}, {m['cores']} cores; RAM {m['memory_gb']} GB; {m['os']}",
            f"- Python {m['python']}; {libs}",
            f"- Load average when the run started: {load} (other work on the machine makes every figure noisier;"
            " ratios are taken in the same run, minutes apart)",
            f"- Run: {options.get('started')} UTC, {options.get('duration_min', 0):.1f} min; options: "
            + ", ".join(f"{k}={v}" for k, v in options.items() if k not in ("started", "duration_min")), ""]


def _crawl(c: dict[str, Any]) -> list[str]:
    rows = []
    names = {"fetch": "fetch only", "fetch_extract": "fetch + extract",
             "fetch_extract_store": "fetch + extract + store, extraction in the crawl process",
             "fetch_extract_store_pool": "fetch + extract + store, extraction in worker processes (the default)"}
    bare_names = {"fetch": "no-op Scrapy spider", "fetch_extract": "no-op spider + trafilatura",
                  "fetch_extract_store": "no-op spider + trafilatura + SQLAlchemy Core batched insert",
                  "fetch_extract_store_pool": "(the same bare full crawl)"}
    for stage, label in names.items():
        row = c[stage]
        bare = row.get("bare")
        rows.append([label, row["mxwatch"]["steady_pages_per_s"], row["mxwatch"]["pages_per_s"],
                     bare_names.get(stage, "(no bare equivalent)"), bare["steady_pages_per_s"] if bare else None,
                     bare["pages_per_s"] if bare else None, _ratio(row.get("ratio"))])
    full, pool = c["fetch_extract_store"], c["fetch_extract_store_pool"]
    return [f"{c['pages']:,} generated pages (mean {c['mean_page_kb']:.0f} KB, 350-900 words, English and Spanish, "
            "with navigation, related links, cookie banners, comments and inline scripts) served by a threading "
            "HTTP server on 127.0.0.1; 16 concurrent requests, no AutoThrottle on both sides. Steady pages/s: from "
            "the first article request to the last as the server saw them; overall: process start-up included.", "",
            *_table(["mxwatch stage", "pages/s (steady)", "pages/s (overall)", "bare tool", "pages/s (steady)",
                     "pages/s (overall)", "ratio (bare / mxwatch)"], rows),
            "The bare full crawl is the no-op spider running trafilatura's `bare_extraction` on each page and "
            "inserting the result with plain SQLAlchemy Core into a SQLite table of the article table's columns "
            "(executemany, as many rows per transaction as mxwatch's store batches, the same WAL settings). Unlike "
            "mxwatch it takes no write lock and checks no stored URLs, canonical URLs or copies; neither side "
            "analyses the text (mxwatch does that after the crawl). "
            "mxwatch extracts in one worker process per core beyond the first by default "
            "(`MXWATCH_EXTRACTION_PROCESSES`); the bare tools use one process. "
            f"The full crawl against the bare fetch alone: {_ratio(pool['ratio_to_bare_fetch'])}; against the bare "
            f"fetch + trafilatura: {_ratio(pool['ratio_to_bare_fetch_extract'])}. With extraction in the crawl "
            f"process: {_ratio(full['ratio_to_bare_fetch'])} and {_ratio(full['ratio_to_bare_fetch_extract'])}. "
            f"Stored {full['mxwatch'].get('new', 0):,} new and {full['mxwatch'].get('duplicates', 0):,} duplicate(s), "
            f"{full['mxwatch'].get('errors', 0)} errors; the bare crawl stored "
            f"{full.get('bare', {}).get('stored', 0):,} rows.",
            ""]


def render(results: dict[str, Any]) -> str:
    """The Markdown text of BENCHMARKS.md."""
    out = ["# mxwatch benchmarks", "",
           "Written by `make bench` (`python -m mxwatch.benchmarks`); do not edit by hand. Each mxwatch stage runs "
           "beside the bare tool it is built on, in the same run, on the same input; a ratio is the bare tool's "
           f"speed over mxwatch's (1.0: as fast; the target is at most {TARGET_RATIO}).", "",
           "## Machine", "", *_machine(results["machine"], results["options"])]
    if "crawl" in results:
        out += ["## Crawl", "", *_crawl(results["crawl"])]
    if "extraction" in results:
        e = results["extraction"]
        rows = [[name, e[key]["pages"], e[key]["mxwatch_pages_per_s"], e[key]["bare_pages_per_s"],
                 _ratio(e[key]["ratio"])]
                for key, name in (("generated", "generated pages"), ("publisher", "real publisher pages (43, x3)"))]
        out += ["## Extraction (one process)", "",
                *_table(["pages", "count", "mxwatch pages/s", "trafilatura bare_extraction pages/s", "ratio"], rows)]
    if "analysis" in results:
        a = results["analysis"]
        rows = [["one process", a["one_process"]["mxwatch_docs_per_s"], a["one_process"]["mxwatch_words_per_s"],
                 a["one_process"]["bare_docs_per_s"], _ratio(a["one_process"]["ratio"])]]
        if "all_cores" in a:
            x = a["all_cores"]
            rows.append([f"{x['processes']} processes", x["mxwatch_docs_per_s"], x["mxwatch_words_per_s"],
                         x["bare_docs_per_s"], _ratio(x["ratio"])])
        short = a.get("short_docs")
        if short:
            rows.append([f"one process, {short['mean_words']:.0f}-word articles", short["mxwatch_docs_per_s"],
                         short["mxwatch_words_per_s"], short["bare_docs_per_s"], _ratio(short["ratio"])])
        out += ["## Analysis", "", f"{a['docs']:,} generated English articles (mean {a['mean_words']:.0f} words). "
                "mxwatch: "
                "the whole analysis (NER, company gazetteer, places, job counts, relevance) as `analyze_pending` "
                "runs it; bare: spaCy's small English model with every component but `ner` excluded (`nlp.pipe`, "
                "`n_process` for all cores).", "",
                *_table(["", "mxwatch docs/s", "mxwatch words/s", "spaCy NER-only docs/s", "ratio"], rows)]
        if short:
            met = short["mxwatch_docs_per_s"] >= short["target_docs_per_s"]
            out += [f"On {short['docs']:,} articles of about 350 words (mean {short['mean_words']:.0f}), one process: "
                    f"{short['mxwatch_docs_per_s']:.1f} docs/s against issue 3's target of at least "
                    f"{short['target_docs_per_s']:.0f} ({'met' if met else 'NOT met on this machine and load'}); "
                    f"the bare NER-only pipeline did {short['bare_docs_per_s']:.1f} in the same minutes.", ""]
    if "storage" in results:
        s = results["storage"]
        rows = [[db, s[db]["articles"], s[db]["article_writes_per_s"], s[db]["analysis_writes_per_s"]] for db in s]
        out += ["## Database writes", "", "Articles stored as a crawl stores them (`store.store_articles`: one "
                f"transaction per batch of {STORE_BATCH_SIZE}, write lock, duplicate check, MinHash); analyses saved "
                "as `analyze_pending` saves them (4 companies, a city, a state, a job count each; 128 per "
                "transaction).", "",
                *_table(["database", "articles", "article writes/s", "analysis writes/s"], rows)]
    if "end_to_end" in results:
        x = results["end_to_end"]
        processes = x.get("processes", 1)
        out += ["## End to end", "", f"Crawl, analyse ({processes} process{'es' if processes > 1 else ''}, as "
                f"`mxwatch crawl` does on this machine), refresh trends on "
                f"{x['pages']:,} pages from an empty database: {x['stored']:,} articles stored and analysed in "
                f"{x['crawl_s'] + x['analyse_s'] + x['trends_s']:.0f} s (crawl {x['crawl_s']:.0f} s, analysis "
                f"{x['analyse_s']:.0f} s, trends {x['trends_s']:.1f} s): **{x['articles_per_s']:.1f} articles/s**.", ""]
        if "bare_ner_docs_per_s" in x:
            out += [f"The slowest stage's bare speed, in the same run: spaCy's NER-only pipelines (English and "
                    f"Spanish) on the same {x['bare_ner_docs']:,} stored texts, `n_process={processes}`, did "
                    f"{x['bare_ner_docs_per_s']:.1f} docs/s; end to end against it: {_ratio(x['ratio'])}.", ""]
    if "peers" in results:
        rows = [[r["tool"], r["version"], _f(r["body_f1"], 3), _f(r["title"], 3), _f(r["date"], 3),
                 _f(r["authors"], 3), r["pages_per_s"]] for r in results["peers"]]
        out += ["## Peers on real publisher pages", "", "The 43 pages of `../shared/corpus/publisher_html` scored by "
                "its own `score_extractor.py` metrics (body: bag-of-words F1; title: exact; date: same day; authors: "
                "same set). In-process pages/s, one pass, pages already decompressed, no URL given; the peers run in "
                "`.bench-venv`.", "",
                *_table(["extractor", "version", "body F1", "title", "date", "authors", "pages/s"], rows)]
    for key, title in (("memory", "this run"), ("memory_100k", "the 100,000-document run")):
        if key in results:
            m = results[key]
            out += [f"## Memory: long analysis stream ({title})", "",
                    f"{m['docs']:,} short news items (mean {m['mean_words']:.0f} words, English and Spanish, each "
                    f"naming a company never seen before) through the real analysis path on {m['processes']} "
                    f"processes, {m['docs_per_s']:.1f} docs/s ({m['words_per_s']:,.0f} words/s). Resident memory per "
                    f"worker after {m['warmup_docs']:,} documents of warm-up grew by at most "
                    f"**{m['growth_after_warmup_mb']:.1f} MB** (bound: {m['bound_mb']:.0f} MB, "
                    f"{'held' if m['within_bound'] else 'EXCEEDED'}); peak worker RSS "
                    f"{m['peak_worker_rss_mb']:.0f} MB.",
                    "", "RSS samples (documents done: MB), first worker: "
                    + ", ".join(f"{d:,}: {r:.0f}" for d, r in m["samples"][0]), ""]
    if "queries" in results:
        out += ["## Trend queries", ""]
        for db, rows in results["queries"].items():
            if isinstance(rows, str):
                out += [f"{db}: {rows}", ""]
                continue
            header = list(rows[0]) if rows else []
            out += [f"### {db}", "", *_table(header, [[r.get(h) for h in header] for r in rows])]
    peak = results.get("peak_memory")
    if peak:
        out += ["## Peak memory", "", f"Benchmark process {peak['self_mb']:.0f} MB; largest child process (crawl "
                f"processes, analysis workers) {peak['children_mb']:.0f} MB.", ""]
    out += ["## Reproduce", "", "```", "make bench                      # everything, ~30 min on 2 cores",
            "make bench BENCH_ARGS=--quick   # a smoke run on a tiny corpus (a minute or two)",
            "make bench BENCH_ARGS='--pages 2000 --memory-docs 100000'", "```", "",
            "`python -m mxwatch.benchmarks --help` lists every option. The 100,000-document memory run alone: "
            "`.venv/bin/python -m mxwatch.benchmarks.memory --docs 100000 --json FILE`; `make bench` includes the "
            "last one recorded in `mxwatch/benchmarks/results/memory_100k.json`.", ""]
    return "\n".join(out)
