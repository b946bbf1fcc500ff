"""Announcements: each announcement of new or planned jobs once, however many articles report it.

Several outlets write their own stories about the same hiring plan, and follow-ups repeat it; republished copies
are already linked by ``duplicate_of``, but different texts are not. Job counts are the same announcement when
they name the same company (or, without a company, the same city and state), the same value and range, are
``new`` or ``planned``, do not contradict each other's place, and are reported within
``settings.ANNOUNCEMENT_WINDOW_DAYS`` of the announcement's first report. The ``announcement`` table is rebuilt
by ``refresh_trends`` and every jobs figure sums it, so queries stay cheap.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, delete, insert, select, update
from sqlmodel import Session

from mxwatch import settings
from mxwatch.models.db import as_utc
from mxwatch.models.periods import article_date
from mxwatch.models.tables import Announcement, Article, JobCount

ANNOUNCED_KINDS = ("new", "planned")
CHUNK = 500  # rows per multi-row statement (SQLite allows 32,766 parameters per statement)


@dataclass
class _Draft:
    """An announcement being assembled from its reports."""

    company_id: int | None
    city_id: int | None
    state_id: int | None
    kind: str
    value: int
    value_max: int | None
    approx: bool
    unit: str
    reported: datetime
    article_id: int
    articles: set[int] = field(default_factory=set)
    job_ids: list[int] = field(default_factory=list)

    def accepts(self, city_id: int | None, state_id: int | None, reported: datetime, window: timedelta) -> bool:
        """Whether a report with this place and date can be one of this announcement's."""
        if abs(reported - self.reported) > window:
            return False
        if city_id is not None and self.city_id is not None and city_id != self.city_id:
            return False
        return state_id is None or self.state_id is None or state_id == self.state_id


def _identity(company_id: int | None, city_id: int | None, state_id: int | None, value: int,
              value_max: int | None) -> tuple[Any, ...]:
    # With a company, the place may be missing from one report and given by another; without one, the place is
    # all that identifies the announcement, so it must match exactly.
    if company_id is not None:
        return ("company", company_id, value, value_max)
    return ("place", city_id, state_id, value, value_max)


def rebuild_announcements(session: Session, window_days: int | None = None) -> int:
    """Group the announced job counts of relevant articles into announcements, link each count to its
    announcement, and return how many there are (caller commits; call inside serialise_writes)."""
    window = timedelta(days=settings.ANNOUNCEMENT_WINDOW_DAYS if window_days is None else window_days)
    session.execute(update(JobCount).where(JobCount.announcement_id.is_not(None)).values(announcement_id=None))
    session.execute(delete(Announcement))
    reported = article_date()
    rows = session.execute(
        select(JobCount.id, JobCount.article_id, JobCount.company_id, JobCount.city_id, JobCount.state_id,
               JobCount.kind, JobCount.value, JobCount.value_max, JobCount.approx, JobCount.unit, reported,
               Article.duplicate_of_id)
        .join(Article, Article.id == JobCount.article_id)
        .where(Article.relevant.is_(True), JobCount.kind.in_(ANNOUNCED_KINDS))
        .order_by(reported, JobCount.article_id, JobCount.position)
    ).all()
    groups: dict[tuple[Any, ...], list[_Draft]] = {}
    drafts: list[_Draft] = []
    # Originals first, oldest first: they found announcements. Republished copies only join them.
    for copies in (False, True):
        for (job_id, article_id, company_id, city_id, state_id, kind, value, value_max, approx, unit, when,
             duplicate_of) in rows:
            if (duplicate_of is not None) != copies:
                continue
            when = as_utc(when)
            candidates = groups.setdefault(_identity(company_id, city_id, state_id, value, value_max), [])
            draft = next((d for d in reversed(candidates) if d.accepts(city_id, state_id, when, window)), None)
            if draft is None:
                if copies:
                    continue  # a copy's count its original does not have: the original's analysis prevails
                draft = _Draft(company_id, city_id, state_id, kind, value, value_max, bool(approx), unit, when,
                               article_id)
                candidates.append(draft)
                drafts.append(draft)
            draft.job_ids.append(job_id)
            if not copies:
                draft.articles.add(article_id)
                draft.city_id = draft.city_id if draft.city_id is not None else city_id
                draft.state_id = draft.state_id if draft.state_id is not None else state_id
    if not drafts:
        return 0
    # Multi-row statements in chunks: executemany would cost a round trip per row on PostgreSQL. The table is
    # rebuilt whole, so ids are numbered here.
    rows = [{"id": n, "company_id": d.company_id, "city_id": d.city_id, "state_id": d.state_id, "kind": d.kind,
             "value": d.value, "value_max": d.value_max, "approx": d.approx, "unit": d.unit, "reported": d.reported,
             "article_id": d.article_id, "reports": len(d.articles)} for n, d in enumerate(drafts, start=1)]
    for chunk in _chunks(rows, CHUNK):
        session.execute(insert(Announcement).values(chunk))
    links = [(job_id, n) for n, d in enumerate(drafts, start=1) for job_id in d.job_ids]
    for chunk in _chunks(links, CHUNK):
        # One UPDATE per chunk: announcement_id = CASE id WHEN ... THEN ... END for the chunk's job counts.
        session.execute(update(JobCount).where(JobCount.id.in_([j for j, _ in chunk]))
                        .values(announcement_id=case(dict(chunk), value=JobCount.id)))
    return len(drafts)


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
