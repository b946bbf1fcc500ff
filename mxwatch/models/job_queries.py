"""Job figures and announcements, filtered by company, place, kind and date (``mxwatch jobs``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from mxwatch.models.periods import article_date, in_range
from mxwatch.models.tables import Announcement, Article, Company, JobCount, Place
from mxwatch.models.trend_queries import counted, iso_date

KINDS = ("new", "planned", "existing", "sector_total")


def _place_ids(session: Session, name: str, kind: str | None) -> list[int]:
    """Ids of the cities and/or states called ``name`` (ignoring case and accents' case)."""
    query = select(Place.id, Place.name)
    if kind is not None:
        query = query.where(Place.kind == kind)
    wanted = name.casefold()
    return [i for i, n in session.execute(query) if n.casefold() == wanted]


def _filtered(
    session: Session, query: Select, table: type, company: str | None, place: str | None, city: str | None,
    state: str | None,
) -> Select | None:
    """``query`` narrowed to the company and places asked for; None when a name matches nothing."""
    if company is not None:
        from mxwatch.models.company_queries import find_company

        found = find_company(session, company)
        if found is None:
            return None
        query = query.where(table.company_id == found[0])
    for name, kind in ((city, "city"), (state, "state"), (place, None)):
        if name is None:
            continue
        ids = _place_ids(session, name, kind)
        if not ids:
            return None
        if kind == "city":
            query = query.where(table.city_id.in_(ids))
        elif kind == "state":
            query = query.where(table.state_id.in_(ids))
        else:
            query = query.where(or_(table.city_id.in_(ids), table.state_id.in_(ids)))
    return query


def job_figures(
    session: Session, company: str | None = None, place: str | None = None, city: str | None = None,
    state: str | None = None, kind: str | None = None, since: date | None = None, until: date | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Every job figure stated by a counted article in [since, until), newest first, optionally only for one
    company, place (city or state), city, state or kind: ``{"date","company","city","state","kind","value",
    "value_max","approx","unit","announcement_id","url","title","evidence"}``. Figures reporting the same
    announcement share its ``announcement_id``."""
    if kind is not None and kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r} (expected one of {', '.join(KINDS)})")
    reported = article_date()
    city_place, state_place = aliased(Place), aliased(Place)
    query = (
        select(JobCount, reported, Company.name, city_place.name, state_place.name, Article.url, Article.title)
        .join(Article, Article.id == JobCount.article_id)
        .join(Company, Company.id == JobCount.company_id, isouter=True)
        .join(city_place, city_place.id == JobCount.city_id, isouter=True)
        .join(state_place, state_place.id == JobCount.state_id, isouter=True)
        .where(counted(), *in_range(reported, since, until))
    )
    if kind is not None:
        query = query.where(JobCount.kind == kind)
    query = _filtered(session, query, JobCount, company, place, city, state)
    if query is None:
        return []
    query = query.order_by(reported.desc(), Article.id.desc(), JobCount.position)
    if limit is not None:
        query = query.limit(limit)
    return [{"date": iso_date(when), "company": company_name, "city": city_name, "state": state_name,
             "kind": job.kind, "value": job.value, "value_max": job.value_max, "approx": job.approx, "unit": job.unit,
             "announcement_id": job.announcement_id, "url": url, "title": title, "evidence": job.evidence}
            for job, when, company_name, city_name, state_name, url, title in session.execute(query)]


def announcements(
    session: Session, company: str | None = None, place: str | None = None, city: str | None = None,
    state: str | None = None, kind: str | None = None, since: date | None = None, until: date | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Announcements of new or planned jobs first reported in [since, until), newest first, each once:
    ``{"id","date","company","city","state","kind","value","value_max","approx","unit","reports","url","title"}``
    (``url``/``title``: the first report; ``reports``: how many counted articles report it)."""
    if kind is not None and kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r} (expected one of {', '.join(KINDS)})")
    city_place, state_place = aliased(Place), aliased(Place)
    query = (
        select(Announcement, Company.name, city_place.name, state_place.name, Article.url, Article.title)
        .join(Article, Article.id == Announcement.article_id)
        .join(Company, Company.id == Announcement.company_id, isouter=True)
        .join(city_place, city_place.id == Announcement.city_id, isouter=True)
        .join(state_place, state_place.id == Announcement.state_id, isouter=True)
        .where(*in_range(Announcement.reported, since, until))
    )
    if kind is not None:
        query = query.where(Announcement.kind == kind)
    query = _filtered(session, query, Announcement, company, place, city, state)
    if query is None:
        return []
    query = query.order_by(Announcement.reported.desc(), Announcement.id.desc())
    if limit is not None:
        query = query.limit(limit)
    return [{"id": a.id, "date": iso_date(a.reported), "company": company_name, "city": city_name,
             "state": state_name, "kind": a.kind, "value": a.value, "value_max": a.value_max, "approx": a.approx,
             "unit": a.unit, "reports": a.reports, "url": url, "title": title}
            for a, company_name, city_name, state_name, url, title in session.execute(query)]
