"""Fault injection: one crawl against a web of every kind of failure and hostile input, next to good articles.

Each fault ends as a recorded error or skip (in the crawl-runs table and its events), the run completes, the
good articles are stored once, and the crawl process's memory stays bounded: the bombs inflate to gigabytes
and the huge page streams 50 MB, none of which may be held in memory.
"""

from __future__ import annotations

import gzip
import random
import zlib
from pathlib import Path

import pytest
from sqlalchemy import func, select

from mxwatch.models import db, queries
from mxwatch.models.tables import Article, CrawlRun, Source
from mxwatch.spiders.runner import run_crawl
from mxwatch.stages import init_database
from tests.fixture_web import XML, FixtureWeb, Route, article_page, rss

STORIES = {
    "/good/1": ("Tallbridge opens a design studio in Mérida", [
        "Tallbridge Software, a Toronto maker of scheduling tools, will open a design studio in Mérida, Yucatán, "
        "and hire 120 engineers and designers there by the end of next year, the company said on Tuesday.",
        "The studio is its second office in Latin America after Bogotá; most of the new staff will be recruited "
        "from the state's technology institutes, said its chief operating officer."]),
    "/good/2": ("Orvane adds 90 engineers in León", [
        "Orvane Robotics said it would add 90 engineers to its office in León, Guanajuato, this year to support "
        "car makers that are automating their plants in the Bajío region.",
        "The Danish company opened the office in 2022 with twelve people and now employs 64 in the state, it said "
        "in a statement, adding that it would also train technicians at a local university."]),
    "/rate-limited": ("Vexley plans a support center in Puebla", [
        "Vexley Cloud plans to open a customer support center in Puebla with 300 employees, the Dublin software "
        "firm said, citing the city's universities and its time zone close to that of its clients.",
        "Hiring will begin in March, the company said, and the center will serve customers across the Americas "
        "in Spanish, English and Portuguese from an office in the Angelópolis district."]),
}
CP1252_STORY = ("Nueva planta en Querétaro", [
    "La empresa Brantel Óptica abrirá una planta de componentes ópticos en Querétaro y contratará a 450 "
    "técnicos e ingenieros durante el próximo año, informó su director en la capital del estado.",
    "La compañía eligió el municipio de El Marqués por su cercanía con la autopista y por los egresados de "
    "las universidades de la región, añadió el directivo en una conferencia de prensa."])
LATIN1_STORY = ("Expansión en Saltillo", [
    "La firma Corlinde Sistemas ampliará su centro de ingeniería en Saltillo, Coahuila, donde sumará 150 "
    "empleos nuevos en el segundo semestre del año, según un comunicado de la compañía.",
    "El centro diseña programas para la industria automotriz de la región y ya emplea a 230 personas, la "
    "mayoría egresadas de universidades públicas del norte del país."])

GIB = 1 << 30
MEMORY_BOUND = 600 * 1024 * 1024  # the bombs alone inflate to 2 GiB each: without limits they blow through this


def gzip_bomb(prefix: bytes, inflated: int) -> bytes:
    """``prefix`` then spaces up to ``inflated`` bytes, gzipped: concatenated members of 64 MiB each, so that
    2 GiB inflated is about 2 MB on the wire and is never built in memory here either."""
    block = b" " * (1 << 20)
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: a gzip member
    member = b"".join(packer.compress(block) for _ in range(64)) + packer.flush()
    return gzip.compress(prefix) + member * (inflated // (64 << 20))


def billion_laughs(root: bytes) -> bytes:
    """The billion-laughs entity bomb (10 levels of 10 references: 10^9 'lol's when expanded) inside ``root``."""
    levels = [b'<!ENTITY lol0 "lol">'] + [
        b"<!ENTITY lol%d \"%s\">" % (i, b"".join(b"&lol%d;" % (i - 1) for _ in range(10))) for i in range(1, 10)
    ]
    return b'<?xml version="1.0"?><!DOCTYPE r [' + b"".join(levels) + b"]>" + root.replace(b"BOMB", b"&lol9;")


def external_entity(root: bytes, secret: Path) -> bytes:
    """An XXE document: an entity that reads a local file, used where a link belongs."""
    return (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file://' + str(secret).encode() + b'">]>'
            + root.replace(b"BOMB", b"&xxe;"))


def _page(title: str, paragraphs: list[str], meta: str = "<meta charset='utf-8'>") -> str:
    return article_page(title, paragraphs, lang="es").decode().replace("<meta charset='utf-8'>", meta)


@pytest.fixture(scope="module")
def bombs() -> dict[str, bytes]:
    """Built once: an HTML page and a sitemap that inflate to 2 GiB each."""
    return {"html": gzip_bomb(b"<!doctype html><html><body><article><p>", 2 * GIB),
            "sitemap": gzip_bomb(b'<?xml version="1.0"?><urlset><url><loc>', 2 * GIB)}


def test_every_fault_is_recorded_and_good_articles_are_stored_once(
    sqlite_url: str, tmp_path: Path, bombs: dict[str, bytes],
) -> None:
    init_database(sqlite_url, analyze=False)
    secret = tmp_path / "secret.txt"
    html = {"Content-Type": "text/html; charset=utf-8"}
    bare_html = {"Content-Type": "text/html"}
    faults = ["server-error", "timeout", "slow-body", "reset", "cut-off", "garbage", "huge", "loop/a",
              "gzip-bomb", "cp1252-undeclared", "latin1-meta-says-utf8"]
    rng = random.Random(7)
    routes: dict[str, Route | list[Route]] = {
        "/feed.xml": Route(rss([f"{{base}}{p}" for p in STORIES] + [f"{{base}}/{p}" for p in faults]), headers=XML),
        **{path: Route(article_page(title, text)) for path, (title, text) in STORIES.items()
           if path != "/rate-limited"},
        "/rate-limited": [Route(b"busy", 429, {"Content-Type": "text/plain", "Retry-After": "1"}),
                          Route(article_page(*STORIES["/rate-limited"]))],
        "/server-error": Route(b"internal error", 500, {"Content-Type": "text/plain"}),
        "/timeout": Route(article_page("Late", STORIES["/good/1"][1]), delay=3.0),
        # Headers at once, then the body slower than the download timeout allows.
        "/slow-body": Route(article_page("Trickle", STORIES["/good/2"][1]), trickle=0.25),
        "/reset": Route(reset=True),
        "/cut-off": Route(article_page("Cut", STORIES["/good/1"][1]), truncate=5000),
        "/garbage": Route(bytes(rng.randrange(256) for _ in range(20000)), headers=html),
        "/huge": Route(b"<html><body><p>", headers=html, size=50 * 1024 * 1024),
        "/loop/a": Route(b"", 302, {"Location": "{base}/loop/b"}),
        "/loop/b": Route(b"", 302, {"Location": "{base}/loop/a"}),
        "/gzip-bomb": Route(bombs["html"], headers={**html, "Content-Encoding": "gzip"}),
        # No charset in the header or the page: Windows-1252 bytes must still read as Spanish.
        "/cp1252-undeclared": Route(_page(*CP1252_STORY, meta="").encode("cp1252"), headers=bare_html),
        # The page's <meta> says UTF-8, its bytes are Latin-1.
        "/latin1-meta-says-utf8": Route(_page(*LATIN1_STORY).encode("latin-1"), headers=bare_html),
        # Listings that attack the parser.
        "/laughs.xml": Route(billion_laughs(b"<rss><channel><item><link>BOMB</link></item></channel></rss>"),
                             headers=XML),
        "/laughs-sitemap.xml": Route(billion_laughs(b"<urlset><url><loc>BOMB</loc></url></urlset>"), headers=XML),
        "/xxe.xml": Route(external_entity(b"<rss><channel><item><link>BOMB</link></item></channel></rss>", secret),
                          headers=XML),
        "/xxe-sitemap.xml": Route(external_entity(b"<urlset><url><loc>BOMB</loc></url></urlset>", secret),
                                  headers=XML),
        "/bomb-sitemap.xml.gz": Route(bombs["sitemap"], headers={"Content-Type": "application/x-gzip"}),
        "/bomb-encoded-sitemap.xml": Route(bombs["sitemap"], headers={**XML, "Content-Encoding": "gzip"}),
    }
    listings = {"articles": ("feed", "/feed.xml"), "laughs": ("feed", "/laughs.xml"), "xxe": ("feed", "/xxe.xml"),
                "laughs-sitemap": ("sitemap", "/laughs-sitemap.xml"), "xxe-sitemap": ("sitemap", "/xxe-sitemap.xml"),
                "bomb-sitemap": ("sitemap", "/bomb-sitemap.xml.gz"),
                "bomb-encoded-sitemap": ("sitemap", "/bomb-encoded-sitemap.xml")}
    events: list[dict] = []
    with FixtureWeb(routes) as web:
        # If an external entity were ever resolved, the crawler would follow this link: the server would see it.
        secret.write_text(f"{web.base_url}/leaked")
        sources = [{"name": n, "kind": k, "url": web.base_url + p} for n, (k, p) in listings.items()]
        summary = run_crawl(sources, sqlite_url, on_event=events.append,
                            scrapy_settings={"DOWNLOAD_TIMEOUT": 1, "RETRY_TIMES": 1,
                                             "MXWATCH_RETRY_BACKOFF_BASE": 0.2})
        requested = list(web.requested)

    outcome = {e["url"].removeprefix(web.base_url): e for e in events if e.get("event") == "article"}
    for path in ("/server-error", "/timeout", "/slow-body", "/reset", "/cut-off", "/loop/a"):
        assert outcome[path]["status"] == "error" and outcome[path]["reason"], (path, outcome[path])
    assert "HTTP 500" in outcome["/server-error"]["reason"]
    assert "took longer" in outcome["/timeout"]["reason"] and "took longer" in outcome["/slow-body"]["reason"]
    assert "redirect" in outcome["/loop/a"]["reason"]
    for path in ("/garbage", "/huge", "/gzip-bomb"):
        assert outcome[path]["status"] == "skipped" and outcome[path]["reason"], (path, outcome[path])
    assert "limit" in outcome["/huge"]["reason"] and "limit" in outcome["/gzip-bomb"]["reason"]
    assert requested.count("/rate-limited") == 2 and outcome["/rate-limited"]["status"] == "new"
    assert not any("leaked" in path for path in requested)

    runs = {s["source"]: s for s in summary.sources}
    feed = runs["articles"]
    assert feed["status"] == "ok" and feed["new_articles"] == 5, feed  # three stories, two misencoded pages
    assert feed["errors"] == 6 and feed["skipped"] == 3, feed
    for name in ("laughs", "xxe", "laughs-sitemap", "xxe-sitemap", "bomb-sitemap", "bomb-encoded-sitemap"):
        assert runs[name]["status"] == "failed" and runs[name]["message"], runs[name]
    for name in ("laughs", "xxe", "laughs-sitemap", "xxe-sitemap"):
        assert "unsafe XML" in runs[name]["message"], runs[name]
    assert "limit" in runs["bomb-encoded-sitemap"]["message"] or "MAXSIZE" in runs["bomb-encoded-sitemap"]["message"]

    # What `mxwatch runs` shows: one finished row per source, with its counts and message.
    with db.session_scope(sqlite_url) as session:
        rows = {r["source"]: r for r in queries.crawl_runs(session)}
        stored = session.execute(select(Article.fetched_url, func.count()).where(Article.is_baseline.is_(False))
                                 .group_by(Article.fetched_url)).all()
        texts = dict(session.execute(select(Article.fetched_url, Article.text)).all())
        unfinished = session.execute(select(func.count()).select_from(CrawlRun).join(Source)
                                     .where(CrawlRun.finished_at.is_(None))).scalar()
    assert unfinished == 0
    assert rows["articles"]["errors"] == 6 and rows["articles"]["skipped"] == 3 and rows["articles"]["new"] == 5
    assert all(rows[n]["status"] == "failed" and rows[n]["message"] for n in listings if n != "articles")
    assert sorted(url.removeprefix(web.base_url) for url, _ in stored) == sorted(
        [*STORIES, "/cp1252-undeclared", "/latin1-meta-says-utf8"])
    assert all(count == 1 for _, count in stored)
    assert "Brantel Óptica" in texts[f"{web.base_url}/cp1252-undeclared"]
    assert "Coahuila, donde sumará 150" in texts[f"{web.base_url}/latin1-meta-says-utf8"]
    assert 0 < summary.peak_rss_bytes < MEMORY_BOUND, summary.peak_rss_bytes


def test_crawl_never_leaves_the_configured_hosts(sqlite_url: str) -> None:
    """Pages and sitemaps that link elsewhere: links inside articles are never followed (same host or not),
    and neither a sitemap index nor a sitemap's entries can send the crawl to another host."""
    init_database(sqlite_url, analyze=False)
    with FixtureWeb(host="localhost") as foreign:
        elsewhere = foreign.base_url
        foreign.routes.update({p: Route(article_page("Elsewhere", STORIES["/good/1"][1])) for p in ("/a", "/b")})
        foreign.routes["/sitemap.xml"] = Route(b'<?xml version="1.0"?><urlset><url><loc>' + elsewhere.encode()
                                               + b"/a</loc></url></urlset>", headers=XML)
        links = (f'<p><a href="{elsewhere}/a">partner story</a> <a href="/good/2">related</a> '
                 f'<a href="{{base}}/other-section/">more</a></p>')
        title, text = STORIES["/good/1"]
        routes = {
            "/feed.xml": Route(rss(["{base}/good/1"]), headers=XML),
            "/good/1": Route(article_page(title, text).replace(b"</article>", links.encode() + b"</article>")),
            "/index.xml": Route(b'<?xml version="1.0"?><sitemapindex><sitemap><loc>' + elsewhere.encode()
                                + b"/sitemap.xml</loc></sitemap><sitemap><loc>{base}/news.xml</loc></sitemap>"
                                b"</sitemapindex>", headers=XML),
            # A stray entry on another host, beside one on the sitemap's own.
            "/news.xml": Route(b'<?xml version="1.0"?><urlset><url><loc>{base}/good/1</loc></url><url><loc>'
                               + elsewhere.encode() + b"/b</loc></url></urlset>", headers=XML),
        }
        events: list[dict] = []
        with FixtureWeb(routes) as web:
            summary = run_crawl([{"name": "feed", "kind": "feed", "url": f"{web.base_url}/feed.xml"},
                                 {"name": "map", "kind": "sitemap", "url": f"{web.base_url}/index.xml"}], sqlite_url,
                                on_event=events.append)
            own = [p for p in web.requested if p != "/robots.txt"]
        assert foreign.requested == []
    assert sorted(own) == ["/feed.xml", "/good/1", "/index.xml", "/news.xml"]
    assert summary.total("new_articles") == 1 and summary.total("errors") == 0
    outside = sorted(e["url"] for e in events if "outside" in (e.get("reason") or ""))
    assert outside == [f"{elsewhere}/b", f"{elsewhere}/sitemap.xml"]  # recorded as skips, never requested
