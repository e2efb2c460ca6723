"""Shared test fixtures: real MkDocs builds, a local static server, Debian's Chromium."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from filelock import FileLock

from macros import browser
from macros.browser import CHROMIUM, block_outside_requests, serve
from macros.mkdocs_config import BUILD_ENV, build_command, project_config

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"


# Fixtures that build a site or start a browser: a test using one must be marked slow
# (`make test-fast` leaves those out). build_fixture() adds to it; pytest-playwright's
# browser is below every page and context fixture.
BUILD_FIXTURES = {"browser"}
_running: list = [None]  # the test being set up or run, for the check in mkdocs_build


def build_fixture(scope: str = "session"):
    """A fixture that builds a site: registered so that tests using it must be marked slow."""

    def register(function):
        BUILD_FIXTURES.add(function.__name__)
        return pytest.fixture(scope=scope)(function)

    return register


def unmarked_slow_tests(items) -> list[str]:
    """Tests that build a site or drive a browser without the slow marker."""
    return [
        item.nodeid
        for item in items
        if item.get_closest_marker("slow") is None and BUILD_FIXTURES & set(getattr(item, "fixturenames", ()))
    ]


# The longest files, longest first (seconds on 2 quiet cores, `--durations`): `make test`
# hands whole files to the workers in collection order (`--no-loadscope-reorder`), so the
# PDF build and print starts at once on one worker while the other works through the rest,
# and no long file is left to start last. The other files keep their order after these.
LONGEST_FIRST = (
    "test_offline_pdf.py",  # the offline build and the whole handbook printed: about 100 s before its tests
    "test_accessibility.py",
    "test_serve_incremental.py",
    "test_search.py",
    "test_engines.py",
    "test_explorer.py",
    "test_onboarding_browser.py",
    "test_build.py",
    "test_bench_smoke.py",
    "test_history.py",
    "test_diagrams_site.py",
)


def longest_first(items) -> None:
    rank = {name: number for number, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: the rest keep their order


def pytest_collection_modifyitems(config, items):
    unmarked = unmarked_slow_tests(items)
    if unmarked:
        raise pytest.UsageError(
            "these tests build a site or drive a browser: mark them @pytest.mark.slow so `make test-fast` skips them:\n  "
            + "\n  ".join(unmarked)
        )
    longest_first(items)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    _running[0] = item


def _require_slow_marker() -> None:
    item = _running[0]
    if item is not None and item.get_closest_marker("slow") is None:
        pytest.fail(f"{item.nodeid} builds a site: mark it @pytest.mark.slow (see pytest.ini)")


def shared(tmp_path_factory, name: str, make) -> Path:
    """``make(folder)`` once per test run, however many xdist workers ask; return the folder.

    Each xdist worker has its own session, so session fixtures alone would build once per
    worker: the first worker builds under a file lock in the run's temp folder, the others
    wait and reuse it (or see the same failure).
    """
    _require_slow_marker()
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the run's folder, above every worker's own
    folder, failed = base / f"shared-{name}", base / f"shared-{name}.failed"
    with FileLock(str(base / f"shared-{name}.lock")):
        if failed.exists():
            pytest.fail(f"building {name} failed in another worker:\n{failed.read_text(encoding='utf-8')}")
        if not (base / f"shared-{name}.done").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            try:
                make(folder)
            except BaseException as error:
                failed.write_text(str(error), encoding="utf-8")
                raise
            (base / f"shared-{name}.done").touch()
    return folder


def mkdocs_build(config: Path, site: Path) -> subprocess.CompletedProcess:
    """A real strict build, in a fresh interpreter so no module state leaks between builds."""
    _require_slow_marker()
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


# Pagefind names its index files after their content hashes, which vary from one indexing
# run to the next: compare those by the pages indexed, every other file by name.
PAGEFIND_HASH = re.compile(r"(?<=^pagefind/)(.*[._])[0-9a-f]{7,}(?=\.)")


def site_files(site: Path) -> set[str]:
    """Every file of a built site, Pagefind's hashed index files with their hashes dropped."""
    return {PAGEFIND_HASH.sub(r"\1#", p.relative_to(site).as_posix()) for p in site.rglob("*") if p.is_file() and p.suffix != ".gz"}


def pagefind_pages(site: Path) -> int:
    return json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))["languages"]["en"]["page_count"]


def build_real_site(folder: Path) -> None:
    result = mkdocs_build(ROOT / "mkdocs.yml", folder / "site")
    assert result.returncode == 0, result.stderr


@build_fixture()
def mini_site(tmp_path_factory) -> Path:
    """The mini fixture data built as it is, once per test run."""
    return shared(tmp_path_factory, "mini", lambda folder: build_mini_with(folder, [])) / "site"


@build_fixture()
def real_site(tmp_path_factory) -> Path:
    """The handbook itself, built once per test run with --strict (shared by xdist workers)."""
    return shared(tmp_path_factory, "real", build_real_site) / "site"


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
