"""`make serve` and the build's console: a busy port in one line, PORT=, no macros-plugin chatter,
no "not included in nav" line for `make pdf`'s one-page handbook."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys

import pytest

from conftest import ROOT
from macros import offline_copy, serve_port
from macros.mkdocs_config import read as read_config


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "macros.serve_port", *args], capture_output=True, text=True, cwd=ROOT)


def test_a_busy_port_is_one_line_with_what_to_do():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert serve_port.busy(port)
        result = run(str(port))
    assert result.returncode == 1
    assert result.stderr == f"make serve: port {port} is in use (another `make serve`?): stop it, or run make serve PORT={port + 1}\n"
    assert run(str(port)).returncode == 0  # free again once the other server stops


@pytest.mark.parametrize("port", ["", "http", "0", "70000"])
def test_a_port_that_is_no_port(port):
    result = run(port)
    assert result.returncode == 2 and result.stderr.startswith("make serve: PORT must be a number") and "Traceback" not in result.stderr


@pytest.mark.parametrize("args,address", [([], "127.0.0.1:8000"), (["PORT=8001"], "127.0.0.1:8001")])
def test_make_serve_checks_the_port_it_serves_on(args, address):
    # Run as a contributor would: not inside `make test`, whose MAKEFLAGS and MAKELEVEL would change the output.
    env = {key: value for key, value in os.environ.items() if key not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    dry_run = subprocess.run(
        ["make", "--no-print-directory", "-n", "-o", ".venv/.site", "serve", *args], cwd=ROOT, capture_output=True, text=True, env=env
    )
    check, serve = dry_run.stdout.strip().splitlines()[-2:]
    assert check.endswith(f"-m macros.serve_port {address.split(':')[1]}")
    assert serve.endswith(f"-m mkdocs serve --livereload --dirty -a {address}")  # --dirty: serve_mode.py


@pytest.fixture
def loggers():
    """The two loggers on_startup reads and sets, restored after the test."""
    mkdocs, plugin = logging.getLogger("mkdocs"), logging.getLogger("mkdocs.plugins.mkdocs_macros")
    levels = mkdocs.level, plugin.level
    yield mkdocs, plugin
    mkdocs.setLevel(levels[0])
    plugin.setLevel(levels[1])


@pytest.mark.parametrize("verbose", [False, True])
def test_the_macros_plugin_lists_nothing_at_info_unless_verbose(loggers, verbose):
    from macros import hooks

    mkdocs, plugin = loggers
    mkdocs.setLevel(logging.DEBUG if verbose else logging.INFO)  # `mkdocs serve -v` or not
    plugin.setLevel(logging.NOTSET)
    hooks.on_startup(command="serve", dirty=False)
    chatter = logging.getLogger("mkdocs.plugins.mkdocs_macros.util")  # where the plugin logs
    assert chatter.isEnabledFor(logging.INFO) is verbose and chatter.isEnabledFor(logging.WARNING)


def test_the_one_page_handbook_is_meant_to_be_outside_the_nav():
    assert f"/{offline_copy.PAGE}" in read_config(ROOT)["not_in_nav"].split()
