"""Machine-readable discovery documents of the demo site: RSS, Atom, sitemaps and robots.txt."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from email.utils import format_datetime
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from mxwatch.demo_site.catalog import modified, parse_date

# Feed links carry campaign parameters, as real publishers' do, while each page's rel=canonical stays clean.
RSS_TRACKING = "utm_source=rss&utm_medium=feed"
ATOM_TRACKING = "utm_source=atom&utm_medium=feed"
FEED_TITLE = "mxwatch demo newsroom"
FEED_DESCRIPTION = "Business and technology news from Mexico (fictional demo content for mxwatch tests)."

Record = dict[str, Any]
UrlFor = Callable[[Record], str]


def _newest_first(records: Iterable[Record]) -> list[Record]:
    return sorted(records, key=lambda r: parse_date(r["published"]), reverse=True)


def latest(records: Iterable[Record]) -> datetime | None:
    """Most recent modification time among records, or None for an empty list."""
    stamps = [modified(r) for r in records]
    return max(stamps) if stamps else None


def _tracked(url: str, tracking: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}{tracking}"


def rss(records: Iterable[Record], base: str, url_for: UrlFor) -> str:
    """RSS 2.0 channel with one item per record, newest first."""
    items = _newest_first(records)
    built = latest(items)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">',
        "<channel>",
        f"<title>{escape(FEED_TITLE)}</title>",
        f"<link>{escape(base)}/</link>",
        f"<description>{escape(FEED_DESCRIPTION)}</description>",
        f'<atom:link href={quoteattr(base + "/feed.xml")} rel="self" type="application/rss+xml"/>',
        "<generator>mxwatch demo_site</generator>",
    ]
    if built:
        out.append(f"<lastBuildDate>{format_datetime(built)}</lastBuildDate>")
    for r in items:
        url = url_for(r)
        out += [
            "<item>",
            f"<title>{escape(r['title'])}</title>",
            f"<link>{escape(_tracked(url, RSS_TRACKING))}</link>",
            f'<guid isPermaLink="true">{escape(url)}</guid>',
            f"<pubDate>{format_datetime(parse_date(r['published']))}</pubDate>",
            *(f"<dc:creator>{escape(a)}</dc:creator>" for a in r.get("authors", [])),
            f"<category>{escape(r.get('section', ''))}</category>",
            f"<description>{escape(r.get('standfirst') or r['paragraphs'][0])}</description>",
            "</item>",
        ]
    out += ["</channel>", "</rss>", ""]
    return "\n".join(out)


def atom(records: Iterable[Record], base: str, url_for: UrlFor) -> str:
    """Atom 1.0 feed with the same items as the RSS channel."""
    items = _newest_first(records)
    built = latest(items)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"<title>{escape(FEED_TITLE)}</title>",
        f"<subtitle>{escape(FEED_DESCRIPTION)}</subtitle>",
        f"<id>{escape(base)}/</id>",
        f'<link rel="self" type="application/atom+xml" href={quoteattr(base + "/atom.xml")}/>',
        f'<link rel="alternate" type="text/html" href={quoteattr(base + "/")}/>',
        f"<updated>{(built or datetime.fromisoformat('2017-01-01T00:00:00+00:00')).isoformat()}</updated>",
    ]
    for r in items:
        url = url_for(r)
        out += [
            f'<entry xml:lang="{escape(r["lang"])}">',
            f"<title>{escape(r['title'])}</title>",
            f"<id>{escape(url)}</id>",
            f'<link rel="alternate" type="text/html" href={quoteattr(_tracked(url, ATOM_TRACKING))}/>',
            f"<published>{parse_date(r['published']).isoformat()}</published>",
            f"<updated>{modified(r).isoformat()}</updated>",
            *(f"<author><name>{escape(a)}</name></author>" for a in r.get("authors", [])),
            f"<summary>{escape(r.get('standfirst') or r['paragraphs'][0])}</summary>",
            "</entry>",
        ]
    out += ["</feed>", ""]
    return "\n".join(out)


def sitemap_index(children: Iterable[tuple[str, datetime | None]]) -> str:
    """Sitemap index pointing at child sitemaps, given (absolute URL, lastmod) pairs."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for loc, lastmod in children:
        out.append("<sitemap>")
        out.append(f"<loc>{escape(loc)}</loc>")
        if lastmod:
            out.append(f"<lastmod>{lastmod.isoformat()}</lastmod>")
        out.append("</sitemap>")
    out += ["</sitemapindex>", ""]
    return "\n".join(out)


def news_sitemap(records: Iterable[Record], url_for: UrlFor, publication_for: Callable[[Record], str]) -> str:
    """Google News sitemap (news:news with publication, publication_date and title) for the records."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
           'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">']
    for r in _newest_first(records):
        out += [
            "<url>",
            f"<loc>{escape(url_for(r))}</loc>",
            "<news:news>",
            "<news:publication>",
            f"<news:name>{escape(publication_for(r))}</news:name>",
            f"<news:language>{escape(r['lang'])}</news:language>",
            "</news:publication>",
            f"<news:publication_date>{parse_date(r['published']).isoformat()}</news:publication_date>",
            f"<news:title>{escape(r['title'])}</news:title>",
            "</news:news>",
            "</url>",
        ]
    out += ["</urlset>", ""]
    return "\n".join(out)


def pages_sitemap(records: Iterable[Record], url_for: UrlFor) -> str:
    """Plain sitemap urlset with a lastmod per record."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for r in _newest_first(records):
        out += ["<url>", f"<loc>{escape(url_for(r))}</loc>", f"<lastmod>{modified(r).isoformat()}</lastmod>",
                "<changefreq>monthly</changefreq>", "</url>"]
    out += ["</urlset>", ""]
    return "\n".join(out)


def robots(base: str) -> str:
    """robots.txt that keeps every crawler out of /private/ and advertises the sitemap index."""
    return f"User-agent: *\nDisallow: /private/\n\nSitemap: {base}/sitemap.xml\n"
