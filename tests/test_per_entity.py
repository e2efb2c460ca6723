"""The rules across files keep each unchanged file's part between `make serve` loads (macros/per_entity.py):
their report after each edit is the report of a fresh load."""

from __future__ import annotations

from pathlib import Path

from macros import serve_data
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


def test_a_serve_session_reports_what_a_fresh_load_reports_after_each_edit(data):  # noqa: F811
    cache = serve_data.Cache()
    assert _report(data, cache) == []
    seen = set()
    for path, old, new in EDITS:
        edit(data / path, old, new)
        served, fresh = _report(data, cache), _report(data)
        assert served == fresh, (path, new)
        seen.update(line.split(": ", 1)[1].split(" ")[0] for line in fresh)
    assert {"no", "example:", "seniority.senior", "seniority.mid"} <= seen, "each rule reported something on the way"
    assert _report(data, cache) == []
