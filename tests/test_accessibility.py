"""axe-core in real Chromium: no serious or critical violation on any kind of page, light or dark.

axe-core is the copy bundled in the pinned axe-playwright-python package, injected into
the page from disk: nothing is fetched.
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect


pytestmark = pytest.mark.slow

# One page of each type. The explorer is built by another part of the site: it is
# checked whenever the build has it.
PAGES = {
    "home": "",
    "phase": "phases/testing-and-quality-assurance/",
    "activity": "activities/caching/",
    "technology": "technologies/kafka/",  # has a code sample with generated output
    "term": "glossary/rest/",
    "radar": "radar/",
    "tags": "tags/",
    "explorer": "explorer/",
    "paths": "paths/",
    "path": "paths/first-week/",
    "matrix": "competency-matrix/",
    "whats-new": "about/whats-new/",
}
SCHEMES = {"light": "default", "dark": "slate"}
SERIOUS = ("serious", "critical")


def _present(real_site, path: str) -> bool:
    return (real_site / path / "index.html").exists()


def test_the_pages_checked_exist(real_site):
    missing = [name for name, path in PAGES.items() if name != "explorer" and not _present(real_site, path)]
    assert not missing, f"pages to check are missing from the build: {missing}"


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        targets = [" ".join(node["target"]) if isinstance(node["target"], list) else str(node["target"]) for node in violation["nodes"]]
        lines.append(f"{violation['impact']}: {violation['id']} ({violation['help']}) at {targets[:5]}")
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("name", PAGES)
def test_no_serious_accessibility_violations(offline_page: Page, site_url, real_site, name, scheme):  # noqa: F811
    path = PAGES[name]
    if name == "explorer" and not _present(real_site, path):
        pytest.skip("this build has no explorer page")
    offline_page.emulate_media(color_scheme="dark" if scheme == "dark" else "light")
    offline_page.goto(site_url + path)
    offline_page.wait_for_load_state("networkidle")
    assert offline_page.locator("body").get_attribute("data-md-color-scheme") == SCHEMES[scheme]
    results = Axe().run(offline_page)
    serious = [v for v in results.response["violations"] if v["impact"] in SERIOUS]
    assert not serious, describe(serious)
    assert offline_page.outside_requests == []


@pytest.mark.parametrize("scheme", SCHEMES)
def test_search_results_have_no_serious_violations(offline_page: Page, site_url, scheme):  # noqa: F811
    offline_page.emulate_media(color_scheme="dark" if scheme == "dark" else "light")
    offline_page.goto(site_url)
    offline_page.keyboard.press("/")
    offline_page.keyboard.type("kafka", delay=20)
    expect(offline_page.locator(".md-search-result__item .md-tag").first).to_be_visible(timeout=10_000)
    results = Axe().run(offline_page, context=".md-search")
    serious = [v for v in results.response["violations"] if v["impact"] in SERIOUS]
    assert not serious, describe(serious)


def test_search_works_from_the_keyboard_alone(offline_page: Page, site_url):  # noqa: F811
    offline_page.goto(site_url)
    offline_page.keyboard.press("Tab")
    expect(offline_page.locator(":focus")).to_have_text(re.compile("Skip to content"))
    offline_page.keyboard.press("/")
    offline_page.keyboard.type("kafka", delay=20)
    expect(offline_page.locator(".md-search-result__item").first).to_be_visible(timeout=10_000)
    offline_page.wait_for_timeout(300)
    offline_page.keyboard.press("ArrowDown")
    expect(offline_page.locator(":focus")).to_have_class(re.compile("md-search-result__link"))
    offline_page.keyboard.press("Enter")
    expect(offline_page).to_have_url(re.compile(r"/handbook/technologies/kafka/"))
    assert offline_page.outside_requests == []


def test_breadcrumbs_tags_and_workflow_links_are_reachable_by_tab(offline_page: Page, site_url):  # noqa: F811
    offline_page.goto(site_url + "activities/caching/")
    reached = set()
    for _ in range(150):
        offline_page.keyboard.press("Tab")
        reached.add(
            offline_page.evaluate(
                "() => (document.activeElement.closest('.md-path, .md-tags, .hb-workflow') || {}).className || ''"
            )
        )
    assert {"md-path", "md-tags", "hb-workflow"} <= reached, reached


def test_print_shows_the_article_alone_with_link_targets(offline_page: Page, site_url):  # noqa: F811
    offline_page.emulate_media(media="print", color_scheme="dark")
    offline_page.goto(site_url + "activities/caching/")
    for chrome in (".md-header", ".md-sidebar--primary", ".md-path", "article .md-tags", ".md-footer", ".hb-workflow"):
        expect(offline_page.locator(chrome).first).to_be_hidden()
    expect(offline_page.locator("article h1")).to_be_visible()
    outside = offline_page.locator("article p a[href^='https://'], article li a[href^='https://']").first
    after = outside.evaluate("a => getComputedStyle(a, '::after').content")
    assert outside.get_attribute("href") in after
    # Dark scheme on screen, black on white on paper.
    for selector in ("article h1", "article .hb-lead", "article h2 + p"):
        colour = offline_page.evaluate(f"getComputedStyle(document.querySelector({selector!r})).color")
        assert colour.startswith(("rgba(0, 0, 0,", "rgb(0, 0, 0)")), (selector, colour)
