"""mxwatch_daily: crawl the configured sources, analyse what is new, refresh the trends, write the report.

Thin on purpose: every task calls a function of the ``mxwatch`` package (the same ones the CLI calls), and
heavy imports (Scrapy, spaCy) happen inside the tasks, never when the scheduler parses this file. The run's
data interval bounds which feed and sitemap items count, so re-running or backfilling a day stores nothing
twice; the trend database comes from the Airflow Connection ``mxwatch_db`` or ``MXWATCH_DATABASE_URL``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from airflow.sdk import Asset, Param, dag, task

from mxwatch.airflow_env import record_task_failure
from mxwatch.settings import BASELINE_DATE, TASK_RETRY_DELAY_SECONDS, task_retries

TRENDS = Asset("mxwatch://trend-database/trends")  # updated after every analysis: report DAGs can listen to it


@dag(
    dag_id="mxwatch_daily",
    schedule="@daily",
    start_date=datetime(2017, 10, 19, tzinfo=UTC),  # the baseline: any day since can be backfilled
    catchup=False,
    max_active_runs=1,
    default_args={"retries": task_retries(), "retry_delay": timedelta(seconds=TASK_RETRY_DELAY_SECONDS),
                  "retry_exponential_backoff": True, "on_failure_callback": record_task_failure},
    params={
        "sources_file": Param(None, type=["null", "string"], description="sources file (default: configured)"),
        "horizon": Param(BASELINE_DATE, type="string", format="date", description="skip items published before"),
    },
    tags=["mxwatch"],
    doc_md=__doc__,
)
def mxwatch_daily() -> None:
    """Find new coverage, store it, analyse it, refresh the trend tables and write the HTML report."""

    @task
    def init_database() -> dict[str, Any]:
        from mxwatch.airflow_env import trend_database_url
        from mxwatch.stages import init_database

        return init_database(trend_database_url(), analyze=False)  # analyze_new analyses the baseline too

    @task
    def load_sources(**context: Any) -> list[dict[str, str]]:
        from mxwatch.sources import load_sources

        return load_sources(context["params"].get("sources_file"))

    @task(max_active_tis_per_dagrun=2)
    def crawl_source(source: dict[str, str], **context: Any) -> dict[str, Any]:
        """One source per mapped task, in its own crawl process: a failing source fails alone."""
        from mxwatch.airflow_env import crawl_window, trend_database_url
        from mxwatch.stages import crawl_source

        not_before, not_after = crawl_window(context, context["params"].get("horizon"))
        return crawl_source(source, trend_database_url(), not_before=not_before, not_after=not_after)

    @task(trigger_rule="all_done")
    def analyze_new() -> int:
        from mxwatch.airflow_env import trend_database_url
        from mxwatch.stages import analyze_pending

        return analyze_pending(trend_database_url())

    @task(trigger_rule="all_done", outlets=[TRENDS])
    def refresh_trends() -> int:
        from mxwatch.airflow_env import trend_database_url
        from mxwatch.stages import refresh_trends

        return refresh_trends(trend_database_url())

    @task
    def write_report() -> dict[str, Any]:
        """The HTML report, rewritten after every run (settings.report_path(): MXWATCH_REPORT)."""
        from mxwatch.airflow_env import trend_database_url
        from mxwatch.settings import report_path
        from mxwatch.stages import write_report

        return write_report(trend_database_url(), report_path())

    sources = load_sources()
    init_database() >> sources
    crawled = crawl_source.expand(source=sources)
    crawled >> analyze_new() >> refresh_trends() >> write_report()


mxwatch_daily()
