"""The query layer against answers computed by hand on a small stored fixture, on SQLite and PostgreSQL.

See tests/queries_fixture.py for the articles; each expected value below is worked out from that list.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from mxwatch.models import company_queries, db, job_queries, queries, trend_queries
from mxwatch.models.tables import Announcement, JobCount
from tests import queries_fixture


@pytest.fixture
def stored(db_url: str) -> tuple[str, dict[str, int]]:
    return db_url, queries_fixture.build(db_url)


def test_announcement_reported_by_two_outlets_and_a_copy_counts_once(stored: tuple[str, dict[str, int]]) -> None:
    url, ids = stored
    with db.session_scope(url) as session:
        announcement_of = dict(session.execute(select(JobCount.article_id, JobCount.announcement_id)
                                               .where(JobCount.value == 400)).all())
        acme = session.execute(select(Announcement).where(Announcement.id == announcement_of[ids["a1"]])).scalar_one()
    # a1, its republished copy and a2 (another outlet's own story, "planned") are one announcement, first
    # reported by a1 and reported by two counted articles (the copy is not counted); a7, 236 days later, is another.
    assert announcement_of[ids["a1"]] == announcement_of[ids["a1_copy"]] == announcement_of[ids["a2"]]
    assert announcement_of[ids["a7"]] != announcement_of[ids["a1"]]
    assert (acme.article_id, acme.reports, acme.value, acme.kind) == (ids["a1"], 2, 400, "new")
    assert ids["a6"] not in announcement_of  # the irrelevant article's 999 is not here either (value 999)


def test_announcement_window_is_configurable(stored: tuple[str, dict[str, int]]) -> None:
    from mxwatch.models.announcements import rebuild_announcements

    url, ids = stored
    with db.session_scope(url) as session:
        # Within a year, a7's 400 in Guadalajara is the same announcement as a1's: 4 announcements, not 5.
        assert rebuild_announcements(session, window_days=365) == 4
        assert rebuild_announcements(session, window_days=5) == 6  # a2 (10 days after a1) now stands alone
        assert rebuild_announcements(session) == 5


def test_trends_jobs_sum_announcements(stored: tuple[str, dict[str, int]]) -> None:
    url, _ = stored
    with db.session_scope(url) as session:
        by_state = queries.trends(session, "jobs", "state", "month")
        by_company_year = queries.trends(session, "jobs", "company", "year")
        by_city_week = queries.trends(session, "jobs", "city", "week", since=date(2024, 1, 1))
    assert by_state == [
        {"period": "2017-10", "key": "Jalisco", "value": 100},  # Oracle's hundreds, in the baseline
        {"period": "2024-01", "key": "Jalisco", "value": 400},  # a1 + copy + a2: once
        {"period": "2024-02", "key": "Nuevo León", "value": 150},
        {"period": "2024-03", "key": "Jalisco", "value": 200},
        {"period": "2024-09", "key": "Jalisco", "value": 400},
    ]
    assert by_company_year == [{"period": "2017", "key": "Oracle", "value": 100},
                               {"period": "2024", "key": "Acme Robotics", "value": 800},
                               {"period": "2024", "key": "Beta Corp", "value": 150}]
    assert by_city_week == [{"period": "2024-W02", "key": "Guadalajara", "value": 400},
                            {"period": "2024-W06", "key": "Monterrey", "value": 150},
                            {"period": "2024-W36", "key": "Guadalajara", "value": 400}]


def test_trends_mentions_and_articles_with_since_and_until(stored: tuple[str, dict[str, int]]) -> None:
    url, _ = stored
    with db.session_scope(url) as session:
        mentions = queries.trends(session, "mentions", "company", "year")
        articles = queries.trends(session, "articles", "city", "month", since=date(2024, 1, 15),
                                  until=date(2024, 3, 1))
        states = queries.trends(session, "mentions", "state", "year", until=date(2018, 1, 1))
    assert mentions == [
        {"period": "2017", "key": "Wizeline", "value": 3}, {"period": "2017", "key": "Oracle", "value": 1},
        {"period": "2023", "key": "Wizeline", "value": 1},
        {"period": "2024", "key": "Acme Robotics", "value": 6},  # a1 3 + a2 1 + a7 2; not the copy, not a6
        {"period": "2024", "key": "Wizeline", "value": 3}, {"period": "2024", "key": "Beta Corp", "value": 2},
    ]
    # Periods overlapping [2024-01-15, 2024-03-01): January (a1, a2 in Guadalajara) and February (a3).
    assert articles == [{"period": "2024-01", "key": "Guadalajara", "value": 2},
                        {"period": "2024-02", "key": "Mexico City", "value": 1},
                        {"period": "2024-02", "key": "Monterrey", "value": 1}]
    assert states == [{"period": "2017", "key": "Jalisco", "value": 2}]


def test_trends_reject_unknown_options(stored: tuple[str, dict[str, int]]) -> None:
    url, _ = stored
    with db.session_scope(url) as session, pytest.raises(ValueError, match="unknown metric"):
        queries.trends(session, "clicks")


def test_top_companies(stored: tuple[str, dict[str, int]]) -> None:
    url, _ = stored
    with db.session_scope(url) as session:
        everything = queries.top_companies(session)
        early_2024 = queries.top_companies(session, limit=2, since=date(2024, 1, 1), until=date(2024, 3, 1))
    assert everything == [
        {"company": "Acme Robotics", "jobs": 800, "announcements": 2, "articles": 3, "mentions": 6,
         "first_seen": "2024-01-10"},
        {"company": "Beta Corp", "jobs": 150, "announcements": 1, "articles": 1, "mentions": 2,
         "first_seen": "2024-02-05"},
        {"company": "Oracle", "jobs": 100, "announcements": 1, "articles": 1, "mentions": 1,
         "first_seen": "2017-10-19"},
        {"company": "Wizeline", "jobs": 0, "announcements": 0, "articles": 4, "mentions": 7,
         "first_seen": "2017-10-19"},
    ]
    assert early_2024 == [
        {"company": "Acme Robotics", "jobs": 400, "announcements": 1, "articles": 2, "mentions": 4,
         "first_seen": "2024-01-10"},
        {"company": "Beta Corp", "jobs": 150, "announcements": 1, "articles": 1, "mentions": 2,
         "first_seen": "2024-02-05"},
    ]


def test_jobs_by_city_and_places(stored: tuple[str, dict[str, int]]) -> None:
    url, _ = stored
    with db.session_scope(url) as session:
        cities = queries.jobs_by_city(session)
        february_on = queries.jobs_by_city(session, since=date(2024, 2, 1))
        states = trend_queries.places(session, kind="state")
    assert cities == [
        {"city": "Guadalajara", "state": "Jalisco", "lat": 20.67, "lon": -103.39, "jobs": 800, "announcements": 2},
        {"city": "Monterrey", "state": "Nuevo León", "lat": 25.67, "lon": -100.31, "jobs": 150, "announcements": 1},
    ]
    assert [(r["city"], r["jobs"]) for r in february_on] == [("Guadalajara", 400), ("Monterrey", 150)]
    assert states == [
        # 100 (Oracle) + 400 (Acme, Jan) + 200 (a5) + 400 (Acme, Sep); mentions 2 + 1 + 3, not a1's copy.
        {"place": "Jalisco", "kind": "state", "state": None, "lat": None, "lon": None, "articles": 3,
         "mentions": 6, "jobs": 1100, "announcements": 4},
        {"place": "Nuevo León", "kind": "state", "state": None, "lat": None, "lon": None, "articles": 1,
         "mentions": 1, "jobs": 150, "announcements": 1},
    ]


def test_top_movers(stored: tuple[str, dict[str, int]]) -> None:
    url, _ = stored
    with db.session_scope(url) as session:
        latest = trend_queries.top_movers(session, "mentions", "company", "month")
        february = trend_queries.top_movers(session, "jobs", "state", "month", at=date(2024, 2, 10))
    assert latest == [{"key": "Acme Robotics", "previous": 0, "current": 2, "change": 2,
                       "previous_period": "2024-08", "current_period": "2024-09"}]
    assert february == [
        {"key": "Jalisco", "previous": 400, "current": 0, "change": -400, "previous_period": "2024-01",
         "current_period": "2024-02"},
        {"key": "Nuevo León", "previous": 0, "current": 150, "change": 150, "previous_period": "2024-01",
         "current_period": "2024-02"},
    ]


def test_new_companies_since_the_baseline_and_timeline(stored: tuple[str, dict[str, int]]) -> None:
    url, _ = stored
    with db.session_scope(url) as session:
        new = company_queries.new_companies(session)
        new_from_february = company_queries.new_companies(session, since=date(2024, 2, 1))
        timeline = company_queries.company_timeline(session, "acme robotics")
        unknown = company_queries.company_timeline(session, "Nobody Inc")
    # Wizeline and Oracle are the baseline's; Acme and Beta appear later.
    assert [(r["company"], r["first_seen"], r["url"], r["jobs"]) for r in new] == [
        ("Acme Robotics", "2024-01-10", "https://a.example/acme", 800),
        ("Beta Corp", "2024-02-05", "https://a.example/wizeline-beta", 150)]
    assert [r["company"] for r in new_from_february] == ["Beta Corp"]
    assert [(r["date"], r["url"], r["mentions"], [j["value"] for j in r["job_counts"]]) for r in timeline] == [
        ("2024-01-10", "https://a.example/acme", 3, [400]),
        ("2024-01-20", "https://c.example/acme-own-story", 1, [400]),
        ("2024-09-02", "https://a.example/acme-again", 2, [400])]
    assert timeline[0]["job_counts"][0]["announcement_id"] == timeline[1]["job_counts"][0]["announcement_id"]
    assert unknown is None


def test_job_figures_and_announcements_filters(stored: tuple[str, dict[str, int]]) -> None:
    url, _ = stored
    with db.session_scope(url) as session:
        monterrey = job_queries.job_figures(session, place="monterrey")
        sector = job_queries.job_figures(session, kind="sector_total", state="Jalisco")
        acme = job_queries.announcements(session, company="Acme Robotics")
        january = job_queries.announcements(session, since=date(2024, 1, 1), until=date(2024, 2, 1))
        nowhere = job_queries.job_figures(session, city="Atlantis")
        injection = job_queries.job_figures(session, company="x' OR '1'='1")
    assert [(r["company"], r["value"], r["kind"]) for r in monterrey] == [("Beta Corp", 150, "new")]
    assert [(r["date"], r["value"]) for r in sector] == [("2024-03-01", 130_000), ("2017-10-19", 115_000)]
    assert [(r["date"], r["value"], r["reports"], r["url"]) for r in acme] == [
        ("2024-09-02", 400, 1, "https://a.example/acme-again"), ("2024-01-10", 400, 2, "https://a.example/acme")]
    assert [(r["company"], r["value"]) for r in january] == [("Acme Robotics", 400)]
    assert nowhere == [] and injection == []


def test_baseline_comparison_picks_the_latest_figure(stored: tuple[str, dict[str, int]]) -> None:
    url, _ = stored
    with db.session_scope(url) as session:
        rows = queries.baseline_comparison(session)
    by_fact = {(r["baseline"]["company"], r["baseline"]["value"]): r["latest"] for r in rows}
    assert list(by_fact) == [("Wizeline", 260), (None, 115_000), ("Oracle", 100)]
    wizeline = by_fact[("Wizeline", 260)]
    # a3 (2024-02-05, 1,200) is later than a4 (2023-06-01, 500).
    assert (wizeline["value"], wizeline["url"], wizeline["title"], wizeline["published"]) == (
        1200, "https://a.example/wizeline-beta", "title a3", "2024-02-05T00:00:00+00:00")
    # Jalisco's sector total beside a5's sector total, not a5's 200 new jobs (another kind).
    jalisco = by_fact[(None, 115_000)]
    assert (jalisco["value"], jalisco["kind"], jalisco["state"], jalisco["url"]) == (
        130_000, "sector_total", "Jalisco", "https://e.example/jalisco-sector")
    assert by_fact[("Oracle", 100)] is None  # no follow-up gives an Oracle figure


def test_trends_top_keys_and_summaries_agree_with_live_counts(stored: tuple[str, dict[str, int]]) -> None:
    url, _ = stored
    wide = {"since": date(2000, 1, 1), "until": date(2100, 1, 1)}  # all time, but counted live over the range
    with db.session_scope(url) as session:
        top_one = queries.trends(session, "mentions", "company", "year", top=1)
        top_one_2024 = queries.trends(session, "jobs", "state", "month", since=date(2024, 2, 1), top=1)
        assert queries.top_companies(session, limit=100) == queries.top_companies(session, limit=100, **wide)
        # Whole months read the monthly trend points; other days count live: both give the same answers.
        odd = {"since": date(2023, 12, 31), "until": date(2024, 3, 1)}
        assert queries.top_companies(session, **odd) == queries.top_companies(
            session, since=date(2024, 1, 1), until=date(2024, 3, 1))
        assert queries.top_companies(session, limit=100, since=date(2024, 1, 15)) == queries.top_companies(
            session, limit=100, since=date(2024, 1, 16), until=date(2100, 1, 1))
        assert trend_queries.places(session) == trend_queries.places(session, **wide)
    # Wizeline: 3 + 1 + 3 = 7 mentions over all years, ahead of Acme's 6.
    assert top_one == [{"period": "2017", "key": "Wizeline", "value": 3},
                       {"period": "2023", "key": "Wizeline", "value": 1},
                       {"period": "2024", "key": "Wizeline", "value": 3}]
    # From February: Jalisco 200 + 400 beats Nuevo León's 150.
    assert top_one_2024 == [{"period": "2024-03", "key": "Jalisco", "value": 200},
                            {"period": "2024-09", "key": "Jalisco", "value": 400}]
