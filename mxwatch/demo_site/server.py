"""The bundled demo news site, served over HTTP on 127.0.0.1 for `make demo` and the tests."""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

from mxwatch.demo_site import feeds
from mxwatch.demo_site.catalog import (
    SEED_PATH,
    SYNDICATION_PATH,
    article_path,
    load_articles,
    load_syndicated,
    modified,
    parse_date,
)
from mxwatch.demo_site.render import SITE_NAMES, PageRenderer

__all__ = ["DemoSite", "load_articles"]

Record = dict[str, Any]

# Articles published from this date on go to the Google News sitemap, older ones to the plain one, so a
# crawler has to read both children of the sitemap index to see every public article.
NEWS_SITEMAP_SINCE = datetime.fromisoformat("2023-01-01T00:00:00-06:00")
_HOST_RE = re.compile(r"^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$")
_TYPES = {
    "html": "text/html; charset=utf-8",
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "xml": "application/xml; charset=utf-8",
    "text": "text/plain; charset=utf-8",
}


@dataclass
class _Response:
    status: int
    content_type: str
    body: bytes
    last_modified: datetime | None = None
    etag: str | None = field(default=None)

    def __post_init__(self) -> None:
        if self.last_modified is not None:
            # HTTP dates are GMT, and a 304 decision compares against the client's GMT date.
            self.last_modified = self.last_modified.astimezone(UTC)
        if self.status == 200 and self.etag is None:
            self.etag = '"' + hashlib.sha1(self.body).hexdigest()[:20] + '"'


class _Server(ThreadingHTTPServer):
    # The stdlib backlog of 5 drops connections when Scrapy opens many at once.
    request_queue_size = 128
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], site: DemoSite) -> None:
        self.site = site
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = "mxwatch-demo/1.0"
    timeout = 30  # an idle keep-alive connection must not pin a thread forever

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Stay quiet: tests and `make demo` print their own progress."""

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        """Serve a page, feed or sitemap."""
        self._serve(head=False)

    def do_HEAD(self) -> None:  # noqa: N802 - stdlib naming
        """Serve headers only."""
        self._serve(head=True)

    def _serve(self, head: bool) -> None:
        site = self.server.site
        site._record(self.path)
        host = self.headers.get("Host", "")
        if not _HOST_RE.match(host):
            bound_host, bound_port = self.server.server_address[:2]
            host = f"{bound_host}:{bound_port}"
        try:
            response = site._response(urlsplit(self.path).path, f"http://{host}")
        except Exception as exc:  # a bug in a page must show up as a 500, not as a dropped connection
            body = f"Internal error: {type(exc).__name__}\n".encode()
            response = _Response(500, _TYPES["text"], body)
        if response.status == 200 and _not_modified(self.headers, response):
            self.send_response(304)
            self._validators(response)
            self.end_headers()
            return
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self._validators(response)
        self.end_headers()
        if not head:
            self.wfile.write(response.body)

    def _validators(self, response: _Response) -> None:
        if response.etag:
            self.send_header("ETag", response.etag)
        if response.last_modified:
            self.send_header("Last-Modified", format_datetime(response.last_modified, usegmt=True))
        self.send_header("Cache-Control", "public, max-age=60")


def _not_modified(headers: Any, response: _Response) -> bool:
    """RFC 9110 conditional GET: If-None-Match decides when present, else If-Modified-Since."""
    inm = headers.get("If-None-Match")
    if inm is not None:
        tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
        return "*" in tags or response.etag in tags
    ims = headers.get("If-Modified-Since")
    if ims and response.last_modified:
        try:
            since = parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            return False
        return response.last_modified.replace(microsecond=0) <= since
    return False


class DemoSite:
    """A local news site with our demo articles, feeds, sitemaps, robots.txt and a syndicated seed copy.

    `requested_paths` lists every request target received (path plus query string), in arrival order.
    """

    def __init__(self, articles: list[Record] | None = None, seed_path: Path | str = SEED_PATH) -> None:
        self.articles: list[Record] = load_articles() if articles is None else list(articles)
        self.syndicated: Record | None = load_syndicated(seed_path)
        self._renderer = PageRenderer()
        self._routes: dict[str, Record] = {}
        for record in self._all_records():
            path = article_path(record)
            if path in self._routes:
                raise ValueError(f"two records share the path {path}")
            self._routes[path] = record
        self._lock = threading.Lock()
        self._requested: list[str] = []
        self._cache: dict[tuple[str, str], _Response] = {}
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # ----- lifecycle -----
    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Start serving in a background thread; returns the base URL, e.g. http://127.0.0.1:40123."""
        if self._server is not None:
            raise RuntimeError("DemoSite is already running")
        self._server = _Server((host, port), self)
        self._thread = threading.Thread(target=self._server.serve_forever, name="mxwatch-demo-site", daemon=True)
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        """Stop serving and release the port; safe to call twice."""
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> DemoSite:
        if self._server is None:
            self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """http://host:port of the running server."""
        if self._server is None:
            raise RuntimeError("DemoSite is not running; call start() first")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    # ----- what the site publishes -----
    @property
    def requested_paths(self) -> list[str]:
        """Copy of every request target received so far, in order."""
        with self._lock:
            return list(self._requested)

    def clear_requests(self) -> None:
        """Forget the requests recorded so far."""
        with self._lock:
            self._requested.clear()

    def public_articles(self) -> list[Record]:
        """Our demo articles that robots.txt allows (everything but the /private/ one)."""
        return [r for r in self.articles if not r.get("private")]

    def private_articles(self) -> list[Record]:
        """Articles under /private/: listed in the RSS feed and news sitemap, but disallowed by robots.txt."""
        return [r for r in self.articles if r.get("private")]

    def article_url(self, record: Record) -> str:
        """Canonical absolute URL of a record (demo article or the syndicated copy) on the running server."""
        return self.base_url + article_path(record)

    @property
    def syndicated_url(self) -> str | None:
        """Canonical URL of the republished seed story, or None without a seed file."""
        return self.base_url + SYNDICATION_PATH if self.syndicated else None

    def _all_records(self) -> list[Record]:
        return self.articles + ([self.syndicated] if self.syndicated else [])

    def _feed_records(self) -> list[Record]:
        return self._all_records()

    # ----- request handling -----
    def _record(self, target: str) -> None:
        with self._lock:
            self._requested.append(target)

    def _response(self, path: str, base: str) -> _Response:
        key = (path, base)
        with self._lock:
            cached = self._cache.get(key)
        if cached is None:
            cached = self._build(path, base)
            if cached.status == 200:
                with self._lock:
                    self._cache[key] = cached
        return cached

    def _build(self, path: str, base: str) -> _Response:
        def url_for(record: Record) -> str:
            return base + article_path(record)

        listed = [r for r in self._all_records() if not r.get("private")]
        listed.sort(key=lambda r: parse_date(r["published"]), reverse=True)
        if path in ("/", "/index.html"):
            html = self._renderer.home(listed, base, url_for)
            return _Response(200, _TYPES["html"], html.encode(), feeds.latest(listed))
        record = self._routes.get(path)
        if record is not None:
            html = self._renderer.article(record, listed, base, url_for)
            return _Response(200, _TYPES["html"], html.encode(), modified(record))
        if path == "/feed.xml":
            body = feeds.rss(self._feed_records(), base, url_for)
            return _Response(200, _TYPES["rss"], body.encode(), feeds.latest(self._feed_records()))
        if path == "/atom.xml":
            body = feeds.atom(self._feed_records(), base, url_for)
            return _Response(200, _TYPES["atom"], body.encode(), feeds.latest(self._feed_records()))
        news, pages = self._sitemap_split()
        if path == "/sitemap.xml":
            body = feeds.sitemap_index([(base + "/sitemaps/news.xml", feeds.latest(news)),
                                        (base + "/sitemaps/pages.xml", feeds.latest(pages))])
            return _Response(200, _TYPES["xml"], body.encode(), feeds.latest(news + pages))
        if path == "/sitemaps/news.xml":
            body = feeds.news_sitemap(news, url_for, lambda r: SITE_NAMES.get(r.get("template", ""), "mxwatch"))
            return _Response(200, _TYPES["xml"], body.encode(), feeds.latest(news))
        if path == "/sitemaps/pages.xml":
            return _Response(200, _TYPES["xml"], feeds.pages_sitemap(pages, url_for).encode(), feeds.latest(pages))
        if path == "/robots.txt":
            return _Response(200, _TYPES["text"], feeds.robots(base).encode(), feeds.latest(self._all_records()))
        return _Response(404, _TYPES["html"], self._renderer.not_found(path, base).encode())

    def _sitemap_split(self) -> tuple[list[Record], list[Record]]:
        """(news sitemap records, plain sitemap records): recent articles plus the private one go to news."""
        news, pages = [], []
        for r in self._all_records():
            recent = parse_date(r["published"]) >= NEWS_SITEMAP_SINCE
            (news if recent or r.get("private") else pages).append(r)
        return news, pages
