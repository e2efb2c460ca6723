"""The handbook's data as the plain values that ``diagrams`` draws.

Phases become map steps (order, key activities, whether they run alongside the rest);
technologies become radar blips, numbered in the order of the radar page's tables,
with their category's quadrant and whether they moved in the last review. Quadrant
ids and labels come from the category schema, so the grouping is data, not code.
"""

from __future__ import annotations

from . import diagrams
from . import model
from .model import KINDS, Entity, Handbook
from .xref import CrossReference

# The rings, centre outwards, as the technology schema lists them.
RINGS = list(model.RINGS)


def quadrants() -> list[diagrams.Quadrant]:
    spec = KINDS["categories"].fields["quadrant"]
    return [diagrams.Quadrant(qid, spec["x-labels"][qid]) for qid in spec["enum"]]


def last_review(technologies: list[Entity]) -> str:
    """The date of the most recent radar review: the latest dated entry of any technology."""
    return max((t["radar"][-1]["date"] for t in technologies), default="")


def moved_from(technology: Entity, review: str) -> str | None:
    """The ring a technology left in the review of ``review``, or None if it did not move then."""
    history = technology["radar"]
    if len(history) > 1 and history[-1]["date"] == review and history[-2]["ring"] != history[-1]["ring"]:
        return history[-2]["ring"]
    return None


def page_url(to_root: str, entity: Entity) -> str:
    # Raw HTML links are not rewritten by the engine: write the final, directory-style URL.
    return f"{to_root}{entity.kind.folder}/{entity.id}/"


class Diagrams:
    """The diagrams of one build; templates and page macros call it with each page's depth."""

    def __init__(self, handbook: Handbook, xref: CrossReference):
        self.phases = handbook.of("phases")
        self.key_activities = {p.id: tuple(a.title for a in xref.refs(p, "key_activities")) for p in self.phases}
        technologies = handbook.of("technologies")
        self.review = last_review(technologies)
        self.quadrants = quadrants()
        labels = {q.id: q.label for q in self.quadrants}
        quadrant_of = {c.id: c["quadrant"] for c in handbook.of("categories")}
        order = {q.id: i for i, q in enumerate(self.quadrants)}

        def place(t: Entity):
            return (RINGS.index(xref.ring(t)), order[quadrant_of[t["category"]]], t.title.casefold(), t.id)

        # One row per technology, numbered as on the radar: ring, then quadrant, then title.
        self.rows = [
            {
                "number": number,
                "technology": t,
                "ring": xref.ring(t),
                "quadrant_id": quadrant_of[t["category"]],
                "quadrant": labels[quadrant_of[t["category"]]],
                "moved_from": moved_from(t, self.review),
            }
            for number, t in enumerate(sorted(technologies, key=place), start=1)
        ]

    def workflow_map(self, current: Entity | None = None, to_root: str = "../", text_version: bool = True) -> str:
        steps = [
            diagrams.Step(
                number=position,
                title=phase.title,
                href=page_url(to_root, phase),
                key_activities=self.key_activities[phase.id],
                alongside=bool(phase["alongside"]),
            )
            for position, phase in enumerate(self.phases, start=1)
        ]
        here = self.phases.index(current) + 1 if current is not None else None
        return diagrams.workflow_map(steps, current=here, text_version=text_version)

    def radar_rows(self, ring: str) -> list[dict]:
        return [row for row in self.rows if row["ring"] == ring]

    def radar(self, to_root: str = "../") -> str:
        blips = [
            diagrams.Blip(
                number=row["number"],
                title=row["technology"].title,
                href=page_url(to_root, row["technology"]),
                quadrant=row["quadrant_id"],
                ring=row["ring"],
                moved_from=row["moved_from"],
            )
            for row in self.rows
        ]
        return diagrams.radar(blips, self.quadrants, RINGS, self.review)
