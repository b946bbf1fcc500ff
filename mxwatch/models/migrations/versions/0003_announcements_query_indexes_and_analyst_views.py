"""announcements, query indexes and analysts' views

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27

Adds the ``announcement`` table (each announcement of jobs once, however many outlets report it) and
``job_count.announcement_id``; ``entity_summary`` (all-time totals per company and place, rebuilt with the trends);
an index on when an article counts as reported and covering indexes for per-company and per-place queries; and
read-only views for
analysts (psql, sqlite3, Datasette) that give the same answers as ``mxwatch.models.trend_queries``. Date
functions differ between SQLite and PostgreSQL, so each view's DDL is written per dialect.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# When an article counts as reported, and which articles count (relevant, not a republished copy).
REPORTED = "COALESCE(a.published, a.fetched_at)"
COUNTED = "a.relevant AND a.duplicate_of_id IS NULL"

# Period labels as mxwatch.models.periods.period_key writes them: 2017-W42 (ISO week), 2017-10, 2017, and days.
PERIOD_SQL = {
    "sqlite": {
        # SQLite before 3.46 has no %G/%V: the ISO week is that of the week's Thursday.
        "week": ("strftime('%Y', date({d}, '-3 days', 'weekday 4')) || '-W' || "
                 "printf('%02d', (CAST(strftime('%j', date({d}, '-3 days', 'weekday 4')) AS INTEGER) - 1) / 7 + 1)"),
        "month": "strftime('%Y-%m', {d})",
        "year": "strftime('%Y', {d})",
        "day": "date({d})",
    },
    "postgresql": {
        "week": "to_char({d} AT TIME ZONE 'UTC', 'IYYY-\"W\"IW')",
        "month": "to_char({d} AT TIME ZONE 'UTC', 'YYYY-MM')",
        "year": "to_char({d} AT TIME ZONE 'UTC', 'YYYY')",
        "day": "to_char({d} AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
    },
}

VIEWS = ("v_announcements", "v_jobs_by_state_month", "v_jobs_by_city", "v_mentions_by_company_week",
         "v_company_first_seen", "v_baseline_vs_latest")


def _views(dialect: str) -> dict[str, str]:
    period = PERIOD_SQL["postgresql" if dialect == "postgresql" else "sqlite"]

    def at(kind: str, column: str) -> str:
        return period[kind].format(d=column)

    return {
        # Every announcement once, with names, its first report and how many articles report it.
        "v_announcements": f"""
            SELECT an.id AS announcement_id, {at("day", "an.reported")} AS reported, c.name AS company,
                   ci.name AS city, st.name AS state, an.kind, an.value, an.value_max, an.approx, an.unit,
                   an.reports, a.url AS first_url, a.title AS first_title
            FROM announcement an
            JOIN article a ON a.id = an.article_id
            LEFT JOIN company c ON c.id = an.company_id
            LEFT JOIN place ci ON ci.id = an.city_id
            LEFT JOIN place st ON st.id = an.state_id""",
        # = mxwatch trends --metric jobs --by state --period month
        "v_jobs_by_state_month": f"""
            SELECT {at("month", "an.reported")} AS period, st.name AS state, SUM(an.value) AS jobs,
                   COUNT(*) AS announcements
            FROM announcement an JOIN place st ON st.id = an.state_id
            GROUP BY {at("month", "an.reported")}, st.name""",
        # = mxwatch.models.trend_queries.jobs_by_city (the report's map)
        "v_jobs_by_city": """
            SELECT ci.name AS city, NULLIF(ci.state, '') AS state, ci.lat, ci.lon, SUM(an.value) AS jobs,
                   COUNT(*) AS announcements
            FROM announcement an JOIN place ci ON ci.id = an.city_id
            GROUP BY ci.id, ci.name, ci.state, ci.lat, ci.lon""",
        # = mxwatch trends --metric mentions (and articles) --by company --period week
        "v_mentions_by_company_week": f"""
            SELECT {at("week", REPORTED)} AS period, c.name AS company, SUM(m.mentions) AS mentions,
                   COUNT(*) AS articles
            FROM company_mention m
            JOIN article a ON a.id = m.article_id
            JOIN company c ON c.id = m.company_id
            WHERE {COUNTED}
            GROUP BY {at("week", REPORTED)}, c.name""",
        # = mxwatch companies --new-since: the first day a counted article named each company
        "v_company_first_seen": f"""
            SELECT c.name AS company, {at("day", f"MIN({REPORTED})")} AS first_seen, COUNT(*) AS articles,
                   SUM(m.mentions) AS mentions
            FROM company_mention m
            JOIN article a ON a.id = m.article_id
            JOIN company c ON c.id = m.company_id
            WHERE {COUNTED}
            GROUP BY c.name""",
        # = mxwatch baseline --compare: each baseline job count beside the latest follow-up figure for the same
        # company (or, without a company, the same kind for the same city, else state), with its article.
        "v_baseline_vs_latest": f"""
            WITH base AS (
                SELECT j.id, j.position, j.value, j.value_max, j.unit, j.kind, j.company_id, j.city_id, j.state_id,
                       {REPORTED} AS since
                FROM job_count j JOIN article a ON a.id = j.article_id
                WHERE a.id = (SELECT MIN(id) FROM article WHERE is_baseline)
            ),
            follow_up AS (
                SELECT j.id, j.position, j.value, j.value_max, j.unit, j.kind, j.company_id, j.city_id, j.state_id,
                       a.id AS article_id, a.url, a.title, a.published, {REPORTED} AS reported
                FROM job_count j JOIN article a ON a.id = j.article_id
                WHERE NOT a.is_baseline AND {COUNTED}
            ),
            ranked AS (
                SELECT b.id AS base_id, f.*,
                       ROW_NUMBER() OVER (PARTITION BY b.id
                                          ORDER BY f.reported DESC, f.article_id DESC, f.position) AS rank
                FROM base b JOIN follow_up f ON f.reported >= b.since AND (
                    (b.company_id IS NOT NULL AND f.company_id = b.company_id)
                    OR (b.company_id IS NULL AND f.company_id IS NULL AND f.kind = b.kind AND (
                        (b.city_id IS NOT NULL AND f.city_id = b.city_id)
                        OR (b.city_id IS NULL AND f.state_id = b.state_id))))
            )
            SELECT b.position, bc.name AS company, bci.name AS city, bst.name AS state, b.kind, b.value,
                   b.value_max, b.unit,
                   r.value AS latest_value, r.value_max AS latest_value_max, r.kind AS latest_kind,
                   r.unit AS latest_unit, rci.name AS latest_city, rst.name AS latest_state,
                   {at("day", "r.reported")} AS latest_published, r.url AS latest_url, r.title AS latest_title
            FROM base b
            LEFT JOIN ranked r ON r.base_id = b.id AND r.rank = 1
            LEFT JOIN company bc ON bc.id = b.company_id
            LEFT JOIN place bci ON bci.id = b.city_id
            LEFT JOIN place bst ON bst.id = b.state_id
            LEFT JOIN place rci ON rci.id = r.city_id
            LEFT JOIN place rst ON rst.id = r.state_id""",
    }


def upgrade() -> None:
    """Add announcements, summaries, the query indexes and the analysts' views."""
    op.create_table(
        "announcement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=True),
        sa.Column("city_id", sa.Integer(), nullable=True),
        sa.Column("state_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("value_max", sa.Integer(), nullable=True),
        sa.Column("approx", sa.Boolean(), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("reported", sa.DateTime(timezone=True), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("reports", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["company_id"], ["company.id"]),
        sa.ForeignKeyConstraint(["city_id"], ["place.id"]),
        sa.ForeignKeyConstraint(["state_id"], ["place.id"]),
        sa.ForeignKeyConstraint(["article_id"], ["article.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    for column in ("company_id", "city_id", "state_id", "reported"):
        op.create_index(f"ix_announcement_{column}", "announcement", [column])
    op.create_table(
        "entity_summary",
        sa.Column("dimension", sa.String(length=20), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_article_id", sa.Integer(), nullable=True),
        sa.Column("articles", sa.Integer(), nullable=False),
        sa.Column("mentions", sa.Integer(), nullable=False),
        sa.Column("jobs", sa.Integer(), nullable=False),
        sa.Column("announcements", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("dimension", "entity_id"),
    )
    op.create_index("ix_entity_summary_first_seen", "entity_summary", ["dimension", "first_seen"])
    with op.batch_alter_table("job_count") as batch:
        batch.add_column(sa.Column("announcement_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_job_count_announcement_id", "announcement", ["announcement_id"], ["id"])
        batch.create_index("ix_job_count_announcement_id", ["announcement_id"])
    # Date ranges filter on when an article counts as reported: its publication date, else its fetch time.
    op.create_index("ix_article_reported", "article", [sa.text("COALESCE(published, fetched_at)")])
    op.create_index("ix_company_mention_company_article", "company_mention", ["company_id", "article_id", "mentions"])
    op.create_index("ix_place_mention_place_article", "place_mention", ["place_id", "article_id", "mentions"])
    # Top-N trends read a few keys' periods: key before period, value included (no table lookups).
    op.create_index("ix_trend_point_key", "trend_point",
                    ["metric", "dimension", "period_kind", "key", "period", "value"])
    for name, sql in _views(op.get_bind().dialect.name).items():
        op.execute(f"CREATE VIEW {name} AS {sql}")


def downgrade() -> None:
    """Drop the views, the query indexes, the summaries and announcements."""
    for name in reversed(VIEWS):
        op.execute(f"DROP VIEW IF EXISTS {name}")
    op.drop_index("ix_trend_point_key", "trend_point")
    op.drop_index("ix_article_reported", "article")
    op.drop_index("ix_entity_summary_first_seen", "entity_summary")
    op.drop_table("entity_summary")
    op.drop_index("ix_place_mention_place_article", "place_mention")
    op.drop_index("ix_company_mention_company_article", "company_mention")
    with op.batch_alter_table("job_count") as batch:
        batch.drop_index("ix_job_count_announcement_id")
        batch.drop_constraint("fk_job_count_announcement_id", type_="foreignkey")
        batch.drop_column("announcement_id")
    op.drop_table("announcement")
