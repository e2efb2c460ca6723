"""Helpers shared by the measurements: builds, temp projects, a static server, results."""

from __future__ import annotations

import functools
import gzip
import io
import http.server
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
# Material 9.8 prints a notice about MkDocs 2.0 on every build; the Makefile silences it too.
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# The same flags as the browser tests: no background traffic that would skew timings or sizes.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]
MB = 1024 * 1024


@dataclass
class Row:
    """One line of the results table."""

    measurement: str
    target: str
    measured: str
    status: str  # PASS, FAIL, info, skipped or ERROR


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def median(values) -> float:
    return statistics.median(values)


@dataclass
class Build:
    wall: float  # seconds, interpreter start to exit
    peak_rss: int  # bytes, of the build process


def mkdocs_build(config: Path, site: Path, log: Path) -> Build:
    """A strict `mkdocs build` in a fresh interpreter, timed, with its peak memory.

    os.wait4 reaps the child and returns its own resource usage, so ru_maxrss is the
    build's peak RSS and not that of any earlier child of this process.
    """
    command = [PY, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site)]
    with log.open("w") as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=ENV, cwd=config.parent)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-20:])
        raise RuntimeError(f"mkdocs build -f {config} failed ({process.returncode}):\n{tail}")
    return Build(wall, usage.ru_maxrss * 1024)  # Linux reports kilobytes


def site_stats(site: Path) -> tuple[int, int]:
    """(number of HTML pages, total bytes of every file) of a built site."""
    pages = total = 0
    for path in site.rglob("*"):
        if path.is_file():
            total += path.stat().st_size
            pages += path.suffix == ".html"
    return pages, total


def project_config(project: Path, watch: Path | None = None) -> Path:
    """mkdocs.yml for a temp project whose data is project/data (used by the tests too).

    The hook reads data/ next to the config file; everything else points back at the repo.
    """
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["hooks"] = [str(ROOT / "macros" / "hooks.py")]
    config["theme"]["custom_dir"] = str(ROOT / "overrides")
    config["docs_dir"] = str(ROOT / "docs")
    config.pop("watch", None)
    if watch is not None:  # mkdocs serve only watches data/ when told to
        config["watch"] = [str(watch)]
    path = project / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


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


@contextmanager
def serve(directory: Path, compress: bool = False):
    """A built site on a local static server; yields its base URL."""
    handler = functools.partial(_GzipHandler if compress else _QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class Budget:
    """Keeps the whole run under its time limit.

    Each step has a share of the total and a deadline at the end of the shares so far,
    so time an early step leaves unused goes to later ones. A step always does its
    first run; `allows(seconds)` says whether one more run of that length still fits.
    """

    def __init__(self, shares: dict[str, float]):
        self.start = time.monotonic()
        self.deadlines = {}
        total = 0.0
        for name, share in shares.items():
            total += share
            self.deadlines[name] = total
        self.step = next(iter(shares))
        self.trimmed: list[str] = []  # what was cut short, for the notes

    def begin(self, step: str) -> None:
        self.step = step

    def left(self) -> float:
        return self.deadlines[self.step] - (time.monotonic() - self.start)

    def allows(self, seconds: float, what: str) -> bool:
        if seconds <= self.left():
            return True
        self.trimmed.append(what)
        return False

    def elapsed(self) -> float:
        return time.monotonic() - self.start
