"""Diagrams in the built site: the workflow map, the radar and Mermaid, in the HTML and in Chromium."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Page, expect

from conftest import build_fixture, build_mini_with, shared
from macros.browser import block_outside_requests, origin_of, serve
from macros.diagram_data import Diagrams
from test_build import HANDBOOK, XREF, html_pages, soup

pytestmark = pytest.mark.slow
PHASES = HANDBOOK.of("phases")
TECHNOLOGIES = HANDBOOK.of("technologies")
ROWS = Diagrams(HANDBOOK, XREF).rows
MERMAID_PAGES = ["activities/creating-diagrams/", "glossary/er-diagram/"]
MAP_PAGES = ["", "phases/"] + [f"phases/{p.id}/" for p in PHASES]


def targets(site: Path, page_dir: str, anchors) -> list[str]:
    """Where each link points, as site folders ('phases/x/'); every one must be relative and exist."""
    found = []
    for a in anchors:
        href = a["href"]
        assert not urlsplit(href).scheme and not href.startswith("/"), href
        target = (site / page_dir / href).resolve()
        assert (target / "index.html").exists(), f"{page_dir}: {href} does not resolve"
        found.append(target.relative_to(site.resolve()).as_posix() + "/")
    return found


@pytest.mark.parametrize("page_dir", MAP_PAGES)
def test_workflow_map_links_every_phase_once(real_site, page_dir):
    links = soup(real_site / page_dir / "index.html").select(".hb-diagram--map svg a")
    assert targets(real_site, page_dir, links) == [f"phases/{p.id}/" for p in PHASES]
    assert [a["aria-label"].removesuffix(" (this page)").split(" · ")[0] for a in links] == [
        f"{i} {p.title}" for i, p in enumerate(PHASES, 1)
    ]
    assert all(a.title.get_text().startswith(f"Step {i} of {len(PHASES)}.") for i, a in enumerate(links, 1))


@pytest.mark.parametrize("phase", PHASES, ids=lambda p: p.id)
def test_each_phase_page_marks_itself_on_the_map(real_site, phase):
    page_dir = f"phases/{phase.id}/"
    links = soup(real_site / page_dir / "index.html").select(".hb-diagram--map svg a")
    current = [a for a in links if a.get("aria-current") == "page"]
    assert len(current) == 1 and targets(real_site, page_dir, current) == [page_dir]
    assert "hb-map__step--current" in current[0]["class"]
    assert sum("hb-map__step--current" in a["class"] for a in links) == 1


def test_map_is_not_marked_on_the_home_and_index_pages(real_site):
    for page_dir in ("", "phases/"):
        assert not soup(real_site / page_dir / "index.html").select(".hb-diagram--map [aria-current]")


def test_radar_draws_every_technology_once_numbered_as_in_the_tables(real_site):
    page = soup(real_site / "radar/index.html")
    blips = page.select(".hb-diagram--radar svg a")
    by_number = {row["number"]: row["technology"] for row in ROWS}
    assert sorted(targets(real_site, "radar/", blips)) == sorted(f"technologies/{t.id}/" for t in TECHNOLOGIES)
    for blip in blips:
        number = int(blip.select_one("text").get_text())
        technology = by_number[number]
        assert blip["href"] == f"../technologies/{technology.id}/"
        assert blip["aria-label"].startswith(f"{number}. {technology.title}: {XREF.ring(technology).capitalize()}, ")
    # The table rows carry the same numbers and links.
    rows = {int(tr.select_one("td").get_text()): tr for tr in page.select("article table tbody tr")}
    assert sorted(rows) == sorted(by_number)
    for number, row in rows.items():
        assert row.select_one("a")["href"] == f"../technologies/{by_number[number].id}/"


def test_technologies_that_moved_in_the_last_review_are_marked(real_site):
    # Whether any technology moved depends on the latest review (test_diagrams.py covers the
    # rule itself); here the page's marks must agree with the data, blip by blip and row by row.
    moved = {row["technology"].id: row["moved_from"] for row in ROWS if row["moved_from"]}
    assert len(ROWS) == len(HANDBOOK.of("technologies"))
    page = soup(real_site / "radar/index.html")
    for blip in page.select(".hb-diagram--radar svg a"):
        tech_id = blip["href"].split("/")[-2]
        is_moved = "hb-radar__blip--moved" in blip["class"]
        assert is_moved == (tech_id in moved), tech_id
        if is_moved:
            assert f"moved from {moved[tech_id].capitalize()}" in blip["aria-label"]
    for tr in page.select("article table tbody tr"):
        tech_id = tr.select_one("a")["href"].split("/")[-2]
        assert ("Moved from" in tr.get_text()) == (tech_id in moved), tech_id


@pytest.mark.parametrize(
    "technology", TECHNOLOGIES[::9] + [t for t in TECHNOLOGIES if len(t["radar"]) > 1], ids=lambda t: t.id
)
def test_technology_page_shows_its_ring_and_dated_history(real_site, technology):
    page = soup(real_site / f"technologies/{technology.id}/index.html")
    facts = " ".join(page.select_one(".hb-facts").get_text(" ").split())
    assert f"{XREF.ring(technology).capitalize()} since {technology['radar'][-1]['date']}" in facts
    history = page.find(id="on-the-radar").find_next("table")
    rows = [[td.get_text().strip() for td in tr.select("td")] for tr in history.select("tbody tr")]
    expected = [[e["date"], e["ring"].capitalize(), e["reason"]] for e in reversed(technology["radar"])]
    assert rows == expected


def test_mermaid_is_loaded_exactly_on_the_pages_that_draw_a_diagram(real_site):
    with_diagram = []
    for path in html_pages(real_site):
        page = soup(path)
        scripts = [s["src"] for s in page.select("script[src]")]
        loads = [src for src in scripts if src.endswith("vendor/mermaid/mermaid.min.js")]
        if page.select("article pre.mermaid"):
            with_diagram.append(path.parent.relative_to(real_site).as_posix() + "/")
            assert len(loads) == 1, path
            assert scripts.index(loads[0]) < next(i for i, s in enumerate(scripts) if "/bundle." in s), path
        else:
            assert not loads, path
    assert sorted(with_diagram) == sorted(MERMAID_PAGES)


# -- in Chromium -------------------------------------------------------------


def mermaid_svgs(page: Page) -> int:
    """SVGs inside Material's Mermaid containers, whose shadow roots are closed to scripts.

    The DevTools protocol sees through closed shadow roots, so count through it.
    """
    document = page.context.new_cdp_session(page).send("DOM.getDocument", {"depth": -1, "pierce": True})["root"]

    def walk(node, inside_mermaid=False):
        attrs = dict(zip(node.get("attributes", [])[::2], node.get("attributes", [])[1::2]))
        inside_mermaid = inside_mermaid or (node.get("nodeName") == "DIV" and attrs.get("class") == "mermaid")
        count = int(inside_mermaid and node.get("nodeName", "").lower() == "svg")
        for child in node.get("children", []) + node.get("shadowRoots", []):
            count += walk(child, inside_mermaid)
        return count

    return walk(document)


def test_mermaid_draws_svg_offline(page: Page, site_url):
    outside = block_outside_requests(page, origin_of(site_url))
    page.goto(site_url + "activities/creating-diagrams/")
    expect(page.locator("article div.mermaid")).to_have_count(2, timeout=15_000)
    expect(page.locator("article pre.mermaid")).to_have_count(0)
    assert mermaid_svgs(page) >= 2
    page.wait_for_load_state("networkidle")
    assert outside == []


@pytest.mark.parametrize("path", ["", "radar/", "phases/development-and-coding/"])
def test_pages_without_a_diagram_do_not_load_mermaid(page: Page, site_url, path):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(site_url + path)
    page.wait_for_load_state("networkidle")
    assert not [url for url in requested if "mermaid" in url]
    assert page.evaluate("typeof mermaid") == "undefined"


def test_mermaid_source_stays_readable_without_scripts(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "glossary/er-diagram/")
    code = page.locator("article pre.mermaid")
    expect(code).to_be_visible()
    expect(code).to_contain_text("CUSTOMER ||--o{ ORDER : places")
    context.close()


def test_screen_readers_get_the_map_as_an_ordered_list_of_links(page: Page, site_url):
    page.goto(site_url + "phases/development-and-coding/")
    tree = page.locator(".hb-diagram--map svg").aria_snapshot()
    assert tree.startswith("- 'list \"The workflow: 7 phases in order\"'")
    assert tree.count("- listitem:") == len(PHASES)
    assert '- link "3 Development and coding (this page)"' in tree
    assert "Requirement gathering and analysis" in page.locator(".hb-diagram--map svg").text_content()


def focus_by_keyboard(page: Page, selector: str, limit: int = 120) -> None:
    """Press Tab until the focused element matches ``selector``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


@pytest.mark.parametrize(
    "path, link, shape",
    [
        ("phases/development-and-coding/", ".hb-diagram--map a", ".hb-map__node"),
        ("", ".hb-diagram--map a", ".hb-map__node"),
        ("radar/", ".hb-diagram--radar a", ".hb-radar__mark"),
    ],
)
def test_diagram_links_are_reachable_by_keyboard_with_visible_focus(page: Page, site_url, path, link, shape):
    page.goto(site_url + path)
    width = "(s) => getComputedStyle(document.activeElement.querySelector(s)).strokeWidth"
    first = page.locator(link).first
    before = first.locator(shape).evaluate("(e) => getComputedStyle(e).strokeWidth")
    focus_by_keyboard(page, link)
    assert page.evaluate(width, shape) == "4px" != before
    href = page.evaluate("document.activeElement.getAttribute('href')")
    page.keyboard.press("Enter")
    expect(page).to_have_url(urljoin(site_url + path, href))


# -- hostile data ------------------------------------------------------------

HOSTILE_TITLE = 'Redis" onmouseover="alert(1)" x=\'y\' & more'
HOSTILE_MERMAID = """\
  ```mermaid
  flowchart LR
      A["<img src=x onerror=alert(1)>"] --> B["<script>alert(2)</script>"]
      click A call alert(3)
      click B "javascript:alert(4)"
  ```
"""


@build_fixture()
def hostile_site(tmp_path_factory):
    return shared(tmp_path_factory, "hostile-diagrams", build_hostile) / "site"


def build_hostile(folder):
    title = f"title: {HOSTILE_TITLE!r}".replace("\\'", "''")  # a YAML single-quoted string
    build_mini_with(
        folder,
        [
            ("technologies/redis.yml", "title: Redis", title),
            ("phases/design.yml", "title: Design", title),
            (
                "activities/caching.yml",
                "why_it_matters: Databases are slow.",
                "why_it_matters: |\n  Slow.\n\n" + HOSTILE_MERMAID,
            ),
        ],
    )


@pytest.mark.parametrize("page_dir", ["radar/", "phases/", "phases/design/", "phases/build/"])
def test_hostile_titles_stay_inert_in_svg(hostile_site, page_dir):
    page = BeautifulSoup((hostile_site / page_dir / "index.html").read_text(encoding="utf-8"), "lxml")
    svg = page.select_one(".hb-diagram svg")
    assert not [el for el in svg.find_all(True) if any(attr.startswith("on") for attr in el.attrs)]
    assert any(HOSTILE_TITLE in a["aria-label"] for a in svg.select("a"))


def test_hostile_mermaid_runs_no_script(browser, hostile_site):
    with serve(hostile_site, sub_path=True) as base:
        page = browser.new_page()
        dialogs = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        outside = block_outside_requests(page, origin_of(base))
        try:
            page.goto(f"{base}activities/caching/")
            expect(page.locator("article div.mermaid")).to_have_count(1, timeout=15_000)
            assert mermaid_svgs(page) == 1
            page.locator("article div.mermaid").click()
            page.wait_for_timeout(300)
            assert dialogs == [] and outside == []
        finally:
            page.close()
