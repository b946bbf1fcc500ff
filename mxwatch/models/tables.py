"""SQLModel tables of the trend database.

Schema changes go through Alembic migrations (``mxwatch/models/migrations``); these classes are the source
that autogenerate compares against.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Column, DateTime, Index, LargeBinary, Text, UniqueConstraint
from sqlalchemy import text as sql_text
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    """Current time, timezone-aware UTC."""
    return datetime.now(UTC)


def _ts(nullable: bool = True, index: bool = False) -> Column:
    # Timezone-aware columns on PostgreSQL; SQLite stores them naive (UTC by convention, see db.as_utc).
    return Column(DateTime(timezone=True), nullable=nullable, index=index)


class Source(SQLModel, table=True):
    """A configured place to discover articles: a feed or a sitemap."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=200)
    kind: str = Field(max_length=20)
    url: str = Field(sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts(nullable=False))


class CrawlRun(SQLModel, table=True):
    """One crawl of one source: what it requested, stored, skipped and failed on."""

    __tablename__ = "crawl_run"

    id: int | None = Field(default=None, primary_key=True)
    source_id: int | None = Field(default=None, foreign_key="source.id", index=True)
    started_at: datetime = Field(default_factory=utcnow, sa_column=_ts(nullable=False))
    finished_at: datetime | None = Field(default=None, sa_column=_ts())
    status: str = Field(default="running", max_length=20)
    requests: int = 0
    new_articles: int = 0
    duplicates: int = 0
    skipped: int = 0
    errors: int = 0
    message: str | None = Field(default=None, sa_type=Text)


class Article(SQLModel, table=True):
    """A news article: extracted text and metadata, its analysis state and its duplicate link."""

    __table_args__ = (
        Index("ix_article_pending", "analyzed_at", "id"),
        # When an article counts as reported (see models.periods.article_date); date ranges filter on it.
        Index("ix_article_reported", sql_text("COALESCE(published, fetched_at)")),
    )

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(sa_type=Text, unique=True)  # canonical URL
    fetched_url: str | None = Field(default=None, sa_type=Text, index=True)  # normalised URL we fetched
    source_id: int | None = Field(default=None, foreign_key="source.id", index=True)
    title: str | None = Field(default=None, sa_type=Text)
    published: datetime | None = Field(default=None, sa_column=_ts(index=True))
    fetched_at: datetime = Field(default_factory=utcnow, sa_column=_ts(nullable=False))
    authors: str = Field(default="[]", sa_type=Text)  # JSON list
    lang: str | None = Field(default=None, max_length=8)
    text: str = Field(default="", sa_type=Text)
    content_hash: str = Field(max_length=64, index=True)
    minhash: bytes | None = Field(default=None, sa_type=LargeBinary)
    relevance: float | None = None
    relevant: bool | None = Field(default=None, index=True)
    is_baseline: bool = Field(default=False, index=True)
    duplicate_of_id: int | None = Field(default=None, foreign_key="article.id", index=True)
    analyzed_at: datetime | None = Field(default=None, sa_column=_ts())
    analysis_error: str | None = Field(default=None, sa_type=Text)  # why analysis failed, if it did


class SeenUrl(SQLModel, table=True):
    """Other URLs of a stored article (the feed's link before redirects, tracking variants, its fetched URL),
    so that no spelling of a stored article is fetched again."""

    __tablename__ = "seen_url"

    url: str = Field(sa_type=Text, primary_key=True)
    article_id: int = Field(foreign_key="article.id", index=True)


class FeedState(SQLModel, table=True):
    """The HTTP validators (ETag, Last-Modified) of a feed as last read in full, for conditional requests.

    ``not_before`` is the crawl window's start when it was read: entries before it were skipped then, so a 304
    ("unchanged") only means "nothing new" to a run whose window starts no earlier.
    """

    __tablename__ = "feed_state"

    url: str = Field(sa_type=Text, primary_key=True)
    etag: str | None = Field(default=None, sa_type=Text)
    last_modified: str | None = Field(default=None, max_length=100)  # the header verbatim, sent back as is
    not_before: datetime | None = Field(default=None, sa_column=_ts())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_ts(nullable=False))


class WriteLock(SQLModel, table=True):
    """One row that writers update first in a transaction, serialising the check-then-write steps (duplicate
    linking, analysis, trend refresh) across processes on PostgreSQL and SQLite alike."""

    __tablename__ = "write_lock"

    id: int = Field(primary_key=True)
    counter: int = 0


class Company(SQLModel, table=True):
    """A company, by normalised name."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=200)


class Place(SQLModel, table=True):
    """A Mexican city or state with coordinates (cities carry the name of their state)."""

    __table_args__ = (UniqueConstraint("kind", "name", "state", name="uq_place_kind_name_state"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=10)  # "city" or "state"
    name: str = Field(max_length=200)
    state: str = Field(default="", max_length=200)  # the city's state; "" for states
    lat: float | None = None
    lon: float | None = None


class CompanyMention(SQLModel, table=True):
    """How often an article names a company, and under which surface forms."""

    __tablename__ = "company_mention"
    # Covering index: per-company counts and first dates read it without touching the table.
    __table_args__ = (Index("ix_company_mention_company_article", "company_id", "article_id", "mentions"),)

    article_id: int = Field(foreign_key="article.id", primary_key=True)
    company_id: int = Field(foreign_key="company.id", primary_key=True, index=True)
    mentions: int = 1
    aliases: str = Field(default="[]", sa_type=Text)  # JSON list


class PlaceMention(SQLModel, table=True):
    """How often an article names a Mexican city or state."""

    __tablename__ = "place_mention"
    __table_args__ = (Index("ix_place_mention_place_article", "place_id", "article_id", "mentions"),)

    article_id: int = Field(foreign_key="article.id", primary_key=True)
    place_id: int = Field(foreign_key="place.id", primary_key=True, index=True)
    mentions: int = 1


class Announcement(SQLModel, table=True):
    """One announcement of new or planned jobs, however many articles report it (rebuilt by refresh_trends).

    Reports of the same company (or, without a company, the same place), the same value and the same kind of
    count (new or planned) within ``settings.ANNOUNCEMENT_WINDOW_DAYS`` of its first report are one announcement,
    counted once, on the date of that first report.
    """

    id: int | None = Field(default=None, primary_key=True)
    company_id: int | None = Field(default=None, foreign_key="company.id", index=True)
    city_id: int | None = Field(default=None, foreign_key="place.id", index=True)
    state_id: int | None = Field(default=None, foreign_key="place.id", index=True)
    kind: str = Field(max_length=20)  # the first report's: new | planned
    value: int
    value_max: int | None = None
    approx: bool = False
    unit: str = Field(max_length=40)
    reported: datetime = Field(sa_column=_ts(nullable=False, index=True))  # the first report's date
    article_id: int = Field(foreign_key="article.id")  # the first report
    reports: int = 1  # counted articles reporting it (republished copies not included)


class JobCount(SQLModel, table=True):
    """A number of jobs stated in an article, with its company, place and evidence sentence."""

    __tablename__ = "job_count"

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id", index=True)
    position: int = 0  # order within the article
    value: int
    value_max: int | None = None
    approx: bool = False
    unit: str = Field(max_length=40)
    kind: str = Field(max_length=20)
    company_id: int | None = Field(default=None, foreign_key="company.id", index=True)
    city_id: int | None = Field(default=None, foreign_key="place.id", index=True)
    state_id: int | None = Field(default=None, foreign_key="place.id", index=True)
    evidence: str = Field(default="", sa_type=Text)
    # The announcement this new or planned count reports (set by refresh_trends; null for other kinds).
    announcement_id: int | None = Field(default=None, foreign_key="announcement.id", index=True)


class EntitySummary(SQLModel, table=True):
    """All-time totals of a company, city or state over counted articles (rebuilt by refresh_trends), so that
    top lists and first-seen dates need not scan every mention."""

    __tablename__ = "entity_summary"
    __table_args__ = (Index("ix_entity_summary_first_seen", "dimension", "first_seen"),)

    dimension: str = Field(max_length=20, primary_key=True)  # company | city | state
    entity_id: int = Field(primary_key=True)  # company.id or place.id
    key: str = Field(max_length=200)  # the name, as trend points key it
    first_seen: datetime | None = Field(default=None, sa_column=_ts())  # first counted article naming it
    first_article_id: int | None = None
    articles: int = 0
    mentions: int = 0
    jobs: int = 0  # announced jobs, each announcement once
    announcements: int = 0


class TrendPoint(SQLModel, table=True):
    """A materialised trend value: metric by company/city/state per week, month or year."""

    __tablename__ = "trend_point"
    __table_args__ = (
        UniqueConstraint("metric", "dimension", "period_kind", "period", "key", name="uq_trend_point"),
        Index("ix_trend_point_key", "metric", "dimension", "period_kind", "key", "period", "value"),
    )

    id: int | None = Field(default=None, primary_key=True)
    metric: str = Field(max_length=20)  # articles | mentions | jobs
    dimension: str = Field(max_length=20)  # company | city | state
    period_kind: str = Field(max_length=10)  # week | month | year
    period: str = Field(max_length=10)
    key: str = Field(max_length=200)
    value: int
