"""The schema, migrations and storage rules, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, inspect, select, update

from mxwatch.models import db, queries, store
from mxwatch.models.tables import Article, JobCount, Place


def _new(url: str, text: str, **kw) -> store.NewArticle:
    return store.NewArticle(url=url, text=text, title=kw.pop("title", "T"),
                            published=kw.pop("published", datetime(2024, 3, 5, tzinfo=UTC)), **kw)


STORY = ("Acme Robotics will open an engineering centre in Guadalajara, Jalisco, and hire 400 engineers over "
         "the next two years, the company said on Tuesday. The centre is Acme's first outside the United States "
         "and will work on warehouse automation software for customers across Latin America.")


def test_migrate_twice_is_a_no_op_and_creates_every_table(db_url: str) -> None:
    db.migrate(db_url)
    db.migrate(db_url)
    tables = set(inspect(db.get_engine(db_url)).get_table_names())
    assert {"source", "article", "company", "place", "company_mention", "place_mention", "job_count",
            "crawl_run", "trend_point", "alembic_version"} <= tables


def test_article_stored_once_and_copy_linked(db_url: str) -> None:
    db.migrate(db_url)
    with db.session_scope(db_url) as session:
        index = store.load_duplicate_index(session)
        first = store.store_article(session, _new("https://a.example/acme", STORY), index)
        again = store.store_article(session, _new("https://a.example/acme", STORY), index)
        copy = store.store_article(session, _new("https://b.example/acme-copy", "(Wire) - " + STORY), index)
        other = store.store_article(session, _new("https://c.example/other",
                                                  "Heavy rain flooded streets in Veracruz on Monday. " * 5), index)
    assert (first.status, again.status, copy.status, other.status) == ("new", "known", "duplicate", "new")
    assert again.article_id == first.article_id
    assert copy.duplicate_of_id == first.article_id
    with db.session_scope(db_url) as session:
        assert session.execute(select(func.count()).select_from(Article)).scalar() == 3
        # A fresh index (a new crawl process) still recognises the original.
        index = store.load_duplicate_index(session)
        late = store.store_article(session, _new("https://d.example/late", STORY + " Updated."), index)
    assert late.status == "duplicate" and late.duplicate_of_id == first.article_id


def test_save_analysis_replaces_and_trends_count_copies_once(db_url: str) -> None:
    db.migrate(db_url)
    analysis = {
        "lang": "en", "relevant": True, "relevance": 0.9,
        "companies": [{"name": "Acme Robotics", "aliases": ["Acme"], "mentions": 2}],
        "cities": [{"name": "Guadalajara", "state": "Jalisco", "lat": 20.67, "lon": -103.39, "mentions": 1}],
        "states": [{"name": "Jalisco", "mentions": 1}],
        "job_counts": [{"value": 400, "value_max": None, "approx": False, "unit": "engineers", "kind": "new",
                        "company": "Acme Robotics", "city": "Guadalajara", "state": "Jalisco",
                        "evidence": STORY.split(", the company")[0]}],
    }
    cache = store.EntityCache()
    with db.session_scope(db_url) as session:
        index = store.load_duplicate_index(session)
        ids = [store.store_article(session, _new(u, t), index).article_id
               for u, t in (("https://a.example/1", STORY), ("https://b.example/1", "(Wire) - " + STORY))]
        for article_id in ids:
            article = session.get(Article, article_id)
            store.save_analysis(session, article, analysis, cache)
            store.save_analysis(session, article, analysis, cache)  # re-analysis replaces, never adds
    with db.session_scope(db_url) as session:
        assert session.execute(select(func.count()).select_from(JobCount)).scalar() == 2
        assert session.execute(select(func.count()).select_from(Place)).scalar() == 2  # the city and the state
        queries.refresh_trends(session)
        jobs = queries.trends(session, "jobs", "state", "month")
        mentions = queries.trends(session, "mentions", "company", "year")
        obj = queries.entities(session, "https://b.example/1")[0]
    assert jobs == [{"period": "2024-03", "key": "Jalisco", "value": 400}]  # the copy is not counted again
    with db.session_scope(db_url) as session:
        session.execute(update(JobCount).values(kind="existing"))
        queries.refresh_trends(session)
        assert queries.trends(session, "jobs", "state", "month") == []  # a headcount is not an announcement
    assert mentions == [{"period": "2024", "key": "Acme Robotics", "value": 2}]
    assert obj["duplicate_of"] == "https://a.example/1"
    assert obj["job_counts"][0]["company"] == "Acme Robotics" and obj["cities"][0]["state"] == "Jalisco"


def test_period_keys() -> None:
    moment = datetime(2017, 10, 19, tzinfo=UTC)
    assert [queries.period_key(moment, p) for p in ("week", "month", "year")] == ["2017-W42", "2017-10", "2017"]


def test_concurrent_analysis_and_trend_refresh(pg_url: str) -> None:
    """Two processes analysing and refreshing at once (a CLI crawl beside the DAG) neither fail nor double."""
    import threading

    from mxwatch.stages import analyze_pending, init_database, refresh_trends

    init_database(pg_url, analyze=False)
    with db.session_scope(pg_url) as session:
        index = store.load_duplicate_index(session)
        for i, city in enumerate(("Guadalajara", "Monterrey", "Querétaro", "Mérida")):
            text = (f"Acme Robotics {i} will open an engineering centre in {city} and hire {100 + i} engineers, the "
                    f"company said. The site in {city} is its first in Mexico and will design warehouse robots.")
            store.store_article(session, _new(f"https://a.example/{i}", text * 3), index)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            analyze_pending(pg_url)
            refresh_trends(pg_url)
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert errors == []
    with db.session_scope(pg_url) as session:
        assert session.execute(select(func.count()).where(Article.analyzed_at.is_(None))).scalar() == 0
        per_article = session.execute(
            select(JobCount.article_id, func.count()).join(Article, Article.id == JobCount.article_id)
            .where(Article.is_baseline.is_(False)).group_by(JobCount.article_id)).all()
    assert len(per_article) == 4 and all(n == 1 for _, n in per_article)  # analysed by several, stored once
