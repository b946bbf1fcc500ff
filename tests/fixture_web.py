"""A small web of fixed responses on 127.0.0.1 for crawl tests: feeds, sitemaps, redirects, hostile pages."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Route:
    """A fixed response."""

    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html; charset=utf-8"})


class FixtureWeb:
    """Serve ``routes`` (path -> Route) until stopped; record every requested path."""

    def __init__(self, routes: dict[str, Route] | None = None) -> None:
        self.routes: dict[str, Route] = dict(routes or {})
        self.requested: list[str] = []
        self._lock = threading.Lock()
        web = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - stdlib name
                with web._lock:
                    web.requested.append(self.path)
                route = web.routes.get(self.path) or Route(b"not found", 404, {"Content-Type": "text/plain"})
                body = route.body.replace(b"{base}", web.base_url.encode())
                self.send_response(route.status)
                for key, value in route.headers.items():
                    self.send_header(key, value.replace("{base}", web.base_url))
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        class Server(ThreadingHTTPServer):
            request_queue_size = 128
            daemon_threads = True

        self._server = Server(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

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


XML = {"Content-Type": "application/rss+xml"}
