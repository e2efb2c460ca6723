"""Shared test fixtures: real MkDocs builds, a local static server, Debian's Chromium."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from macros import browser
from macros.browser import CHROMIUM, block_outside_requests, serve
from macros.mkdocs_config import BUILD_ENV, build_command, project_config

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"


def mkdocs_build(config: Path, site: Path) -> subprocess.CompletedProcess:
    """A real strict build, in a fresh interpreter so no module state leaks between builds."""
    return subprocess.run(build_command(config, site), capture_output=True, text=True, env=BUILD_ENV, cwd=config.parent)


def build_with_data(tmp: Path, data: Path) -> tuple[subprocess.CompletedProcess, Path]:
    """Build the handbook with ``data`` instead of data/; return the result and the site folder."""
    shutil.copytree(data, tmp / "data")
    config = project_config(tmp)
    site = tmp / "site"
    return mkdocs_build(config, site), site


def build_mini_with(tmp: Path, edits: list[tuple[str, str, str]]) -> Path:
    """Build the mini fixture data after text edits (path under data/, old, new); return the site."""
    data = tmp / "src"
    shutil.copytree(FIXTURES / "mini" / "data", data)
    for path, old, new in edits:
        file = data / path
        text = file.read_text(encoding="utf-8")
        assert old in text, f"{path}: {old!r} not found"
        file.write_text(text.replace(old, new), encoding="utf-8")
    result, site = build_with_data(tmp, data)
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    """The handbook itself, built once per test session with --strict."""
    site = tmp_path_factory.mktemp("real") / "site"
    result = mkdocs_build(ROOT / "mkdocs.yml", site)
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="session")
def site_url(real_site):
    """The built handbook on a plain static file server, under a sub-path."""
    with serve(real_site, sub_path=True) as url:
        yield url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if browser.missing():
        pytest.fail(browser.missing())  # in CI a missing browser is a failure, never a skip
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": browser.CHROMIUM_FLAGS}


@pytest.fixture
def offline_page(page, site_url):
    """A page that records (in ``page.outside_requests``), and blocks, every request leaving the local server."""
    page.outside_requests = block_outside_requests(page, browser.origin_of(site_url))
    return page
