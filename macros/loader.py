"""Load data/ into a validated Handbook, or fail with every problem at once."""

from __future__ import annotations

import contextlib
import datetime
import gc
from pathlib import Path

from . import synonyms
from .model import KINDS, Entity, Handbook
from .validate import all_problems, entity_problems
from .yaml_source import Problem, read_yaml


class DataError(Exception):
    """The data has problems; ``problems`` lists them all, in file and line order."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=lambda p: (p.path, p.line, p.message))
        super().__init__(self.report())

    def report(self) -> str:
        lines = [str(problem) for problem in self.problems]
        lines.append(f"{counted(self.problems)} in the handbook's data; see CONTRIBUTING.md")
        return "\n".join(lines)


def counted(problems: list[Problem]) -> str:
    """'2 problems', '1 problem and 3 warnings', '1 warning'."""
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    parts = [f"{errors} problem{'s' if errors != 1 else ''}"] if errors or not warnings else []
    parts += [f"{warnings} warning{'s' if warnings != 1 else ''}"] if warnings else []
    return " and ".join(parts)


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


@contextlib.contextmanager
def _without_cycle_collection():
    """Loading only adds objects that stay: Python's cycle collector, triggered again and
    again by the allocations, would walk them all each time (a tenth of the time at 10x data)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_handbook(data_dir: Path, root: Path | None = None, today: datetime.date | None = None, cache=None) -> Handbook:
    """Parse each data file once, validate everything, and return the handbook.

    ``root`` is the folder paths in messages are shown relative to (the project).
    Errors raise DataError; warnings (reviews overdue on ``today``) are kept in
    ``handbook.warnings``. ``cache`` (serve_data.Cache, for ``make serve``) keeps what
    files that did not change gave last time: their parse and their own checks.
    """
    with _without_cycle_collection():
        return _load(data_dir, root, today, cache)


def _load(data_dir: Path, root: Path | None, today: datetime.date | None, cache) -> Handbook:
    read, checks = (cache.read, cache.checks) if cache is not None else (read_yaml, entity_problems)
    data_dir = Path(data_dir)
    root = Path(root) if root else data_dir.parent
    problems: list[Problem] = []
    entities: list[tuple[Entity, str]] = []
    unparsed: list[tuple[str, str]] = []  # files that failed to parse: not "unknown" to their referrers
    if not data_dir.is_dir():
        raise DataError([Problem(_shown(data_dir, root), 1, "the data folder does not exist")])

    for folder in sorted(data_dir.iterdir()):
        if folder.name.startswith(".") or folder.name == "README.md" or folder.name == synonyms.FOLDER:
            continue  # data/search/ holds search data, read below
        shown = _shown(folder, root)
        kind = KINDS.get(folder.name)
        if kind is None or not folder.is_dir():
            problems.append(Problem(shown, 1, f"unexpected entry in data/: use one of the folders {', '.join(KINDS)}, {synonyms.FOLDER}"))
            continue
        for path in sorted(folder.iterdir()):
            if path.name.startswith("."):
                continue
            source = _shown(path, root)
            if path.suffix != ".yml" or not path.is_file():
                hint = f"rename it to {path.stem}.yml" if path.suffix == ".yaml" else "data files end in .yml"
                problems.append(Problem(source, 1, f"not a data file: {hint}"))
                continue
            data, found = read(path, source)
            problems += found
            if data is not None:
                entities.append((Entity(kind, path.stem, source, data), path.stem))
            else:
                unparsed.append((folder.name, path.stem))

    found, inline_refs = all_problems(entities, today, unparsed, checks)
    problems += found
    listed, found = synonyms.read(data_dir, _shown(data_dir, root), [entity for entity, _ in entities])
    problems += found
    if any(problem.is_error for problem in problems):
        raise DataError(problems)

    handbook = Handbook({folder: {} for folder in KINDS}, inline_refs)
    handbook.warnings = sorted(problems, key=lambda p: (p.path, p.line, p.message))
    handbook.synonyms = listed
    for entity, _ in sorted(entities, key=lambda pair: pair[0].sort_key()):
        handbook.entities[entity.kind.folder][entity.id] = entity
    return handbook
