"""Levels written for the activity: expectations that do not read as one template.

A reviewer should be able to observe each expectation in *this* activity's work. Two
signs that a level was written from a formula instead are caught here, across files:
two activities whose senior expectations open with the same words, and the same run of
content words (articles, prepositions and the like left out) in the expectations of two
different activities ("writes the decision record", "enforces it in CI").
"""

from __future__ import annotations

import re
from collections import defaultdict

from .model import Entity
from .yaml_source import LineDict, Problem

LEVELS = ("junior", "mid", "senior")
OPENING_WORDS = 2  # "Writes the ..." twice is a template
FORMULA_WORDS = 3  # the same three content words in two activities' levels are a formula
WORD = re.compile(r"[a-z0-9](?:[a-z0-9'+#-]|\.(?=[a-z0-9]))*")
# Words that carry no content: a shared run of the others is a shared formula.
STOP_WORDS = frozenset(
    "a an the and or but of to in on for with by as at from into onto its their his her it is are be"
    " that this these those each every one all so than when which who whose what before after under"
    " over not no own same can".split()
)


def _words(text: str) -> list[str]:
    return WORD.findall(re.sub(r"`[^`]*`", " code ", text.casefold()))


def _levels(activities):
    """(entity, level, line, words) of every activity's expectations."""
    for entity in sorted(activities, key=lambda e: e.source):
        block = entity.data.get("seniority")
        if not isinstance(block, dict):
            continue
        for level in LEVELS:
            if isinstance(block.get(level), str):
                line = block.line_of(level) if isinstance(block, LineDict) else 1
                yield entity, level, line, _words(block[level])


def seniority_problems(known: dict[str, dict[str, Entity]]) -> list[Problem]:
    problems = []
    openings: dict[tuple, list] = defaultdict(list)
    phrases: dict[tuple, list] = defaultdict(list)
    for entity, level, line, words in _levels(known.get("activities", {}).values()):
        if level == "senior" and len(words) >= OPENING_WORDS:
            openings[tuple(words[:OPENING_WORDS])].append((entity, line))
        content = [word for word in words if word not in STOP_WORDS]
        for start in range(len(content) - FORMULA_WORDS + 1):
            phrases[tuple(content[start : start + FORMULA_WORDS])].append((entity, level, line))
    for words, found in openings.items():
        for entity, line in found[1:]:
            first = found[0][0]
            problems.append(
                Problem(
                    entity.source,
                    line,
                    f"seniority.senior opens with the same words as {first.source}'s (\"{' '.join(words)} ...\"): "
                    "start with what a senior engineer visibly does in this activity",
                )
            )
    reported = set()
    for words, found in phrases.items():
        owners = {entity.id for entity, _, _ in found}
        if len(owners) < 2:
            continue
        first = found[0]
        for entity, level, line in found[1:]:
            if entity.id == first[0].id or (entity.id, level) in reported:
                continue
            reported.add((entity.id, level))
            problems.append(
                Problem(
                    entity.source,
                    line,
                    f"seniority.{level} repeats the words \"{' '.join(words)}\" of {first[0].source} ({first[1]}): "
                    "a level names what is specific to this activity, not a formula shared across pages",
                )
            )
    return problems
