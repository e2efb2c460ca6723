"""Completeness rules (macros/completeness.py): the same ones the content tests enforce on data/,
reported by `make check` at file:line with what to do, on the small fixture."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT
from macros import completeness
from macros.loader import load_handbook
from macros.xref import CrossReference
from test_validation import data, edit  # noqa: F401  (the fixture: a copy of the mini data)


def found(data, rule=None) -> list[str]:  # noqa: F811
    handbook = load_handbook(data, data.parent)
    xref = CrossReference(handbook)
    if rule is None:
        return [str(p) for p in completeness.problems(handbook, xref)]
    wants_xref = rule not in (completeness.word_floor_problems, completeness.repeated_paragraph_problems)
    return [str(p) for p in (rule(handbook, xref) if wants_xref else rule(handbook))]


def test_an_unused_technology_is_told_which_activity_to_join(data):  # noqa: F811
    assert found(data, completeness.technology_problems) == [
        "data/technologies/pytest.yml:2: warning: no getting-started example: add example: with a short command or snippet (see CONTRIBUTING.md)",
        "data/technologies/valkey.yml:2: warning: no activity lists valkey: add valkey to an activity's technologies, e.g. caching",
        "data/technologies/valkey.yml:2: warning: no getting-started example: add example: with a short command or snippet (see CONTRIBUTING.md)",
    ]
    edit(data / "activities/caching.yml", "technologies: [redis]", "technologies: [redis, valkey]")
    assert not any("no activity lists" in p for p in found(data, completeness.technology_problems))


def test_a_technology_needs_an_alternative_or_a_parent(data):  # noqa: F811
    edit(data / "technologies/redis.yml", "alternatives: [valkey]", "alternatives: []")
    assert (
        "data/technologies/valkey.yml:2: warning: no alternative and no part_of: name a technology readers compare it"
        " with under alternatives, e.g. redis, or its parent under part_of"
    ) in found(data, completeness.technology_problems)


def test_an_activity_needs_a_phase_related_activities_and_further_reading(data):  # noqa: F811
    edit(data / "phases/build.yml", "activities: [unit-testing]\nkey_activities: [unit-testing]", "activities: [caching]\nkey_activities: [caching]")
    edit(data / "phases/design.yml", "activities: [caching, unit-testing]", "activities: [caching]")
    edit(data / "activities/caching.yml", "related: [unit-testing]\n", "")
    assert found(data, completeness.activity_problems) == [
        "data/activities/caching.yml:2: warning: no related activities: add related: [...] with activities readers do alongside it",
        "data/activities/unit-testing.yml:2: warning: no phase lists unit-testing: add it to a phase's activities (data/phases/)",
        "data/activities/unit-testing.yml:2: warning: no related activities: add related: [...] with activities readers do alongside it",
        "data/activities/unit-testing.yml:2: warning: no further reading: add further_reading with at least one title and https:// url",
    ]


def test_areas_categories_responsibilities_and_phase_order(data):  # noqa: F811
    edit(data / "phases/build.yml", "order: 2", "order: 3")
    edit(data / "technologies/pytest.yml", "category: testing-tools", "category: databases")
    assert found(data, completeness.structure_problems) == [
        "data/areas/architecture.yml:2: warning: fewer than 2 activities have area: architecture; set it on the activities that belong here",
        "data/areas/quality.yml:2: warning: fewer than 2 activities have area: quality; set it on the activities that belong here",
        "data/categories/testing-tools.yml:2: warning: no technology has category: testing-tools; set it on one, or remove this category",
        "data/phases/build.yml:3: warning: phases are numbered 1 to 2 without gaps: set order: 2",
    ]


def test_word_floors_point_at_the_body(data):  # noqa: F811
    assert "data/glossary/cache.yml:5: warning: 11 words of body text, under the floor of 100: write more in definition" in found(
        data, completeness.word_floor_problems
    )


def test_a_paragraph_copied_to_another_page(data):  # noqa: F811
    paragraph = "Twelve words or more copied word for word from one page onto another page."
    edit(data / "activities/caching.yml", "why_it_matters: Databases are slow.", f"why_it_matters: {paragraph}")
    edit(data / "activities/unit-testing.yml", "why_it_matters: Catches regressions early.", f"why_it_matters: {paragraph}")
    assert found(data, completeness.repeated_paragraph_problems) == [
        "data/activities/unit-testing.yml:6: warning: this paragraph of why_it_matters is also in data/activities/caching.yml"
        " ('Twelve words or more copied word for wor…'): write it for this page, or link there"
    ]


def test_problems_runs_every_rule(data):  # noqa: F811
    rules = [getattr(completeness, name) for name in dir(completeness) if name.endswith("_problems")]
    assert len(rules) == 5
    assert sorted(found(data)) == sorted(p for rule in rules for p in found(data, rule))


@pytest.mark.parametrize("ok", [True, False])
def test_make_check_reports_them_as_warnings_and_exits_0(data, ok):  # noqa: F811
    if not ok:
        edit(data / "areas/quality.yml", "overview:", "overveiw:")
    result = subprocess.run([sys.executable, "-m", "macros.check", str(data)], capture_output=True, text=True, cwd=ROOT)
    assert "Traceback" not in result.stderr
    if ok:
        assert result.returncode == 0
        assert f"{data}/technologies/valkey.yml:2: warning: no activity lists valkey" in result.stderr
        assert "14 of the warnings are completeness rules `make test` enforces" in result.stderr
    else:  # errors first: completeness is judged once the data loads
        assert result.returncode == 1 and "warning" not in result.stderr
