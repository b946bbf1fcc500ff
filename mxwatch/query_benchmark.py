"""Query timings on a generated trend database: every query the CLI (and the report) runs, at 100,000 articles
with about a million company mentions, on SQLite and PostgreSQL.

``python -m mxwatch.query_benchmark [--articles N] [--database-url URL]`` runs on a temporary SQLite file and a
temporary PostgreSQL database (created and dropped here) unless given a URL. ``bench_queries`` is what
``make bench`` calls. The data is written with bulk inserts (PostgreSQL COPY, SQLite executemany), then
``refresh_trends`` builds announcements and trend points as a real run does; each query's median of several
runs is reported.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from mxwatch.models import db

COMPANIES = 5_000
POPULAR = 50  # a few companies are in much of the news; most appear now and then
STATES = 32
CITIES = 300
COMPANIES_PER_ARTICLE = 10
START = datetime(2017, 10, 19, tzinfo=UTC)
END = datetime(2026, 10, 1, tzinfo=UTC)
VALUES = (50, 100, 120, 150, 200, 250, 300, 400, 500, 800, 1000, 1500, 2000, 5000)
KINDS = ("new", "new", "new", "new", "planned", "planned", "existing", "existing", "existing", "sector_total")
RUNS = 5
PG_ADMIN = os.environ.get("MXWATCH_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")

COLUMNS = {
    "company": ("id", "name"),
    "place": ("id", "kind", "name", "state", "lat", "lon"),
    "article": ("id", "url", "title", "published", "fetched_at", "authors", "lang", "text", "content_hash",
                "relevance", "relevant", "is_baseline", "duplicate_of_id", "analyzed_at"),
    "company_mention": ("article_id", "company_id", "mentions", "aliases"),
    "place_mention": ("article_id", "place_id", "mentions"),
    "job_count": ("id", "article_id", "position", "value", "value_max", "approx", "unit", "kind", "company_id",
                  "city_id", "state_id", "evidence"),
}


def generate(articles: int, seed: int = 17) -> dict[str, list[tuple]]:
    """Rows of every table for ``articles`` articles (the first is the baseline), reproducibly."""
    rng = random.Random(seed)
    companies = [(i, f"Company {i:05d}") for i in range(1, COMPANIES + 1)]
    states = [(i, "state", f"State {i:02d}", "", None, None) for i in range(1, STATES + 1)]
    cities = [(STATES + i, "city", f"City {i:03d}", f"State {1 + i % STATES:02d}", 14 + i % 18, -117 + i % 30)
              for i in range(1, CITIES + 1)]
    state_of = {city[0]: 1 + (city[0] - STATES) % STATES for city in cities}
    span = (END - START).total_seconds()
    rows: dict[str, list[tuple]] = {name: [] for name in COLUMNS}
    rows["company"], rows["place"] = companies, states + cities
    job_id = 0
    recent_jobs: list[tuple] = []
    for i in range(articles):
        article_id = i + 1
        published = START + timedelta(seconds=span * i / articles + rng.random() * 3600)
        relevant = i == 0 or rng.random() < 0.85
        duplicate_of = rng.randint(max(1, article_id - 20), article_id - 1) if i > 20 and rng.random() < 0.03 else None
        rows["article"].append((article_id, f"https://bench.example/{i}", f"Article {i}", published, published,
                                "[]", "en", "", f"{article_id:064x}", 0.9 if relevant else 0.1, relevant, i == 0,
                                duplicate_of, published))
        chosen = rng.sample(range(1, POPULAR + 1), 3) + rng.sample(range(POPULAR + 1, COMPANIES + 1),
                                                                   COMPANIES_PER_ARTICLE - 3)
        rows["company_mention"].extend((article_id, c, rng.randint(1, 5), "[]") for c in chosen)
        places = rng.sample(range(STATES + 1, STATES + CITIES + 1), 2)
        rows["place_mention"].extend((article_id, p, rng.randint(1, 3)) for p in places)
        rows["place_mention"].append((article_id, state_of[places[0]], 1))
        figures = []
        if recent_jobs and rng.random() < 0.1:  # another outlet's own story on a recent announcement
            figures.append(rng.choice(recent_jobs))
        for _ in range(rng.choice((0, 1, 1, 1, 2))):
            kind = rng.choice(KINDS)
            company = None if kind == "sector_total" or rng.random() < 0.1 else rng.choice(chosen)
            city = rng.choice(places) if rng.random() < 0.8 else None
            figures.append((rng.choice(VALUES), None, kind, company, city, state_of[places[0]] if city is None
                            else state_of[city]))
        for position, (value, value_max, kind, company, city, state) in enumerate(figures):
            job_id += 1
            rows["job_count"].append((job_id, article_id, position, value, value_max, False, "jobs", kind, company,
                                      city, state, f"{company} will hire {value}"))
            if kind in ("new", "planned"):
                recent_jobs.append((value, value_max, kind, company, city, state))
        recent_jobs = recent_jobs[-50:]
    return rows


def _sqlite_value(value: Any) -> Any:
    # SQLAlchemy's SQLite DateTime format, and booleans as integers, as the ORM would store them.
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    return int(value) if isinstance(value, bool) else value


def load(database_url: str, rows: dict[str, list[tuple]]) -> None:
    """Bulk-insert the generated rows into a migrated database."""
    engine = db.get_engine(database_url)
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for table, columns in COLUMNS.items():
            names = ", ".join(columns)
            if engine.dialect.name == "postgresql":
                with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows[table]:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" * len(columns))
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})",
                                   ([_sqlite_value(v) for v in row] for row in rows[table]))
        raw.commit()
        cursor.execute("ANALYZE")  # what autovacuum does on PostgreSQL; SQLite needs it asked
        raw.commit()
    finally:
        raw.close()


def cli_queries(top_company: str, busy_state: str) -> list[tuple[str, Callable[[Any], Any]]]:
    """(the CLI command, the query function it runs) for every query the CLI and the report make."""
    from mxwatch.models import company_queries, job_queries, queries, trend_queries

    year_ago, last = date(2025, 10, 1), date(2026, 10, 1)
    items: list[tuple[str, Callable[[Any], Any]]] = []
    for metric in trend_queries.METRICS:
        for by in trend_queries.DIMENSIONS:
            for period in ("week", "month", "year"):
                items.append((f"trends --metric {metric} --by {by} --period {period} --top 10",
                              lambda s, m=metric, b=by, p=period: queries.trends(s, m, b, p, top=10)))
                # The whole history of every key: as long as its output (companies x weeks), listed to show it.
                items.append((f"trends --metric {metric} --by {by} --period {period} (every key)",
                              lambda s, m=metric, b=by, p=period: queries.trends(s, m, b, p)))
    items += [
        ("trends --metric jobs --by state --since 2025-10-01",
         lambda s: queries.trends(s, "jobs", "state", "month", since=year_ago)),
        ("trends --metric mentions --by company --period week --since 2025-10-01 --top 10",
         lambda s: queries.trends(s, "mentions", "company", "week", since=year_ago, top=10)),
        ("trends --movers (mentions by company per month)",
         lambda s: trend_queries.top_movers(s, "mentions", "company", "month")),
        ("trends --movers --metric jobs --by state --period week",
         lambda s: trend_queries.top_movers(s, "jobs", "state", "week")),
        ("companies", lambda s: queries.top_companies(s)),
        ("companies --since 2025-10-01 --until 2026-10-01",
         lambda s: queries.top_companies(s, since=year_ago, until=last)),
        ("companies --new-since", lambda s: company_queries.new_companies(s)),
        (f"companies --company '{top_company}'", lambda s: company_queries.company_timeline(s, top_company)),
        ("places", lambda s: trend_queries.places(s)),
        ("places --kind city --since 2025-10-01", lambda s: trend_queries.places(s, "city", since=year_ago)),
        ("report: jobs by city (map)", lambda s: queries.jobs_by_city(s)),
        (f"jobs --company '{top_company}'", lambda s: job_queries.job_figures(s, company=top_company)),
        (f"jobs --place '{busy_state}' --kind new --since 2025-10-01",
         lambda s: job_queries.job_figures(s, place=busy_state, kind="new", since=year_ago)),
        ("jobs --limit 100", lambda s: job_queries.job_figures(s, limit=100)),
        (f"jobs --announcements --state '{busy_state}'",
         lambda s: job_queries.announcements(s, state=busy_state)),
        ("baseline --compare", lambda s: queries.baseline_comparison(s)),
    ]
    return items


def _median_ms(database_url: str, query: Callable[[Any], Any], runs: int) -> tuple[float, float, float, int]:
    """Median and worst wall time, and median CPU time of this process (on a shared machine, the part of a
    SQLite query's time that other processes' load does not inflate; PostgreSQL's work is in the server)."""
    times, cpu, size = [], [], 0
    for attempt in range(runs + 1):
        with db.session_scope(database_url) as session:
            started, started_cpu = time.perf_counter(), time.process_time()
            result = query(session)
            elapsed, used = (time.perf_counter() - started) * 1000, (time.process_time() - started_cpu) * 1000
        size = len(result or [])
        if attempt:  # the first run warms caches and is not counted
            times.append(elapsed)
            cpu.append(used)
    return statistics.median(times), max(times), statistics.median(cpu), size


def bench_queries(database_url: str, articles: int = 100_000, runs: int = RUNS) -> list[dict]:
    """Fill the empty database at ``database_url`` with ``articles`` generated articles, refresh trends, time
    every CLI query (median of ``runs``), print a table and return its rows
    ``{"database","articles","query","median_ms","max_ms","cpu_ms","rows"}`` (setup steps have ``rows`` None;
    ``cpu_ms`` is this process's CPU time)."""
    from mxwatch.models.queries import refresh_trends

    name = make_url(database_url).get_backend_name()
    results: list[dict] = []

    def record(query: str, median: float, worst: float, size: int | None, cpu: float | None = None) -> None:
        results.append({"database": name, "articles": articles, "query": query, "median_ms": round(median, 1),
                        "max_ms": round(worst, 1), "cpu_ms": None if cpu is None else round(cpu, 1), "rows": size})

    started = time.perf_counter()
    rows = generate(articles)
    record("setup: generate rows", (time.perf_counter() - started) * 1000, 0, None)
    db.migrate(database_url)
    started = time.perf_counter()
    load(database_url, rows)
    record(f"setup: bulk load ({len(rows['company_mention']):,} company mentions, "
           f"{len(rows['job_count']):,} job counts)", (time.perf_counter() - started) * 1000, 0, None)
    started = time.perf_counter()
    with db.session_scope(database_url) as session:
        refresh_trends(session)
    record("setup: refresh_trends (announcements + trend points)", (time.perf_counter() - started) * 1000, 0, None)
    popular = statistics.mode(c for _, c, *_ in rows["company_mention"][: 10 * COMPANIES_PER_ARTICLE])
    for query, fn in cli_queries(f"Company {popular:05d}", "State 01"):
        median, worst, cpu, size = _median_ms(database_url, fn, runs)
        record(query, median, worst, size, cpu)
    print_results(results)
    return results


def print_results(results: Sequence[dict]) -> None:
    """The timings as a table on stdout."""
    from mxwatch.output import print_table

    if not results:
        return
    slow = [r for r in results if r["rows"] is not None and r["median_ms"] >= 200 and "every key" not in r["query"]]
    title = (f"query timings, {results[0]['database']}, {results[0]['articles']:,} articles "
             f"(median of {RUNS}; {len(slow)} at or over 200 ms, whole-history dumps aside)")
    print_table(title, results, ("query", "median_ms", "max_ms", "cpu_ms", "rows"))


@contextmanager
def temporary_databases(which: Sequence[str]) -> Iterator[list[str]]:
    """URLs of a new SQLite file and/or PostgreSQL database, removed afterwards."""
    import psycopg

    urls: list[str] = []
    folder = tempfile.TemporaryDirectory(prefix="mxwatch-qbench-")
    pg_name = f"mxwatch_qbench_{uuid.uuid4().hex[:10]}"
    try:
        if "sqlite" in which:
            urls.append(f"sqlite:///{Path(folder.name) / 'bench.db'}")
        if "postgresql" in which:
            with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5) as admin:
                admin.execute(f'CREATE DATABASE "{pg_name}"')
            urls.append(f"postgresql+psycopg://postgres@127.0.0.1:5432/{pg_name}")
        yield urls
    finally:
        for url in urls:
            db.get_engine(url).dispose()
        if "postgresql" in which:
            with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
        folder.cleanup()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the query benchmark; exit 2 on bad options, 1 when a database cannot be used."""
    parser = argparse.ArgumentParser(prog="python -m mxwatch.query_benchmark", description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100_000, help="generated articles (default 100,000)")
    parser.add_argument("--database-url", help="an empty database to fill (default: a temporary SQLite file and "
                        "a temporary PostgreSQL database, both)")
    parser.add_argument("--databases", default="sqlite,postgresql", help="which temporary databases to use")
    args = parser.parse_args(argv)
    if args.articles < 100:
        parser.error("--articles must be at least 100")
    try:
        if args.database_url:
            bench_queries(args.database_url, args.articles)
            return 0
        which = [w.strip() for w in args.databases.split(",") if w.strip()]
        if not which or set(which) - {"sqlite", "postgresql"}:
            parser.error("--databases takes sqlite, postgresql or both")
        with temporary_databases(which) as urls:
            for url in urls:
                bench_queries(url, args.articles)
    except Exception as exc:  # noqa: BLE001 - one line, not a traceback
        print(f"query benchmark failed: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

