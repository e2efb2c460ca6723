"""Cross-reference index: every reverse link, computed once per build.

Relations are written once in the data (an activity names its technologies, a phase
its activities); this module derives the other direction and the transitive views
(a technology's phases, an area's technologies) so templates only look things up.
"""

from __future__ import annotations

from collections import defaultdict

from .model import STEP_REFERENCES, Entity, Handbook

# folder -> the onboarding-step field that names entries of that folder.
_STEP_FIELD_NAMING = {folder: name for name, folder in STEP_REFERENCES.items()}

Key = tuple[str, str]


class CrossReference:
    def __init__(self, handbook: Handbook):
        self.handbook = handbook
        forward: dict[Key, list[tuple[str, Key]]] = defaultdict(list)
        for entity in handbook.all():
            for name, target in entity.kind.references.items():
                for ref in entity.kind.reference_ids(entity.data, name):
                    forward[entity.key].append((name, (target, ref)))

        # "What links here": every entity that names this one, in a field or in text.
        linked_from: dict[Key, set[Key]] = defaultdict(set)
        for source, refs in forward.items():
            for _, target in refs:
                linked_from[target].add(source)
        for source, targets in handbook.inline_refs.items():
            for target in targets:
                if target != source:
                    linked_from[target].add(source)
        self._linked_from = linked_from

        self._kind_order = {folder: index for index, folder in enumerate(handbook.entities)}
        self._order: dict[Key, tuple] = {}
        self._by_field: dict[tuple[str, Key], list[Key]] = defaultdict(list)
        for source, refs in forward.items():
            for name, target in refs:
                self._by_field[(name, target)].append(source)

    # -- generic lookups ---------------------------------------------------
    def entities(self, keys) -> list[Entity]:
        """The entities for ``keys``, without repeats, in the handbook's display order."""
        unique = {key: self.handbook.get(key) for key in keys}
        return sorted(unique.values(), key=self._display_order)

    def _display_order(self, entity: Entity) -> tuple:
        # Every page sorts many lists of the same entities: each one's key is computed once.
        order = self._order.get(entity.key)
        if order is None:
            order = self._order[entity.key] = (self._kind_order[entity.kind.folder], entity.sort_key())
        return order

    def refs(self, entity: Entity, name: str) -> list[Entity]:
        """Entities named in one of ``entity``'s fields, in the order written."""
        target = entity.kind.references[name]
        return [self.handbook.get((target, ref)) for ref in entity.kind.reference_ids(entity.data, name)]

    def named_by(self, entity: Entity, name: str, folder: str) -> list[Entity]:
        """Entities of ``folder`` whose field ``name`` names ``entity``."""
        return self.entities(key for key in self._by_field[(name, entity.key)] if key[0] == folder)

    def linked_from(self, entity: Entity) -> list[Entity]:
        return self.entities(self._linked_from[entity.key])

    # -- the handbook's relations ----------------------------------------
    def phases_of(self, activity: Entity) -> list[Entity]:
        return self.named_by(activity, "activities", "phases")

    def is_key_in(self, activity: Entity, phase: Entity) -> bool:
        return activity.id in (phase.data.get("key_activities") or [])

    def activities_of_area(self, area: Entity) -> list[Entity]:
        return self.named_by(area, "area", "activities")

    def technologies_of_activities(self, activities: list[Entity]) -> list[Entity]:
        return self.entities(t.key for a in activities for t in self.refs(a, "technologies"))

    def phases_of_activities(self, activities: list[Entity]) -> list[Entity]:
        return self.entities(p.key for a in activities for p in self.phases_of(a))

    def activities_using(self, technology: Entity) -> list[Entity]:
        return self.named_by(technology, "technologies", "activities")

    def both_ways(self, entity: Entity, name: str) -> list[Entity]:
        """A symmetric relation: the entities this one names, and those that name it."""
        named = [other.key for other in self.refs(entity, name)]
        named += [other.key for other in self.named_by(entity, name, entity.kind.folder)]
        return self.entities(named)

    def related_activities(self, activity: Entity) -> list[Entity]:
        return self.both_ways(activity, "related")

    def alternatives(self, technology: Entity) -> list[Entity]:
        return self.both_ways(technology, "alternatives")

    def parts_of(self, technology: Entity) -> list[Entity]:
        return self.named_by(technology, "part_of", "technologies")

    def technologies_in(self, category: Entity) -> list[Entity]:
        return self.named_by(category, "category", "technologies")

    def responsibilities_of(self, activity: Entity) -> list[Entity]:
        return self.named_by(activity, "activities", "responsibilities")

    def terms_of(self, activity: Entity) -> list[Entity]:
        direct = [t.key for t in self.refs(activity, "terms")]
        direct += [t.key for t in self.named_by(activity, "activities", "glossary")]
        return self.entities(direct)

    def terms_of_technology(self, technology: Entity) -> list[Entity]:
        return self.named_by(technology, "technologies", "glossary")

    def phase_neighbours(self, phase: Entity) -> tuple[Entity | None, Entity | None]:
        phases = self.handbook.of("phases")
        index = phases.index(phase)
        return (phases[index - 1] if index else None, phases[index + 1] if index + 1 < len(phases) else None)

    def activity_neighbours(self, activity: Entity, phase: Entity) -> tuple[Entity | None, Entity | None]:
        """The activities before and after ``activity`` in ``phase``'s order."""
        activities = self.refs(phase, "activities")
        index = activities.index(activity)
        return (activities[index - 1] if index else None, activities[index + 1] if index + 1 < len(activities) else None)

    def paths_including(self, entity: Entity) -> list[Entity]:
        """The onboarding paths with a step that names ``entity`` (an activity, technology, phase or term)."""
        field = _STEP_FIELD_NAMING.get(entity.kind.folder)
        return self.named_by(entity, field, "paths") if field else []

    def paths_building_on(self, path: Entity) -> list[Entity]:
        return self.named_by(path, "builds_on", "paths")

    @staticmethod
    def ring(technology: Entity) -> str:
        return technology.data["radar"][-1]["ring"]
