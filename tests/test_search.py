"""Search in real Chromium: exact names first, aliases, words found only in page bodies, kinds shown.

Material's search reacts to key presses, so queries are typed: "/" focuses the box.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from conftest import ROOT
from macros.loader import load_handbook

pytestmark = pytest.mark.slow

HANDBOOK = load_handbook(ROOT / "data", ROOT)


def search(page: Page, query: str) -> list[dict]:
    """Type a query; return the results in the order shown: title, tags and link of each page."""
    page.keyboard.press("/")
    page.keyboard.type(query, delay=20)
    first = page.locator(".md-search-result__item").first
    expect(first).to_be_visible(timeout=10_000)
    # Results arrive per key press: wait until they answer the whole query.
    expect(page.locator(".md-search-result__meta")).not_to_have_text(re.compile("Initializing|Type to start"))
    page.wait_for_timeout(300)
    return page.evaluate(
        """() => [...document.querySelectorAll('.md-search-result__item')].map(item => {
            const article = item.querySelector('.md-search-result__article');
            return {
              title: article.querySelector('h1, h2').textContent.trim(),
              tags: [...article.querySelectorAll('.md-tag')].map(tag => tag.textContent.trim()),
              href: item.querySelector('a').getAttribute('href'),
            };
          })"""
    )


@pytest.mark.parametrize(
    "query, title",
    [
        ("git", "Git"),  # before GitLab, GitHub and GitHub Actions
        ("go", "Go"),  # before Google Cloud Platform
        ("rest", "Representational state transfer (REST)"),  # before "Designing RESTful APIs"
        ("orm", "Object-relational mapping (ORM)"),
        ("k8s", "Kubernetes"),
        ("postgres", "PostgreSQL"),
        ("CI", "Continuous integration (CI)"),  # before CircleCI and Travis CI
    ],
)
def test_exact_name_ranks_first(offline_page: Page, site_url, query, title):  # noqa: F811
    offline_page.goto(site_url)
    results = search(offline_page, query)
    assert results[0]["title"] == title, [r["title"] for r in results[:5]]
    offline_page.keyboard.press("Enter")  # Enter opens the best result: the same page
    expect(offline_page.locator("article h1")).to_have_text(re.compile("^" + re.escape(title)))
    assert offline_page.outside_requests == []


@pytest.mark.parametrize("query, folder, entity_id", [("k8s", "technologies", "kubernetes"), ("postgres", "technologies", "postgresql")])
def test_aliases_are_in_the_data(query, folder, entity_id):
    aliases = [alias.lower() for alias in HANDBOOK.entities[folder][entity_id]["aliases"]]
    assert query in aliases


def test_word_found_only_in_page_bodies(offline_page: Page, site_url):  # noqa: F811
    titles = {entity.title.lower() for entity in HANDBOOK.all()}
    assert not any("idempotency" in title for title in titles)
    offline_page.goto(site_url)
    results = search(offline_page, "idempotency")
    assert any(urlsplit(r["href"]).path.endswith("/activities/designing-restful-apis/") for r in results), results


def test_each_result_shows_the_kind_of_page(offline_page: Page, site_url):  # noqa: F811
    offline_page.goto(site_url)
    results = search(offline_page, "kafka")
    kinds = {kind.label for kind in {entity.kind for entity in HANDBOOK.all()}}
    entries = [r for r in results if r["tags"]]
    assert entries, results
    for result in entries:
        assert result["tags"][0] in kinds, result
    assert results[0]["tags"][0] == "Technology"
    expect(offline_page.locator(".md-search-result__item .md-tag").first).to_be_visible()


def test_names_file_lists_titles_abbreviations_and_aliases(real_site):
    names = json.loads((real_site / "search" / "names.json").read_text(encoding="utf-8"))
    assert names["technologies/kubernetes/"][:2] == ["kubernetes", "k8s"]
    assert "orm" in names["glossary/orm/"]
    assert set(names) == {f"{e.kind.folder}/{e.id}/" for e in HANDBOOK.all()}
