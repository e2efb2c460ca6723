"""Read mkdocs.yml for the few values tools outside the build need (site_url, repo_url)."""

from __future__ import annotations

from pathlib import Path

import yaml


class _ConfigLoader(yaml.SafeLoader):
    """Safe loading that reads Python tags (`!!python/name:...`) as empty values instead of failing."""


_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def read(project: Path) -> dict:
    """The project's mkdocs.yml as a dict; empty if there is none."""
    config = Path(project) / "mkdocs.yml"
    if not config.is_file():
        return {}
    return yaml.load(config.read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
