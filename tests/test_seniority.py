"""Levels written for the activity: no shared opening, no formula repeated across pages."""

from __future__ import annotations

from macros.loader import load_handbook
from test_validation import data, edit, problems  # noqa: F401  (the fixture: a copy of the mini data)


def test_distinct_levels_pass(data):  # noqa: F811
    load_handbook(data, data.parent)


def test_two_seniors_that_open_alike_are_a_template(data):  # noqa: F811
    edit(data / "activities/caching.yml", "senior: Decides what to cache.", "senior: Writes the cache policy.")
    edit(data / "activities/unit-testing.yml", "senior: Sets the strategy.", "senior: Writes the test strategy.")
    found = problems(data)
    assert len(found) == 1
    assert found[0].startswith("data/activities/unit-testing.yml:10: seniority.senior opens with the same words as data/activities/caching.yml's")
    assert '("writes the ...")' in found[0]


def test_a_formula_shared_by_two_activities_is_reported_once_where_it_repeats(data):  # noqa: F811
    edit(data / "activities/caching.yml", "mid: Designs keys.", "mid: Designs keys and records the decision in a decision record.")
    edit(data / "activities/unit-testing.yml", "mid: Designs suites.", "mid: Designs suites; records the decision in the decision record.")
    found = problems(data)
    assert found == [
        'data/activities/unit-testing.yml:10: seniority.mid repeats the words "records decision decision" of'
        " data/activities/caching.yml (mid): a level names what is specific to this activity, not a formula shared across pages"
    ]


def test_the_same_words_in_one_activity_are_not_a_formula(data):  # noqa: F811
    edit(data / "activities/caching.yml", "mid: Designs keys.", "mid: Designs cache keys with expiry.")
    edit(data / "activities/caching.yml", "senior: Decides what to cache.", "senior: Reviews cache keys with expiry for every service.")
    load_handbook(data, data.parent)


def test_the_real_levels_have_no_template():
    from conftest import ROOT

    load_handbook(ROOT / "data", ROOT)  # raises DataError listing every shared opening or formula
