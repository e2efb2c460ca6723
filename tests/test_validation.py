"""Every kind of bad input gives `path:line: message`, all problems in one run, never a traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT
from macros.loader import DataError, load_handbook


@pytest.fixture
def data(tmp_path) -> Path:
    """A valid copy of the minimal data set, to break one file at a time."""
    shutil.copytree(FIXTURES / "mini" / "data", tmp_path / "data")
    return tmp_path / "data"


def problems(data: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_handbook(data, data.parent)
    return [str(p) for p in caught.value.problems]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_fixture_is_valid(data):
    handbook = load_handbook(data, data.parent)
    assert len(handbook) == 13


def test_yaml_syntax_error_names_file_and_line(data):
    edit(data / "areas/quality.yml", "type: non-technical", "type: [non-technical")
    assert any(p.startswith("data/areas/quality.yml:") and "YAML syntax error" in p for p in problems(data))
    line = next(p for p in problems(data) if "YAML syntax" in p).split(":")[1]
    assert int(line) >= 4


def test_unknown_key_is_reported_with_the_closest_field(data):
    edit(data / "areas/quality.yml", "overview:", "overveiw:")
    found = problems(data)
    assert "data/areas/quality.yml:6: unknown field 'overveiw'; did you mean 'overview'?" in " ".join(found)
    assert "data/areas/quality.yml:1: missing required field 'overview'" in found


def test_unknown_nested_key(data):
    edit(data / "activities/caching.yml", "senior: Decides", "senor: Decides")
    found = " ".join(problems(data))
    assert "unknown field 'seniority.senor'; did you mean 'senior'?" in found
    assert "missing required field 'seniority.senior'" in found


def test_wrong_type(data):
    edit(data / "phases/build.yml", "order: 2", "order: second")
    assert "data/phases/build.yml:3: order must be an integer, not 'second'" in problems(data)


def test_bad_enum_suggests_a_value(data):
    edit(data / "technologies/pytest.yml", "ring: adopt", "ring: adapt")
    found = " ".join(problems(data))
    assert "data/technologies/pytest.yml:12: radar[0].ring is 'adapt'; did you mean 'adopt'?" in found


def test_duplicate_key(data):
    edit(data / "areas/quality.yml", "order: 2\n", "order: 2\norder: 3\n")
    assert "data/areas/quality.yml:4: duplicate key 'order' (first set on line 3); keep only one" in problems(data)


def test_id_must_match_the_file_name(data):
    edit(data / "technologies/valkey.yml", "id: valkey", "id: redis")
    found = problems(data)
    assert any(
        p.startswith("data/technologies/valkey.yml:1: id 'redis' does not match the file name 'valkey.yml'")
        and "also used by data/technologies/redis.yml" in p
        for p in found
    )


def test_file_name_must_be_a_valid_id(data):
    (data / "technologies/pytest.yml").rename(data / "technologies/PyTest.yml")
    assert any(p.startswith("data/technologies/PyTest.yml:1: file name 'PyTest' is not a valid id") for p in problems(data))


def test_unknown_reference_names_the_closest_id(data):
    edit(data / "activities/caching.yml", "technologies: [redis]", "technologies: [rediss]")
    assert (
        "data/activities/caching.yml:19: technologies names unknown technology 'rediss'; did you mean 'redis'?"
        " (there is no data/technologies/rediss.yml)"
    ) in problems(data)


def test_unknown_inline_link(data):
    edit(data / "activities/caching.yml", "(technology:redis)", "(technology:reddis)")
    assert "data/activities/caching.yml:7: link to unknown technology 'reddis'; did you mean 'redis'?" in problems(data)


def test_unsafe_link_scheme_is_rejected(data):
    edit(data / "activities/caching.yml", "why_it_matters: Databases are slow.", "why_it_matters: '[x](javascript:alert(1))'")
    assert any(p.startswith("data/activities/caching.yml:12: link target 'javascript:alert(1'") for p in problems(data))


def test_relation_written_in_both_files(data):
    edit(data / "technologies/valkey.yml", "website:", "alternatives: [redis]\nwebsite:")
    assert any(
        p.startswith("data/technologies/valkey.yml:9: alternatives 'redis' is already stated in data/technologies/redis.yml")
        for p in problems(data)
    )


def test_duplicate_reference_in_a_list(data):
    edit(data / "phases/build.yml", "activities: [unit-testing]", "activities: [unit-testing, unit-testing]")
    assert any("activities names 'unit-testing' twice" in p for p in problems(data))


def test_key_activity_must_be_listed(data):
    edit(data / "phases/build.yml", "key_activities: [unit-testing]", "key_activities: [unit-testing, caching]")
    assert "data/phases/build.yml:10: key activity 'caching' must also be listed under activities" in problems(data)


def test_duplicate_title_and_order(data):
    edit(data / "areas/quality.yml", "title: Quality", "title: Architecture")
    edit(data / "areas/quality.yml", "order: 2", "order: 1")
    found = problems(data)
    assert "data/areas/quality.yml:2: title 'Architecture' is already used by data/areas/architecture.yml; choose another" in found
    assert "data/areas/quality.yml:3: order 1 is already used by data/areas/architecture.yml; choose another" in found


def test_missing_field_and_bad_date(data):
    edit(data / "categories/databases.yml", "summary: Where data lives.\n", "")
    edit(data / "categories/databases.yml", "2026-11-22", "2026-02-30")
    found = problems(data)
    assert "data/categories/databases.yml:1: missing required field 'summary'" in found
    assert any(p.startswith("data/categories/databases.yml:6: last_reviewed must be a date written YYYY-MM-DD") for p in found)


def test_radar_history_must_be_in_order(data):
    edit(data / "technologies/redis.yml", "date: 2025-01-01", "date: 2027-01-01")
    assert any(p.startswith("data/technologies/redis.yml:15: radar entries must be oldest first") for p in problems(data))


def test_empty_file(data):
    (data / "glossary/cache.yml").write_text("", encoding="utf-8")
    assert "data/glossary/cache.yml:1: the file is empty; write the entry's fields or delete the file" in problems(data)


def test_non_utf8_file(data):
    (data / "glossary/cache.yml").write_bytes("id: cache\ntitle: Caf\xe9\n".encode("latin-1"))
    assert "data/glossary/cache.yml:2: not valid UTF-8 (byte 0xe9); save the file as UTF-8" in problems(data)


def test_alias_bomb_is_refused_quickly(data):
    bomb = "a: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{n}: &{n} [{', '.join(['*' + p] * 10)}]\n" for p, n in zip("abcdefgh", "bcdefghi")
    )
    (data / "glossary/cache.yml").write_text(bomb, encoding="utf-8")
    assert any("YAML aliases expand to more than" in p for p in problems(data))


def test_python_tags_are_not_constructed(data):
    (data / "glossary/cache.yml").write_text("id: !!python/object/apply:os.system ['true']\n", encoding="utf-8")
    assert any(p.startswith("data/glossary/cache.yml:1: YAML syntax error") for p in problems(data))


def test_wrong_extension_and_stray_folder(data):
    (data / "areas/quality.yml").rename(data / "areas/quality.yaml")
    (data / "tools").mkdir()
    found = problems(data)
    assert "data/areas/quality.yaml:1: not a data file: rename it to quality.yml" in found
    assert any(p.startswith("data/tools:1: unexpected entry in data/") for p in found)


def test_every_problem_is_reported_in_one_run(data):
    edit(data / "areas/quality.yml", "overview:", "overveiw:")
    edit(data / "phases/build.yml", "order: 2", "order: second")
    (data / "glossary/cache.yml").write_text("", encoding="utf-8")
    found = problems(data)
    assert {p.split(":")[0] for p in found} >= {
        "data/areas/quality.yml",
        "data/phases/build.yml",
        "data/glossary/cache.yml",
    }
    # The term's file is there but unreadable: that is its one problem, not also "unknown" in every referrer.
    assert not any("unknown term 'cache'" in p for p in found)
    (data / "glossary/cache.yml").unlink()  # gone: now the links to it are dangling
    assert any("names unknown term 'cache'" in p for p in problems(data))


def test_check_command_exit_codes_and_output(data):
    command = [sys.executable, "-m", "macros.check", str(data)]
    ok = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert ok.returncode == 0 and ok.stdout.startswith("data OK: 13 entries")
    edit(data / "areas/quality.yml", "overview:", "overveiw:")
    edit(data / "phases/build.yml", "order: 2", "order: second")
    bad = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 1
    assert "Traceback" not in bad.stderr
    lines = bad.stderr.strip().splitlines()
    assert lines[-1] == "3 problems in the handbook's data; see CONTRIBUTING.md"
    assert all(line.split(":")[1].isdigit() for line in lines[:-1])


@pytest.mark.slow
def test_build_stops_before_writing_anything(tmp_path):
    from conftest import build_with_data

    shutil.copytree(FIXTURES / "mini" / "data", tmp_path / "src")
    edit(tmp_path / "src/areas/quality.yml", "overview:", "overveiw:")
    result, site = build_with_data(tmp_path, tmp_path / "src")
    assert result.returncode != 0
    assert "data/areas/quality.yml:6: unknown field 'overveiw'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not site.exists()


def test_an_alias_may_not_be_another_entrys_title(data):
    edit(data / "technologies/valkey.yml", "title: Valkey\n", "title: Valkey\naliases: [Redis, Valkey OSS]\n")
    assert (
        "data/technologies/valkey.yml:3: alias 'Redis' is also title of data/technologies/redis.yml: remove it, or,"
        " if both entries really answer to that name, list it under shared_aliases in both"
    ) in problems(data)


def test_an_alias_may_not_be_another_entrys_alias_in_any_case(data):
    edit(data / "technologies/valkey.yml", "title: Valkey\n", "title: Valkey\naliases:\n  - Valkey OSS\n  - key-value store\n")
    edit(data / "technologies/redis.yml", "title: Redis\n", "title: Redis\naliases: [Key-Value Store]\n")
    found = [p for p in problems(data) if "alias" in p]
    assert found == [
        "data/technologies/redis.yml:3: alias 'Key-Value Store' is also an alias of data/technologies/valkey.yml: remove it,"
        " or, if both entries really answer to that name, list it under shared_aliases in both",
        "data/technologies/valkey.yml:5: alias 'key-value store' is also an alias of data/technologies/redis.yml: remove it,"
        " or, if both entries really answer to that name, list it under shared_aliases in both",
    ]


def test_a_name_shared_on_purpose_needs_both_entries_to_say_so(data):
    edit(data / "technologies/valkey.yml", "title: Valkey\n", "title: Valkey\naliases: [KV store]\nshared_aliases: [KV store]\n")
    edit(data / "technologies/redis.yml", "title: Redis\n", "title: Redis\naliases: [KV Store]\n")
    found = [p for p in problems(data) if "alias" in p]
    assert [p.split(" is also")[0] for p in found] == [
        "data/technologies/redis.yml:3: alias 'KV Store'",
        "data/technologies/valkey.yml:3: alias 'KV store'",
    ]
    edit(data / "technologies/redis.yml", "aliases: [KV Store]\n", "aliases: [KV Store]\nshared_aliases: [kv store]\n")
    assert load_handbook(data, data.parent)
