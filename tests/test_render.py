"""The data -> Markdown step is plain Python: it runs without MkDocs."""

from __future__ import annotations

import subprocess
import sys

from conftest import FIXTURES, ROOT
from macros.loader import load_handbook
from macros.render import abbreviations, front_matter, render_site

MINI = load_handbook(FIXTURES / "mini" / "data")


def test_one_page_per_entity_and_per_index():
    pages = render_site(MINI)
    entity_pages = {p for p in pages if not p.endswith("index.md") and p not in ("contributing.md", "about/health.md", "about/whats-new.md")}
    assert entity_pages == {e.page for e in MINI.all()}
    assert {"phases/index.md", "technologies/index.md", "glossary/index.md", "radar/index.md"} <= set(pages)
    assert pages["contributing.md"].startswith("# Contributing to the Backend Handbook")


def test_reverse_links_in_markdown():
    pages = render_site(MINI)
    redis = pages["technologies/redis.md"]
    assert "[Caching](../activities/caching.md)" in redis  # the activity that uses it
    assert "[Design](../phases/design.md)" in redis  # the phase, through the activity
    assert "[Valkey](../technologies/valkey.md)" in redis
    assert "[Redis](../technologies/redis.md)" in pages["technologies/valkey.md"]  # alternatives both ways
    assert "[Unit testing](../activities/unit-testing.md)" in pages["activities/caching.md"]
    assert "[Caching](../activities/caching.md)" in pages["activities/unit-testing.md"]  # related both ways
    assert "[Redis](../technologies/redis.md)" in pages["areas/architecture.md"]  # area -> its technologies
    assert "[Build →](build.md)" in pages["phases/design.md"]  # next phase


def test_front_matter_escapes_for_html():
    assert front_matter('A "b" <c>', "d & e") == '---\ntitle: "A &quot;b&quot; &lt;c&gt;"\ndescription: "d &amp; e"\n---\n\n'


def test_abbreviations_come_from_the_glossary():
    assert abbreviations(MINI).strip() == "*[TTL]: Cache"


def test_rendering_does_not_import_mkdocs():
    code = (
        "import sys; from macros.loader import load_handbook; from macros.render import render_site;"
        f"render_site(load_handbook({str(FIXTURES / 'mini' / 'data')!r}));"
        "assert not any(m == 'mkdocs' or m.startswith('mkdocs.') for m in sys.modules), 'mkdocs imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_front_matter_is_yaml_that_round_trips():
    import yaml

    text = 'Back\\slash: "quotes" # not a comment — ünïcode'
    meta = yaml.safe_load(front_matter(text, text).split("---\n")[1])
    assert meta == {"title": text.replace('"', "&quot;"), "description": text.replace('"', "&quot;")}
