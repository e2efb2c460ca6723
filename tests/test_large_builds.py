"""Large-handbook mode (macros/generation_process.py): a forked child generates the pages and
generated pages' HTML waits compressed. It saves memory at scale and must change nothing else."""

from __future__ import annotations

import shutil

import pytest

import conftest
from conftest import FIXTURES, build_mini_with, build_with_data
from macros import generation_process


def test_large_means_many_data_files(tmp_path, monkeypatch):
    data = FIXTURES / "mini" / "data"
    monkeypatch.delenv("HANDBOOK_LARGE_FROM", raising=False)
    assert not generation_process.large(data)
    monkeypatch.setenv("HANDBOOK_LARGE_FROM", "13")  # the fixture's number of files
    assert generation_process.large(data)
    monkeypatch.setenv("HANDBOOK_LARGE_FROM", "14")
    assert not generation_process.large(data)


@pytest.mark.slow
def test_a_large_build_makes_the_same_site(tmp_path, monkeypatch, mini_site):
    normal = mini_site
    monkeypatch.setitem(conftest.BUILD_ENV, "HANDBOOK_LARGE_FROM", "1")
    large = build_mini_with(tmp_path / "large", [])
    files = sorted(p.relative_to(normal).as_posix() for p in normal.rglob("*") if p.is_file() and p.suffix != ".gz")
    assert files == sorted(p.relative_to(large).as_posix() for p in large.rglob("*") if p.is_file() and p.suffix != ".gz")
    different = [f for f in files if (normal / f).read_bytes() != (large / f).read_bytes()]
    assert different == []
    assert "Keys and values in memory." in (large / "technologies/redis/index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_data_problem_found_in_the_child_stops_the_build(tmp_path, monkeypatch):
    data = tmp_path / "src"
    shutil.copytree(FIXTURES / "mini" / "data", data)
    path = data / "technologies" / "redis.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("category: databases", "category: dbs"), encoding="utf-8")
    monkeypatch.setitem(conftest.BUILD_ENV, "HANDBOOK_LARGE_FROM", "1")
    result, site = build_with_data(tmp_path / "build", data)
    assert result.returncode != 0
    assert "data/technologies/redis.yml:3: category names unknown category 'dbs'" in result.stderr
    assert not (site / "index.html").exists()
