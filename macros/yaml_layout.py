"""Indentation mistakes in data files, at the line that holds them, with how to fix them.

Two layouts mislead: a list item indented past the '-' above it is read as more words
of that item (YAML joins "- redis" and "   - valkey" into one item 'redis - valkey'),
and a key one level too shallow ends its block, so the parser stops a line later
("mapping values are not allowed here") without saying why.
"""

from __future__ import annotations

import re

BLOCK_SCALAR = re.compile(r"(?:^|:|-)\s*[|>][+-]?\d?\s*(?:#.*)?$")  # "key: |", "- >-": text follows
KEY = re.compile(r"^(?:- +)*[^\s#'\"-][^:#]*:(?:\s|$)")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _spaces(count: int) -> str:
    return f"{count} space{'s' if count != 1 else ''}"


def _structure(lines: list[str]) -> list[int]:
    """Indices of the lines that are YAML structure: not blank, comments or block-scalar text."""
    found, text_above = [], None  # indentation of the line opening a block scalar
    for index, line in enumerate(lines):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if text_above is not None and _indent(line) > text_above:
            continue
        text_above = _indent(line) if BLOCK_SCALAR.search(line) else None
        found.append(index)
    return found


def merged_item(lines: list[str], start: int, end: int) -> tuple[int, str] | None:
    """A plain (unquoted) value on lines start..end (0-based) that swallowed a list item."""
    for index in range(start + 1, end + 1):
        if lines[index].lstrip(" ").startswith("- ") or lines[index].strip() == "-":
            opener = lines[start]
            dash = opener.find("- ") if opener.lstrip(" ").startswith("- ") else _indent(opener)
            return (
                index + 1,
                f"this line is read as more words of line {start + 1}'s value, not as a new list item:"
                f" line its '-' up with the '-' above ({_spaces(dash)} in), or quote the value if the dash is text",
            )
    return None


def _levels(lines: list[str], above: list[int]) -> list[int]:
    """Indentations a line may take after ``above`` (structure lines, last first): the open blocks."""
    levels: list[int] = []
    for index in above:
        line = lines[index]
        indent = _indent(line)
        if levels and indent >= min(levels):
            continue
        levels.append(indent)
        item = re.match(r"^( *)((?:- +)+)", line)  # "  - title: x": keys under it line up with 'title'
        if item and len(item[0]) < len(line):
            levels.append(len(item[0]))
    return sorted(set(levels))


def syntax_hint(text: str, line: int) -> tuple[int, str] | None:
    """For a syntax error the parser put at ``line`` (1-based): the line at fault and a hint."""
    lines = text.split("\n")
    structure = [i for i in _structure(lines) if i < line]
    if not structure or structure[-1] != line - 1:
        return None
    at, before = structure[-1], structure[:-1][::-1]
    if before:
        previous = before[0]
        # A key one level too shallow, with a deeper line on each side: the fault is its own line.
        above = lines[before[1]] if len(before) > 1 else lines[previous]
        if KEY.match(lines[previous].lstrip(" ")) and _indent(lines[at]) > _indent(lines[previous]) < _indent(above):
            around = _indent(lines[at])
            return (
                previous + 1,
                f"this key is indented {_spaces(_indent(lines[previous]))}, less than the lines around it ({around}),"
                f" so it ends the block above and line {at + 1} no longer fits: indent it {_spaces(around)}",
            )
    indent = _indent(lines[at])
    item = next((i for i in before if _indent(lines[i]) <= indent), None)
    if item is not None and _indent(lines[item]) == indent and lines[item].lstrip().startswith("- ") and KEY.match(lines[at].lstrip(" ")):
        return line, (
            f"this key is in the column of the '-' on line {item + 1}: indent it {_spaces(indent + 2)} to add it"
            " to that item, or write '- ' before it to start a new item"
        )
    levels = _levels(lines, before)
    opens = before and re.search(r":\s*(#.*)?$", lines[before[0]]) and indent > _indent(lines[before[0]])
    if levels and indent not in levels and not opens:
        shown = " or ".join(map(str, levels[-2:]))
        return line, f"this line is indented {_spaces(indent)}, but the blocks open here start at {shown}: indent it to match the block it belongs to"
    return None
