"""Completeness: what a finished entry needs beyond its schema, reported by `make check`.

A draft may build (the site shows it, the content-health page lists what it lacks), so
these are warnings, each with what to do. tests/test_content.py calls the same rules on
data/ and fails on any of them: fix every warning before a pull request.
"""

from __future__ import annotations

from collections import Counter

from .health import WORD_FLOORS, body_words
from .model import Entity, Handbook
from .xref import CrossReference
from .yaml_source import WARNING, Problem

# Technologies with no real alternative among the handbook's pages (their text names the outside ones).
WITHOUT_ALTERNATIVE = {"git", "helm", "junit", "pytest", "k6"}
# Fields a schema leaves optional but a complete entry fills in, with how: `make new`
# writes them out (macros/scaffold.py) and CONTRIBUTING.md lists them.
EXPECTED_FIELDS = {
    "technologies": {
        "example": "A getting-started example: needed for a complete entry (`make check` warns without it).",
        "alternatives": "Needed for a complete entry, unless part_of names its suite: technologies readers compare it with.",
    },
    "activities": {
        "related": "Needed for a complete entry: activities done alongside it (or this id in their related).",
        "further_reading": "Needed for a complete entry: at least one link to read next.",
    },
}
# What a complete entry needs in other files.
ELSEWHERE = {
    "technologies": "add {id} to the technologies of an activity that uses it (data/activities/)",
    "activities": "add {id} to the activities of its phase (data/phases/)",
}
# A paragraph this long, word for word on two pages, is copied text.
REPEATED_PARAGRAPH_WORDS = 12


def _warn(entity: Entity, field: str, message: str) -> Problem:
    """A warning at ``field``'s line, or at the title's when the field is missing."""
    data = entity.data
    line = data.line_of(field) if field in data else data.line_of("title")
    return Problem(entity.source, line, message, WARNING)


def _example(candidates: list[Entity], exclude: Entity | None = None) -> str:
    """', e.g. caching or data-modeling': up to three of the most named candidates, or nothing."""
    ids = [name for name, _ in Counter(c.id for c in candidates if c is not exclude).most_common(3)]
    return f", e.g. {' or '.join(ids) if len(ids) < 3 else f'{ids[0]}, {ids[1]} or {ids[2]}'}" if ids else ""


def technology_problems(handbook: Handbook, xref: CrossReference) -> list[Problem]:
    """A technology is used by an activity, has a getting-started example and an alternative or a parent."""
    problems = []
    for tech in handbook.of("technologies"):
        # Its closest kin suggest where it belongs: alternatives and suite first, else its category.
        kin = xref.alternatives(tech) + xref.refs(tech, "part_of") + xref.parts_of(tech)
        if not kin and tech["category"]:
            kin = [t for t in handbook.of("technologies") if t["category"] == tech["category"]]
        if not xref.activities_using(tech):
            using = [a for other in kin if other is not tech for a in xref.activities_using(other)]
            # An activity the kin's own text links to ("used for [caching](activity:caching)") counts most.
            linked = {key for other in kin for key in handbook.inline_refs.get(other.key, ())}
            named = [a for a in using if a.key in linked]
            hint = _example(using + named * 2)
            problems.append(_warn(tech, "title", f"no activity lists {tech.id}: add {tech.id} to an activity's technologies{hint}"))
        if not tech["example"]:
            problems.append(_warn(tech, "example", "no getting-started example: add example: with a short command or snippet (see CONTRIBUTING.md)"))
        linked = tech["alternatives"] or xref.alternatives(tech) or tech["part_of"] or xref.parts_of(tech)
        if not linked and tech.id not in WITHOUT_ALTERNATIVE:
            hint = _example([t for t in kin if t is not tech])
            message = f"no alternative and no part_of: name a technology readers compare it with under alternatives{hint}, or its parent under part_of"
            problems.append(_warn(tech, "alternatives", message))
        elif linked and tech.id in WITHOUT_ALTERNATIVE:
            problems.append(_warn(tech, "alternatives", f"{tech.id} now has an alternative: remove it from WITHOUT_ALTERNATIVE in macros/completeness.py"))
    return problems


def activity_problems(handbook: Handbook, xref: CrossReference) -> list[Problem]:
    """An activity belongs to a phase, has related activities and further reading."""
    problems = []
    for activity in handbook.of("activities"):
        neighbours = [a for t in xref.refs(activity, "technologies") for a in xref.activities_using(t)]
        if not xref.phases_of(activity):
            hint = _example([p for a in neighbours if a is not activity for p in xref.phases_of(a)])
            problems.append(_warn(activity, "title", f"no phase lists {activity.id}: add it to a phase's activities (data/phases/){hint}"))
        if not xref.related_activities(activity):
            hint = _example(neighbours, exclude=activity)
            problems.append(_warn(activity, "related", f"no related activities: add related: [...] with activities readers do alongside it{hint}"))
        if not activity["further_reading"]:
            problems.append(_warn(activity, "further_reading", "no further reading: add further_reading with at least one title and https:// url"))
    return problems


def word_floor_problems(handbook: Handbook) -> list[Problem]:
    """Each page has the body text its kind needs (macros/health.py, WORD_FLOORS)."""
    problems = []
    for folder, (floor, fields) in WORD_FLOORS.items():
        for entity in handbook.of(folder):
            count = body_words(entity)
            if count < floor:
                problems.append(
                    _warn(entity, fields[0], f"{count} words of body text, under the floor of {floor}: write more in {', '.join(fields)}")
                )
    return problems


def structure_problems(handbook: Handbook, xref: CrossReference) -> list[Problem]:
    """Areas hold two activities or more, responsibilities lead to technologies, categories hold one, phases count 1, 2, 3..."""
    problems = []
    for area in handbook.of("areas"):
        if len(xref.activities_of_area(area)) < 2:
            problems.append(_warn(area, "title", f"fewer than 2 activities have area: {area.id}; set it on the activities that belong here"))
    for responsibility in handbook.of("responsibilities"):
        if not xref.technologies_of_activities(xref.refs(responsibility, "activities")):
            message = "none of its activities lists a technology: list activities that do, or add technologies to them"
            problems.append(_warn(responsibility, "activities", message))
    for category in handbook.of("categories"):
        if not xref.technologies_in(category):
            problems.append(_warn(category, "title", f"no technology has category: {category.id}; set it on one, or remove this category"))
    phases = handbook.of("phases")
    for expected, phase in enumerate(sorted(phases, key=lambda p: p["order"] or 0), start=1):
        if phase["order"] != expected:
            problems.append(_warn(phase, "order", f"phases are numbered 1 to {len(phases)} without gaps: set order: {expected}"))
    return problems


def _paragraphs(entity: Entity):
    for name, value in entity.data.items():
        if isinstance(value, str):
            for paragraph in value.split("\n\n"):
                yield name, paragraph


class _Separators(dict):
    """str.translate's table: a character a word is made of stays, any other becomes a space
    (looked up once per character met; a regex replacing every gap between words took twice as long)."""

    def __missing__(self, code: int) -> int:
        self[code] = code if chr(code) in WORD_CHARACTERS else 32
        return self[code]


WORD_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789#+")
_SEPARATORS = _Separators()


def _words(text: str) -> list[str]:
    return text.casefold().translate(_SEPARATORS).split()


def repeated_paragraph_problems(handbook: Handbook) -> list[Problem]:
    """No paragraph of twelve words or more appears on two pages."""
    seen: dict[str, Entity] = {}
    problems = []
    for entity in handbook.all():
        for name, paragraph in _paragraphs(entity):
            words = _words(paragraph)
            if len(words) < REPEATED_PARAGRAPH_WORDS:
                continue
            key = " ".join(words)
            first = seen.setdefault(key, entity)
            if first is not entity:
                problems.append(
                    _warn(entity, name, f"this paragraph of {name} is also in {first.source} ('{paragraph[:40]}…'): write it for this page, or link there")
                )
    return problems


def problems(handbook: Handbook, xref: CrossReference | None = None) -> list[Problem]:
    """Every completeness warning, in file and line order."""
    xref = xref or CrossReference(handbook)
    found = technology_problems(handbook, xref) + activity_problems(handbook, xref) + structure_problems(handbook, xref)
    found += word_floor_problems(handbook) + repeated_paragraph_problems(handbook)
    return sorted(found, key=lambda p: (p.path, p.line, p.message))
