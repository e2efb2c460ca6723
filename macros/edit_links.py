"""Which file "Edit this page" opens, and its URL: one rule for every engine.

MkDocs builds a page's edit URL from the repository URL, ``edit_uri`` (or
``edit_uri_template``) and the file's own ``edit_uri``, a path relative to docs/.
Generated pages point at what they are made from: an entity page at its YAML file,
the contributor guide at CONTRIBUTING.md; index pages have no single source, so no
link. The hook sets MkDocs' ``File.edit_uri`` from ``source_of``; the Markdown export
writes the full ``url`` into each page's front matter for engines without the hook.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urljoin

from .model import KINDS


def data_source(folder: str, entity_id: str) -> str:
    """The YAML file of an entity, relative to docs/."""
    return f"../data/{folder}/{entity_id}.yml"


def source_of(src_uri: str) -> str | None:
    """A generated page's source relative to docs/ (MkDocs' File.edit_uri), or None."""
    if src_uri == "contributing.md":
        return "../CONTRIBUTING.md"
    folder, _, name = src_uri.rpartition("/")
    if folder in KINDS and name != "index.md":
        return data_source(folder, name.removesuffix(".md"))
    return None


def url_maker(repo_url: str | None, edit_uri: str | None, edit_uri_template: str | None = None) -> Callable[[str], str | None]:
    """A function: source relative to docs/ -> its edit URL, as MkDocs' Page._set_edit_url makes it."""

    def url(source: str) -> str | None:
        if edit_uri_template:
            path = edit_uri_template.format(path=source, path_noext=source.rsplit(".", 1)[0])
        elif edit_uri:
            path = edit_uri.rstrip("/") + "/" + source
        else:
            return None
        base = repo_url.rstrip("/") + "/" if repo_url else ""
        joined = urljoin(base, path)
        return joined if joined.startswith("https://") else None

    return url
