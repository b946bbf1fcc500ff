"""`python -m mxwatch.demo_site [--host H] [--port N]`: serve the demo news site until Ctrl-C."""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from mxwatch.demo_site.server import DemoSite


def _port(value: str) -> int:
    """argparse type for a TCP port number (0 picks a free port)."""
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {value!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port must be between 0 and 65535, not {port}")
    return port


def main(argv: list[str] | None = None) -> int:
    """Serve the demo site in the foreground, print its URL, and stop cleanly on Ctrl-C or SIGTERM."""
    parser = argparse.ArgumentParser(prog="python -m mxwatch.demo_site", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=_port, default=8000, help="port to bind; 0 picks a free one (default 8000)")
    args = parser.parse_args(argv)
    site = DemoSite()
    try:
        url = site.start(args.host, args.port)
    except OSError as exc:
        print(f"error: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    stop = threading.Event()
    # Handle both signals explicitly: a shell starting us in the background ignores SIGINT by default.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    print(f"Demo news site at {url}/  (feeds: {url}/feed.xml {url}/atom.xml, sitemap: {url}/sitemap.xml)")
    print("Press Ctrl-C to stop.", flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        site.stop()
    print("Stopped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
