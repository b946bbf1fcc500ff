"""Questions analysts ask of the trend database: trends per period, top movers, top companies and places, jobs
by city.

Every function takes an open session and optional ``since`` (inclusive) / ``until`` (exclusive) dates, and
returns plain rows (lists of dicts) ready for JSON, CSV, tables and charts. The CLI, the DAG and the report
call these functions; the SQL views of migration 0003 give the same answers.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Boolean, Select, and_, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from mxwatch.models.periods import PERIODS, article_date, in_range, period_bounds, period_key, previous_period
from mxwatch.models.tables import (
    Announcement,
    Article,
    Company,
    CompanyMention,
    EntitySummary,
    Place,
    PlaceMention,
    TrendPoint,
)

METRICS = ("articles", "mentions", "jobs")
DIMENSIONS = ("company", "city", "state")


class _NotACopy(ColumnElement[bool]):
    """``article.duplicate_of_id IS NULL``: true of almost every article. SQLite's statistics count each NULL as
    its own value, so it would read that as "one row" and walk the duplicate index instead of the date index;
    ``likelihood()`` tells it the truth."""

    inherit_cache = True
    type = Boolean()


@compiles(_NotACopy)
def _not_a_copy(element: _NotACopy, compiler: Any, **kw: Any) -> str:
    return compiler.process(Article.duplicate_of_id.is_(None), **kw)


@compiles(_NotACopy, "sqlite")
def _not_a_copy_sqlite(element: _NotACopy, compiler: Any, **kw: Any) -> str:
    return f"likelihood({compiler.process(Article.duplicate_of_id.is_(None), **kw)}, 0.95)"


def counted() -> ColumnElement[bool]:
    """Articles that count: judged relevant and not a republished copy of another."""
    return and_(Article.relevant.is_(True), _NotACopy())


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
    since: date | None = None, until: date | None = None, top: int | None = None,
) -> list[dict[str, Any]]:
    """Rows ``{"period","key","value"}`` of a trend (``metric`` articles, mentions or announced jobs, ``by``
    company, city or state, per week, month or year), oldest period first, largest value first within one.

    ``since``/``until`` keep the periods that overlap [since, until); ``top`` keeps the keys with the largest
    totals over those periods. Reads the trend table that ``refresh_trends`` materialises after each run.
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
    if top is not None:
        # A few keys: read them key by key (the key index; SQLite would otherwise walk every period for the
        # ORDER BY) and order here.
        query = query.where(TrendPoint.key.in_(_top_keys(session, metric, by, period, first, last, top)))
        rows = sorted(session.execute(query.order_by(TrendPoint.key, TrendPoint.period)).all(),
                      key=lambda r: (r[0], -r[2], r[1]))
    else:
        rows = session.execute(query.order_by(TrendPoint.period, TrendPoint.value.desc(), TrendPoint.key)).all()
    return [{"period": p, "key": k, "value": v} for p, k, v in rows]


def _top_keys(session: Session, metric: str, by: str, period: str, first: str | None, last: str | None,
              top: int) -> list[str]:
    """The ``top`` keys with the largest totals over the periods from ``first`` to ``last``."""
    if first is None and last is None:  # all time: the summaries hold the totals
        column = getattr(EntitySummary, metric)
        dimension = EntitySummary.dimension == by
        query = select(EntitySummary.key).where(dimension, column > 0).group_by(EntitySummary.key)
        query = query.order_by(func.sum(column).desc(), EntitySummary.key).limit(top)
        return list(session.execute(query).scalars())
    query = select(TrendPoint.key).where(TrendPoint.metric == metric, TrendPoint.dimension == by,
                                         TrendPoint.period_kind == period)
    if first is not None:
        query = query.where(TrendPoint.period >= first)
    if last is not None:
        query = query.where(TrendPoint.period <= last)
    query = query.group_by(TrendPoint.key).order_by(func.sum(TrendPoint.value).desc(), TrendPoint.key).limit(top)
    return list(session.execute(query).scalars())


def iso_date(value: Any) -> str | None:
    """A stored timestamp (or SQLite's text of one) as ``YYYY-MM-DD``."""
    if value is None:
        return None
    if isinstance(value, str):  # SQLite hands back aggregates of timestamps as text
        return value[:10]
    return value.date().isoformat() if hasattr(value, "date") else str(value)[:10]


def first_seen(session: Session, company_ids: list[int]) -> dict[int, str | None]:
    """The date (``YYYY-MM-DD``) each company was first named in a counted article (as of the last refresh)."""
    if not company_ids:
        return {}
    return {company_id: iso_date(seen) for company_id, seen in session.execute(
        select(EntitySummary.entity_id, EntitySummary.first_seen)
        .where(EntitySummary.dimension == "company", EntitySummary.entity_id.in_(company_ids)))}


def _summaries(session: Session, dimensions: tuple[str, ...]) -> list[EntitySummary]:
    return list(session.execute(select(EntitySummary).where(EntitySummary.dimension.in_(dimensions))).scalars())


def top_companies(
    session: Session, limit: int = 10, since: date | None = None, until: date | None = None,
) -> list[dict[str, Any]]:
    """The companies with the most announced jobs, then the most mentions, in [since, until):
    ``{"company","jobs","announcements","articles","mentions","first_seen"}`` (``first_seen``: the first date
    any counted article named it, whatever the range)."""
    if since is None and until is None:  # all time: the summaries rebuilt with the trends
        query = (select(EntitySummary).where(EntitySummary.dimension == "company")
                 .order_by(EntitySummary.jobs.desc(), EntitySummary.mentions.desc(), EntitySummary.key).limit(limit))
        return [{"company": e.key, "jobs": e.jobs, "announcements": e.announcements, "articles": e.articles,
                 "mentions": e.mentions, "first_seen": iso_date(e.first_seen)}
                for e in session.execute(query).scalars()]
    stats: dict[str, dict[str, Any]] = {}

    def row(name: str) -> dict[str, Any]:
        return stats.setdefault(name, {"jobs": 0, "announcements": 0, "articles": 0, "mentions": 0})

    if (since is None or since.day == 1) and (until is None or until.day == 1):
        # Whole months: the monthly trend points hold exactly these counts, without a pass over the mentions.
        first, last = period_bounds(since, until, "month")
        points = (select(TrendPoint.key, TrendPoint.metric, func.sum(TrendPoint.value))
                  .where(TrendPoint.metric.in_(("articles", "mentions")), TrendPoint.dimension == "company",
                         TrendPoint.period_kind == "month")
                  .group_by(TrendPoint.key, TrendPoint.metric))
        if first is not None:
            points = points.where(TrendPoint.period >= first)
        if last is not None:
            points = points.where(TrendPoint.period <= last)
        for name, metric, total in session.execute(points):
            row(name)[metric] = int(total or 0)
    else:
        mentions = (select(Company.name, func.count(), func.sum(CompanyMention.mentions))
                    .join(CompanyMention, CompanyMention.company_id == Company.id)
                    .join(Article, Article.id == CompanyMention.article_id)
                    .where(counted(), *in_range(article_date(), since, until))
                    .group_by(Company.id, Company.name))
        for name, articles, total in session.execute(mentions):
            row(name).update(articles=int(articles), mentions=int(total or 0))
    announced = announced_jobs().subquery()
    jobs = (select(Company.name, func.count(), func.sum(announced.c.value))
            .join(announced, announced.c.company_id == Company.id)
            .where(*in_range(announced.c.reported, since, until))
            .group_by(Company.id, Company.name))
    for name, announcements, total in session.execute(jobs):
        row(name).update(announcements=int(announcements), jobs=int(total or 0))
    ranked = sorted(stats, key=lambda n: (-stats[n]["jobs"], -stats[n]["mentions"], n))[:limit]
    seen = {key: iso_date(when) for key, when in session.execute(
        select(EntitySummary.key, EntitySummary.first_seen)
        .where(EntitySummary.dimension == "company", EntitySummary.key.in_(ranked)))} if ranked else {}
    return [{"company": n, **stats[n], "first_seen": seen.get(n)} for n in ranked]


def jobs_by_city(session: Session, since: date | None = None, until: date | None = None) -> list[dict[str, Any]]:
    """Announced jobs per Mexican city in [since, until), most first:
    ``{"city","state","lat","lon","jobs","announcements"}`` (announcements without a city are left out)."""
    announced = announced_jobs().subquery()
    # Sum per city first (one pass over the announcements), then name the cities.
    per_city = (select(announced.c.city_id, func.sum(announced.c.value).label("jobs"), func.count().label("n"))
                .where(announced.c.city_id.is_not(None), *in_range(announced.c.reported, since, until))
                .group_by(announced.c.city_id).subquery())
    city = aliased(Place)
    query = (select(city.name, city.state, city.lat, city.lon, per_city.c.jobs, per_city.c.n)
             .join(per_city, per_city.c.city_id == city.id))
    rows = [{"city": n, "state": s or None, "lat": lat, "lon": lon, "jobs": int(j or 0), "announcements": int(c)}
            for n, s, lat, lon, j, c in session.execute(query)]
    return sorted(rows, key=lambda r: (-r["jobs"], r["city"], r["state"] or ""))


def top_movers(
    session: Session, metric: str = "mentions", by: str = "company", period: str = "month", at: date | None = None,
    limit: int = 10,
) -> list[dict[str, Any]]:
    """The keys whose ``metric`` changed most between the period holding ``at`` (default: the latest period with
    data) and the period before it: ``{"key","previous","current","change","previous_period","current_period"}``,
    largest change (up or down) first."""
    _check("metric", metric, METRICS)
    _check("dimension", by, DIMENSIONS)
    _check("period", period, PERIODS)
    base = (TrendPoint.metric == metric, TrendPoint.dimension == by, TrendPoint.period_kind == period)
    if at is not None:
        current = period_key(at, period)
    else:
        current = session.execute(select(func.max(TrendPoint.period)).where(*base)).scalar()
        if current is None:
            return []
    previous = previous_period(current, period)
    values: dict[str, dict[str, int]] = {}
    for label, key, value in session.execute(
        select(TrendPoint.period, TrendPoint.key, TrendPoint.value)
        .where(*base, TrendPoint.period.in_((previous, current)))
    ):
        values.setdefault(key, {"previous": 0, "current": 0})["current" if label == current else "previous"] = value
    rows = [{"key": key, **v, "change": v["current"] - v["previous"], "previous_period": previous,
             "current_period": current} for key, v in values.items()]
    rows.sort(key=lambda r: (-abs(r["change"]), -r["current"], r["key"]))
    return rows[:limit]


def places(
    session: Session, kind: str | None = None, since: date | None = None, until: date | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Mexican cities and states (``kind`` "city" or "state", default both) by announced jobs, then mentions, in
    [since, until): ``{"place","kind","state","lat","lon","articles","mentions","jobs","announcements"}``."""
    if kind is not None:
        _check("place kind", kind, ("city", "state"))
    stats: dict[int, dict[str, int]] = {}
    if since is None and until is None:  # all time: the summaries rebuilt with the trends
        for e in _summaries(session, (kind,) if kind else ("city", "state")):
            stats[e.entity_id] = {"articles": e.articles, "mentions": e.mentions, "jobs": e.jobs,
                                  "announcements": e.announcements}
        return _place_rows(session, stats, kind, limit)

    def row(place_id: int) -> dict[str, int]:
        return stats.setdefault(place_id, {"articles": 0, "mentions": 0, "jobs": 0, "announcements": 0})

    query = (select(PlaceMention.place_id, func.count(), func.sum(PlaceMention.mentions))
             .join(Article, Article.id == PlaceMention.article_id)
             .where(counted(), *in_range(article_date(), since, until)).group_by(PlaceMention.place_id))
    for place_id, articles, total in session.execute(query):
        row(place_id).update(articles=int(articles), mentions=int(total or 0))
    announced = announced_jobs().subquery()
    for column in (announced.c.city_id, announced.c.state_id):
        query = (select(column, func.count(), func.sum(announced.c.value))
                 .where(column.is_not(None), *in_range(announced.c.reported, since, until)).group_by(column))
        for place_id, announcements, total in session.execute(query):
            row(place_id).update(announcements=int(announcements), jobs=int(total or 0))
    return _place_rows(session, stats, kind, limit)


def _place_rows(session: Session, stats: dict[int, dict[str, int]], kind: str | None,
                limit: int | None) -> list[dict[str, Any]]:
    if not stats:
        return []
    query = select(Place).where(Place.id.in_(list(stats)))
    if kind is not None:
        query = query.where(Place.kind == kind)
    rows = [{"place": p.name, "kind": p.kind, "state": p.state or None, "lat": p.lat, "lon": p.lon, **stats[p.id]}
            for p in session.execute(query).scalars()]
    rows.sort(key=lambda r: (-r["jobs"], -r["mentions"], r["place"], r["state"] or ""))
    return rows[:limit] if limit is not None else rows
