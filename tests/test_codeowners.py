"""CODEOWNERS agrees with the `owners` fields: every data file asks its own owners to review."""

from __future__ import annotations

import copy
import shutil
import subprocess
import sys

import pytest

from conftest import FIXTURES, ROOT
from macros.codeowners import generate, github_owner, organisation
from macros.loader import load_handbook

ORG = "backend-handbook"


def rules(text: str) -> list[tuple[str, list[str]]]:
    return [(line.split()[0], line.split()[1:]) for line in text.splitlines() if line.strip() and not line.startswith("#")]


def matches(pattern: str, path: str) -> bool:
    """The CODEOWNERS patterns the generator writes: '*', '/folder/' and '/file'."""
    if pattern == "*":
        return True
    assert pattern.startswith("/"), f"unexpected pattern {pattern}"
    return path.startswith(pattern[1:]) if pattern.endswith("/") else path == pattern[1:]


def owners_of(text: str, path: str) -> list[str]:
    found = []
    for pattern, owners in rules(text):  # GitHub: the last matching line wins
        if matches(pattern, path):
            found = owners
    return found


def assert_every_file_asks_its_owners(text: str, handbook) -> None:
    for entity in handbook.all():
        expected = [github_owner(owner, ORG) for owner in entity["owners"]]
        assert owners_of(text, entity.source) == expected, entity.source


def test_committed_codeowners_is_the_generated_one():
    committed = (ROOT / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    assert committed == generate(load_handbook(ROOT / "data"), organisation(ROOT)), "run `make codeowners`"


def test_every_data_file_is_covered_by_its_owners():
    committed = (ROOT / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    assert_every_file_asks_its_owners(committed, load_handbook(ROOT / "data"))
    assert owners_of(committed, "macros/render.py") == ["@backend-handbook/maintainers"]
    assert owners_of(committed, ".github/workflows/pull-request.yml") == ["@backend-handbook/maintainers"]


def test_files_whose_owners_differ_get_their_own_line():
    handbook = copy.deepcopy(load_handbook(FIXTURES / "mini" / "data"))
    handbook.get(("technologies", "valkey")).data["owners"] = ["@octocat", "other-org/dba"]
    text = generate(handbook, ORG)
    assert "/data/technologies/ @backend-handbook/backend-guild" in text
    assert "/data/technologies/valkey.yml @octocat @other-org/dba" in text
    assert_every_file_asks_its_owners(text, handbook)


@pytest.mark.parametrize(
    "name, owner",
    [("@octocat", "@octocat"), ("backend-guild", "@backend-handbook/backend-guild"), ("other/team", "@other/team"), ("@other/team", "@other/team")],
)
def test_owner_names_map_to_github_handles(name, owner):
    assert github_owner(name, ORG) == owner


def test_check_fails_when_the_file_is_stale(tmp_path):
    shutil.copytree(FIXTURES / "mini" / "data", tmp_path / "data")
    shutil.copy(ROOT / "mkdocs.yml", tmp_path)
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}

    def run(*args):
        return subprocess.run([sys.executable, "-m", "macros.codeowners", *args], cwd=tmp_path, env=env, capture_output=True, text=True)

    stale = run("--check")
    assert stale.returncode == 1 and ".github/CODEOWNERS:1: out of date" in stale.stderr
    assert run().returncode == 0 and run("--check").returncode == 0
    (tmp_path / "data/technologies/valkey.yml").write_text(
        (tmp_path / "data/technologies/valkey.yml").read_text().replace("owners: [backend-guild]", "owners: ['@octocat']")
    )
    assert run("--check").returncode == 1
