"""`make affected`: the pages a change alters, on a throw-away git repository."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT
from macros import rendered_diff
from macros.affected import affected, page_url, to_markdown
from macros.loader import load_handbook
from macros.render import Renderer
from macros.xref import CrossReference

SITE = "https://backend-handbook.github.io/handbook/"
GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,  # no user settings (hooks, signing) in the test repo
}


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, env=GIT_ENV, check=True, capture_output=True, text=True).stdout


def make_repo(tmp_path: Path, data: Path) -> Path:
    """A repository with one commit on main: ``data``, a hand-written page and mkdocs.yml."""
    repo = tmp_path / "repo"
    shutil.copytree(data, repo / "data")
    (repo / "docs").mkdir()
    (repo / "docs" / "about.md").write_text("# About\n", encoding="utf-8")
    shutil.copy(ROOT / "mkdocs.yml", repo / "mkdocs.yml")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    git(repo, "switch", "-q", "-c", "change")
    return repo


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def paths(pages) -> set[str]:
    return {page.path for page in pages}


@pytest.fixture
def real_repo(tmp_path) -> Path:
    return make_repo(tmp_path, ROOT / "data")


@pytest.fixture
def mini_repo(tmp_path) -> Path:
    return make_repo(tmp_path, FIXTURES / "mini" / "data")


def test_editing_a_technology_lists_its_page_and_every_page_that_shows_it(real_repo):
    edit(real_repo / "data/technologies/kafka.yml", "title: Apache Kafka\n", "title: Apache Kafka event streaming\n")
    git(real_repo, "commit", "-qam", "rename Kafka's title")

    result = affected(real_repo, "main")

    assert paths(result.direct) == {"technologies/kafka.md"}
    handbook = load_handbook(real_repo / "data")
    x = CrossReference(handbook)
    kafka = handbook.get(("technologies", "kafka"))
    activities = x.activities_using(kafka)
    expected = {a.page for a in activities}
    expected |= {p.page for p in x.phases_of_activities(activities)}
    expected |= {f"areas/{a['area']}.md" for a in activities}
    expected |= {r.page for a in activities for r in x.responsibilities_of(a)}
    expected |= {t.page for t in x.terms_of_technology(kafka)}
    expected |= {f"categories/{kafka['category']}.md", "technologies/index.md", "radar/index.md"}
    assert len(activities) >= 3 and any(p.startswith("phases/") for p in expected)
    assert any(p.startswith("glossary/") for p in expected)
    assert expected <= paths(result.related)

    # Nothing else is listed: every listed page really shows the new title, and a page
    # that does not mention Kafka is not listed.
    pages = Renderer(handbook).pages()
    assert all("Apache Kafka event streaming" in pages[p.path] for p in result.related)
    unrelated = next(path for path, text in pages.items() if path.startswith("technologies/") and "kafka" not in text.lower())
    assert unrelated not in paths(result.related)
    assert not result.added and not result.removed and not result.renamed and not result.site_wide


def test_markdown_links_each_page_to_the_site_and_counts_them(real_repo):
    edit(real_repo / "data/technologies/kafka.yml", "title: Apache Kafka\n", "title: Apache Kafka event streaming\n")
    markdown = to_markdown(affected(real_repo, "main"), SITE)

    assert "Compared with `main`: **1** edited directly" in markdown
    assert f"- [Apache Kafka event streaming]({SITE}technologies/kafka/) (technology)" in markdown
    assert f"]({SITE}technologies/)" in markdown  # an index page
    related = re.search(r"### Changed through a relation[^\n]*\((\d+)\)\n\n(.*?)(?=\n### |\Z)", markdown, re.S)
    assert related and int(related[1]) == len(re.findall(r"^- ", related[2], re.M))
    assert related[2].count("<details><summary>Rendered diff") == int(related[1])  # each with its diff


def test_deleting_an_entry_lists_the_pages_that_linked_to_it(mini_repo):
    (mini_repo / "data/technologies/valkey.yml").unlink()
    edit(mini_repo / "data/technologies/redis.yml", "alternatives: [valkey]\n", "")

    result = affected(mini_repo, "main")

    assert [(old.path, paths(refs)) for old, refs in result.removed] == [("technologies/valkey.md", {"technologies/redis.md"})]
    assert "technologies/redis.md" in paths(result.direct)
    assert {"technologies/index.md", "categories/databases.md"} <= paths(result.related)
    markdown = to_markdown(result, SITE)
    assert f"- [Valkey]({SITE}technologies/valkey/) (technology), linked from: [Redis]({SITE}technologies/redis/)" in markdown


def test_renaming_an_entry_is_one_rename_with_its_linking_pages(mini_repo):
    data = mini_repo / "data/technologies"
    git(mini_repo, "mv", "data/technologies/valkey.yml", "data/technologies/valkey-fork.yml")
    edit(data / "valkey-fork.yml", "id: valkey\n", "id: valkey-fork\n")
    edit(data / "redis.yml", "alternatives: [valkey]", "alternatives: [valkey-fork]")

    result = affected(mini_repo, "main")

    assert [(old.path, new.path, paths(refs)) for old, new, refs in result.renamed] == [
        ("technologies/valkey.md", "technologies/valkey-fork.md", {"technologies/redis.md"})
    ]
    assert not result.removed and not result.added
    assert "technologies/redis.md" in paths(result.direct)


def test_a_new_untracked_entry_is_added(mini_repo):
    text = (mini_repo / "data/technologies/valkey.yml").read_text(encoding="utf-8")
    new = text.replace("id: valkey", "id: keydb").replace("title: Valkey", "title: KeyDB")
    new = new.replace("A community fork of Redis.", "A multithreaded Redis-compatible store by Snap.")
    new = re.sub(r"overview: .*\nuses: .*\n", "overview: Multithreaded; active replication.\nuses: Drop-in cache.\n", new)
    (mini_repo / "data/technologies/keydb.yml").write_text(new, encoding="utf-8")

    result = affected(mini_repo, "main")

    # Not a rename of valkey (valkey is still there), and not committed: still found.
    assert paths(result.added) == {"technologies/keydb.md"} and not result.renamed
    assert "technologies/index.md" in paths(result.related)


def test_hand_written_pages_and_site_wide_files_come_from_the_diff(mini_repo):
    edit(mini_repo / "docs/about.md", "# About", "# About the handbook")
    (mini_repo / "docs/new.md").write_text("# New\n", encoding="utf-8")
    edit(mini_repo / "mkdocs.yml", "site_name:", "# a comment\nsite_name:")

    result = affected(mini_repo, "main")

    assert sorted((p.path, how) for p, how in result.hand_written) == [("about.md", "changed"), ("new.md", "added")]
    assert result.site_wide == ["mkdocs.yml"]
    assert result.pages_changed == 2
    markdown = to_markdown(result, SITE)
    assert f"- [about.md]({SITE}about/) (changed)" in markdown
    assert "### Site-wide files changed" in markdown


def test_the_branch_is_compared_from_where_it_left_the_base(mini_repo):
    # main moves on after the branch started: its changes are not this branch's.
    git(mini_repo, "switch", "-q", "main")
    edit(mini_repo / "data/technologies/valkey.yml", "title: Valkey", "title: Valkey server")
    git(mini_repo, "commit", "-qam", "main moves on")
    git(mini_repo, "switch", "-q", "change")

    assert affected(mini_repo, "main").pages_changed == 0


def test_an_invalid_base_is_reported_not_fatal(mini_repo):
    git(mini_repo, "switch", "-q", "main")
    edit(mini_repo / "data/technologies/valkey.yml", "category: databases", "category: nowhere")
    git(mini_repo, "commit", "-qam", "break main")
    git(mini_repo, "switch", "-q", "-c", "fix")
    edit(mini_repo / "data/technologies/valkey.yml", "category: nowhere", "category: databases")

    markdown = to_markdown(affected(mini_repo, "main"), SITE)

    assert "> **Note:** The data at `main` is invalid (1 problem)" in markdown


def run_cli(repo: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**GIT_ENV, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "macros.affected", *args], cwd=repo, env=env, capture_output=True, text=True)


def test_cli_prints_markdown(mini_repo):
    edit(mini_repo / "data/technologies/valkey.yml", "title: Valkey", "title: Valkey server")
    result = run_cli(mini_repo, "main")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("## Pages this change affects\n")
    assert f"[Valkey server]({SITE}technologies/valkey/)" in result.stdout


def test_cli_prints_the_rendered_diff_of_an_edit(mini_repo):
    edit(mini_repo / "data/technologies/valkey.yml", "overview: Linux Foundation fork.", "overview: A Linux Foundation fork since 2024.")
    git(mini_repo, "commit", "-qam", "say when")
    result = run_cli(mini_repo, "main")
    assert result.returncode == 0, result.stderr
    item = result.stdout.split("### Edited directly (1)\n\n", 1)[1].split("\n### ", 1)[0]
    assert item.startswith(f"- [Valkey]({SITE}technologies/valkey/) (technology)\n  <details><summary>Rendered diff: +1 −1 lines</summary>")
    assert "\n  -Linux Foundation fork.\n  +A Linux Foundation fork since 2024.\n" in item
    assert "\n  ```diff\n  --- a/technologies/valkey.md\n  +++ b/technologies/valkey.md\n" in item
    assert item.rstrip().endswith("</details>")


def test_with_the_site_artifact_each_page_says_where_it_is_and_new_pages_say_so(mini_repo):
    edit(mini_repo / "data/technologies/valkey.yml", "title: Valkey", "title: Valkey server")
    text = (mini_repo / "data/technologies/redis.yml").read_text(encoding="utf-8")
    (mini_repo / "data/technologies/keydb.yml").write_text(
        text.replace("id: redis", "id: keydb").replace("title: Redis", "title: KeyDB"), encoding="utf-8"
    )
    artifact = "https://github.com/o/r/actions/runs/1/artifacts/42"
    result = run_cli(mini_repo, "main", "--artifact-url", artifact)
    assert result.returncode == 0, result.stderr
    in_artifact = f" · in the [built site artifact]({artifact}): "
    assert f"- [Valkey server]({SITE}technologies/valkey/) (technology){in_artifact}`technologies/valkey/index.html`" in result.stdout
    assert f"- **KeyDB** (technology), new: not on the published site yet{in_artifact}`technologies/keydb/index.html`" in result.stdout
    assert f"{SITE}technologies/keydb/" not in result.stdout  # never a link to a page that is not there
    env_result = subprocess.run(
        [sys.executable, "-m", "macros.affected", "main"],
        cwd=mini_repo, env={**GIT_ENV, "PYTHONPATH": str(ROOT), "SITE_ARTIFACT_URL": artifact}, capture_output=True, text=True,
    )
    assert env_result.stdout == result.stdout


def test_a_long_rendered_diff_is_cut_with_a_count():
    old = "# Page\n\n" + "".join(f"Line {n}.\n\n" for n in range(60))
    new = old.replace("Line", "Row")
    block = rendered_diff.details(old, new, "p.md", max_lines=20)
    lines = rendered_diff.unified(old, new, "p.md")
    assert len(lines) > 100
    shown = block.split("\n  ```diff\n", 1)[1].split("\n  ```\n", 1)[0].split("\n")
    assert len(shown) == 21 and shown[-1] == f"  … {len(lines) - 20} more lines"
    assert "Rendered diff: +60 −60 lines" in block  # counted over the whole diff, not what is shown


def test_a_diff_of_code_is_fenced_longer_than_the_code_it_shows():
    block = rendered_diff.details("# P\n\n```python\nx = 1\n```\n", "# P\n\n```python\nx = 2\n```\n", "p.md")
    assert "\n  ````diff\n" in block and block.endswith("\n  ````\n\n  </details>")


def test_cli_invalid_working_tree_prints_the_check_report(mini_repo):
    edit(mini_repo / "data/technologies/valkey.yml", "category: databases", "category: databse")
    result = run_cli(mini_repo, "main")
    assert result.returncode == 1
    assert "data/technologies/valkey.yml:3: " in result.stderr and "databases" in result.stderr  # did you mean
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_cli_unknown_base_is_a_clear_error(mini_repo):
    result = run_cli(mini_repo, "no-such-branch")
    assert result.returncode == 2
    assert "no-such-branch" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "path, url",
    [
        ("index.md", SITE),
        ("phases/index.md", f"{SITE}phases/"),
        ("technologies/kafka.md", f"{SITE}technologies/kafka/"),
        ("contributing.md", f"{SITE}contributing/"),
    ],
)
def test_page_urls_follow_mkdocs_directory_urls(path, url):
    assert page_url(SITE, path) == url
    assert page_url("", path) == url.removeprefix(SITE)
