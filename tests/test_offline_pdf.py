"""`make pdf`: the strict build with the single-page handbook, and its PDF, as built for real.

The build and the print run once per session (about a minute on 2 cores), exactly as
`make pdf` runs them: `HANDBOOK_OFFLINE=1 mkdocs build --strict`, then
`python -m macros.offline_pdf SITE`.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from bs4 import BeautifulSoup
from playwright.sync_api import Page
from pypdf import PdfReader

from conftest import BUILD_ENV, ROOT, build_fixture, shared
from parsed_pages import page_of
from macros.browser import CHROMIUM, block_outside_requests, origin_of, serve
from macros import offline_copy
from macros.loader import load_handbook
from macros.mkdocs_config import read as read_config

pytestmark = pytest.mark.slow

HANDBOOK = load_handbook(ROOT / "data", ROOT)
PUBLISHED = read_config(ROOT)["site_url"]
PRINT_ENV = {**BUILD_ENV, "CHROMIUM_PATH": CHROMIUM}


def print_site(site: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "macros.offline_pdf", str(site)], capture_output=True, text=True, env=PRINT_ENV, cwd=ROOT)


def build_offline_site(folder: Path) -> None:
    site = folder / "site"
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)],
        capture_output=True,
        text=True,
        env={**BUILD_ENV, offline_copy.ENVIRONMENT_VARIABLE: "1"},
        cwd=ROOT,
    )
    assert build.returncode == 0, build.stderr
    printed = print_site(site)
    # The printer blocks, and fails on, any request that leaves 127.0.0.1.
    assert printed.returncode == 0, printed.stderr
    assert re.match(r".*handbook\.pdf: \d+ pages, [\d.]+ MB, printed in [\d.]+ s$", printed.stdout.strip())


@build_fixture()
def offline_site(tmp_path_factory) -> Path:
    """The handbook built as `make pdf` builds it, with site/handbook.pdf printed: once per run."""
    return shared(tmp_path_factory, "offline", build_offline_site) / "site"


@pytest.fixture(scope="session")
def single(offline_site) -> BeautifulSoup:
    return BeautifulSoup((offline_site / "print" / "index.html").read_text(encoding="utf-8"), "lxml")


@pytest.fixture(scope="session")
def pdf(offline_site) -> PdfReader:
    return PdfReader(offline_site / offline_copy.PDF)


def flat(outline) -> list:
    return [item for entry in outline for item in (flat(entry) if isinstance(entry, list) else [entry])]


def names(entity, title: str) -> bool:
    """Whether a heading's text is the entity's title (terms add their abbreviation)."""
    return title == entity.title or title.startswith(f"{entity.title} (")


# -- the single page -----------------------------------------------------------------
def test_the_single_page_has_every_entity_under_its_anchor(single):
    # One pass over the page's ids: a find() per entity walks the whole handbook each time.
    by_id = {element["id"]: element for element in reversed(single.select_one("article").find_all(id=True))}
    for entity in HANDBOOK.all():
        heading = by_id.get(offline_copy.anchor(entity))
        assert heading is not None and heading.name in ("h3", "h4"), entity.key
        assert names(entity, heading.get_text().removesuffix("¶").strip())


def test_every_internal_link_resolves_inside_the_single_page(single):
    ids = [element["id"] for element in single.select("[id]")]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})[:10]
    fragments = [a["href"][1:] for a in single.select("article a[href^='#']")]
    assert len(fragments) > 5000
    assert not set(fragments) - set(ids)
    entity_urls = re.compile(rf"^(?:\.\./)+(?:{'|'.join(f.kind.folder for f in HANDBOOK.all())})/[a-z0-9-]+/")
    assert [a["href"] for a in single.select("article a[href]") if entity_urls.match(a["href"])] == []


def test_the_other_links_of_the_single_page_resolve_in_the_site(offline_site, single):
    for tag, attribute in (("a", "href"), ("link", "href"), ("script", "src")):
        for element in single.select(f"{tag}[{attribute}]"):
            target = element[attribute].split("#")[0]
            if not target or re.match(r"^[a-z]+:", target):
                continue
            path = (offline_site / "print" / target).resolve()
            assert path.exists() or (path / "index.html").exists(), target


def test_headings_keep_the_ids_of_their_own_pages(real_site, single):
    """A link to ``kafka.md#when-to-choose-it`` becomes ``#technology-kafka--when-to-choose-it``."""
    ids = {element["id"] for element in single.select("[id]")}
    for entity in HANDBOOK.all():
        own = page_of(real_site, entity.kind.folder, entity.id)
        for heading in own.select("article :is(h2, h3, h4)[id]"):
            assert f"{offline_copy.anchor(entity)}--{heading['id']}" in ids, (entity.key, heading["id"])


def test_the_single_page_is_not_searched_and_has_its_own_title(offline_site, single):
    assert single.title.get_text().startswith(offline_copy.TITLE)
    assert "data-pagefind-body" not in (offline_site / "print" / "index.html").read_text(encoding="utf-8")


def test_home_page_links_to_the_copy_only_when_built(offline_site, real_site):
    offline_home = BeautifulSoup((offline_site / "index.html").read_text(encoding="utf-8"), "lxml")
    hrefs = {a["href"] for a in offline_home.select("article a[href]")}
    assert {"print/", offline_copy.PDF} <= hrefs
    plain_home = (real_site / "index.html").read_text(encoding="utf-8")
    assert 'href="print/"' not in plain_home and offline_copy.PDF not in plain_home.replace("site/handbook.pdf", "")
    assert "make pdf" in plain_home
    assert not (real_site / "print").exists()


# The contents and a few entries: axe-core over the whole page takes minutes. One entry of
# each kind, and one with highlighted code (YAML keys, shell variables).
AXE_ENTRIES = [offline_copy.anchor(HANDBOOK.of(folder)[0]) for folder in ("phases", "areas", "technologies", "glossary")]
AXE_ENTRIES.append("activity-api-versioning")
KEEP_ONLY = """(keep) => {
  let inside = true;  // the introduction and the contents
  for (const node of [...document.querySelector("article").children]) {
    if (node.matches(".hb-offline-kind, .hb-offline-group")) { inside = false; continue; }
    if (node.matches(".hb-offline-entry")) inside = keep.includes(node.id);
    if (!inside) node.remove();
  }
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_single_page_has_no_serious_accessibility_violations(page: Page, offline_site, scheme):
    with serve(offline_site, sub_path=True) as base:
        outside = block_outside_requests(page, origin_of(base))
        page.emulate_media(color_scheme=scheme)
        page.goto(f"{base}print/", timeout=120_000)  # the whole handbook: as long as the printer allows
        page.wait_for_load_state("networkidle")
        page.evaluate(KEEP_ONLY, AXE_ENTRIES)
        assert page.locator("article .hb-offline-entry").count() == len(AXE_ENTRIES)
        results = Axe().run(page)
        serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        assert not serious, [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in serious]
        assert outside == []


# -- the PDF -------------------------------------------------------------------------
def test_the_pdf_has_bookmarks_for_every_kind_and_entity(pdf):
    titles = [item.title for item in flat(pdf.outline)]
    assert titles[0] == offline_copy.TITLE
    for kind in ("The workflow", "Areas of work", "Activities", "Core responsibilities", "Technology categories", "Technologies", "Glossary"):
        assert kind in titles
    missing = [e.title for e in HANDBOOK.all() if not any(names(e, title) for title in titles)]
    assert not missing, missing[:10]
    assert len(pdf.pages) > 100


def test_the_pdf_text_is_searchable_as_written(pdf):
    first = " ".join(pdf.pages[0].extract_text().split())
    assert "7 workflow phases" in first  # plain letters, no "ﬂ" ligature a search would miss


@pytest.mark.parametrize("folder, entity_id, text", [
    ("technologies", "kafka", "partitioned and replicated commit log"),
    ("activities", "caching", "Caching"),
    ("glossary", "rest", "REST"),
    ("phases", "testing-and-quality-assurance", "Testing and quality assurance"),
])
def test_entries_are_selectable_text_where_their_bookmark_points(pdf, folder, entity_id, text):
    entity = next(e for e in HANDBOOK.of(folder) if e.id == entity_id)
    bookmark = next(item for item in flat(pdf.outline) if names(entity, item.title))
    number = pdf.get_destination_page_number(bookmark)
    page_text = " ".join(" ".join(pdf.pages[n].extract_text() for n in (number, number + 1)).split())
    assert entity.title in page_text and text in page_text
    assert not set("\ufb00\ufb01\ufb02\ufb03\ufb04") & set(page_text), "ligatures: a search for 'workflow' would miss 'work\ufb02ow'"


def test_pdf_links_jump_within_the_file_or_to_the_published_site(pdf):
    internal, outside = 0, []
    for page in pdf.pages[:40]:  # the contents and the first entries
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object()
            if "/Dest" in action or action.get("/A", {}).get("/S") == "/GoTo":
                internal += 1
            elif uri := action.get("/A", {}).get("/URI"):
                outside.append(str(uri))
    assert internal > 180  # the contents alone link every entry
    assert outside and not [u for u in outside if "127.0.0.1" in u or not u.startswith(("https://", "http://", "mailto:"))]
    assert any(u.startswith(PUBLISHED) for u in outside)


def test_printing_fails_on_a_request_that_leaves_the_machine(tmp_path):
    site = tmp_path / "site"
    (site / "print").mkdir(parents=True)
    (site / "print" / "index.html").write_text(
        '<!doctype html><title>t</title><h1>T</h1><img alt="" src="https://example.org/tracker.png">', encoding="utf-8"
    )
    printed = print_site(site)
    assert printed.returncode == 1
    assert "https://example.org/tracker.png" in printed.stderr
    assert not (site / offline_copy.PDF).exists()


def test_printing_without_the_single_page_says_how_to_make_it(tmp_path):
    printed = print_site(tmp_path)
    assert printed.returncode == 1 and "HANDBOOK_OFFLINE=1" in printed.stderr and "Traceback" not in printed.stderr


def test_missing_chromium_fails_with_a_message(tmp_path):
    (tmp_path / "print").mkdir()
    (tmp_path / "print" / "index.html").write_text("<!doctype html><title>t</title>", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "macros.offline_pdf", str(tmp_path)],
        capture_output=True,
        text=True,
        env={**os.environ, "CHROMIUM_PATH": str(tmp_path / "no-chromium")},
        cwd=ROOT,
    )
    assert result.returncode == 1 and "Chromium not found" in result.stderr and "Traceback" not in result.stderr
