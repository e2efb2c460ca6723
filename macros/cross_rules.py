"""Rules that span data files, each a named function; ``cross_problems`` runs them all.

``known`` is every entity by folder and id, whether or not it passed its schema, so each
rule checks the types it reads.
"""

from __future__ import annotations

from collections import defaultdict

from . import examples, versions
from .model import Entity
from .seniority import seniority_problems
from .yaml_source import LineList, Problem

Known = dict[str, dict[str, Entity]]
# Relations shown on both entities' pages: each pair belongs in one file only.
SYMMETRIC = {("activities", "related"), ("technologies", "alternatives")}


def _by_source(entities) -> list[Entity]:
    return sorted(entities, key=lambda e: e.source)


def unique_value_problems(known: Known) -> list[Problem]:
    """Orders and titles unique within a kind, abbreviations within the glossary."""
    problems = []
    for folder, by_id in known.items():
        firsts: dict[tuple, Entity] = {}
        for entity in _by_source(by_id.values()):
            data = entity.data
            for label, value in (("order", data.get("order")), ("title", str(data.get("title", "")).casefold())):
                if value in (None, ""):
                    continue
                other = firsts.setdefault((label, value), entity)
                if other is not entity:
                    problems.append(
                        Problem(entity.source, data.line_of(label), f"{label} {data.get(label)!r} is already used by {other.source}; choose another")
                    )
            if folder == "glossary" and data.get("abbreviation"):
                other = firsts.setdefault(("abbreviation", data["abbreviation"]), entity)
                if other is not entity:
                    problems.append(
                        Problem(entity.source, data.line_of("abbreviation"), f"abbreviation '{data['abbreviation']}' is already defined by {other.source}")
                    )
    return problems


def alias_problems(known: Known) -> list[Problem]:
    """An alias must not be another entry's title or alias, or search sends readers to the wrong page.

    Two entries may answer to one name on purpose when both list it under shared_aliases.
    """
    names: dict[str, list[tuple[Entity, str]]] = defaultdict(list)  # casefolded name -> (entry, field)
    for by_id in known.values():
        for entity in by_id.values():
            title = entity.data.get("title")
            if isinstance(title, str):
                names[title.casefold()].append((entity, "title"))
            aliases = entity.data.get("aliases")
            for alias in aliases if isinstance(aliases, list) else []:
                if isinstance(alias, str):
                    names[alias.casefold()].append((entity, "aliases"))

    def shares(entity: Entity, name: str) -> bool:
        shared = entity.data.get("shared_aliases")
        return isinstance(shared, list) and name in {str(s).casefold() for s in shared}

    problems = []
    for name, holders in names.items():
        for entity, field in holders:
            if field != "aliases":
                continue
            others = [(o, f) for o, f in holders if o is not entity]
            for other, other_field in others:
                if shares(entity, name) and shares(other, name):
                    continue
                aliases = entity.data["aliases"]
                index = next(i for i, a in enumerate(aliases) if isinstance(a, str) and a.casefold() == name)
                what = "title" if other_field == "title" else "an alias"
                problems.append(
                    Problem(
                        entity.source,
                        aliases.line_of(index) if isinstance(aliases, LineList) else entity.data.line_of("aliases"),
                        f"alias {aliases[index]!r} is also {what} of {other.source}: remove it, or, if both entries"
                        " really answer to that name, list it under shared_aliases in both",
                    )
                )
                break
    return problems


def key_activity_problems(known: Known) -> list[Problem]:
    """A phase's key activities are among its activities."""
    problems = []
    for phase in known.get("phases", {}).values():
        listed = phase.data.get("activities") or []
        key = phase.data.get("key_activities") or []
        if isinstance(listed, list) and isinstance(key, LineList):
            for index, ref in enumerate(key):
                if ref not in listed:
                    problems.append(
                        Problem(phase.source, key.line_of(index), f"key activity '{ref}' must also be listed under activities")
                    )
    return problems


def radar_order_problems(known: Known) -> list[Problem]:
    """A technology's radar history is oldest first: its last entry is the current ring."""
    problems = []
    for tech in known.get("technologies", {}).values():
        radar = tech.data.get("radar")
        if isinstance(radar, LineList):
            dates = [entry.get("date", "") for entry in radar if isinstance(entry, dict)]
            for index in range(1, len(dates)):
                if str(dates[index]) < str(dates[index - 1]):
                    problems.append(
                        Problem(tech.source, radar.line_of(index), "radar entries must be oldest first; move this one up")
                    )
    return problems


def symmetric_pair_problems(known: Known) -> list[Problem]:
    """A symmetric relation (related, alternatives) is written in one of the two files only."""
    problems = []
    for folder, name in sorted(SYMMETRIC):
        stated: dict[frozenset, Entity] = {}
        for entity in _by_source(known.get(folder, {}).values()):
            refs = entity.data.get(name)
            if not isinstance(refs, LineList):
                continue
            for index, ref in enumerate(refs):
                pair = frozenset((entity.id, ref))
                first = stated.setdefault(pair, entity)
                if first is not entity:
                    problems.append(
                        Problem(
                            entity.source,
                            refs.line_of(index),
                            f"{name} '{ref}' is already stated in {first.source} and is shown on both pages; remove it here",
                        )
                    )
    return problems


RULES = (
    unique_value_problems,
    alias_problems,
    key_activity_problems,
    radar_order_problems,
    symmetric_pair_problems,
    examples.label_problems,
    seniority_problems,
    versions.release_date_problems,
)


def cross_problems(known: Known) -> list[Problem]:
    """Every rule that spans files, in this order."""
    return [problem for rule in RULES for problem in rule(known)]
