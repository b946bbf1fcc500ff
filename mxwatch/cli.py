"""The ``mxwatch`` command line. Exit codes: 0 success, 2 bad input or usage, 1 runtime failure."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, NoReturn

from mxwatch import settings
from mxwatch.errors import MxwatchError, UsageError, first_line

ARTICLE_COLUMNS = ("id", "url", "title", "published", "lang", "source", "relevant", "relevance", "duplicate_of",
                   "is_baseline")
MAX_COUNT = 2**31 - 1
ENTITY_COLUMNS = ("url", "title", "entity", "name", "state", "mentions", "value", "value_max", "approx", "unit",
                  "kind", "company", "city", "evidence")


class _Parser(argparse.ArgumentParser):
    """argparse with a one-line error and exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"mxwatch: error: {message} (see 'mxwatch {self.prog.split()[-1]} --help')\n"
                  if " " in self.prog else f"mxwatch: error: {message} (see 'mxwatch --help')\n")


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid date {value!r} (expected YYYY-MM-DD)") from None


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if not 1 <= number <= MAX_COUNT:  # a count beyond any database integer is a typo, not a request
        raise argparse.ArgumentTypeError(f"invalid count {value!r} (expected a positive whole number)")
    return number


def _datetime(value: str) -> datetime:
    from mxwatch.pipelines.page_metadata import parse_datetime

    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None:
        raise argparse.ArgumentTypeError(f"invalid date {value!r} (expected ISO 8601)")
    return parsed


def _format_options(parser: argparse.ArgumentParser, csv: bool = True) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--json", action="store_true", help="print JSON")
    if csv:
        group.add_argument("--csv", action="store_true", help="print CSV")


def _range_options(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--since", type=_date, metavar="DATE", help=f"{what} on or after DATE (YYYY-MM-DD)")
    parser.add_argument("--until", type=_date, metavar="DATE", help=f"{what} before DATE (YYYY-MM-DD)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = _Parser(prog="mxwatch", description="Follow the news about tech companies expanding in Mexico.")
    parser.add_argument("--version", action="version", version="mxwatch 0.1.0")
    # Not required here but checked in main(): argparse would report a missing command before an unknown option,
    # so that `mxwatch --frobnicate` said "COMMAND is required" rather than what is wrong.
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")

    sub.add_parser("init", help="create or migrate the database and load the seed baseline")

    p = sub.add_parser("analyze", help="analyse one page without storing it")
    p.add_argument("file", nargs="?", default="-", help="HTML (or text with --text) file; '-' for stdin")
    p.add_argument("--text", action="store_true", help="the input is plain text, not HTML")
    p.add_argument("--jsonl", metavar="FILE", help="lines {id, html|text, url?, title?, published?}; '-' for stdin")
    p.add_argument("--url", help="the page's URL (hint)")
    p.add_argument("--title", help="the article's title (hint, used when the page has none)")
    p.add_argument("--published", type=_datetime, help="publication date (hint, used when the page has none)")

    p = sub.add_parser("crawl", help="discover, fetch, extract, analyse and store new articles")
    p.add_argument("--feed", action="append", default=[], metavar="URL", help="an RSS or Atom feed (repeatable)")
    p.add_argument("--sitemap", action="append", default=[], metavar="URL", help="a sitemap (repeatable)")
    p.add_argument("--sources", metavar="FILE", help="a sources file (default: the configured sources)")
    p.add_argument("--horizon", type=_date, default=date.fromisoformat(settings.BASELINE_DATE), metavar="DATE",
                   help=f"skip items published before DATE (default: the baseline's date, {settings.BASELINE_DATE})")
    p.add_argument("--analysis-processes", type=_positive, metavar="N",
                   help="processes analysing a backlog of new articles (default: MXWATCH_ANALYSIS_PROCESSES, else "
                   "every core; 1: in this process only)")
    p.add_argument("--json", action="store_true", help="print the run summary as JSON")

    p = sub.add_parser("sources", help="the configured sources and how each one's last crawl went")
    p.add_argument("--sources", metavar="FILE", help="a sources file (default: the configured sources)")
    _format_options(p, csv=False)

    p = sub.add_parser("runs", help="crawl runs per source: requests, new, duplicates, skipped, errors")
    p.add_argument("--limit", type=_positive, default=settings.RUNS_LISTED, metavar="N",
                   help=f"the N latest runs (default {settings.RUNS_LISTED})")
    _format_options(p, csv=False)

    p = sub.add_parser("articles", help="list stored articles")
    p.add_argument("--relevant", action="store_true", help="only articles judged relevant")
    p.add_argument("--since", type=_date, metavar="DATE", help="published on or after DATE (YYYY-MM-DD)")
    _format_options(p)

    p = sub.add_parser("entities", help="companies, places and job counts per stored article")
    p.add_argument("--article", metavar="URL", help="only the article at URL")
    p.add_argument("--relevant", action="store_true", help="only articles judged relevant")
    _format_options(p)

    p = sub.add_parser("trends", help="mentions, articles or announced jobs per period")
    p.add_argument("--metric", choices=("articles", "mentions", "jobs"), default="mentions",
                   help="articles naming a key, its mentions, or announced jobs (each announcement once)")
    p.add_argument("--by", choices=("company", "city", "state"), default="company")
    p.add_argument("--period", choices=("week", "month", "year"), default="month")
    _range_options(p, "periods overlapping")
    p.add_argument("--top", type=_positive, metavar="N", help="only the N keys with the largest total (movers: 10)")
    p.add_argument("--movers", action="store_true",
                   help="the keys that changed most from the previous period to the latest (or --at's)")
    p.add_argument("--at", type=_date, metavar="DATE", help="with --movers: the period holding DATE")
    _format_options(p)

    p = sub.add_parser("baseline", help="the 2017 seed story's analysis")
    p.add_argument("--compare", action="store_true", help="each baseline fact beside the latest follow-up figure")
    _format_options(p)

    p = sub.add_parser("companies", help="top companies by announced jobs and mentions; new ones; one's timeline")
    _range_options(p, "articles published")
    p.add_argument("--top", type=_positive, default=settings.TOP_ROWS, metavar="N",
                   help=f"the N companies with the most announced jobs, then mentions (default {settings.TOP_ROWS})")
    p.add_argument("--new-since", type=_date, nargs="?", const=date.fromisoformat(settings.BASELINE_DATE),
                   metavar="DATE", help="companies first named on or after DATE and not in the baseline "
                   f"(default {settings.BASELINE_DATE})")
    p.add_argument("--company", metavar="NAME", help="the timeline of one company: its articles and figures")
    _format_options(p)

    p = sub.add_parser("places", help="Mexican cities and states by announced jobs and mentions")
    p.add_argument("--kind", choices=("city", "state"), help="only cities or only states")
    _range_options(p, "articles published")
    p.add_argument("--top", type=_positive, metavar="N", help="only the first N places")
    _format_options(p)

    p = sub.add_parser("jobs", help="job figures (or announcements) by company, place, kind and date")
    p.add_argument("--company", metavar="NAME", help="only this company's")
    p.add_argument("--place", metavar="NAME", help="only this city's or state's")
    p.add_argument("--city", metavar="NAME", help="only this city's")
    p.add_argument("--state", metavar="NAME", help="only this state's")
    p.add_argument("--kind", choices=("new", "planned", "existing", "sector_total"), help="only this kind")
    _range_options(p, "reported")
    p.add_argument("--announcements", action="store_true",
                   help="one row per announcement (new or planned jobs), however many articles report it")
    p.add_argument("--limit", type=_positive, metavar="N", help="only the N newest")
    _format_options(p)

    p = sub.add_parser("report", help="write the self-contained HTML report with charts")
    p.add_argument("--out", metavar="FILE", help="where to write it (default: $MXWATCH_REPORT or "
                   "$MXWATCH_HOME/report.html)")
    p.add_argument("--since", type=_date, metavar="DATE", help="announcements from DATE on (YYYY-MM-DD)")
    p.add_argument("--until", type=_date, metavar="DATE", help="announcements before DATE (YYYY-MM-DD)")
    return parser


# ---- analyze ---------------------------------------------------------------------------------------------------

def _read_input(path: str, binary: bool) -> bytes | str:
    try:
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except FileNotFoundError:
        raise UsageError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise UsageError(f"{path} is a directory, not a file") from None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    if binary:
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _jsonl_records(path: str) -> Iterator[tuple[int, Any, dict[str, Any] | str]]:
    """(line number, id or None, record or error message) for each non-blank line."""
    stream = sys.stdin if path == "-" else None
    try:
        handle = stream or open(path, encoding="utf-8")  # noqa: SIM115 - closed below
    except FileNotFoundError:
        raise UsageError(f"no such file: {path}") from None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield number, None, f"line {number}: not JSON ({exc.msg})"
                continue
            if not isinstance(record, dict) or "id" not in record:
                yield number, None, f"line {number}: expected an object with an \"id\""
            elif not isinstance(record.get("html"), str) and not isinstance(record.get("text"), str):
                yield number, record["id"], f"line {number}: needs \"html\" or \"text\""
            elif bad := [k for k in ("url", "title", "published") if record.get(k) is not None
                         and not isinstance(record[k], str)]:
                yield number, record["id"], f"line {number}: {', '.join(bad)} must be a string"
            else:
                yield number, record["id"], record
    except UnicodeDecodeError:
        raise UsageError(f"{path} is not UTF-8 text") from None
    finally:
        if stream is None:
            handle.close()


def _analyze_jsonl(path: str) -> int:
    from mxwatch.output import print_jsonl
    from mxwatch.pipelines.extraction import ExtractionError
    from mxwatch.pipelines.page_input import page_to_input
    from mxwatch.stages import get_analyzer

    analyzer = get_analyzer()
    failures = 0
    total = 0
    pending: list[tuple[Any, Any]] = []  # (id, ArticleInput | error message), in input order

    def flush() -> None:
        valid = [item for _, item in pending if not isinstance(item, str)]
        results = iter(analyzer.analyze_many(valid))
        for record_id, item in pending:
            if isinstance(item, str):
                print_jsonl({"id": record_id, "error": item})
            else:
                print_jsonl({"id": record_id, **next(results)})
        pending.clear()

    for number, record_id, record in _jsonl_records(path):
        total += 1
        if isinstance(record, str):
            item: Any = record
        else:
            try:
                published = _datetime(record["published"]) if record.get("published") else None
                is_text = not isinstance(record.get("html"), str)
                item = page_to_input(record["text"] if is_text else record["html"], is_text, record.get("url"),
                                      record.get("title"), published)
            except (ExtractionError, argparse.ArgumentTypeError, UsageError) as exc:
                item = f"line {number}: {exc}"
            except Exception as exc:  # noqa: BLE001 - one unreadable page must not cost the other lines
                item = f"line {number}: {type(exc).__name__}: {first_line(exc)}"
        failures += isinstance(item, str)
        pending.append((record_id, item))
        if len(pending) >= settings.JSONL_BATCH:
            flush()
    flush()
    if failures:
        raise UsageError(f"{failures} of {total} lines could not be analysed (see their \"error\" fields)")
    return 0


def cmd_analyze(args: argparse.Namespace) -> int:
    """Analyse one page (or a JSONL batch) without storing it."""
    from mxwatch.output import print_json
    from mxwatch.pipelines.extraction import ExtractionError
    from mxwatch.pipelines.page_input import page_to_input
    from mxwatch.stages import get_analyzer

    if args.jsonl is not None:  # `--jsonl ""` is a missing file, not stdin
        return _analyze_jsonl(args.jsonl)
    content = _read_input(args.file, binary=not args.text)
    try:
        article = page_to_input(content, args.text, args.url, args.title, args.published)
    except ExtractionError as exc:
        raise UsageError(f"{args.file}: {exc}") from None
    print_json(get_analyzer().analyze(article))
    return 0


# ---- database commands -----------------------------------------------------------------------------------------

def _session():  # noqa: ANN202
    from mxwatch.models import db

    if not db.is_migrated():
        raise MxwatchError("the database is not initialised: run 'mxwatch init' first")
    return db.session_scope()


def cmd_init(args: argparse.Namespace) -> int:
    """Create or migrate the database and load the baseline."""
    from mxwatch.stages import init_database

    result = init_database()
    state = "stored and analysed" if result["baseline_created"] else "already present"
    print(f"database ready ({settings.database_url().split('@')[-1]}); baseline {state}; "
          f"{result['analyzed']} article(s) analysed; {result['trend_points']} trend points")
    return 0


def cmd_crawl(args: argparse.Namespace) -> int:
    """Crawl the given or configured sources, analyse new articles, refresh trends."""
    from mxwatch.output import print_json, print_table
    from mxwatch.sources import load_sources, source_from_url
    from mxwatch.stages import run_all

    sources = [source_from_url("feed", u) for u in args.feed] + [source_from_url("sitemap", u) for u in args.sitemap]
    if args.sources or not sources:
        sources += load_sources(args.sources)
    # A bad MXWATCH_ANALYSIS_* value is reported now, not after the crawl.
    processes = args.analysis_processes or settings.analysis_processes()
    settings.analysis_parallel_min()
    with _CrawlProgress(enabled=sys.stderr.isatty() and not args.json) as progress:
        horizon = datetime(args.horizon.year, args.horizon.month, args.horizon.day, tzinfo=UTC)
        result = run_all(sources, on_event=progress.on_event, not_before=horizon, analysis_processes=processes)
    if args.json:
        print_json(result)
    else:
        print_table("crawl", result["sources"],
                    ("source", "status", "requests", "new_articles", "duplicates", "skipped", "errors", "message"))
        print(f"{result['new_articles']} new article(s), {result['duplicates']} republished copies linked, "
              f"{result['analyzed']} analysed")
    return 1 if len(result["sources"]) and all(s["status"] != "ok" for s in result["sources"]) else 0


class _CrawlProgress:
    """A progress bar on stderr while a crawl runs (only on a terminal)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> _CrawlProgress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._progress = Progress(TextColumn("crawling"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                                      console=Console(stderr=True), transient=True)
            self._progress.start()
            self._task = self._progress.add_task("crawl", total=0)
        return self

    def on_event(self, event: dict[str, Any]) -> None:
        if self._progress is None:
            return
        if event.get("event") == "queued":
            self._progress.update(self._task, total=(self._progress.tasks[0].total or 0) + 1)
        elif event.get("event") == "article":
            self._progress.advance(self._task)

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()


def cmd_sources(args: argparse.Namespace) -> int:
    """List the configured sources, each with its last crawl run (none before the first crawl)."""
    from mxwatch.models import db
    from mxwatch.models.queries import last_runs
    from mxwatch.output import print_json, print_table
    from mxwatch.sources import load_sources

    sources = load_sources(args.sources)
    runs: dict[str, dict[str, Any]] = {}
    if db.is_migrated():
        from mxwatch.models.run_leases import reap_interrupted_runs

        reap_interrupted_runs(settings.database_url())
        with db.session_scope() as session:
            runs = last_runs(session, [s["name"] for s in sources])
    rows = [{**source, "last_run": runs.get(source["name"])} for source in sources]
    if args.json:
        print_json(rows)
        return 0
    table = [{"name": r["name"], "kind": r["kind"], "query / url": r.get("query") or r["url"],
              **{k: (r["last_run"] or {}).get(k) for k in ("status", "finished_at", "new", "errors")}}
             for r in rows]
    print_table(f"{len(rows)} source(s)", table, ("name", "kind", "query / url", "status", "finished_at", "new",
                                                   "errors"))
    return 0


def cmd_runs(args: argparse.Namespace) -> int:
    """List the latest crawl runs."""
    from mxwatch.models.queries import crawl_runs
    from mxwatch.models.run_leases import reap_interrupted_runs
    from mxwatch.output import print_json, print_table

    with _session() as session:
        reap_interrupted_runs(settings.database_url())  # a killed crawl's runs show as interrupted, not running
        rows = crawl_runs(session, args.limit)
    if args.json:
        print_json(rows)
    else:
        print_table(f"{len(rows)} crawl run(s)", rows, ("id", "source", "started_at", "status", "requests", "new",
                                                         "duplicates", "skipped", "errors", "message"))
    return 0


def cmd_articles(args: argparse.Namespace) -> int:
    """List stored articles."""
    from mxwatch.models.queries import list_articles
    from mxwatch.output import print_csv, print_json, print_table

    with _session() as session:
        rows = list_articles(session, relevant=True if args.relevant else None, since=args.since)
    if args.json:
        print_json(rows)
    elif args.csv:
        print_csv(rows, ARTICLE_COLUMNS)
    else:
        print_table(f"{len(rows)} article(s)", rows, ("published", "lang", "relevant", "relevance", "title", "url"))
    return 0


def entity_rows(objects: Sequence[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Flatten analysis objects into one row per company, city, state and job count (for CSV and tables)."""
    for obj in objects:
        base = {"url": obj["url"], "title": obj["title"]}
        for c in obj["companies"]:
            yield {**base, "entity": "company", "name": c["name"], "mentions": c["mentions"]}
        for c in obj["cities"]:
            yield {**base, "entity": "city", "name": c["name"], "state": c["state"], "mentions": c["mentions"]}
        for s in obj["states"]:
            yield {**base, "entity": "state", "name": s["name"], "mentions": s["mentions"]}
        for j in obj["job_counts"]:
            yield {**base, "entity": "job_count", **j}


def print_entities(objects: Sequence[dict[str, Any]]) -> None:
    """Entities for people: per article, its companies, places and job counts."""
    from rich.markup import escape

    from mxwatch.output import print_table, stdout_console

    console = stdout_console()
    for obj in objects:
        mark = " (baseline)" if obj.get("is_baseline") else ""
        if obj.get("duplicate_of"):
            mark = f" (republished copy of {obj['duplicate_of']})"
        console.print(f"\n[bold]{escape(obj['title'] or '')}[/bold]{escape(mark)}\n{escape(obj['url'])}  "
                      f"{obj['published'] or ''}  lang={obj['lang']} relevance={obj['relevance']}")
        companies = ", ".join(f"{c['name']} ({c['mentions']})" for c in obj["companies"]) or "-"
        console.print("  companies: " + escape(companies))
        console.print("  cities:    " + escape("; ".join(f"{c['name']}, {c['state']}" for c in obj["cities"]) or "-"))
        console.print("  states:    " + escape(", ".join(s["name"] for s in obj["states"]) or "-"))
        if obj["job_counts"]:
            print_table(None, obj["job_counts"], ("value", "value_max", "approx", "unit", "kind", "company", "city",
                                                  "state", "evidence"), console=console)


def cmd_entities(args: argparse.Namespace) -> int:
    """Print the analysis of stored articles."""
    from mxwatch.models.queries import entities
    from mxwatch.output import print_csv, print_json
    from mxwatch.pipelines.urls import normalize_url

    with _session() as session:
        try:
            article = normalize_url(args.article) if args.article is not None else None
        except ValueError:
            raise UsageError(f"invalid URL {args.article!r}") from None
        objects = entities(session, article, relevant_only=args.relevant)
    if args.article is not None and not objects:
        raise UsageError(f"no analysed article at {args.article}")
    if args.json:
        print_json(objects)
    elif args.csv:
        print_csv(entity_rows(objects), ENTITY_COLUMNS)
    else:
        print_entities(objects)
    return 0


def _check_range(args: argparse.Namespace) -> None:
    if args.since is not None and args.until is not None and args.since >= args.until:
        raise UsageError(f"--since {args.since} must be before --until {args.until}")


def _emit(args: argparse.Namespace, title: str, rows: Sequence[dict[str, Any]], columns: Sequence[str],
          table_columns: Sequence[str] | None = None) -> int:
    """Rows as JSON, CSV or a table, as the options ask."""
    from mxwatch.output import print_csv, print_json, print_table

    if args.json:
        print_json(list(rows))
    elif getattr(args, "csv", False):
        print_csv(rows, columns)
    else:
        print_table(title, rows, table_columns or columns)
    return 0


def cmd_trends(args: argparse.Namespace) -> int:
    """Print a trend, or the top movers between the latest two periods."""
    from mxwatch.models.trend_queries import top_movers, trends

    _check_range(args)
    if args.at is not None and not args.movers:
        raise UsageError("--at goes with --movers")
    if args.movers and (args.since or args.until):
        raise UsageError("--movers compares two periods: use --at, not --since/--until")
    with _session() as session:
        if args.movers:
            rows = top_movers(session, args.metric, args.by, args.period, at=args.at, limit=args.top or 10)
            return _emit(args, f"{args.metric} by {args.by}: top movers, {args.period} on {args.period}", rows,
                         ("key", "previous_period", "previous", "current_period", "current", "change"))
        rows = trends(session, args.metric, args.by, args.period, args.since, args.until, top=args.top)
    return _emit(args, f"{args.metric} by {args.by} per {args.period}", rows, ("period", "key", "value"))


def _figure(j: dict[str, Any] | None) -> str:
    """A job figure for people: ``250-300 workers existing in Guadalajara``."""
    if j is None:
        return "no follow-up figure yet"
    value = f"{j['value']:,}" + (f"-{j['value_max']:,}" if j.get("value_max") else "")
    value += " (approx)" if j.get("approx") else ""
    where = j.get("city") or j.get("state") or ""
    return f"{value} {j['unit']} {j['kind']}" + (f" in {where}" if where else "")


BASELINE_COLUMNS = ("company", "city", "state", "kind", "value", "value_max", "unit", "latest_value",
                    "latest_value_max", "latest_kind", "latest_unit", "latest_city", "latest_state", "published",
                    "url", "title", "evidence", "latest_evidence")


def cmd_baseline(args: argparse.Namespace) -> int:
    """Print the baseline's analysis, or the comparison with the latest follow-ups."""
    from mxwatch.models.queries import baseline, baseline_comparison
    from mxwatch.output import print_csv, print_json

    with _session() as session:
        base = baseline(session)
        if base is None:
            raise MxwatchError("no baseline stored: run 'mxwatch init' first")
        comparison = baseline_comparison(session) if args.compare else None
    if args.compare:
        if args.json:
            print_json(comparison)
            return 0
        if args.csv:
            flat = []
            for c in comparison:
                fact, latest = c["baseline"], c["latest"] or {}
                flat.append({**{k: fact[k] for k in ("company", "city", "state", "kind", "value", "value_max",
                                                      "unit", "evidence")},
                             **{f"latest_{k}": latest.get(k) for k in ("value", "value_max", "kind", "unit", "city",
                                                                      "state", "evidence")},
                             "published": latest.get("published"), "url": latest.get("url"),
                             "title": latest.get("title")})
            print_csv(flat, BASELINE_COLUMNS)
            return 0
        rows = [{"company": c["baseline"]["company"] or c["baseline"]["city"] or c["baseline"]["state"],
                 "2017": _figure(c["baseline"]), "latest": _figure(c["latest"]),
                 "published": (c["latest"] or {}).get("published"), "source": (c["latest"] or {}).get("url")}
                for c in comparison]
        return _emit(args, "baseline (2017) vs latest follow-ups", rows,
                     ("company", "2017", "latest", "published", "source"))
    if args.json:
        print_json(base)
    elif args.csv:
        print_csv(entity_rows([base]), ENTITY_COLUMNS)
    else:
        print_entities([base])
    return 0


def cmd_companies(args: argparse.Namespace) -> int:
    """Top companies, companies new since a date, or one company's timeline."""
    from mxwatch.models.company_queries import company_timeline, new_companies
    from mxwatch.models.trend_queries import top_companies

    _check_range(args)
    if args.company is not None and args.new_since is not None:
        raise UsageError("use --company or --new-since, not both")
    with _session() as session:
        if args.company is not None:
            rows = company_timeline(session, args.company, args.since, args.until)
            if rows is None:
                raise UsageError(f"no company named {args.company!r} (see 'mxwatch companies')")
            if not args.json:
                rows = [{**r, "job_counts": "; ".join(_figure(j) for j in r["job_counts"])} for r in rows]
            return _emit(args, f"{args.company}: {len(rows)} article(s)", rows,
                         ("date", "mentions", "job_counts", "title", "url"))
        if args.new_since is not None:
            if args.since is not None:
                raise UsageError("--new-since takes its own date: drop --since")
            rows = new_companies(session, args.new_since, args.until)
            return _emit(args, f"{len(rows)} compan(ies) first named since {args.new_since}", rows,
                         ("company", "first_seen", "articles", "mentions", "announcements", "jobs", "title", "url"),
                         ("first_seen", "company", "articles", "mentions", "jobs", "url"))
        rows = top_companies(session, args.top, args.since, args.until)
    return _emit(args, "top companies by announced jobs, then mentions", rows,
                 ("company", "jobs", "announcements", "articles", "mentions", "first_seen"))


def cmd_places(args: argparse.Namespace) -> int:
    """Mexican cities and states by announced jobs and mentions."""
    from mxwatch.models.trend_queries import places

    _check_range(args)
    with _session() as session:
        rows = places(session, args.kind, args.since, args.until, args.top)
    return _emit(args, f"{len(rows)} place(s) by announced jobs, then mentions", rows,
                 ("place", "kind", "state", "lat", "lon", "articles", "mentions", "jobs", "announcements"),
                 ("place", "kind", "state", "articles", "mentions", "jobs", "announcements"))


def cmd_jobs(args: argparse.Namespace) -> int:
    """Job figures or announcements, filtered."""
    from mxwatch.models.job_queries import announcements, job_figures

    _check_range(args)
    if args.announcements and args.kind in ("existing", "sector_total"):
        raise UsageError(f"announcements are new or planned jobs, not {args.kind}")
    filters = {"company": args.company, "place": args.place, "city": args.city, "state": args.state,
               "kind": args.kind, "since": args.since, "until": args.until, "limit": args.limit}
    with _session() as session:
        if args.announcements:
            rows = announcements(session, **filters)
            return _emit(args, f"{len(rows)} announcement(s), {sum(r['value'] for r in rows):,} jobs", rows,
                         ("id", "date", "company", "city", "state", "kind", "value", "value_max", "approx", "unit",
                          "reports", "url", "title"),
                         ("date", "company", "city", "state", "kind", "value", "value_max", "unit", "reports", "url"))
        rows = job_figures(session, **filters)
    return _emit(args, f"{len(rows)} job figure(s)", rows,
                 ("date", "company", "city", "state", "kind", "value", "value_max", "approx", "unit",
                  "announcement_id", "url", "title", "evidence"),
                 ("date", "company", "city", "state", "kind", "value", "value_max", "unit", "announcement_id",
                  "evidence"))


def cmd_report(args: argparse.Namespace) -> int:
    """Write the HTML report."""
    from mxwatch.stages import write_report

    result = write_report(out_path=args.out, since=args.since, until=args.until)
    print(f"report written to {result['path']} ({result['bytes'] / 1e6:.1f} MB; {result['articles']} relevant "
          f"article(s), {result['cities']} cities with announced jobs)")
    return 0


COMMANDS = {
    "init": cmd_init, "analyze": cmd_analyze, "crawl": cmd_crawl, "sources": cmd_sources, "runs": cmd_runs,
    "articles": cmd_articles,
    "entities": cmd_entities, "trends": cmd_trends, "baseline": cmd_baseline, "report": cmd_report,
    "companies": cmd_companies, "places": cmd_places, "jobs": cmd_jobs,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``mxwatch`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.error("a COMMAND is required")
    try:
        return COMMANDS[args.command](args)
    except MxwatchError as exc:
        print(f"mxwatch: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("mxwatch: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `mxwatch ... | head`: the reader left; not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # a runtime failure still gets one line, not a traceback
        if os.environ.get("MXWATCH_DEBUG"):
            raise
        from sqlalchemy.exc import OperationalError

        if isinstance(exc, OperationalError):
            print(f"mxwatch: error: database failure: {first_line(exc)}", file=sys.stderr)
        else:
            print(f"mxwatch: error: {type(exc).__name__}: {first_line(exc)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
