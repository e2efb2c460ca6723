"""Placeholders left by `make new`: each one is an error at its own line until replaced.

Any string anywhere in a data file that contains MARKER is a placeholder. A placeholder
is often not a valid value (an enum, a URL, an id), so other errors reported on a
placeholder's line are dropped: the contributor sees one message saying what to write.
"""

from __future__ import annotations

from .model import Entity
from .yaml_source import LineDict, LineList, Problem, field_name

MARKER = "TODO(fill in)"


def placeholder(hint: str) -> str:
    """The placeholder text for a value still to write; ``hint`` says what to write."""
    return f"{MARKER}: {hint}"


def _found(text: str, line: int, path: tuple, found: list) -> None:
    start = text.find(MARKER)
    while start != -1:
        end = text.find("\n", start)
        snippet = text[start : end if end != -1 else len(text)].strip()
        found.append((line + text.count("\n", 0, start), field_name(path), snippet))
        start = text.find(MARKER, start + len(MARKER))


def _walk(data, path: tuple, found: list) -> None:
    # Strings are tested where they sit, without a call each: this walk visits every value of every file.
    if isinstance(data, LineDict):
        lines = data.text_lines
        for key, value in data.items():
            if isinstance(value, str):
                if MARKER in value:
                    _found(value, lines.get(key, data.line), (*path, key), found)
            elif isinstance(value, (LineDict, LineList)):
                _walk(value, (*path, key), found)
    elif isinstance(data, LineList):
        for index, value in enumerate(data):
            if isinstance(value, str):
                if MARKER in value:
                    _found(value, data.line_of(index), (*path, index), found)
            elif isinstance(value, (LineDict, LineList)):
                _walk(value, (*path, index), found)


def placeholder_problems(entity: Entity) -> list[Problem]:
    """One error per placeholder still in the entity's data, at the placeholder's line."""
    found: list = []
    _walk(entity.data, (), found)
    problems = []
    for line, field, snippet in found:
        shown = snippet if len(snippet) <= 80 else snippet[:77] + "..."
        problems.append(Problem(entity.source, line, f"{field} is not filled in: replace the placeholder \"{shown}\""))
    return problems


def without_shadowed(problems: list[Problem], placeholders: list[Problem]) -> list[Problem]:
    """The placeholders, and the other problems except errors on a placeholder's line."""
    if not placeholders:
        return problems
    marked = {(p.path, p.line) for p in placeholders}
    return [p for p in problems if not p.is_error or (p.path, p.line) not in marked] + placeholders
