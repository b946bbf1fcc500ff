"""Migrations upgrade an existing database in place: a database made by 0001, with data, reaches head."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, select, text

from mxwatch.models import db, store
from mxwatch.models.tables import FeedState


def test_upgrade_from_0001_keeps_data_and_adds_feed_state(db_url: str) -> None:
    cfg = db.alembic_config(db_url)
    with db.get_engine(db_url).begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "0001")
    engine = db.get_engine(db_url)
    assert "feed_state" not in inspect(engine).get_table_names()
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO source (name, kind, url, created_at) "
                                "VALUES ('old', 'feed', 'https://a.example/feed', CURRENT_TIMESTAMP)"))
    db.migrate(db_url)
    assert "feed_state" in inspect(engine).get_table_names()
    with db.session_scope(db_url) as session:
        assert session.execute(text("SELECT name FROM source")).scalars().all() == ["old"]
        store.save_validators(session, "https://a.example/feed", '"v1"', "Mon, 03 Nov 2025 14:00:00 GMT", None)
    with db.session_scope(db_url) as session:
        assert store.conditional_headers(session, "https://a.example/feed", None) == {
            "If-None-Match": '"v1"', "If-Modified-Since": "Mon, 03 Nov 2025 14:00:00 GMT"}
        assert session.execute(select(FeedState.url)).scalars().all() == ["https://a.example/feed"]
    with engine.begin() as connection:  # and back down
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, "0001")
    assert "feed_state" not in inspect(engine).get_table_names()


def test_0003_adds_announcements_and_views_keeping_job_counts_and_downgrades(db_url: str) -> None:
    """A 0001 database with an analysed article reaches head: announcements are built from its job counts, the
    analysts' views answer, and going back down to 0002 (and up again) keeps the job counts."""
    from mxwatch.models.queries import refresh_trends

    cfg = db.alembic_config(db_url)
    engine = db.get_engine(db_url)
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "0001")
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO article (id, url, published, fetched_at, authors, text, content_hash, relevant, is_baseline) "
            "VALUES (1, 'https://a.example/1', '2024-03-05 10:00:00', '2024-03-06 00:00:00', '[]', 't', 'h', "
            ":yes, :no)"), {"yes": True, "no": False})
        connection.execute(text("INSERT INTO company (id, name) VALUES (1, 'Acme')"))
        connection.execute(text("INSERT INTO place (id, kind, name, state) VALUES (1, 'state', 'Jalisco', '')"))
        connection.execute(text(
            "INSERT INTO job_count (id, article_id, position, value, approx, unit, kind, company_id, state_id, "
            "evidence) VALUES (1, 1, 0, 400, :no, 'jobs', 'new', 1, 1, 'Acme will hire 400')"), {"no": False})
    db.migrate(db_url)
    inspector = inspect(engine)
    assert "announcement" in inspector.get_table_names()
    assert {"v_announcements", "v_jobs_by_state_month", "v_jobs_by_city", "v_mentions_by_company_week",
            "v_company_first_seen", "v_baseline_vs_latest"} <= set(inspector.get_view_names())
    assert "announcement_id" in {c["name"] for c in inspector.get_columns("job_count")}
    with db.session_scope(db_url) as session:
        refresh_trends(session)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT period, state, jobs, announcements FROM v_jobs_by_state_month")
                                  ).all() == [("2024-03", "Jalisco", 400, 1)]
        assert connection.execute(text("SELECT announcement_id FROM job_count")).scalar() is not None
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, "0002")
    inspector = inspect(engine)
    assert "announcement" not in inspector.get_table_names() and not inspector.get_view_names()
    assert "announcement_id" not in {c["name"] for c in inspector.get_columns("job_count")}
    with engine.connect() as connection:
        assert connection.execute(text("SELECT value, evidence FROM job_count")).all() == [(400, "Acme will hire 400")]
    db.migrate(db_url)  # and up again
    assert "v_baseline_vs_latest" in inspect(engine).get_view_names()


def test_0004_recomputes_stored_minhash_signatures_and_back(db_url: str) -> None:
    """Signatures stored by datasketch (before 0004) are recomputed in the numpy format, so an old original is
    still recognised by a new crawl; going down to 0003 restores datasketch's values."""
    import importlib

    from mxwatch.pipelines import near_duplicates

    migration = importlib.import_module("mxwatch.models.migrations.versions.0004_numpy_minhash_signatures")
    story = ("Acme Robotics will open an engineering centre in Guadalajara, Jalisco, and hire 400 engineers over "
             "the next two years, the company said on Tuesday. ") * 3
    old = migration._datasketch_signature(story)
    cfg = db.alembic_config(db_url)
    engine = db.get_engine(db_url)
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "0003")
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO article (url, fetched_at, authors, text, content_hash, minhash, is_baseline) "
            "VALUES ('https://a.example/1', '2024-03-06 00:00:00', '[]', :t, 'h', :m, :no)"),
            {"t": story, "m": old, "no": False})
        stored = connection.execute(text("SELECT id FROM article")).scalar_one()
    db.migrate(db_url)
    with engine.connect() as connection:
        upgraded = connection.execute(text("SELECT minhash FROM article")).scalar_one()
    assert bytes(upgraded) == near_duplicates.to_bytes(near_duplicates.minhash(story)) != old
    with db.session_scope(db_url) as session:
        index = store.load_duplicate_index(session)
        copy = store.store_article(session, store.NewArticle(url="https://b.example/1", text="(Wire) " + story), index)
    assert copy.status == "duplicate" and copy.duplicate_of_id == stored
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, "0003")
    with engine.connect() as connection:
        assert bytes(connection.execute(text("SELECT minhash FROM article WHERE id = :i"), {"i": stored})
                     .scalar_one()) == old
