"""Every example in the handbook runs, parses, or says in the data why it cannot.

SQL runs against a real PostgreSQL server; Python with only the standard library runs;
shell goes through shellcheck, Dockerfiles through hadolint, data formats through their
parsers, other languages through tree-sitter grammars (macros/examples.py decides which).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

import example_checks as checks
from conftest import ROOT
from macros.examples import Example, examples, fenced_blocks
from macros.loader import load_handbook
from postgres_server import PostgresServer

HANDBOOK = load_handbook(ROOT / "data", ROOT)
EXAMPLES = examples(HANDBOOK.all())


@pytest.fixture(scope="module")
def postgres():
    server = PostgresServer().start()
    yield server
    server.stop()


# A fragment names tables, columns or functions defined elsewhere: PostgreSQL reports one of
# these (undefined table, column, function, object, schema) and nothing else went wrong.
UNDEFINED = re.compile(r"^ERROR:  (42P01|42703|42883|42704|3F000): ", re.M)


def _database(example: Example) -> str:
    return "ex_" + re.sub(r"\W", "_", example.where)[-50:].lower()


def _check(example: Example, tmp: Path, postgres=None) -> tuple[str, str | None]:
    """(what was done: ran or parsed, the complaint or None)."""
    kind = example.check
    if kind == "postgresql":
        return "ran", postgres.run_in_new_database(_database(example), example.code)
    if kind == "postgresql-parse":
        if (complaint := checks.postgresql_parse(example.code)) is not None or postgres is None:
            return "parsed", complaint
        # A fence that creates what it uses runs whole; one that queries tables defined
        # elsewhere stops at the first undefined name, having parsed with PostgreSQL's grammar.
        error = postgres.run_in_new_database(_database(example), example.code)
        if error is None:
            return "ran", None
        return ("parsed", None) if UNDEFINED.search(error) else ("ran", error)
    if kind == "python-parse":
        return "parsed", checks.python_parse(example.code)
    if kind == "python":
        return checks.python(example.code, tmp)
    if kind == "shellcheck":
        return "parsed", checks.shellcheck(example.code)
    if kind == "shellcheck-session":
        return "parsed", checks.shellcheck_session(example.code)
    if kind == "hadolint":
        return "parsed", checks.hadolint(example.code)
    if kind in ("yaml", "json", "toml"):
        return "parsed", checks.parse_data(kind, example.code)
    return "parsed", checks.tree_sitter(example.language, example.code)


ON_SERVER = ("postgresql", "postgresql-parse")


@pytest.mark.parametrize("example", [e for e in EXAMPLES if e.check and e.check not in ON_SERVER], ids=lambda e: e.where)
def test_example_runs_or_parses(example, tmp_path):
    _, complaint = _check(example, tmp_path)
    assert complaint is None, f"{example.where} ({example.language}):\n{complaint}"


@pytest.mark.parametrize("example", [e for e in EXAMPLES if e.check in ON_SERVER], ids=lambda e: e.where)
def test_sql_example_runs_on_postgresql(example, postgres, tmp_path):
    done, complaint = _check(example, tmp_path, postgres)
    assert complaint is None, f"{example.where}: PostgreSQL says:\n{complaint}"
    if example.check == "postgresql":
        assert done == "ran"  # a technology's example creates what it uses


def test_every_example_is_checked_or_says_why():
    unchecked = [e.where for e in EXAMPLES if e.check is None and not e.reason]
    assert not unchecked
    counts = Counter("exempt" if e.check is None else e.check for e in EXAMPLES)
    print(f"\n{len(EXAMPLES)} examples: {dict(counts)}")  # reported by `pytest -s`


# The checks themselves: each one fails on a broken example.
BROKEN = [
    ("python", "def f(:\n    pass\n"),
    ("python", "import json\nassert json.loads('[1]') == [2]\n"),
    ("bash", 'rm -rf "$DIR"/*\nif [ $x = 1 ] then echo; fi\n'),
    ("console", "$ echo $((1 +)\n"),
    ("dockerfile", "FROM debian\nRUN apt-get install curl\n"),
    ("yaml", "a: [1, 2\n"),
    ("json", '{"a": 1,}'),
    ("toml", "a = \n"),
    ("java", "class A { void f() { int x = ; } }\n"),
    ("hcl", 'resource "a" "b" {\n  x = \n'),
    ("go", "package main\nfunc main() {\n"),
]
BROKEN_FENCES = [("sql", "SELECT * FORM orders;\n"), ("python", "cur.execute(\n")]


@pytest.mark.parametrize(("language", "code"), BROKEN, ids=[f"{lang}-{n}" for n, (lang, _) in enumerate(BROKEN)])
def test_each_check_catches_a_broken_example(language, code, tmp_path):
    _, complaint = _check(Example("data/x.yml", 1, language, code), tmp_path)
    assert complaint


@pytest.mark.parametrize(("language", "code"), BROKEN_FENCES)
def test_a_broken_fence_is_caught(language, code, tmp_path):
    _, complaint = _check(Example("data/x.yml", 1, language, code, fenced=True), tmp_path)
    assert complaint


def test_a_self_contained_fence_runs_and_a_fragment_is_parsed(postgres, tmp_path):
    whole = Example("data/x.yml", 1, "sql", "CREATE TABLE t (id int);\nSELECT count(*) FROM t;\n", fenced=True)
    fragment = Example("data/x.yml", 2, "sql", "SELECT id FROM orders WHERE id = 1;\n", fenced=True)
    wrong = Example("data/x.yml", 3, "sql", "CREATE TABLE t (id int);\nINSERT INTO t VALUES ('x');\n", fenced=True)
    assert _check(whole, tmp_path, postgres) == ("ran", None)
    assert _check(fragment, tmp_path, postgres) == ("parsed", None)
    done, complaint = _check(wrong, tmp_path, postgres)
    assert done == "ran" and "invalid input syntax for type integer" in complaint


def test_broken_sql_fails_on_the_server(postgres, tmp_path):
    _, complaint = _check(Example("data/x.yml", 1, "sql", "CREATE TABLE t (id int);\nSELECT missing FROM t;\n"), tmp_path, postgres)
    assert 'column "missing" does not exist' in complaint


def test_a_console_session_is_checked_by_its_commands():
    session = "$ export A=1 \\\n    B=2\n$ echo \"$A\"\n1\n"
    assert checks.session_commands(session) == 'export A=1 \\\n    B=2\necho "$A"\n'


def test_fences_are_found_with_their_language_and_line():
    text = "Intro\n\n```python\nprint(1)\n```\n\n- item\n\n    ```sql\n    SELECT 1;\n    ```\n"
    assert list(fenced_blocks(text)) == [(3, "python", "print(1)\n"), (9, "sql", "SELECT 1;\n")]
