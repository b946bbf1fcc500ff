"""The analysis's data files (gazetteers, vocabularies, rules) in ``patterns/``, one JSON object per line."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

PATTERNS_DIR = Path(__file__).resolve().parent / "patterns"


@cache
def read_patterns(name: str) -> tuple[dict, ...]:
    """The records of ``patterns/<name>`` (read once per process; treat them as read-only)."""
    with (PATTERNS_DIR / name).open(encoding="utf-8") as fh:
        return tuple(json.loads(line) for line in fh if line.strip())
