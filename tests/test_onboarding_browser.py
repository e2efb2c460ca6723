"""Onboarding path pages and the competency matrix in real Chromium: saved progress, export and import, filters."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from conftest import ROOT
from macros.browser import block_outside_requests, origin_of
from macros import onboarding
from macros.loader import load_handbook

pytestmark = pytest.mark.slow

HANDBOOK = load_handbook(ROOT / "data", ROOT)
FIRST_WEEK = HANDBOOK.get(("paths", "first-week"))
STEP_IDS = [step["id"] for step in onboarding.steps(FIRST_WEEK)]
STEPS = len(STEP_IDS)
DAY_ONE = len(FIRST_WEEK["stages"][0]["steps"])
ACTIVITIES = HANDBOOK.of("activities")
STORAGE_KEY = "backend-handbook:progress:v1"
PATH_PAGE = "paths/first-week/"
MATRIX_PAGE = "competency-matrix/"


def saved(page: Page) -> dict:
    return json.loads(page.evaluate(f"localStorage.getItem({STORAGE_KEY!r})") or "{}")


def preset(page: Page, items: dict) -> None:
    """Progress already saved in this browser before the page loads."""
    page.add_init_script(f"localStorage.getItem({STORAGE_KEY!r}) || localStorage.setItem({STORAGE_KEY!r}, {json.dumps(json.dumps(items))})")


def box(page: Page, step_id: str):
    return page.locator(f'input[data-progress-key="first-week/{step_id}"]')


def overall(page: Page):
    return page.locator('[data-progress-meter=""]')


def message(page: Page):
    return page.locator("[data-progress-message]")


# -- ticking, saving, counting -------------------------------------------------------
def test_ticks_survive_a_reload_and_update_the_counts(offline_page: Page, site_url):
    page = offline_page
    page.goto(site_url + PATH_PAGE)
    expect(overall(page)).to_contain_text(f"0 of {STEPS} steps done")
    box(page, STEP_IDS[0]).check()
    box(page, STEP_IDS[1]).check()
    expect(overall(page)).to_contain_text(f"2 of {STEPS} steps done")
    assert overall(page).locator("progress").evaluate("bar => [bar.value, bar.max]") == [2, STEPS]
    expect(page.locator('[data-progress-meter="stage-1"]')).to_contain_text(f"2 of {DAY_ONE} steps done")
    assert set(saved(page)) == {f"first-week/{STEP_IDS[0]}", f"first-week/{STEP_IDS[1]}"}
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) for value in saved(page).values())

    page.reload()
    expect(box(page, STEP_IDS[0])).to_be_checked()
    expect(box(page, STEP_IDS[1])).to_be_checked()
    expect(box(page, STEP_IDS[2])).not_to_be_checked()
    expect(overall(page)).to_contain_text(f"2 of {STEPS} steps done")

    box(page, STEP_IDS[0]).uncheck()
    expect(overall(page)).to_contain_text(f"1 of {STEPS} steps done")
    page.goto(site_url)  # a new visit later
    page.goto(site_url + PATH_PAGE)
    expect(box(page, STEP_IDS[0])).not_to_be_checked()
    expect(box(page, STEP_IDS[1])).to_be_checked()
    assert page.outside_requests == []


def test_steps_are_labelled_checkboxes_ticked_from_the_keyboard(offline_page: Page, site_url):
    page = offline_page
    page.goto(site_url + PATH_PAGE)
    first = FIRST_WEEK["stages"][0]["steps"][0]
    checkbox = page.get_by_role("checkbox", name=first["title"], exact=True)
    checkbox.focus()
    page.keyboard.press("Space")
    expect(checkbox).to_be_checked()
    expect(overall(page)).to_contain_text(f"1 of {STEPS} steps done")
    page.keyboard.press("Tab")  # focus moves on through the page's links and boxes
    assert page.evaluate("document.activeElement !== document.body")
    assert f"first-week/{first['id']}" in saved(page)


def test_progress_is_kept_by_step_id_not_position(offline_page: Page, site_url):
    page = offline_page
    others = {"first-90-days/design-note": "2026-11-02", "matrix/caching/mid": "2026-11-03", "first-week/removed-step": "2026-10-01"}
    preset(page, {f"first-week/{STEP_IDS[3]}": "2026-11-01", **others})
    page.goto(site_url + PATH_PAGE)
    ticked = page.locator("input[data-progress-key]").evaluate_all("boxes => boxes.filter(b => b.checked).map(b => b.dataset.progressKey)")
    assert ticked == [f"first-week/{STEP_IDS[3]}"]
    expect(overall(page)).to_contain_text(f"1 of {STEPS} steps done")  # a step no longer on the page counts for nothing
    box(page, STEP_IDS[0]).check()
    assert others.items() <= saved(page).items()  # ticks of other pages are left alone


def test_reset_asks_first_and_clears_only_this_path(offline_page: Page, site_url):
    page = offline_page
    preset(page, {"matrix/caching/mid": "2026-11-03", "first-90-days/design-note": "2026-11-02"})
    page.goto(site_url + PATH_PAGE)
    box(page, STEP_IDS[0]).check()
    box(page, STEP_IDS[4]).check()
    reset = page.get_by_role("button", name="Reset this path")

    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    reset.click()
    expect(message(page)).to_have_text("Nothing was reset.")
    expect(box(page, STEP_IDS[0])).to_be_checked()
    assert "Clear the 2 ticks saved for Your first week" in questions[0]

    page.once("dialog", lambda dialog: dialog.accept())
    reset.click()
    expect(message(page)).to_have_text("Cleared 2 ticks for Your first week.")
    expect(page.locator("input[data-progress-key]:checked")).to_have_count(0)
    expect(overall(page)).to_contain_text(f"0 of {STEPS} steps done")
    assert saved(page) == {"matrix/caching/mid": "2026-11-03", "first-90-days/design-note": "2026-11-02"}
    page.reload()
    expect(page.locator("input[data-progress-key]:checked")).to_have_count(0)


# -- export and import ------------------------------------------------------------------
def test_export_then_import_in_a_fresh_browser_restores_the_same_state(offline_page: Page, site_url, browser, tmp_path):
    page = offline_page
    page.goto(site_url + MATRIX_PAGE)
    page.locator('input[data-progress-key="matrix/caching/senior"]').check()
    page.goto(site_url + PATH_PAGE)
    for step_id in STEP_IDS[:3]:
        box(page, step_id).check()
    before = saved(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Export progress").click()
    exported = tmp_path / download.value.suggested_filename
    download.value.save_as(exported)
    assert re.fullmatch(r"backend-handbook-progress-\d{4}-\d{2}-\d{2}\.json", exported.name)
    document = json.loads(exported.read_text(encoding="utf-8"))
    assert document["format"] == "backend-handbook-progress" and document["version"] == 1
    assert re.match(r"\d{4}-\d{2}-\d{2}T", document["exported"])
    assert document["items"] == before
    expect(message(page)).to_contain_text("Exported 3 steps in 1 path and 1 matrix tick")

    laptop = browser.new_context()  # another browser: nothing saved yet
    try:
        other = laptop.new_page()
        outside = block_outside_requests(other, origin_of(site_url))
        other.goto(site_url + PATH_PAGE)
        expect(other.locator("input[data-progress-key]:checked")).to_have_count(0)
        other.locator("input[data-progress-import]").set_input_files(exported)
        expect(message(other)).to_have_text(f"Imported 3 steps in 1 path and 1 matrix tick from {exported.name}.")
        assert saved(other) == before
        for step_id in STEP_IDS[:3]:
            expect(box(other, step_id)).to_be_checked()
        expect(overall(other)).to_contain_text(f"3 of {STEPS} steps done")
        other.goto(site_url + MATRIX_PAGE)
        expect(other.locator('input[data-progress-key="matrix/caching/senior"]')).to_be_checked()
        assert outside == []
    finally:
        laptop.close()
    assert page.outside_requests == []


def test_import_over_existing_progress_asks_first(offline_page: Page, site_url):
    page = offline_page
    preset(page, {f"first-week/{STEP_IDS[0]}": "2026-11-01"})
    page.goto(site_url + PATH_PAGE)
    other = {"format": "backend-handbook-progress", "version": 1, "exported": "2026-11-20T10:00:00.000Z", "items": {f"first-week/{STEP_IDS[5]}": "2026-11-20"}}
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.locator("input[data-progress-import]").set_input_files(
        {"name": "other.json", "mimeType": "application/json", "buffer": json.dumps(other).encode()}
    )
    expect(message(page)).to_have_text("Import cancelled. Your saved progress is unchanged.")
    assert saved(page) == {f"first-week/{STEP_IDS[0]}": "2026-11-01"}


GOOD = {"format": "backend-handbook-progress", "version": 1, "exported": "2026-11-20T10:00:00.000Z", "items": {"first-week/run-the-tests": "2026-11-20"}}
BAD_FILES = {
    "not JSON": (b"{not json", "the file is not JSON"),
    "foreign JSON": (json.dumps({"items": {"first-week/run-the-tests": True}}).encode(), "it is not a Backend Handbook progress file"),
    "another app's list": (json.dumps([1, 2, 3]).encode(), "it is not a Backend Handbook progress file"),
    "newer version": (json.dumps({**GOOD, "version": 2}).encode(), "made by a newer version of the handbook (version 2)"),
    "no export date": (json.dumps({k: v for k, v in GOOD.items() if k != "exported"}).encode(), '"exported" date is missing'),
    "items not an object": (json.dumps({**GOOD, "items": ["first-week/run-the-tests"]}).encode(), '"items" is not an object'),
    "bad key": (json.dumps({**GOOD, "items": {"../../etc": "2026-11-20"}}).encode(), '"../../etc" is not the key of a step'),
    "bad matrix level": (json.dumps({**GOOD, "items": {"matrix/caching/expert": "2026-11-20"}}).encode(), "is not the key of a step"),
    "value not a date": (json.dumps({**GOOD, "items": {"first-week/run-the-tests": True}}).encode(), "is not a date"),
    "script as value": (json.dumps({**GOOD, "items": {"first-week/run-the-tests": "<img src=x onerror=alert(1)>"}}).encode(), "is not a date"),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_a_bad_import_file_is_refused_and_changes_nothing(offline_page: Page, site_url, name):
    page = offline_page
    content, reason = BAD_FILES[name]
    kept = {f"first-week/{STEP_IDS[0]}": "2026-11-01", "matrix/caching/mid": "2026-11-03"}
    preset(page, kept)
    page.goto(site_url + PATH_PAGE)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.locator("input[data-progress-import]").set_input_files({"name": "progress.json", "mimeType": "application/json", "buffer": content})
    expect(message(page)).to_contain_text("Not imported: ")
    expect(message(page)).to_contain_text(reason)
    expect(message(page)).to_contain_text("Your saved progress is unchanged.")
    expect(message(page)).to_have_class(re.compile("hb-progress-tools__message--error"))
    assert saved(page) == kept
    assert dialogs == []  # refused before anything is asked
    expect(box(page, STEP_IDS[0])).to_be_checked()
    expect(page.locator("input[data-progress-key]:checked")).to_have_count(1)
    assert page.locator("article img").count() == 0


# -- the competency matrix -----------------------------------------------------------------
def visible_headers(page: Page) -> list[str]:
    return page.locator(".hb-matrix-area:not([hidden]) table").first.locator("th").evaluate_all(
        "cells => cells.filter(c => c.offsetParent !== null).map(c => c.textContent.trim())"
    )


def test_the_matrix_lists_every_activity_at_every_level(offline_page: Page, site_url):
    page = offline_page
    page.goto(site_url + MATRIX_PAGE)
    rows = page.locator(".hb-matrix tbody tr")
    expect(rows).to_have_count(len(ACTIVITIES))
    linked = rows.locator("td:first-child a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert sorted(linked) == sorted(f"../activities/{a.id}/" for a in ACTIVITIES)
    for header in page.locator(".hb-matrix thead tr").all():
        assert [cell.strip() for cell in header.locator("th").all_inner_texts()] == ["Activity", "Junior", "Mid-level", "Senior"]
    caching = rows.filter(has=page.locator('a[href="../activities/caching/"]'))
    cells = caching.locator("td").all_inner_texts()
    activity = HANDBOOK.get(("activities", "caching"))
    for cell, level in zip(cells[1:], ("junior", "mid", "senior")):
        assert " ".join(activity["seniority"][level].split())[:60] in cell
    expect(page.locator(".hb-matrix input[data-progress-key]")).to_have_count(3 * len(ACTIVITIES))
    expect(page.locator("#hb-matrix-count")).to_have_text(f"Showing {len(ACTIVITIES)} activities in all 10 areas: all levels.")
    assert page.outside_requests == []


def test_the_matrix_filters_by_area_and_shows_one_level(offline_page: Page, site_url):
    page = offline_page
    page.goto(site_url + MATRIX_PAGE)
    security = [a for a in ACTIVITIES if a["area"] == "security"]
    page.get_by_label("Area", exact=True).select_option("security")
    expect(page.locator(".hb-matrix-area:not([hidden])")).to_have_count(1)
    expect(page.locator(".hb-matrix-area:not([hidden]) tbody tr")).to_have_count(len(security))
    expect(page.locator('.hb-matrix-area[data-area="caching"]')).to_have_count(0)
    expect(page).to_have_url(re.compile(r"\?area=security$"))
    assert visible_headers(page) == ["Activity", "Junior", "Mid-level", "Senior"]

    page.get_by_label("Level", exact=True).select_option("mid")
    assert visible_headers(page) == ["Activity", "Mid-level"]
    expect(page.locator("#hb-matrix-count")).to_have_text(f"Showing {len(security)} activities in Security: Mid-level expectations.")
    expect(page).to_have_url(re.compile(r"\?area=security&level=mid$"))

    # The address restores the view; Back returns to the previous one.
    page.goto(site_url + MATRIX_PAGE + "?level=senior")
    expect(page.locator(".hb-matrix-area:not([hidden])")).to_have_count(10)
    assert visible_headers(page) == ["Activity", "Senior"]
    expect(page.get_by_label("Level", exact=True)).to_have_value("senior")
    page.go_back()
    expect(page.get_by_label("Level", exact=True)).to_have_value("mid")
    page.goto(site_url + MATRIX_PAGE + "?level=guru&area=nowhere")  # ignored, not an error
    expect(page.locator(".hb-matrix-area:not([hidden])")).to_have_count(10)
    assert page.outside_requests == []


def test_self_assessment_is_saved_like_path_progress(offline_page: Page, site_url):
    page = offline_page
    page.goto(site_url + MATRIX_PAGE)
    cell = page.get_by_role("checkbox", name=re.compile(r"^I do this\s*: Caching, mid-level$"))
    cell.check()
    assert saved(page) == {"matrix/caching/mid": saved(page)["matrix/caching/mid"]}
    page.reload()
    expect(cell).to_be_checked()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Reset self-assessment").click()
    expect(cell).not_to_be_checked()
    assert saved(page) == {}


def test_the_matrix_prints_the_chosen_view_without_controls(offline_page: Page, site_url):
    page = offline_page
    page.goto(site_url + MATRIX_PAGE + "?level=junior")
    page.emulate_media(media="print")
    for control in ("#hb-matrix-controls", ".hb-progress-tools", ".hb-self"):
        expect(page.locator(control).first).to_be_hidden()
    expect(page.locator(".hb-matrix table").first).to_be_visible()
    assert visible_headers(page) == ["Activity", "Junior"]


# -- without scripts, on other pages ---------------------------------------------------------
def test_without_javascript_everything_is_readable_and_nothing_pretends_to_save(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + PATH_PAGE)
        expect(page.locator(".hb-step")).to_have_count(STEPS)
        expect(page.locator(".hb-step dd").first).to_be_visible()
        expect(page.locator(".hb-progress-note")).to_contain_text("Turn on JavaScript")
        expect(page.locator("input[data-progress-key]").first).to_be_hidden()
        expect(page.locator(".hb-progress-tools")).to_be_hidden()
        page.goto(site_url + MATRIX_PAGE)
        expect(page.locator(".hb-matrix tbody tr")).to_have_count(len(ACTIVITIES))
        expect(page.locator(".hb-self").first).to_be_hidden()
    finally:
        context.close()


def test_home_page_sends_new_hires_to_the_first_week(offline_page: Page, site_url):
    page = offline_page
    scripts = []
    page.on("request", lambda request: scripts.append(request.url) if request.resource_type == "script" else None)
    page.goto(site_url)
    page.wait_for_load_state("networkidle")
    assert scripts and not [url for url in scripts if url.endswith(("progress.js", "matrix.js"))]  # not on the home page
    page.get_by_role("link", name="Your first week").first.click()
    expect(page).to_have_url(re.compile(r"/handbook/paths/first-week/$"))
    page.wait_for_load_state("load")
    assert any(url.endswith("javascripts/progress.js") for url in scripts)  # loaded on the path page
    assert page.outside_requests == []


def test_entry_pages_link_to_the_steps_that_include_them(offline_page: Page, site_url):
    page = offline_page
    page.goto(site_url + "activities/database-migrations/")
    page.locator("article").get_by_role("link", name="Add a database migration and its roll-forward undo").click()
    expect(page).to_have_url(re.compile(r"/handbook/paths/first-90-days/#step-reversible-migration$"))
    expect(page.locator("#step-reversible-migration")).to_be_in_viewport()
