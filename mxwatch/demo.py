"""``make demo``: one full DAG run against the bundled demo news site, offline, then what it found.

Serves the demo site on 127.0.0.1, points the sources at its feed and sitemap, runs ``mxwatch_daily`` once
with ``dag.test()`` on a fresh SQLite database, and prints entities, a trend table and the baseline comparison
through the same CLI functions a user calls, and where the DAG wrote the HTML report.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

from mxwatch import settings
from mxwatch.airflow_env import configure_airflow, load_dag, reset_metadata_db


def write_demo_sources(base_url: str, path: Path) -> Path:
    """A sources file for the demo site: its RSS feed and its sitemap index."""
    path.write_text(
        "sources:\n"
        f"  - name: demo-feed\n    kind: feed\n    url: {base_url}/feed.xml\n"
        f"  - name: demo-sitemap\n    kind: sitemap\n    url: {base_url}/sitemap.xml\n",
        encoding="utf-8",
    )
    return path


def main() -> int:
    """Run the demo; return the process exit code."""
    workdir = settings.home() / "demo"
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    # Always the demo's own SQLite file: the demo must never write into a database the user configured.
    os.environ["MXWATCH_DATABASE_URL"] = f"sqlite:///{workdir / 'mxwatch.db'}"
    os.environ["MXWATCH_REPORT"] = str(workdir / "report.html")  # the DAG's last task writes it
    configure_airflow(workdir / "airflow")

    from mxwatch import cli
    from mxwatch.demo_site.server import DemoSite

    started = time.monotonic()
    with DemoSite() as site:
        base_url = site.base_url
        os.environ["MXWATCH_SOURCES"] = str(write_demo_sources(base_url, workdir / "sources.yaml"))
        print(f"demo news site on {base_url}; database {os.environ['MXWATCH_DATABASE_URL']}", flush=True)
        reset_metadata_db()
        run = load_dag("mxwatch_daily").test()
    state = str(getattr(run, "state", "unknown"))
    print(f"\nDAG run mxwatch_daily: {state} in {time.monotonic() - started:.0f} s\n", flush=True)
    print("== entities of the relevant articles ==")
    cli.main(["entities", "--relevant"])
    print("\n== announced jobs by state per year ==")
    cli.main(["trends", "--metric", "jobs", "--by", "state", "--period", "year"])
    print("\n== mentions by company per year ==")
    cli.main(["trends", "--metric", "mentions", "--by", "company", "--period", "year"])
    print("\n== the 2017 baseline against the latest follow-ups ==")
    cli.main(["baseline", "--compare"])
    print()
    cli.main(["articles"])
    report = Path(os.environ["MXWATCH_REPORT"])
    if report.exists():
        print(f"\nHTML report (charts, map, baseline vs now; opens offline): {report} "
              f"({report.stat().st_size / 1e6:.1f} MB)\n  open it with: xdg-open {report}")
    else:
        print("\nno HTML report was written (see the write_report task's log)")
    return 0 if state.endswith("success") and report.exists() else 1


if __name__ == "__main__":
    sys.exit(main())
