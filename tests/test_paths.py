"""Onboarding paths (data/paths/): validated like every kind, steps that say what to do, reverse links."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import BUILD_ENV, FIXTURES, ROOT
from macros import onboarding
from macros.loader import DataError, load_handbook
from macros.onboarding import Onboarding
from macros.page_tags import tags_of
from macros.render import Renderer
from macros.xref import CrossReference

HANDBOOK = load_handbook(ROOT / "data", ROOT)
XREF = CrossReference(HANDBOOK)
PATHS = HANDBOOK.of("paths")

# A valid path for the mini fixture data, to break one line at a time.
STARTER = """\
id: starter
title: Starter path
order: 1
audience: Everyone new
summary: A short path for the tests.
builds_on: []
stages:
  - title: Day 1
    steps:
      - id: cache-something
        title: Cache something
        activities: [caching]
        technologies: [redis]
        read: |
          [Caching](activity:caching).
        outcome: |
          A merged pull request.
        effort: 2h
      - id: test-something
        title: Test something
        activities: [unit-testing]
        terms: [cache]
        read: The unit testing page.
        outcome: A test that fails without the fix.
        effort: 30min
  - title: Day 2
    steps:
      - id: design-something
        title: Design something
        phases: [design]
        read: The design phase.
        outcome: A design note.
        effort: 1d
owners: ["backend-guild"]
last_reviewed: 2026-11-29
"""


@pytest.fixture
def data(tmp_path) -> Path:
    shutil.copytree(FIXTURES / "mini" / "data", tmp_path / "data")
    (tmp_path / "data" / "paths").mkdir()
    (tmp_path / "data" / "paths" / "starter.yml").write_text(STARTER, encoding="utf-8")
    return tmp_path / "data"


def problems_after(data: Path, old: str, new: str) -> list[str]:
    path = data / "paths" / "starter.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_handbook(data, data.parent)
    return [str(problem) for problem in caught.value.problems]


def line_of(data: Path, needle: str, nth: int = 1) -> int:
    lines = (data / "paths" / "starter.yml").read_text(encoding="utf-8").splitlines()
    return [number for number, line in enumerate(lines, 1) if needle in line][nth - 1]


# -- the shipped paths ---------------------------------------------------------
def test_the_paths_the_issue_asks_for_are_shipped():
    by_id = {path.id: path for path in PATHS}
    assert {"first-week", "first-90-days", "product-api-backend", "platform-backend"} <= set(by_id)
    assert PATHS[0].id == "first-week", "the first path (by order) is where the home page sends new hires"
    assert [stage["title"] for stage in by_id["first-90-days"]["stages"]] == ["Days 1–30", "Days 31–60", "Days 61–90"]
    for path in PATHS:
        assert len(onboarding.steps(path)) >= 8, path.source


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.id)
def test_every_step_names_entries_says_what_to_do_and_how_long(path):
    ids = [step["id"] for step in onboarding.steps(path)]
    assert len(ids) == len(set(ids)), f"{path.source}: step ids repeat"
    for step in onboarding.steps(path):
        covered = Onboarding(HANDBOOK).covered(step)
        assert covered, (path.source, step["id"])
        assert all(entity.key in {e.key for e in HANDBOOK.all()} for entity in covered)
        assert len(step["outcome"].split()) >= 12, f"{path.source} {step['id']}: the outcome is too thin to check"
        assert step["read"].strip()
        assert onboarding.minutes(step["effort"]) > 0


def test_paths_reference_the_kinds_the_issue_names():
    named = {key[0] for path in PATHS for step in onboarding.steps(path) for key in Onboarding.covered_keys(step)}
    assert named == {"activities", "technologies", "phases", "glossary"}


# -- effort --------------------------------------------------------------------
@pytest.mark.parametrize(
    "efforts, shown",
    [(["30min"], "30 minutes"), (["1h"], "1 hour"), (["1h", "30min"], "1½ hours"), (["4h", "4h"], "1 day"), (["1d", "1d", "4h"], "2½ days")],
)
def test_effort_is_summed_and_said_humanely(efforts, shown):
    assert onboarding.humane(sum(map(onboarding.minutes, efforts))) == shown


def test_stage_and_path_effort_on_the_page():
    page = Renderer(HANDBOOK).pages()["paths/first-week.md"]
    first_week = HANDBOOK.get(("paths", "first-week"))
    day_one = first_week["stages"][0]
    assert f"about {onboarding.humane(onboarding.stage_minutes(day_one))}." in page
    assert f"about {onboarding.humane(onboarding.path_minutes(first_week))} of focused work" in page


# -- validation: file:line, suggestions, every problem at once ------------------
def test_the_starter_path_is_valid(data):
    handbook = load_handbook(data, data.parent)
    assert [path.id for path in handbook.of("paths")] == ["starter"]


def test_unknown_reference_in_a_step_names_its_line_and_the_closest_id(data):
    found = problems_after(data, "activities: [caching]", "activities: [cachng]")
    assert found == [
        f"data/paths/starter.yml:{line_of(data, 'cachng')}: stages[0].steps[0].activities names unknown activity 'cachng';"
        " did you mean 'caching'? (there is no data/activities/cachng.yml)"
    ]


def test_unknown_term_phase_and_path(data):
    path = data / "paths" / "starter.yml"
    path.write_text(
        STARTER.replace("terms: [cache]", "terms: [cahce]").replace("phases: [design]", "phases: [desing]").replace(
            "builds_on: []", "builds_on: [startr]"
        ),
        encoding="utf-8",
    )
    with pytest.raises(DataError) as caught:
        load_handbook(data, data.parent)
    found = " | ".join(map(str, caught.value.problems))
    assert "stages[0].steps[1].terms names unknown term 'cahce'; did you mean 'cache'?" in found
    assert "stages[1].steps[0].phases names unknown phase 'desing'; did you mean 'design'?" in found
    assert "builds_on names unknown path 'startr'; did you mean 'starter'?" in found


def test_schema_errors_are_reported_at_their_line(data):
    path = data / "paths" / "starter.yml"
    broken = STARTER.replace("effort: 2h", "effort: 2 hours").replace("        outcome: A design note.\n", "")
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_handbook(data, data.parent)
    found = [str(problem) for problem in caught.value.problems]
    effort_line = line_of(data, "effort: 2 hours")
    step_line = line_of(data, "- id: design-something")
    assert found == [
        f"data/paths/starter.yml:{effort_line}: stages[0].steps[0].effort must be an effort such as 30min, 2h or 1d"
        " (a working day of 8 hours) (found '2 hours')",
        f"data/paths/starter.yml:{step_line}: missing required field 'stages[1].steps[0].outcome'",
    ]


def test_a_step_that_names_nothing_is_refused(data):
    found = problems_after(data, "        phases: [design]\n", "")
    assert len(found) == 1
    assert found[0].startswith(
        f"data/paths/starter.yml:{line_of(data, '- id: design-something')}: stages[1].steps[0] must name at least one of"
        " activities, technologies, phases or terms (found {'id': 'design-something'"
    )


def test_step_ids_are_unique_within_a_path(data):
    found = problems_after(data, "- id: design-something", "- id: cache-something")
    assert found == [
        f"data/paths/starter.yml:{line_of(data, 'id: cache-something', 2)}: step id 'cache-something' is already used on"
        f" line {line_of(data, 'id: cache-something')}: step ids are unique within a path (readers' progress is saved under"
        " them); choose another"
    ]


def test_step_ids_must_be_ids(data):
    found = problems_after(data, "- id: design-something", "- id: Design Something")
    assert len(found) == 1 and "stages[1].steps[0].id must be lowercase letters and digits joined by single hyphens" in found[0]


def test_stage_titles_are_unique_within_a_path(data):
    found = problems_after(data, "- title: Day 2", "- title: Day 1")
    assert found == [
        f"data/paths/starter.yml:{line_of(data, 'title: Day 1', 2)}: stage title 'Day 1' is used twice (also line"
        f" {line_of(data, 'title: Day 1')}); each stage needs its own"
    ]


def test_every_problem_is_reported_in_one_run(data):
    path = data / "paths" / "starter.yml"
    path.write_text(
        STARTER.replace("activities: [caching]", "activities: [cachng]")
        .replace("effort: 30min", "effort: soon")
        .replace("- id: design-something", "- id: test-something"),
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "macros.check", "data"], capture_output=True, text=True, cwd=data.parent, env={**BUILD_ENV, "PYTHONPATH": str(ROOT)}
    )
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len([line for line in lines if line.startswith("data/paths/starter.yml:")]) == 3, result.stderr
    assert "Traceback" not in result.stderr


# -- make new ------------------------------------------------------------------
def test_make_new_starts_a_path(tmp_path):
    shutil.copytree(FIXTURES / "mini" / "data", tmp_path / "data")
    result = subprocess.run(
        [sys.executable, "-m", "macros.scaffold", "--data", str(tmp_path / "data"), "--", "path", "payments-team"],
        capture_output=True, text=True, cwd=ROOT, env=BUILD_ENV,
    )
    assert result.returncode == 0, result.stderr
    written = yaml.safe_load((tmp_path / "data" / "paths" / "payments-team.yml").read_text(encoding="utf-8"))
    step = written["stages"][0]["steps"][0]
    assert {"id", "title", "activities", "read", "outcome", "effort"} <= set(step)


# -- reverse links, tags, export -------------------------------------------------
def test_pages_say_which_paths_include_them():
    pages = Renderer(HANDBOOK).pages()
    for path in PATHS:
        for step in onboarding.steps(path):
            for entity in Onboarding(HANDBOOK).covered(step):
                assert path in XREF.paths_including(entity)
                page = pages[entity.page]
                section = page[page.index("## Onboarding paths") :]
                assert f"](../paths/{path.id}.md#step-{step['id']})" in section, (entity.source, path.id, step["id"])
    assert "## Onboarding paths" not in pages["technologies/cassandra.md"]  # in no path


def test_paths_that_build_on_another_are_listed_on_it():
    first_week = HANDBOOK.get(("paths", "first-week"))
    assert {p.id for p in XREF.paths_building_on(first_week)} == {"first-90-days", "product-api-backend", "platform-backend"}
    assert "Continue with" in Renderer(HANDBOOK).pages()["paths/first-week.md"]


def test_path_pages_are_tagged_with_their_kind():
    assert tags_of(PATHS[0], XREF) == ["Onboarding path"]


def test_step_progress_keys_are_path_and_step_ids():
    page = Renderer(HANDBOOK).pages()["paths/first-week.md"]
    for step in onboarding.steps(HANDBOOK.get(("paths", "first-week"))):
        assert f'data-progress-key="first-week/{step["id"]}"' in page
