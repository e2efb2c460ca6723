"""`make serve` keeps the parsed handbook between rebuilds: only files that changed are parsed again.

A ``Cache`` is handed to ``loader.load_handbook``. It keeps each data file's parse (by
modification time and size) and the result of the file's own checks
(``validate.entity_problems``), which read only the file itself, the set of ids and today's
date; the rules across files run every time on the whole model (two of them keep each
unchanged file's part: per_entity.py). So the handbook a rebuild sees, and the problems
it reports, are exactly those of a fresh load.
"""

from __future__ import annotations

from pathlib import Path

from .validate import entity_problems
from .yaml_source import read_yaml


class Cache:
    def __init__(self):
        self._files: dict[Path, tuple] = {}  # path -> (stamp, data, parse problems)
        self._checks: dict[str, tuple] = {}  # source -> (data, what its checks saw, their result)
        self._seen: tuple | None = None  # (id of this load's dict of ids, the ids frozen)
        self.parsed: list[str] = []  # files parsed by the last load

    def start(self) -> None:
        """Before each load: forget which files the previous load parsed."""
        self.parsed = []

    def read(self, path: Path, source: str):
        status = path.stat()
        stamp = (status.st_mtime_ns, status.st_size, status.st_ino)
        kept = self._files.get(path)
        if kept is not None and kept[0] == stamp:
            return kept[1], kept[2]
        data, problems = read_yaml(path, source)
        self._files[path] = (stamp, data, problems)
        self.parsed.append(source)
        return data, problems

    def checks(self, entity, stem: str, sources: dict, known: dict, today):
        if self._seen is None or self._seen[0] != id(known):  # once per load: which ids exist
            ids = (frozenset(sources.items()), frozenset((folder, name) for folder, names in known.items() for name in names))
            self._seen = (id(known), self._seen[1] if self._seen is not None and self._seen[1] == ids else ids)
        inputs = (self._seen[1], today, stem)
        kept = self._checks.get(entity.source)
        # The same parse, and the same ids (the very object: comparing them would cost more than the checks).
        if kept is not None and kept[0] is entity.data and kept[1][0] is inputs[0] and kept[1][1:] == inputs[1:]:
            return kept[2]
        result = entity_problems(entity, stem, sources, known, today)
        self._checks[entity.source] = (entity.data, inputs, result)
        return result
