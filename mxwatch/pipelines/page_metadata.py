"""Structured metadata declared by a news page: JSON-LD, OpenGraph, <meta>, <time>, canonical links.

Publishers describe their articles in several overlapping vocabularies. This module reads all of them
from a parsed lxml tree into one :class:`PageMetadata` record of *raw candidates*; choosing between them
(and cleaning titles) is the job of :mod:`mxwatch.pipelines.extraction`.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from lxml.html import HtmlElement

# JSON-LD types that describe the article itself (schema.org Article and its usual subtypes).
_ARTICLE_TYPES = {
    "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
    "backgroundnewsarticle", "reviewnewsarticle", "blogposting", "liveblogposting", "socialmediaposting",
    "scholarlyarticle", "techarticle", "report",
}
_ISO_RE = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?",
    re.IGNORECASE,
)
_WS_RE = re.compile(r"\s+")
_URLISH_RE = re.compile(r"^(?:https?:)?//|^www\.", re.IGNORECASE)
_EMAIL_RE = re.compile(r"\S+@\S+\.\w+")

_PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "article:published", "datepublished",
    "date", "pubdate", "publishdate", "publish-date", "publish_date", "published_time", "dc.date",
    "dc.date.issued", "dcterms.date", "dcterms.created", "sailthru.date", "parsely-pub-date",
    "cxenseparse:recs:publishtime",
)
_AUTHOR_META = ("author", "article:author", "og:article:author", "sailthru.author", "parsely-author",
                "dc.creator", "byl")


@dataclass
class PageMetadata:
    """Raw metadata candidates found in a page, each as declared (entities decoded, whitespace collapsed)."""

    ld_headline: str | None = None
    og_title: str | None = None
    twitter_title: str | None = None
    html_title: str | None = None
    h1: list[str] = field(default_factory=list)
    site_names: list[str] = field(default_factory=list)
    description: str | None = None
    ld_published: datetime | None = None
    meta_published: datetime | None = None
    time_published: datetime | None = None
    ld_authors: list[str] = field(default_factory=list)
    meta_authors: list[str] = field(default_factory=list)
    ld_article_body: str | None = None
    canonical: str | None = None
    og_url: str | None = None
    lang: str | None = None


def clean_text(value: Any) -> str | None:
    """Decode HTML entities (JSON-LD often carries ``&#8217;``) and collapse whitespace; None if empty."""
    if not isinstance(value, str):
        return None
    text = _WS_RE.sub(" ", html.unescape(value)).strip()
    return text or None


def parse_datetime(value: Any) -> datetime | None:
    """Parse an ISO-8601-like timestamp (``+0100``, ``Z``, a space before the offset...) into an aware datetime.

    Dates without an offset are taken as UTC, as the public API promises timezone-aware values.
    """
    if not isinstance(value, str):
        return None
    match = _ISO_RE.search(value)
    if not match:
        return None
    year, month, day, hour, minute, second, offset = match.groups()
    tz = UTC
    if offset and offset.upper() != "Z":
        digits = offset[1:].replace(":", "")
        delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
        tz = timezone(-delta if offset[0] == "-" else delta)
    try:
        return datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0),
                        tzinfo=tz)
    except ValueError:
        return None


def _types(node: dict[str, Any]) -> set[str]:
    raw = node.get("@type")
    values = raw if isinstance(raw, list) else [raw]
    return {v.lower() for v in values if isinstance(v, str)}


def _walk(node: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Yield every JSON object breadth-first, so the page's top-level article comes before nested ones."""
    queue: list[tuple[Any, int]] = [(node, depth)]
    while queue:
        current, level = queue.pop(0)
        if level > 12:  # hostile or absurd nesting: stop rather than recurse forever
            continue
        if isinstance(current, dict):
            yield current
            queue.extend((v, level + 1) for v in current.values() if isinstance(v, dict | list))
        elif isinstance(current, list):
            queue.extend((v, level + 1) for v in current if isinstance(v, dict | list))


def load_json_ld(tree: HtmlElement) -> list[Any]:
    """Parse every ``application/ld+json`` block, skipping the broken ones (common: trailing commas)."""
    blocks = []
    for script in tree.iterfind(".//script"):
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        text = (script.text or "").strip()
        if not text:
            continue
        try:
            blocks.append(json.loads(text))
        except ValueError:
            # Some CMSs emit control characters or a trailing comma; one cheap repair attempt.
            try:
                blocks.append(json.loads(re.sub(r",\s*([}\]])", r"\1", text), strict=False))
            except ValueError:
                continue
    return blocks


def _person_names(value: Any, index: dict[str, dict[str, Any]]) -> list[str]:
    """Names from a JSON-LD author value: string, object, ``@id`` reference or a list of them."""
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        if isinstance(item, str):
            names.append(item)
            continue
        if not isinstance(item, dict):
            continue
        if "name" not in item and isinstance(item.get("@id"), str):
            item = index.get(item["@id"], item)  # resolve @graph references
        name = item.get("name")
        if isinstance(name, list):
            names.extend(n for n in name if isinstance(n, str))
        elif isinstance(name, str):
            names.append(name)
        elif isinstance(item.get("image"), dict) and "person" not in _types(item.get("image", {})):
            # Some CMSs nest the only name in the author's photo object.
            image_name = item["image"].get("name")
            if isinstance(image_name, str):
                names.append(image_name)
    return [n for n in (clean_text(n) for n in names) if n and not _URLISH_RE.match(n)]


def _main_article(blocks: list[Any], canonical: str | None) -> tuple[dict[str, Any] | None, dict]:
    """The JSON-LD object describing this page's article, plus an ``@id`` index for references."""
    index: dict[str, dict[str, Any]] = {}
    articles: list[dict[str, Any]] = []
    for node in _walk(blocks):
        node_id = node.get("@id")
        if isinstance(node_id, str) and len(node) > 1:
            index.setdefault(node_id, node)
        if _types(node) & _ARTICLE_TYPES and (node.get("headline") or node.get("datePublished")):
            articles.append(node)
    if not articles:
        return None, index
    if canonical:
        # Pages embedding several articles (live blogs, related items): prefer the one about this URL.
        key = canonical.rstrip("/")
        for node in articles:
            main = node.get("mainEntityOfPage")
            urls = [node.get("url"), main if isinstance(main, str) else (main or {}).get("@id")
                    if isinstance(main, dict) else None]
            if any(isinstance(u, str) and u.rstrip("/") == key for u in urls):
                return node, index
    return articles[0], index


def _meta_map(tree: HtmlElement) -> dict[str, list[str]]:
    """All ``<meta>`` values keyed by lowercased property/name/itemprop, in document order."""
    found: dict[str, list[str]] = {}
    for meta in tree.iterfind(".//meta"):
        content = meta.get("content")
        if content is None:
            continue
        for attr in ("property", "name", "itemprop"):
            key = meta.get(attr)
            if key:
                found.setdefault(key.strip().lower(), []).append(content)
    return found


def _first(values: Iterable[str | None]) -> str | None:
    for value in values:
        text = clean_text(value)
        if text:
            return text
    return None


def _time_published(tree: HtmlElement) -> datetime | None:
    """The first ``<time datetime>`` that looks like the article's own (inside article/header/main)."""
    for node in tree.xpath(
        "(//article|//header|//main|//*[@itemprop='datePublished'])//time[@datetime]"
        " | //time[@itemprop='datePublished'] | //time[@pubdate]"
    )[:5]:
        # Skip times that label an update ("Updated ...") when a sibling time might be the publish time.
        label = (node.getparent().text_content() if node.getparent() is not None else "").lower()
        if "updated" in label and "published" not in label and "posted" not in label:
            continue
        parsed = parse_datetime(node.get("datetime"))
        if parsed:
            return parsed
    return None


def read_metadata(tree: HtmlElement) -> PageMetadata:
    """Collect every structured metadata candidate from a parsed page (the tree is not modified)."""
    meta = _meta_map(tree)
    md = PageMetadata()
    for link in tree.iterfind(".//link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            md.canonical = link.get("href", "").strip() or None
            break
    md.og_url = _first(meta.get("og:url", []))
    blocks = load_json_ld(tree)
    article, index = _main_article(blocks, md.canonical or md.og_url)
    if article is not None:
        md.ld_headline = clean_text(article.get("headline")) or clean_text(article.get("name"))
        md.ld_published = parse_datetime(article.get("datePublished")) or parse_datetime(
            article.get("dateCreated"))
        md.ld_authors = _person_names(article.get("author") or article.get("creator"), index)
        md.ld_article_body = article.get("articleBody") if isinstance(article.get("articleBody"), str) else None
        publisher = article.get("publisher")
        md.site_names.extend(_person_names(publisher, index) if publisher else [])
    for node in _walk(blocks):
        if "website" in _types(node) or "newsmediaorganization" in _types(node):
            md.site_names.extend(_person_names(node, index))
    md.og_title = _first(meta.get("og:title", []))
    md.twitter_title = _first(meta.get("twitter:title", []))
    title_node = tree.find(".//title")
    md.html_title = clean_text(title_node.text_content()) if title_node is not None else None
    md.h1 = [t for t in (clean_text(h.text_content()) for h in tree.iterfind(".//h1")) if t]
    md.site_names[:0] = [s for s in (clean_text(v) for v in meta.get("og:site_name", [])) if s]
    md.site_names.extend(s for s in (clean_text(v) for v in meta.get("application-name", [])) if s)
    md.description = _first(meta.get("og:description", []) + meta.get("description", []))
    md.meta_published = next(
        (d for key in _PUBLISHED_META for d in map(parse_datetime, meta.get(key, [])) if d), None)
    md.time_published = _time_published(tree)
    for key in _AUTHOR_META:
        for value in meta.get(key, []):
            text = clean_text(value)
            if text and not _URLISH_RE.match(text):
                md.meta_authors.append(text)
        if md.meta_authors:
            break
    lang = tree.get("lang") or tree.get("xml:lang") or _first(meta.get("og:locale", []))
    if lang:
        code = re.split(r"[-_]", lang.strip().lower())[0]
        md.lang = code if re.fullmatch(r"[a-z]{2}", code) else None
    return md


# ---------------------------------------------------------------- author names
_BY_RE = re.compile(r"^\s*(?:by|por|written by|escrito por|reported by|texto:|text:)\s+", re.IGNORECASE)
_ROLE_RE = re.compile(
    r"\s*[,|\-–—]\s*(?:senior |chief |deputy |special |staff |contributing |political |federal )*"
    r"(?:staff writer|writer|reporter[ao]?|correspondent|editor[a]?|columnist[a]?|contributor|producer|"
    r"redactor[a]?|corresponsal|periodista|colaborador[a]?|fot[oó]graf[oa]|enviad[oa] especial)\b.*$",
    re.IGNORECASE,
)
_SPLIT_RE = re.compile(r"\s*(?:;|\band\b|\by\b|&|\|)\s*|,\s*(?=\S)", re.IGNORECASE)
_JUNK_AUTHOR_RE = re.compile(r"^(?:facebook|twitter|instagram|linkedin|email|share|follow)$", re.IGNORECASE)


def clean_authors(raw: Iterable[str]) -> list[str]:
    """Normalise author strings: strip "By"/"Por", roles and e-mails, split lists, drop duplicates.

    Desks and agencies ("Associated Press", "MND Staff") are names here and are kept.
    """
    names: list[str] = []
    seen: set[str] = set()
    for value in raw:
        text = clean_text(_EMAIL_RE.sub(" ", value or "")) or ""
        text = _BY_RE.sub("", text)
        text = _ROLE_RE.sub("", text)
        # "A, B and C" is a list; "Smith, John" (two single words) would be too, and is rare in bylines.
        for part in _SPLIT_RE.split(text):
            name = _BY_RE.sub("", part).strip(" .,:;-–—·")
            if not name or len(name) > 60 or _JUNK_AUTHOR_RE.match(name) or not re.search(r"\w", name):
                continue
            if len(name.split()) > 6 or _URLISH_RE.match(name):
                continue
            key = name.casefold()
            if key not in seen:
                seen.add(key)
                names.append(name)
    return names
