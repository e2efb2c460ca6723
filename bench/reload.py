"""6. Live reload: from saving a data file to the open page showing the change, under `make serve`.

`make serve` runs `mkdocs serve --dirty`: a data edit rebuilds only the pages it changes
(macros/serve_mode.py). The targets are ratios measured in the same run, so they hold on
a slower machine too: the reload against a full `make build` of the same data.
"""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from macros.browser import CHROMIUM, CHROMIUM_FLAGS
from macros.mkdocs_config import project_config

from .common import ENV, PY, Row, free_port, mkdocs_build, verdict
from .scale import scaled_project

PAGE = "activities/caching/"
EDITED = "activities/caching.yml"
# The summary line and any indented lines continuing it.
SUMMARY = re.compile(r"^summary:.*\n(?:[ \t]+\S.*\n)*", re.M)
TIMEOUT = 300  # seconds, for the first build and for the reload
# factor -> (seconds, share of a full build): saving one data file updates the served page within both.
TARGETS = {1: (1.0, 0.15), 10: (2.0, 0.05)}


def _wait_until_served(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"mkdocs serve exited ({server.returncode}):\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"mkdocs serve did not serve {url} within {TIMEOUT} s")


def _page_text(page) -> str:
    try:
        return page.inner_text("body", timeout=1000)
    except PlaywrightError:  # the page is between unload and load
        return ""


def reload_time(tmp: Path, data: Path, factor: int, browser) -> float:
    # A copy of the scaled data, so the edit cannot leak into other measurements.
    project = tmp / f"reload-{factor}x"
    shutil.copytree(scaled_project(tmp, data, factor) / "data", project / "data")
    config = project_config(project, watch=project / "data")
    address = f"127.0.0.1:{free_port()}"
    # mkdocs serve puts the site under site_url's path, e.g. /handbook/.
    prefix = urlsplit(yaml.safe_load(config.read_text())["site_url"]).path.rstrip("/")
    url = f"http://{address}{prefix}/"
    log = project / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [PY, "-m", "mkdocs", "serve", "--livereload", "--dirty", "-a", address, "-f", str(config)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=ENV,
            cwd=project,
        )
    try:
        _wait_until_served(url + PAGE, server, log)
        page = browser.new_page()
        page.goto(url + PAGE, wait_until="load")
        marker = f"Benchmark marker {uuid.uuid4().hex}"
        edited = project / "data" / EDITED
        text = edited.read_text(encoding="utf-8")
        changed = SUMMARY.sub(f"summary: {marker}\n", text, count=1)
        if changed == text:
            raise RuntimeError(f"no summary line in {edited}")
        edited.write_text(changed, encoding="utf-8")
        start = time.perf_counter()
        while marker not in _page_text(page):
            if time.perf_counter() - start > TIMEOUT:
                raise RuntimeError(f"the page did not show the edit within {TIMEOUT} s")
            if server.poll() is not None:
                raise RuntimeError(f"mkdocs serve exited:\n{log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.05)
        seconds = time.perf_counter() - start
        page.close()
        return seconds
    finally:
        # Ctrl-C, not SIGTERM: on KeyboardInterrupt mkdocs serve deletes its temp site folder.
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def live_reload(tmp: Path, data: Path, factors: list[int], builds: dict[int, float]) -> tuple[list[Row], list[str]]:
    """``builds``: factor -> seconds of a full build of that data (step 2's); built here if missing."""
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            for factor in factors:
                seconds = reload_time(tmp, data, factor, browser)
                if factor not in builds:
                    project = scaled_project(tmp, data, factor)
                    builds[factor] = mkdocs_build(project / "mkdocs.yml", project / "site-reload", project / "reload-build.log").wall
                    shutil.rmtree(project / "site-reload")
                most, share = TARGETS[factor]
                ratio = seconds / builds[factor]
                rows.append(
                    Row(
                        f"6. Live reload {factor}×: data edit until the page shows it",
                        f"≤ {most:g} s and ≤ {share:.2f}× a full build",
                        f"{seconds:.2f} s = {ratio:.3f}× the full build ({builds[factor]:.1f} s)",
                        verdict(seconds <= most and ratio <= share),
                    )
                )
        finally:
            browser.close()
    return rows, []


def not_run(factor: int) -> tuple[list[Row], list[str]]:
    return [Row(f"6. Live reload {factor}×: data edit until the page shows it", "report", "not run (--smoke)", "skipped")], []
