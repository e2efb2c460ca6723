"""The handbook's data model: kinds of entity, entities, and the whole handbook."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

SCHEMA_DIR = Path(__file__).parent / "schemas"


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

    @cached_property
    def fields(self) -> dict:
        return self.schema["properties"]

    @cached_property
    def references(self) -> dict[str, str]:
        """Fields that name other entities: field -> folder of the kind they name."""
        return {name: spec["x-ref"] for name, spec in self.fields.items() if "x-ref" in spec}


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
    )
}
KIND_BY_SINGULAR = {kind.singular: kind for kind in KINDS.values()}


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

    def of(self, folder: str) -> list[Entity]:
        return list(self.entities.get(folder, {}).values())

    def get(self, key: tuple[str, str]) -> Entity:
        return self.entities[key[0]][key[1]]

    def all(self):
        for by_id in self.entities.values():
            yield from by_id.values()

    def __len__(self) -> int:
        return sum(len(by_id) for by_id in self.entities.values())
