"""`make serve`'s incremental rebuilds equal a clean build, edit after edit.

The serve session is driven as `mkdocs serve --dirty` drives it: the plugins' on_startup
with command "serve" and dirty=True once, then for each save a fresh config and
mkdocs.commands.build.build(config, dirty=True) into the same site folder. After every
edit, every file of that folder is compared with a clean `mkdocs build --strict` of the
same data, byte for byte (Pagefind's filter, meta and entry files aside: they differ
between two clean builds too).
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from macros import pagefind_index, serve_mode
from macros.mkdocs_config import project_config

from conftest import FIXTURES, ROOT, mkdocs_build

class Session:
    """A serve session on a copy of ``data`` under ``tmp``."""

    def __init__(self, tmp: Path, data: Path):
        self.tmp = tmp
        shutil.copytree(data, tmp / "data")
        self.config = project_config(tmp)
        self.served = tmp / "served"
        config = self._load()
        config.plugins.on_startup(command="serve", dirty=True)
        build(config, dirty=True)

    def _load(self):
        return load_config(config_file=str(self.config), site_dir=str(self.served))

    def save(self, path: str, text: str | None) -> None:
        """Write (None: delete) a data file, then rebuild as a save under `mkdocs serve` would."""
        target = self.tmp / "data" / path
        if text is None:
            target.unlink()
        else:
            target.write_text(text, encoding="utf-8")
        build(self._load(), dirty=True)

    def edit(self, path: str, old: str, new: str) -> None:
        text = (self.tmp / "data" / path).read_text(encoding="utf-8")
        assert old in text, f"{path}: {old!r} not found"
        self.save(path, text.replace(old, new, 1))

    def snapshot(self) -> dict[str, bytes]:
        serve_mode.settle()
        return {p.relative_to(self.served).as_posix(): p.read_bytes() for p in self.served.rglob("*") if p.is_file()}

    def differences(self, name: str) -> list[str]:
        """Files that differ between the served folder and a clean build of the same data."""
        serve_mode.settle()  # the search index follows each rebuild in the background
        clean = self.tmp / f"clean-{name}"
        result = mkdocs_build(self.config, clean)
        assert result.returncode == 0, result.stderr[-3000:]
        served = {p.relative_to(self.served).as_posix() for p in self.served.rglob("*") if p.is_file() and _compared(p, self.served)}
        built = {p.relative_to(clean).as_posix() for p in clean.rglob("*") if p.is_file() and _compared(p, clean)}
        found = [f"only served: {p}" for p in sorted(served - built)] + [f"only in the clean build: {p}" for p in sorted(built - served)]
        found += [p for p in sorted(served & built) if (self.served / p).read_bytes() != (clean / p).read_bytes()]
        shutil.rmtree(clean)
        return found


def _compared(path: Path, site: Path) -> bool:
    """Every file but the few of Pagefind's that differ between two clean builds of the same
    site (its filter, meta and entry files); its per-page fragments and index chunks are compared."""
    name = path.relative_to(site).as_posix()
    return not (name.startswith("pagefind/filter/") or name.endswith(".pf_meta") or name == "pagefind/pagefind-entry.json")


def _said(caplog) -> str:
    return "\n".join(record.getMessage() for record in caplog.records if record.name.startswith("mkdocs.hooks.handbook"))


@pytest.mark.slow
def test_every_kind_of_edit_serves_what_a_clean_build_makes(tmp_path, caplog):
    caplog.set_level(logging.INFO)
    session = Session(tmp_path, FIXTURES / "mini" / "data")
    assert session.differences("start") == []
    redis = (tmp_path / "data" / "technologies" / "redis.yml").read_text(encoding="utf-8")
    valkey = (tmp_path / "data" / "technologies" / "valkey.yml").read_text(encoding="utf-8")
    keydb = valkey.replace("id: valkey", "id: keydb").replace("title: Valkey", "title: KeyDB")

    steps = [
        ("text edit", lambda: session.edit("technologies/redis.yml", "summary: ", "summary: Edited while serving. ")),
        ("relation added", lambda: session.edit("activities/unit-testing.yml", "technologies: [pytest]", "technologies: [pytest, redis]")),
        ("relation removed", lambda: session.edit("activities/unit-testing.yml", "technologies: [pytest, redis]", "technologies: [pytest]")),
        ("title renamed", lambda: session.edit("technologies/redis.yml", "title: Redis", "title: Redis Server")),
        ("file added", lambda: session.save("technologies/keydb.yml", keydb)),
        ("file deleted", lambda: session.save("technologies/keydb.yml", None)),
    ]
    for name, step in steps:
        caplog.clear()
        step()
        assert "data edit:" in _said(caplog), f"{name}: {_said(caplog)}"
        assert session.differences(name) == [], name

    # An invalid save: the report, the last good site kept, then a fix recovers.
    caplog.clear()
    good = session.snapshot()
    session.save("technologies/redis.yml", redis.replace("category: ", "category: no-such-category-", 1))
    said = _said(caplog)
    assert "data/technologies/redis.yml:" in said and "unknown" in said, said
    assert serve_mode._session.problems and "redis.yml" in serve_mode._session.problems
    assert session.snapshot() == good, "the last good build stays served"
    caplog.clear()
    session.save("technologies/redis.yml", redis)
    assert "data edit:" in _said(caplog)
    assert serve_mode._session.problems is None
    assert session.differences("fixed") == []


@pytest.mark.slow
def test_a_data_edit_rebuilds_only_the_pages_that_show_it(tmp_path, caplog):
    caplog.set_level(logging.INFO)
    session = Session(tmp_path, FIXTURES / "mini" / "data")
    before = {p: p.stat().st_mtime_ns for p in session.served.rglob("*.html")}
    session.edit("glossary/cache.yml", "summary: ", "summary: Edited. ")
    rewritten = {p.relative_to(session.served).as_posix() for p, mtime in before.items() if p.stat().st_mtime_ns != mtime}
    assert "glossary/cache/index.html" in rewritten
    assert "technologies/pytest/index.html" not in rewritten, "pytest's page does not show the term"
    assert len(rewritten) < len(before) / 2, sorted(rewritten)


@pytest.mark.slow
def test_a_template_edit_is_a_full_rebuild(tmp_path, caplog, monkeypatch):
    caplog.set_level(logging.INFO)
    session = Session(tmp_path, FIXTURES / "mini" / "data")
    monkeypatch.setattr(serve_mode, "_why_full", lambda config: "a template changed")
    caplog.clear()
    session.edit("glossary/cache.yml", "summary: ", "summary: Edited. ")
    assert "a template changed: full rebuild" in _said(caplog)
    assert session.differences("full") == []


def test_the_banner_shows_the_problems_on_served_pages():
    class Server:
        def _inject_js_into_html(self, content, epoch):
            return content

    server = Server()
    serve_mode.add_banner(server)
    page = b"<html><body class='x'><p>page</p></body></html>"
    serve_mode._session.problems = None
    assert server._inject_js_into_html(page, 1) == page
    serve_mode._session.problems = "data/technologies/redis.yml:3: <unknown> category"
    served = server._inject_js_into_html(page, 1).decode()
    assert served.index("redis.yml:3") > served.index("<body class='x'>")
    assert "&lt;unknown&gt;" in served and "<unknown>" not in served
    serve_mode._session.problems = None


@pytest.mark.slow
def test_serving_the_real_data_equals_a_clean_build_after_a_new_relation(tmp_path):
    session = Session(tmp_path, ROOT / "data")
    session.edit("activities/caching.yml", "technologies: [redis, memcached]", "technologies: [redis, memcached, postgresql]")
    assert session.differences("relation") == []


def test_whole_site_steps_run_after_the_reload_in_the_background():
    serve_mode.start("build", dirty=False)
    assert serve_mode.later("search index", lambda stop: True) is False, "outside serve: the caller runs it"
    serve_mode.start("serve", dirty=True)
    done = []
    assert serve_mode.later("search index", lambda stop: done.append(True) or True) is True
    serve_mode.settle()
    assert done == [True]
    serve_mode.start("build", dirty=False)


@pytest.mark.slow
def test_a_save_stops_the_running_search_index_and_it_is_made_again_complete(tmp_path, caplog, monkeypatch):
    caplog.set_level(logging.INFO)
    session = Session(tmp_path, FIXTURES / "mini" / "data")
    serve_mode.settle()
    run, held = pagefind_index._run_pagefind, threading.Event()

    def held_until_stopped(site_dir, pages, work, stop=None):
        if not held.is_set():  # the first index after the next save waits for the save after it
            held.set()
            assert stop.wait(timeout=120), "the next rebuild did not stop the running index"
        return run(site_dir, pages, work, stop)

    monkeypatch.setattr(pagefind_index, "_run_pagefind", held_until_stopped)
    old_index = {p: p.read_bytes() for p in (session.served / pagefind_index.OUTPUT).rglob("*") if p.is_file()}
    session.edit("technologies/redis.yml", "summary: ", "summary: First save. ")
    assert held.wait(timeout=60) and serve_mode._session.background.is_alive(), "the index runs after the reload"
    assert {p: p.read_bytes() for p in old_index} == old_index, "the last complete index is served meanwhile"
    caplog.clear()
    session.edit("technologies/redis.yml", "summary: First save. ", "summary: Second save. ")
    assert "stopped for a newer rebuild" in _said(caplog), _said(caplog)
    assert session.differences("after a stopped index") == [], "the index made again is complete"


def test_a_stopped_pagefind_run_is_killed_at_once():
    stop = threading.Event()
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], stdout=subprocess.PIPE, text=True)
    threading.Timer(0.2, stop.set).start()
    started = time.monotonic()
    with pytest.raises(pagefind_index.Cancelled):
        pagefind_index._wait(process, stop)
    assert process.returncode is not None and time.monotonic() - started < 5
