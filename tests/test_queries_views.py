"""The analysts' SQL views (migration 0003) give the same answers as the query functions, on both databases."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import text

from mxwatch.models import company_queries, db, job_queries, queries
from tests import queries_fixture


@pytest.fixture
def stored(db_url: str) -> str:
    queries_fixture.build(db_url)
    return db_url


def _rows(url: str, sql: str) -> list[tuple]:
    with db.get_engine(url).connect() as connection:
        return [tuple(r) for r in connection.execute(text(sql)).all()]


def test_jobs_by_state_month_view_matches_trends(stored: str) -> None:
    view = _rows(stored, "SELECT period, state, jobs FROM v_jobs_by_state_month ORDER BY period, jobs DESC, state")
    with db.session_scope(stored) as session:
        expected = [(r["period"], r["key"], r["value"]) for r in queries.trends(session, "jobs", "state", "month")]
    assert view == expected and len(view) == 5


def test_mentions_by_company_week_view_matches_trends(stored: str) -> None:
    view = _rows(stored, "SELECT period, company, mentions, articles FROM v_mentions_by_company_week")
    with db.session_scope(stored) as session:
        mentions = queries.trends(session, "mentions", "company", "week")
        articles = queries.trends(session, "articles", "company", "week")
    assert sorted((p, c, m) for p, c, m, _ in view) == sorted((r["period"], r["key"], r["value"]) for r in mentions)
    assert sorted((p, c, a) for p, c, _, a in view) == sorted((r["period"], r["key"], r["value"]) for r in articles)
    assert ("2024-W02", "Acme Robotics", 3, 1) in view  # a1 only: its copy is not counted


def test_jobs_by_city_view_matches_the_map_query(stored: str) -> None:
    view = _rows(stored, "SELECT city, state, lat, lon, jobs, announcements FROM v_jobs_by_city ORDER BY jobs DESC")
    with db.session_scope(stored) as session:
        expected = [tuple(r.values()) for r in queries.jobs_by_city(session)]
    assert view == expected


def test_announcements_and_first_seen_views(stored: str) -> None:
    view = _rows(stored, "SELECT announcement_id, reported, company, value, reports, first_url FROM v_announcements")
    firsts = _rows(stored, "SELECT company, first_seen, articles, mentions FROM v_company_first_seen")
    with db.session_scope(stored) as session:
        announced = job_queries.announcements(session)
        new = company_queries.new_companies(session)
        top = queries.top_companies(session, limit=100)
    assert Counter(view) == Counter((a["id"], a["date"], a["company"], a["value"], a["reports"], a["url"])
                                    for a in announced)
    seen = {c: (f, a, m) for c, f, a, m in firsts}
    assert {r["company"]: (r["first_seen"], r["articles"], r["mentions"]) for r in top} == seen
    assert all(seen[r["company"]][0] == r["first_seen"] for r in new)


def test_baseline_vs_latest_view_matches_the_comparison(stored: str) -> None:
    view = _rows(stored, "SELECT company, state, kind, value, latest_value, latest_kind, latest_published, "
                         "latest_url, latest_title FROM v_baseline_vs_latest ORDER BY position")
    with db.session_scope(stored) as session:
        comparison = queries.baseline_comparison(session)
    expected = []
    for row in comparison:
        fact, latest = row["baseline"], row["latest"] or {}
        expected.append((fact["company"], fact["state"], fact["kind"], fact["value"], latest.get("value"),
                         latest.get("kind"), (latest.get("published") or "")[:10] or None, latest.get("url"),
                         latest.get("title")))
    assert view == expected
    assert view[0][4] == 1200 and view[2][4] is None
