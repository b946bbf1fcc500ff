"""Safe parsing of RSS 2.0, RSS 1.0 and Atom feeds into article links."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from mxwatch.errors import UsageError
from mxwatch.pipelines.page_metadata import parse_datetime


@dataclass
class FeedEntry:
    """One item of a feed: the article link and what the feed says about it."""

    url: str
    title: str | None = None
    published: datetime | None = None
    # RSS <source url="...">name</source>: the publisher's site (Google News search results carry it).
    source_url: str | None = None
    source_name: str | None = None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(elem: Element, name: str) -> Element | None:
    return next((c for c in elem if _local(c.tag) == name), None)


def _text(elem: Element, name: str) -> str | None:
    child = _child(elem, name)
    return child.text.strip() if child is not None and child.text and child.text.strip() else None


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return parsedate_to_datetime(value)  # RSS: RFC 822
    except (TypeError, ValueError):
        pass
    return parse_datetime(value)  # Atom: RFC 3339


def _atom_link(entry: Element) -> str | None:
    links = [c for c in entry if _local(c.tag) == "link" and c.get("href")]
    for link in links:
        if link.get("rel", "alternate") == "alternate":
            return link.get("href")
    return links[0].get("href") if links else None


def parse_feed(body: bytes, base_url: str) -> list[FeedEntry]:
    """Article entries of an RSS or Atom feed; raises UsageError for malformed or unsafe XML.

    defusedxml refuses DTD entity declarations, so entity-expansion bombs and external entities never expand.
    """
    try:
        root = fromstring(body, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise UsageError(f"feed {base_url} refused: {type(exc).__name__} (unsafe XML)") from exc
    except ParseError as exc:
        raise UsageError(f"feed {base_url} is not well-formed XML: {exc}") from exc
    kind = _local(root.tag)
    entries: list[FeedEntry] = []
    if kind == "feed":  # Atom
        for entry in (c for c in root if _local(c.tag) == "entry"):
            link = _atom_link(entry)
            if link:
                published = _text(entry, "published") or _text(entry, "updated")
                entries.append(FeedEntry(urljoin(base_url, link), _text(entry, "title"), _date(published)))
    elif kind in ("rss", "RDF"):
        channel = _child(root, "channel")
        items = [c for c in root.iter() if _local(c.tag) == "item"] if channel is not None or kind == "RDF" else []
        for item in items:
            link = _text(item, "link")
            guid = _child(item, "guid")
            if not link and guid is not None and guid.get("isPermaLink", "true") == "true" and guid.text:
                link = guid.text.strip()
            if link:
                published = _text(item, "pubDate") or _text(item, "date")
                source = _child(item, "source")
                entries.append(FeedEntry(
                    urljoin(base_url, link), _text(item, "title"), _date(published),
                    source_url=source.get("url") if source is not None else None,
                    source_name=_text(item, "source"),
                ))
    else:
        raise UsageError(f"{base_url} is not an RSS or Atom feed (root element <{kind}>)")
    return entries
