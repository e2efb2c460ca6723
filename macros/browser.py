"""Browser plumbing shared by `make pdf`, the browser tests and the benchmark.

Chromium's path and flags, a static server for a built site on 127.0.0.1 (optionally
under the /handbook/ sub-path, or gzip-compressing as production hosts do), and the
guard that blocks, and records, every request leaving that server. Playwright is only
needed by the callers that drive a page; this module imports nothing beyond the
standard library.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# No background traffic: it would break the no-outside-request checks and skew timings.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]
# Where the tests serve the site, as a host with a sub-path would (links must be relative).
SUB_PATH = "/handbook/"


def missing(chromium: str = CHROMIUM) -> str | None:
    """Why Chromium cannot be used, or None when it is there."""
    if Path(chromium).is_file():
        return None
    return f"Chromium not found at {chromium}: install Debian's 'chromium' package or set CHROMIUM_PATH"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _SubPathHandler(_QuietHandler):
    """Serves the site under SUB_PATH only; anything else is a 404."""

    def translate_path(self, path):
        if not path.startswith(SUB_PATH):
            return str(Path(self.directory) / "__missing__")
        return super().translate_path("/" + path[len(SUB_PATH) :])


class _GzipHandler(_QuietHandler):
    """Compresses text responses with gzip, as any production static host does."""

    TEXT = (".html", ".css", ".js", ".json", ".svg", ".xml")

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if "gzip" not in self.headers.get("Accept-Encoding", "") or path.suffix not in self.TEXT or not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A browser that closes a connection mid-response (a page left, a fetch aborted) is
        # not an error of the site; anything else still prints its traceback.
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


@contextmanager
def serve(directory: Path, compress: bool = False, sub_path: bool = False) -> Iterator[str]:
    """A built site on a local static server; yields its base URL (ending in SUB_PATH with ``sub_path``)."""
    handler = _GzipHandler if compress else _SubPathHandler if sub_path else _QuietHandler
    server = _Server(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{SUB_PATH if sub_path else '/'}"
    finally:
        server.shutdown()
        server.server_close()


def origin_of(base_url: str) -> str:
    """``http://127.0.0.1:port`` of a URL ``serve`` yielded."""
    return base_url[: base_url.index("/", len("http://"))]


def block_outside_requests(page, origin: str) -> list[str]:
    """Abort, and record, every request from a Playwright ``page`` that does not go to ``origin``."""
    outside: list[str] = []

    def guard(route):
        url = route.request.url
        if url.startswith((origin, "data:", "blob:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    page.route("**/*", guard)
    return outside
