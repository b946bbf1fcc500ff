"""Safe parsing of sitemaps: plain urlsets, sitemap indexes and Google News sitemaps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from urllib.parse import urljoin

from lxml import etree

from mxwatch.errors import UsageError
from mxwatch.pipelines.page_metadata import parse_datetime


@dataclass
class SitemapEntry:
    """One <url> or <sitemap> entry."""

    url: str
    lastmod: datetime | None = None
    published: datetime | None = None  # news:publication_date, a Google News sitemap's own date
    title: str | None = None  # news:title


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def parse_sitemap(body: bytes, base_url: str) -> tuple[str, list[SitemapEntry]]:
    """The sitemap's type (``urlset`` or ``sitemapindex``) and its entries; UsageError if it is neither.

    Entities are never resolved and no DTD or network access is allowed, so entity bombs stay inert; a sitemap
    that declares entities at all (an XML bomb, an external entity reading a local file) is refused, as feeds are.
    """
    parser_args = {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False,
                   "remove_comments": True, "remove_pis": True}
    entries: list[SitemapEntry] = []
    kind = ""
    try:
        for event, elem in etree.iterparse(BytesIO(body), events=("start", "end"), **parser_args):
            name = _local(elem.tag)
            if event == "start":
                if not kind:
                    dtd = elem.getroottree().docinfo.internalDTD
                    if dtd is not None and next(dtd.iterentities(), None) is not None:
                        raise UsageError(f"sitemap {base_url} refused: it declares XML entities (unsafe XML)")
                    kind = name
                    if kind not in ("urlset", "sitemapindex"):
                        raise UsageError(f"{base_url} is not a sitemap (root element <{kind}>)")
                continue
            if name not in ("url", "sitemap"):
                continue
            fields = {_local(child.tag): (child.text or "").strip() for child in elem.iter() if child is not elem}
            if fields.get("loc"):
                entries.append(SitemapEntry(
                    url=urljoin(base_url, fields["loc"]),
                    lastmod=parse_datetime(fields.get("lastmod")),
                    published=parse_datetime(fields.get("publication_date")),
                    title=fields.get("title") or None,
                ))
            elem.clear()
    except etree.XMLSyntaxError as exc:
        if "amplification" in str(exc):  # libxml2 stopped an entity-expansion bomb before the root element
            raise UsageError(f"sitemap {base_url} refused: entity expansion bomb (unsafe XML)") from exc
        raise UsageError(f"{base_url} is not well-formed XML: {exc}") from exc
    if not kind:
        raise UsageError(f"{base_url} is empty")
    return kind, entries
