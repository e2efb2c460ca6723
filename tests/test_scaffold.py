"""`make new`: a data file from its kind's schema, whose placeholders `make check` reports until filled."""

from __future__ import annotations

import datetime
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import BUILD_ENV, FIXTURES, ROOT
from macros import completeness, freshness, scaffold
from macros.loader import DataError, load_handbook
from macros.model import KINDS
from macros.placeholders import MARKER
from macros.render import Renderer

TODAY = datetime.date(2026, 11, 29)
SINGULARS = [kind.singular for kind in KINDS.values()]


@pytest.fixture
def data(tmp_path, monkeypatch) -> Path:
    shutil.copytree(FIXTURES / "mini" / "data", tmp_path / "data")
    monkeypatch.setattr(freshness, "today", lambda: TODAY)
    return tmp_path / "data"


def run_new(data: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "macros.scaffold", "--data", str(data), "--", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=BUILD_ENV,
    )


def files(data: Path) -> set[Path]:
    return {path for path in data.rglob("*") if path.is_file()}


def marked_lines(path: Path) -> list[int]:
    """Lines of the file holding a placeholder outside a comment."""
    return [
        number
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if MARKER in line and not line.lstrip().startswith("#")
    ]


def missing_required(schema: dict, data: dict, resolve, prefix: str = "") -> list[str]:
    """Every required field, however nested, that is missing from ``data``."""
    missing = []
    for name in schema.get("required", []):
        if name not in data:
            missing.append(prefix + name)
            continue
        spec, value = resolve(schema["properties"][name])[0], data[name]
        if spec.get("type") == "object":
            missing += missing_required(spec, value, resolve, f"{prefix}{name}.")
        elif spec.get("type") == "array" and resolve(spec.get("items", {}))[0].get("type") == "object":
            for item in value:
                missing += missing_required(resolve(spec["items"])[0], item, resolve, f"{prefix}{name}[].")
    return missing


def fill(text: str, data: Path) -> str:
    """Replace each placeholder with a valid value, following what the placeholder asks for."""
    counter = iter(range(900, 10_000))

    def value(hint: str) -> str:
        if hint.startswith("one of "):
            return hint.removeprefix("one of ").split(", ")[0]
        if match := re.fullmatch(r"an id from data/([a-z]+)/", hint):
            ids = sorted(path.stem for path in (data / match[1]).glob("*.yml"))
            return sorted(ids, key=lambda i: i == "brand-new")[0]  # another entry's id when there is one
        if hint.startswith("a Pygments lexer name"):
            return "python"
        if hint.startswith("a whole number"):
            return str(next(counter))
        if hint.startswith("an https:// address"):
            return "https://example.org/docs/"
        if hint.startswith("a GitHub handle"):
            return "backend-guild"
        if hint.startswith("an effort"):
            return "2h"
        if "lowercase words joined by hyphens" in hint:  # an id inside the file (a path's step)
            return f"step-{next(counter)}"
        return f"Filled in {hint.rstrip('.')} number {next(counter)}"

    def quoted(hint: str) -> str:  # free text stays a quoted scalar: hints may hold colons
        filled = value(hint)
        return json.dumps(filled) if filled.startswith("Filled in") else filled

    text = re.sub(r'"TODO\(fill in\): ([^"]*)"', lambda m: quoted(m[1]), text)
    return re.sub(r"^(\s+)TODO\(fill in\): (.*)$", lambda m: m[1] + value(m[2]), text, flags=re.M)


@pytest.mark.parametrize("kind", SINGULARS)
def test_creates_a_file_with_every_required_field(data, kind):
    path = scaffold.create(kind, "brand-new", data)
    folder = scaffold.find_kind(kind).folder
    assert path == data / folder / "brand-new.yml"
    parsed = yaml.safe_load(path.read_text(encoding="utf-8"))
    schema = KINDS[folder].schema
    assert not missing_required(schema, parsed, scaffold._Schema(KINDS[folder]).resolve)
    assert parsed["id"] == "brand-new"
    assert str(parsed["last_reviewed"]) == "2026-11-29"
    # Optional fields are there as comments, so they can be uncommented; those a complete
    # entry needs (`make check` warns without them) are written out, like required ones.
    text = path.read_text(encoding="utf-8")
    expected = set(completeness.EXPECTED_FIELDS.get(folder, {}))
    for name in set(schema["properties"]) - set(schema["required"]) - expected:
        assert re.search(rf"^# {name}:", text, re.M), f"optional field {name} is not offered"
        assert name not in parsed
    assert expected <= set(parsed)
    if folder in completeness.ELSEWHERE:  # what the entry needs in other files
        assert completeness.ELSEWHERE[folder].format(id="brand-new") in text


def test_kind_by_folder_or_singular_name(data):
    assert scaffold.create("technologies", "one", data) == data / "technologies" / "one.yml"
    assert scaffold.create("technology", "two", data) == data / "technologies" / "two.yml"
    assert scaffold.create("glossary", "three", data) == data / "glossary" / "three.yml"
    assert scaffold.create("term", "four", data) == data / "glossary" / "four.yml"


@pytest.mark.parametrize("kind", SINGULARS)
def test_untouched_output_fails_check_at_each_placeholder_line_only(data, kind):
    path = scaffold.create(kind, "brand-new", data)
    shown = path.relative_to(data.parent).as_posix()
    with pytest.raises(DataError) as caught:
        load_handbook(data, data.parent, today=TODAY)
    problems = caught.value.problems
    # One error per placeholder, at its line, and no other error (an enum, URL or
    # number placeholder would otherwise also be reported as an invalid value).
    assert {p.path for p in problems} == {shown}
    assert sorted(p.line for p in problems) == marked_lines(path)
    for problem in problems:
        assert problem.is_error
        assert re.fullmatch(r"[a-z_\[\]0-9.]+ is not filled in: replace the placeholder \"TODO\(fill in\): .+\"", problem.message), problem


@pytest.mark.parametrize("kind", SINGULARS)
def test_filled_in_output_is_valid_and_renders(data, kind):
    path = scaffold.create(kind, "brand-new", data)
    path.write_text(fill(path.read_text(encoding="utf-8"), data), encoding="utf-8")
    handbook = load_handbook(data, data.parent, today=TODAY)
    entity = handbook.get((scaffold.find_kind(kind).folder, "brand-new"))
    assert not handbook.warnings
    page = Renderer(handbook, today=TODAY).pages()[entity.page]
    assert MARKER not in page and "Filled in" in page


def test_a_placeholder_inside_text_is_reported_at_its_own_line(data):
    target = data / "activities" / "caching.yml"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("  2. Invalidate on write.", f"  2. {MARKER}: the second step"), encoding="utf-8")
    line = next(n for n, row in enumerate(target.read_text().splitlines(), 1) if MARKER in row)
    with pytest.raises(DataError) as caught:
        load_handbook(data, data.parent, today=TODAY)
    assert [str(p) for p in caught.value.problems] == [
        f'data/activities/caching.yml:{line}: practices is not filled in: replace the placeholder "{MARKER}: the second step"'
    ]


def test_the_command_line_writes_one_file(data):
    before = files(data)
    result = run_new(data, "technology", "kafka-streams")
    assert result.returncode == 0, result.stderr
    assert files(data) - before == {data / "technologies" / "kafka-streams.yml"}
    assert "make check" in result.stdout and "/technologies/kafka-streams/" in result.stdout


@pytest.mark.parametrize(
    "args,message",
    [
        (("technology", "redis"), "data/technologies/redis.yml already exists: edit it, or choose another id"),
        (("technologies", "redis"), "already exists"),
        (("technology", "Kafka_Streams"), "'Kafka_Streams' is not a valid id: use lowercase words"),
        (("technology", "kafka--streams"), "is not a valid id"),
        (("technology", "-kafka"), "is not a valid id"),
        (("technology", "index"), "'index' is reserved"),
        (("tech", "kafka"), "unknown kind 'tech': use one of phase (phases), area (areas)"),
        (("widgets", "kafka"), "unknown kind 'widgets'"),
        (("technology",), "usage: make new KIND=<kind> ID=<id>"),
        ((), "usage: make new KIND=<kind> ID=<id>"),
    ],
)
def test_refuses_with_one_line_and_writes_nothing(data, args, message):
    before = {path: path.read_bytes() for path in files(data)}
    result = run_new(data, *args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stderr.startswith("make new: ") and message in result.stderr, result.stderr
    assert {path: path.read_bytes() for path in files(data)} == before


def test_make_check_reports_placeholders_as_file_and_line(data):
    scaffold.create("area", "platform", data)
    result = subprocess.run(
        [sys.executable, "-m", "macros.check", "data"],
        capture_output=True,
        text=True,
        cwd=data.parent,  # paths in messages are shown from here, as from the repository's root
        env={**BUILD_ENV, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert 'data/areas/platform.yml:9: type is not filled in: replace the placeholder "TODO(fill in): one of technical, non-technical"' in lines
    assert lines[-1].startswith(f"{len(marked_lines(data / 'areas' / 'platform.yml'))} problems")
