"""Crawling the demo site end to end through the real CLI: every article once, robots.txt obeyed, reruns
store nothing, republished copies linked to the baseline — on SQLite and PostgreSQL."""

from __future__ import annotations

import json

ARTICLE_PREFIXES = ("/news/", "/syndication/", "/private/")


def _articles(cli, db: str) -> list[dict]:  # noqa: ANN001
    result = cli("articles", "--json", database_url=db)
    assert result.code == 0, result.stderr
    return json.loads(result.stdout)


def _expected_urls(site) -> set[str]:  # noqa: ANN001
    return {site.article_url(r) for r in site.public_articles()} | {site.syndicated_url}


def _article_requests(site) -> list[str]:  # noqa: ANN001
    return [p for p in site.requested_paths if p.startswith(ARTICLE_PREFIXES)]


def test_feed_crawl_stores_every_article_once_then_nothing(cli, demo_site, db_url: str) -> None:
    assert cli("init", database_url=db_url).code == 0
    result = cli("crawl", "--feed", f"{demo_site.base_url}/feed.xml", "--json", database_url=db_url)
    assert result.code == 0, result.stderr
    summary = json.loads(result.stdout)
    expected = _expected_urls(demo_site)
    assert summary["new_articles"] == len(expected) - 1 and summary["duplicates"] == 1

    articles = _articles(cli, db_url)
    crawled = [a for a in articles if not a["is_baseline"]]
    assert sorted(a["url"] for a in crawled) == sorted(expected)  # each once, tracking parameters gone
    baseline = next(a for a in articles if a["is_baseline"])
    copy = next(a for a in crawled if a["url"] == demo_site.syndicated_url)
    assert copy["duplicate_of"] == baseline["url"]
    assert all(a["duplicate_of"] is None for a in crawled if a is not copy)
    assert not any("/private/" in p for p in demo_site.requested_paths)  # listed in the feed, disallowed
    fetched = _article_requests(demo_site)
    assert len(fetched) == len(set(fetched)) == len(expected)

    demo_site.clear_requests()
    again = cli("crawl", "--feed", f"{demo_site.base_url}/feed.xml", "--json", database_url=db_url)
    assert again.code == 0, again.stderr
    assert json.loads(again.stdout)["new_articles"] == 0
    assert _article_requests(demo_site) == []  # nothing stored is fetched again
    assert len(_articles(cli, db_url)) == len(articles)


def test_sitemap_crawl_stores_every_article_once(cli, demo_site, sqlite_url: str) -> None:
    result = cli("crawl", "--sitemap", f"{demo_site.base_url}/sitemap.xml", "--json", database_url=sqlite_url)
    assert result.code == 0, result.stderr
    crawled = [a for a in _articles(cli, sqlite_url) if not a["is_baseline"]]
    assert sorted(a["url"] for a in crawled) == sorted(_expected_urls(demo_site))
    assert {"/sitemaps/news.xml", "/sitemaps/pages.xml"} <= set(demo_site.requested_paths)
    assert not any("/private/" in p for p in demo_site.requested_paths)
    runs = json.loads(result.stdout)["sources"]
    assert len(runs) == 1 and runs[0]["status"] == "ok" and runs[0]["errors"] == 0


def test_feed_and_sitemap_together_fetch_each_article_once(cli, demo_site, sqlite_url: str, tmp_path) -> None:
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        "sources:\n"
        f"  - {{name: demo-atom, kind: feed, url: '{demo_site.base_url}/atom.xml'}}\n"
        f"  - {{name: demo-sitemap, kind: sitemap, url: '{demo_site.base_url}/sitemap.xml'}}\n"
    )
    result = cli("crawl", "--sources", str(sources), "--json", database_url=sqlite_url)
    assert result.code == 0, result.stderr
    fetched = _article_requests(demo_site)
    assert len(fetched) == len(set(fetched)) == len(_expected_urls(demo_site))
    assert {s["source"] for s in json.loads(result.stdout)["sources"]} == {"demo-atom", "demo-sitemap"}


def test_failing_source_does_not_stop_the_others(cli, demo_site, sqlite_url: str) -> None:
    result = cli("crawl", "--feed", f"{demo_site.base_url}/no-such-feed.xml", "--feed",
                 f"{demo_site.base_url}/feed.xml", "--json", database_url=sqlite_url)
    assert result.code == 0, result.stderr
    runs = {("missing" if "no-such-feed" in s["source"] else "good"): s for s in json.loads(result.stdout)["sources"]}
    assert runs["good"]["status"] == "ok" and runs["good"]["new_articles"] > 30
    assert runs["missing"]["status"] == "failed" and runs["missing"]["errors"] == 1
    assert "404" in runs["missing"]["message"]


def test_horizon_skips_older_items(cli, demo_site, sqlite_url: str) -> None:
    result = cli("crawl", "--feed", f"{demo_site.base_url}/feed.xml", "--horizon", "2024-01-01", "--json",
                 database_url=sqlite_url)
    assert result.code == 0, result.stderr
    crawled = [a for a in _articles(cli, sqlite_url) if not a["is_baseline"]]
    recent = {demo_site.article_url(r) for r in demo_site.public_articles() if r["published"] >= "2024-01-01"}
    assert {a["url"] for a in crawled} == recent and len(recent) > 3
    fetched = _article_requests(demo_site)
    assert len(fetched) == len(recent)  # older items are skipped from the feed's dates, never fetched
