"""Configuration in one place: environment variables, paths, crawl identity and analysis defaults."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
SEED_DIR = DATA_DIR / "seed"
DEFAULT_SOURCES_FILE = PACKAGE_DIR / "sources.yaml"

# Identifying user agent: publishers can see who we are and how to reach us.
USER_AGENT = "mxwatch/0.1 (+https://github.com/mxwatch/mxwatch; news monitoring of tech expansion in Mexico)"

# Articles are analysed in batches of this size (one transaction per batch).
ANALYSIS_BATCH_SIZE = 32


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
