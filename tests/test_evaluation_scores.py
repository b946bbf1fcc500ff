"""make eval's scoring of one document: job counts paired by value, then their links and kinds compared."""

from __future__ import annotations

from pathlib import Path

import pytest

from mxwatch import evaluation
from mxwatch.evaluation import Scores, score_document


def _count(value: int, kind: str, company: str | None = "Jabil", city: str | None = "Tijuana") -> dict:
    return {"value": value, "value_max": None, "approx": False, "unit": "employees", "kind": kind,
            "company": company, "city": city, "state": "Baja California" if city else None, "evidence": "..."}


def test_links_and_kinds_of_matched_counts() -> None:
    pred = {"companies": [{"name": "Jabil"}], "cities": [{"name": "Tijuana"}], "states": [], "relevant": True,
            "relevance": 0.9,
            "job_counts": [_count(180, "existing"), _count(500, "new", company=None), _count(7, "new")]}
    gold = {"companies": ["Jabil"], "cities": ["Tijuana"], "states": [], "relevant": True,
            "job_counts": [_count(180, "new"), _count(500, "new"), _count(90, "planned")]}
    scores, log = Scores(), []
    score_document(scores, pred, gold, "doc-1", log)
    row = scores.row()
    assert (scores.jobs.tp, scores.jobs.fp, scores.jobs.fn) == (2, 1, 1)
    assert row["right_company"] == 0.5 and row["right_place"] == 1.0 and row["right_kind"] == 0.5
    assert any(line.startswith("doc-1 kind 180: existing (gold new)") for line in log), log


def test_no_matched_counts_have_no_kind_rate() -> None:
    assert Scores().row()["right_kind"] is None


def test_unknown_set_and_missing_corpus_are_one_line_errors(capsys: pytest.CaptureFixture, monkeypatch:
                                                            pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A set name make eval does not know, or a publisher corpus that is not there: one line, exit 2."""
    with pytest.raises(SystemExit) as stop:
        evaluation.main(["--sets", "dev,dev99"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "unknown set(s): dev99" in err and "Traceback" not in err
    monkeypatch.setattr(evaluation, "CORPUS", tmp_path / "nowhere")
    monkeypatch.setattr(evaluation, "score_publisher_pages", lambda: evaluation.load_scorer(tmp_path / "nowhere"))
    assert evaluation.main(["--sets", "pages"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "publisher corpus not found" in err
