"""Load data/ into a validated Handbook, or fail with every problem at once."""

from __future__ import annotations

from pathlib import Path

from .model import KINDS, Entity, Handbook
from .validate import all_problems
from .yaml_source import Problem, read_yaml


class DataError(Exception):
    """The data has problems; ``problems`` lists them all, in file and line order."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=lambda p: (p.path, p.line, p.message))
        super().__init__(self.report())

    def report(self) -> str:
        count = len(self.problems)
        lines = [str(problem) for problem in self.problems]
        lines.append(f"{count} problem{'s' if count != 1 else ''} in the handbook's data; see CONTRIBUTING.md")
        return "\n".join(lines)


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def load_handbook(data_dir: Path, root: Path | None = None) -> Handbook:
    """Parse each data file once, validate everything, and return the handbook.

    ``root`` is the folder paths in messages are shown relative to (the project).
    """
    data_dir = Path(data_dir)
    root = Path(root) if root else data_dir.parent
    problems: list[Problem] = []
    entities: list[tuple[Entity, str]] = []
    if not data_dir.is_dir():
        raise DataError([Problem(_shown(data_dir, root), 1, "the data folder does not exist")])

    for folder in sorted(data_dir.iterdir()):
        if folder.name.startswith(".") or folder.name == "README.md":
            continue
        shown = _shown(folder, root)
        kind = KINDS.get(folder.name)
        if kind is None or not folder.is_dir():
            problems.append(Problem(shown, 1, f"unexpected entry in data/: use one of the folders {', '.join(KINDS)}"))
            continue
        for path in sorted(folder.iterdir()):
            if path.name.startswith("."):
                continue
            source = _shown(path, root)
            if path.suffix != ".yml" or not path.is_file():
                hint = f"rename it to {path.stem}.yml" if path.suffix == ".yaml" else "data files end in .yml"
                problems.append(Problem(source, 1, f"not a data file: {hint}"))
                continue
            data, found = read_yaml(path, source)
            problems += found
            if data is not None:
                entities.append((Entity(kind, path.stem, source, data), path.stem))

    found, inline_refs = all_problems(entities)
    problems += found
    if problems:
        raise DataError(problems)

    handbook = Handbook({folder: {} for folder in KINDS}, inline_refs)
    for entity, _ in sorted(entities, key=lambda pair: pair[0].sort_key()):
        handbook.entities[entity.kind.folder][entity.id] = entity
    return handbook
