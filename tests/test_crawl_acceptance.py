"""Acceptance: a fixture web of 200+ articles across several sources (a news site's RSS feed and sitemap index,
a syndicator's near-copies reached through a Google News search, a GDELT search) crawled twice. Every article
is stored once, copies are linked to their originals, robots.txt is obeyed, and the second run fetches no
article at all (the feed answers 304, stored URLs and Google links are never requested again)."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from mxwatch.demo_site.catalog import load_articles
from mxwatch.demo_site.generated import generated_articles
from mxwatch.demo_site.server import DemoSite
from mxwatch.models import db
from mxwatch.models.tables import Article
from mxwatch.sources import load_sources
from mxwatch.spiders.runner import run_crawl
from mxwatch.stages import init_database
from tests.fixture_web import JSON, XML, FixtureWeb, Route, article_page, google_news_rss
from tests.test_crawl_discovery import google_article_link

N_ARTICLES = 200
N_COPIES = 8
ARTICLE_PREFIXES = ("/news/", "/syndication/", "/private/")


def _copy_page(record: dict) -> bytes:
    """A syndicator's near-copy: the wire's dateline, the same story, the syndicator's own footer line."""
    paragraphs = list(record["paragraphs"])
    paragraphs[0] = "(Wire) - " + paragraphs[0]
    paragraphs.append("This story was republished from our partners' newswire.")
    return article_page(record["title"], paragraphs, lang=record["lang"])


def test_two_crawls_of_a_200_article_web(sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         cli) -> None:  # noqa: ANN001
    init_database(sqlite_url, analyze=False)
    articles = generated_articles(N_ARTICLES) + [a for a in load_articles() if a.get("private")]
    copied = articles[10:10 + N_COPIES]
    with DemoSite(articles=articles) as site, FixtureWeb() as wire, FixtureWeb() as google, FixtureWeb() as gdelt:
        # The syndicator's copies, listed by a Google News search: half through links whose ids carry the
        # publisher URL, half through links that redirect.
        items = []
        for i, record in enumerate(copied):
            path = f"/wire/{record['slug']}"
            wire.routes[path] = Route(_copy_page(record))
            if i % 2:
                link = f"{google.base_url}/rss/articles/AU_yqL{i}?oc=5"
                google.routes[f"/rss/articles/AU_yqL{i}"] = Route(b"", 302, {"Location": wire.base_url + path})
            else:
                link = google_article_link(google.base_url, wire.base_url + path)
            items.append((link, record["title"], "Wire Daily", wire.base_url))
        google.routes["/rss/search"] = Route(google_news_rss(items), headers=XML)
        # GDELT has seen some of the site's articles (also in its feed: fetched once all the same).
        seen = datetime.now(UTC) - timedelta(days=1)
        gdelt.routes["/api/v2/doc/doc"] = Route(json.dumps({"articles": [
            {"url": site.article_url(r), "title": r["title"], "seendate": f"{seen:%Y%m%dT%H%M%SZ}",
             "language": "English"} for r in articles[:20]]}).encode(), headers=JSON)
        monkeypatch.setenv("MXWATCH_GOOGLE_NEWS_URL", f"{google.base_url}/rss/search")
        monkeypatch.setenv("MXWATCH_GDELT_URL", f"{gdelt.base_url}/api/v2/doc/doc")
        sources_file = tmp_path / "sources.yaml"
        sources_file.write_text(
            "sources:\n"
            f"  - {{name: site-rss, kind: feed, url: '{site.base_url}/feed.xml'}}\n"
            f"  - {{name: site-sitemap, kind: sitemap, url: '{site.base_url}/sitemap.xml'}}\n"
            "  - {name: gnews, kind: google_news, lang: en, query: 'tech company Mexico jobs'}\n"
            "  - {name: gdelt, kind: gdelt, query: 'Mexico jobs'}\n")
        sources = load_sources(sources_file)

        started = time.monotonic()
        first = run_crawl(sources, sqlite_url)
        elapsed = time.monotonic() - started
        fetched = [p.split("?")[0] for p in site.requested_paths if p.startswith(ARTICLE_PREFIXES)]
        public = {site.article_url(r) for r in site.public_articles()} | {site.syndicated_url}
        assert all(s["status"] == "ok" and s["errors"] == 0 for s in first.sources), first.sources
        assert len(fetched) == len(set(fetched)) == len(public)  # each article fetched once, across 3 sources
        assert not any(p.startswith("/private/") for p in site.requested_paths)  # in the feed, but disallowed

        with db.session_scope(sqlite_url) as session:
            rows = session.execute(select(Article.id, Article.url, Article.duplicate_of_id)
                                   .where(Article.is_baseline.is_(False))).all()
            baseline_id = session.execute(select(Article.id).where(Article.is_baseline.is_(True))).scalar_one()
        urls = [url for _, url, _ in rows]
        ids = {url: article_id for article_id, url, _ in rows}
        links = {url: dup for _, url, dup in rows}
        copies = {wire.base_url + f"/wire/{r['slug']}": site.article_url(r) for r in copied}
        assert len(urls) == len(set(urls)) == len(public) + N_COPIES  # every article once
        assert set(urls) == public | set(copies)  # the publishers' URLs, never Google's
        assert all(links[copy] == ids[original] for copy, original in copies.items())  # copies linked
        assert links[site.syndicated_url] == baseline_id  # the seed story republished
        assert sum(dup is not None for dup in links.values()) == N_COPIES + 1
        print(f"\nacceptance: {len(urls)} articles stored ({N_COPIES + 1} copies linked), "
              f"{first.total('requests')} requests in {elapsed:.1f} s "
              f"({first.total('requests') / elapsed:.0f} requests/s, crawl process start included)")

        site.clear_requests()
        wire.requested.clear()
        google.requested.clear()
        second = run_crawl(sources, sqlite_url)
        assert second.total("new_articles") == 0 and second.total("duplicates") == 0
        assert [p for p in site.requested_paths if p.startswith(ARTICLE_PREFIXES)] == []
        assert wire.paths("/wire/") == [] and google.paths("/rss/articles/") == []
        rss_run = next(s for s in second.sources if s["source"] == "site-rss")
        assert rss_run["requests"] == 2 and "not modified" in rss_run["message"]  # robots.txt and a 304
        per_source = ", ".join(f"{s['source']} {s['requests']}" for s in second.sources)
        print(f"acceptance: second run {second.total('requests')} requests ({per_source}), no article fetched")

    result = cli("runs", "--json", "--limit", "4", database_url=sqlite_url)
    assert result.code == 0, result.stderr
    runs = json.loads(result.stdout)
    assert [r["source"] for r in runs] == ["gdelt", "gnews", "site-sitemap", "site-rss"]
    assert all(r["status"] == "ok" and r["new"] == 0 for r in runs)
    listed = cli("sources", "--json", "--sources", str(sources_file), database_url=sqlite_url)
    assert listed.code == 0, listed.stderr
    by_name = {s["name"]: s for s in json.loads(listed.stdout)}
    assert by_name["site-rss"]["last_run"]["status"] == "ok" and by_name["gnews"]["query"]
    assert by_name["site-rss"]["last_run"]["finished_at"]
