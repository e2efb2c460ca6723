"""The handbook for assistants: llms.txt, llms-full.txt and each page's Markdown beside its HTML."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import FIXTURES, ROOT
from macros import llms_txt, mkdocs_config, site_files
from macros.loader import load_handbook
from macros.model import KINDS
from macros.readable_markdown import Links, clean, markdown_path

HANDBOOK = load_handbook(ROOT / "data", ROOT)
SITE_URL = mkdocs_config.read(ROOT)["site_url"]
ITEM = re.compile(r"^- \[(?P<title>(?:[^\]\\]|\\.)+)\]\((?P<url>[^)\s]+)\)(?:: (?P<summary>\S.*))?$")


def parse_llms_txt(text: str) -> dict:
    """llms.txt as llmstxt.org defines it: H1, a blockquote summary, then H2 sections of link items."""
    lines = text.split("\n")
    assert lines[0].startswith("# ") and lines[0][2:].strip(), "first line: the H1 name"
    assert lines[1] == "" and lines[2].startswith("> "), "then a blockquote summary"
    sections: dict[str, list[re.Match]] = {}
    current = None
    for number, line in enumerate(lines[3:], 4):
        if line.startswith("## "):
            current = sections.setdefault(line[3:], [])
        elif line.startswith("#"):
            pytest.fail(f"line {number}: only H2 sections may follow the summary: {line!r}")
        elif line and current is not None:
            item = ITEM.match(line)
            assert item, f"line {number}: not a '- [Title](url): summary' item: {line!r}"
            current.append(item)
        elif line and current is None:
            assert not line.startswith("- "), f"line {number}: a list before the first section"
    assert sections, "no H2 sections"
    return sections


def generated(data: Path, config: dict) -> dict[str, str]:
    """The static files a build adds, for ``data`` and ``config`` (pages read first, as a build does)."""
    result = site_files.generate(load_handbook(data, data.parent), config)
    for _ in result.pages:
        pass
    return {path: "".join(pieces) for path, pieces in result.static}


# -- cleaning ---------------------------------------------------------------------------
def test_cleaning_drops_front_matter_attribute_lists_and_html_but_never_code():
    page = (
        '---\ntitle: "Redis"\n---\n\n# Redis\n\nA lead.\n{: .hb-lead }\n\n'
        '<div class="hb-facts" markdown>\n\nCategory\n:   [Databases](../categories/databases.md)\n\n</div>\n\n'
        "## Terms { data-search-exclude }\n\n- [Cache](../glossary/cache.md) <small>(glossary term)</small>\n\n"
        '<svg viewBox="0 0 1 1"><a href="x"><text>drawn</text></a></svg>\n'
        '<ol class="hb-diagram__text"><li>First step</li><li>Second step</li></ol>\n\n'
        '<div class="hb-progress-ui"><p><strong>Your progress</strong></p><button>Reset</button></div>\n\n'
        '[Start](x.md){ .md-button }\n\n=== "Python"\n\n    ```python\n    x = {"a": 1}\n    ```\n\n'
        '```html\n<div class="kept">{: .kept }</div>\n```\n\nInline `<small>{: .kept }</small>` code.\n'
    )
    text = clean(page)
    assert text.startswith("# Redis\n\nA lead.\n\nCategory\n:   [Databases](../categories/databases.md)\n")
    assert "## Terms\n" in text and "- [Cache](../glossary/cache.md) (glossary term)" in text
    assert "- First step\n- Second step" in text
    for gone in ("title:", "hb-lead", "<div", "</div>", "data-search-exclude", "<small>", "drawn", "Your progress", "Reset", "md-button"):
        assert gone not in text.split("```html")[0], gone
    assert '**Python**\n\n```python\nx = {"a": 1}\n```' in text  # a tab's content unindented: not a code block
    assert '```html\n<div class="kept">{: .kept }</div>\n```' in text
    assert "Inline `<small>{: .kept }</small>` code." in text
    assert "\n\n\n" not in text


@pytest.mark.parametrize(
    "src_uri, copy",
    [
        ("technologies/redis.md", "technologies/redis/index.md"),
        ("technologies/index.md", "technologies/index.md"),
        ("index.md", "index.md"),
        ("about/health.md", "about/health/index.md"),
    ],
)
def test_a_pages_markdown_copy_sits_beside_its_html(src_uri, copy):
    assert markdown_path(src_uri) == copy


def test_links_are_absolute_with_a_site_url_and_relative_to_the_file_without():
    text = "[Cache](../glossary/cache.md#top), [data](../api/v1/graph.json), [out](https://x.org/a.md), [here](#a), `[c](d.md)`\n"

    def written(site_url, written_to):
        links = Links(site_url)
        return links.place(clean(text, links, "technologies/redis.md"), written_to)

    assert written("https://example.org/hb/", "technologies/redis/index.md") == (
        "[Cache](https://example.org/hb/glossary/cache/index.md#top), [data](https://example.org/hb/api/v1/graph.json), "
        "[out](https://x.org/a.md), [here](#a), `[c](d.md)`\n"
    )
    relative = written(None, "technologies/redis/index.md")
    assert relative.startswith("[Cache](../../glossary/cache/index.md#top), [data](../../api/v1/graph.json), [out](https://x.org/a.md)")
    assert written(None, "llms-full.txt").startswith("[Cache](glossary/cache/index.md#top)")
    assert clean('[t](a.md "title")\n', Links(None), "x/y.md") != '[t](a.md "title")\n'  # a titled link too


# -- generated files, without a build ------------------------------------------------------
def test_without_a_site_url_llms_txt_links_are_relative_and_every_entry_is_listed_once():
    files = generated(FIXTURES / "mini" / "data", {"site_name": "The Backend Handbook"})
    sections = parse_llms_txt(files["llms.txt"])
    urls = [item["url"] for items in sections.values() for item in items]
    handbook = load_handbook(FIXTURES / "mini" / "data", FIXTURES / "mini")
    for entity in handbook.all():
        assert urls.count(markdown_path(entity.page)) == 1, entity.page
        assert llms_txt.copy_source(markdown_path(entity.page)) in files
    assert all("://" not in url for url in urls)
    assert "](../../glossary/cache/index.md)" in files["_page-markdown/technologies/redis/index.md.txt"]


def test_pages_kept_compressed_past_the_first_ones_give_the_same_copies(monkeypatch):
    config = {"site_name": "The Backend Handbook", "site_url": SITE_URL}
    plain = generated(FIXTURES / "mini" / "data", config)
    monkeypatch.setattr(llms_txt, "PLAIN_PAGES", 2)  # as in a handbook of thousands of pages
    handbook = load_handbook(FIXTURES / "mini" / "data", FIXTURES / "mini")
    collector = llms_txt.Collector(handbook, config)
    for _ in collector.watch(site_files.new_renderer(handbook, config).iter_pages()):
        pass
    kept = [body for _, _, body in collector.pages.values()]
    assert [type(body) for body in kept[:3]] == [str, str, bytes] and len(kept) > 5
    copies = {path: "".join(pieces) for path, pieces in collector.files() if llms_txt.copy_destination(path)}
    assert len(copies) == len(kept)
    for path, text in copies.items():
        assert text == plain[path], path


def test_static_files_before_the_pages_are_refused():
    result = site_files.generate(load_handbook(FIXTURES / "mini" / "data", FIXTURES / "mini"), {})
    with pytest.raises(RuntimeError, match="every page first"):
        for _, pieces in result.static:
            "".join(pieces)


# -- the real build ------------------------------------------------------------------------
@pytest.mark.slow
def test_llms_txt_follows_the_format_and_lists_every_entity_once_with_its_markdown(real_site):
    text = (real_site / "llms.txt").read_text(encoding="utf-8")
    sections = parse_llms_txt(text)
    assert text.startswith("# The Backend Handbook\n\n> ")
    assert list(sections)[: len(KINDS)] == [kind.plural for kind in KINDS.values()]
    urls = [item["url"] for items in sections.values() for item in items]
    assert len(urls) == len(set(urls)), "a page listed twice"
    for entity in HANDBOOK.all():
        url = SITE_URL + markdown_path(entity.page)
        assert urls.count(url) == 1, f"{entity.key}: listed {urls.count(url)} times"
        item = next(i for i in sections[entity.kind.plural] if i["url"] == url)
        assert item["title"] and item["summary"], entity.key
    for url in urls:
        assert url.startswith(SITE_URL), url
        copy = real_site / urlsplit(url).path.removeprefix(urlsplit(SITE_URL).path)
        assert copy.is_file(), f"{url}: no {copy}"
        assert copy.with_name("index.html").is_file(), f"{url}: no HTML page beside it"
    assert not (real_site / "_page-markdown").exists()


@pytest.mark.slow
def test_llms_full_txt_has_every_entity_under_its_title(real_site):
    text = (real_site / "llms-full.txt").read_text(encoding="utf-8")
    # As Markdown shows them: "C\#" is "C#"; a term's heading adds its abbreviation, "(ACID)".
    headings = {re.sub(r"\\(.)", r"\1", h) for h in re.findall(r"^# (.+)$", text, re.M)}
    headings |= {h.rpartition(" (")[0] for h in headings if h.endswith(")")}
    missing = [entity.key for entity in HANDBOOK.all() if entity.title not in headings]
    assert not missing, f"no '# Title' heading for {missing}"
    assert not re.search(r"^---\ntitle:|\{: \.hb-|<div|<svg", text, re.M)
    assert f"Web page: <{SITE_URL}technologies/redis/>" in text


@pytest.mark.slow
def test_a_pages_markdown_copy_is_a_file_not_a_page(real_site):
    copy = (real_site / "technologies" / "redis" / "index.md").read_text(encoding="utf-8")
    assert copy.startswith("# Redis\n\nWeb page: ")
    assert f"]({SITE_URL}glossary/cache/index.md)" in copy
    assert "index.md" not in (real_site / "sitemap.xml").read_text(encoding="utf-8")
