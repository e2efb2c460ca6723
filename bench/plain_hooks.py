"""The plain build's hook (bench step 1): what the theme and search need, none of the data layer.

The handbook's theme partials call two globals the handbook's hook provides ("Report a
problem" and "Last changed", macros/page_actions.py), and its search index is Pagefind,
which the hook runs after the build. The plain build does the same, so the two builds
differ only by the data layer: loading, validating and rendering the YAML.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # hooks are loaded by file path, not as a package
    sys.path.insert(0, str(ROOT))

from macros import history, page_actions, pagefind_index  # noqa: E402


def on_config(config):
    config["handbook_history"] = history.read(ROOT)  # the handbook build reads it too, in on_config
    return config


def on_env(env, config, files):
    env.globals.update(page_actions.theme_globals(config["handbook_history"], config.get("repo_url")))
    return env


def on_page_content(html: str, page, config, files) -> str:
    return pagefind_index.mark_excluded_sections(html)


def on_post_build(config) -> None:
    pagefind_index.on_post_build(config)
