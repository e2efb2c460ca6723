"""The handbook's data model: kinds of entity, entities, and the whole handbook.

It is also the one place the code reads the handbook's vocabulary from: each kind's names
(``KINDS``), and from the schemas each kind's index description and review interval
(``x-index-description``, ``x-review-months``), the radar's rings, the reading types, the
seniority levels (``x-labels``) and the onboarding steps' reference fields (``x-ref``).
Adding a kind, a ring or a level is one edit here or in its schema, plus its template.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import ClassVar
from pathlib import Path

SCHEMA_DIR = Path(__file__).parent / "schemas"


class SchemaError(Exception):
    """A schema in macros/schemas/ breaks a rule the code relies on: the code's mistake, not the data's."""


@dataclass(frozen=True)
class Kind:
    """One kind of entity: where its files live, its schema, and its names."""

    folder: str  # data/<folder>/<id>.yml, and the site path <folder>/<id>/
    singular: str  # prefix of inline links: [text](technology:redis)
    label: str  # one entity, for headings: "Technology"
    plural: str  # the kind's index page title

    @cached_property
    def schema(self) -> dict:
        return json.loads((SCHEMA_DIR / f"{self.singular}.schema.json").read_text(encoding="utf-8"))

    @property
    def description(self) -> str:
        """The kind's index page description (search results, link previews): the schema's x-index-description."""
        return self.schema["x-index-description"]

    @property
    def review_months(self) -> int:
        """Months between reviews of an entry (a data file may set its own): the schema's x-review-months."""
        return self.schema["x-review-months"]

    @cached_property
    def fields(self) -> dict:
        return self.schema["properties"]

    @cached_property
    def reference_paths(self) -> dict[str, tuple[str, ...]]:
        """Fields that name other entities, however deep: field -> the keys leading to it.

        ``("area",)`` is a top-level field; ``("stages", "[]", "steps", "[]", "activities")``
        sits in every step of every stage ("[]": each item of a list). A field name is
        unique within a kind, so relations are named by it alone.
        """
        found: dict[str, tuple[str, ...]] = {}

        def walk(spec: dict, path: tuple[str, ...]) -> None:
            for name, sub in spec.get("properties", {}).items():
                if "x-ref" in sub:
                    if name in found:  # relations are named by their field alone
                        raise SchemaError(f"{self.singular}.schema.json: two reference fields named '{name}'; rename one")
                    found[name] = (*path, name)
                elif sub.get("type") == "array" and isinstance(sub.get("items"), dict):
                    walk(sub["items"], (*path, name, "[]"))
                elif sub.get("type") == "object":
                    walk(sub, (*path, name))

        walk(self.schema, ())
        return found

    @cached_property
    def references(self) -> dict[str, str]:
        """Fields that name other entities: field -> folder of the kind they name."""
        return {name: self._ref_spec(path)["x-ref"] for name, path in self.reference_paths.items()}

    def _ref_spec(self, path: tuple[str, ...]) -> dict:
        spec = self.schema
        for step in path:
            spec = spec["items"] if step == "[]" else spec["properties"][step]
        return spec

    def reference_groups(self, data, name: str):
        """Each place ``name`` is written in ``data``: (location, value), location as keys and indexes.

        A top-level field is one place; a field inside list items is one place per item.
        """
        path = self.reference_paths[name]
        if len(path) == 1:  # nearly every reference: no walk
            value = data.get(name) if isinstance(data, dict) else None
            return [((name,), value)] if value is not None else []
        places = [((), data)]
        for step in path:
            if step == "[]":
                places = [((*where, i), item) for where, node in places if isinstance(node, list) for i, item in enumerate(node)]
            else:
                places = [((*where, step), node[step]) for where, node in places if isinstance(node, dict) and node.get(step) is not None]
        return places

    def reference_ids(self, data, name: str) -> list[str]:
        """Every id written in field ``name``, in order, each once."""
        path = self.reference_paths[name]
        if len(path) == 1:  # validated data names each id once per field
            value = data.get(name)
            return [value] if isinstance(value, str) else list(value or [])
        ids: dict[str, None] = {}
        for _, value in self.reference_groups(data, name):
            for ref in [value] if isinstance(value, str) else value if isinstance(value, list) else []:
                if isinstance(ref, str):
                    ids[ref] = None
        return list(ids)


KINDS: dict[str, Kind] = {
    kind.folder: kind
    for kind in (
        Kind("phases", "phase", "Workflow phase", "The workflow"),
        Kind("areas", "area", "Area", "Areas of work"),
        Kind("activities", "activity", "Activity", "Activities"),
        Kind("responsibilities", "responsibility", "Core responsibility", "Core responsibilities"),
        Kind("categories", "category", "Technology category", "Technology categories"),
        Kind("technologies", "technology", "Technology", "Technologies"),
        Kind("glossary", "term", "Glossary term", "Glossary"),
        Kind("paths", "path", "Onboarding path", "Onboarding paths"),
    )
}
KIND_BY_SINGULAR = {kind.singular: kind for kind in KINDS.values()}


def labelled(spec: dict) -> dict[str, str]:
    """An enum (or an object's properties) with its ``x-labels``, in the schema's order: value -> label."""
    values = spec["enum"] if "enum" in spec else list(spec["properties"])
    return {value: spec["x-labels"][value] for value in values}


_RING = KINDS["technologies"].fields["radar"]["items"]["properties"]["ring"]
# The radar's rings, centre outwards: ring -> label ("Adopt"); RING_MEANINGS: what each says.
RINGS = labelled(_RING)
RING_MEANINGS = {ring: _RING["x-descriptions"][ring] for ring in RINGS}
# A further-reading entry's type -> its label ("Documentation").
READING_TYPES = labelled(json.loads((SCHEMA_DIR / "common.schema.json").read_text(encoding="utf-8"))["$defs"]["furtherReading"]["items"]["properties"]["type"])
# An activity's seniority levels, in order: level -> label ("Mid-level").
LEVELS = labelled(KINDS["activities"].fields["seniority"])
# The fields of an onboarding step that name other entries -> the folder each names, in the
# order a step shows them (what to do, when, with what, the words for it); see path.schema.json.
_STEP_SHOWN_FIRST = ("activities", "phases", "technologies")
STEP_REFERENCES = dict(
    sorted(
        ((name, KINDS["paths"].references[name]) for name, path in KINDS["paths"].reference_paths.items() if "steps" in path),
        key=lambda item: _STEP_SHOWN_FIRST.index(item[0]) if item[0] in _STEP_SHOWN_FIRST else len(_STEP_SHOWN_FIRST),
    )
)


@dataclass
class Entity:
    """One entry of the handbook, read from ``data/<kind>/<id>.yml``."""

    kind: Kind
    id: str
    source: str  # path shown in messages and edit links, e.g. data/technologies/redis.yml
    data: dict

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind.folder, self.id)

    @property
    def title(self) -> str:
        return self.data["title"]

    @property
    def page(self) -> str:
        """Path of the generated Markdown page, relative to docs/."""
        return f"{self.kind.folder}/{self.id}.md"

    def __getitem__(self, name: str):
        # Templates read fields as entity.field; an optional field that is absent
        # reads as empty, a name the schema does not know is an error.
        if name in self.data:
            return self.data[name]
        if name in self.kind.fields:
            return None
        raise KeyError(f"{self.kind.singular} has no field '{name}'")

    def sort_key(self):
        return (self.data.get("order", 0), self.title.casefold())


@dataclass
class Handbook:
    """Every entity, by kind, each kind in display order (by 'order', then title)."""

    entities: dict[str, dict[str, Entity]] = field(default_factory=dict)
    # Links written inside text, [text](kind:id): entity key -> keys it links to.
    inline_refs: dict[tuple, list[tuple]] = field(default_factory=dict)
    # Problems that do not stop the build (reviews overdue), for `make check` to report.
    warnings: list = field(default_factory=list)
    # data/search/synonyms.yml (macros/synonyms.py): a reader's words for entries.
    synonyms: list = field(default_factory=list)

    # While set, every entity looked up is added to it, a whole kind as (folder, "*"), all as
    # ("*", "*"): `make serve` learns which entries each page reads (serve_site.py).
    reads: ClassVar[set | None] = None

    def of(self, folder: str) -> list[Entity]:
        if Handbook.reads is not None:
            Handbook.reads.add((folder, "*"))
        return list(self.entities.get(folder, {}).values())

    def get(self, key: tuple[str, str]) -> Entity:
        if Handbook.reads is not None:
            Handbook.reads.add(key)
        return self.entities[key[0]][key[1]]

    def all(self):
        if Handbook.reads is not None:
            Handbook.reads.add(("*", "*"))
        for by_id in self.entities.values():
            yield from by_id.values()

    def __len__(self) -> int:
        return sum(len(by_id) for by_id in self.entities.values())
