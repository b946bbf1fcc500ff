"""Run the peer extractors over a folder of gzipped pages, in the separate bench environment (``.bench-venv``).

Not imported by mxwatch: ``python peer_runner.py GOLD_JSONL PASSES`` prints one JSON object
``{tool: {"version", "pages_per_s", "predictions": {file: {title, published, authors, text}}}}``. The peers
need lxml versions that conflict with the project's, which is why they live in their own environment.
Times are in-process extraction only (pages already decompressed), like mxwatch's own figure.
"""

from __future__ import annotations

import gzip
import json
import socket
import sys
import time
import warnings
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any


def _offline() -> None:
    """Refuse every non-loopback address at once: the peers reach out for public-suffix lists and such (no network
    here, and a benchmark must not wait on DNS timeouts); they fall back to their bundled copies."""
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in ("127.0.0.1", "localhost", "::1", None):
            raise socket.gaierror(socket.EAI_NONAME, f"offline benchmark: {host} not resolved")
        return real(host, *args, **kwargs)

    socket.getaddrinfo = getaddrinfo  # type: ignore[assignment]


def _iso(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _trafilatura(html: str, url: str) -> dict[str, Any]:
    import trafilatura

    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    if doc is None:
        return {}
    author = doc.author or ""
    return {"title": doc.title, "published": doc.date, "text": doc.text or "",
            "authors": [a.strip() for a in author.split(";") if a.strip()]}


def _newspaper(html: str, url: str) -> dict[str, Any]:
    import newspaper

    article = newspaper.Article(url or "https://example.invalid/article")  # it requires one; never fetched
    article.download(input_html=html)
    article.parse()
    return {"title": article.title, "published": _iso(article.publish_date), "authors": list(article.authors),
            "text": article.text or ""}


def _newsplease(html: str, url: str) -> dict[str, Any]:
    from newsplease import NewsPlease

    article = NewsPlease.from_html(html, url=url, fetch_images=False)
    return {"title": article.title, "published": _iso(article.date_publish), "authors": list(article.authors or []),
            "text": article.maintext or ""}


TOOLS: dict[str, tuple[str, Callable[[str, str], dict[str, Any]]]] = {
    "trafilatura": ("trafilatura", _trafilatura),
    "newspaper4k": ("newspaper4k", _newspaper),
    "news-please": ("news-please", _newsplease),
}


def run(gold_path: Path, passes: int) -> dict[str, Any]:
    """Predictions of every peer on every page, and its pages/s over ``passes`` timed passes."""
    golds = [json.loads(line) for line in gold_path.read_text("utf-8").splitlines() if line.strip()]
    # No URL: mxwatch is scored on the page alone too (the scorer hands a file path to every extractor).
    pages = [(g["file"], "", gzip.decompress((gold_path.parent / g["file"]).read_bytes())
              .decode("utf-8", "replace")) for g in golds]
    out: dict[str, Any] = {}
    for name, (dist, fn) in TOOLS.items():
        predictions: dict[str, Any] = {}
        fn(pages[0][2], pages[0][1])  # first-call imports are not per-page cost
        started = time.perf_counter()
        for i in range(passes):
            for file, url, html in pages:
                try:
                    result = fn(html, url)
                except Exception as exc:  # noqa: BLE001 - a peer failing on a page scores as an empty prediction
                    result = {"error": f"{type(exc).__name__}: {exc}"[:200]}
                if i == 0:
                    predictions[file] = result
        rate = passes * len(pages) / (time.perf_counter() - started)
        out[name] = {"version": version(dist), "pages_per_s": rate, "predictions": predictions}
    return out


def main() -> int:
    """Command line: GOLD_JSONL PASSES."""
    warnings.filterwarnings("ignore")
    _offline()
    if len(sys.argv) != 3:
        print("usage: peer_runner.py GOLD_JSONL PASSES", file=sys.stderr)
        return 2
    print(json.dumps(run(Path(sys.argv[1]), int(sys.argv[2])), default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
