"""Engine independence, proven: ProperDocs builds the same site, Zensical builds the export.

MkDocs 1.x is unmaintained and Material reaches end of life in 2027 (README, "Engine").
These tests keep the way out open: if a change ties the handbook to MkDocs, they fail.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import BUILD_ENV, ROOT, build_fixture, shared
from macros import mkdocs_config
from macros.markdown_export import zensical_project
from macros.health import edit_urls
from macros.loader import load_handbook

HANDBOOK = load_handbook(ROOT / "data", ROOT)
CONFIG = mkdocs_config.read(ROOT)
EDIT_URL = edit_urls(CONFIG["repo_url"], CONFIG["edit_uri"])

GENERATOR = re.compile(r'<meta name="generator" content="[^"]*">')

pytestmark = pytest.mark.slow


def pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def outline(site: Path, page: str) -> dict:
    """What a reader gets from a page: title, headings, where its links lead, its edit link."""
    html = BeautifulSoup((site / page).read_text(encoding="utf-8"), "lxml")
    article = html.select_one("article") or html
    here = "/" + page.removesuffix("index.html")
    links = set()
    for a in article.select("a[href]"):
        url = urljoin(here, a["href"])  # "../redis/" and "../../technologies/redis/" lead to the same page
        links.add(url if urlsplit(url).scheme else url.removeprefix("/"))
    edit = html.select_one('a[rel="edit"]')
    return {
        "title": html.title.get_text() if html.title else None,
        "headings": [" ".join(h.get_text().replace("¶", "").split()) for h in article.select("h1, h2, h3")],
        "links": links,
        "edit": edit["href"] if edit else None,
    }


def test_properdocs_builds_the_same_site(real_site, tmp_path):
    site = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "properdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)],
        capture_output=True,
        text=True,
        env=BUILD_ENV,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    assert "ProperDocs" in (site / "index.html").read_text(encoding="utf-8")  # it really was the other engine
    assert pages(site) == pages(real_site)
    assert {p.relative_to(site) for p in site.rglob("*")} == {p.relative_to(real_site) for p in real_site.rglob("*")}
    for page in pages(real_site):
        ours, theirs = (GENERATOR.sub("", (folder / page).read_text(encoding="utf-8")) for folder in (real_site, site))
        if ours != theirs:  # as of ProperDocs 1.6.7 only the generator differs; else the reader must see no change
            assert outline(site, page) == outline(real_site, page), page


def build_zensical(folder: Path) -> None:
    config = zensical_project(folder, ROOT / "data")
    result = subprocess.run(
        [sys.executable, "-m", "zensical", "build", "--strict", "-f", config.name],
        capture_output=True,
        text=True,
        env=BUILD_ENV,
        cwd=config.parent,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@build_fixture()
def zensical_site(tmp_path_factory) -> Path:
    """The export built by Zensical with zensical.yml, as `make build ENGINE=zensical` does, in a temp project."""
    folder = shared(tmp_path_factory, "zensical", build_zensical)
    return folder / yaml.safe_load((folder / "zensical.yml").read_text(encoding="utf-8"))["site_dir"]


def test_zensical_builds_every_entity_page_with_its_title_and_edit_link(zensical_site):
    for entity in HANDBOOK.all():
        page = outline(zensical_site, f"{entity.kind.folder}/{entity.id}/index.html")
        assert page["title"] == f"{entity.title} - {CONFIG['site_name']}", entity.source
        assert page["headings"][0].startswith(entity.title), entity.source  # a term: "Title (ABBR)"
        assert page["edit"] == EDIT_URL(entity), entity.source


def html_of(markdown_page: str) -> str:
    """Where a directory-URL site puts a page: about.md -> about/index.html, phases/index.md -> phases/index.html."""
    stem = markdown_page.removesuffix(".md")
    folder = stem.removesuffix("index") if stem == "index" or stem.endswith("/index") else stem + "/"
    return folder + "index.html"


def test_zensical_builds_a_page_for_every_exported_page(zensical_site):
    exported = zensical_site.parent / yaml.safe_load((ROOT / "zensical.yml").read_text(encoding="utf-8"))["docs_dir"]
    expected = sorted(html_of(p.relative_to(exported).as_posix()) for p in exported.rglob("*.md"))
    assert sorted(set(pages(zensical_site)) - {"404.html"}) == expected


def test_zensical_pages_expand_abbreviations_and_keep_the_overrides(zensical_site):
    term = next(t for t in HANDBOOK.of("glossary") if t["abbreviation"] == "CI")
    html = (zensical_site / "phases" / "index.html").read_text(encoding="utf-8")
    assert f'<abbr title="{term.title}">CI</abbr>' in html
    assert 'data-md-component="source"' not in html  # no call to a public API for repository facts
    # Index pages are made from many files: no edit link, as on the MkDocs site.
    assert outline(zensical_site, "phases/index.html")["edit"] is None


def test_zensical_pages_load_the_shipped_mermaid_only_where_they_draw_a_diagram(zensical_site):
    script = '<script src="../../javascripts/vendor/mermaid/mermaid.min.js">'
    diagram = (zensical_site / "activities" / "creating-diagrams" / "index.html").read_text(encoding="utf-8")
    assert '<pre class="mermaid">' in diagram and script in diagram  # else the theme fetches it from a CDN
    assert "mermaid.min.js" not in (zensical_site / "index.html").read_text(encoding="utf-8")
