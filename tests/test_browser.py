"""The built site in real headless Chromium, served under a sub-path by a plain static server."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.slow


def test_home_page_loads_without_outside_requests(offline_page: Page, site_url):
    response = offline_page.goto(site_url)
    assert response.ok
    expect(offline_page.locator("article h1")).to_have_text(re.compile("The Backend Handbook"))
    offline_page.wait_for_load_state("networkidle")
    assert offline_page.outside_requests == []


def test_search_finds_an_entity_by_alias(offline_page: Page, site_url):
    offline_page.goto(site_url)
    offline_page.keyboard.press("/")
    offline_page.keyboard.type("Golang", delay=20)
    results = offline_page.locator(".md-search-result__item")
    expect(results.first).to_be_visible(timeout=10_000)
    expect(offline_page.locator(".md-search-result__list")).to_contain_text("Go")
    offline_page.locator(".md-search-result__link").first.click()
    expect(offline_page).to_have_url(re.compile(r"/handbook/technologies/go/"))
    assert offline_page.outside_requests == []


def test_links_work_both_ways_under_a_sub_path(offline_page: Page, site_url):
    offline_page.goto(site_url + "activities/caching/")
    offline_page.locator("article .hb-facts").get_by_role("link", name="Redis").click()
    expect(offline_page).to_have_url(re.compile(r"/handbook/technologies/redis/$"))
    offline_page.locator("article").get_by_role("link", name="Caching").first.click()
    expect(offline_page).to_have_url(re.compile(r"/handbook/activities/caching/$"))
    assert offline_page.outside_requests == []


def test_abbreviations_expand_on_hover(offline_page: Page, site_url):
    offline_page.goto(site_url + "activities/web-vulnerability-defense/")
    abbr = offline_page.locator("article abbr", has_text="XSS").first
    expect(abbr).to_have_attribute("title", re.compile("cross-site scripting", re.I))


def test_seniority_tabs_switch(offline_page: Page, site_url):
    offline_page.goto(site_url + "activities/code-reviews/")
    offline_page.get_by_text("Senior", exact=True).click()
    expect(offline_page.locator(".tabbed-block").nth(2)).to_be_visible()


def test_phase_pages_chain_in_order(offline_page: Page, site_url):
    offline_page.goto(site_url + "phases/requirement-gathering-and-analysis/")
    titles = [offline_page.locator("article h1").inner_text()]
    for _ in range(6):
        offline_page.locator(".hb-prev-next a").last.click()
        titles.append(offline_page.locator("article h1").inner_text())
    assert titles[-1].startswith("Collaboration and communication")
    assert len(set(titles)) == 7


def test_mobile_layout_has_no_horizontal_scroll(offline_page: Page, site_url):
    offline_page.set_viewport_size({"width": 375, "height": 800})
    offline_page.goto(site_url + "technologies/postgresql/")
    overflow = offline_page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1
