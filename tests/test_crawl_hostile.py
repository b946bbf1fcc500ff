"""Crawls against a web that misbehaves: every failure ends as a recorded error or skip, nothing is lost or
stored twice, and nothing stored is fetched again."""

from __future__ import annotations

import gzip
import threading
import time

import pytest
from sqlalchemy import select

from mxwatch.models import db
from mxwatch.models.run_leases import reap_interrupted_runs
from mxwatch.models.tables import Article, CrawlRun, SeenUrl
from mxwatch.spiders.runner import run_crawl
from mxwatch.stages import analyze_pending, init_database
from tests.fixture_web import XML, FixtureWeb, Route, article_page, rss

STORY_A = ["Nubexa Systems will open an engineering hub in Monterrey, Nuevo León, and hire 350 engineers over the "
           "next two years, the Seattle software company said on Monday.",
           "The hub will build cloud billing software for customers in the United States and Latin America, and "
           "is Nubexa's first office outside the United States. It will open in a tower in San Pedro."]
STORY_B = ["Quantiva Labs said it would add 200 developers at its Guadalajara office this year as demand for its "
           "data platform grows among retailers across Latin America.",
           "The company opened the office in 2021 with a team of 40 and now employs 310 people in Jalisco, most "
           "of them engineers who work on its analytics products for banks and airlines."]


def copy_links(db_url: str, base: str) -> tuple[dict[str, int], dict[str, int | None]]:
    """Stored crawled articles by path: their ids, and the id each one is a copy of (None for an original)."""
    with db.session_scope(db_url) as session:
        rows = session.execute(select(Article.id, Article.url, Article.duplicate_of_id)
                               .where(Article.is_baseline.is_(False))).all()
    ids = {url.removeprefix(base): article_id for article_id, url, _ in rows}
    links = {url.removeprefix(base): dup for _, url, dup in rows}
    return ids, links


def _urls(url: str) -> list[str]:
    with db.session_scope(url) as session:
        return sorted(session.execute(select(Article.url)).scalars())


@pytest.fixture
def ready_db(sqlite_url: str) -> str:
    init_database(sqlite_url, analyze=False)
    return sqlite_url


def test_canonical_at_site_root_does_not_merge_articles(ready_db: str) -> None:
    routes = {
        "/feed.xml": Route(rss(["{base}/a", "{base}/b"]), headers=XML),
        "/a": Route(article_page("Nubexa picks Monterrey", STORY_A, canonical="{base}/")),
        "/b": Route(article_page("Quantiva grows in Guadalajara", STORY_B, canonical="{base}/")),
    }
    with FixtureWeb(routes) as web:
        summary = run_crawl([{"name": "f", "kind": "feed", "url": f"{web.base_url}/feed.xml"}], ready_db)
        assert summary.total("new_articles") == 2
        assert {f"{web.base_url}/a", f"{web.base_url}/b"} <= set(_urls(ready_db))


def test_redirected_links_are_remembered_and_not_fetched_again(ready_db: str) -> None:
    routes = {
        "/feed.xml": Route(rss(["{base}/go/1?utm_source=rss"]), headers=XML),
        "/go/1?utm_source=rss": Route(b"", 301, {"Location": "{base}/story/1"}),
        "/story/1": Route(article_page("Nubexa picks Monterrey", STORY_A)),
    }
    with FixtureWeb(routes) as web:
        source = {"name": "f", "kind": "feed", "url": f"{web.base_url}/feed.xml"}
        assert run_crawl([source], ready_db).total("new_articles") == 1
        with db.session_scope(ready_db) as session:
            aliases = set(session.execute(select(SeenUrl.url)).scalars())
        assert f"{web.base_url}/go/1" in aliases  # tracking parameters dropped, the pre-redirect link kept
        web.requested.clear()
        again = run_crawl([source], ready_db)
        assert again.total("new_articles") == 0
        assert web.paths("/go/") == [] and web.paths("/story/") == []


def test_bad_entries_and_unreadable_listings_are_recorded(ready_db: str) -> None:
    routes = {
        "/badlink.xml": Route(rss(["http://a.example:abc/x", "{base}/story/2"]), headers=XML),
        "/story/2": Route(article_page("Quantiva grows in Guadalajara", STORY_B)),
        "/html-sitemap.xml": Route(b"<html><body>Sitemap moved</body></html>"),
        "/badgz.xml": Route(b"\x1f\x8b\x08\x00garbage", headers={"Content-Type": "application/x-gzip"}),
        "/bomb.xml": Route(b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;'
                           b'&a;&a;&a;&a;&a;&a;">]><rss><channel><item><link>&b;</link></item></channel></rss>',
                           headers=XML),
        "/gzbomb.xml": Route(gzip.compress(b"<urlset>" + b" " * (12 * 1024 * 1024) + b"</urlset>"),
                             headers={"Content-Type": "application/x-gzip"}),
    }
    with FixtureWeb(routes) as web:
        summary = run_crawl([
            {"name": "badlink", "kind": "feed", "url": f"{web.base_url}/badlink.xml"},
            {"name": "html", "kind": "sitemap", "url": f"{web.base_url}/html-sitemap.xml"},
            {"name": "badgz", "kind": "sitemap", "url": f"{web.base_url}/badgz.xml"},
            {"name": "bomb", "kind": "feed", "url": f"{web.base_url}/bomb.xml"},
            {"name": "gzbomb", "kind": "sitemap", "url": f"{web.base_url}/gzbomb.xml"},
        ], ready_db)
    runs = {s["source"]: s for s in summary.sources}
    assert runs["badlink"]["status"] == "ok" and runs["badlink"]["new_articles"] == 1
    assert runs["badlink"]["skipped"] == 1  # the malformed link, not the entries after it
    for name in ("html", "badgz", "bomb", "gzbomb"):
        assert runs[name]["status"] == "failed", runs[name]
        assert runs[name]["message"]
    assert "unsafe XML" in runs["bomb"]["message"]
    with db.session_scope(ready_db) as session:
        recorded = dict(session.execute(select(CrawlRun.id, CrawlRun.status)).all())
    assert sorted(recorded.values()) == ["failed", "failed", "failed", "failed", "ok"]


def test_huge_article_does_not_block_the_queue(ready_db: str) -> None:
    huge = article_page("Nubexa picks Monterrey", STORY_A * 4000)  # ~1.6 MB of text: over spaCy's limit
    routes = {
        "/feed.xml": Route(rss(["{base}/huge", "{base}/story/2"]), headers=XML),
        "/huge": Route(huge),
        "/story/2": Route(article_page("Quantiva grows in Guadalajara", STORY_B)),
    }
    with FixtureWeb(routes) as web:
        run_crawl([{"name": "f", "kind": "feed", "url": f"{web.base_url}/feed.xml"}], ready_db)
    assert analyze_pending(ready_db) == 3  # the baseline, the huge page, the normal story
    with db.session_scope(ready_db) as session:
        pending = session.execute(select(Article.id).where(Article.analyzed_at.is_(None))).all()
        relevant = session.execute(select(Article.url, Article.relevant)).all()
    assert pending == []
    assert all(flag is True for _, flag in relevant)


def test_concurrent_crawls_link_a_near_copy_once(db_url: str) -> None:
    init_database(db_url, analyze=False)
    copy = ["(Wire) - " + STORY_A[0], STORY_A[1] + " Shares rose 2% in early trading."]
    routes = {
        "/fa.xml": Route(rss(["{base}/story/1"]), headers=XML),
        "/fb.xml": Route(rss(["{base}/copy/1"]), headers=XML),
        "/story/1": Route(article_page("Nubexa picks Monterrey", STORY_A * 3)),
        "/copy/1": Route(article_page("Nubexa picks Monterrey for hub", copy * 3)),
    }
    with FixtureWeb(routes) as web:
        results: dict[str, object] = {}

        def crawl(name: str) -> None:
            results[name] = run_crawl([{"name": name, "kind": "feed", "url": f"{web.base_url}/{name}.xml"}], db_url)

        threads = [threading.Thread(target=crawl, args=(n,)) for n in ("fa", "fb")]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
    with db.session_scope(db_url) as session:
        rows = session.execute(select(Article.url, Article.duplicate_of_id).where(Article.is_baseline.is_(False)))
        links = sorted(dup is None for _, dup in rows)
    assert links == [False, True]  # one original, one copy linked to it


def test_concurrent_crawls_of_the_same_sources_store_each_article_once(db_url: str) -> None:
    """Two crawls of the same feed and sitemap at once (two cron runs overlapping): every article is stored once
    and counted new once; while they run, their runs are live and are not taken for killed ones."""
    init_database(db_url, analyze=False)
    paths = [f"/story/{n}" for n in range(8)]
    routes = {
        "/feed.xml": Route(rss([f"{{base}}{p}" for p in paths]), headers=XML),
        "/sitemap.xml": Route(b'<?xml version="1.0"?><urlset>' + b"".join(
            b"<url><loc>{base}%s</loc></url>" % p.encode() for p in reversed(paths)) + b"</urlset>", headers=XML),
        **{p: Route(article_page(f"Story {n}", [f"Story number {n}: {s}" for s in (STORY_A if n % 2 else STORY_B)]
                                 + [f"Filed as item {n * 7919} of the series."]), delay=0.3)
           for n, p in enumerate(paths)},
    }
    sources = [{"name": "f", "kind": "feed", "url": "{base}/feed.xml"},
               {"name": "s", "kind": "sitemap", "url": "{base}/sitemap.xml"}]
    with FixtureWeb(routes) as web:
        sources = [{**s, "url": s["url"].replace("{base}", web.base_url)} for s in sources]
        results: list[object] = []
        threads = [threading.Thread(target=lambda: results.append(run_crawl(sources, db_url))) for _ in range(2)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 60
        while not _running_runs(db_url) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _running_runs(db_url)
        assert reap_interrupted_runs(db_url) == 0  # live crawls hold their runs' leases
        for t in threads:
            t.join(180)
    assert len(results) == 2
    with db.session_scope(db_url) as session:
        stored = session.execute(select(Article.fetched_url).where(Article.is_baseline.is_(False))).scalars().all()
        statuses = session.execute(select(CrawlRun.status)).scalars().all()
    assert sorted(stored) == sorted(web.base_url + p for p in paths)
    assert statuses == ["ok"] * 4
    counted = sum(r.total("new_articles") + r.total("duplicates") for r in results)  # type: ignore[attr-defined]
    assert counted == len(paths)  # each article counted as stored by exactly one crawl


def _running_runs(url: str) -> list[int]:
    with db.session_scope(url) as session:
        return list(session.execute(select(CrawlRun.id).where(CrawlRun.status == "running")).scalars())


def _dated(title: str, paragraphs: list[str], day: int) -> bytes:
    meta = f'<meta property="article:published_time" content="2024-03-{day:02d}T10:00:00Z">'
    return article_page(title, paragraphs).replace(b"<head>", b"<head>" + meta.encode(), 1)


def test_a_copy_published_earlier_but_fetched_later_becomes_the_original(db_url: str) -> None:
    """Which copy is the original does not depend on fetch order: a later crawl finds the earlier-published
    story, which takes the place of the copy stored first; a still later copy links to it."""
    init_database(db_url, analyze=False)
    wire = ["(Wire) - " + STORY_A[0], STORY_A[1] + " Shares rose 2% in early trading."]
    routes = {
        "/first.xml": Route(rss(["{base}/copy/1"]), headers=XML),
        "/second.xml": Route(rss(["{base}/story/1", "{base}/copy/2"]), headers=XML),
        "/copy/1": Route(_dated("Nubexa picks Monterrey for hub", wire * 3, 9)),
        "/story/1": Route(_dated("Nubexa picks Monterrey", STORY_A * 3, 5)),
        "/copy/2": Route(_dated("Nubexa's Monterrey hub", ["Update: " + STORY_A[0], STORY_A[1]] * 3, 12)),
    }
    with FixtureWeb(routes) as web:
        first = run_crawl([{"name": "first", "kind": "feed", "url": f"{web.base_url}/first.xml"}], db_url)
        second = run_crawl([{"name": "second", "kind": "feed", "url": f"{web.base_url}/second.xml"}], db_url)
        base = web.base_url
    assert first.total("new_articles") == 1 and second.total("errors") == 0
    ids, links = copy_links(db_url, base)
    assert links == {"/story/1": None, "/copy/1": ids["/story/1"], "/copy/2": ids["/story/1"]}
