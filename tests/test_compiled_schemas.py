"""Schema checks compiled once and kept in .cache/ (macros/compiled_schemas.py) judge as fastjsonschema does."""

from __future__ import annotations

import datetime

import fastjsonschema
import pytest

from macros import compiled_schemas

SCHEMA = {
    "type": "object",
    "required": ["id", "date"],
    "properties": {"id": {"type": "string", "pattern": "^[a-z-]+$"}, "date": {"type": "string", "format": "date"}},
    "additionalProperties": False,
}
FORMATS = {"date": lambda value: bool(datetime.date.fromisoformat(value))}
CASES = [
    ({"id": "redis", "date": "2026-12-08"}, True),
    ({"id": "Redis", "date": "2026-12-08"}, False),
    ({"id": "redis", "date": "08/12/2026"}, False),
    ({"id": "redis"}, False),
    ({"id": "redis", "date": "2026-12-08", "extra": 1}, False),
]


def _passes(check, data) -> bool:
    try:
        check(data)
    except (fastjsonschema.JsonSchemaException, ValueError):
        return False
    return True


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setattr(compiled_schemas, "FOLDER", tmp_path / "schemas")
    return tmp_path / "schemas"


def test_the_cached_check_judges_as_a_fresh_compile(folder):
    fresh = fastjsonschema.compile(SCHEMA, formats=FORMATS, detailed_exceptions=False)
    first = compiled_schemas.compiled(SCHEMA, FORMATS)  # compiled and saved
    assert len(list(folder.iterdir())) == 1
    again = compiled_schemas.compiled(SCHEMA, FORMATS)  # read back
    for data, valid in CASES:
        assert _passes(fresh, data) is _passes(first, data) is _passes(again, data) is valid, data


def test_an_edited_schema_is_compiled_afresh_and_a_broken_cache_file_again(folder):
    compiled_schemas.compiled(SCHEMA, FORMATS)
    stricter = {**SCHEMA, "properties": {**SCHEMA["properties"], "id": {"type": "string", "maxLength": 3}}}
    assert not _passes(compiled_schemas.compiled(stricter, FORMATS), {"id": "redis", "date": "2026-12-08"})
    assert len(list(folder.iterdir())) == 2
    for path in folder.iterdir():
        path.write_bytes(b"not marshal data")
    assert _passes(compiled_schemas.compiled(SCHEMA, FORMATS), {"id": "redis", "date": "2026-12-08"})
