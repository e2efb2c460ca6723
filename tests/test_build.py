"""A real strict build of the handbook, checked over its HTML."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from pagefind_bin import get_executable

from conftest import ROOT
from parsed_pages import hrefs, ids, page_of, soup
from macros import pagefind_index
from macros.loader import load_handbook
from macros.model import KINDS
from macros.xref import CrossReference

HANDBOOK = load_handbook(ROOT / "data", ROOT)
XREF = CrossReference(HANDBOOK)
ENTITIES = list(HANDBOOK.all())
SITE_URL = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]
MACRO_ERRORS = ("Macro Syntax Error", "Macro Rendering Error", "jinja2.exceptions", "UndefinedError", "Traceback")


def links_to(page: BeautifulSoup, target) -> bool:
    return f"{target.kind.folder}/{target.id}/" in hrefs(page)


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


@pytest.mark.slow
def test_every_entity_has_exactly_one_page_with_its_title(real_site):
    for entity in ENTITIES:
        page = page_of(real_site, entity.kind.folder, entity.id)
        headings = page.select("article h1")
        assert len(headings) == 1, entity.source
        assert headings[0].get_text().strip().startswith(entity.title), entity.source
        assert page.title.get_text().startswith(entity.title), entity.source
    pages = {p.parent.relative_to(real_site).as_posix() for p in html_pages(real_site)}
    for folder in KINDS:
        generated = {p.split("/", 1)[1] for p in pages if p.startswith(folder + "/")}
        assert generated == set(HANDBOOK.entities[folder]), folder


@pytest.mark.slow
def test_edit_link_opens_the_yaml_file(real_site):
    for entity in ENTITIES:
        edit = page_of(real_site, entity.kind.folder, entity.id).select_one('a[rel="edit"]')
        assert edit is not None and edit["href"].endswith("/edit/main/" + entity.source), entity.source


@pytest.mark.slow
def test_reverse_links_are_rendered(real_site):
    for activity in HANDBOOK.of("activities"):
        page = page_of(real_site, "activities", activity.id)
        for tech in XREF.refs(activity, "technologies"):
            assert links_to(page, tech)
            assert links_to(page_of(real_site, "technologies", tech.id), activity), (tech.id, activity.id)
        for phase in XREF.phases_of(activity):
            assert links_to(page, phase), (activity.id, phase.id)
        area = XREF.refs(activity, "area")[0]
        assert links_to(page_of(real_site, "areas", area.id), activity)
        for related in XREF.related_activities(activity):
            assert links_to(page, related) and links_to(
                page_of(real_site, "activities", related.id), activity
            )
    for tech in HANDBOOK.of("technologies"):
        page = page_of(real_site, "technologies", tech.id)
        for other in XREF.alternatives(tech):
            assert links_to(page, other)
        for phase in XREF.phases_of_activities(XREF.activities_using(tech)):
            assert links_to(page, phase), (tech.id, phase.id)
        category = XREF.refs(tech, "category")[0]
        assert links_to(page_of(real_site, "categories", category.id), tech)
    for area in HANDBOOK.of("areas"):
        page = page_of(real_site, "areas", area.id)
        for tech in XREF.technologies_of_activities(XREF.activities_of_area(area)):
            assert links_to(page, tech), (area.id, tech.id)


@pytest.mark.slow
def test_what_links_here_lists_every_referrer(real_site):
    for entity in ENTITIES:
        page = page_of(real_site, entity.kind.folder, entity.id)
        for source in XREF.linked_from(entity):
            assert links_to(page, source), (entity.source, source.source)


@pytest.mark.slow
def test_every_relative_link_and_asset_resolves(real_site):
    for path in html_pages(real_site):
        page = soup(path)
        for element in page.find_all(["a", "link", "script", "img", "source"]):
            url = element.get("href") or element.get("src")
            if not url or url.startswith(("#", "mailto:", "data:")):
                continue
            parts = urlsplit(url)
            if parts.scheme or parts.netloc:
                continue
            if parts.path.startswith("/"):
                # Only 404.html uses absolute links (from site_url): a server shows it at any depth.
                assert path.name == "404.html", f"{path}: absolute link {url}"
                target = real_site / unquote(parts.path).removeprefix(urlsplit(SITE_URL).path)
            else:
                target = (path.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            assert target.exists(), f"{path.relative_to(real_site)} links to missing {url}"
            if parts.fragment and target.suffix == ".html" and element.name == "a":
                assert parts.fragment in ids(target), f"{path.relative_to(real_site)} links to missing anchor {url}"


@pytest.mark.slow
def test_no_template_syntax_or_macro_errors_outside_code(real_site):
    for path in html_pages(real_site):
        article = soup(path).select_one("article")
        if article is None:
            continue
        # The article's text without code: the parsed page is shared, so leave it whole.
        code = {id(string) for block in article.find_all(["code", "pre"]) for string in block.strings}
        text = "".join(string for string in article.strings if id(string) not in code)
        assert "{{" not in text and "{%" not in text, path
        for error in MACRO_ERRORS:
            assert error not in text, (path, error)


@pytest.mark.slow
def test_nothing_is_loaded_from_another_origin(real_site):
    for path in html_pages(real_site):
        page = soup(path)
        for element in page.find_all(["link", "script", "img", "iframe", "source"]):
            url = element.get("src") or (element.get("href") if element.name == "link" else None)
            if url and element.get("rel") not in (["canonical"], ["alternate"]):
                assert not urlsplit(url).netloc, f"{path}: {element}"
        assert "fonts.googleapis" not in path.read_text(encoding="utf-8")


def _indexed_article(real_site, entity):
    """The part of an entity's page that Pagefind indexes (overrides/main.html)."""
    return page_of(real_site, entity.kind.folder, entity.id).select_one("article[data-pagefind-body]")


@pytest.mark.slow
def test_every_entity_is_in_the_search_index(real_site):
    for entity in ENTITIES:
        article = _indexed_article(real_site, entity)
        assert article is not None, entity.source
        assert f"kind:{entity.kind.singular}" in article["data-pagefind-filter"], entity.source
        assert article["data-pagefind-meta"] == f"kind:{entity.kind.label}", entity.source
    assert len(list((real_site / "pagefind" / "fragment").iterdir())) >= len(ENTITIES)


@pytest.mark.slow
def test_aliases_are_searchable(real_site):
    for entity in ENTITIES:
        # Spaces aside: <abbr> elements split "HTTP/2" into "HTTP" and "/2" in the text.
        text = "".join(_indexed_article(real_site, entity).get_text().split())
        for alias in entity["aliases"] or []:
            assert "".join(re.sub(r"[`*_]", "", alias).split()) in text, (entity.source, alias)


@pytest.mark.slow
def test_every_entity_is_reachable_from_an_index_page(real_site):
    reachable = set()
    for folder in KINDS:
        reachable |= hrefs(soup(real_site / folder / "index.html"))
    for entity in ENTITIES:
        assert f"{entity.kind.folder}/{entity.id}/" in reachable, entity.source


@pytest.mark.slow
def test_navigation_stays_small(real_site):
    # Entity pages are not listed in the sidebar: it would repeat every page in every page.
    for entity in ENTITIES[:: max(1, len(ENTITIES) // 20)]:
        nav = page_of(real_site, entity.kind.folder, entity.id).select("nav.md-nav--primary a")
        assert len(nav) < 40, entity.source


@pytest.mark.slow
@pytest.mark.parametrize("marker", ["{{", "{%"])
def test_hand_written_pages_keep_code_samples(real_site, marker):
    # CONTRIBUTING.md shows template syntax inside code; it must survive unrendered.
    text = (real_site / "contributing/index.html").read_text(encoding="utf-8")
    assert marker in BeautifulSoup(text, "lxml").select_one("article").get_text()


def _search_index(bundle: Path) -> dict:
    """What a Pagefind bundle holds, by page URL and field name: page numbers, chunking
    and file names aside, two bundles that search alike give the same value."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    meta = pagefind_index._read(bundle / f"pagefind.{entry['languages']['en']['hash']}.pf_meta")
    urls, pages = [], {}
    for page_hash, word_count in meta[1]:
        data = gzip.decompress((bundle / "fragment" / f"{page_hash}.pf_fragment").read_bytes())
        fragment = json.loads(data[len(pagefind_index.SIGNATURE) :])
        urls.append(fragment["url"])
        pages[fragment["url"]] = (word_count, fragment)

    def by_url(word_pages):
        out, number = {}, 0
        for delta, locations, meta_locations in word_pages:
            number += delta
            fields = [meta[5][-v - 1] if v < 0 else v for v in meta_locations]
            out[urls[number]] = (locations, fields)
        return out

    words = {}
    for _start, _end, chunk in meta[2]:
        for word, word_pages, variants in pagefind_index._read(bundle / "index" / f"{chunk}.pf_index")[0]:
            words[word] = (by_url(word_pages), {form: by_url(p) for form, p in variants})
    filters = {
        name: {value: sorted(urls[n] for n in numbers) for value, numbers in pagefind_index._read(bundle / "filter" / f"{h}.pf_filter")[1]}
        for name, h in meta[3]
    }
    return {"pages": pages, "words": words, "filters": filters, "count": entry["languages"]["en"]["page_count"]}


@pytest.mark.slow
def test_the_search_index_built_in_shards_is_a_single_runs(real_site, tmp_path):
    # The build indexes a large handbook a bounded shard at a time and merges the shards;
    # cut the 1x site into a dozen shards and compare with one Pagefind run over it all.
    site = tmp_path / "site"
    shutil.copytree(real_site, site, ignore=shutil.ignore_patterns(pagefind_index.OUTPUT))
    single = tmp_path / "single"
    command = [str(get_executable()), "--site", str(site), "--output-path", str(single), "--quiet",
               "--force-language", "en", "--exclude-selectors", pagefind_index.EXCLUDED]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True)
    assert len(pagefind_index.shards(site, 400_000)) >= 10
    pagefind_index.build_index(site, 400_000)
    sharded, expected = _search_index(site / pagefind_index.OUTPUT), _search_index(single)
    assert sharded["count"] == expected["count"] > len(ENTITIES)
    for part in ("pages", "filters", "words"):
        assert sharded[part] == expected[part], part
    assert not list(site.glob(".pagefind-*")), "the shards' folder is left behind"
