"""Every filter a user types that reaches SQL is a bound parameter: injection strings, LIKE wildcards, unicode and
very long strings through the CLI's filters match nothing, change nothing, and fail only as bad input."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select, table

from mxwatch import cli
from mxwatch.models import db, store
from mxwatch.models.db import get_engine
from mxwatch.models.tables import Article
from mxwatch.stages import init_database, refresh_trends

INJECTIONS = [
    "'; DROP TABLE article; --",
    '" OR 1=1 --',
    "' OR '1'='1",
    "x') UNION SELECT name, name FROM company --",
    "%",
    "_",
    "%Nubexa%",
    "Nubexa_Systems",
    "Ñandú Ölçer 北京 🚀",
    "x" * 20_000,
]
ANALYSIS = {
    "lang": "en", "relevant": True, "relevance": 0.9,
    "companies": [{"name": "Nubexa Systems", "aliases": [], "mentions": 2}],
    "cities": [{"name": "Monterrey", "state": "Nuevo León", "lat": 25.67, "lon": -100.31, "mentions": 1}],
    "states": [{"name": "Nuevo León", "mentions": 1}],
    "job_counts": [{"value": 350, "value_max": None, "approx": False, "unit": "engineers", "kind": "new",
                    "company": "Nubexa Systems", "city": "Monterrey", "state": "Nuevo León",
                    "evidence": "Nubexa Systems will hire 350 engineers in Monterrey."}],
}


@pytest.fixture
def stored(db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """A database with the baseline and one analysed article, and the CLI pointed at it."""
    init_database(db_url, analyze=False)
    with db.session_scope(db_url) as session:
        result = store.store_article(session, store.NewArticle(
            url="https://news.example/nubexa", title="Nubexa picks Monterrey", lang="en",
            published=datetime(2025, 3, 4, tzinfo=UTC),
            text="Nubexa Systems will hire 350 engineers in Monterrey, Nuevo León, the company said."),
            store.load_duplicate_index(session))
        store.save_analysis(session, session.get(Article, result.article_id), ANALYSIS, store.EntityCache())
    refresh_trends(db_url)
    monkeypatch.setenv("MXWATCH_DATABASE_URL", db_url)
    monkeypatch.setenv("MXWATCH_HOME", str(tmp_path / "home"))
    return db_url


def _snapshot(url: str) -> dict[str, int]:
    """Rows per table, for every table the schema has (names read from the database itself)."""
    engine = get_engine(url)
    tables = sorted(inspect(engine).get_table_names())
    with db.session_scope(url) as session:
        return {t: session.execute(select(func.count()).select_from(table(t))).scalar() for t in tables}


def _run(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str, str]:
    try:
        code = cli.main(list(args))
    except SystemExit as exit_:  # argparse refuses bad input by exiting, as the console script does
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_injection_strings_through_every_text_filter(stored: str, capsys: pytest.CaptureFixture) -> None:
    before = _snapshot(stored)
    assert before["article"] == 2 and before["company"] >= 1
    for value in INJECTIONS:
        _refused_or_unmatched(capsys, value)
        assert _snapshot(stored) == before, value[:40]  # every table intact, nothing added or removed


def _refused_or_unmatched(capsys: pytest.CaptureFixture, value: str) -> None:
    # Names: nothing matches (no LIKE wildcards, no always-true clause), so nothing is listed.
    for option in ("--company", "--place", "--city", "--state"):
        code, out, err = _run(capsys, "jobs", option, value, "--json")
        assert (code, json.loads(out)) == (0, []), (option, value[:40], err)
    code, out, err = _run(capsys, "jobs", "--announcements", "--company", value, "--json")
    assert (code, json.loads(out)) == (0, []), (value[:40], err)
    code, _, err = _run(capsys, "companies", "--company", value, "--json")
    assert code == 2 and err.startswith("mxwatch: error: no company named") and "Traceback" not in err
    # A URL carrying the string: no article there.
    code, _, err = _run(capsys, "entities", "--article", f"https://news.example/{value}", "--json")
    assert code == 2 and "no analysed article" in err, err
    # Dates never reach SQL as text: refused by the parser.
    for args in (("articles", "--since", value), ("trends", "--since", value), ("companies", "--until", value),
                 ("places", "--since", value), ("jobs", "--since", value), ("report", "--since", value)):
        code, _, err = _run(capsys, *args)
        assert code == 2 and "invalid date" in err, (args, err)


def test_the_same_filters_still_find_what_is_there(stored: str, capsys: pytest.CaptureFixture) -> None:
    """The control: the filters above do match real names (so 'nothing matched' meant something)."""
    code, out, _ = _run(capsys, "jobs", "--company", "nubexa systems", "--city", "Monterrey", "--json")
    assert code == 0 and [(r["value"], r["company"]) for r in json.loads(out)] == [(350, "Nubexa Systems")]
    code, out, _ = _run(capsys, "entities", "--article", "https://news.example/nubexa", "--json")
    assert code == 0 and json.loads(out)[0]["companies"][0]["name"] == "Nubexa Systems"
    code, out, _ = _run(capsys, "articles", "--since", "2025-01-01", "--json")
    assert code == 0 and [r["url"] for r in json.loads(out)] == ["https://news.example/nubexa"]
