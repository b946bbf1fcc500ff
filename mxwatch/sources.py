"""The sources file: which feeds, sitemaps and news searches to crawl, validated with one clear error per bad
entry.

Kinds and their keys: ``feed`` and ``sitemap`` take a ``url``; ``google_news`` (Google News RSS search) takes a
``query`` and a ``lang`` (an edition of settings.GOOGLE_NEWS_EDITIONS); ``gdelt`` (GDELT DOC 2.0) takes a
``query``. Every loaded source carries a ``url``: the search URL for the two search kinds.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import yaml

from mxwatch import settings
from mxwatch.errors import UsageError

# The keys each kind takes besides name and kind.
KIND_KEYS: dict[str, tuple[str, ...]] = {
    "feed": ("url",),
    "sitemap": ("url",),
    "google_news": ("query", "lang"),
    "gdelt": ("query",),
}
KINDS = tuple(KIND_KEYS)
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


def check_url(url: object, what: str = "URL") -> str:
    """Return ``url`` if it is an absolute http(s) URL, else raise UsageError."""
    if not isinstance(url, str) or not url.strip():
        raise UsageError(f"{what} must be a non-empty string")
    text = url.strip()
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise UsageError(f"{what} {url!r} contains spaces or control characters (write a space as %20)")
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{what} {url!r} is not an absolute http(s) URL")
    try:
        parts.port  # noqa: B018 - parsing it is the check
    except ValueError:
        raise UsageError(f"{what} {url!r} has an invalid port") from None
    return text


def source_from_url(kind: str, url: str) -> dict[str, str]:
    """A source entry for a URL given on the command line."""
    url = check_url(url, f"--{kind}")
    parts = urlsplit(url)
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{parts.netloc}{parts.path}").strip("-")[:90]
    return {"name": f"{kind}-{slug}", "kind": kind, "url": url}


def google_news_search_url(query: str, lang: str) -> str:
    """The Google News RSS search URL for ``query`` in the edition of ``lang`` ("es" or "en")."""
    params = {"q": query, **settings.GOOGLE_NEWS_EDITIONS[lang]}
    return f"{settings.google_news_url()}?{urlencode(params, safe=':')}"


def gdelt_search_url(query: str) -> str:
    """The GDELT DOC 2.0 article-list URL for ``query``, without its time window (the spider adds it)."""
    params = {"query": query, "mode": "artlist", "format": "json", "maxrecords": settings.GDELT_MAX_RECORDS,
              "sort": "datedesc"}
    return f"{settings.gdelt_url()}?{urlencode(params)}"


def _query(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise UsageError(f"{where}: query must be a non-empty string")
    if len(value) > 500:
        raise UsageError(f"{where}: query is longer than 500 characters")
    return " ".join(value.split())


def _entry(entry: dict[str, Any], kind: str, where: str) -> dict[str, str]:
    """The validated fields of one entry of ``kind``, with its URL."""
    if kind in ("feed", "sitemap"):
        return {"url": check_url(entry.get("url"), f"{where}: url")}
    query = _query(entry.get("query"), where)
    if kind == "gdelt":
        return {"query": query, "url": gdelt_search_url(query)}
    lang = entry.get("lang")
    if lang not in settings.GOOGLE_NEWS_EDITIONS:
        raise UsageError(f"{where}: lang must be one of {', '.join(settings.GOOGLE_NEWS_EDITIONS)} (got {lang!r})")
    return {"query": query, "lang": lang, "url": google_news_search_url(query, lang)}


def load_sources(path: Path | str | None = None) -> list[dict[str, str]]:
    """Read and validate a sources file (YAML: ``sources: [{name, kind, url | query, lang?}, ...]``)."""
    path = Path(path) if path else settings.sources_file()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise UsageError(f"sources file not found: {path}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read sources file {path}: {exc}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        raise UsageError(f"sources file {path} is not valid YAML{where}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("sources"), list):
        raise UsageError(f"sources file {path} must have a top-level 'sources:' list")
    seen: set[str] = set()
    sources = []
    for number, entry in enumerate(data["sources"], start=1):
        where = f"sources file {path}, entry {number}"
        if not isinstance(entry, dict):
            raise UsageError(f"{where}: expected a mapping with name, kind and url (or query)")
        name, kind = entry.get("name"), entry.get("kind")
        if isinstance(name, str) and _NAME.match(name):
            where += f" ({name})"
        if not isinstance(name, str) or not _NAME.match(name):
            raise UsageError(f"{where}: name must be letters, digits, '-', '_' or '.' (got {name!r})")
        if name in seen:
            raise UsageError(f"{where}: duplicate name {name!r}")
        if kind not in KINDS:
            raise UsageError(f"{where}: kind must be one of {', '.join(KINDS)} (got {kind!r})")
        unknown = set(entry) - {"name", "kind", *KIND_KEYS[kind]}
        if unknown:
            raise UsageError(f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))} for kind {kind} "
                             f"(it takes {', '.join(KIND_KEYS[kind])})")
        seen.add(name)
        sources.append({"name": name, "kind": kind, **_entry(entry, kind, where)})
    if not sources:
        raise UsageError(f"sources file {path} lists no sources")
    return sources
