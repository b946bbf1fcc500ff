"""A small web of fixed responses on 127.0.0.1 for crawl tests: feeds, sitemaps, redirects, hostile pages,
rate limits, slow and huge responses, conditional requests."""

from __future__ import annotations

import socket
import struct
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from xml.sax.saxutils import escape


@dataclass
class Route:
    """A fixed response.

    ``delay`` waits before answering (a slow server); ``size`` streams that many bytes of filler after
    ``body`` (a huge page, never held in memory); ``etag`` answers a matching If-None-Match with 304.
    """

    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html; charset=utf-8"})
    delay: float = 0.0
    size: int = 0
    etag: str | None = None
    reset: bool = False  # drop the connection with a TCP reset instead of answering
    trickle: float = 0.0  # a slow body: headers at once, then ``body`` in 64-byte pieces this many seconds apart
    truncate: int = 0  # declare this many bytes more than are sent, then close (a body cut off on the wire)


@dataclass
class Hit:
    """One request received: when, the request target, and its headers."""

    at: float
    path: str
    headers: dict[str, str]


class FixtureWeb:
    """Serve ``routes`` until stopped; record every request.

    A route key is a request target (path and query) or, when no key matches it exactly, its path alone. A
    list of Routes answers successive requests in turn, repeating the last one.
    """

    def __init__(self, routes: dict[str, Route | list[Route]] | None = None, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Route | list[Route]] = dict(routes or {})
        self.requested: list[str] = []
        self.hits: list[Hit] = []
        self._served: dict[str, int] = {}
        self._lock = threading.Lock()
        web = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - stdlib name
                route = web._route(self.path, dict(self.headers.items()))
                if route.delay:
                    time.sleep(route.delay)
                if route.reset:
                    # SO_LINGER with a zero timeout makes close() send RST: a connection reset by peer.
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.connection.close()
                    self.close_connection = True
                    return
                if route.etag and self.headers.get("If-None-Match") == route.etag:
                    self.send_response(304)
                    self.send_header("ETag", route.etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = route.body.replace(b"{base}", web.base_url.encode())
                self.send_response(route.status)
                for key, value in route.headers.items():
                    self.send_header(key, value.replace("{base}", web.base_url))
                if route.etag:
                    self.send_header("ETag", route.etag)
                self.send_header("Content-Length", str(len(body) + route.size + route.truncate))
                self.end_headers()
                try:
                    if route.trickle:
                        for start in range(0, len(body), 64):
                            self.wfile.write(body[start:start + 64])
                            self.wfile.flush()
                            time.sleep(route.trickle)
                    else:
                        self.wfile.write(body)
                    chunk = b" " * 65536
                    for sent in range(0, route.size, len(chunk)):
                        self.wfile.write(chunk[: route.size - sent])
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up on purpose (size limit, timeout)
                if route.truncate:
                    self.close_connection = True

            def log_message(self, *args: Any) -> None:
                pass

        class Server(ThreadingHTTPServer):
            request_queue_size = 128
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                # Clients that hang up early (timeouts, size limits, killed crawls) are what these tests cause.
                if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
                    super().handle_error(request, client_address)

        self._server = Server(("127.0.0.1", 0), Handler)
        # ``host`` names the server in its URLs: "localhost" gives a second host on the same loopback interface.
        self.base_url = f"http://{host}:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def _route(self, target: str, headers: dict[str, str]) -> Route:
        with self._lock:
            self.requested.append(target)
            self.hits.append(Hit(time.monotonic(), target, headers))
            key = target if target in self.routes else target.split("?", 1)[0]
            route = self.routes.get(key)
            if isinstance(route, list):
                served = self._served.get(key, 0)
                self._served[key] = served + 1
                route = route[min(served, len(route) - 1)]
        return route or Route(b"not found", 404, {"Content-Type": "text/plain"})

    def __enter__(self) -> FixtureWeb:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def paths(self, prefix: str) -> list[str]:
        """Requested paths that start with ``prefix``."""
        with self._lock:
            return [p for p in self.requested if p.startswith(prefix)]

    def times(self, prefix: str) -> list[float]:
        """When each request for a target starting with ``prefix`` arrived (monotonic seconds)."""
        with self._lock:
            return [h.at for h in self.hits if h.path.startswith(prefix)]


def article_page(title: str, paragraphs: list[str], canonical: str | None = None, lang: str = "en") -> bytes:
    """A plain article page."""
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'><title>{title}</title>{link}</head>"
            f"<body><nav>Home | Business | Tech</nav><article><h1>{title}</h1>{body}</article>"
            f"<footer>About us | Contact</footer></body></html>").encode()


def rss(items: list[str]) -> bytes:
    """An RSS 2.0 feed linking to ``items`` (absolute or {base}-relative URLs)."""
    entries = "".join(f"<item><title>t{i}</title><link>{url}</link></item>" for i, url in enumerate(items))
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>{entries}</channel></rss>').encode()


def google_news_rss(items: list[tuple[str, str, str, str]]) -> bytes:
    """A Google News RSS search result: items (link, title, publisher name, publisher site URL), each linking
    to a Google article URL and naming its publisher in <source url="...">, as news.google.com does."""
    entries = "".join(
        f"<item><title>{escape(title)} - {escape(name)}</title><link>{escape(link)}</link>"
        f'<guid isPermaLink="false">{i}</guid><pubDate>Mon, 03 Nov 2025 14:00:00 GMT</pubDate>'
        f'<source url="{escape(site)}">{escape(name)}</source></item>'
        for i, (link, title, name, site) in enumerate(items)
    )
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><rss version="2.0" '
            'xmlns:media="http://search.yahoo.com/mrss/"><channel><generator>NFE/5.0</generator>'
            f'<title>"q" - Google News</title>{entries}</channel></rss>').encode()


XML = {"Content-Type": "application/rss+xml"}
JSON = {"Content-Type": "application/json; charset=utf-8"}
