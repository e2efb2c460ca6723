"""Under GitHub Actions, `make check` also prints each problem as a workflow annotation."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BUILD_ENV, FIXTURES, ROOT
from macros.annotations import annotation, escape_data, escape_property, in_github_actions
from macros.yaml_source import WARNING, Problem

# 2027-06-01 00:00 UTC: after the fixture's reviews fall due with a 6-month interval below.
EPOCH_2027_06 = "1811808000"


def test_data_escapes_percent_and_newlines_only():
    assert escape_data("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext: a, b"
    # '%' first, or the escapes themselves would be escaped again.
    assert escape_data("%0A\n") == "%250A%0A"


def test_properties_also_escape_colon_and_comma():
    assert escape_property("a:b,c%d\ne") == "a%3Ab%2Cc%25d%0Ae"


def test_error_and_warning_commands():
    error = Problem("data/x,y:z.yml", 3, "bad: a, b 50%\nsecond line")
    assert annotation(error) == (
        "::error file=data/x%2Cy%3Az.yml,line=3,title=Handbook data error::bad: a, b 50%25%0Asecond line"
    )
    warning = Problem("data/technologies/redis.yml", 17, "due for review", WARNING)
    assert annotation(warning) == (
        "::warning file=data/technologies/redis.yml,line=17,title=Handbook data warning::due for review"
    )


@pytest.mark.parametrize("value,expected", [("true", True), ("false", False), ("", False), (None, False)])
def test_only_when_github_actions_is_true(value, expected):
    environ = {} if value is None else {"GITHUB_ACTIONS": value}
    assert in_github_actions(environ) is expected


def check(data: Path, **env) -> subprocess.CompletedProcess:
    environ = {key: value for key, value in BUILD_ENV.items() if key not in ("GITHUB_ACTIONS", "SOURCE_DATE_EPOCH")}
    return subprocess.run(
        [sys.executable, "-m", "macros.check", "data"],
        capture_output=True,
        text=True,
        cwd=data.parent,
        env={**environ, "PYTHONPATH": str(ROOT), **env},
    )


@pytest.fixture
def data(tmp_path) -> Path:
    shutil.copytree(FIXTURES / "mini" / "data", tmp_path / "data")
    return tmp_path / "data"


def test_make_check_annotates_every_error_in_github_actions(data):
    path = data / "technologies" / "pytest.yml"
    path.write_text(path.read_text().replace("ring: adopt", "ring: adapt").replace("title: pytest", "title: 'pytest: 100%'"))
    result = check(data, GITHUB_ACTIONS="true")
    assert result.returncode == 1
    report = [line for line in result.stderr.splitlines() if line.startswith("data/")]
    commands = result.stdout.splitlines()
    assert len(commands) == len(report) >= 1
    for line, command in zip(report, commands):
        file, number, message = line.split(":", 2)
        assert command == f"::error file={file},line={number},title=Handbook data error::{escape_data(message.strip())}"
    assert any("radar[0].ring is 'adapt'" in command for command in commands)


def test_no_annotations_outside_github_actions(data):
    path = data / "technologies" / "pytest.yml"
    path.write_text(path.read_text().replace("ring: adopt", "ring: adapt"))
    result = check(data)
    assert result.returncode == 1 and "::" not in result.stdout


def test_overdue_reviews_are_warning_annotations_and_exit_0(data):
    path = data / "technologies" / "valkey.yml"
    path.write_text(path.read_text() + "review_interval_months: 6\n")
    result = check(data, GITHUB_ACTIONS="true", SOURCE_DATE_EPOCH=EPOCH_2027_06)
    assert result.returncode == 0, result.stderr
    line = len(path.read_text().splitlines()) - 1  # last_reviewed, just before the override
    assert (
        f"::warning file=data/technologies/valkey.yml,line={line},title=Handbook data warning::"
        "due for review since 2027-05-22 (last reviewed 2026-11-22, 6 months ago; review every 6 months):"
        " check the page, then set last_reviewed to the date you did"
    ) in result.stdout.splitlines()
    # By then the fixture's version facts (checked 2026-11-22) are due for a recheck as well.
    assert sum("version facts checked 6 months ago" in line for line in result.stdout.splitlines()) == 3
    assert f"data/technologies/valkey.yml:{line}: warning: due for review since 2027-05-22" in result.stderr
    # 4 overdue, and the 14 completeness warnings of the small fixture (short texts, no examples).
    assert result.stdout.splitlines()[-1].startswith("data OK: 13 entries") and "18 warnings" in result.stdout
    assert sum("words of body text, under the floor" in line for line in result.stdout.splitlines()) == 8
