"""YAML layout (macros/yaml_layout.py) and no cascade after a syntax error: `make check` names
the line at fault with an indentation hint, and only the broken file."""

from __future__ import annotations

import pytest

from macros import yaml_layout
from test_validation import data, edit, problems  # noqa: F401  (the fixture: a copy of the mini data)


def test_a_list_item_indented_past_the_dash_above_is_not_merged_silently(data):  # noqa: F811
    edit(data / "activities/unit-testing.yml", "checklist: [Tests run in CI]", "checklist:\n- Tests run in CI\n   - Coverage is measured")
    assert (
        "data/activities/unit-testing.yml:10: this line is read as more words of line 9's value, not as a new list item:"
        " line its '-' up with the '-' above (0 spaces in), or quote the value if the dash is text"
    ) in problems(data)


def test_a_key_one_level_too_shallow_is_reported_at_its_own_line(data):  # noqa: F811
    path = data / "technologies/valkey.yml"
    edit(path, "  policy: Releases", "policy: Releases")
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text.startswith("policy:"))
    assert problems(data) == [
        f"data/technologies/valkey.yml:{line}: YAML syntax error: mapping values are not allowed in this context;"
        " this key is indented 0 spaces, less than the lines around it (2), so it ends the block above"
        f" and line {line + 1} no longer fits: indent it 2 spaces"
    ]


def test_a_key_in_the_column_of_a_list_dash(data):  # noqa: F811
    edit(data / "activities/caching.yml", '  - {title: Redis docs, url: "https://redis.io/docs/latest/", type: documentation}',
         '  - title: Redis docs\n    url: "https://redis.io/docs/latest/"\n  type: documentation')
    assert problems(data) == [
        "data/activities/caching.yml:25: YAML syntax error: did not find expected '-' indicator; this key is in the column"
        " of the '-' on line 23: indent it 4 spaces to add it to that item, or write '- ' before it to start a new item"
    ]


def test_a_line_between_two_levels(data):  # noqa: F811
    edit(data / "activities/caching.yml", "seniority: {junior: Uses the cache., mid: Designs keys., senior: Decides what to cache.}",
         "seniority:\n  junior: Uses the cache.\n  mid: Designs keys.\n senior: Decides what to cache.")
    assert problems(data) == [
        "data/activities/caching.yml:21: YAML syntax error: did not find expected key; this line is indented 1 space,"
        " but the blocks open here start at 0 or 2: indent it to match the block it belongs to"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "a:\n  - title: x\n    items:\n      - y\n  - z\n",  # nesting after a key
        "a: |\n  - one\n    - nested in Markdown\n",  # text in a block scalar
        "a: >-\n  words\n   - more words\n",
    ],
)
def test_good_layouts_get_no_hint(text):
    lines = text.split("\n")
    assert all(yaml_layout.syntax_hint(text, number) is None for number in range(1, len(lines) + 1) if lines[number - 1].strip())


def test_references_to_a_file_that_failed_to_parse_are_not_unknown(data):  # noqa: F811
    edit(data / "technologies/redis.yml", "choose_when: [You need a fast cache]", "choose_when: [You need a fast cache")
    found = problems(data)
    assert [p.split(":")[0] for p in found] == ["data/technologies/redis.yml"], found  # not caching.yml's [Redis](technology:redis)
    assert "YAML syntax error" in found[0]
