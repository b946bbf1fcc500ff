"""The HTML report: self-contained, rendered for real in headless Chromium (Debian's, see `make chromium`).

The database is the query tests' small fixture, stored through the real storage functions. Chromium runs with
every request sent to a recording proxy on 127.0.0.1, so a fetch the page attempts (a CDN's script or base map)
is seen, and fails, as it would on a machine with no network.
"""

from __future__ import annotations

import re
import shutil
import socketserver
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from mxwatch.models import db
from mxwatch.models.queries import baseline_comparison, jobs_by_city, top_companies, trends
from mxwatch.report import mexico_states, write_report
from tests import queries_fixture

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars", "--window-size=1280,2600"]


# Chromium's own service calls (update checks, network time) that the brief's flags do not silence; they go to
# Google's service hosts, which the report never uses. Every other request counts as the page's.
BROWSER_SERVICES = re.compile(r"^(?:CONNECT |[A-Z]+ http://)[^/ :]*\.(?:google\.com|googleapis\.com|gvt1\.com)[:/ ]")


class _RecordingProxy(socketserver.ThreadingTCPServer):
    """An HTTP proxy that records each request line (GET http://..., CONNECT host:443) and refuses it."""

    @property
    def page_requests(self) -> list[str]:
        """The requests that did not come from Chromium's own services."""
        return [r for r in self.requests if not BROWSER_SERVICES.match(r)]

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        self.requests: list[str] = []
        proxy = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                line = self.rfile.readline(4096).decode("latin-1").strip()
                if line:
                    proxy.requests.append(line)
                self.wfile.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

        super().__init__(("127.0.0.1", 0), Handler)


@pytest.fixture
def proxy() -> Iterator[_RecordingProxy]:
    server = _RecordingProxy()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def chromium(page: Path, proxy: _RecordingProxy, tmp_path: Path, *action: str) -> subprocess.CompletedProcess:
    """Open ``page`` in headless Chromium with the brief's flags, a fresh profile and every request going to
    ``proxy``; ``action`` is --dump-dom or --screenshot=FILE."""
    binary = shutil.which("chromium")
    if binary is None:
        pytest.fail("Debian's chromium is required for the report tests: run 'make chromium' (as root)")
    profile = tmp_path / f"chromium-profile-{len(list(tmp_path.glob('chromium-profile-*')))}"
    command = [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
               f"--proxy-server=http://127.0.0.1:{proxy.server_address[1]}", "--proxy-bypass-list=<-loopback>",
               "--virtual-time-budget=15000", *action, page.as_uri()]
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=True)


@pytest.fixture
def report_db(sqlite_url: str) -> str:
    queries_fixture.build(sqlite_url)
    return sqlite_url


def expected(database_url: str) -> dict:
    """What the page must show, from the same query functions."""
    with db.session_scope(database_url) as session:
        by_state = trends(session, "jobs", "state", "year")
        return {
            "states": {row["key"] for row in by_state},
            "years": sorted({int(row["period"]) for row in by_state}),
            "companies": [c["company"] for c in top_companies(session, limit=12)],
            "cities": [c for c in jobs_by_city(session) if c["jobs"] > 0],
            "baseline": baseline_comparison(session),
        }


def test_report_is_one_file_that_fetches_nothing(db_url: str, tmp_path: Path) -> None:
    queries_fixture.build(db_url)
    out = tmp_path / "report.html"
    result = write_report(out, db_url)
    want = expected(db_url)
    assert result["path"] == str(out) and result["bytes"] == out.stat().st_size
    assert result["cities"] == len(want["cities"]) and result["baseline_facts"] == len(want["baseline"])
    soup = BeautifulSoup(out.read_text(encoding="utf-8"), "html.parser")
    # Nothing a browser would load from elsewhere: scripts, styles, images, frames, CSS imports or url()s.
    assert [s for s in soup.find_all("script") if s.get("src")] == []
    assert soup.find_all("link") == [] and soup.find_all(["img", "iframe", "object", "embed"]) == []
    styles = " ".join(s.get_text() for s in soup.find_all("style"))
    assert "@import" not in styles and "url(" not in styles
    scripts = [s.get_text() for s in soup.find_all("script")]
    assert any("plotly.js v" in s[:200] for s in scripts)  # the library itself, inline
    assert any('PlotlyGeoAssets = {topojson: {"north-america_110m":' in s for s in scripts)
    # The only external URLs are links a reader may follow: the follow-up articles.
    links = {a["href"] for a in soup.find_all("a")}
    assert links == {row["latest"]["url"] for row in want["baseline"] if row["latest"]}
    assert not list(tmp_path.glob(".report.html.*"))  # the temporary file was renamed, not left behind


def test_report_renders_in_chromium(report_db: str, tmp_path: Path, proxy: _RecordingProxy) -> None:
    out = tmp_path / "report.html"
    write_report(out, report_db)
    want = expected(report_db)
    assert want["cities"] and want["states"] and want["companies"]  # the fixture has something to draw
    dom = BeautifulSoup(chromium(out, proxy, tmp_path, "--dump-dom").stdout, "html.parser")
    assert proxy.page_requests == [], proxy.requests  # opened with no network: nothing was fetched

    def chart(div_id: str) -> BeautifulSoup:
        div = dom.find(id=div_id)
        assert div is not None and div.select(".main-svg"), f"{div_id} was not drawn by plotly.js"
        return div

    jobs = chart("chart-jobs-by-state")
    assert {t.get_text() for t in jobs.select(".legendtext")} == want["states"]  # one series per state
    assert [p for p in jobs.select(".barlayer .point path") if p.get("d", "M0,0Z") != "M0,0Z"]
    first, last = want["years"][0], want["years"][-1]  # the fixture spans 2017 to 2024: shown per year
    assert last - first > 3 and [t.get_text() for t in jobs.select(".xtick text")] == [
        str(y) for y in range(first, last + 1)]  # years without announcements keep their place on the axis

    companies = chart("chart-top-companies")
    assert {t.get_text() for t in companies.select(".ytick text")} == set(want["companies"])

    geo = chart("chart-map")
    # The base map came from the embedded TopoJSON: land and country borders have outlines.
    for layer in ("land", "countries"):
        paths = geo.select(f".geo .layer.{layer} path, .geo g.{layer} path")
        assert paths and all(len(p.get("d", "")) > 100 for p in paths), f"no {layer} drawn"
    # Mexico's 32 states (embedded GeoJSON) and one bubble per city with announced jobs.
    states = geo.select("path.choroplethlocation")
    assert len(states) == len(mexico_states()["features"]) == 32
    assert all(len(p.get("d", "")) > 20 for p in states)
    bubbles = geo.select("g.trace.scattergeo path.point")
    assert len(bubbles) == len(want["cities"]) and {"Guadalajara", "Monterrey"} <= {c["city"] for c in want["cities"]}
    # Bubble area is proportional to jobs: radii (in plotly's path "M<r>,0A...") squared keep the jobs' ratio.
    radii = [float(re.match(r"M([\d.]+),0A", b["d"]).group(1)) for b in bubbles]
    jobs = [c["jobs"] for c in want["cities"]]
    assert max(radii) ** 2 / min(radii) ** 2 == pytest.approx(max(jobs) / min(jobs), rel=0.03)

    rows = dom.select("table.baseline tbody tr")
    assert len(rows) == len(want["baseline"]) == 3
    wizeline = next(r for r in rows if r.td.get_text() == "Wizeline")
    cells = [td.get_text(" ", strip=True) for td in wizeline.find_all("td")]
    assert cells[1].startswith("260 employees") and cells[2].startswith("1,200 employees")  # 2017 vs latest
    assert cells[4] == "2024-02-05" and wizeline.a["href"] == "https://a.example/wizeline-beta"


def test_map_without_embedded_base_map_fails_to_draw(report_db: str, tmp_path: Path, proxy: _RecordingProxy) -> None:
    """The control for the test above: without the embedded base map plotly.js fetches one from its CDN, and
    here (no network) draws no map at all. So the assertions above do detect a map that did not load."""
    out = tmp_path / "report.html"
    write_report(out, report_db)
    page = out.read_text(encoding="utf-8")
    stripped, replaced = re.subn(r'window\.PlotlyGeoAssets = \{topojson: \{"north-america_110m":.*?\}\};</script>',
                                 "</script>", page, count=1, flags=re.S)
    assert replaced == 1
    out.write_text(stripped, encoding="utf-8")
    dom = BeautifulSoup(chromium(out, proxy, tmp_path, "--dump-dom").stdout, "html.parser")
    assert any("cdn.plot.ly" in line for line in proxy.page_requests)  # it tried to fetch the base map
    geo = dom.find(id="chart-map")
    assert geo.select("path.choroplethlocation") == [] and geo.select("g.trace.scattergeo path.point") == []
    assert dom.find(id="chart-jobs-by-state").select(".main-svg")  # the other charts are unaffected


def test_screenshot_is_a_picture(report_db: str, tmp_path: Path, proxy: _RecordingProxy) -> None:
    out = tmp_path / "report.html"
    write_report(out, report_db)
    shot = tmp_path / "report.png"
    chromium(out, proxy, tmp_path, f"--screenshot={shot}")
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000  # a drawn page, not a blank one
    assert proxy.page_requests == [], proxy.requests


def test_report_for_an_empty_range_still_renders(report_db: str, tmp_path: Path, proxy: _RecordingProxy) -> None:
    from datetime import date

    out = tmp_path / "report.html"
    result = write_report(out, report_db, since=date(2030, 1, 1))
    assert result["cities"] == 0 and result["companies"] == 0
    dom = BeautifulSoup(chromium(out, proxy, tmp_path, "--dump-dom").stdout, "html.parser")
    assert "no announced jobs in this range" in dom.find(id="chart-jobs-by-state").get_text()
    geo = dom.find(id="chart-map")
    assert len(geo.select("path.choroplethlocation")) == 32 and geo.select("g.trace.scattergeo path.point") == []


# ---- the command line ------------------------------------------------------------------------------------------

def test_cli_report_writes_the_file(cli, report_db: str, tmp_path: Path) -> None:
    out = tmp_path / "out" / "r.html"
    out.parent.mkdir()
    result = cli("report", "--out", str(out), "--since", "2024-01-01", "--until", "2025-01-01",
                 database_url=report_db)
    assert result.code == 0, result.stderr
    assert str(out) in result.stdout and out.stat().st_size > 1_000_000
    assert "from 2024-01-01 to 2025-01-01" in out.read_text(encoding="utf-8")
    default = cli("report", database_url=report_db, env={"MXWATCH_REPORT": ""})
    assert default.code == 0 and (tmp_path / "home" / "report.html").exists()


@pytest.mark.parametrize(("args", "message"), [
    (["--out", "{tmp}/missing/r.html"], "no such directory"),
    (["--out", "{tmp}"], "is a directory"),
    (["--out", "/proc/r.html"], "cannot write /proc/r.html"),
    (["--since", "2024-02-30"], "invalid date"),
    (["--since", "2024-03-01", "--until", "2024-03-01"], "is not before"),
])
def test_cli_report_bad_input(cli, report_db: str, tmp_path: Path, args: list[str], message: str) -> None:
    existing = tmp_path / "keep.html"
    existing.write_text("previous report")
    result = cli("report", *[a.format(tmp=tmp_path) for a in args], database_url=report_db,
                 env={"MXWATCH_REPORT": str(existing)})
    assert result.code == 2 and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert existing.read_text() == "previous report"  # nothing overwritten
    assert not [p for p in tmp_path.rglob(".*.tmp")]  # no half-written file left


def test_cli_report_before_init_is_a_runtime_error(cli, tmp_path: Path) -> None:
    result = cli("report", "--out", str(tmp_path / "r.html"), database_url=f"sqlite:///{tmp_path / 'new.db'}")
    assert result.code == 1 and "mxwatch init" in result.stderr and not (tmp_path / "r.html").exists()


def test_hostile_names_stay_text(report_db: str, tmp_path: Path, proxy: _RecordingProxy) -> None:
    """Company names, titles and sentences come from the web: the page shows them, never runs them."""
    from datetime import UTC, datetime

    from mxwatch.models import store
    from mxwatch.models.queries import refresh_trends
    from mxwatch.models.tables import Article

    company = '<img src=x onerror="document.title=1">Evil Co'
    title = "</script><script>document.body.dataset.pwned = 1</script>"
    with db.session_scope(report_db) as session:
        result = store.store_article(session, store.NewArticle(
            url="https://evil.example/story?a=1&b=<2>", text=queries_fixture._text("hostile"), title=title,
            published=datetime(2025, 5, 1, tzinfo=UTC)), store.load_duplicate_index(session))
        jobs = [queries_fixture.job(9000, "new", company, queries_fixture.GDL),
                {**queries_fixture.job(2000, "existing", "Wizeline", queries_fixture.CDMX, unit="employees"),
                 "evidence": "<b>Wizeline</b> now has 2,000 employees <script>x()</script>"}]
        store.save_analysis(session, session.get(Article, result.article_id),
                            queries_fixture.analysis({company: 2, "Wizeline": 1}, jobs=jobs), store.EntityCache())
        session.commit()
        refresh_trends(session)
    out = tmp_path / "report.html"
    write_report(out, report_db)
    page = BeautifulSoup(out.read_text(encoding="utf-8"), "html.parser")
    assert page.find_all("img") == [] and page.find_all("b") == []
    dom = BeautifulSoup(chromium(out, proxy, tmp_path, "--dump-dom").stdout, "html.parser")
    assert dom.body.get("data-pwned") is None and dom.find_all("img") == []
    assert dom.title.get_text() == "mxwatch report"
    assert company in {t.get_text() for t in dom.find(id="chart-top-companies").select(".ytick text")}
    wizeline = next(r for r in dom.select("table.baseline tbody tr") if r.td.get_text() == "Wizeline")
    assert title in wizeline.get_text() and "<script>x()</script>" in wizeline.get_text()
    assert wizeline.a["href"] == "https://evil.example/story?a=1&b=<2>"
