"""Levels written for the activity: expectations that do not read as one template.

A reviewer should be able to observe each expectation in *this* activity's work. Two
signs that a level was written from a formula instead are caught here, across files:
two activities whose senior expectations open with the same words, and the same run of
content words (articles, prepositions and the like left out) in the expectations of two
different activities ("writes the decision record", "enforces it in CI").
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from .model import Entity
from .per_entity import PerEntity
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


def _parts(entity: Entity) -> tuple[list, dict]:
    """One activity's part: its senior opening as [(words, line)], and each run of content words
    in its levels as {words: (order of first use, [(level, line), ...])}."""
    block = entity.data.get("seniority")
    openings, phrases = [], {}
    for level in LEVELS if isinstance(block, dict) else ():
        if not isinstance(block.get(level), str):
            continue
        line = block.line_of(level) if isinstance(block, LineDict) else 1
        words = _words(block[level])
        if level == "senior" and len(words) >= OPENING_WORDS:
            openings.append((tuple(words[:OPENING_WORDS]), line))
        content = [word for word in words if word not in STOP_WORDS]
        for start in range(len(content) - FORMULA_WORDS + 1):
            phrases.setdefault(tuple(content[start : start + FORMULA_WORDS]), (len(phrases), []))[1].append((level, line))
    return openings, phrases


_parts_of = PerEntity(_parts)  # under `make serve`, only edited files are read again


def seniority_problems(known: dict[str, dict[str, Entity]]) -> list[Problem]:
    activities = sorted(known.get("activities", {}).values(), key=lambda e: e.source)
    parts = _parts_of(activities)
    problems = []
    openings: dict[tuple, list] = defaultdict(list)
    for entity, (opening, _) in zip(activities, parts):
        for words, line in opening:
            openings[words].append((entity, line))
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
    # Runs used by two activities or more, each with its uses in file order, in order of first use.
    owners = Counter()
    for _, phrases in parts:
        owners.update(phrases.keys())
    shared = {words for words, count in owners.items() if count > 1}
    uses: dict[tuple, list] = {}
    first_use: dict[tuple, tuple] = {}
    for rank, (entity, (_, phrases)) in enumerate(zip(activities, parts)):
        for words in shared.intersection(phrases):
            order, found = phrases[words]
            first_use.setdefault(words, (rank, order))
            uses.setdefault(words, []).extend((entity, level, line) for level, line in found)
    reported = set()
    for words in sorted(uses, key=first_use.__getitem__):
        found = uses[words]
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
