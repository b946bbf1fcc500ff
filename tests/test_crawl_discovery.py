"""Discovery beyond feeds and sitemaps: Google News RSS search (redirect links, publisher URLs stored), GDELT
DOC 2.0 (the query the spider sends, paging, spacing), the sources file's kinds, and conditional feed requests
(a feed that has not changed costs one request and fetches no article)."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from mxwatch.errors import UsageError
from mxwatch.models import db
from mxwatch.models.tables import Article, SeenUrl
from mxwatch.sources import load_sources
from mxwatch.spiders.gdelt import search_window
from mxwatch.spiders.google_news import clean_title, decode_article_link
from mxwatch.spiders.runner import run_crawl
from mxwatch.stages import init_database
from tests.fixture_web import JSON, XML, FixtureWeb, Route, article_page, google_news_rss, rss
from tests.test_crawl_hostile import STORY_A, STORY_B

STORY_C = ["Kaltwerk, the German maker of industrial sensors, said it will build a plant in Querétaro that will "
           "employ 600 people when it opens in 2026, its first factory in the Americas.",
           "The company chose the El Marqués industrial park for its access to the highway to Mexico City and to "
           "engineering graduates of the state's universities, its chief executive said."]


def google_article_link(base: str, publisher_url: str) -> str:
    """A Google News article link of the older kind, whose id carries the publisher URL (protobuf, base64)."""
    raw = publisher_url.encode()
    payload = b"\x08\x13\x22" + bytes([len(raw)]) + raw + b"\xd2\x01\x00"
    return f"{base}/rss/articles/{base64.urlsafe_b64encode(payload).decode().rstrip('=')}?oc=5"


@pytest.fixture
def ready_db(sqlite_url: str) -> str:
    init_database(sqlite_url, analyze=False)
    return sqlite_url


def _stored(url: str) -> tuple[set[str], set[str]]:
    with db.session_scope(url) as session:
        articles = set(session.execute(select(Article.url).where(Article.is_baseline.is_(False))).scalars())
        aliases = set(session.execute(select(SeenUrl.url)).scalars())
    return articles, aliases


def _write_sources(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_google_news_link_decoding_and_titles() -> None:
    link = google_article_link("https://news.google.com", "https://www.eleconomista.com.mx/empresas/nota-1")
    assert link.split("/articles/")[1].startswith("CBMi")  # the shape of real links of this kind
    assert decode_article_link(link) == "https://www.eleconomista.com.mx/empresas/nota-1"
    assert decode_article_link("https://news.google.com/rss/articles/AU_yqLNopaque0123?oc=5") is None
    assert decode_article_link("https://news.google.com/rss/articles/") is None
    assert clean_title("Kaltwerk abre planta - El Economista", "El Economista") == "Kaltwerk abre planta"
    assert clean_title("No suffix", "El Economista") == "No suffix"


def test_sources_file_kinds_and_one_line_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MXWATCH_GOOGLE_NEWS_URL", raising=False)
    monkeypatch.delenv("MXWATCH_GDELT_URL", raising=False)
    good = _write_sources(tmp_path, (
        "sources:\n"
        "  - {name: es, kind: google_news, lang: es, query: 'nearshoring tecnología México'}\n"
        "  - {name: en, kind: google_news, lang: en, query: '\"tech company\" Mexico jobs'}\n"
        "  - {name: g, kind: gdelt, query: 'nearshoring Mexico'}\n"
    ))
    es, en, gdelt = load_sources(good)
    assert es["url"] == ("https://news.google.com/rss/search?q=nearshoring+tecnolog%C3%ADa+M%C3%A9xico"
                         "&hl=es-419&gl=MX&ceid=MX:es-419")
    assert en["url"].endswith("&hl=en-US&gl=US&ceid=US:en")
    parts = urlsplit(gdelt["url"])
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://api.gdeltproject.org/api/v2/doc/doc"
    assert parse_qs(parts.query) == {"query": ["nearshoring Mexico"], "mode": ["artlist"], "format": ["json"],
                                     "maxrecords": ["250"], "sort": ["datedesc"]}
    bad = {
        "{name: x, kind: google_news, query: q}": "entry 1 (x): lang must be one of es, en",
        "{name: x, kind: google_news, lang: fr, query: q}": "lang must be one of es, en (got 'fr')",
        "{name: x, kind: gdelt, query: ''}": "entry 1 (x): query must be a non-empty string",
        "{name: x, kind: gdelt, query: q, url: 'https://a.example/'}": "unknown key(s) url for kind gdelt",
        "{name: x, kind: feed, query: q, url: 'https://a.example/'}": "unknown key(s) query for kind feed",
        "{name: x, kind: bing, query: q}": "kind must be one of feed, sitemap, google_news, gdelt",
    }
    for entry, message in bad.items():
        with pytest.raises(UsageError) as caught:
            load_sources(_write_sources(tmp_path, f"sources:\n  - {entry}\n"))
        assert message in str(caught.value) and "\n" not in str(caught.value)


def test_default_sources_cover_feeds_google_news_and_gdelt() -> None:
    sources = load_sources()
    kinds = [s["kind"] for s in sources]
    assert kinds.count("feed") >= 3 and kinds.count("gdelt") == 2
    news = [s for s in sources if s["kind"] == "google_news"]
    assert 4 <= len(news) <= 6 and {s["lang"] for s in news} == {"es", "en"}
    assert all(s["url"].startswith("https://news.google.com/rss/search?q=") for s in news)


def test_google_news_search_stores_publisher_urls_and_never_refetches_google(
        ready_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with FixtureWeb() as google, FixtureWeb() as publisher:
        pub = publisher.base_url
        publisher.routes.update({
            "/empresas/kaltwerk": Route(article_page("Kaltwerk abre planta en Querétaro", STORY_C)),
            "/tech/nubexa": Route(article_page("Nubexa picks Monterrey", STORY_A)),
            "/home": Route(article_page("Publisher home", ["Welcome to our site. " * 10])),
        })
        decodable = google_article_link(google.base_url, f"{pub}/empresas/kaltwerk")
        google.routes.update({
            "/rss/search": Route(google_news_rss([
                (decodable, "Kaltwerk abre planta en Querétaro", "El Diario", pub),
                (f"{google.base_url}/rss/articles/AU_yqLopaque1?oc=5", "Nubexa picks Monterrey", "Wire", pub),
                (f"{google.base_url}/rss/articles/AU_yqLnoredirect?oc=5", "Consent page", "Wire", pub),
            ]), headers=XML),
            "/rss/articles/AU_yqLopaque1": Route(b"", 302, {"Location": f"{pub}/tech/nubexa"}),
            "/rss/articles/AU_yqLnoredirect": Route(article_page("Google News", ["Opening the article. " * 20])),
        })
        monkeypatch.setenv("MXWATCH_GOOGLE_NEWS_URL", f"{google.base_url}/rss/search")
        sources = load_sources(_write_sources(tmp_path, (
            "sources:\n  - {name: gnews, kind: google_news, lang: es, query: 'nearshoring empleos'}\n")))
        summary = run_crawl(sources, ready_db)
        run = summary.sources[0]
        assert run["status"] == "ok" and run["new_articles"] == 2 and run["errors"] == 0, run
        assert run["skipped"] == 1  # the link that stayed on Google
        search = google.paths("/rss/search")[0]
        assert parse_qs(urlsplit(search).query) == {"q": ["nearshoring empleos"], "hl": ["es-419"], "gl": ["MX"],
                                                    "ceid": ["MX:es-419"]}
        articles, aliases = _stored(ready_db)
        assert articles == {f"{pub}/empresas/kaltwerk", f"{pub}/tech/nubexa"}  # the publishers' URLs
        assert {decodable, f"{google.base_url}/rss/articles/AU_yqLopaque1?oc=5"} <= aliases
        assert google.paths(decodable.removeprefix(google.base_url)) == []  # its id carried the publisher URL
        with db.session_scope(ready_db) as session:
            titles = set(session.execute(select(Article.title).where(Article.is_baseline.is_(False))).scalars())
        assert "Kaltwerk abre planta en Querétaro" in titles

        google.requested.clear()
        publisher.requested.clear()
        again = run_crawl(sources, ready_db).sources[0]
        assert again["new_articles"] == 0
        assert google.paths("/rss/articles/AU_yqLopaque1") == []  # the Google URL is an alias now
        assert publisher.paths("/empresas/") == [] and publisher.paths("/tech/") == []


def _gdelt_record(url: str, seen: datetime, title: str = "t") -> dict:
    return {"url": url, "url_mobile": "", "title": title, "seendate": f"{seen:%Y%m%dT%H%M%SZ}",
            "socialimage": "", "domain": "x", "language": "English", "sourcecountry": "Mexico"}


def test_gdelt_search_window_paging_and_spacing(ready_db: str, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    not_before, not_after = datetime(2025, 10, 1, tzinfo=UTC), datetime(2025, 11, 1, tzinfo=UTC)
    with FixtureWeb() as web:
        base = web.base_url
        # Page 1 is full (250 records): 248 are too new for this run's window (skipped, never fetched), two are
        # stories; the oldest one, seen on 10 October, is where the next page must end.
        too_new = [_gdelt_record(f"{base}/later/{i}", datetime(2025, 11, 2, tzinfo=UTC)) for i in range(248)]
        page1 = too_new + [_gdelt_record(f"{base}/a", datetime(2025, 10, 20, 9, 15, tzinfo=UTC), "Nubexa"),
                           _gdelt_record(f"{base}/b", datetime(2025, 10, 10, 6, 30, tzinfo=UTC), "Quantiva")]
        page2 = [_gdelt_record(f"{base}/c", datetime(2025, 10, 5, tzinfo=UTC), "Kaltwerk")]
        web.routes.update({
            "/api/v2/doc/doc": [Route(json.dumps({"articles": page1}).encode(), headers=JSON),
                                Route(json.dumps({"articles": page2}).encode(), headers=JSON)],
            "/a": Route(article_page("Nubexa picks Monterrey", STORY_A)),
            "/b": Route(article_page("Quantiva grows in Guadalajara", STORY_B)),
            "/c": Route(article_page("Kaltwerk abre planta en Querétaro", STORY_C)),
        })
        monkeypatch.setenv("MXWATCH_GDELT_URL", f"{base}/api/v2/doc/doc")
        sources = load_sources(_write_sources(tmp_path, "sources:\n  - {name: g, kind: gdelt, query: 'Mexico jobs'}\n"))
        run = run_crawl(sources, ready_db, not_before=not_before, not_after=not_after).sources[0]
        calls = [parse_qs(urlsplit(p).query) for p in web.paths("/api/")]
        times = web.times("/api/")
        assert web.paths("/later/") == []
    assert run["status"] == "ok" and run["new_articles"] == 3 and run["errors"] == 0, run
    assert len(calls) == 2
    assert calls[0]["query"] == ["Mexico jobs"] and calls[0]["maxrecords"] == ["250"]
    assert calls[0]["mode"] == ["artlist"] and calls[0]["format"] == ["json"]
    assert calls[0]["startdatetime"] == ["20251001000000"] and calls[0]["enddatetime"] == ["20251101000000"]
    assert calls[1]["startdatetime"] == ["20251001000000"] and calls[1]["enddatetime"] == ["20251010063000"]
    assert times[1] - times[0] >= 5.0  # one call per 5 seconds
    with db.session_scope(ready_db) as session:
        published = dict(session.execute(select(Article.url, Article.published)).all())
    assert db.as_utc(published[f"{base}/a"]) == datetime(2025, 10, 20, 9, 15, tzinfo=UTC)  # seendate as a hint


def test_gdelt_window_is_capped_at_three_months_and_errors_are_recorded(
        ready_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    now = datetime(2025, 11, 1, tzinfo=UTC)
    assert search_window(datetime(2017, 10, 19, tzinfo=UTC), None, now) == (datetime(2025, 8, 3, tzinfo=UTC), now)
    assert search_window(None, datetime(2030, 1, 1, tzinfo=UTC), now)[1] == now  # never into the future
    with FixtureWeb({"/api": Route(b"Invalid query: the specified phrase is too short.\n",
                                   headers={"Content-Type": "text/plain"})}) as web:
        monkeypatch.setenv("MXWATCH_GDELT_URL", f"{web.base_url}/api")
        sources = load_sources(_write_sources(tmp_path, "sources:\n  - {name: g, kind: gdelt, query: 'a'}\n"))
        run = run_crawl(sources, ready_db, not_before=datetime(2017, 10, 19, tzinfo=UTC)).sources[0]
        sent = parse_qs(urlsplit(web.paths("/api")[0]).query)
    start = datetime.strptime(sent["startdatetime"][0], "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    end = datetime.strptime(sent["enddatetime"][0], "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    assert (end - start).days == 90
    assert run["status"] == "failed" and "Invalid query" in run["message"]


def test_unchanged_feed_is_one_conditional_request(ready_db: str) -> None:
    routes = {
        "/feed.xml": Route(rss(["{base}/a", "{base}/b"]), headers=XML, etag='"v1"'),
        "/a": Route(article_page("Nubexa picks Monterrey", STORY_A)),
        "/b": Route(article_page("Quantiva grows in Guadalajara", STORY_B)),
    }
    with FixtureWeb(routes) as web:
        source = {"name": "f", "kind": "feed", "url": f"{web.base_url}/feed.xml"}
        assert run_crawl([source], ready_db).total("new_articles") == 2
        assert [h.headers.get("If-None-Match") for h in web.hits if h.path == "/feed.xml"] == [None]
        web.requested.clear()
        web.hits.clear()
        again = run_crawl([source], ready_db).sources[0]
        feed_hits = [h for h in web.hits if h.path == "/feed.xml"]
        assert [h.headers.get("If-None-Match") for h in feed_hits] == ['"v1"']
        assert again["status"] == "ok" and again["new_articles"] == 0 and again["errors"] == 0
        assert "not modified" in again["message"]
        assert web.paths("/a") == [] and web.paths("/b") == []

        # The feed changes: a full read again, and only the new article is fetched.
        web.routes["/feed.xml"] = Route(rss(["{base}/a", "{base}/b", "{base}/c"]), headers=XML, etag='"v2"')
        web.routes["/c"] = Route(article_page("Kaltwerk abre planta en Querétaro", STORY_C))
        web.requested.clear()
        third = run_crawl([source], ready_db).sources[0]
        assert third["new_articles"] == 1 and web.paths("/a") == [] and web.paths("/c") == ["/c"]


def test_feed_read_with_a_failed_article_is_read_in_full_next_time(ready_db: str) -> None:
    routes = {
        "/feed.xml": Route(rss(["{base}/a", "{base}/gone"]), headers=XML, etag='"v1"'),
        "/a": Route(article_page("Nubexa picks Monterrey", STORY_A)),
    }
    with FixtureWeb(routes) as web:
        source = {"name": "f", "kind": "feed", "url": f"{web.base_url}/feed.xml"}
        first = run_crawl([source], ready_db).sources[0]
        assert first["errors"] == 1  # /gone is a 404
        web.routes["/gone"] = Route(article_page("Quantiva grows in Guadalajara", STORY_B))  # back online
        web.hits.clear()
        second = run_crawl([source], ready_db).sources[0]
        assert [h.headers.get("If-None-Match") for h in web.hits if h.path == "/feed.xml"] == [None]
        assert second["new_articles"] == 1  # the article that failed is retried


def test_backfill_window_reads_the_feed_again(ready_db: str) -> None:
    """Items too new for a run's window must be seen by a later run, so that run's read is not remembered."""
    feed = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>'
            b"<item><title>a</title><link>{base}/a</link><pubDate>Mon, 06 Oct 2025 10:00:00 GMT</pubDate></item>"
            b"<item><title>b</title><link>{base}/b</link><pubDate>Mon, 13 Oct 2025 10:00:00 GMT</pubDate></item>"
            b"</channel></rss>")
    routes = {"/feed.xml": Route(feed, headers=XML, etag='"v1"'),
              "/a": Route(article_page("Nubexa picks Monterrey", STORY_A)),
              "/b": Route(article_page("Quantiva grows in Guadalajara", STORY_B))}
    with FixtureWeb(routes) as web:
        source = {"name": "f", "kind": "feed", "url": f"{web.base_url}/feed.xml"}
        first = run_crawl([source], ready_db, not_after=datetime(2025, 10, 10, tzinfo=UTC)).sources[0]
        second = run_crawl([source], ready_db, not_after=datetime(2025, 10, 20, tzinfo=UTC)).sources[0]
        third = run_crawl([source], ready_db, not_after=datetime(2025, 10, 21, tzinfo=UTC)).sources[0]
        inm = [h.headers.get("If-None-Match") for h in web.hits if h.path == "/feed.xml"]
    assert (first["new_articles"], second["new_articles"], third["new_articles"]) == (1, 1, 0)
    assert inm == [None, None, '"v1"']
