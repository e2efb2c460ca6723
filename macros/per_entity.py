"""What a whole-model step derives from each file alone, kept while that file's parse is the same.

Under `make serve` a data file that did not change keeps its very parse from one rebuild to
the next (serve_data.Cache), so a step over every entry (the rules across files
examples.label_problems and seniority.seniority_problems, the health page's word counts)
derives again only the edited files' parts and then combines the parts of the whole model
as before: the same result, for a fraction of the work. A fresh load parses every file
again, so nothing of an earlier load is reused; that is why only `make serve` keeps parts
(``keep_parts``): in a build or `make check` they would only hold memory (at 50x data the
seniority rule's parts alone were about 70 MB, held through the whole generation).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .model import Entity

_keeping = False  # `make serve` turns it on (serve_mode.start)
_steps: list[PerEntity] = []


def keep_parts(on: bool) -> None:
    """Whether steps remember each file's part for the next call (only a serve session reuses
    them); turned off, what they remembered is dropped."""
    global _keeping
    _keeping = on
    if not on:
        for step in _steps:
            step._kept = {}


class PerEntity:
    """``derive(entity)`` for each entity, remembered by the identity of the entity's data."""

    def __init__(self, derive: Callable[[Entity], object]):
        self._derive = derive
        # id(data) -> (data, source, derived); holding the data keeps its id unique.
        self._kept: dict[int, tuple] = {}
        _steps.append(self)

    def __call__(self, entities: Iterable[Entity]) -> list:
        if not _keeping:
            return [self._derive(entity) for entity in entities]
        kept, self._kept = self._kept, {}  # only the last call's entities are kept
        found = []
        for entity in entities:
            hit = kept.get(id(entity.data))
            if hit is None or hit[0] is not entity.data or hit[1] != entity.source:
                hit = (entity.data, entity.source, self._derive(entity))
            self._kept[id(entity.data)] = hit
            found.append(hit[2])
        return found
