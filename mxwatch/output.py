"""Printing results: JSON, JSON lines, CSV, or tables for people."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table


def print_json(value: Any) -> None:
    """Pretty JSON on stdout."""
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")


def print_jsonl(value: Any) -> None:
    """One compact JSON line on stdout."""
    sys.stdout.write(json.dumps(value, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


def print_csv(rows: Iterable[dict[str, Any]], columns: Sequence[str]) -> None:
    """CSV with a header row on stdout; lists are joined with ``; ``."""
    writer = csv.DictWriter(sys.stdout, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "; ".join(map(str, v)) if isinstance(v, list) else v for k, v in row.items()})


def stdout_console() -> Console:
    """A console for stdout; when stdout is a file or pipe, wide enough that tables do not fold into slivers."""
    return Console(soft_wrap=False, width=None if sys.stdout.isatty() else 200)


def print_table(title: str | None, rows: Sequence[dict[str, Any]], columns: Sequence[str],
                console: Console | None = None) -> None:
    """A table for people (no colours when stdout is not a terminal)."""
    table = Table(title=title, show_lines=False, header_style="bold")
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        # Cells are data, not markup: "[...]" in an evidence sentence must print as it is.
        table.add_row(*("" if row.get(c) is None else escape(str(row.get(c))) for c in columns))
    (console or stdout_console()).print(table)
