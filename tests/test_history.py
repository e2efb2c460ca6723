"""Git history -> last-changed dates, What's new and its feed; "Report a problem" links.

Unit tests read a hand-written `git log` and throw-away repositories; the build tests
(slow) build the mini data committed in a throw-away repository, and a shallow clone of it.
"""

from __future__ import annotations

import datetime
import shutil
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from macros.mkdocs_config import project_config
from conftest import FIXTURES, ROOT, mkdocs_build
from macros import feed, history, page_actions, whats_new
from macros.loader import load_handbook
from parsed_pages import soup
from test_affected import GIT_ENV

SITE = "https://backend-handbook.github.io/handbook/"
REPO = "https://github.com/backend-handbook/handbook"
A = "{http://www.w3.org/2005/Atom}"
# The throw-away repository's commits: (date, subject). The first is older than the window.
DATES = {
    "base": "2026-08-03T10:00:00Z",
    "add": "2026-11-24T10:00:00Z",  # ISO week 48
    "change": "2026-12-01T10:00:00Z",  # week 49
    "remove": "2026-12-08T10:00:00Z",  # week 50
}
SUBJECTS = {
    "base": "The mini handbook",
    "add": "Memcached: a plain cache beside Redis",
    "change": "Redis: the summary says <b>what</b> it is {{ 7*7 }}",
    "remove": "Glossary: cache folded into the caching activity",
}


def commit(repo: Path, step: str) -> None:
    env = {**GIT_ENV, "GIT_AUTHOR_DATE": DATES[step], "GIT_COMMITTER_DATE": DATES[step]}
    for args in (["add", "-A"], ["commit", "-q", "-m", SUBJECTS[step]]):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def make_history_repo(root: Path) -> Path:
    """The mini data committed, then an entry added, one changed and one removed."""
    repo = root / "repo"
    shutil.copytree(FIXTURES / "mini" / "data", repo / "data")
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, env=GIT_ENV, check=True)
    commit(repo, "base")
    valkey = (repo / "data/technologies/valkey.yml").read_text(encoding="utf-8")
    memcached = valkey.replace("id: valkey", "id: memcached").replace("title: Valkey", "title: Memcached")
    (repo / "data/technologies/memcached.yml").write_text(memcached, encoding="utf-8")
    commit(repo, "add")
    redis = repo / "data/technologies/redis.yml"
    text = redis.read_text(encoding="utf-8")
    redis.write_text(text.replace("summary: ", "summary: Fast. ", 1), encoding="utf-8")
    commit(repo, "change")
    (repo / "data/glossary/cache.yml").unlink()
    caching = repo / "data/activities/caching.yml"
    caching.write_text(caching.read_text(encoding="utf-8").replace("terms: [cache]\n", ""), encoding="utf-8")
    commit(repo, "remove")
    return repo


@pytest.fixture(scope="module")
def history_repo(tmp_path_factory) -> Path:
    return make_history_repo(tmp_path_factory.mktemp("history"))


# -- reading the log --------------------------------------------------------------------
LOG = (
    "\x1ec3\x1f1765180800\x1fRename and remove\n\n"
    "R090\tdata/technologies/old.yml\tdata/technologies/new.yml\nD\tdata/glossary/gone.yml\n"
    "\x1ec2\x1f1764576000\x1fEdit a page\n\nM\tdocs/about.md\nC100\tdocs/a.md\tdocs/b.md\n"
    "\x1ec1\x1f1700000000\x1fLong ago\n\nA\tdocs/about.md\nA\tdata/technologies/old.yml\n"
)


def test_the_log_is_parsed_into_each_files_newest_change():
    parsed = history.parse(LOG)
    assert [c.status for c in parsed.changes] == ["renamed", "removed", "changed", "added", "added"]  # copies left out
    renamed = parsed.last_changed("data/technologies/new.yml")
    assert (renamed.old_path, renamed.subject, renamed.day) == ("data/technologies/old.yml", "Rename and remove", datetime.date(2025, 12, 8))
    assert parsed.date_of("docs/about.md") == "2025-12-01"  # the newest of its two changes
    assert parsed.date_of("data/technologies/") == "2025-12-08" and parsed.date_of("") == "2025-12-08"
    assert parsed.date_of("docs/never.md") is None and parsed.missing == "not committed yet"
    assert [c.commit for c in parsed.since(90)] == ["c3", "c3", "c2"]  # measured from the newest change


def test_outside_a_repository_the_history_is_unavailable_with_a_reason(tmp_path):
    found = history.read(tmp_path)
    assert not found.available and "outside a git repository" in found.reason
    assert found.date_of("data/technologies/redis.yml") is None and found.missing == "unknown"


def test_one_log_gives_whats_new_and_last_changed(history_repo):
    found = history.read(history_repo)
    assert found.available
    assert found.date_of("data/technologies/redis.yml") == "2026-12-01"
    assert found.date_of("data/technologies/pytest.yml") == "2026-08-03"  # older than the window, still known
    news = whats_new.WhatsNew(load_handbook(history_repo / "data"), found, history_repo / "docs")
    seen = [(e.label, e.title, e.kind, e.page) for e in news.entries]
    assert seen == [
        ("Changed", "Caching", "activity", "activities/caching.md"),
        ("Removed", "cache", "term", None),
        ("Changed", "Redis", "technology", "technologies/redis.md"),
        ("Added", "Memcached", "technology", "technologies/memcached.md"),
    ]  # the first commit is more than 90 days before the newest: left out
    assert [(w.number, w.heading) for w in news.weeks] == [
        (50, "Week 50, 2026: 7 December to 13 December 2026"),
        (49, "Week 49, 2026: 30 November to 6 December 2026"),
        (48, "Week 48, 2026: 23 November to 29 November 2026"),
    ]
    assert news.entries[2].change.subject == SUBJECTS["change"]


def test_a_shallow_clone_says_its_history_is_unavailable(history_repo, tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{history_repo}", str(clone)], check=True, env=GIT_ENV)
    found = history.read(clone)
    assert not found.available and "shallow" in found.reason


# -- the feed ---------------------------------------------------------------------------
def atom_entries(xml: str) -> list[dict]:
    """The feed parsed, its required elements checked (RFC 4287 4.1.1, 4.1.2); its entries."""
    root = ET.fromstring(xml)
    assert root.tag == f"{A}feed"
    for tag in ("id", "title", "updated", "author"):
        assert root.find(f"{A}{tag}") is not None, f"feed without {tag}"
    self_link = [link for link in root.findall(f"{A}link") if link.get("rel") == "self"]
    assert [link.get("href") for link in self_link] == [SITE + feed.LOCATION]
    entries = []
    for entry in root.findall(f"{A}entry"):
        fields = {tag: entry.findtext(f"{A}{tag}") for tag in ("id", "title", "updated", "summary")}
        assert all(fields.values()), fields
        datetime.datetime.fromisoformat(fields["updated"])  # an RFC 3339 date
        links = entry.findall(f"{A}link")
        assert len(links) == 1 and links[0].get("rel") == "alternate"
        entries.append({**fields, "link": links[0].get("href")})
    assert len({e["id"] for e in entries}) == len(entries), "entry ids are unique"
    return entries


def test_the_feed_has_an_entry_per_change_linking_to_its_page(history_repo):
    found = history.read(history_repo)
    news = whats_new.WhatsNew(load_handbook(history_repo / "data"), found, history_repo / "docs")
    xml = feed.atom(news, SITE, datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC))
    entries = atom_entries(xml)
    assert [(e["title"], e["link"]) for e in entries] == [
        ("Changed: Caching (activity)", SITE + "activities/caching/"),
        ("Removed: cache (term)", SITE + "about/whats-new/"),  # its page is gone
        ("Changed: Redis (technology)", SITE + "technologies/redis/"),
        ("Added: Memcached (technology)", SITE + "technologies/memcached/"),
    ]
    assert entries[2]["summary"] == SUBJECTS["change"] and entries[0]["updated"] == "2026-12-08T10:00:00Z"
    assert ET.fromstring(xml).findtext(f"{A}updated") == "2026-12-08T10:00:00Z"  # from the history: builds repeat
    assert atom_entries(feed.atom(news, SITE, datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC))) == entries


def test_page_urls_follow_mkdocs():
    assert feed.page_url(SITE, "index.md") == SITE
    assert feed.page_url(SITE, "technologies/index.md") == SITE + "technologies/"
    assert feed.page_url(SITE, "about/whats-new.md") == SITE + "about/whats-new/"
    assert feed.page_url(SITE, "about/whats-new.md", directory_urls=False) == SITE + "about/whats-new.html"


# -- report a problem -------------------------------------------------------------------
def test_the_report_link_fills_in_the_issue_form():
    url = page_actions.report_url(REPO + "/", "Redis & Valkey: a “cache”", SITE + "technologies/redis/", "data/technologies/redis.yml")
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == REPO + "/issues/new"
    assert parse_qs(parts.query) == {
        "template": [page_actions.FORM],
        "title": ["Problem: Redis & Valkey: a “cache”"],
        "page-url": [SITE + "technologies/redis/"],
        "data-file": ["data/technologies/redis.yml"],
    }
    assert " " not in url and "“" not in url and "&Valkey" not in url
    assert page_actions.report_url(None, "Redis", SITE, "x") is None


@pytest.mark.parametrize(
    "src_uri, generated, source",
    [
        ("technologies/redis.md", True, "data/technologies/redis.yml"),
        ("technologies/index.md", True, "data/technologies/"),
        ("radar/index.md", True, "data/technologies/"),
        ("contributing.md", True, "CONTRIBUTING.md"),
        ("about/health.md", True, "data/"),
        ("about.md", False, "docs/about.md"),
    ],
)
def test_each_page_names_what_it_is_made_from(src_uri, generated, source):
    assert page_actions.source_of(src_uri, generated) == source


# -- builds -----------------------------------------------------------------------------
def built(project: Path) -> Path:
    site = project.parent / f"{project.name}-site"
    result = mkdocs_build(project_config(project), site)
    assert result.returncode == 0, result.stderr
    return site


def html(site: Path, path: str) -> BeautifulSoup:
    return soup(site / path / "index.html")


def last_changed(page: BeautifulSoup) -> str:
    footer = page.select_one("article .hb-review")
    return footer.get_text(" ", strip=True).split("Last changed", 1)[1].split("·")[0].strip()


def resolves(site: Path, url: str) -> bool:
    assert url.startswith(SITE), url
    return (site / url.removeprefix(SITE) / "index.html").is_file()


@pytest.mark.slow
def test_a_build_of_a_throw_away_repository_shows_its_commits(history_repo):
    site = built(history_repo)
    page = html(site, "about/whats-new")
    text = page.select_one("article").get_text(" ", strip=True)
    for week in ("Week 50, 2026", "Week 49, 2026", "Week 48, 2026"):
        assert week in text
    assert text.index("Week 50") < text.index("Removed (term): cache") < text.index("Week 49") < text.index("Changed (technology): Redis")
    assert "Added (technology): Memcached" in text and SUBJECTS["base"] not in text
    assert "<b>what</b> it is {{ 7*7 }}" in text and not page.select("article b")  # the subject is text, never markup
    links = {a["href"] for a in page.select("article li a")}
    assert links == {"../../activities/caching/", "../../technologies/redis/", "../../technologies/memcached/"}
    assert last_changed(html(site, "technologies/redis")) == "2026-12-01"
    entries = atom_entries((site / feed.LOCATION).read_text(encoding="utf-8"))
    assert len(entries) == 4 and all(resolves(site, e["link"]) for e in entries)


@pytest.mark.slow
def test_a_shallow_clone_builds_and_says_history_is_unavailable(history_repo, tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{history_repo}", str(clone)], check=True, env=GIT_ENV)
    site = built(clone)
    text = html(site, "about/whats-new").select_one("article").get_text(" ", strip=True)
    assert "The history of changes is unavailable" in text and "shallow git clone" in text
    assert last_changed(html(site, "technologies/redis")) == "unknown"
    assert html(site, "technologies/redis").select_one(".hb-review a[href$='about/whats-new/']")
    root = ET.fromstring((site / feed.LOCATION).read_text(encoding="utf-8"))
    assert atom_entries(ET.tostring(root, encoding="unicode")) == [] and "unavailable" in root.findtext(f"{A}subtitle")


# -- the handbook itself ----------------------------------------------------------------
def report_fields(page: BeautifulSoup) -> dict[str, str]:
    links = page.select("a.hb-report")
    assert len(links) == 1, "one Report a problem link"
    assert links[0].find_previous_sibling("a", rel="edit") is not None or page.select_one("a[rel=edit]") is None
    return {key: values[0] for key, values in parse_qs(urlsplit(links[0]["href"]).query).items()}


@pytest.mark.slow
def test_every_entity_page_has_its_last_change_and_a_report_link_of_its_own(real_site):
    found = history.read(ROOT)
    for entity in load_handbook(ROOT / "data", ROOT).all():
        page = html(real_site, f"{entity.kind.folder}/{entity.id}")
        assert last_changed(page) == (found.date_of(entity.source) or found.missing), entity.source
        assert report_fields(page) == {
            "template": page_actions.FORM,
            "title": f"Problem: {entity.title}",
            "page-url": f"{SITE}{entity.kind.folder}/{entity.id}/",
            "data-file": entity.source,
        }
    assert found.available, "the handbook is built from its repository, with history"


@pytest.mark.slow
@pytest.mark.parametrize("source", sorted(p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").glob("*.md")))
def test_hand_written_pages_have_a_report_link_and_their_last_change(real_site, source):
    path = "" if source == "index.md" else source.removesuffix(".md")
    page = html(real_site, path)
    fields = report_fields(page)
    assert (fields["page-url"], fields["data-file"]) == (SITE + (f"{path}/" if path else ""), f"docs/{source}")
    changed = page.select_one(".hb-last-changed time")
    assert changed is not None and changed["datetime"] == history.read(ROOT).date_of(f"docs/{source}")


@pytest.mark.slow
def test_the_feed_validates_and_its_links_resolve(real_site):
    entries = atom_entries((real_site / feed.LOCATION).read_text(encoding="utf-8"))
    assert entries, "the handbook has changed in the last 90 days"
    assert all(resolves(real_site, entry["link"]) for entry in entries)


@pytest.mark.slow
def test_whats_new_is_in_the_nav_on_the_home_page_in_every_footer_and_head(real_site):
    about = html(real_site, "about")  # navigation.prune: About's pages are listed on its pages
    assert about.select_one("nav.md-nav a.md-nav__link[href='whats-new/']") is not None
    home = html(real_site, "")
    assert home.select_one("article a[href='about/whats-new/']") and home.select_one(f"article a[href='{feed.LOCATION}']")
    for path in ("", "technologies/redis", "about/whats-new"):
        page = html(real_site, path)
        head = page.select("head link[rel=alternate][type='application/atom+xml']")
        assert [urlsplit(link["href"]).path.rsplit("/", 1)[-1] for link in head] == [feed.LOCATION]
        footer = {a.get_text(strip=True) for a in page.select(".md-copyright a")}
        assert {"What's new", "Atom feed"} <= footer
    whats_new_page = html(real_site, "about/whats-new")
    assert whats_new_page.select_one(f"article a[href='../../{feed.LOCATION}']")
    assert len(whats_new_page.select("article h2")) >= 1
