"""The public JSON export (api/v1/): complete, both ways, valid against its own schemas, inert."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
import yaml
from bs4 import BeautifulSoup
from referencing import Registry, Resource

from conftest import ROOT
from parsed_pages import soup
from macros import export
from macros.loader import load_handbook
from macros.model import KINDS
from macros.xref import CrossReference

HANDBOOK = load_handbook(ROOT / "data", ROOT)
XREF = CrossReference(HANDBOOK)
FILES = dict(export.files(HANDBOOK, XREF, "https://example.org/handbook/"))
BASE = "https://example.org/handbook/api/v1/"  # where the schemas are, for resolving their references


def loaded(path: str) -> dict:
    return json.loads(FILES[path])


def items(folder: str) -> dict[str, dict]:
    return {item["id"]: item for item in loaded(f"{folder}.json")["items"]}


def registry(files: dict[str, str]) -> Registry:
    return Registry().with_resources(
        (BASE + path, Resource.from_contents(json.loads(text))) for path, text in files.items() if path.startswith("schemas/")
    )


def validate(files: dict[str, str], path: str) -> None:
    """Validate one file against the schema its $schema names, as published beside it."""
    document = json.loads(files[path])
    schema = {"$ref": BASE + document["$schema"]}  # references resolve against where the schema lives
    validator = jsonschema.Draft202012Validator(
        schema, registry=registry(files), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    validator.validate(document)


# -- completeness ----------------------------------------------------------------
def test_every_data_file_is_in_its_kind_file_and_in_the_graph():
    # Every entity's file; data/search/ holds the search synonyms, not entities.
    on_disk = {(path.parent.name, path.stem) for path in (ROOT / "data").glob("*/*.yml") if path.parent.name in KINDS}
    exported = {(folder, item_id) for folder in KINDS for item_id in items(folder)}
    assert exported == on_disk
    nodes = {node["id"] for node in loaded("graph.json")["nodes"]}
    assert nodes == {f"{KINDS[folder].singular}:{item_id}" for folder, item_id in on_disk}


class DatesAsText(yaml.SafeLoader):
    """YAML's own types, except dates, which stay text as the handbook's loader keeps them."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


def test_fields_are_the_yaml_as_written():
    for folder in KINDS:
        for path in sorted((ROOT / "data" / folder).glob("*.yml")):
            written = yaml.load(path.read_text(encoding="utf-8"), Loader=DatesAsText)
            assert items(folder)[path.stem]["fields"] == written, path


def test_index_describes_every_file():
    index = loaded("index.json")
    described = {entry["path"]: entry for entry in index["files"]}
    assert set(described) == {f"{folder}.json" for folder in KINDS} | {"graph.json"}
    for path, entry in described.items():
        assert entry["bytes"] == len(FILES[path].encode("utf-8"))
        assert entry["schema"] in FILES
    for folder in KINDS:
        assert described[f"{folder}.json"]["count"] == len(HANDBOOK.of(folder))
    assert set(index["schemas"]) == {path for path in FILES if path.startswith("schemas/")}
    assert index["site_url"] == "https://example.org/handbook/"


# -- relations ---------------------------------------------------------------
def keys(refs) -> list[tuple[str, str]]:
    return [(ref["kind"], ref["id"]) for ref in refs]


def as_keys(entities) -> list[tuple[str, str]]:
    return [(entity.kind.singular, entity.id) for entity in entities]


# What each relation must hold, from the cross-reference index the pages are built from.
EXPECTED = {
    ("activities", "area"): lambda e: XREF.refs(e, "area"),
    ("activities", "phases"): XREF.phases_of,
    ("activities", "technologies"): lambda e: XREF.refs(e, "technologies"),
    ("activities", "related"): XREF.related_activities,
    ("activities", "responsibilities"): XREF.responsibilities_of,
    ("activities", "terms"): XREF.terms_of,
    ("technologies", "category"): lambda e: XREF.refs(e, "category"),
    ("technologies", "part_of"): lambda e: XREF.refs(e, "part_of"),
    ("technologies", "parts"): XREF.parts_of,
    ("technologies", "activities"): XREF.activities_using,
    ("technologies", "phases"): lambda e: XREF.phases_of_activities(XREF.activities_using(e)),
    ("technologies", "alternatives"): XREF.alternatives,
    ("technologies", "terms"): XREF.terms_of_technology,
    ("phases", "activities"): lambda e: XREF.refs(e, "activities"),
    ("phases", "key_activities"): lambda e: XREF.refs(e, "key_activities"),
    ("phases", "technologies"): lambda e: XREF.technologies_of_activities(XREF.refs(e, "activities")),
    ("areas", "activities"): XREF.activities_of_area,
    ("areas", "technologies"): lambda e: XREF.technologies_of_activities(XREF.activities_of_area(e)),
    ("areas", "phases"): lambda e: XREF.phases_of_activities(XREF.activities_of_area(e)),
    ("categories", "technologies"): XREF.technologies_in,
    ("responsibilities", "activities"): lambda e: XREF.refs(e, "activities"),
    ("glossary", "technologies"): lambda e: XREF.refs(e, "technologies"),
    ("paths", "activities"): lambda e: XREF.refs(e, "activities"),
    ("paths", "technologies"): lambda e: XREF.refs(e, "technologies"),
    ("paths", "phases"): lambda e: XREF.refs(e, "phases"),
    ("paths", "terms"): lambda e: XREF.refs(e, "terms"),
    ("paths", "builds_on"): lambda e: XREF.refs(e, "builds_on"),
    ("activities", "paths"): XREF.paths_including,
    ("technologies", "paths"): XREF.paths_including,
    ("phases", "paths"): XREF.paths_including,
    ("glossary", "paths"): XREF.paths_including,
}


@pytest.mark.parametrize("folder, name", sorted(EXPECTED))
def test_relations_match_the_cross_reference_index(folder, name):
    exported = items(folder)
    for entity in HANDBOOK.of(folder):
        assert keys(exported[entity.id]["relations"][name]) == as_keys(EXPECTED[folder, name](entity)), entity.source


def test_what_links_here_matches_the_pages():
    for folder in KINDS:
        exported = items(folder)
        for entity in HANDBOOK.of(folder):
            assert keys(exported[entity.id]["relations"]["linked_from"]) == as_keys(XREF.linked_from(entity))


def test_every_relation_is_listed_on_both_sides():
    assert {name for (_, name) in export.INVERSES} | {"linked_from"} >= {
        name for relations in export.RELATIONS.values() for name in relations
    }
    exported = {folder: items(folder) for folder in KINDS}
    by_singular = {kind.singular: folder for folder, kind in KINDS.items()}
    checked = 0
    for (folder, name), (other_folder, inverse) in export.INVERSES.items():
        for item in exported[folder].values():
            for ref in item["relations"][name]:
                assert by_singular[ref["kind"]] == other_folder, (folder, name, ref)
                back = keys(exported[other_folder][ref["id"]]["relations"][inverse])
                assert (item["kind"], item["id"]) in back, f"{item['key']} {name} {ref['id']}, but not back in {inverse}"
                checked += 1
    assert checked > 1000


def test_references_resolve_to_exported_entries():
    urls = {item["url"] for folder in KINDS for item in items(folder).values()}
    for folder in KINDS:
        for item in items(folder).values():
            for refs in item["relations"].values():
                assert {ref["url"] for ref in refs} <= urls


def values_at(data, path) -> list:
    """The values at a reference field's place in plain YAML ("[]": each item of a list)."""
    nodes = [data]
    for step in path:
        nodes = [item for node in nodes for item in (node if step == "[]" else [node.get(step)]) if item is not None]
    return nodes


def test_graph_edges_are_the_references_written_in_the_data():
    written = set()
    for folder, kind in KINDS.items():
        for path in (ROOT / "data" / folder).glob("*.yml"):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            for name, target in kind.references.items():
                for value in values_at(data, kind.reference_paths[name]):  # a path names ids inside its steps
                    for ref in [value] if isinstance(value, str) else value:
                        written.add((f"{kind.singular}:{path.stem}", f"{KINDS[target].singular}:{ref}", name))
    edges = [(edge["source"], edge["target"], edge["type"]) for edge in loaded("graph.json")["edges"]]
    assert len(edges) == len(set(edges)), "an edge is written twice"
    assert set(edges) == written


def test_technologies_carry_their_current_ring():
    for technology in HANDBOOK.of("technologies"):
        assert items("technologies")[technology.id]["ring"] == technology["radar"][-1]["ring"]


# -- schemas -------------------------------------------------------------------
def test_published_schemas_are_valid_json_schemas():
    for path, text in FILES.items():
        if path.startswith("schemas/"):
            jsonschema.Draft202012Validator.check_schema(json.loads(text))


@pytest.mark.parametrize("path", [f"{folder}.json" for folder in KINDS] + ["graph.json", "index.json"])
def test_every_file_is_valid_against_its_published_schema(path):
    validate(FILES, path)


@pytest.mark.parametrize(
    "path, break_it",
    [
        ("technologies.json", lambda doc: doc["items"][0]["relations"].pop("parts")),
        ("technologies.json", lambda doc: doc["items"][0].update(ring="maybe")),
        ("activities.json", lambda doc: doc["items"][0]["fields"].pop("summary")),
        ("activities.json", lambda doc: doc["items"][0]["relations"]["area"][0].update(url="/absolute/")),
        ("graph.json", lambda doc: doc["edges"][0].update(type="likes")),
        ("index.json", lambda doc: doc.update(version=2)),
    ],
)
def test_the_schemas_reject_a_broken_file(path, break_it):
    document = json.loads(FILES[path])
    break_it(document)
    with pytest.raises(jsonschema.ValidationError):
        validate({**FILES, path: json.dumps(document)}, path)


def test_data_schemas_are_published_as_written():
    for path in (ROOT / "macros" / "schemas").glob("*.schema.json"):
        assert FILES[f"schemas/data/{path.name}"] == path.read_text(encoding="utf-8")


def test_page_urls_are_relative_to_the_site_root():
    for node in loaded("graph.json")["nodes"]:
        assert re.fullmatch(r"[a-z]+/[a-z0-9-]+/", node["url"]), node
    flat = dict(export.files(HANDBOOK, XREF, directory_urls=False))
    assert json.loads(flat["graph.json"])["nodes"][0]["url"].endswith(".html")


# -- text stays data -------------------------------------------------------------
def test_json_text_cannot_end_a_script_or_an_html_string():
    value = {"text": '</script><script>alert(1)</script> & "quotes" \u2028\u2029 {{ 7*7 }}'}
    text = export.dumps(value)
    assert json.loads(text) == value
    for character in "<>&\u2028\u2029":
        assert character not in text
    for path, text in FILES.items():
        if not path.startswith("schemas/"):
            assert not set("<>&\u2028\u2029") & set(text), path


# -- the built site --------------------------------------------------------------
@pytest.mark.slow
def test_the_build_publishes_the_export(real_site):
    folder = real_site / export.FOLDER
    published = {path.relative_to(folder).as_posix(): path.read_text(encoding="utf-8") for path in folder.rglob("*.json")}
    assert set(published) == set(FILES)
    index = json.loads(published["index.json"])
    assert index["site_url"] == yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]
    for path in [f"{kind}.json" for kind in KINDS] + ["graph.json", "index.json"]:
        validate(published, path)
    # Every URL in the export is a page of the site.
    for node in json.loads(published["graph.json"])["nodes"]:
        page = real_site / node["url"] / "index.html"
        title = soup(page).select_one("article h1").get_text()
        assert title.startswith(node["title"]), node["url"]  # glossary headings add the abbreviation


@pytest.mark.slow
def test_data_and_api_page_examples_are_valid(real_site):
    page = BeautifulSoup((real_site / "data-and-api/index.html").read_text(encoding="utf-8"), "lxml")
    blocks = [code.get_text() for code in page.select("article pre code")]
    examples = [json.loads(text) for text in blocks if text.lstrip().startswith("{")]
    graph = next(example for example in examples if "edges" in example)
    validate({**FILES, "graph.json": json.dumps(graph)}, "graph.json")
    item = next(example for example in examples if "relations" in example)
    real = items("activities")[item["id"]]
    assert set(item) == set(real) and set(item["relations"]) == set(real["relations"])
    assert all(set(keys(refs)) <= set(keys(real["relations"][name])) for name, refs in item["relations"].items())
    # The page links to each file of the export, and the links resolve.
    links = {a["href"] for a in page.select("article a[href]")}
    for folder in KINDS:
        assert f"../api/v1/{folder}.json" in links
