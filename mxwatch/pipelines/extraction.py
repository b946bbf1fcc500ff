"""Article extraction: title, publication date, authors, main text, language and canonical URL.

``extract_html`` combines trafilatura's main-text extraction with the page's structured metadata (JSON-LD,
OpenGraph, ``<meta>``, ``<time>``; see :mod:`mxwatch.pipelines.page_metadata`), which knows the headline,
date and byline better than text heuristics do. ``extract_text`` handles plain-text pages
(:mod:`mxwatch.pipelines.text_page`).

Command line (the corpus scorer's form): ``python -m mxwatch.pipelines.extraction FILE`` prints one JSON
object ``{"url", "title", "published", "authors", "text", "lang"}``; exit status 2 on bad input.
"""

from __future__ import annotations

import codecs
import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html
import trafilatura
from lxml.html import HtmlElement

from mxwatch.pipelines.page_metadata import PageMetadata, clean_authors, clean_text, read_metadata
from mxwatch.pipelines.text_page import cut_trailing_clutter, parse_text_page
from mxwatch.settings import MAX_PAGE_BYTES

__all__ = ["ExtractedArticle", "ExtractionError", "extract_html", "extract_text", "decode_html"]

_MIN_WORDS = 8
_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_WORD_RE = re.compile(r"\w+")
# Title separators between a headline and the site or section name.
_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ", " / ")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "´": "'", "`": "'"})


@dataclass
class ExtractedArticle:
    """One article as extracted from a page."""

    url: str | None
    title: str | None
    published: datetime | None
    authors: list[str] = field(default_factory=list)
    text: str = ""
    lang: str | None = None
    site_name: str | None = None
    description: str | None = None
    # True when no structured date exists and ``published`` is htmldate's guess from the page's text: a date
    # that a feed or search result gives for the item is then the better one.
    published_guessed: bool = False


class ExtractionError(ValueError):
    """The input is empty, not HTML, or has no main text."""


# ---------------------------------------------------------------- decoding
# Declared labels that browsers honour as ISO-8859-1 but publishers write in Windows-1252 (curly quotes, dashes).
_LATIN_LABELS = {"ascii", "iso8859-1", "latin-1"}
# Encodings a page's bytes may be declared in when they are really UTF-8 (a common mislabelling).
_UTF8_MISLABELS = _LATIN_LABELS | {"utf-8", "cp1252", "iso8859-15"}


@cache
def _charsets() -> frozenset[str]:
    """Python names of the real character sets (IANA), as ``codecs.lookup`` spells them.

    ``codecs`` also knows transforms and special codecs (``hex``, ``rot13``, ``idna``, ``undefined``,
    ``unicode_escape``) that a page may "declare" by mistake or malice and that fail or mangle text on
    decoding. UTF-7 is left out as browsers do (script-injection vector); UTF-16/32 without a BOM cannot
    be a page's declared ASCII-compatible charset (the declaration itself was read as ASCII).
    """
    from charset_normalizer.constant import IANA_SUPPORTED  # imported late: only pages declaring a charset

    names = set()
    for name in IANA_SUPPORTED:
        try:
            names.add(codecs.lookup(name).name)
        except LookupError:
            continue
    return frozenset(names - {codecs.lookup(n).name for n in ("utf-7", "utf-16", "utf-32")})


def _usable_codec(label: str | bytes | None) -> str | None:
    """The codec a declared charset label names, or None when it names nothing usable for a page."""
    if not label:
        return None
    if isinstance(label, bytes):
        label = label.decode("ascii", "ignore")
    try:
        name = codecs.lookup(label.strip().strip("\"'").strip()).name
    except (LookupError, ValueError, TypeError):  # unknown, empty or NUL-containing labels
        return None
    return name if name in _charsets() else None


def _decode_declared(data: bytes, codec: str, utf8: str | None) -> str | None:
    """Decode with a declared codec, or None when the bytes show that the declaration is wrong."""
    if utf8 is not None and codec in _UTF8_MISLABELS:
        # Real Latin-1 text almost never forms valid multi-byte UTF-8, while mislabelled UTF-8 pages are common.
        return utf8
    for candidate in ("cp1252", "latin-1") if codec in _LATIN_LABELS else (codec,):
        try:
            return data.decode(candidate)
        except UnicodeError:  # strict: a codec that does not fit the bytes would fill the text with U+FFFD
            continue
    return None


def _guess_decode(data: bytes) -> str:
    """Decode bytes whose charset is unknown (undeclared, or declared wrongly) with charset-normalizer.

    Windows-1252 is preferred whenever charset-normalizer finds it plausible: Central-European code pages
    read Western text almost as well and often win its ranking, turning "compañía" into "compańía".
    """
    from charset_normalizer import from_bytes  # imported late: only needed for pages that are not UTF-8

    matches = from_bytes(data[:200_000])
    if any(m.encoding in {"cp1252", "latin_1", "iso8859_15"} for m in matches):
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:  # one of the five bytes cp1252 leaves undefined: the guess decides
            pass
    best = matches.best()
    return data.decode(best.encoding if best is not None else "cp1252", errors="replace")


def decode_html(data: bytes, encoding: str | None = None) -> str:
    """Decode page bytes: BOM, then the declared charsets, then UTF-8, then a guess.

    ``encoding`` is the HTTP ``Content-Type`` charset, which outranks the page's own ``<meta>`` (the HTML
    standard's order); a BOM outranks both. A declared charset that names no real character set
    (``hex``, ``undefined``, garbage) or that the bytes do not strictly decode in is ignored: the page
    then goes to UTF-8, and failing that to Windows-1252 or charset-normalizer's guess.
    """
    for bom, bom_encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                              (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(bom_encoding, errors="replace")
    try:
        utf8: str | None = data.decode("utf-8")
    except UnicodeDecodeError:
        utf8 = None
    match = _META_CHARSET_RE.search(data[:8192])
    for label in (encoding, match.group(1) if match else None):
        codec = _usable_codec(label)
        text = _decode_declared(data, codec, utf8) if codec else None
        if text is not None:
            return text
    return utf8 if utf8 is not None else _guess_decode(data)


def _looks_binary(data: bytes | str) -> bool:
    """NUL bytes (outside UTF-16) or many control characters: an image, archive or PDF, not a page."""
    sample = data[:4096]
    if isinstance(sample, bytes):
        if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return False  # judged again once decoded
        if b"\x00" in sample:
            return True
        sample = sample.decode("latin-1")
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t\f")
    return controls > len(sample) * 0.05


def _parse(html: bytes | str, encoding: str | None = None) -> HtmlElement:
    if not html or not (html.strip() if isinstance(html, str) else html.strip()):
        raise ExtractionError("empty input")
    if len(html) > MAX_PAGE_BYTES:  # bigger "pages" are not articles: refuse rather than spend memory on them
        raise ExtractionError(f"input too large ({len(html)} bytes)")
    if _looks_binary(html):
        raise ExtractionError("input is binary, not HTML")
    text = decode_html(html, encoding) if isinstance(html, bytes) else html
    if isinstance(html, bytes) and _looks_binary(text):
        raise ExtractionError("input is binary, not HTML")
    text = _XML_DECL_RE.sub("", text, count=1)
    if "<" not in text[:4096]:
        raise ExtractionError("input is not HTML")
    try:
        tree = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise ExtractionError(f"unparsable HTML: {exc}") from None
    if tree is None or tree.find(".//body") is None:
        raise ExtractionError("input is not an HTML document")
    return tree


# ---------------------------------------------------------------- titles
def _norm(text: str | None) -> str:
    """Comparison key: NFC, straight quotes, casefolded words."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text).translate(_QUOTES).casefold()
    return " ".join(_WORD_RE.findall(text))


def _site_keys(md: PageMetadata, url: str | None) -> set[str]:
    """Squashed site names ("globalnews", "elpais") to recognise a title's site segment."""
    keys = {re.sub(r"\W+", "", _norm(s)) for s in md.site_names}
    for address in (url, md.canonical, md.og_url):
        host = re.sub(r"^https?://(?:www\d?\.)?", "", address or "").split("/")[0].lower()
        if host:
            keys.add(re.sub(r"\W+", "", host.rsplit(".", 2 if host.endswith(".co.uk") else 1)[0]))
    return {k for k in keys if len(k) >= 2}


def _is_site_segment(segment: str, keys: set[str]) -> bool:
    squashed = re.sub(r"\W+", "", _norm(segment))
    squashed = re.sub(r"(?:com|couk|es|mx|ca|au|org|net)$", "", squashed) or squashed
    return bool(squashed) and any(
        squashed == k or (len(squashed) >= 4 and (squashed in k or k in squashed)) for k in keys)


def strip_site_name(title: str, site_keys: set[str], h1: str | None = None) -> str:
    """Remove ``| Site``, ``- Site``, ``Site: `` decorations (and section names beside them) from a title.

    The h1, when it is a part of the title, is the cross-check: the title is then exactly that part.
    """
    if h1 and _norm(h1) != _norm(title) and len(_norm(h1)) >= 10 and _norm(h1) in _norm(title):
        return h1
    for sep in _SEPARATORS:
        parts = title.split(sep)
        if len(parts) < 2:
            continue
        if _is_site_segment(parts[-1], site_keys):
            parts.pop()
            # "Headline | Section | Site": with a site suffix found, short trailing segments are sections.
            while len(parts) > 1 and len(parts[-1].split()) <= 3 and sep.strip() in "|·/::":
                parts.pop()
            return sep.join(parts).strip()
        if _is_site_segment(parts[0], site_keys):
            return sep.join(parts[1:]).strip()
    for sep in (": ", " : "):
        head, _, rest = title.partition(sep)
        if rest and _is_site_segment(head, site_keys):
            return rest.strip()
    return title


def _article_h1(md: PageMetadata, others: list[str]) -> str | None:
    """The page's headline h1: the one sharing most words with the declared titles (pages have several)."""
    if not md.h1:
        return None
    if len(md.h1) == 1:
        return md.h1[0]
    ref = set(" ".join(_norm(o) for o in others).split())

    def overlap(h: str) -> float:
        words = _norm(h).split()
        return sum(w in ref for w in words) / (len(words) or 1) + min(len(words), 6) / 60

    return max(md.h1, key=overlap)


def choose_title(md: PageMetadata, url: str | None = None) -> str | None:
    """Pick the headline by agreement between the JSON-LD headline, og:title, the h1 and <title>."""
    keys = _site_keys(md, url)
    raw = [md.ld_headline, md.og_title, md.html_title, md.twitter_title]
    h1 = _article_h1(md, [r for r in raw if r])
    candidates = {
        "ld": md.ld_headline,
        "og": strip_site_name(md.og_title, keys, h1) if md.og_title else None,
        "h1": h1,
        "title": strip_site_name(md.html_title, keys, h1) if md.html_title else None,
        "tw": strip_site_name(md.twitter_title, keys, h1) if md.twitter_title else None,
    }
    return _vote(candidates)


def _vote(candidates: dict[str, str | None]) -> str | None:
    present = {k: v for k, v in candidates.items() if v}
    if not present:
        return None
    votes: dict[str, list[str]] = {}
    for name, value in present.items():
        votes.setdefault(_norm(value), []).append(name)
    order = ["og", "ld", "h1", "title", "tw"]

    def rank(key: str) -> tuple[int, int]:
        names = votes[key]
        return (len(names), -min(order.index(n) for n in names))

    best = max(votes, key=rank)
    names = sorted(votes[best], key=order.index)
    # Several spellings of the same words (curly vs straight quotes): the displayed h1 spelling wins.
    for preferred in ("h1", "ld", "og", "title", "tw"):
        if preferred in names:
            return present[preferred]
    return present[names[0]]


# ---------------------------------------------------------------- body
def _paragraph_key(text: str) -> str:
    return " ".join(_WORD_RE.findall(text.casefold()))


def clean_paragraphs(paragraphs: list[str], titles: list[str]) -> list[str]:
    """Remove a repeated headline, duplicated paragraphs (captions, pull quotes) and trailing furniture.

    ``titles`` are all the page's headline variants (h1, og:title, JSON-LD...): any of them may be
    repeated at the top of the extracted text.
    """
    title_keys = {_paragraph_key(t) for t in titles if t}
    # Furniture headings ("More from ...", "Most read") in the first third are more likely a real subheading.
    paragraphs = cut_trailing_clutter(paragraphs, min_keep=max(1, len(paragraphs) // 3))
    keys = [_paragraph_key(p) for p in paragraphs]
    kept: list[str] = []
    seen: set[str] = set()
    for i, (para, key) in enumerate(zip(paragraphs, keys, strict=True)):
        if not key or (i < 3 and key in title_keys):
            continue
        if key in seen:
            continue
        # A caption or pull quote repeats a sentence-level chunk of a longer paragraph elsewhere.
        if len(key) >= 40 and any(len(other) > len(key) and key in other for other in keys):
            continue
        seen.add(key)
        kept.append(para)
    return kept


def _main_text(tree: HtmlElement, url: str | None) -> list[str]:
    doc = trafilatura.bare_extraction(
        tree, url=url, fast=True, include_comments=False, include_tables=False, with_metadata=False,
        deduplicate=False)
    text = getattr(doc, "text", None) if doc is not None else None
    if not text:
        return []
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


def _structured_body(md: PageMetadata, paragraphs: list[str]) -> list[str]:
    """Use JSON-LD ``articleBody`` when it holds clearly more of the story than the extracted text.

    Pages that load the rest of the story lazily (or hide it in widgets) give trafilatura only a part;
    the declared body is then the better source, provided it contains what was extracted.
    """
    body = md.ld_article_body
    if not body:
        return paragraphs
    body_text = clean_text(re.sub(r"<[^>]+>|\+\+\+\w+", " ", body)) or ""
    body_words = _WORD_RE.findall(body_text.lower())
    text_words = _WORD_RE.findall(" ".join(paragraphs).lower())
    if len(body_words) < 1.5 * len(text_words) + 50:
        return paragraphs
    vocabulary = set(body_words)
    covered = sum(w in vocabulary for w in text_words) / (len(text_words) or 1)
    if covered < 0.9:
        return paragraphs
    blocks = [b for b in re.split(r"\n\s*\n|\n", re.sub(r"\+\+\+\w+", "", body)) if b.strip()]
    return [t for t in (clean_text(re.sub(r"<[^>]+>", " ", b)) for b in blocks) if t]


# ---------------------------------------------------------------- dates and authors
def _fallback_date(tree: HtmlElement, url: str | None) -> datetime | None:
    """htmldate's guess (original date, not the last update), for pages without structured dates."""
    from htmldate import find_date  # imported late: rarely needed and slow to import

    try:
        found = find_date(tree, url=url, original_date=True, extensive_search=True, outputformat="%Y-%m-%d")
    except Exception:  # htmldate raises assorted errors on odd markup; a date is optional
        return None
    if not found:
        return None
    try:
        return datetime.strptime(found, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        return None


def _authors(md: PageMetadata, tree: HtmlElement) -> list[str]:
    for source in (md.ld_authors, md.meta_authors):
        names = clean_authors(source)
        if names:
            return names
    from trafilatura.metadata import extract_author  # byline heuristics, for pages without metadata

    try:
        byline = extract_author(tree)
    except Exception:  # heuristics on hostile markup must not fail the extraction
        byline = None
    return clean_authors([byline]) if byline else []


# ---------------------------------------------------------------- public API
def _canonical_url(md: PageMetadata, url: str | None) -> str | None:
    """The page's canonical (or og:url) address resolved against ``url``, when it is a usable http(s) URL.

    Declared canonicals are publisher input: a malformed one ("http://[::1") or another scheme must not
    fail the extraction or replace the address the page was fetched from.
    """
    for declared in (md.canonical, md.og_url):
        if not declared:
            continue
        try:
            resolved = urljoin(url or "", declared.strip())
            parts = urlsplit(resolved)
            parts.port  # noqa: B018 -- raises ValueError on a non-numeric or out-of-range port
        except ValueError:  # "Invalid IPv6 URL", bad ports: try the next declaration
            continue
        if parts.scheme in {"http", "https"} and parts.hostname:
            return resolved
    return url


def extract_html(html: bytes | str, url: str | None = None, *, encoding: str | None = None) -> ExtractedArticle:
    """Extract the article of an HTML page; raise ExtractionError if none.

    Bytes are charset-decoded (:func:`decode_html`); ``encoding`` is the charset of the HTTP
    ``Content-Type`` header, when the page was fetched over HTTP.
    """
    tree = _parse(html, encoding)
    md = read_metadata(tree)
    title = choose_title(md, url)
    paragraphs = _structured_body(md, _main_text(tree, url))
    titles = [title, md.ld_headline, md.og_title, md.twitter_title, *md.h1]
    paragraphs = clean_paragraphs(paragraphs, [t for t in titles if t])
    # A lone "Home" or a headline is navigation, not an article.
    if len(_WORD_RE.findall(" ".join(paragraphs))) < _MIN_WORDS:
        raise ExtractionError("no main text found")
    declared = md.ld_published or md.meta_published or md.time_published
    published = declared or _fallback_date(tree, url)
    return ExtractedArticle(
        url=_canonical_url(md, url),
        title=title,
        published=published,
        authors=_authors(md, tree),
        text="\n\n".join(paragraphs),
        lang=md.lang,
        site_name=md.site_names[0] if md.site_names else None,
        description=md.description,
        published_guessed=declared is None and published is not None,
    )


def extract_text(text: str, url: str | None = None, title: str | None = None,
                 published: datetime | None = None) -> ExtractedArticle:
    """Extract an article from a plain-text page; ``title``/``published`` hints take precedence."""
    if not text or not text.strip():
        raise ExtractionError("empty input")
    if _looks_binary(text):
        raise ExtractionError("input is binary, not text")
    page = parse_text_page(text, title=clean_text(title) if title else None)
    if not page.paragraphs:
        raise ExtractionError("no main text found")
    if published is not None and published.tzinfo is None:
        published = published.replace(tzinfo=UTC)
    return ExtractedArticle(url=url, title=page.title, published=published, authors=page.authors,
                            text="\n\n".join(page.paragraphs), lang=None)


def to_json(article: ExtractedArticle) -> dict[str, object]:
    """The scorer's JSON form of an article."""
    return {
        "url": article.url,
        "title": article.title,
        "published": article.published.isoformat() if article.published else None,
        "authors": article.authors,
        "text": article.text,
        "lang": article.lang,
    }


def main(argv: list[str] | None = None) -> int:
    """``python -m mxwatch.pipelines.extraction FILE``: print the article as one JSON object."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m mxwatch.pipelines.extraction FILE", file=sys.stderr)
        return 2
    try:
        with open(args[0], "rb") as handle:
            data = handle.read(MAX_PAGE_BYTES + 1)
        article = extract_html(data)
    except (OSError, ExtractionError) as exc:
        print(f"error: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}", file=sys.stderr)
        return 2
    print(json.dumps(to_json(article), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
