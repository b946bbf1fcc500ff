"""Questions analysts ask of the trend database: trends per period, top companies, jobs by city.

Every function takes an open session and optional ``since`` (inclusive) / ``until`` (exclusive) dates, and
returns plain rows (lists of dicts) ready for JSON, CSV, tables and charts. The CLI, the DAG and the report
call these functions; the SQL views of migration 0003 give the same answers.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from mxwatch.models.periods import PERIODS, article_date, in_range, period_bounds
from mxwatch.models.tables import Announcement, Article, Company, CompanyMention, Place, TrendPoint

METRICS = ("articles", "mentions", "jobs")
DIMENSIONS = ("company", "city", "state")


def counted() -> ColumnElement[bool]:
    """Articles that count: judged relevant and not a republished copy of another."""
    return and_(Article.relevant.is_(True), Article.duplicate_of_id.is_(None))


def _check(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"unknown {name} {value!r} (expected one of {', '.join(allowed)})")


def announced_jobs() -> Select:
    """One row per announcement (company_id, city_id, state_id, value, reported): announced jobs, new or planned,
    each counted once however many articles report it (as of the last ``refresh_trends``)."""
    return select(Announcement.company_id, Announcement.city_id, Announcement.state_id, Announcement.value,
                  Announcement.reported)


def trends(
    session: Session, metric: str = "mentions", by: str = "company", period: str = "month",
    since: date | None = None, until: date | None = None,
) -> list[dict[str, Any]]:
    """Rows ``{"period","key","value"}`` of a trend (``metric`` articles, mentions or announced jobs, ``by``
    company, city or state, per week, month or year), oldest period first, largest value first within one.

    ``since``/``until`` keep the periods that overlap [since, until). Reads the trend table that
    ``refresh_trends`` materialises after each run.
    """
    _check("metric", metric, METRICS)
    _check("dimension", by, DIMENSIONS)
    _check("period", period, PERIODS)
    query = select(TrendPoint.period, TrendPoint.key, TrendPoint.value).where(
        TrendPoint.metric == metric, TrendPoint.dimension == by, TrendPoint.period_kind == period
    )
    first, last = period_bounds(since, until, period)
    if first is not None:
        query = query.where(TrendPoint.period >= first)
    if last is not None:
        query = query.where(TrendPoint.period <= last)
    rows = session.execute(query.order_by(TrendPoint.period, TrendPoint.value.desc(), TrendPoint.key)).all()
    return [{"period": p, "key": k, "value": v} for p, k, v in rows]


def _iso_date(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):  # SQLite hands back aggregates of timestamps as text
        return value[:10]
    return value.date().isoformat() if hasattr(value, "date") else str(value)[:10]


def first_seen(session: Session, company_ids: list[int] | None = None) -> dict[int, str]:
    """The date (``YYYY-MM-DD``) each company was first named in a counted article."""
    query = (select(CompanyMention.company_id, func.min(article_date()))
             .join(Article, Article.id == CompanyMention.article_id).where(counted())
             .group_by(CompanyMention.company_id))
    if company_ids is not None:
        if not company_ids:
            return {}
        query = query.where(CompanyMention.company_id.in_(company_ids))
    return {company_id: _iso_date(seen) for company_id, seen in session.execute(query)}


def top_companies(
    session: Session, limit: int = 10, since: date | None = None, until: date | None = None,
) -> list[dict[str, Any]]:
    """The companies with the most announced jobs, then the most mentions, in [since, until):
    ``{"company","jobs","announcements","articles","mentions","first_seen"}`` (``first_seen``: the first date
    any counted article named it, whatever the range)."""
    stats: dict[int, dict[str, Any]] = {}

    def row(company_id: int) -> dict[str, Any]:
        return stats.setdefault(company_id, {"jobs": 0, "announcements": 0, "articles": 0, "mentions": 0})

    mentions = (select(CompanyMention.company_id, func.count(), func.sum(CompanyMention.mentions))
                .join(Article, Article.id == CompanyMention.article_id)
                .where(counted(), *in_range(article_date(), since, until))
                .group_by(CompanyMention.company_id))
    for company_id, articles, total in session.execute(mentions):
        row(company_id).update(articles=int(articles), mentions=int(total or 0))
    announced = announced_jobs().subquery()
    jobs = (select(announced.c.company_id, func.count(), func.sum(announced.c.value))
            .where(announced.c.company_id.is_not(None), *in_range(announced.c.reported, since, until))
            .group_by(announced.c.company_id))
    for company_id, announcements, total in session.execute(jobs):
        row(company_id).update(announcements=int(announcements), jobs=int(total or 0))
    if not stats:
        return []
    names = dict(session.execute(select(Company.id, Company.name).where(Company.id.in_(list(stats)))).all())
    ranked = sorted(stats, key=lambda i: (-stats[i]["jobs"], -stats[i]["mentions"], names[i]))[:limit]
    seen = first_seen(session, ranked)
    return [{"company": names[i], **stats[i], "first_seen": seen.get(i)} for i in ranked]


def jobs_by_city(session: Session, since: date | None = None, until: date | None = None) -> list[dict[str, Any]]:
    """Announced jobs per Mexican city in [since, until), most first:
    ``{"city","state","lat","lon","jobs","announcements"}`` (announcements without a city are left out)."""
    announced = announced_jobs().subquery()
    city = aliased(Place)
    query = (
        select(city.name, city.state, city.lat, city.lon, func.sum(announced.c.value), func.count())
        .join(announced, announced.c.city_id == city.id)
        .where(*in_range(announced.c.reported, since, until))
        .group_by(city.id, city.name, city.state, city.lat, city.lon)
    )
    rows = [{"city": n, "state": s or None, "lat": lat, "lon": lon, "jobs": int(j or 0), "announcements": int(c)}
            for n, s, lat, lon, j, c in session.execute(query)]
    return sorted(rows, key=lambda r: (-r["jobs"], r["city"], r["state"] or ""))
