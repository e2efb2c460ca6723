"""The explorer page in real headless Chromium, served under /handbook/ by a plain static server.

Expected result sets are computed here from the data, through the cross-reference index
the pages are built from; the page computes them in the browser from api/v1/graph.json.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Page, expect

from conftest import ROOT
from macros.explorer import LISTED
from macros.loader import load_handbook
from macros.xref import CrossReference

pytestmark = pytest.mark.slow

HANDBOOK = load_handbook(ROOT / "data", ROOT)
XREF = CrossReference(HANDBOOK)
LISTED_ENTITIES = [entity for folder in LISTED for entity in HANDBOOK.of(folder)]
TOTAL = len(LISTED_ENTITIES)
TESTING = "testing-and-quality-assurance"


# -- the facets, from the data -----------------------------------------------------
def activities_of(entity):
    folder = entity.kind.folder
    if folder == "activities":
        return [entity]
    if folder == "technologies":
        return XREF.activities_using(entity)
    if folder == "glossary":
        return XREF.entities([a.key for a in XREF.refs(entity, "activities")] + [a.key for a in XREF.named_by(entity, "terms", "activities")])
    return XREF.refs(entity, "activities")  # phases, responsibilities


def technologies_of(entity):
    if entity.kind.folder == "technologies":
        return [entity]
    own = XREF.refs(entity, "technologies") if "technologies" in entity.kind.references else []
    return own + XREF.technologies_of_activities(activities_of(entity))


def facets(entity) -> dict[str, set[str]]:
    activities, technologies = activities_of(entity), technologies_of(entity)
    areas = [XREF.refs(a, "area")[0] for a in activities]
    phases = [entity] if entity.kind.folder == "phases" else XREF.phases_of_activities(activities)
    return {
        "kind": {entity.kind.singular},
        "area": {area.id for area in areas},
        "type": {area["type"] for area in areas},
        "phase": {phase.id for phase in phases},
        "category": {XREF.refs(t, "category")[0].id for t in technologies},
        "ring": {XREF.ring(t) for t in technologies},
    }


FACETS = {entity.key: facets(entity) for entity in LISTED_ENTITIES}


def expected(**filters) -> set[str]:
    """Site paths of the entries matching every filter."""
    return {
        f"{entity.kind.folder}/{entity.id}/"
        for entity in LISTED_ENTITIES
        if all(value in FACETS[entity.key][name] for name, value in filters.items())
    }


# -- driving the page ------------------------------------------------------------
@pytest.fixture
def explorer(offline_page: Page, site_url) -> Page:
    offline_page.goto(site_url + "explorer/")
    expect(offline_page.locator("#hb-explorer:not([aria-busy])")).to_be_visible()  # the data is loaded
    return offline_page


def visible(page: Page) -> set[str]:
    """Site paths of the entries shown, read from the links' resolved addresses."""
    hrefs = page.eval_on_selector_all(
        "#hb-explorer-results li:not([hidden]) a", "links => links.map(a => new URL(a.href).pathname)"
    )
    return {href.removeprefix("/handbook/") for href in hrefs}


def count_text(shown: int) -> str:
    return f"{shown} of {TOTAL} entries match"


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def test_without_filters_every_entry_is_shown(explorer: Page):
    assert visible(explorer) == expected()
    assert len(expected()) == TOTAL
    expect(explorer.get_by_role("status")).to_have_text(f"{TOTAL} entries")
    assert explorer.outside_requests == []


def test_filters_combine_and_the_url_restores_the_view(explorer: Page, site_url, context):
    explorer.get_by_label("Kind").select_option("activity")
    explorer.get_by_label("Phase").select_option(TESTING)
    explorer.get_by_label("Area", exact=True).select_option("testing-and-qa")
    want = expected(kind="activity", phase=TESTING, area="testing-and-qa")
    assert 1 < len(want) < len(expected(kind="activity", phase=TESTING))
    expect(explorer.get_by_role("status")).to_have_text(count_text(len(want)))
    assert visible(explorer) == want
    assert query(explorer) == {"kind": ["activity"], "area": ["testing-and-qa"], "phase": [TESTING]}

    shared = context.new_page()
    shared.goto(explorer.url)
    expect(shared.get_by_role("status")).to_have_text(count_text(len(want)))
    assert visible(shared) == want
    expect(shared.get_by_label("Phase")).to_have_value(TESTING)
    expect(shared.get_by_label("Area", exact=True)).to_have_value("testing-and-qa")
    assert explorer.outside_requests == []


def test_the_issue_example_gives_exactly_the_expected_set(explorer: Page, site_url):
    # kind = activity, phase = testing, area = security: security testing belongs to the
    # testing area, so no activity is in both; the page must say so rather than guess.
    explorer.goto(site_url + f"explorer/?kind=activity&area=security&phase={TESTING}")
    want = expected(kind="activity", phase=TESTING, area="security")
    expect(explorer.get_by_role("status")).to_have_text(count_text(len(want)))
    assert visible(explorer) == want


@pytest.mark.parametrize("name", ["kind", "area", "phase", "category", "type", "ring"])
def test_each_filter_value_gives_the_entries_of_the_data(explorer: Page, name):
    select = explorer.locator(f"#hb-explorer-{name}")
    values = [value for value in select.locator("option").evaluate_all("options => options.map(o => o.value)") if value]
    assert values
    for value in values:
        select.select_option(value)
        want = expected(**{name: value})
        expect(explorer.get_by_role("status")).to_have_text(count_text(len(want)))
        assert visible(explorer) == want, (name, value)


def test_filters_across_kinds(explorer: Page):
    # A technology is in the areas of the activities that use it, as on the area's page.
    explorer.get_by_label("Kind").select_option("technology")
    explorer.get_by_label("Area", exact=True).select_option("security")
    security = HANDBOOK.get(("areas", "security"))
    want = {f"technologies/{t.id}/" for t in XREF.technologies_of_activities(XREF.activities_of_area(security))}
    expect(explorer.get_by_role("status")).to_have_text(count_text(len(want)))
    assert visible(explorer) == want == expected(kind="technology", area="security")
    explorer.get_by_label("Radar ring").select_option("adopt")
    want = expected(kind="technology", area="security", ring="adopt")
    expect(explorer.get_by_role("status")).to_have_text(count_text(len(want)))
    assert visible(explorer) == want


def filter_text(page: Page, text: str) -> None:
    page.get_by_label("Title, alias or summary").fill(text)
    page.wait_for_function("text => new URLSearchParams(location.search).get('text') === text.trim()", arg=text)


def test_text_matches_title_alias_and_summary(explorer: Page):
    filter_text(explorer, "golang")  # an alias of Go
    assert "technologies/go/" in visible(explorer)
    filter_text(explorer, "GOLANG  ")
    assert "technologies/go/" in visible(explorer)
    filter_text(explorer, "in-memory session cache")  # words of Redis's summary, in any order
    assert "technologies/redis/" in visible(explorer)
    filter_text(explorer, "no entry says zyzzyva")
    expect(explorer.get_by_role("status")).to_have_text(count_text(0))
    assert visible(explorer) == set()


def test_back_and_forward_restore_earlier_views(explorer: Page):
    explorer.get_by_label("Kind").select_option("technology")
    expect(explorer.get_by_role("status")).to_have_text(count_text(len(expected(kind="technology"))))
    explorer.get_by_label("Radar ring").select_option("hold")
    hold = expected(kind="technology", ring="hold")
    expect(explorer.get_by_role("status")).to_have_text(count_text(len(hold)))

    explorer.go_back()
    expect(explorer.get_by_role("status")).to_have_text(count_text(len(expected(kind="technology"))))
    expect(explorer.get_by_label("Radar ring")).to_have_value("")
    assert visible(explorer) == expected(kind="technology")
    explorer.go_back()
    expect(explorer.get_by_role("status")).to_have_text(f"{TOTAL} entries")
    expect(explorer.get_by_label("Kind")).to_have_value("")
    assert urlsplit(explorer.url).query == ""
    explorer.go_forward()
    explorer.go_forward()
    expect(explorer.get_by_role("status")).to_have_text(count_text(len(hold)))
    assert visible(explorer) == hold


def test_typing_adds_one_history_entry(explorer: Page):
    box = explorer.get_by_label("Title, alias or summary")
    box.press_sequentially("kafka", delay=120)  # pauses longer than a debounce would hide
    expect(explorer).to_have_url(re.compile(r"\?text=kafka$"))
    explorer.go_back()
    expect(explorer.get_by_role("status")).to_have_text(f"{TOTAL} entries")
    expect(box).to_have_value("")


def tab_to(page: Page, expression: str, value: str, presses: int, what: str) -> None:
    """Press Tab until ``expression`` on the focused element gives ``value``, or fail."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate(expression) == value:
            return
    pytest.fail(f"{what} cannot be reached with Tab")


def test_keyboard_only(explorer: Page):
    # Tab from the top of the page to the text box, type, then move to the kind filter.
    tab_to(explorer, "document.activeElement.id", "hb-explorer-text", 60, "the text filter")
    explorer.keyboard.type("testing")
    explorer.keyboard.press("Tab")
    assert explorer.evaluate("document.activeElement.id") == "hb-explorer-kind"
    explorer.keyboard.press("ArrowDown")  # a closed select takes the next option: Activity
    want = {path for path in expected(kind="activity") if path in visible_after_text(explorer)}
    expect(explorer.get_by_role("status")).to_have_text(count_text(len(want)))
    assert query(explorer) == {"kind": ["activity"], "text": ["testing"]}
    # Enter in the text box does not submit the form or reload the page.
    explorer.get_by_label("Title, alias or summary").focus()
    explorer.keyboard.press("Enter")
    # By id: tabbing through the header opened search, whose panel has a "Kind" filter too.
    expect(explorer.locator("#hb-explorer-kind")).to_have_value("activity")
    # The clear button is reachable and works from the keyboard.
    tab_to(explorer, "document.activeElement.type", "reset", 10, "the clear button")
    explorer.keyboard.press("Enter")
    expect(explorer.get_by_role("status")).to_have_text(f"{TOTAL} entries")
    assert urlsplit(explorer.url).query == ""
    assert explorer.outside_requests == []


def visible_after_text(page: Page) -> set[str]:
    """Entries whose title, aliases or summary contain 'testing', from the export itself."""
    nodes = page.evaluate("fetch(document.getElementById('hb-explorer-data').href).then(r => r.json()).then(g => g.nodes)")
    return {
        node["url"]
        for node in nodes
        if "testing" in " ".join([node["title"], *node["aliases"], node["summary"]]).lower()
    }


def test_controls_are_labelled_and_the_count_is_announced(explorer: Page):
    for name in ["text", "kind", "area", "phase", "category", "type", "ring"]:
        control = explorer.locator(f"#hb-explorer-{name}")
        label = explorer.locator(f"label[for='hb-explorer-{name}']")
        expect(label).to_be_visible()
        assert control.evaluate("c => c.labels.length") == 1
    status = explorer.locator("#hb-explorer-count")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(explorer.get_by_role("search", name="Filter the entries")).to_be_visible()


def test_the_explorer_reads_the_public_export(offline_page: Page, site_url):
    with offline_page.expect_response(re.compile(r"/handbook/api/v1/graph\.json$")) as response:
        offline_page.goto(site_url + "explorer/?kind=phase")
    assert response.value.ok
    expect(offline_page.get_by_role("status")).to_have_text(count_text(len(HANDBOOK.of("phases"))))


def test_a_filtered_address_never_shows_the_full_list(offline_page: Page, site_url):
    held = []
    offline_page.route(re.compile(r".*/api/v1/graph\.json$"), lambda route: held.append(route))  # answered below
    offline_page.goto(site_url + "explorer/?kind=phase", wait_until="domcontentloaded")
    for _ in range(100):  # until the script asks for the export, which stays on its way
        if held:
            break
        offline_page.wait_for_timeout(50)
    assert len(held) == 1
    expect(offline_page.locator("#hb-explorer-results")).to_be_hidden()  # invisible, keeping its place
    held[0].continue_()
    expect(offline_page.locator("#hb-explorer-results")).to_be_visible()
    expect(offline_page.get_by_role("status")).to_have_text(count_text(len(HANDBOOK.of("phases"))))
    assert visible(offline_page) == expected(kind="phase")


def test_without_the_export_the_list_stays_complete(offline_page: Page, site_url):
    offline_page.route(re.compile(r".*/api/v1/graph\.json$"), lambda route: route.fulfill(status=404))
    offline_page.goto(site_url + "explorer/?kind=phase")
    expect(offline_page.get_by_role("status")).to_contain_text("could not be loaded")
    expect(offline_page.locator("#hb-explorer")).to_be_hidden()
    expect(offline_page.locator("#hb-explorer-results")).to_be_visible()
    assert visible(offline_page) == expected()


def test_without_javascript_every_entry_is_listed(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "explorer/?kind=activity")
    expect(page.locator("#hb-explorer")).to_be_hidden()  # no controls that cannot work
    expect(page.locator("#hb-explorer-count")).to_have_text(f"{TOTAL} entries")
    assert visible(page) == expected()
    item = page.locator("#hb-explorer-results li", has=page.locator("a[href='../technologies/kafka/']"))
    expect(item.get_by_role("link")).to_contain_text("Technology")  # the kind is part of the link's name
    expect(item).to_contain_text(HANDBOOK.get(("technologies", "kafka"))["summary"])
    context.close()


def test_explorer_and_data_pages_are_in_the_navigation(real_site):
    about = BeautifulSoup((real_site / "about/index.html").read_text(encoding="utf-8"), "lxml")
    links = {a.get_text(strip=True): a["href"] for a in about.select("nav.md-nav--primary a[href]")}
    assert links["Explorer"] == "../explorer/"
    assert links["Data and API"] == "../data-and-api/"
