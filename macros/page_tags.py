"""Tags of each entity page: its kind, then its place in the handbook.

Material's tags plugin shows them at the top of the page, gathers them on the tags
index (docs/tags.md), and shows them with each search result, so a reader sees what
kind of page a result is. The vocabulary is fixed by the data:

- the kind, e.g. "Activity", "Technology", "Glossary term";
- "Area: <area>" and "Phase: <phase>" on activities, and on the area or phase itself;
- "Category: <category>" and "Ring: <ring>" on technologies, and on the category itself.
"""

from __future__ import annotations

from .model import RINGS, Entity
from .xref import CrossReference



def tags_of(entity: Entity, xref: CrossReference) -> list[str]:
    tags = [entity.kind.label]
    folder = entity.kind.folder
    if folder == "activities":
        tags += [f"Area: {area.title}" for area in xref.refs(entity, "area")]
        tags += [f"Phase: {phase.title}" for phase in xref.phases_of(entity)]
    elif folder == "technologies":
        tags += [f"Category: {category.title}" for category in xref.refs(entity, "category")]
        tags.append(f"Ring: {RINGS[xref.ring(entity)]}")
    elif folder == "areas":
        tags.append(f"Area: {entity.title}")
    elif folder == "phases":
        tags.append(f"Phase: {entity.title}")
    elif folder == "categories":
        tags.append(f"Category: {entity.title}")
    return tags
