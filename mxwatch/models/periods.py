"""Periods (ISO week, month, year) and date ranges, shared by the trend builder and the queries."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlalchemy.sql.elements import ColumnElement

from mxwatch.models.tables import Article

PERIODS = ("week", "month", "year")


def period_key(moment: date | datetime, period: str) -> str:
    """The label of the week (``2017-W42``), month (``2017-10``) or year (``2017``) that holds ``moment``."""
    if period == "week":
        year, week, _ = moment.isocalendar()
        return f"{year}-W{week:02d}"
    if period == "month":
        return f"{moment.year:04d}-{moment.month:02d}"
    if period == "year":
        return f"{moment.year:04d}"
    raise ValueError(f"unknown period {period!r}")


def day_start(day: date) -> datetime:
    """Midnight UTC at the start of ``day``."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def article_date() -> ColumnElement[Any]:
    """When an article counts as reported: its publication date, else when it was fetched."""
    return func.coalesce(Article.published, Article.fetched_at)


def in_range(column: ColumnElement[Any], since: date | None, until: date | None) -> list[ColumnElement[bool]]:
    """Conditions keeping ``column`` within [since, until) (either end open when None)."""
    conditions = []
    if since is not None:
        conditions.append(column >= day_start(since))
    if until is not None:
        conditions.append(column < day_start(until))
    return conditions


def period_bounds(since: date | None, until: date | None, period: str) -> tuple[str | None, str | None]:
    """First and last period labels that overlap [since, until)."""
    first = period_key(since, period) if since is not None else None
    last = period_key(until - timedelta(days=1), period) if until is not None else None
    return first, last


def period_start(label: str, period: str) -> date:
    """The first day of the period labelled ``label`` (``2017-W42``, ``2017-10`` or ``2017``)."""
    try:
        if period == "week":
            year, week = label.split("-W")
            return date.fromisocalendar(int(year), int(week), 1)
        if period == "month":
            year, month = label.split("-")
            return date(int(year), int(month), 1)
        if period == "year":
            return date(int(label), 1, 1)
    except ValueError:
        pass
    raise ValueError(f"invalid {period} {label!r}")


def previous_period(label: str, period: str) -> str:
    """The label of the period just before ``label``."""
    return period_key(period_start(label, period) - timedelta(days=1), period)
