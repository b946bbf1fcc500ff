"""mxwatch_daily: crawl the configured sources, analyse what is new, refresh the trends.

Thin on purpose: every task calls a function of the ``mxwatch`` package (the same ones the CLI calls), and
heavy imports (Scrapy, spaCy) happen inside the tasks, never when the scheduler parses this file.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from airflow.sdk import Param, dag, task

from mxwatch.settings import TASK_RETRIES, TASK_RETRY_DELAY_SECONDS


@dag(
    dag_id="mxwatch_daily",
    schedule="@daily",
    start_date=datetime(2026, 1, 1, tzinfo=UTC),
    catchup=False,
    max_active_runs=1,
    default_args={"retries": TASK_RETRIES, "retry_delay": timedelta(seconds=TASK_RETRY_DELAY_SECONDS),
                  "retry_exponential_backoff": True},
    params={"sources_file": Param(None, type=["null", "string"], description="sources file (default: configured)")},
    tags=["mxwatch"],
    doc_md=__doc__,
)
def mxwatch_daily() -> None:
    """Find new coverage, store it, analyse it and refresh the trend tables."""

    @task
    def init_database() -> dict[str, Any]:
        from mxwatch.stages import init_database

        return init_database(analyze=False)  # analyze_new analyses the baseline with everything else

    @task
    def load_sources(**context: Any) -> list[dict[str, str]]:
        from mxwatch.sources import load_sources

        return load_sources(context["params"].get("sources_file"))

    @task(max_active_tis_per_dagrun=2)
    def crawl_source(source: dict[str, str]) -> dict[str, Any]:
        """One source per mapped task, in its own crawl process: a failing source fails alone."""
        from mxwatch.stages import crawl_source

        return crawl_source(source)

    @task(trigger_rule="all_done")
    def analyze_new() -> int:
        from mxwatch.stages import analyze_pending

        return analyze_pending()

    @task(trigger_rule="all_done")
    def refresh_trends() -> int:
        from mxwatch.stages import refresh_trends

        return refresh_trends()

    sources = load_sources()
    init_database() >> sources
    crawled = crawl_source.expand(source=sources)
    crawled >> analyze_new() >> refresh_trends()


mxwatch_daily()
