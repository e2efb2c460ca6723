"""Onboarding paths (data/paths/): effort, what each step covers, and the checks a schema cannot make.

A path is stages of steps; each step names the activities, technologies, phases and terms
it covers (validated like every other reference), says what to read and what to do, and
estimates its effort (``30min``, ``2h``, ``1d``). Readers tick steps on the path's page;
``docs/javascripts/progress.js`` saves each tick under ``<path-id>/<step-id>``, so a step
keeps its id for good and ids are unique within a path.
"""

from __future__ import annotations

import re

from .model import STEP_REFERENCES, Entity, Handbook
from .yaml_source import LineDict, LineList, Problem

EFFORT = re.compile(r"^([1-9][0-9]*)(min|h|d)$")
MINUTES_PER = {"min": 1, "h": 60, "d": 8 * 60}  # "1d" is a working day


def minutes(effort: str) -> int:
    match = EFFORT.match(effort)
    return int(match[1]) * MINUTES_PER[match[2]]


def _halves(value: float) -> str:
    """2.5 -> '2½', 3.0 -> '3' (rounded to the nearest half)."""
    whole, half = divmod(round(value * 2), 2)
    return f"{whole or ''}{'½' if half else ''}" or "0"


def humane(total: int) -> str:
    """Minutes as a reader says them: '45 minutes', '1 hour', '2½ hours', '1 day', '3½ days'."""
    if total < 60:
        return f"{total} minutes"
    if total < MINUTES_PER["d"]:
        amount, unit = _halves(total / 60), "hour"
    else:
        amount, unit = _halves(total / MINUTES_PER["d"]), "day"
    return f"{amount} {unit}{'' if amount == '1' else 's'}"


def steps(path: Entity) -> list[dict]:
    return [step for stage in path["stages"] for step in stage["steps"]]


def stage_minutes(stage: dict) -> int:
    return sum(minutes(step["effort"]) for step in stage["steps"])


def path_minutes(path: Entity) -> int:
    return sum(stage_minutes(stage) for stage in path["stages"])


def progress_key(path: Entity, step: dict) -> str:
    """Where the reader's tick for ``step`` is saved (progress.js checks the same shape)."""
    return f"{path.id}/{step['id']}"


class Onboarding:
    """Lookups for the path templates and for the "Onboarding paths" section of other pages."""

    def __init__(self, handbook: Handbook):
        self.handbook = handbook
        # (folder, id) -> [(path, stage, step)] for every step that names the entry.
        self._steps_naming: dict[tuple, list] = {}
        for path in handbook.of("paths"):
            for stage in path["stages"]:
                for step in stage["steps"]:
                    for key in self.covered_keys(step):
                        self._steps_naming.setdefault(key, []).append((path, stage, step))

    @staticmethod
    def covered_keys(step: dict) -> list[tuple[str, str]]:
        return [(folder, ref) for name, folder in STEP_REFERENCES.items() for ref in step.get(name) or []]

    def covered(self, step: dict) -> list[Entity]:
        """The entries a step names: activities, phases, technologies, terms."""
        return [self.handbook.get(key) for key in self.covered_keys(step)]

    def steps_naming(self, entity: Entity) -> list[tuple[Entity, dict, dict]]:
        """(path, stage, step) for each step that names ``entity``, in path order."""
        return self._steps_naming.get(entity.key, [])

    minutes = staticmethod(minutes)
    humane = staticmethod(humane)
    stage_minutes = staticmethod(stage_minutes)
    path_minutes = staticmethod(path_minutes)
    steps = staticmethod(steps)
    progress_key = staticmethod(progress_key)


def step_problems(path: Entity) -> list[Problem]:
    """Step ids unique within the path; stage titles unique (they are the page's headings)."""
    problems = []
    stages = path.data.get("stages")
    if not isinstance(stages, LineList):
        return problems
    step_lines: dict[str, int] = {}
    stage_lines: dict[str, int] = {}
    for stage in stages:
        if not isinstance(stage, LineDict):
            continue
        title = stage.get("title")
        if isinstance(title, str):
            line = stage.line_of("title")
            if title.casefold() in stage_lines:
                problems.append(
                    Problem(path.source, line, f"stage title '{title}' is used twice (also line {stage_lines[title.casefold()]}); each stage needs its own")
                )
            stage_lines.setdefault(title.casefold(), line)
        for step in stage.get("steps") if isinstance(stage.get("steps"), LineList) else []:
            step_id = step.get("id") if isinstance(step, LineDict) else None
            if not isinstance(step_id, str):
                continue
            line = step.line_of("id")
            if step_id in step_lines:
                problems.append(
                    Problem(
                        path.source,
                        line,
                        f"step id '{step_id}' is already used on line {step_lines[step_id]}: step ids are unique within a path"
                        " (readers' progress is saved under them); choose another",
                    )
                )
            step_lines.setdefault(step_id, line)
    return problems
