"""The sources file: which feeds and sitemaps to crawl, validated with one clear error per bad entry."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from mxwatch import settings
from mxwatch.errors import UsageError

KINDS = ("feed", "sitemap")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


def check_url(url: object, what: str = "URL") -> str:
    """Return ``url`` if it is an absolute http(s) URL, else raise UsageError."""
    if not isinstance(url, str) or not url.strip():
        raise UsageError(f"{what} must be a non-empty string")
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"{what} {url!r} is not an absolute http(s) URL")
    return url.strip()


def source_from_url(kind: str, url: str) -> dict[str, str]:
    """A source entry for a URL given on the command line."""
    url = check_url(url, f"--{kind}")
    parts = urlsplit(url)
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{parts.netloc}{parts.path}").strip("-")[:90]
    return {"name": f"{kind}-{slug}", "kind": kind, "url": url}


def load_sources(path: Path | str | None = None) -> list[dict[str, str]]:
    """Read and validate a sources file (YAML: ``sources: [{name, kind, url}, ...]``)."""
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
            raise UsageError(f"{where}: expected a mapping with name, kind and url")
        unknown = set(entry) - {"name", "kind", "url"}
        if unknown:
            raise UsageError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
        name, kind = entry.get("name"), entry.get("kind")
        if not isinstance(name, str) or not _NAME.match(name):
            raise UsageError(f"{where}: name must be letters, digits, '-', '_' or '.' (got {name!r})")
        if name in seen:
            raise UsageError(f"{where}: duplicate name {name!r}")
        if kind not in KINDS:
            raise UsageError(f"{where}: kind must be one of {', '.join(KINDS)} (got {kind!r})")
        seen.add(name)
        sources.append({"name": name, "kind": kind, "url": check_url(entry.get("url"), f"{where}: url")})
    if not sources:
        raise UsageError(f"sources file {path} lists no sources")
    return sources
