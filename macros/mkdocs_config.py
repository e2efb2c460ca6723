"""mkdocs.yml for tools outside the build: its few values they need (site_url, repo_url),
and a strict build of other data (a temporary project) for the tests and the benchmark."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
# Material 9.8 prints a notice about MkDocs 2.0 on every build; the Makefile silences it too.
BUILD_ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


class _ConfigLoader(yaml.SafeLoader):
    """Safe loading that reads Python tags (`!!python/name:...`) as empty values instead of failing."""


_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def read(project: Path) -> dict:
    """The project's mkdocs.yml as a dict; empty if there is none."""
    config = Path(project) / "mkdocs.yml"
    if not config.is_file():
        return {}
    return yaml.load(config.read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}


def build_command(config: Path, site: Path) -> list[str]:
    """A strict `mkdocs build` of ``config`` into ``site``, in a fresh interpreter (run it with BUILD_ENV)."""
    return [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site)]


def project_config(project: Path, watch: Path | None = None) -> Path:
    """Write mkdocs.yml for a temporary project whose data is project/data; return its path.

    The hook reads data/ next to the config file; everything else points back at the repository.
    """
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["hooks"] = [str(ROOT / hook) for hook in config["hooks"]]  # every hook, as `make build` runs them
    config["theme"]["custom_dir"] = str(ROOT / "overrides")
    config["docs_dir"] = str(ROOT / "docs")
    config.pop("watch", None)
    if watch is not None:  # mkdocs serve only watches data/ when told to
        config["watch"] = [str(watch)]
    path = Path(project) / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path
