"""The rules across files keep each unchanged file's part between `make serve` loads (macros/per_entity.py):
their report after each edit is the report of a fresh load."""

from __future__ import annotations

from pathlib import Path

import pytest

from macros import per_entity, seniority, serve_data
from macros.loader import DataError, load_handbook
from test_validation import data, edit  # noqa: F401  (the fixture: a copy of the mini data)


def _report(folder: Path, cache=None) -> list[str]:
    try:
        load_handbook(folder, folder.parent, cache=cache)
    except DataError as error:
        return [str(problem) for problem in error.problems]
    return []


EDITS = [  # each keeps the earlier ones: problems come, move and go
    ("technologies/redis.yml", "language: console", "language: cql"),
    ("technologies/redis.yml", "title: Try it,", "title: Try it, runs: false,"),
    ("activities/caching.yml", "senior: Decides what to cache.", "senior: Writes the cache policy."),
    ("activities/unit-testing.yml", "senior: Sets the strategy.", "senior: Writes the test strategy."),
    ("activities/caching.yml", "mid: Designs keys.", "mid: Designs keys and records the decision in a decision record."),
    ("activities/unit-testing.yml", "mid: Designs suites.", "mid: Designs suites; records the decision in the decision record."),
    ("activities/caching.yml", "senior: Writes the cache policy.", "senior: Decides what to cache."),
    ("activities/unit-testing.yml", "Designs suites; records the decision in the decision record.", "Designs suites."),
    ("technologies/redis.yml", "title: Try it, runs: false,", "title: Try it,"),
    ("technologies/redis.yml", "language: cql", "language: console"),
]


@pytest.fixture
def derived(monkeypatch):
    """The activities whose seniority parts are derived, call by call."""
    calls: list[str] = []
    derive = seniority._parts_of._derive
    monkeypatch.setattr(seniority._parts_of, "_derive", lambda entity: calls.append(entity.id) or derive(entity))
    yield calls
    per_entity.keep_parts(False)


def _as_served(folder: Path, cache) -> list[str]:
    per_entity.keep_parts(True)  # as serve_mode.start does
    try:
        return _report(folder, cache)
    finally:
        per_entity._keeping = False  # a fresh load in between, its parts kept for the next serve load


def test_a_serve_session_reports_what_a_fresh_load_reports_after_each_edit(data, derived):  # noqa: F811
    cache = serve_data.Cache()
    assert _as_served(data, cache) == []
    seen = set()
    for path, old, new in EDITS:
        edit(data / path, old, new)
        fresh = _report(data)
        derived.clear()
        served = _as_served(data, cache)
        assert served == fresh, (path, new)
        # Only the edited file's part is derived again (an edit to a technology derives none).
        assert derived == ([Path(path).stem] if path.startswith("activities/") else []), (path, derived)
        seen.update(line.split(": ", 1)[1].split(" ")[0] for line in fresh)
    assert {"no", "example:", "seniority.senior", "seniority.mid"} <= seen, "each rule reported something on the way"
    assert _as_served(data, cache) == []


def test_a_build_keeps_no_part_between_loads(data, derived):  # noqa: F811
    """Outside `make serve` nothing is reused, so nothing is held (memory, at 50x data)."""
    per_entity.keep_parts(False)
    _report(data)
    first = len(derived)
    _report(data)
    assert first > 0 and len(derived) == 2 * first  # every part derived again
    assert seniority._parts_of._kept == {}
