"""Google News RSS search: a feed whose links are Google redirect URLs; the articles are the publishers'.

Each item's ``<link>`` is ``news.google.com/rss/articles/<id>``; ``<source url="...">`` names the publisher's
site. Older ids carry the publisher's URL inside (base64 protobuf): it is fetched directly. Other links are
fetched and followed when the server redirects (HTTP 3xx). Either way the Google URL is stored as an alias of
the article, so that it is never fetched again, and a link that does not leave Google is skipped.
"""

from __future__ import annotations

import base64
import binascii
from urllib.parse import urlsplit

import scrapy

from mxwatch.spiders.feed import FeedSpider
from mxwatch.spiders.feed_parsing import FeedEntry


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while pos < len(data):
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7
    raise ValueError("truncated varint")


def decode_article_link(link: str) -> str | None:
    """The publisher URL carried inside a Google News article link, or None when the id does not carry one
    (newer ids need Google's own decoding service, so those links are followed instead)."""
    parts = urlsplit(link)
    segments = parts.path.rstrip("/").split("/")
    if "articles" not in segments or segments[-1] == "articles":
        return None
    token = segments[-1]
    try:
        data = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError):
        return None
    pos = 0
    try:  # protobuf fields: a length-delimited one holding an http(s) URL is the article's
        while pos < len(data):
            tag, pos = _varint(data, pos)
            wire = tag & 7
            if wire == 0:
                _, pos = _varint(data, pos)
            elif wire == 2:
                size, pos = _varint(data, pos)
                value = data[pos:pos + size]
                pos += size
                if value.startswith((b"http://", b"https://")) and value.isascii():
                    url = value.decode("ascii")
                    return url if urlsplit(url).netloc else None
            else:
                return None
    except ValueError:
        return None
    return None


def clean_title(title: str | None, publisher: str | None) -> str | None:
    """Google News titles end in " - Publisher": the article's own title is what comes before."""
    if title and publisher and title.endswith(f" - {publisher}"):
        return title[: -len(publisher) - 3].strip() or title
    return title


class GoogleNewsSpider(FeedSpider):
    """A Google News RSS search: publisher articles behind Google's redirect links."""

    def entry_request(self, entry: FeedEntry) -> scrapy.Request | None:
        """Fetch the publisher's URL when the link carries it, else the link itself (following redirects)."""
        title = clean_title(entry.title, entry.source_name)
        publisher_url = decode_article_link(entry.url)
        if publisher_url is not None:
            return self.article_request(publisher_url, title, entry.published, aliases=(entry.url,))
        return self.article_request(entry.url, title, entry.published, must_leave_host=urlsplit(entry.url).netloc)
