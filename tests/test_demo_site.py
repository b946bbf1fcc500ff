"""Tests of the bundled demo news site: pages, feeds, sitemaps, robots.txt, HTTP caching and the gold data."""

from __future__ import annotations

import html
import re
import unicodedata
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from urllib.parse import parse_qs, urlsplit, urlunsplit

import pytest

from mxwatch.demo_site.catalog import DISCLAIMER
from mxwatch.demo_site.render import SITE_NAMES
from mxwatch.demo_site.server import DemoSite, load_articles

NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}
UNITS = {"jobs", "employees", "workers", "engineers", "developers", "positions", "hires", "staff"}
KINDS = {"new", "planned", "existing", "sector_total"}
MEXICAN_STATES = {
    "Aguascalientes", "Baja California", "Baja California Sur", "Campeche", "Chiapas", "Chihuahua",
    "Ciudad de México", "Coahuila", "Colima", "Durango", "Estado de México", "Guanajuato", "Guerrero", "Hidalgo",
    "Jalisco", "Michoacán", "Morelos", "Nayarit", "Nuevo León", "Oaxaca", "Puebla", "Querétaro", "Quintana Roo",
    "San Luis Potosí", "Sinaloa", "Sonora", "Tabasco", "Tamaulipas", "Tlaxcala", "Veracruz", "Yucatán", "Zacatecas",
}
# State of every city that a gold job count names.
CITY_STATE = {
    "Guadalajara": "Jalisco", "Zapopan": "Jalisco", "Tlaquepaque": "Jalisco", "Monterrey": "Nuevo León",
    "Apodaca": "Nuevo León", "San Pedro Garza García": "Nuevo León", "Querétaro": "Querétaro",
    "Mexico City": "Ciudad de México", "Saltillo": "Coahuila", "León": "Guanajuato", "Mérida": "Yucatán",
    "Chihuahua": "Chihuahua", "Ciudad Juárez": "Chihuahua", "Aguascalientes": "Aguascalientes",
}
# Other ways the stories name a gold entity.
ALIASES = {
    "Amazon": ["AWS"], "HCLTech": ["HCL"], "Tata Consultancy Services": ["TCS"], "EPAM Systems": ["EPAM"],
    "Foxconn": ["Hon Hai"], "Grupo Aeroportuario del Sureste": ["ASUR"],
    "Mexico City": ["Ciudad de México", "CDMX"], "Estado de México": ["State of Mexico", "Edomex"],
}
# Mexican places the stories may name; every one named must be in the gold lists.
KNOWN_CITIES = set(CITY_STATE) | {
    "Tijuana", "Puebla", "Puerto Vallarta", "Cancún", "Tulum", "Playa del Carmen", "Ramos Arizpe", "Guadalupe",
    "San Luis Potosí", "Tomatlán", "Nuevo Vallarta", "Bucerías", "San Nicolás de los Garza", "Toluca",
    "Hermosillo", "Irapuato", "Celaya", "Torreón", "Culiacán", "Morelia",
}
# Longer names that contain a place name without naming that place.
SHADOWED = {"León": ["Nuevo León", "Nuevo Leon"], "Monterrey": ["Tec de Monterrey"]}
# Number words and Mexican-press spellings a gold value may appear as.
VALUE_WORDS = {
    100: ["hundreds", "cientos"], 300: ["three hundred", "trescientos"], 1000: ["thousands", "miles", "mil"],
    2000: ["dos mil", "two thousand"],
}


def fold(text: str) -> str:
    """Lower-case and strip accents, so 'Querétaro' matches 'Queretaro'."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def story_text(record: dict) -> str:
    return " ".join([record["title"], record.get("standfirst", ""), *record["paragraphs"]])


def mentions(text: str, name: str) -> bool:
    folded = fold(text)
    return any(re.search(r"(?<!\w)" + re.escape(fold(n)) + r"(?!\w)", folded) for n in [name, *ALIASES.get(name, [])])


def value_spellings(value: int) -> list[str]:
    spellings = [f"{value:,}", f"{value:,}".replace(",", "."), str(value), *VALUE_WORDS.get(value, [])]
    if value >= 1000:
        thousands, rest = divmod(value, 1000)
        head = "mil" if thousands == 1 else f"{thousands} mil"
        spellings.append(head if rest == 0 else f"{head} {rest}")
    return spellings


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def strip_query(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


@pytest.fixture(scope="module")
def site() -> Iterator[DemoSite]:
    demo = DemoSite()
    base = demo.start(port=0)
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", base)
    try:
        yield demo
    finally:
        demo.stop()


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return load_articles()


# ----- the corpus and its gold annotations -----

def test_corpus_shape(records: list[dict]) -> None:
    assert len(records) >= 34
    ids = [r["id"] for r in records]
    assert len(set(ids)) == len(ids)
    assert len({r["slug"] for r in records}) == len(records)
    langs = Counter(r["lang"] for r in records)
    assert set(langs) == {"en", "es"} and min(langs.values()) >= 15
    templates = Counter(r["template"] for r in records)
    assert set(templates) == set(SITE_NAMES) and len(templates) >= 4
    relevant = Counter(r["gold"]["relevant"] for r in records)
    assert relevant[True] >= 20 and relevant[False] >= 8
    assert sum(1 for r in records if r.get("private")) == 1
    years = {datetime.fromisoformat(r["published"]).year for r in records}
    assert min(years) == 2018 and max(years) == 2026 and len(years) == 9
    for r in records:
        published = datetime.fromisoformat(r["published"])
        assert published.tzinfo is not None, r["id"]
        assert datetime.fromisoformat("2018-01-01T00:00:00-06:00") <= published
        assert published < datetime.fromisoformat("2026-11-01T00:00:00-06:00")
        if r.get("updated"):
            assert datetime.fromisoformat(r["updated"]) >= published, r["id"]
        words = sum(len(p.split()) for p in r["paragraphs"])
        assert 250 <= words <= 500, (r["id"], words)
        assert r["authors"] and all(isinstance(a, str) and a for a in r["authors"]), r["id"]
        for title in r.get("related", []):
            assert title in {o["title"] for o in records if o is not r}, (r["id"], title)


def test_gold_entities_appear_in_the_story(records: list[dict]) -> None:
    for r in records:
        gold, text = r["gold"], story_text(r)
        assert isinstance(gold["relevant"], bool)
        for name in gold["companies"] + gold["cities"] + gold["states"]:
            assert mentions(text, name), (r["id"], name)
        assert set(gold["states"]) <= MEXICAN_STATES, r["id"]
        # Mexico City is the city's canonical name; the entity's name is reserved for states.
        assert "Ciudad de México" not in gold["cities"] and "CDMX" not in gold["cities"], r["id"]
        assert len(set(gold["companies"])) == len(gold["companies"]), r["id"]


def test_gold_lists_every_known_place_named(records: list[dict]) -> None:
    # Same-named cities and states (Querétaro, Chihuahua...) count if listed in either gold list.
    states = MEXICAN_STATES - {"Ciudad de México", "Estado de México"}
    for r in records:
        gold = r["gold"]
        for name in KNOWN_CITIES | states:
            text = story_text(r)
            for longer in SHADOWED.get(name, []):
                text = text.replace(longer, "")
            if mentions(text, name):
                assert name in gold["cities"] or name in gold["states"], (r["id"], name)


def test_gold_job_counts_are_sensible(records: list[dict]) -> None:
    total = 0
    for r in records:
        gold, folded = r["gold"], fold(story_text(r))
        for job in gold["job_counts"]:
            total += 1
            where = (r["id"], job)
            assert set(job) == {"value", "value_max", "approx", "unit", "kind", "company", "city", "state"}, where
            assert isinstance(job["value"], int) and 1 <= job["value"] <= 1_000_000, where
            assert job["value_max"] is None or job["value_max"] > job["value"], where
            assert isinstance(job["approx"], bool), where
            assert job["unit"] in UNITS and job["kind"] in KINDS, where
            assert job["company"] is None or job["company"] in gold["companies"], where
            assert job["kind"] == "sector_total" or job["company"], where
            if job["city"] is not None:
                assert job["city"] in gold["cities"] and job["state"] == CITY_STATE[job["city"]], where
            elif job["state"] is not None:
                assert job["state"] in gold["states"], where
            assert any(fold(s) in folded for s in value_spellings(job["value"])), where
            if job["value_max"] is not None:
                assert any(fold(s) in folded for s in value_spellings(job["value_max"])), where
        if gold["relevant"]:
            assert gold["job_counts"], f"{r['id']}: a relevant story without a job count"
            assert gold["cities"] or gold["states"], r["id"]
        else:
            # Negatives may state job counts, but never new or planned jobs in a Mexican place.
            assert not [j for j in gold["job_counts"]
                        if j["kind"] in ("new", "planned") and (j["city"] or j["state"])], r["id"]
    assert total >= 50


# ----- pages -----

def test_home_lists_every_public_article(site: DemoSite) -> None:
    status, headers, body = fetch(site.base_url + "/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    page = body.decode()
    assert int(headers["Content-Length"]) == len(body)
    for record in site.public_articles():
        assert f'href="{site.article_url(record)}"' in page, record["id"]
    assert site.syndicated_url and f'href="{site.syndicated_url}"' in page
    assert "/private/" not in page
    assert DISCLAIMER in page


def test_every_article_page(site: DemoSite) -> None:
    for record in site.articles:
        url = site.article_url(record)
        status, headers, body = fetch(url)
        assert status == 200, url
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        assert headers.get("ETag") and headers.get("Last-Modified"), url
        page = html.unescape(body.decode("utf-8"))
        assert f'<link rel="canonical" href="{url}">' in page, url
        assert re.search(rf'<html lang="{record["lang"]}[-"]', page), url
        assert f"<title>{record['title']} | {SITE_NAMES[record['template']]}</title>" in page, url
        assert f">{record['title']}</h1>" in page, url
        for paragraph in record["paragraphs"]:
            assert paragraph in page, (url, paragraph[:40])
        assert DISCLAIMER in page, url
        assert '"gold"' not in page and "job_counts" not in page, url


def test_templates_have_their_own_markers(site: DemoSite) -> None:
    markers = {
        "wire": ['"@type": "NewsArticle"', '"datePublished"', 'class="breaking-ticker"', "<h2>Trending</h2>",
                 'class="cookie-consent"', 'property="og:title"'],
        "magazine": ['property="article:published_time"', "<time datetime=", 'class="mag-newsletter"',
                     'class="mag-share', 'id="comments"'],
        "portal_es": ['class="breadcrumb"', "Lo más leído", "Te puede interesar", "Utilizamos cookies",
                      "Por ", '<meta name="date"'],
        "blog": ['<article id="post-', 'class="entry-content"', 'class="author-box"', 'rel="tag"',
                 'class="related-posts"', 'id="respond"'],
    }
    forbidden = {"magazine": ["application/ld+json"], "portal_es": ["application/ld+json"]}
    seen = set()
    for record in site.articles:
        page = html.unescape(fetch(site.article_url(record))[2].decode())
        for marker in markers[record["template"]]:
            assert marker in page, (record["id"], marker)
        for marker in forbidden.get(record["template"], []):
            assert marker not in page, (record["id"], marker)
        seen.add(record["template"])
        if record["template"] == "portal_es":
            published = datetime.fromisoformat(record["published"])
            assert re.search(rf"\b{published.day} de [a-z]+ de {published.year}\b", page), record["id"]
        if record["template"] == "blog" and any(c.get("replies") for c in record.get("comments", [])):
            assert '<ol class="children">' in page, record["id"]
    assert seen == set(markers)


def test_syndicated_copy_is_the_story_only(site: DemoSite) -> None:
    status, _, body = fetch(site.syndicated_url)
    assert status == 200
    page = html.unescape(body.decode())
    assert "<title>Mexico tech industry benefits from U.S. immigration policies | " in page
    assert "(Reuters) - Amazon, Facebook and other U.S. tech companies" in page
    assert "Reporting by Salvador Rodriguez in San Francisco and Julia Love in Mexico City" in page
    assert '"datePublished": "2017-10-20' in page
    assert '"name": "Salvador Rodriguez"' in page and '"name": "Julia Love"' in page
    for outside in ("Trending News on PVDN", "Follow Us On", "Cancún Ranks", "Supercartel", "Sayulita"):
        assert outside not in page, outside
    assert f'<link rel="canonical" href="{site.syndicated_url}">' in page


def test_unknown_path_is_404(site: DemoSite) -> None:
    for path in ("/news/2019/01/no-such-story.html", "/wp-admin/", "/news/2018/02/"):
        status, headers, body = fetch(site.base_url + path)
        assert status == 404, path
        assert headers["Content-Type"].startswith("text/html") and DISCLAIMER in body.decode()


def test_absolute_urls_follow_the_host_header(site: DemoSite) -> None:
    record = site.public_articles()[0]
    port = urlsplit(site.base_url).port
    status, _, body = fetch(site.article_url(record), {"Host": f"localhost:{port}"})
    assert status == 200
    path = urlsplit(site.article_url(record)).path
    assert f'<link rel="canonical" href="http://localhost:{port}{path}">' in body.decode()


# ----- feeds, sitemaps, robots -----

def _feed_links(site: DemoSite, path: str) -> list[str]:
    status, headers, body = fetch(site.base_url + path)
    assert status == 200 and "charset=utf-8" in headers["Content-Type"]
    root = ET.fromstring(body)
    if path == "/feed.xml":
        assert root.tag == "rss" and root.get("version") == "2.0"
        items = root.findall("./channel/item")
        dates = [datetime.strptime(i.findtext("pubDate"), "%a, %d %b %Y %H:%M:%S %z") for i in items]
        assert dates == sorted(dates, reverse=True)
        return [i.findtext("link") for i in items]
    assert root.tag == f"{{{NS['atom']}}}feed"
    entries = root.findall("atom:entry", NS)
    assert all(e.findtext("atom:published", namespaces=NS) for e in entries)
    return [e.find("atom:link[@rel='alternate']", NS).get("href") for e in entries]


@pytest.mark.parametrize("path", ["/feed.xml", "/atom.xml"])
def test_feeds_list_everything_with_tracking_links(site: DemoSite, path: str) -> None:
    links = _feed_links(site, path)
    expected = {site.article_url(r) for r in site.articles} | {site.syndicated_url}
    assert len(links) == len(expected)
    assert {strip_query(link) for link in links} == expected
    assert any("/private/" in link for link in links)
    for link in links:
        query = parse_qs(urlsplit(link).query)
        assert query.get("utm_medium") == ["feed"] and query.get("utm_source"), link


def test_sitemaps_cover_every_public_article(site: DemoSite) -> None:
    status, headers, body = fetch(site.base_url + "/sitemap.xml")
    assert status == 200 and headers["Content-Type"] == "application/xml; charset=utf-8"
    index = ET.fromstring(body)
    assert index.tag == f"{{{NS['sm']}}}sitemapindex"
    children = [loc.text for loc in index.findall("sm:sitemap/sm:loc", NS)]
    assert children == [site.base_url + "/sitemaps/news.xml", site.base_url + "/sitemaps/pages.xml"]
    listed: dict[str, set[str]] = {}
    for child in children:
        root = ET.fromstring(fetch(child)[2])
        listed[child] = {loc.text for loc in root.findall("sm:url/sm:loc", NS)}
        if child.endswith("news.xml"):
            for url in root.findall("sm:url", NS):
                news = url.find("news:news", NS)
                assert news is not None
                assert news.findtext("news:publication/news:name", namespaces=NS)
                assert news.findtext("news:publication/news:language", namespaces=NS) in ("en", "es")
                assert datetime.fromisoformat(news.findtext("news:publication_date", namespaces=NS))
                assert news.findtext("news:title", namespaces=NS)
        else:
            assert all(url.findtext("sm:lastmod", namespaces=NS) for url in root.findall("sm:url", NS))
    news_urls, page_urls = listed[children[0]], listed[children[1]]
    public = {site.article_url(r) for r in site.public_articles()}
    assert public <= news_urls | page_urls
    assert news_urls and page_urls and not public <= news_urls and not public <= page_urls
    private = {site.article_url(r) for r in site.private_articles()}
    assert private and private <= news_urls and not private & page_urls
    assert site.syndicated_url in news_urls | page_urls


def test_robots_disallows_private(site: DemoSite) -> None:
    status, headers, body = fetch(site.base_url + "/robots.txt")
    assert status == 200 and headers["Content-Type"] == "text/plain; charset=utf-8"
    lines = body.decode().splitlines()
    assert "User-agent: *" in lines and "Disallow: /private/" in lines
    assert f"Sitemap: {site.base_url}/sitemap.xml" in lines
    assert all(article := site.private_articles())
    assert urlsplit(site.article_url(article[0])).path.startswith("/private/")


# ----- HTTP behaviour -----

def test_conditional_requests(site: DemoSite) -> None:
    for path in ("/feed.xml", urlsplit(site.article_url(site.articles[0])).path):
        url = site.base_url + path
        status, headers, body = fetch(url)
        assert status == 200 and body
        etag, last_modified = headers["ETag"], headers["Last-Modified"]
        assert fetch(url, {"If-None-Match": etag})[0] == 304
        assert fetch(url, {"If-None-Match": f'"nope", W/{etag}'})[0] == 304
        assert fetch(url, {"If-None-Match": '"something-else"'})[0] == 200
        assert fetch(url, {"If-Modified-Since": last_modified})[0] == 304
        assert fetch(url, {"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})[0] == 200
        # If-None-Match wins over If-Modified-Since when both are sent.
        both = {"If-None-Match": '"something-else"', "If-Modified-Since": last_modified}
        assert fetch(url, both)[0] == 200


def test_head_and_requested_paths(site: DemoSite) -> None:
    site.clear_requests()
    request = urllib.request.Request(site.base_url + "/atom.xml?x=1", method="HEAD")
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200 and int(response.headers["Content-Length"]) > 0
        assert response.read() == b""
    fetch(site.base_url + "/robots.txt")
    assert site.requested_paths == ["/atom.xml?x=1", "/robots.txt"]


def test_start_stop_and_context_manager() -> None:
    with DemoSite() as demo:
        base = demo.base_url
        assert fetch(base + "/robots.txt")[0] == 200
    with pytest.raises(RuntimeError):
        _ = demo.base_url
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(base + "/robots.txt", timeout=2)
