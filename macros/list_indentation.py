"""Blocks inside list items must be indented 4 spaces, or the list is cut in two.

Python-Markdown (unlike GitHub's CommonMark) keeps a paragraph, table or fenced code
block inside a list item only when it is indented 4 spaces. Indented by the width of
the marker ("1. " is 3), the block ends the list, and the next item starts a new list
numbered from 1 again. This check finds such blocks in data text, with their line.
"""

from __future__ import annotations

import re

from .model import Entity
from .yaml_source import LineDict, LineList, Problem

LIST_ITEM = re.compile(r"^ {0,3}(?:\d{1,9}[.)]|[-*+])(?: |$)")
FENCE = re.compile(r"^ *(`{3,}|~{3,})")


def _texts(data, line: int, found: list) -> list:
    """Every multi-line string that holds a list, with the line its text starts on."""
    if isinstance(data, str):
        if "\n" in data and ("1. " in data or "- " in data or "* " in data):
            found.append((data, line))
    elif isinstance(data, LineDict):
        for key, value in data.items():
            _texts(value, data.text_lines.get(key, data.line), found)
    elif isinstance(data, LineList):
        for value, item_line in zip(data, data.item_lines):
            _texts(value, item_line, found)
    return found


def misplaced_blocks(text: str) -> list[int]:
    """Offsets (in lines) of blocks that a list item was meant to hold but does not."""
    found = []
    in_list = blank_before = False
    fence = None
    for number, line in enumerate(text.split("\n")):
        if fence is not None:  # inside a code block: only its closing fence matters
            if line.strip().startswith(fence):
                fence = None
            continue
        indent = len(line) - len(line.lstrip(" "))
        opening = FENCE.match(line)
        if not line.strip():
            blank_before = True
            continue
        if LIST_ITEM.match(line):
            in_list = True
        elif in_list and 0 < indent < 4 and (blank_before or opening):
            found.append(number)
        elif indent == 0 and blank_before:
            in_list = False  # a paragraph at the margin ends the list
        if opening:
            fence = opening[1]
        blank_before = False
    return found


def problems(entity: Entity) -> list[Problem]:
    return [
        Problem(
            entity.source,
            line + offset,
            "this block is inside a list item but indented less than 4 spaces, so the list is cut in two"
            " and numbering restarts at 1: indent it 4 spaces past the list's margin",
        )
        for text, line in _texts(entity.data, entity.data.line, [])
        for offset in misplaced_blocks(text)
    ]
