"""The "Versions and support" block: checked dates, support computed on the build's date, rechecks due."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES
from macros.health import content_health
from macros.loader import DataError, load_handbook
from macros.render import Renderer
from macros.versions import RECHECK_MONTHS, versions_of
from macros.xref import CrossReference
from test_validation import edit

D = datetime.date


@pytest.fixture
def data(tmp_path) -> Path:
    shutil.copytree(FIXTURES / "mini" / "data", tmp_path / "data")
    return tmp_path / "data"


def problems(data: Path, today: datetime.date) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_handbook(data, data.parent, today=today)
    return [str(p) for p in caught.value.problems]


def line_of(path: Path, start: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.lstrip().startswith(start))


def test_support_is_worked_out_on_the_build_date(data):
    handbook = load_handbook(data, data.parent, today=D(2026, 12, 1))
    redis = handbook.get(("technologies", "redis"))
    lines = {r.version: r.supported for r in versions_of(redis, D(2026, 12, 1)).releases}
    assert lines == {"8.4": None, "8.2": True, "7.2": False}
    later = {r.version: r.supported for r in versions_of(redis, D(2027, 7, 1)).releases}
    assert later["8.2"] is False  # the same data, read after its end of support


def test_the_page_shows_the_block(data):
    today = D(2026, 12, 1)
    pages = Renderer(load_handbook(data, data.parent, today=today), today=today).pages()
    page = pages["technologies/redis.md"]
    assert "## Versions and support" in page
    note = "[release note](https://github.com/redis/redis/releases/tag/8.4.0), checked 2026-11-22"
    assert f"Latest stable release: **8.4.0**, released 2025-11-18 ({note})." in page
    assert "| 8.2 | 2025-08-04 | supported until 2027-06-30 | [source](https://redis.io/docs/latest/" in page
    assert "| 7.2 (LTS) | 2023-08-15 | **support ended** 2026-02-28 | [source](https://example.com/redis-7.2-eol), checked 2026-11-21 |" in page
    assert "| 8.4 | 2025-11-18 | no end date published | [source](" in page
    assert "Support policy checked on 2026-11-22 against [the project's own policy or schedule](https://redis.io/" in page
    assert "due for a recheck" not in page
    valkey = pages["technologies/valkey.md"]
    assert "Latest stable release" not in valkey and "Releases are announced on the project blog." in valkey


def test_old_facts_are_a_warning_and_listed_on_the_health_page(data):
    today = D(2027, 5, 23)  # six months and a day after as_of 2026-11-22
    handbook = load_handbook(data, data.parent, today=today)
    warnings = [str(w) for w in handbook.warnings if "version facts" in w.message]
    path = data / "technologies/redis.yml"
    assert f"data/technologies/redis.yml:{line_of(path, 'as_of:')}: warning: version facts checked 6 months ago" in warnings[1]
    assert len(warnings) == 3 and f"recheck every {RECHECK_MONTHS} months" in warnings[0]
    health = content_health(handbook, CrossReference(handbook), today)
    assert [v.entity.id for v in health.stale_versions] == ["pytest", "redis", "valkey"]
    pages = Renderer(handbook, today=today).pages()
    assert "| [Redis](../technologies/redis.md) | 2026-11-22, 6 months ago |" in pages["about/health.md"]
    assert "6 months ago: due for a recheck" in pages["technologies/redis.md"]
    assert not [w for w in load_handbook(data, data.parent, today=D(2027, 5, 22)).warnings if "version facts" in w.message]


def test_dates_that_cannot_be_right(data):
    path = data / "technologies/redis.yml"
    edit(path, "as_of: 2026-11-22", "as_of: 2026-12-24")
    edit(path, "end_of_support: 2027-06-30", "end_of_support: 2024-06-30")
    found = problems(data, D(2026, 12, 1))
    as_of = line_of(path, "as_of:")
    assert f"data/technologies/redis.yml:{as_of}: versions.as_of 2026-12-24 is in the future; set it to the day you checked the facts" in found
    line = line_of(path, '- {version: "8.2"')
    assert any(p.startswith(f"data/technologies/redis.yml:{line}: release '8.2' ends support (2024-06-30) before") for p in found)


def test_latest_release_after_the_check(data):
    edit(data / "technologies/pytest.yml", "released: 2025-11-12", "released: 2026-11-30")
    assert any("versions.latest was released 2026-11-30, after as_of 2026-11-22" in p for p in problems(data, D(2026, 12, 1)))


def test_an_unquoted_version_is_explained(data):
    edit(data / "technologies/pytest.yml", 'version: "9.0.1"', "version: 9.0")
    found = " ".join(problems(data, D(2026, 12, 1)))
    assert "versions.latest.version must be a version written as quoted text, e.g. '18.1'" in found


def test_the_block_needs_its_source_and_policy(data):
    edit(data / "technologies/valkey.yml", "  source: https://valkey.io/blog/\n", "")
    assert any("missing required field 'versions.source'" in p for p in problems(data, D(2026, 12, 1)))


def test_each_fact_carries_its_evidence_on_the_health_page(data):
    today = D(2026, 12, 1)
    handbook = load_handbook(data, data.parent, today=today)
    health = content_health(handbook, CrossReference(handbook), today)
    redis = next(v for v in health.version_checks if v.entity.id == "redis")
    assert redis.oldest_check == D(2026, 11, 20) and len(redis.checks) == 4
    assert [v.entity.id for v in health.third_party_versions] == ["redis"]  # example.com is not redis.io
    assert redis.third_party_sources == ["https://example.com/redis-7.2-eol"]
    page = Renderer(handbook, today=today).pages()["about/health.md"]
    assert "| [Redis](../technologies/redis.md) | 4 | 2026-11-20 | 0 |" in page
    assert "- [Redis](../technologies/redis.md): https://example.com/redis-7.2-eol" in page


def test_a_schedule_is_not_a_release(data):
    path = data / "technologies/redis.yml"
    edit(path, '{version: "8.4", released: 2025-11-18,', '{version: "8.6", scheduled: 2026-11-30,')
    edit(path, '{version: "8.2", released: 2025-08-04,', '{version: "8.2", released: 2026-12-05,')
    edit(path, "checked: 2026-11-21}", "checked: 2026-12-09}")
    found = problems(data, D(2026, 12, 1))
    assert any("release '8.6' was scheduled for 2026-11-30, which has passed: confirm the release" in p for p in found)
    assert any("release '8.2' is dated 2026-12-05, in the future: write it as scheduled:" in p for p in found)
    assert any("release '7.2' was checked 2026-12-09, in the future" in p for p in found)
    # Before its date, a scheduled line is fine and reads as a schedule.
    edit(path, "released: 2026-12-05,", "released: 2025-08-04,")
    edit(path, "checked: 2026-12-09}", "checked: 2026-11-21}")
    today = D(2026, 11, 25)
    handbook = load_handbook(data, data.parent, today=today)
    assert "| 8.6 | scheduled for 2026-11-30 |" in Renderer(handbook, today=today).pages()["technologies/redis.md"]


def test_a_follower_shows_the_lines_of_the_train_it_ships_with(data):
    path = data / "technologies/valkey.yml"
    edit(path, "  source: https://valkey.io/blog/\n", "  source: https://valkey.io/blog/\n  follows: redis\n")
    today = D(2026, 12, 1)
    page = Renderer(load_handbook(data, data.parent, today=today), today=today).pages()["technologies/valkey.md"]
    assert "Valkey ships with [Redis](../technologies/redis.md): the release lines below are Redis's, stated once on its page." in page
    assert "| 8.2 | 2025-08-04 | supported until 2027-06-30 |" in page
    edit(path, "  follows: redis\n", "  follows: redis\n  releases:\n    - {version: '1', source: 'https://valkey.io/', checked: 2026-11-22}\n")
    assert any("versions.follows states the lines elsewhere: remove latest and releases here" in p for p in problems(data, today))
    edit(path, "  follows: redis\n", "  follows: rediss\n")
    assert any("rediss" in p and "did you mean 'redis'" in p for p in problems(data, today))


def test_pitfalls_are_a_section_of_their_own(data):
    path = data / "technologies/redis.yml"
    page = Renderer(load_handbook(data, data.parent)).pages()["technologies/redis.md"]
    assert "## Pitfalls\n\n### First pitfall\n\nWhat goes wrong first, and what to do." in page
    edit(path, '  - {title: "Third pitfall", detail: "What goes wrong third, and what to do."}\n', "")
    assert any(p.endswith("pitfalls needs at least 3 item(s)") for p in problems(data, D(2026, 12, 1)))
    edit(path, "pitfalls:\n", "")
    edit(path, '  - {title: "First pitfall", detail: "What goes wrong first, and what to do."}\n', "")
    edit(path, '  - {title: "Second pitfall", detail: "What goes wrong second, and what to do."}\n', "")
    assert any("missing required field 'pitfalls'" in p for p in problems(data, D(2026, 12, 1)))


def test_every_dated_fact_needs_its_evidence(data):
    path = data / "technologies/redis.yml"
    edit(path, ', source: "https://example.com/redis-7.2-eol", checked: 2026-11-21}', "}")
    found = problems(data, D(2026, 12, 1))
    assert any("missing required field 'versions.releases[2].source'" in p for p in found)
    assert any("missing required field 'versions.releases[2].checked'" in p for p in found)


def test_a_date_in_a_note_has_no_evidence(data):
    path = data / "technologies/redis.yml"
    edit(path, "policy: Each minor line gets fixes until the next two have shipped.", "policy: Fixes end on 2027-01-01, but `2012-08-10` is a name.")
    found = problems(data, D(2026, 12, 1))
    assert [p for p in found if "a date in a versions note or policy has no evidence beside it" in p] == [
        f"data/technologies/redis.yml:{line_of(path, 'policy:')}: a date in a versions note or policy has no evidence beside it:"
        " put it in released, scheduled or end_of_support (with the source that states it) or leave it out"
    ]


def test_two_pages_cannot_give_a_release_two_dates(data):
    """A date written beside a release anywhere must be one its versions block states."""
    path = data / "activities/caching.yml"
    text = path.read_text(encoding="utf-8")
    edit(path, "  Store results", "  Redis 8.2 shipped in August 2025 and Valkey 8.2 on 2025-08-04. Store results")
    load_handbook(data, data.parent)  # both agree with redis.yml (Valkey follows Redis below)
    path.write_text(text, encoding="utf-8")
    edit(data / "technologies/valkey.yml", "  source: https://valkey.io/blog/\n", "  source: https://valkey.io/blog/\n  follows: redis\n")
    edit(path, "  Store results", "  Redis 8.2 shipped on 2025-08-05, Valkey 8.2 in May 2025 (its `2025-01-01` tag is a name). Store")
    found = [p for p in problems(data, D(2026, 12, 1)) if "is dated" in p]
    assert found == [
        f"data/activities/caching.yml:{line_of(path, 'Redis 8.2')}: Redis 8.2 is dated 2025-08-05 here, but"
        " data/technologies/redis.yml states 2025-08-04, 2027-06-30 for it: use the date its versions block gives"
        " (with its source), or leave the date out and link the page",
        f"data/activities/caching.yml:{line_of(path, 'Redis 8.2')}: Valkey 8.2 is dated May 2025 here, but"
        " data/technologies/redis.yml states 2025-08-04, 2027-06-30 for it: use the date its versions block gives"
        " (with its source), or leave the date out and link the page",
    ]
