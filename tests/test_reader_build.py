"""Reader experience, checked over real strict builds: tags, breadcrumbs, review line,
page descriptions and Open Graph tags, numbered lists, print styles, search wiring."""

from __future__ import annotations

import re
import shutil

import pytest
from bs4 import BeautifulSoup

from conftest import FIXTURES, build_fixture, build_with_data, shared
from macros.list_indentation import misplaced_blocks
from macros.loader import DataError, load_handbook
from macros.page_tags import tags_of
from test_build import ENTITIES, HANDBOOK, XREF, html_pages, page_of, soup


@pytest.mark.slow
def test_every_entity_page_shows_its_tags(real_site):
    for entity in ENTITIES:
        shown = [tag.get_text(strip=True) for tag in page_of(real_site, entity.kind.folder, entity.id).select("article .md-tags .md-tag")]
        expected = tags_of(entity, XREF)
        assert sorted(shown) == sorted(expected), entity.source
        assert entity.kind.label in shown


def test_tag_vocabulary_is_the_kinds_and_four_facets():
    pattern = re.compile(r"^(Area|Phase|Category|Ring): \S")
    kinds = {entity.kind.label for entity in ENTITIES}
    for entity in ENTITIES:
        tags = tags_of(entity, XREF)
        assert tags[0] == entity.kind.label
        assert all(pattern.match(tag) for tag in tags[1:]), tags
    assert kinds == {kind.label for kind in {e.kind for e in ENTITIES}}


@pytest.mark.slow
def test_tags_index_lists_every_tag_and_its_pages(real_site):
    page = soup(real_site / "tags" / "index.html")
    headings = {h.get_text(strip=True).rstrip("¶") for h in page.select("article h2")}
    every_tag = {tag for entity in ENTITIES for tag in tags_of(entity, XREF)}
    assert headings == every_tag
    links = {a["href"] for a in page.select("article a[href]")}
    for entity in ENTITIES:
        assert f"../{entity.kind.folder}/{entity.id}/" in links, entity.source
    nav = [a.get_text(strip=True) for a in soup(real_site / "index.html").select(".md-nav a")]
    assert "Tags" in nav


@pytest.mark.slow
def test_entity_pages_have_breadcrumbs_to_their_index(real_site):
    for entity in ENTITIES:
        trail = page_of(real_site, entity.kind.folder, entity.id).select(".md-path a")
        assert [a.get_text(strip=True) for a in trail] == ["Home", entity.kind.plural], entity.source
        assert trail[1]["href"] == "../", entity.source


@pytest.mark.slow
def test_owners_and_last_review_are_shown(real_site):
    for entity in ENTITIES:
        review = page_of(real_site, entity.kind.folder, entity.id).select_one("article .hb-review")
        assert review is not None, entity.source
        for owner in entity["owners"]:
            assert owner in review.get_text(), entity.source
        assert review.select_one("time")["datetime"] == str(entity["last_reviewed"])


@pytest.mark.slow
def test_numbered_lists_with_code_keep_their_numbering(real_site):
    page = page_of(real_site, "activities", "technical-debt-management")
    practices = page.find(id="how-to-do-it-well").find_next_sibling("ol")
    assert len(practices.find_all("li", recursive=False)) == 7
    assert practices.select_one("pre") is not None
    # Nowhere does a list stop at a code block or table and start again after it.
    for path in html_pages(real_site):
        for ol in soup(path).select("article ol"):
            before = ol.find_previous_sibling()
            if before is not None and before.name in ("div", "pre", "table") and before.find_previous_sibling() is not None:
                assert before.find_previous_sibling().name != "ol", f"{path}: a numbered list restarts after a block"


def test_block_outside_its_list_item_is_reported(tmp_path):
    assert misplaced_blocks("1. Rank:\n\n   ```bash\n   git log\n   ```\n\n2. Fix.") == [2]
    assert misplaced_blocks("1. Rank:\n\n    ```bash\n    git log\n    ```\n\n2. Fix.") == []
    assert misplaced_blocks("Intro.\n\n   ```bash\n   git log\n   ```") == []  # no list: nothing to cut
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "mini" / "data", data)
    path = data / "activities" / "caching.yml"
    text = path.read_text(encoding="utf-8")
    code_in_item = "  2. Invalidate on write:\n\n     ```python\n     cache.delete(key)\n     ```"
    path.write_text(text.replace("  2. Invalidate on write.", code_in_item), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_handbook(data, tmp_path)
    line = text.split("\n").index("  2. Invalidate on write.") + 3
    assert [str(p) for p in caught.value.problems] == [
        f"data/activities/caching.yml:{line}: this block is inside a list item but indented less than 4 spaces,"
        " so the list is cut in two and numbering restarts at 1: indent it 4 spaces past the list's margin"
    ]


@pytest.mark.slow
def test_print_stylesheet_hides_chrome_and_shows_link_targets(real_site):
    css = (real_site / "stylesheets" / "handbook.css").read_text(encoding="utf-8")
    print_rules = css[css.index("@media print") :]
    assert ".md-path" in print_rules and ".md-tags" in print_rules
    assert re.search(r'a\[href\^="http"\]::after\s*\{\s*content: " \(" attr\(href\) "\)"', print_rules)
    page = page_of(real_site, "activities", "caching")
    assert any(link["href"].endswith("stylesheets/handbook.css") for link in page.select('link[rel="stylesheet"]'))


@pytest.mark.slow
def test_search_is_the_header_box_over_pagefind_loaded_on_use(real_site):
    for path in (real_site / "index.html", real_site / "technologies" / "git" / "index.html"):
        page = soup(path)
        box = page.select_one("header [data-hb-search] form")
        assert box["action"].endswith("explorer/") and box.select_one("input[name=q]"), path
        scripts = [script.get("src", "") for script in page.select("script")]
        assert any(src.endswith("javascripts/search.js") for src in scripts), scripts
        assert not any("pagefind" in src for src in scripts)  # fetched on first use only
    assert not (real_site / "search" / "search_index.json").exists()
    assert (real_site / "pagefind" / "pagefind.js").is_file()


@pytest.mark.slow
def test_every_page_has_a_description_and_open_graph_tags(real_site):
    for path in html_pages(real_site):
        if path.name == "404.html":
            continue
        page = soup(path)
        description = page.find("meta", attrs={"name": "description"})["content"]
        assert description and page.find("meta", property="og:description")["content"] == description, path
        assert page.find("meta", property="og:title")["content"], path
    entity = HANDBOOK.get(("technologies", "git"))
    page = page_of(real_site, "technologies", "git")
    assert page.find("meta", attrs={"name": "description"})["content"] == entity["summary"]
    assert page.find("meta", property="og:title")["content"] == entity.title


def build_hostile_meta(tmp):
    data = tmp / "src"
    shutil.copytree(FIXTURES / "mini" / "data", data)
    shutil.copytree(FIXTURES / "hostile-meta", data, dirs_exist_ok=True)
    result, _ = build_with_data(tmp, data)
    assert result.returncode == 0, result.stderr


@build_fixture()
def hostile_meta_site(tmp_path_factory):
    """The mini data set with titles and summaries full of quotes, ampersands and escaped markup."""
    return shared(tmp_path_factory, "hostile-meta", build_hostile_meta) / "site"


@pytest.mark.slow
def test_descriptions_titles_and_tags_are_escaped_exactly_once(hostile_meta_site):
    raw = (hostile_meta_site / "activities" / "caching" / "index.html").read_text(encoding="utf-8")
    page = BeautifulSoup(raw, "lxml")
    title = 'Caching "quoted" & more &amp; &lt;b&gt;'
    summary = "Quotes \" and ' & ampersands \" onload=\"alert(4) &lt;i&gt;"
    assert page.find("meta", attrs={"name": "description"})["content"] == summary
    assert page.find("meta", property="og:description")["content"] == summary
    assert page.find("meta", property="og:title")["content"] == title
    assert not [element for element in page.find_all(True) if any(name.startswith("on") for name in element.attrs)]
    assert page.find(["b", "i"]) is None  # escaped markup in the data stays text
    tags = [tag.get_text(strip=True) for tag in page.select("article .md-tags .md-tag")]
    assert 'Area: Architecture & "design" &lt;b&gt;' in tags


@pytest.mark.slow
def test_activity_pages_lead_to_the_previous_and_next_step_of_each_phase(real_site):
    for activity in HANDBOOK.of("activities"):
        phases = XREF.phases_of(activity)
        nav = page_of(real_site, "activities", activity.id).select_one("article nav.hb-workflow")
        if not phases:
            assert nav is None
            continue
        steps = nav.select("li")
        assert len(steps) == len(phases), activity.source
        for phase, step in zip(phases, steps):
            before, after = XREF.activity_neighbours(activity, phase)
            linked = {a["href"] for a in step.select("a")}
            expected = {f"../../phases/{phase.id}/"} | {f"../{n.id}/" for n in (before, after) if n}
            assert linked == expected, activity.source
