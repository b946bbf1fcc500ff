"""The query benchmark's generator and runner work at a small size (timings are printed by ``make bench``, never
asserted)."""

from __future__ import annotations

from sqlalchemy import text

from mxwatch import query_benchmark
from mxwatch.models import db


def test_bench_queries_fills_the_database_and_times_every_cli_query(sqlite_url: str, capsys) -> None:  # noqa: ANN001
    rows = query_benchmark.bench_queries(sqlite_url, articles=300, runs=1)
    with db.get_engine(sqlite_url).connect() as connection:
        counts = {t: connection.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar()
                  for t in ("article", "company_mention", "place_mention", "announcement", "trend_point")}
        reports = connection.execute(text("SELECT MAX(reports) FROM announcement")).scalar()
    assert counts["article"] == 300 and counts["company_mention"] == 300 * query_benchmark.COMPANIES_PER_ARTICLE
    assert counts["place_mention"] == 900 and counts["announcement"] > 0 and counts["trend_point"] > 0
    assert reports >= 2  # other outlets' stories of the same announcement are grouped
    timed = [r for r in rows if r["rows"] is not None]
    assert len(timed) == len(query_benchmark.cli_queries("Company 00001", "State 01"))
    assert all(r["median_ms"] >= 0 and r["database"] == "sqlite" for r in timed)
    assert "query timings, sqlite, 300 articles" in capsys.readouterr().out
