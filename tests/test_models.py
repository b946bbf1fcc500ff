"""The schema, migrations and storage rules, on SQLite and on PostgreSQL."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from sqlalchemy import func, inspect, select, update

from mxwatch.models import db, queries, store
from mxwatch.models.tables import Article, JobCount, Place, SeenUrl


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


def test_batch_is_one_transaction_and_a_bad_article_fails_alone(db_url: str) -> None:
    """A crawl's batch: copies within it are linked, and an article that cannot be stored (here: an unknown
    source) fails alone, the batch being stored again article by article; the index never keeps a rolled-back
    article."""
    db.migrate(db_url)
    other = "Heavy rain flooded streets in Veracruz on Monday, closing schools and two highways. " * 4
    with db.session_scope(db_url) as session:
        index = store.load_duplicate_index(session)
        results = store.store_articles(session, [
            _new("https://a.example/acme", STORY),
            _new("https://x.example/bad", other, source_id=987654),  # no such source: a foreign-key violation
            _new("https://b.example/acme-copy", "(Wire) - " + STORY),
            _new("https://a.example/acme", STORY),
        ], index)
        assert isinstance(results[1], Exception)
        assert [r.status for r in (results[0], results[2], results[3])] == ["new", "duplicate", "known"]
        assert results[2].duplicate_of_id == results[0].article_id == results[3].article_id
        assert len(index) == 1 and results[0].article_id in index
        urls = session.execute(select(Article.url).order_by(Article.id)).scalars().all()
        assert urls == ["https://a.example/acme", "https://b.example/acme-copy"]
        # The bad article alone, again: nothing stored, the index unchanged.
        again = store.store_articles(session, [_new("https://x.example/bad", other, source_id=987654)], index)
        assert isinstance(again[0], Exception) and len(index) == 1
        assert store.store_article(session, _new("https://x.example/good", other), index).status == "new"


def test_the_earliest_published_copy_is_the_original_whatever_the_order(db_url: str) -> None:
    """Copies stored latest-first end up linked to the earliest published one, as if stored in date order; an
    undated copy counts after dated ones, equal dates keep the first stored, and the baseline stays the original."""
    db.migrate(db_url)

    def day(n: int) -> datetime:
        return datetime(2024, 3, n, tzinfo=UTC)

    with db.session_scope(db_url) as session:
        index = store.load_duplicate_index(session)
        late = store.store_article(session, _new("https://c.example/late", "(Wire) " + STORY, published=day(9)), index)
        undated = store.store_article(session, _new("https://d.example/undated", STORY + " More.", published=None),
                                      index)
        first = store.store_article(session, _new("https://z.example/first", STORY, published=day(5)), index)
        same_day = store.store_article(session, _new("https://a.example/same", "Update: " + STORY, published=day(5)),
                                       index)
        assert (late.status, undated.status, first.status, same_day.status) == ("new", "duplicate", "new",
                                                                                 "duplicate")
        assert undated.duplicate_of_id == late.article_id and first.replaced_id == late.article_id
        links = dict(session.execute(select(Article.id, Article.duplicate_of_id)).all())
        assert links == {late.article_id: first.article_id, undated.article_id: first.article_id,
                         first.article_id: None, same_day.article_id: first.article_id}
        # A new crawl process's index knows the new original only.
        fresh = store.load_duplicate_index(session)
        assert len(fresh) == 1 and first.article_id in fresh
        # The process that still indexes the former original follows its link.
        stale = store.NewArticle(url="https://e.example/later", text="(AP) " + STORY, published=day(20))
        assert store.store_article(session, stale, index).duplicate_of_id == first.article_id
        # The baseline is never made a copy, even of an earlier-dated one.
        base = store.store_article(session, _new("https://seed.example/story", "Seed: " + STORY, published=day(28),
                                                 is_baseline=True), index)
        assert base.status == "new" and base.replaced_id == first.article_id
        earlier = store.store_article(session, _new("https://f.example/early", STORY + " Early.", published=day(1)),
                                      index)
        assert earlier.status == "duplicate" and earlier.duplicate_of_id == base.article_id


def _stored_state(session) -> tuple[list, list]:  # noqa: ANN001
    """Every article (url, fetched URL, its original's url) and every alias (url -> its article's url)."""
    urls = dict(session.execute(select(Article.id, Article.url)).all())
    articles = sorted((a.url, a.fetched_url, urls.get(a.duplicate_of_id))
                      for a in session.execute(select(Article)).scalars())
    aliases = sorted((url, urls[i]) for url, i in session.execute(select(SeenUrl.url, SeenUrl.article_id)).all())
    return articles, aliases


def test_a_batch_stores_what_one_by_one_would(tmp_path) -> None:  # noqa: ANN001
    """Random batches over a few URLs (each article with a fetched URL and aliases that other articles of the
    batch may have as their own URL, some already stored) and texts (some near-copies): a batch's results and
    the stored articles and aliases equal those of storing the same articles one by one."""
    rng = random.Random(7)
    pool = [f"https://n.example/{c}" for c in "abcdefgh"]
    texts = [STORY, "(Wire) - " + STORY, "Heavy rain flooded streets in Veracruz on Monday, closing schools. " * 4,
             "A brewery in Sonora said exports rose for a third year, helped by a weak peso and new rail links. " * 3]
    for trial in range(40):
        articles = [_new(rng.choice(pool), rng.choice(texts), fetched_url=rng.choice([None, *pool]),
                         aliases=tuple(rng.sample(pool, rng.randint(0, 2))),
                         published=datetime(2024, 3, rng.randint(1, 9), tzinfo=UTC)) for _ in range(7)]
        prior, batch = articles[:2], articles[2:]
        outcomes = []
        for mode in ("batch", "single"):
            url = f"sqlite:///{tmp_path / f'{mode}{trial}.db'}"
            db.migrate(url)
            with db.session_scope(url) as session:
                index = store.load_duplicate_index(session)
                for new in prior:
                    store.store_article(session, new, index)
                results = (store.store_articles(session, batch, index) if mode == "batch"
                           else [store.store_article(session, new, index) for new in batch])
                urls = dict(session.execute(select(Article.id, Article.url)).all())
                outcomes.append(([(r.status, urls.get(r.article_id)) for r in results], _stored_state(session)))
        assert outcomes[0] == outcomes[1], f"trial {trial}: {articles}"
