"""Politeness and safety against a misbehaving web: Retry-After honoured, 5xx retried with backoff, redirect
loops, huge pages and timeouts recorded, truncated pages and wrong charsets stored sensibly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from sqlalchemy import select

from mxwatch.models import db
from mxwatch.models.tables import Article
from mxwatch.spiders.middlewares import retry_after_seconds
from mxwatch.spiders.runner import run_crawl
from mxwatch.stages import init_database
from tests.fixture_web import XML, FixtureWeb, Route, article_page, rss
from tests.test_crawl_hostile import STORY_A, STORY_B

ES = ["La empresa Kaltwerk abrirá una planta en Querétaro y contratará a 600 personas en el año 2026, informó "
      "su director en la capital del estado.",
      "La compañía eligió el parque industrial de El Marqués por su cercanía con la autopista a la Ciudad de "
      "México y por los ingenieros egresados de las universidades de la región."]

STORY_D = ["Corvid Analytics will double its engineering team in Mexico City to 180 people by the end of next "
           "year, the Austin company said, as it moves support and data work closer to its clients.",
           "The new engineers will work from an office in the Roma neighbourhood that the company leased last "
           "month, and most of them will be hired from local universities, it said."]


def test_retry_after_header_values() -> None:
    now = datetime(2025, 11, 3, 12, 0, tzinfo=UTC)
    assert retry_after_seconds(b"7") == 7.0
    assert retry_after_seconds(format_datetime(now + timedelta(seconds=90), usegmt=True), now) == 90.0
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None


def test_misbehaving_web_ends_in_recorded_outcomes(sqlite_url: str) -> None:
    init_database(sqlite_url, analyze=False)
    html = {"Content-Type": "text/html; charset=utf-8"}
    truncated = article_page("Quantiva grows in Guadalajara", STORY_B)
    routes = {
        "/feed.xml": Route(rss([f"{{base}}/{p}" for p in (
            "limited", "flaky", "loop/a", "huge", "slow", "truncated", "latin1-says-utf8", "utf8-says-latin1",
            "too-long-wait", "reset")]), headers=XML),
        "/reset": Route(reset=True),
        # 429 asking for 2 s, then the page.
        "/limited": [Route(b"slow down", 429, {"Content-Type": "text/plain", "Retry-After": "2"}),
                     Route(article_page("Nubexa picks Monterrey", STORY_A))],
        "/flaky": [Route(b"oops", 500, {"Content-Type": "text/plain"}),
                   Route(article_page("Corvid adds engineers", STORY_D))],
        "/loop/a": Route(b"", 302, {"Location": "{base}/loop/b"}),
        "/loop/b": Route(b"", 302, {"Location": "{base}/loop/a"}),
        "/huge": Route(b"<html><body><p>", headers=html, size=50 * 1024 * 1024),
        "/slow": Route(article_page("Slow", STORY_A), delay=4.0),
        "/truncated": Route(truncated[: truncated.index(b"The company opened") + 40]),
        # Declared UTF-8, written in Windows-1252 (a common CMS misconfiguration), and the reverse.
        "/latin1-says-utf8": Route(article_page("Planta en Querétaro", ES, lang="es").replace(
            b"<meta charset='utf-8'>", b"").decode().encode("cp1252"), headers=html),
        "/utf8-says-latin1": Route(article_page(
            "Inversión en Querétaro", [p.replace("Kaltwerk", "Halcyon") + " Año récord." for p in ES], lang="es",
        ).replace(b"<meta charset='utf-8'>", b""), headers={"Content-Type": "text/html; charset=iso-8859-1"}),
        "/too-long-wait": Route(b"come back tomorrow", 503, {"Content-Type": "text/plain", "Retry-After": "86400"}),
    }
    events: list[dict] = []
    with FixtureWeb(routes) as web:
        summary = run_crawl([{"name": "f", "kind": "feed", "url": f"{web.base_url}/feed.xml"}], sqlite_url,
                            on_event=events.append,
                            scrapy_settings={"DOWNLOAD_TIMEOUT": 1, "RETRY_TIMES": 1,
                                             "MXWATCH_RETRY_BACKOFF_BASE": 0.2})
        limited, flaky = web.times("/limited"), web.paths("/flaky")
        slow_tries, long_wait = web.paths("/slow"), web.paths("/too-long-wait")
    run = summary.sources[0]
    outcome = {e["url"].removeprefix(web.base_url): e for e in events if e.get("event") == "article"}

    assert len(limited) == 2 and limited[1] - limited[0] >= 2.0  # waited as asked, then succeeded
    assert outcome["/limited"]["status"] == "new"
    assert flaky == ["/flaky", "/flaky"] and outcome["/flaky"]["status"] == "new"
    assert outcome["/loop/a"]["status"] == "error" and "redirect" in outcome["/loop/a"]["reason"]
    assert outcome["/huge"]["status"] == "skipped" and "limit" in outcome["/huge"]["reason"]
    assert outcome["/slow"]["status"] == "error" and "took longer" in outcome["/slow"]["reason"]
    assert len(slow_tries) == 2  # retried once, then recorded
    assert long_wait == ["/too-long-wait"] and outcome["/too-long-wait"]["status"] == "error"
    assert outcome["/reset"]["status"] == "error" and "Connection" in outcome["/reset"]["reason"]
    assert run["status"] == "ok" and run["errors"] == 4 and run["skipped"] == 1, run

    with db.session_scope(sqlite_url) as session:
        texts = dict(session.execute(select(Article.fetched_url, Article.text)).all())
    truncated_text = texts[f"{web.base_url}/truncated"]
    assert truncated_text.startswith("Quantiva Labs said it would add 200 developers")
    assert "Querétaro" in texts[f"{web.base_url}/latin1-says-utf8"]
    wrong = texts[f"{web.base_url}/utf8-says-latin1"]
    assert "Querétaro" in wrong and "Año récord" in wrong and "Ã" not in wrong
