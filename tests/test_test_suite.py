"""The suite's own rules: build and browser tests are marked slow, builds are shared, make passes ARGS."""

from __future__ import annotations

import subprocess
from types import SimpleNamespace

import pytest

import conftest
from conftest import ROOT


def item(nodeid: str, fixtures: list[str], slow: bool):
    marker = object() if slow else None
    return SimpleNamespace(nodeid=nodeid, fixturenames=fixtures, get_closest_marker=lambda name: marker if name == "slow" else None)


def test_a_test_using_a_build_or_the_browser_must_be_marked_slow():
    items = [
        item("a", ["tmp_path"], slow=False),
        item("b", ["real_site", "tmp_path"], slow=False),
        item("c", ["page", "browser"], slow=False),
        item("d", ["real_site"], slow=True),
        item("e", ["mini_site"], slow=False),
    ]
    assert conftest.unmarked_slow_tests(items) == ["b", "c", "e"]


def test_a_build_helper_refuses_a_test_without_the_slow_marker(request):
    with pytest.raises(pytest.fail.Exception, match="mark it @pytest.mark.slow"):
        conftest.mkdocs_build(ROOT / "mkdocs.yml", ROOT / "never-built")
    assert not (ROOT / "never-built").exists()


@pytest.mark.slow
def test_a_shared_artefact_is_made_once_per_run(tmp_path_factory):
    calls = []
    make = lambda folder: calls.append((folder / "made").touch())  # noqa: E731
    first = conftest.shared(tmp_path_factory, "counted", make)
    assert conftest.shared(tmp_path_factory, "counted", make) == first
    assert (first / "made").exists() and len(calls) == 1


@pytest.mark.slow
def test_a_failed_shared_build_fails_the_next_user_too(tmp_path_factory):
    def broken(folder):
        raise AssertionError("mkdocs said no")

    for _ in range(2):
        with pytest.raises(BaseException, match="mkdocs said no"):
            conftest.shared(tmp_path_factory, "broken", broken)


def test_the_longest_files_are_handed_out_first_and_exist():
    names = ["test_a.py", "test_offline_pdf.py", "test_b.py", "test_build.py", "test_offline_pdf.py"]
    items = [SimpleNamespace(path=ROOT / "tests" / name, nodeid=f"{name}::{n}") for n, name in enumerate(names)]
    conftest.longest_first(items)
    assert [i.nodeid for i in items] == ["test_offline_pdf.py::1", "test_offline_pdf.py::4", "test_build.py::3", "test_a.py::0", "test_b.py::2"]
    assert [name for name in conftest.LONGEST_FIRST if not (ROOT / "tests" / name).is_file()] == []


@pytest.mark.parametrize("target,selects", [("test", "--dist loadfile --no-loadscope-reorder"), ("test-fast", '-m "not slow"')])
def test_make_passes_args_to_pytest_on_every_core(target, selects):
    dry_run = ["make", "-n", "-o", ".venv/.dev", target, "ARGS=-k search"]  # print the commands, skip the venv
    command = subprocess.run(dry_run, cwd=ROOT, capture_output=True, text=True)
    line = next(line for line in command.stdout.splitlines() if "pytest" in line)
    assert line.endswith(f"-m pytest -n auto {selects} -k search".replace("  ", " ")), line
