"""data/search/synonyms.yml: a reader's word for something the handbook names otherwise.

An alias (in an entry's own file) is another name for the same thing; a synonym may be
broader and lead to several entries ("pub/sub" -> messaging, Kafka, RabbitMQ). Search
ranks a synonym's entries after exact names and before full-text results
(macros/search_names.py ships them with the exact names). Each entry is::

    - term: pull request
      targets: [activity:code-reviews, activity:version-control-and-branching]

Targets use the ``kind:id`` form of the data's Markdown links. Checked with the rest of
the data (``make check``): unknown targets, a term written twice (after normalisation),
and a term that is already an entry's title, abbreviation or alias are errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .model import KIND_BY_SINGULAR, Entity
from .search_names import names_of, normalize
from .validate import _closest
from .yaml_source import LineDict, LineList, Problem, read_yaml

FOLDER = "search"  # data/search/: search data, not a kind of entry
FILE = "synonyms.yml"


@dataclass(frozen=True)
class Synonym:
    term: str
    targets: tuple[tuple[str, str], ...]  # entity keys: (folder, id)


def _entry_problems(item, line: int, known: dict[str, Entity], shown: str) -> tuple[Synonym | None, list[Problem]]:
    """One list item: its synonym, or None, and what is wrong with it."""
    if not isinstance(item, LineDict):
        return None, [Problem(shown, line, "each entry is a mapping: '- term: …' then 'targets: [kind:id, …]'")]
    problems = [
        Problem(shown, item.line_of(key), f"unknown field '{key}': an entry has only 'term' and 'targets'")
        for key in item
        if key not in ("term", "targets")
    ]
    term, targets = item.get("term"), item.get("targets")
    if not isinstance(term, str) or not normalize(term):
        problems.append(Problem(shown, item.line_of("term"), "'term' must be the words a reader types, e.g. 'term: pull request'"))
    if not isinstance(targets, list) or not targets:
        problems.append(Problem(shown, item.line_of("targets"), "'targets' must list entries as kind:id, e.g. [activity:code-reviews]"))
        return None, problems
    keys = []
    for index, target in enumerate(targets):
        where = targets.line_of(index) if isinstance(targets, LineList) else item.line_of("targets")
        if not isinstance(target, str) or target not in known:
            hint = _closest(str(target), known) or f"; write kind:id with a kind among {', '.join(KIND_BY_SINGULAR)}"
            problems.append(Problem(shown, where, f"unknown target '{target}'{hint}"))
        elif known[target].key in keys:
            problems.append(Problem(shown, where, f"target '{target}' is listed twice; keep one"))
        else:
            keys.append(known[target].key)
    if problems:
        return None, problems
    return Synonym(" ".join(term.split()), tuple(keys)), []


def read(data_dir: Path, shown_dir: str, entities: list[Entity]) -> tuple[list[Synonym], list[Problem]]:
    """The synonyms of ``data_dir``/search/synonyms.yml (none when absent) and every problem in them."""
    path = Path(data_dir) / FOLDER / FILE
    if not path.is_file():
        return [], []
    shown = f"{shown_dir}/{FOLDER}/{FILE}"
    data, problems = read_yaml(path, shown, sequence=True)
    if data is None:
        return [], problems
    known = {f"{e.kind.singular}:{e.id}": e for e in entities}
    names = {}  # normalised name -> the entry that has it
    for entity in entities:
        if not isinstance(entity.data.get("title"), str) or not isinstance(entity.data.get("aliases") or [], list):
            continue  # reported by the entry's own checks
        for name in names_of(entity):
            names.setdefault(normalize(name), entity)
    synonyms, first_line = [], {}
    for index, item in enumerate(data):
        line = data.line_of(index)
        synonym, found = _entry_problems(item, line, known, shown)
        problems += found
        if synonym is None:
            continue
        key = normalize(synonym.term)
        if key in first_line:
            problems.append(Problem(shown, line, f"'{synonym.term}' repeats the term on line {first_line[key]}: merge their targets"))
        elif key in names:
            owner = names[key]
            problems.append(
                Problem(
                    shown,
                    line,
                    f"'{synonym.term}' is already a name of {owner.source} (title, abbreviation or alias), which"
                    " search ranks first: remove the synonym",
                )
            )
        else:
            first_line[key] = line
            synonyms.append(synonym)
    return synonyms, problems
