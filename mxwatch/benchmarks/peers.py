"""Peers side by side on the real publisher pages: mxwatch's extraction against trafilatura, newspaper4k and
news-please, scored by the corpus's own scorer (body F1, title, date, authors) with pages/s.

The peers run in their own environment (``.bench-venv``, pinned in bench-requirements.lock, built by
``make bench``) through ``peer_runner.py``, which returns their predictions as JSON; mxwatch's figures come
from this environment (``evaluation.score_publisher_pages``).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from mxwatch.evaluation import CORPUS, load_scorer, score_publisher_pages

RUNNER = Path(__file__).with_name("peer_runner.py")
BENCH_PYTHON = Path(__file__).resolve().parents[2] / ".bench-venv" / "bin" / "python"


def _score(scorer: Any, golds: list[dict[str, Any]], predictions: dict[str, Any]) -> dict[str, Any]:
    rows = []
    for gold in golds:
        pred = predictions.get(gold["file"], {})
        _, _, f1 = scorer.body_prf(pred.get("text"), gold["body"])
        rows.append({"file": gold["file"], "lang": gold["lang"], "error": pred.get("error"),
                     "title": scorer.title_match(pred.get("title"), gold["title"]),
                     "date": scorer.date_match(pred.get("published"), gold["published"]),
                     "authors": scorer.authors_match(pred.get("authors"), gold["authors"]),
                     "body_p": 0.0, "body_r": 0.0, "body_f1": f1})
    return scorer.summarise(rows)


def bench_peers(passes: int = 1, python: Path = BENCH_PYTHON, corpus: Path = CORPUS) -> list[dict[str, Any]]:
    """One row per extractor: {"tool", "version", "body_f1", "title", "date", "authors", "pages_per_s"}."""
    from importlib.metadata import version

    ours = score_publisher_pages(corpus)
    rows = [{"tool": "mxwatch", "version": version("mxwatch"), **_means(ours["means"]["ALL"]),
             "pages_per_s": ours["pages_per_s"]}]
    if not python.exists():
        raise FileNotFoundError(f"{python} missing: `make bench` builds the peers' environment (.bench-venv)")
    proc = subprocess.run([str(python), str(RUNNER), str(corpus / "gold.jsonl"), str(passes)],
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"peer runner failed: {(proc.stderr.strip().splitlines() or ['?'])[-1]}")
    scorer = load_scorer(corpus)
    golds = [json.loads(line) for line in (corpus / "gold.jsonl").read_text("utf-8").splitlines() if line]
    for tool, out in json.loads(proc.stdout).items():
        rows.append({"tool": tool, "version": out["version"], **_means(_score(scorer, golds, out["predictions"])),
                     "pages_per_s": out["pages_per_s"]})
    return rows


def _means(summary: dict[str, Any]) -> dict[str, Any]:
    return {key: summary.get(key) for key in ("body_f1", "title", "date", "authors")}
