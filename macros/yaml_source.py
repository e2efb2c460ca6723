"""Read one YAML data file safely, remembering the line of every key and item.

Safety: libyaml's C parser with PyYAML's *safe* constructor (no Python objects
are ever built), dates kept as plain strings, duplicate keys reported instead of
silently overwritten, and a bound on how far aliases may expand, so that a
"billion laughs" file cannot exhaust memory or time in later passes.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import yaml_layout

STR_TAG = "tag:yaml.org,2002:str"
# A data file has a few hundred nodes; aliases must not expand past this.
MAX_EXPANDED_NODES = 20_000


ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one file, reported as ``path:line: message``.

    Errors stop the build; warnings (``path:line: warning: message``) are only reported.
    """

    path: str
    line: int
    message: str
    severity: str = ERROR

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def __str__(self) -> str:
        label = "" if self.is_error else f"{self.severity}: "
        return f"{self.path}:{self.line}: {label}{self.message}"


def texts(data, line: int = 1, skip: frozenset = frozenset()) -> list[tuple[int, str]]:
    """(line, text) of every string in parsed ``data``, with the line its text starts on (a
    block scalar ``|`` starts on the line after its key); keys in ``skip`` are left out."""
    found: list[tuple[int, str]] = []
    _collect_texts(data, line, skip, found)
    return found


def _collect_texts(data, line: int, skip: frozenset, found: list) -> None:
    # One list filled by plain recursion: nested generators cost a third of the rules that read every text.
    if isinstance(data, str):
        found.append((line, data))
    elif isinstance(data, dict):
        lines = data.key_lines if isinstance(data, LineDict) else {}
        for key, value in data.items():
            if key in skip:
                continue
            where = lines.get(key, line) if lines else line
            if isinstance(value, str):
                found.append((where + 1 if "\n" in value else where, value))
            else:
                _collect_texts(value, where, skip, found)
    elif isinstance(data, list):
        for item in data:
            _collect_texts(item, line, skip, found)


def field_name(path) -> str:
    """A value's place in a file, as contributors write it: 'radar[0].ring'."""
    name = ""
    for step in path:
        name += f"[{step}]" if isinstance(step, int) else (f".{step}" if name else step)
    return name or "the file"


class LineDict(dict):
    """A mapping that knows its own line and the line of each of its keys."""

    # Slots, not a __dict__ per mapping: a large handbook holds hundreds of thousands of them.
    __slots__ = ("line", "key_lines", "text_lines")
    line: int  # set by the loader, as are the two below
    key_lines: dict  # key -> line of the key
    text_lines: dict  # key -> line where the value's text starts

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A sequence that knows its own line and the line of each item."""

    __slots__ = ("line", "item_lines")
    line: int
    item_lines: list

    def line_of(self, index) -> int:
        return self.item_lines[index] if 0 <= index < len(self.item_lines) else self.line


class _Loader(yaml.CSafeLoader):
    """The C safe loader, building line-aware containers and noting duplicate keys."""

    def __init__(self, stream):
        super().__init__(stream)
        self.text = stream
        self.problems: list[tuple[int, str]] = []

    def construct_value(self, node):
        # Most values are plain strings: take them straight from the node, skipping
        # the generic constructor (the same result, in a third of the time).
        if node.tag == STR_TAG and isinstance(node, yaml.ScalarNode):
            if not node.style and node.end_mark.line > node.start_mark.line:  # plain text over several lines
                merged = yaml_layout.merged_item(self.text.split("\n"), node.start_mark.line, node.end_mark.line)
                self.problems += [merged] if merged else []
            value = node.value
            # Field names, ids, rings and levels recur in every file: one string each, not
            # one per occurrence (a tenth of a large handbook's memory).
            return sys.intern(value) if len(value) <= 40 and " " not in value else value
        return self.construct_object(node, deep=True)

    def construct_line_dict(self, node):
        data = LineDict()
        data.line = node.start_mark.line + 1
        data.key_lines = {}
        data.text_lines = {}
        yield data
        self.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = self.construct_value(key_node)
            line = key_node.start_mark.line + 1
            if not isinstance(key, str):
                self.problems.append((line, f"key {key!r} must be a word, not a {type(key).__name__}"))
                continue
            if key in data:
                self.problems.append(
                    (line, f"duplicate key '{key}' (first set on line {data.key_lines[key]}); keep only one")
                )
                continue
            data[key] = self.construct_value(value_node)
            data.key_lines[key] = line
            # Text in a block scalar ("|" or ">") starts on the line after its key.
            if getattr(value_node, "style", None) in ("|", ">"):
                data.text_lines[key] = line + 1
            else:
                data.text_lines[key] = value_node.start_mark.line + 1

    def construct_line_list(self, node):
        data = LineList()
        data.line = node.start_mark.line + 1
        data.item_lines = [item.start_mark.line + 1 for item in node.value]
        yield data
        data.extend(self.construct_value(item) for item in node.value)

    def construct_plain_timestamp(self, node):
        # A date stays the text the author wrote; the schema checks its format.
        return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_line_dict)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_line_list)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_plain_timestamp)


def _expanded_size(node, memo: dict) -> int:
    """Number of nodes the document would have with every alias written out."""
    key = id(node)
    if key not in memo:
        memo[key] = 0  # guards against recursive aliases
        if isinstance(node, yaml.MappingNode):
            size = 1 + sum(_expanded_size(k, memo) + _expanded_size(v, memo) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            size = 1 + sum(_expanded_size(item, memo) for item in node.value)
        else:
            size = 1
        memo[key] = size
    return memo[key]


def read_yaml(path: Path, shown_as: str, sequence: bool = False) -> tuple[object, list[Problem]]:
    """Parse ``path``; return its data (None when unusable) and every problem found.

    A data file is a mapping; ``sequence``: the file is a list instead (data/search/synonyms.yml).
    """

    def problem(line: int, message: str) -> tuple[None, list[Problem]]:
        return None, [Problem(shown_as, line, message)]

    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return problem(line, f"not valid UTF-8 (byte 0x{raw[error.start]:02x}); save the file as UTF-8")
    text = text.removeprefix("\ufeff")
    if not text.strip():
        return problem(1, "the file is empty; write the entry's fields or delete the file")

    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return problem(1, "the file holds only comments; write the entry's fields or delete the file")
        # Without an anchor ('&') there is no alias, so the data is no bigger than the text.
        if "&" in text and _expanded_size(node, {}) > MAX_EXPANDED_NODES:
            return problem(
                node.start_mark.line + 1,
                f"YAML aliases expand to more than {MAX_EXPANDED_NODES} values; write the values out instead",
            )
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        what = error.problem or str(error)
        if "expected a single document" in str(error.context or ""):
            what = "the file holds more than one YAML document ('---'); keep one entry per file"
        elif hint := yaml_layout.syntax_hint(text, line):
            line, what = hint[0], f"{what}; {hint[1]}"
        return problem(line, f"YAML syntax error: {what}")
    except yaml.YAMLError as error:
        return problem(1, f"YAML error: {error}")
    finally:
        loader.dispose()

    problems = [Problem(shown_as, line, message) for line, message in loader.problems]
    if sequence and not isinstance(data, LineList):
        problems.append(Problem(shown_as, 1, "the file must be a list of entries, each starting with '- '"))
        return None, problems
    if not sequence and not isinstance(data, LineDict):
        problems.append(Problem(shown_as, 1, "the file must be a mapping of field names to values"))
        return None, problems
    return data, problems
