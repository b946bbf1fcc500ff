"""Reading the trend database: article listings, analysis objects, trends and the baseline.

The CLI, the DAG, the demo and the tests all read through these functions.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from mxwatch.models.db import as_utc
from mxwatch.models.periods import PERIODS, article_date, period_key  # noqa: F401 - re-exported
from mxwatch.models.store import serialise_writes
from mxwatch.models.tables import (
    Article,
    Company,
    CompanyMention,
    CrawlRun,
    JobCount,
    Place,
    PlaceMention,
    SeenUrl,
    Source,
)
from mxwatch.models.trend_build import rebuild_trends
from mxwatch.models.trend_queries import (  # noqa: F401 - the query layer's public functions, in one place
    DIMENSIONS,
    METRICS,
    jobs_by_city,
    top_companies,
    trends,
)


def _iso(value: datetime | None) -> str | None:
    value = as_utc(value)
    return value.isoformat() if value else None


def _url_map(session: Session, ids: Iterable[int]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return dict(session.execute(select(Article.id, Article.url).where(Article.id.in_(wanted))).all())


def list_articles(session: Session, relevant: bool | None = None, since: date | None = None) -> list[dict[str, Any]]:
    """Stored articles, newest first: ``{"id","url","title","published","lang","source","relevant","relevance",
    "duplicate_of","is_baseline"}``. ``relevant=True`` keeps relevant ones; ``since`` filters on publication."""
    query = select(Article, Source.name).join(Source, Article.source_id == Source.id, isouter=True)
    if relevant is not None:
        query = query.where(Article.relevant.is_(relevant))
    if since is not None:
        query = query.where(Article.published >= datetime(since.year, since.month, since.day))
    rows = session.execute(query.order_by(Article.published.desc(), Article.id.desc())).all()
    urls = _url_map(session, (a.duplicate_of_id for a, _ in rows))
    return [
        {
            "id": a.id,
            "url": a.url,
            "title": a.title,
            "published": _iso(a.published),
            "lang": a.lang,
            "source": source or ("baseline" if a.is_baseline else None),
            "relevant": a.relevant,
            "relevance": a.relevance,
            "duplicate_of": urls.get(a.duplicate_of_id),
            "is_baseline": a.is_baseline,
        }
        for a, source in rows
    ]


def analysis_object(session: Session, article: Article, with_text: bool = False) -> dict[str, Any]:
    """The brief's analysis object for a stored article (``text`` only when asked)."""
    companies = session.execute(
        select(Company.name, CompanyMention.mentions, CompanyMention.aliases)
        .join(Company, Company.id == CompanyMention.company_id)
        .where(CompanyMention.article_id == article.id)
        .order_by(CompanyMention.mentions.desc(), Company.name)
    ).all()
    places = session.execute(
        select(Place, PlaceMention.mentions)
        .join(Place, Place.id == PlaceMention.place_id)
        .where(PlaceMention.article_id == article.id)
        .order_by(PlaceMention.mentions.desc(), Place.name)
    ).all()
    city, state = aliased(Place), aliased(Place)
    jobs = session.execute(
        select(JobCount, Company.name, city.name, state.name)
        .join(Company, Company.id == JobCount.company_id, isouter=True)
        .join(city, city.id == JobCount.city_id, isouter=True)
        .join(state, state.id == JobCount.state_id, isouter=True)
        .where(JobCount.article_id == article.id)
        .order_by(JobCount.position)
    ).all()
    result: dict[str, Any] = {
        "url": article.url,
        "title": article.title,
        "published": _iso(article.published),
        "authors": json.loads(article.authors or "[]"),
        "lang": article.lang,
    }
    if with_text:
        result["text"] = article.text
    result.update({
        "relevant": article.relevant,
        "relevance": article.relevance,
        "companies": [{"name": n, "aliases": json.loads(a or "[]"), "mentions": m} for n, m, a in companies],
        "cities": [
            {"name": p.name, "state": p.state or None, "lat": p.lat, "lon": p.lon, "mentions": m}
            for p, m in places if p.kind == "city"
        ],
        "states": [{"name": p.name, "mentions": m} for p, m in places if p.kind == "state"],
        "job_counts": [
            {
                "value": j.value, "value_max": j.value_max, "approx": j.approx, "unit": j.unit, "kind": j.kind,
                "company": company, "city": city_name, "state": state_name, "evidence": j.evidence,
            }
            for j, company, city_name, state_name in jobs
        ],
        "is_baseline": article.is_baseline,
        "duplicate_of": _url_map(session, [article.duplicate_of_id]).get(article.duplicate_of_id),
    })
    return result


def entities(session: Session, article_url: str | None = None, relevant_only: bool = False) -> list[dict[str, Any]]:
    """Analysis objects (without text) of every analysed article (or only relevant ones), or of the one at
    ``article_url``."""
    query = select(Article).where(Article.analyzed_at.is_not(None))
    if relevant_only:
        query = query.where(Article.relevant.is_(True))
    if article_url is not None:
        aliases = select(SeenUrl.article_id).where(SeenUrl.url == article_url)
        query = query.where((Article.url == article_url) | (Article.fetched_url == article_url)
                            | Article.id.in_(aliases))
    articles = session.execute(query.order_by(Article.published, Article.id)).scalars().all()
    return [analysis_object(session, a) for a in articles]


def refresh_trends(session: Session) -> int:
    """Rebuild announcements, trend points and summaries in one transaction; return how many trend points."""
    serialise_writes(session)  # concurrent refreshes would collide on the unique trend points
    points = rebuild_trends(session)
    session.commit()
    return points


def baseline_article(session: Session) -> Article | None:
    """The stored baseline article, if ``mxwatch init`` has run."""
    query = select(Article).where(Article.is_baseline.is_(True)).order_by(Article.id)
    return session.execute(query).scalars().first()


def baseline(session: Session) -> dict[str, Any] | None:
    """The baseline's analysis object (with text), or None before ``mxwatch init``."""
    article = baseline_article(session)
    return analysis_object(session, article, with_text=True) if article is not None else None


def _job_fact(job: JobCount, company: str | None, city_name: str | None, state_name: str | None) -> dict[str, Any]:
    return {"value": job.value, "value_max": job.value_max, "approx": job.approx, "unit": job.unit, "kind": job.kind,
            "company": company, "city": city_name, "state": state_name, "evidence": job.evidence}


def baseline_comparison(session: Session) -> list[dict[str, Any]]:
    """Each baseline job count beside the latest follow-up figure: ``[{"baseline": fact, "latest": {...} | None}]``.

    The latest figure is the one in the most recent relevant follow-up (not the baseline, not a republished
    copy, dated no earlier than the baseline) for the same company; for a count without a company, the latest
    count of the same kind without a company for the same city (or, when the fact has no city, the same state).
    ``latest`` carries the figure and the article that states it (``url``, ``title``, ``published``).
    """
    article = baseline_article(session)
    if article is None:
        return []
    base = analysis_object(session, article)
    company_ids = dict(session.execute(select(Company.name, Company.id)).all()) if base["job_counts"] else {}
    place_ids = {(kind, name, state): i for i, kind, name, state in
                 session.execute(select(Place.id, Place.kind, Place.name, Place.state))}
    reported = article_date()
    city, state = aliased(Place), aliased(Place)
    follow_ups = (
        select(JobCount, Company.name, city.name, state.name, Article.url, Article.title, Article.published)
        .join(Article, Article.id == JobCount.article_id)
        .join(Company, Company.id == JobCount.company_id, isouter=True)
        .join(city, city.id == JobCount.city_id, isouter=True)
        .join(state, state.id == JobCount.state_id, isouter=True)
        .where(Article.is_baseline.is_(False), Article.duplicate_of_id.is_(None), Article.relevant.is_(True))
        .order_by(reported.desc(), Article.id.desc(), JobCount.position)
        .limit(1)
    )
    since = article.published or article.fetched_at
    if since is not None:
        follow_ups = follow_ups.where(reported >= since)
    rows = []
    for fact in base["job_counts"]:
        match = None
        if fact["company"]:
            if (company_id := company_ids.get(fact["company"])) is not None:
                match = JobCount.company_id == company_id
        elif fact["city"]:
            if (city_id := place_ids.get(("city", fact["city"], fact["state"] or ""))) is not None:
                match = and_(JobCount.company_id.is_(None), JobCount.kind == fact["kind"],
                             JobCount.city_id == city_id)
        elif fact["state"] and (state_id := place_ids.get(("state", fact["state"], ""))) is not None:
            match = and_(JobCount.company_id.is_(None), JobCount.kind == fact["kind"],
                         JobCount.state_id == state_id)
        if match is None:  # a figure with neither company nor place has nothing to be compared with
            rows.append({"baseline": fact, "latest": None})
            continue
        found = session.execute(follow_ups.where(match)).first()
        latest = None
        if found is not None:
            job, company, city_name, state_name, url, title, published = found
            latest = {**_job_fact(job, company, city_name, state_name), "url": url, "title": title,
                      "published": _iso(published)}
        rows.append({"baseline": fact, "latest": latest})
    return rows


def _run_row(run: CrawlRun, source: str | None) -> dict[str, Any]:
    return {"id": run.id, "source": source, "started_at": _iso(run.started_at), "finished_at": _iso(run.finished_at),
            "status": run.status, "requests": run.requests, "new": run.new_articles, "duplicates": run.duplicates,
            "skipped": run.skipped, "errors": run.errors, "message": run.message}


def crawl_runs(session: Session, limit: int | None = None) -> list[dict[str, Any]]:
    """Crawl runs, newest first: per source and run, what was requested, stored, skipped and failed."""
    query = (select(CrawlRun, Source.name).outerjoin(Source, CrawlRun.source_id == Source.id)
             .order_by(CrawlRun.id.desc()))
    if limit is not None:
        query = query.limit(limit)
    return [_run_row(run, name) for run, name in session.execute(query).all()]


def last_runs(session: Session, names: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The latest crawl run of each named source (sources never crawled are absent)."""
    wanted = set(names)
    if not wanted:
        return {}
    latest = (select(CrawlRun.source_id, func.max(CrawlRun.id).label("run_id"))
              .group_by(CrawlRun.source_id).subquery())
    rows = session.execute(
        select(CrawlRun, Source.name).join(latest, CrawlRun.id == latest.c.run_id)
        .join(Source, CrawlRun.source_id == Source.id).where(Source.name.in_(wanted))
    ).all()
    return {name: _run_row(run, name) for run, name in rows}
