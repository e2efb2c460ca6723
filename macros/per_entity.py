"""What a whole-model step derives from each file alone, kept while that file's parse is the same.

Under `make serve` a data file that did not change keeps its very parse from one rebuild to
the next (serve_data.Cache), so a step over every entry (the rules across files
examples.label_problems and seniority.seniority_problems, the health page's word counts)
derives again only the edited files' parts and then combines the parts of the whole model
as before: the same result, for a fraction of the work. A fresh load parses every file
again, so nothing of an earlier load is reused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .model import Entity


class PerEntity:
    """``derive(entity)`` for each entity, remembered by the identity of the entity's data."""

    def __init__(self, derive: Callable[[Entity], object]):
        self._derive = derive
        # id(data) -> (data, source, derived); holding the data keeps its id unique.
        self._kept: dict[int, tuple] = {}

    def __call__(self, entities: Iterable[Entity]) -> list:
        kept, self._kept = self._kept, {}  # only the last call's entities are kept
        found = []
        for entity in entities:
            hit = kept.get(id(entity.data))
            if hit is None or hit[0] is not entity.data or hit[1] != entity.source:
                hit = (entity.data, entity.source, self._derive(entity))
            self._kept[id(entity.data)] = hit
            found.append(hit[2])
        return found
