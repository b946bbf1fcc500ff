"""Which copy of a story is the original: the earliest published, but only by a date the page declares. A date
guessed from a copy's text (htmldate's earliest-looking date, e.g. an old date the text mentions) does not make
it the original of a story stored with its declared date."""

from __future__ import annotations

from mxwatch.spiders.runner import run_crawl
from mxwatch.stages import init_database
from tests.fixture_web import XML, FixtureWeb, Route, article_page, rss
from tests.test_crawl_hostile import STORY_A, copy_links


def _dated(title: str, paragraphs: list[str], day: int) -> bytes:
    meta = f'<meta property="article:published_time" content="2024-03-{day:02d}T10:00:00Z">'
    return article_page(title, paragraphs).replace(b"<head>", b"<head>" + meta.encode(), 1)


def test_a_copy_with_a_guessed_earlier_date_does_not_replace_the_original(db_url: str) -> None:
    init_database(db_url, analyze=False)
    routes = {
        "/first.xml": Route(rss(["{base}/story/1"]), headers=XML),
        "/second.xml": Route(rss(["{base}/copy/1"]), headers=XML),
        "/story/1": Route(_dated("Nubexa picks Monterrey", STORY_A * 3, 5)),
        # An aggregator's copy: no structured date; its text mentions an older date, which htmldate guesses.
        "/copy/1": Route(article_page("Nubexa picks Monterrey", ["Feed archive since 2024-03-01."] + STORY_A * 3)),
    }
    with FixtureWeb(routes) as web:
        first = run_crawl([{"name": "first", "kind": "feed", "url": f"{web.base_url}/first.xml"}], db_url)
        second = run_crawl([{"name": "second", "kind": "feed", "url": f"{web.base_url}/second.xml"}], db_url)
        base = web.base_url
    assert first.total("new_articles") == 1
    assert second.total("duplicates") == 1 and second.total("new_articles") == 0
    ids, links = copy_links(db_url, base)
    assert links == {"/story/1": None, "/copy/1": ids["/story/1"]}
