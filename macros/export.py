"""Handbook -> the public JSON export (``api/v1/``), as plain Python: no MkDocs needed.

``files(handbook, xref)`` returns ``{path relative to api/v1/: JSON text}``:

- ``<folder>.json`` per kind (``activities.json`` … ``glossary.json``): every entity with
  its fields exactly as in ``data/``, its page URL and its relations resolved in both
  directions, named as on the pages (``x.refs``, ``x.phases_of``, … in ``xref.py``);
- ``graph.json``: one node per entity and one typed edge per reference written in the data;
- ``index.json``: what each file holds, with its schema, entry count and size;
- ``schemas/``: a JSON Schema per export file (from ``macros/schemas/export/``), and the
  data schemas under ``schemas/data/``.

URLs are relative to the site root (``technologies/kafka/``), so the export works under
any sub-path. Text is data: it is JSON-escaped, and ``<``, ``>``, ``&``, U+2028 and U+2029
are written as ``\\uXXXX`` so the JSON stays inert even when pasted into HTML or a script.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

from .model import KINDS, RINGS, SCHEMA_DIR, STEP_REFERENCES, Entity, Handbook
from .xref import CrossReference

VERSION = 1
FOLDER = f"api/v{VERSION}"  # where the site publishes the export
# Characters that could end a <script> or an HTML string, or a JavaScript line, as escapes.
_INERT = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))

Relation = Callable[[CrossReference, Entity], list[Entity]]


def _areas(x: CrossReference, activities: list[Entity]) -> list[Entity]:
    return x.entities(area.key for activity in activities for area in x.refs(activity, "area"))


def _activities(x: CrossReference, entity: Entity) -> list[Entity]:
    return x.refs(entity, "activities")


def _neighbour(index: int) -> Relation:
    return lambda x, e: [p for p in [x.phase_neighbours(e)[index]] if p is not None]


# Each kind's relations, both directions, named as on its page. Every relation is a
# list (one entry at most for area, category, part_of, previous, next). Each one has
# its inverse on the other side (see INVERSES), except linked_from, "What links here".
RELATIONS: dict[str, dict[str, Relation]] = {
    "phases": {
        "activities": _activities,
        "key_activities": lambda x, e: x.refs(e, "key_activities"),
        "areas": lambda x, e: _areas(x, _activities(x, e)),
        "technologies": lambda x, e: x.technologies_of_activities(_activities(x, e)),
        "previous": _neighbour(0),
        "next": _neighbour(1),
    },
    "areas": {
        "activities": lambda x, e: x.activities_of_area(e),
        "phases": lambda x, e: x.phases_of_activities(x.activities_of_area(e)),
        "technologies": lambda x, e: x.technologies_of_activities(x.activities_of_area(e)),
    },
    "activities": {
        "area": lambda x, e: x.refs(e, "area"),
        "phases": lambda x, e: x.phases_of(e),
        "key_in_phases": lambda x, e: [p for p in x.phases_of(e) if x.is_key_in(e, p)],
        "technologies": lambda x, e: x.refs(e, "technologies"),
        "related": lambda x, e: x.related_activities(e),
        "responsibilities": lambda x, e: x.responsibilities_of(e),
        "terms": lambda x, e: x.terms_of(e),
    },
    "responsibilities": {
        "activities": _activities,
        "technologies": lambda x, e: x.technologies_of_activities(_activities(x, e)),
    },
    "categories": {
        "technologies": lambda x, e: x.technologies_in(e),
    },
    "technologies": {
        "category": lambda x, e: x.refs(e, "category"),
        "part_of": lambda x, e: x.refs(e, "part_of"),
        "parts": lambda x, e: x.parts_of(e),
        "activities": lambda x, e: x.activities_using(e),
        "areas": lambda x, e: _areas(x, x.activities_using(e)),
        "phases": lambda x, e: x.phases_of_activities(x.activities_using(e)),
        "responsibilities": lambda x, e: x.entities(
            r.key for a in x.activities_using(e) for r in x.responsibilities_of(a)
        ),
        "alternatives": lambda x, e: x.alternatives(e),
        "terms": lambda x, e: x.terms_of_technology(e),
    },
    "glossary": {
        "activities": lambda x, e: x.entities(
            [a.key for a in _activities(x, e)] + [a.key for a in x.named_by(e, "terms", "activities")]
        ),
        "technologies": lambda x, e: x.refs(e, "technologies"),
        "see_also": lambda x, e: x.both_ways(e, "see_also"),
    },
    "paths": {
        "builds_on": lambda x, e: x.refs(e, "builds_on"),
        "built_on_by": lambda x, e: x.paths_building_on(e),
    },
}
for _name, _folder in STEP_REFERENCES.items():
    # What the path's steps name, each once, in the order the steps name them; and back.
    RELATIONS["paths"][_name] = lambda x, e, name=_name: x.refs(e, name)
    RELATIONS[_folder]["paths"] = lambda x, e: x.paths_including(e)
for _folder in KINDS:  # a kind without relations of its own still has "What links here"
    RELATIONS.setdefault(_folder, {})["linked_from"] = lambda x, e: x.linked_from(e)


def _both_ways(pairs) -> dict[tuple[str, str], tuple[str, str]]:
    return {**dict(pairs), **{b: a for a, b in pairs}}


# (kind, relation) -> (kind, relation) on the other side: if A lists B, B lists A.
INVERSES = _both_ways([
    (("activities", "area"), ("areas", "activities")),
    (("activities", "phases"), ("phases", "activities")),
    (("activities", "key_in_phases"), ("phases", "key_activities")),
    (("activities", "technologies"), ("technologies", "activities")),
    (("activities", "related"), ("activities", "related")),
    (("activities", "responsibilities"), ("responsibilities", "activities")),
    (("activities", "terms"), ("glossary", "activities")),
    (("phases", "areas"), ("areas", "phases")),
    (("phases", "technologies"), ("technologies", "phases")),
    (("phases", "next"), ("phases", "previous")),
    (("areas", "technologies"), ("technologies", "areas")),
    (("responsibilities", "technologies"), ("technologies", "responsibilities")),
    (("categories", "technologies"), ("technologies", "category")),
    (("technologies", "part_of"), ("technologies", "parts")),
    (("technologies", "alternatives"), ("technologies", "alternatives")),
    (("technologies", "terms"), ("glossary", "technologies")),
    (("glossary", "see_also"), ("glossary", "see_also")),
    (("paths", "builds_on"), ("paths", "built_on_by")),
    *((("paths", name), (folder, "paths")) for name, folder in STEP_REFERENCES.items()),
])


def dumps(value) -> str:
    """Compact JSON in which no character of the data can end a <script> or an HTML string."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for character, escape in _INERT:  # str.replace is several times faster than str.translate here
        text = text.replace(character, escape)
    return text


def node_id(entity: Entity) -> str:
    return f"{entity.kind.singular}:{entity.id}"


class Export:
    """Builds every file of the export; page URLs follow MkDocs' ``use_directory_urls``."""

    def __init__(self, handbook: Handbook, xref: CrossReference, site_url: str | None = None, directory_urls: bool = True):
        self.handbook, self.xref = handbook, xref
        self.site_url = site_url or None
        self.directory_urls = directory_urls
        self._refs: dict[tuple, dict] = {}  # one shared dict per entity: relations name them often

    def url(self, entity: Entity) -> str:
        folder = entity.kind.folder
        return f"{folder}/{entity.id}/" if self.directory_urls else f"{folder}/{entity.id}.html"

    def ref(self, entity: Entity) -> dict:
        ref = self._refs.get(entity.key)
        if ref is None:
            ref = self._refs[entity.key] = {"id": entity.id, "kind": entity.kind.singular, "title": entity.title, "url": self.url(entity)}
        return ref

    def item(self, entity: Entity) -> dict:
        relations = RELATIONS[entity.kind.folder]
        item = {
            "id": entity.id,
            "key": node_id(entity),
            "kind": entity.kind.singular,
            "title": entity.title,
            "url": self.url(entity),
            "source": entity.source,
            "fields": entity.data,
            "relations": {name: [self.ref(other) for other in find(self.xref, entity)] for name, find in relations.items()},
        }
        if entity.kind.folder == "technologies":
            item["ring"] = self.xref.ring(entity)
        return item

    def entry(self, entity: Entity) -> str:
        """One entity's entry in its kind's file, as JSON text (`make serve` keeps them: serve_site.py)."""
        return dumps(self.item(entity))

    def kind_file(self, folder: str) -> Iterator[str]:
        """One kind's file as pieces of JSON text, an entry at a time: the whole file as one
        tree of dicts would cost several times its size in memory (at 50x, ~100 MB)."""
        entities = self.handbook.of(folder)
        head = dumps(
            {
                "$schema": f"schemas/{folder}.schema.json",
                "version": VERSION,
                "kind": KINDS[folder].singular,
                "count": len(entities),
                "items": [],
            }
        )
        yield head.removesuffix("]}")
        for number, entity in enumerate(entities):
            yield ("," if number else "") + self.entry(entity)
        yield "]}"

    def graph(self) -> dict:
        nodes, edges = [], []
        for entity in self.handbook.all():
            node = {
                "id": node_id(entity),
                "kind": entity.kind.singular,
                "title": entity.title,
                "url": self.url(entity),
                "summary": entity.data["summary"],
                "aliases": entity.data.get("aliases") or [],
            }
            if entity.kind.folder == "technologies":
                node["ring"] = self.xref.ring(entity)
            elif entity.kind.folder == "areas":
                node["type"] = entity.data["type"]
            nodes.append(node)
            # One edge per reference as written in the data file: each relation once.
            for name in entity.kind.references:
                for other in self.xref.refs(entity, name):
                    edges.append({"source": node_id(entity), "target": node_id(other), "type": name})
        return {"$schema": "schemas/graph.schema.json", "version": VERSION, "nodes": nodes, "edges": edges}

    def pieces(self) -> Iterator[tuple[str, Iterator[str]]]:
        """Every file of the export as (path relative to api/v1/, its JSON text in pieces).

        Read each file's pieces before asking for the next file: index.json, last, records
        their sizes. So a build writes the export without ever holding much of it."""
        sizes: dict[str, int] = {}

        def counted(path: str, pieces: Iterator[str]) -> Iterator[str]:
            size = 0
            for piece in pieces:
                size += len(piece.encode("utf-8"))
                yield piece
            sizes[path] = size

        for folder in KINDS:
            yield f"{folder}.json", counted(f"{folder}.json", self.kind_file(folder))
        yield "graph.json", counted("graph.json", iter((dumps(self.graph()),)))
        schema_files = schemas()
        for path, text in schema_files.items():
            yield path, iter((text,))
        yield "index.json", iter((dumps(self.index(sizes, sorted(schema_files))),))

    def files(self) -> Iterator[tuple[str, str]]:
        """Every file of the export as (path relative to api/v1/, JSON text), one at a time."""
        for path, pieces in self.pieces():
            yield path, "".join(pieces)

    def index(self, sizes: dict[str, int], schema_paths: list[str]) -> dict:
        described = [
            {
                "path": f"{folder}.json",
                "kind": kind.singular,
                "title": kind.plural,
                "count": len(self.handbook.of(folder)),
                "schema": f"schemas/{folder}.schema.json",
                "data_schema": f"schemas/data/{kind.singular}.schema.json",
            }
            for folder, kind in KINDS.items()
        ]
        described.append(
            {"path": "graph.json", "title": "Nodes and typed edges", "count": len(self.handbook), "schema": "schemas/graph.schema.json"}
        )
        for entry in described:
            entry["bytes"] = sizes[entry["path"]]
        return {
            "$schema": "schemas/index.schema.json",
            "version": VERSION,
            "title": "The Backend Handbook: data export",
            "site_url": self.site_url,
            "urls": "Page URLs are relative to the site root: join them to site_url, or to the folder above api/.",
            "files": described,
            "schemas": schema_paths,
        }


def files(
    handbook: Handbook, xref: CrossReference, site_url: str | None = None, directory_urls: bool = True
) -> Iterator[tuple[str, str]]:
    return Export(handbook, xref, site_url, directory_urls).files()


def pieces(
    handbook: Handbook, xref: CrossReference, site_url: str | None = None, directory_urls: bool = True
) -> Iterator[tuple[str, Iterator[str]]]:
    return Export(handbook, xref, site_url, directory_urls).pieces()


# -- JSON Schemas of the export ------------------------------------------------
# Written as JSON beside the data schemas. The values the code owns (the version, the kinds,
# the rings, each kind's relations, the edge types) are null there and filled in here, so
# adding a kind, a ring or a relation changes one place. kind.schema.json is the template of
# every <folder>.schema.json ({folder}, {singular}, {plural} replaced).
EXPORT_SCHEMAS = SCHEMA_DIR / "export"


def _read(name: str, **names: str) -> dict:
    text = (EXPORT_SCHEMAS / name).read_text(encoding="utf-8")
    for placeholder, value in names.items():
        text = text.replace(f"{{{placeholder}}}", value)
    return json.loads(text)


def _versioned(schema: dict) -> dict:
    schema["properties"]["version"]["const"] = VERSION
    return schema


def _defs() -> dict:
    defs = _read("defs.schema.json")
    defs["$defs"]["kind"]["enum"] = [kind.singular for kind in KINDS.values()]
    defs["$defs"]["ring"]["enum"] = list(RINGS)
    return defs


def _kind_schema(folder: str) -> dict:
    kind = KINDS[folder]
    schema = _versioned(_read("kind.schema.json", folder=folder, singular=kind.singular, plural=kind.plural))
    item = schema["$defs"]["item"]
    relations = item["properties"]["relations"]
    relations["required"] = list(RELATIONS[folder])
    relations["properties"] = {name: {"$ref": "defs.schema.json#/$defs/refs"} for name in RELATIONS[folder]}
    item["properties"].update(_read("kind-extra-properties.json").get(folder, {}))
    item["required"] = list(item["properties"])
    return schema


def _graph() -> dict:
    graph = _versioned(_read("graph.schema.json"))
    edge_type = graph["properties"]["edges"]["items"]["properties"]["type"]
    edge_type["enum"] = sorted({name for kind in KINDS.values() for name in kind.references})
    return graph


def schemas() -> dict[str, str]:
    """The export's schemas, and the data schemas they build on (published as written)."""
    out = {f"schemas/{folder}.schema.json": _kind_schema(folder) for folder in KINDS}
    out.update(
        {
            "schemas/defs.schema.json": _defs(),
            "schemas/graph.schema.json": _graph(),
            "schemas/index.schema.json": _versioned(_read("index.schema.json")),
        }
    )
    published = {path: json.dumps(schema, ensure_ascii=False, indent=2) + "\n" for path, schema in out.items()}
    for path in sorted(SCHEMA_DIR.glob("*.schema.json")):
        published[f"schemas/data/{path.name}"] = path.read_text(encoding="utf-8")
    return published
