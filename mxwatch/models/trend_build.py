"""Rebuilding what the trend queries read: announcements, trend points per week/month/year, all-time summaries.

The aggregation runs inside the database (``INSERT ... SELECT ... GROUP BY``), so a refresh over a million
mentions moves no rows through Python. Period labels are computed with each dialect's date functions and match
``mxwatch.models.periods.period_key`` (and the views of migration 0003).
"""

from __future__ import annotations

from sqlalchemy import delete, text
from sqlmodel import Session

from mxwatch.models.announcements import rebuild_announcements
from mxwatch.models.periods import PERIODS
from mxwatch.models.tables import EntitySummary, TrendPoint

REPORTED = "COALESCE(a.published, a.fetched_at)"
COUNTED = "a.relevant AND a.duplicate_of_id IS NULL"

PERIOD_SQL = {
    "sqlite": {
        # SQLite before 3.46 has no %G/%V: the ISO week is that of the week's Thursday.
        "week": ("strftime('%Y', date({d}, '-3 days', 'weekday 4')) || '-W' || "
                 "printf('%02d', (CAST(strftime('%j', date({d}, '-3 days', 'weekday 4')) AS INTEGER) - 1) / 7 + 1)"),
        "month": "strftime('%Y-%m', {d})",
        "year": "strftime('%Y', {d})",
    },
    "postgresql": {
        "week": "to_char({d} AT TIME ZONE 'UTC', 'IYYY-\"W\"IW')",
        "month": "to_char({d} AT TIME ZONE 'UTC', 'YYYY-MM')",
        "year": "to_char({d} AT TIME ZONE 'UTC', 'YYYY')",
    },
}


def period_sql(dialect: str, period: str, column: str) -> str:
    """SQL computing the ``period`` label of the timestamp ``column`` on ``dialect``."""
    return PERIOD_SQL["postgresql" if dialect == "postgresql" else "sqlite"][period].format(d=column)


def _insert_mentions(session: Session, dialect: str, period: str) -> None:
    label = period_sql(dialect, period, REPORTED)
    for source in ("company", "place"):
        if source == "company":
            joins, dimension, groups = "company_mention m JOIN company e ON e.id = m.company_id", "'company'", ""
        else:
            joins, dimension, groups = "place_mention m JOIN place e ON e.id = m.place_id", "e.kind", "e.kind, "
        # One scan computes both metrics; MATERIALIZED keeps both databases from running it twice.
        session.execute(text(f"""
            WITH agg AS MATERIALIZED (
                SELECT {dimension} AS dimension, {label} AS period, e.name AS key, COUNT(*) AS articles,
                       SUM(m.mentions) AS mentions
                FROM {joins} JOIN article a ON a.id = m.article_id
                WHERE {COUNTED}
                GROUP BY {groups}{label}, e.name
            )
            INSERT INTO trend_point (metric, dimension, period_kind, period, key, value)
            SELECT 'articles', dimension, '{period}', period, key, articles FROM agg
            UNION ALL
            SELECT 'mentions', dimension, '{period}', period, key, mentions FROM agg"""))


def _insert_jobs(session: Session, dialect: str, period: str) -> None:
    label = period_sql(dialect, period, "an.reported")
    for dimension, column, table in (("company", "company_id", "company"), ("city", "city_id", "place"),
                                     ("state", "state_id", "place")):
        session.execute(text(f"""
            INSERT INTO trend_point (metric, dimension, period_kind, period, key, value)
            SELECT 'jobs', '{dimension}', '{period}', {label}, e.name, SUM(an.value)
            FROM announcement an JOIN {table} e ON e.id = an.{column}
            GROUP BY {label}, e.name"""))


def _insert_summaries(session: Session) -> None:
    for dimension_sql, joins, entity, groups in (
        ("'company'", "company_mention m JOIN company e ON e.id = m.company_id", "m.company_id", ""),
        ("e.kind", "place_mention m JOIN place e ON e.id = m.place_id", "m.place_id", "e.kind, "),
    ):
        session.execute(text(f"""
            INSERT INTO entity_summary (dimension, entity_id, key, first_seen, articles, mentions, jobs,
                                        announcements)
            SELECT {dimension_sql}, {entity}, e.name, MIN({REPORTED}), COUNT(*), SUM(m.mentions), 0, 0
            FROM {joins} JOIN article a ON a.id = m.article_id
            WHERE {COUNTED}
            GROUP BY {groups}{entity}, e.name"""))
    for dimension, column, table in (("company", "company_id", "company"), ("city", "city_id", "place"),
                                     ("state", "state_id", "place")):
        # Named only by a job figure, not in the article's entity list: still a row, with no first date.
        session.execute(text(f"""
            INSERT INTO entity_summary (dimension, entity_id, key, articles, mentions, jobs, announcements)
            SELECT '{dimension}', e.id, e.name, 0, 0, 0, 0 FROM {table} e
            WHERE e.id IN (SELECT {column} FROM announcement)
              AND e.id NOT IN (SELECT entity_id FROM entity_summary WHERE dimension = '{dimension}')"""))
        session.execute(text(f"""
            UPDATE entity_summary SET
                jobs = COALESCE((SELECT SUM(an.value) FROM announcement an
                                 WHERE an.{column} = entity_summary.entity_id), 0),
                announcements = (SELECT COUNT(*) FROM announcement an WHERE an.{column} = entity_summary.entity_id)
            WHERE dimension = '{dimension}'"""))
    # The first article naming each company (lowest id on its first date).
    session.execute(text(f"""
        UPDATE entity_summary SET first_article_id = (
            SELECT MIN(a.id) FROM company_mention m JOIN article a ON a.id = m.article_id
            WHERE m.company_id = entity_summary.entity_id AND {COUNTED}
              AND {REPORTED} = entity_summary.first_seen)
        WHERE dimension = 'company' AND first_seen IS NOT NULL"""))


# Labels, dimensions and periods are this module's constants, written into the SQL; nothing here comes from input.
def rebuild_trends(session: Session) -> int:
    """Rebuild announcements, trend points and summaries (caller holds the write lock and commits); return the
    number of trend points."""
    dialect = session.get_bind().dialect.name
    rebuild_announcements(session)
    session.execute(delete(TrendPoint))
    session.execute(delete(EntitySummary))
    for period in PERIODS:
        _insert_mentions(session, dialect, period)
        _insert_jobs(session, dialect, period)
    _insert_summaries(session)
    # The tables were just refilled: fresh statistics, or the planners choose as if they were still empty
    # (PostgreSQL scanned every week of trend_point for ten keys). Sampled on SQLite (analysis_limit).
    if dialect == "sqlite":
        session.execute(text("PRAGMA analysis_limit = 1000"))
    for table in ("trend_point", "entity_summary", "announcement"):
        session.execute(text(f"ANALYZE {table}"))
    return session.execute(text("SELECT COUNT(*) FROM trend_point")).scalar_one()
