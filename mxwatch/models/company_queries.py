"""Companies: which are new since the 2017 baseline, and one company's timeline of coverage and figures."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from mxwatch import settings
from mxwatch.models.periods import article_date, day_start, in_range
from mxwatch.models.tables import Article, Company, CompanyMention, EntitySummary, JobCount, Place
from mxwatch.models.trend_queries import counted, iso_date


def find_company(session: Session, name: str) -> tuple[int, str] | None:
    """The id and stored name of the company called ``name`` (exactly, else ignoring case), or None."""
    row = session.execute(select(Company.id, Company.name).where(Company.name == name)).first()
    if row is None:
        row = session.execute(select(Company.id, Company.name).where(func.lower(Company.name) == name.lower())
                              .order_by(Company.id)).first()
    return (row[0], row[1]) if row is not None else None


def new_companies(session: Session, since: date | None = None, until: date | None = None) -> list[dict[str, Any]]:
    """Companies first named by a counted article in [since, until) (``since`` defaults to the baseline's date)
    and not named by the baseline itself, in order of appearance:
    ``{"company","first_seen","url","title","articles","mentions","jobs","announcements"}`` (``url``/``title``:
    the first article that named it; counts over all time)."""
    since = since or date.fromisoformat(settings.BASELINE_DATE)
    in_baseline = select(CompanyMention.company_id).join(Article, Article.id == CompanyMention.article_id).where(
        Article.is_baseline.is_(True))
    # The summaries (rebuilt with the trends) hold each company's first date and first article.
    query = (
        select(EntitySummary.key, EntitySummary.first_seen, Article.url, Article.title, EntitySummary.articles,
               EntitySummary.mentions, EntitySummary.jobs, EntitySummary.announcements)
        .join(Article, Article.id == EntitySummary.first_article_id, isouter=True)
        .where(EntitySummary.dimension == "company", EntitySummary.first_seen >= day_start(since),
               EntitySummary.entity_id.not_in(in_baseline))
        .order_by(EntitySummary.first_seen, EntitySummary.key)
    )
    if until is not None:
        query = query.where(EntitySummary.first_seen < day_start(until))
    rows = [{"company": key, "first_seen": iso_date(seen), "url": url, "title": title, "articles": articles,
             "mentions": mentions, "jobs": jobs, "announcements": announcements}
            for key, seen, url, title, articles, mentions, jobs, announcements in session.execute(query)]
    rows.sort(key=lambda r: (r["first_seen"], r["company"]))
    return rows


def company_timeline(
    session: Session, company: str, since: date | None = None, until: date | None = None,
) -> list[dict[str, Any]] | None:
    """Every counted article naming ``company`` in [since, until), oldest first, with the job figures it gives for
    the company: ``{"date","url","title","mentions","job_counts":[{value,value_max,approx,unit,kind,city,state,
    announcement_id}]}``. None when no company has that name."""
    found = find_company(session, company)
    if found is None:
        return None
    company_id = found[0]
    reported = article_date()
    articles = session.execute(
        select(Article.id, reported, Article.url, Article.title, CompanyMention.mentions)
        .join(CompanyMention, CompanyMention.article_id == Article.id)
        .where(CompanyMention.company_id == company_id, counted(), *in_range(reported, since, until))
        .order_by(reported, Article.id)
    ).all()
    figures: dict[int, list[dict[str, Any]]] = {}
    city, state = aliased(Place), aliased(Place)
    for article_id, value, value_max, approx, unit, kind, announcement_id, city_name, state_name in session.execute(
        select(JobCount.article_id, JobCount.value, JobCount.value_max, JobCount.approx, JobCount.unit,
               JobCount.kind, JobCount.announcement_id, city.name, state.name)
        .join(Article, Article.id == JobCount.article_id)
        .join(city, city.id == JobCount.city_id, isouter=True)
        .join(state, state.id == JobCount.state_id, isouter=True)
        .where(JobCount.company_id == company_id, counted(), *in_range(reported, since, until))
        .order_by(JobCount.article_id, JobCount.position)
    ):
        figures.setdefault(article_id, []).append({
            "value": value, "value_max": value_max, "approx": approx, "unit": unit, "kind": kind,
            "city": city_name, "state": state_name, "announcement_id": announcement_id})
    return [{"date": iso_date(when), "url": url, "title": title, "mentions": mentions,
             "job_counts": figures.get(article_id, [])} for article_id, when, url, title, mentions in articles]
