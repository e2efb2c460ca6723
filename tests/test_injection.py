"""Hostile data builds into a site where it is shown as text: no script, no handler, no template."""

from __future__ import annotations

import json
import shutil
import textwrap

import pytest
from bs4 import BeautifulSoup

from conftest import FIXTURES, build_fixture, build_mini_with, shared
from macros.browser import serve
from macros.loader import DataError, load_handbook

HOSTILE = """\
  <script>alert("xss")</script> <img src=x onerror=alert(1)> <!-- hidden -->
  Braces {{ 7*7 }} and {% if true %}tag{% endif %} and {# comment #}.
  An attribute list { onclick="alert(2)" } and a snippet:

  --8<-- "/etc/passwd"

  ```python {onmouseover="alert(3)"}
  print("{{ 6*6 }}")
  ```
"""


@build_fixture()
def hostile_site(tmp_path_factory):
    return shared(tmp_path_factory, "hostile-injection", build_hostile) / "site"


def build_hostile(folder):
    caching = "activities/caching.yml"
    build_mini_with(
        folder,
        [
            (caching, "summary: Keep hot data in memory.", 'summary: "Quotes \\" and \' & ampersands \\" onload=\\"alert(4)"'),
            (caching, "title: Caching", "title: 'Caching \"quoted\" & more'"),
            (caching, "why_it_matters: Databases are slow.", "why_it_matters: |\n" + HOSTILE),
            (caching, 'pitfalls: ["**Stampedes.** Many misses at once."]', "pitfalls: ['{: onclick=alert(5) }', '<b onclick=alert(6)>x</b>']"),
        ],
    )


@pytest.fixture(scope="module")
def page(hostile_site):
    return BeautifulSoup((hostile_site / "activities/caching/index.html").read_text(encoding="utf-8"), "lxml")


@pytest.mark.slow
def test_no_injected_elements_or_handlers(page):
    article = page.select_one("article")
    assert article.find("script") is None
    assert article.find("img") is None
    for element in page.find_all(True):
        handlers = [name for name in element.attrs if name.lower().startswith("on")]
        assert not handlers, f"{element.name} has {handlers}"


@pytest.mark.slow
def test_hostile_text_is_shown_literally(page):
    text = page.select_one("article").get_text()
    assert '<script>alert("xss")</script>' in text
    assert "{{ 7*7 }}" in text and "49" not in text
    assert "{% if true %}tag{% endif %}" in text
    assert '{ onclick="alert(2)" }' in text
    assert '--8<-- "/etc/passwd"' in text
    assert "root:" not in text
    assert any('print("{{ 6*6 }}")' in pre.get_text() for pre in page.select("article pre"))


@pytest.mark.slow
def test_quotes_stay_inside_attributes(page):
    assert page.find("meta", attrs={"name": "description"})["content"] == 'Quotes " and \' & ampersands " onload="alert(4)'
    assert page.title.get_text().startswith('Caching "quoted" & more')
    assert page.select_one("article h1").get_text().strip().startswith('Caching "quoted" & more')


def test_template_syntax_in_one_line_fields_is_rejected(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "mini" / "data", data)
    path = data / "glossary" / "cache.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("title: Cache", "title: Cache {{ 7*7 }}"), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_handbook(data, tmp_path)
    assert [str(p) for p in caught.value.problems] == [
        "data/glossary/cache.yml:2: title must be one line of plain text without '<', '>', '{{', '{%' or '{#'"
        " (found 'Cache {{ 7*7 }}')"
    ]


# -- the JSON export and the explorer carry the same hostile text, inert -----------
@pytest.fixture(scope="module")
def exported_caching(hostile_site):
    text = (hostile_site / "api/v1/activities.json").read_text(encoding="utf-8")
    return text, next(item for item in json.loads(text)["items"] if item["id"] == "caching")


@pytest.mark.slow
def test_export_keeps_hostile_text_as_data(exported_caching):
    text, item = exported_caching
    assert "<" not in text and ">" not in text and "&" not in text  # written as \u003c, \u003e, \u0026
    assert item["fields"]["why_it_matters"] == textwrap.dedent(HOSTILE)  # exactly what the YAML says
    assert item["title"] == 'Caching "quoted" & more'
    assert item["fields"]["summary"] == 'Quotes " and \' & ampersands " onload="alert(4)'
    assert item["fields"]["pitfalls"] == ["{: onclick=alert(5) }", "<b onclick=alert(6)>x</b>"]


@pytest.mark.slow
def test_graph_keeps_hostile_text_as_data(hostile_site):
    text = (hostile_site / "api/v1/graph.json").read_text(encoding="utf-8")
    node = next(node for node in json.loads(text)["nodes"] if node["id"] == "activity:caching")
    assert node["summary"] == 'Quotes " and \' & ampersands " onload="alert(4)'
    assert "<" not in text and "&" not in text


@pytest.mark.slow
def test_explorer_shows_hostile_text_literally(hostile_site):
    explorer = BeautifulSoup((hostile_site / "explorer/index.html").read_text(encoding="utf-8"), "lxml")
    item = next(li for li in explorer.select("#hb-explorer-results li") if li.a["href"] == "../activities/caching/")
    assert item.a.get_text(" ", strip=True) == 'Caching "quoted" & more Activity'
    assert 'Quotes " and \' & ampersands " onload="alert(4)' in item.get_text()
    scripts = explorer.select("article script")
    assert [script.get("src") for script in scripts] == [None, "../javascripts/url-state.js", "../javascripts/explorer.js"]
    assert "Caching" not in scripts[0].get_text()  # the inline line is the template's, not data
    for element in explorer.find_all(True):
        assert not [name for name in element.attrs if name.lower().startswith("on")], element.name


@pytest.mark.slow
def test_explorer_filters_hostile_text_without_running_it(hostile_site, browser):
    with serve(hostile_site, sub_path=True) as base:
        tab = browser.new_page()
        dialogs = []
        tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        tab.goto(f"{base}explorer/")
        tab.wait_for_selector("#hb-explorer:not([aria-busy])")  # the export is loaded
        tab.get_by_label("Title, alias or summary").fill('"quoted" & onload="alert(4)')
        tab.wait_for_function("new URLSearchParams(location.search).has('text')")
        shown = tab.locator("#hb-explorer-results li:not([hidden])")
        assert shown.count() == 1
        assert shown.locator("a").inner_text() == 'Caching "quoted" & more Activity'
        assert tab.evaluate("document.querySelectorAll('[onload], [onclick], [onerror]').length") == 0
        assert dialogs == []
        tab.close()
