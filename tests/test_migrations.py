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
