"""The single-page handbook's Markdown (macros/offline_copy.py), without MkDocs: fast.

The built page and its PDF are tested in test_offline_pdf.py.
"""

from __future__ import annotations

import re

import pytest

from conftest import ROOT
from macros import offline_copy, page_macros
from macros.loader import load_handbook
from macros.model import KINDS
from macros.render import Renderer

RENDERER = Renderer(load_handbook(ROOT / "data", ROOT))
HANDBOOK, XREF = RENDERER.handbook, RENDERER.xref
PAGES = RENDERER.pages()
SINGLE = offline_copy.single_page(HANDBOOK, XREF, PAGES, "https://example.org/handbook/")
FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})", re.M)


def outside_code(markdown: str) -> str:
    """The Markdown with fenced code blocks removed (crudely: fences alternate open/close)."""
    parts = re.split(r"^[ \t]*(?:`{3,}|~{3,})[^\n]*$", markdown, flags=re.M)
    return "\n".join(parts[0::2])


def ids_in(markdown: str) -> list[str]:
    heading_ids = re.findall(r"^#{1,6} .*\{ #([^ }]+)", markdown, re.M)
    return heading_ids + re.findall(r'\bid="([^"]+)"', markdown)


def test_every_entity_is_a_section_with_its_own_anchor_once():
    for entity in HANDBOOK.all():
        anchor = offline_copy.anchor(entity)
        sections = re.findall(rf"^#{{3,4}} (.*) \{{ #{re.escape(anchor)} .hb-offline-entry \}}$", SINGLE, re.M)
        assert len(sections) == 1, (anchor, sections)
        assert sections[0] == PAGES[entity.page].split("\n# ", 1)[1].split("\n", 1)[0]  # the title as the page writes it


def test_entities_follow_the_workflow_and_the_index_pages_order():
    order = [m for m in re.findall(r"\{ #([a-z]+-[a-z0-9-]+) \.hb-offline-entry", SINGLE)]
    kinds = [key.split("-", 1)[0] for key in order]
    singulars = [kind.singular for kind in KINDS.values()]
    assert sorted(kinds, key=singulars.index) == kinds  # phases, areas, activities, ..., glossary
    phases = [k for k in order if k.startswith("phase-")]
    assert phases == [offline_copy.anchor(p) for p in HANDBOOK.of("phases")]  # in workflow order
    activities = [k for k in order if k.startswith("activity-")]
    by_area = [offline_copy.anchor(a) for area in HANDBOOK.of("areas") for a in XREF.activities_of_area(area)]
    assert activities == by_area


def test_every_link_inside_the_page_has_its_target_and_none_leads_to_an_entity_page():
    text = outside_code(SINGLE)
    ids = ids_in(text)
    assert len(ids) == len(set(ids)), "ids repeat"
    targets = re.findall(r"\]\(#([^)\s]+)\)", text) + re.findall(r'href="#([^"]+)"', text)
    assert targets and not set(targets) - set(ids)
    entity_page = re.compile(rf"(?:\]\(|href=\")(?:\.\./)*(?:{'|'.join(KINDS)})/[a-z0-9-]+(?:\.md|/)")
    assert entity_page.findall(text) == []


def test_links_to_other_pages_still_resolve_from_print():
    assert "](../radar/index.md#adopt)" in SINGLE  # from ring facts, one folder deep like print/
    assert "](../../" not in SINGLE and 'href="../../' not in SINGLE


def test_headings_move_below_their_kind_and_group():
    assert "\n## Activities { #activities .hb-offline-kind }" in SINGLE
    assert "\n### API development and maintenance { #activities-in-api-development .hb-offline-group }" in SINGLE
    # A technology: title at h4 under its category, its sections at h5, search exclusions kept.
    assert "\n#### Apache Kafka { #technology-kafka .hb-offline-entry }" in SINGLE
    assert "\n##### What it is { #technology-kafka--what-it-is .hb-offline-section }" in SINGLE
    assert "##### Alternatives { #technology-kafka--alternatives .hb-offline-section data-search-exclude }" in SINGLE
    # A term: no group, so one level less.
    assert "\n### Representational state transfer (REST) { #term-rest .hb-offline-entry }" in SINGLE


def test_code_is_left_as_written_and_ids_in_raw_html_are_made_unique():
    kafka = next(e for e in HANDBOOK.of("technologies") if e.id == "kafka")
    page = (
        "---\ntitle: x\n---\n\n# Apache Kafka\n\nSee [Redis](../technologies/redis.md#use) and [here](#top).\n\n"
        '```python\n# not a heading\n[kept](../technologies/redis.md)\n<div id="kept"></div>\n```\n\n'
        'Inline `id="kept"` and `](../technologies/redis.md)` stay; <svg><marker id="m"/><path marker-end="url(#m)"/></svg>\n'
    )
    single = offline_copy.single_page(HANDBOOK, XREF, {**PAGES, kafka.page: page})
    section = single.split("{ #technology-kafka .hb-offline-entry }", 1)[1].split(".hb-offline-entry", 1)[0]
    assert "[Redis](#technology-redis--use)" in section and "[here](#technology-kafka--top)" in section
    assert '# not a heading\n[kept](../technologies/redis.md)\n<div id="kept"></div>\n```' in section
    assert 'Inline `id="kept"` and `](../technologies/redis.md)` stay' in section
    assert '<marker id="technology-kafka--m"/><path marker-end="url(#technology-kafka--m)"/>' in section


def test_repeated_headings_get_numbered_ids_as_on_their_own_page():
    term = HANDBOOK.of("glossary")[0]
    page = "# T\n\n## Notes\n\n## Notes\n\n## C\\# and `code` [link](https://example.org)\n"
    single = offline_copy.single_page(HANDBOOK, XREF, {**PAGES, term.page: page})
    anchor = offline_copy.anchor(term)
    for expected in (f"{anchor}--notes ", f"{anchor}--notes_1 ", f"{anchor}--c-and-code-link "):
        assert "{ #" + expected in single


def test_the_page_is_kept_out_of_search_and_sidebars():
    front = SINGLE.split("\n---\n", 1)[0]
    assert "search: {exclude: true}" in front and "hide: [navigation, toc]" in front
    assert 'title: "The whole handbook"' in front


@pytest.mark.parametrize("included", [True, False])
def test_home_page_links_only_when_the_build_has_the_copy(included):
    text = page_macros.macros(HANDBOOK, XREF, offline_copy=included)["read_offline"]()
    assert ("print/index.md" in text and 'href="handbook.pdf"' in text) is included
    assert ("`make pdf`" in text) is not included


def test_only_asked_for(monkeypatch):
    monkeypatch.delenv(offline_copy.ENVIRONMENT_VARIABLE, raising=False)
    assert not offline_copy.requested()
    monkeypatch.setenv(offline_copy.ENVIRONMENT_VARIABLE, "1")
    assert offline_copy.requested()
