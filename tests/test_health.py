"""Review intervals, the content health page and the overdue banner, on fixture data with fixed dates."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

import conftest
from conftest import FIXTURES, build_with_data
from macros import freshness
from macros.check import main as check_main
from macros.health import WORD_FLOORS, content_health, edit_urls, untitled
from macros.loader import load_handbook
from macros.model import KINDS
from macros.render import Renderer
from macros.xref import CrossReference

D = datetime.date
TODAY = D(2027, 1, 25)
EDIT = edit_urls("https://github.com/backend-handbook/handbook", "edit/main/docs/")
LONG_TEXT = " ".join(["word"] * 60)


def set_field(path: Path, name: str, value: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = [line for line in lines if not line.startswith(f"{name}:")] + [f"{name}: {value}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def data(tmp_path) -> Path:
    """The mini data set with reviews of various ages, owners, and a few gaps to find."""
    shutil.copytree(FIXTURES / "mini" / "data", tmp_path / "data")
    data = tmp_path / "data"
    set_field(data / "technologies/redis.yml", "last_reviewed", "2025-11-03")  # 14 months before TODAY
    set_field(data / "technologies/redis.yml", "owners", "['@octocat', backend-guild]")
    set_field(data / "activities/caching.yml", "last_reviewed", "2024-06-10")  # the oldest
    set_field(data / "glossary/cache.yml", "last_reviewed", "2025-11-03")  # 14 months, but terms wait 24
    set_field(data / "areas/quality.yml", "last_reviewed", "2026-01-24")
    set_field(data / "areas/quality.yml", "review_interval_months", "12")  # due 2027-01-24: one day overdue
    set_field(data / "phases/build.yml", "last_reviewed", "2026-01-25")
    set_field(data / "phases/build.yml", "review_interval_months", "12")  # due on TODAY: not yet overdue
    # An activity with no technology and no phase, long enough for its word floor (250).
    (data / "activities/on-call.yml").write_text(
        "id: on-call\ntitle: On call\narea: quality\nsummary: Answer the pager.\n"
        + "".join(f"{name}: {LONG_TEXT}\n" for name in ("overview", "why_it_matters", "practices"))
        + f"checklist: [{LONG_TEXT}]\npitfalls: [{LONG_TEXT}]\n"
        + "seniority: {junior: Learns., mid: Leads., senior: Decides.}\n"
        + "further_reading:\n  - {title: 'https://sre.google/books/', url: 'https://sre.google/books/', type: book}\n"
        + "owners: [sre-team]\nlast_reviewed: 2026-12-01\n",
        encoding="utf-8",
    )
    return data


@pytest.fixture
def handbook(data):
    return load_handbook(data, data.parent, today=TODAY)


@pytest.mark.parametrize(
    "start,months,expected",
    [(D(2026, 1, 31), 1, D(2026, 2, 28)), (D(2028, 1, 31), 1, D(2028, 2, 29)), (D(2026, 11, 22), 2, D(2027, 1, 22))],
)
def test_add_months_keeps_the_day_or_the_month_end(start, months, expected):
    assert freshness.add_months(start, months) == expected


@pytest.mark.parametrize(
    "start,end,months",
    [
        (D(2025, 11, 3), D(2027, 1, 25), 14),
        (D(2025, 11, 26), D(2027, 1, 25), 13),
        (D(2026, 1, 31), D(2026, 2, 28), 1),
        (D(2026, 1, 31), D(2026, 2, 27), 0),
        (D(2026, 5, 1), D(2026, 4, 1), 0),
    ],
)
def test_whole_months_counts_completed_months(start, end, months):
    assert freshness.whole_months(start, end) == months


@pytest.mark.parametrize(
    "months,text",
    [(0, "less than a month ago"), (1, "a month ago"), (14, "14 months ago"), (24, "2 years ago"), (30, "over 2 years ago")],
)
def test_ages_read_like_a_person_would_say_them(months, text):
    assert freshness.months_ago(months) == text


def test_today_comes_from_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1811808000")
    assert freshness.today() == D(2027, 6, 1)


def test_intervals_per_kind_with_a_file_override(handbook):
    assert freshness.interval_of(handbook.get(("technologies", "redis"))) == KINDS["technologies"].review_months
    assert freshness.interval_of(handbook.get(("areas", "quality"))) == 12
    assert KINDS["areas"].review_months == 24  # so 12 is the file's own


def test_overdue_entries_are_warnings_not_errors(handbook, data):
    assert [(p.path, p.severity) for p in handbook.warnings] == [
        ("data/activities/caching.yml", "warning"),
        ("data/areas/quality.yml", "warning"),
        ("data/technologies/redis.yml", "warning"),
    ]
    redis = next(p for p in handbook.warnings if "redis" in p.path)
    lines = (data / "technologies/redis.yml").read_text(encoding="utf-8").splitlines()
    assert lines[redis.line - 1].startswith("last_reviewed:")
    assert "last reviewed 2025-11-03, 14 months ago" in redis.message


def test_make_check_prints_warnings_and_exits_0(data, monkeypatch, capsys):
    monkeypatch.setattr(freshness, "today", lambda: TODAY)
    monkeypatch.chdir(data.parent)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    assert check_main(["data"]) == 0
    out, err = capsys.readouterr()
    assert err.count(": warning: due for review since") == 3
    # The 3 overdue reviews, and the 15 completeness warnings of this small data set.
    assert "data/activities/caching.yml:" in err and "14 entries" in out and "18 warnings" in out
    assert "15 of the warnings are completeness rules" in err


def test_content_health(handbook):
    health = content_health(handbook, CrossReference(handbook), TODAY)
    assert [(r.entity.id, r.reviewed, r.age, r.due) for r in health.overdue] == [
        ("caching", D(2024, 6, 10), "over 2 years ago", D(2025, 6, 10)),
        ("redis", D(2025, 11, 3), "14 months ago", D(2026, 11, 3)),
        ("quality", D(2026, 1, 24), "12 months ago", D(2027, 1, 24)),
    ]
    assert health.next_due == D(2027, 1, 25) and health.next_due_count == 1  # the build phase, due today
    assert [t.id for t in health.unused_technologies] == ["valkey"]
    assert [a.id for a in health.activities_without_technology] == ["on-call"]
    assert [a.id for a in health.activities_without_phase] == ["on-call"]
    short = {(p.entity.id, p.floor) for p in health.short_pages}
    assert ("on-call", 250) not in short and ("caching", 250) in short and ("redis", 150) in short
    assert {p.entity.kind.folder for p in health.short_pages} == set(WORD_FLOORS)
    assert [(e.id, ref["url"]) for e, ref in health.untitled_links] == [("on-call", "https://sre.google/books/")]
    assert [(o.name, o.entries, o.overdue) for o in health.owners] == [
        ("backend-guild", 13, 3),
        ("@octocat", 1, 1),
        ("sre-team", 1, 0),
    ]


def test_untitled_further_reading():
    assert untitled({"title": "redis.io/docs", "url": "https://redis.io/docs/"})
    assert untitled({"title": "www.example.org", "url": "https://example.org/"})
    assert not untitled({"title": "Node.js documentation", "url": "https://nodejs.org/docs/"})


def test_health_page_and_banner_in_markdown(handbook):
    pages = Renderer(handbook, today=TODAY, edit_url=EDIT).pages()
    health = pages["about/health.md"]
    rows = [line for line in health.splitlines() if line.startswith("| [")]
    assert [row.split("]")[0] for row in rows[:3]] == ["| [Caching", "| [Redis", "| [Quality"]
    assert "| 2025-11-03, 14 months ago | 2026-11-03 | @octocat, backend-guild |" in rows[1]
    banner = (
        '!!! note hb-review-due ""\n    Last reviewed 14 months ago — '
        "[help review it](https://github.com/backend-handbook/handbook/edit/main/data/technologies/redis.yml)."
    )
    assert banner in pages["technologies/redis.md"]
    assert "hb-review-due" not in pages["technologies/valkey.md"] and "hb-review-due" not in pages["phases/build.md"]


def test_nothing_overdue_names_the_next_due_date(data):
    for path in data.rglob("*.yml"):
        set_field(path, "last_reviewed", "2026-11-22")
    handbook = load_handbook(data, data.parent, today=TODAY)
    page = Renderer(handbook, today=TODAY).pages()["about/health.md"]
    assert "Nothing is overdue. The next review falls due on 2027-11-22 (8 entries)." in page


def test_edit_urls_match_mkdocs():
    class Kind:
        folder = "technologies"

    class Entity:
        kind, id = Kind(), "redis"

    assert EDIT(Entity()) == "https://github.com/backend-handbook/handbook/edit/main/data/technologies/redis.yml"
    assert edit_urls("https://gitlab.com/a/b/", "-/edit/main/docs/")(Entity()) == "https://gitlab.com/a/b/-/edit/main/data/technologies/redis.yml"
    assert edit_urls("https://x.org/r", None, "src/{path}?mode=edit")(Entity()) == "https://x.org/r/data/technologies/redis.yml?mode=edit"
    assert edit_urls(None, None)(Entity()) is None


@pytest.mark.slow
def test_overdue_banner_on_a_built_page(tmp_path, data, monkeypatch):
    """A real strict build: overdue pages carry the banner, linking where "Edit this page" does."""
    monkeypatch.setitem(conftest.BUILD_ENV, "SOURCE_DATE_EPOCH", "1800835200")  # 2027-01-25 UTC
    result, site = build_with_data(tmp_path / "project", data)
    assert result.returncode == 0, result.stderr  # overdue reviews never fail --strict
    page = BeautifulSoup((site / "technologies/redis/index.html").read_text(encoding="utf-8"), "lxml")
    banner = page.select_one("article .admonition.hb-review-due")
    assert banner is not None and banner.get_text(" ", strip=True) == "Last reviewed 14 months ago — help review it ."
    edit = page.select_one("a.md-content__button[rel=edit]")["href"]
    assert banner.a["href"] == edit == "https://github.com/backend-handbook/handbook/edit/main/data/technologies/redis.yml"
    assert page.select_one("article h1").find_next_sibling() is banner  # at the top, under the title
    fresh = BeautifulSoup((site / "technologies/valkey/index.html").read_text(encoding="utf-8"), "lxml")
    assert fresh.select_one(".hb-review-due") is None
    health = BeautifulSoup((site / "about/health/index.html").read_text(encoding="utf-8"), "lxml")
    cells = [[td.get_text(strip=True) for td in tr.select("td")] for tr in health.select("article table")[0].select("tr")[1:]]
    assert [row[0] for row in cells] == ["Caching", "Redis", "Quality"]
    assert health.select_one("a[rel=edit]") is None  # generated from templates: nothing to edit
    assert cells[1][4] == "@octocat, backend-guild"
    about = BeautifulSoup((site / "about/index.html").read_text(encoding="utf-8"), "lxml")
    assert about.select_one('nav a[href="health/"]') is not None  # listed under About


def test_contributing_states_the_intervals_in_the_table():
    """CONTRIBUTING.md says "technologies, activities and onboarding paths every 12 months, the other kinds every 24"."""
    text = " ".join((conftest.ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8").split())
    assert "technologies, activities and onboarding paths every 12 months, the other kinds every 24" in text
    every_year = {folder for folder, kind in KINDS.items() if kind.review_months == 12}
    assert every_year == {"technologies", "activities", "paths"}
    assert {kind.review_months for kind in KINDS.values() if kind.review_months != 12} == {24}


@pytest.mark.slow
def test_the_real_site_has_its_health_page(real_site):
    page = BeautifulSoup((real_site / "about/health/index.html").read_text(encoding="utf-8"), "lxml")
    assert page.select_one("article h1").get_text(strip=True).startswith("Content health")
    assert [h.get_text(strip=True).rstrip("¶") for h in page.select("article h2")] == [
        "Overdue for review",
        "Version facts to recheck",
        "Version facts by the age of their check",
        "Technologies no activity uses",
        "Activities without a technology or a phase",
        "Pages under their word floor",
        "Further reading without a title",
        "Entries per owner",
    ]
