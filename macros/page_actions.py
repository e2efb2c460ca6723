"""What the theme adds to every page: "Report a problem", and "Last changed" where the
page's Markdown does not say it already (entity pages say it in their footer).

"Report a problem" opens the repository's issue form for content problems with the
page's title, address and source file filled in, through GitHub's issue-form URL
parameters (a field's id as the query key). It is a plain link: no script, no tracking.
``theme_globals`` gives the theme's templates (overrides/partials/) both as functions
of MkDocs' page; everything else here works on plain values.
"""

from __future__ import annotations

import html
from urllib.parse import urlencode

from . import edit_links
from .history import History
from .model import KINDS
from .render import MATRIX_PAGE
from .whats_new import PAGE as WHATS_NEW

FORM = "content-problem.yml"  # .github/ISSUE_TEMPLATE/; its fields' ids are the keys below
# Generated pages made from many files: the folder (or all of data/) they are made from.
MADE_FROM = {"radar/index.md": "data/technologies/", MATRIX_PAGE: "data/activities/", WHATS_NEW: ""}


def source_of(src_uri: str, generated: bool) -> str:
    """What a page is made from, relative to the repository: a file, or a folder ending in /."""
    if not generated:
        return f"docs/{src_uri}"
    source = edit_links.source_of(src_uri)
    if source:
        return source.removeprefix("../")
    folder = src_uri.split("/", 1)[0]
    return MADE_FROM.get(src_uri, f"data/{folder}/" if folder in KINDS else "data/")


def report_url(repo_url: str | None, title: str, page_url: str, source: str) -> str | None:
    """The issue form's address with the page's fields filled in; None without a GitHub repository."""
    if not repo_url or not repo_url.startswith("https://"):
        return None
    query = urlencode({"template": FORM, "title": f"Problem: {title}", "page-url": page_url, "data-file": source})
    return f"{repo_url.rstrip('/')}/issues/new?{query}"


def theme_globals(history: History, repo_url: str | None) -> dict:
    def _source(page) -> str:
        return source_of(page.file.src_uri, page.file.generated_by is not None)

    def report(page) -> str | None:
        # As Material's <title>: the front matter's title, else the nav's or H1's (page.title is
        # None once the hook has dropped the page's Markdown). Generated pages' titles are
        # HTML-escaped in their front matter (render.front_matter).
        title = html.unescape((page.meta or {}).get("title") or page.title or page.url)
        return report_url(repo_url, title, page.canonical_url or page.url, _source(page))

    def last_changed(page) -> dict | None:
        source = _source(page)
        if source.startswith("data/") and source.endswith(".yml"):
            return None  # an entity page: its footer says it, beside "Last reviewed"
        return {"date": history.date_of(source), "missing": history.missing}

    return {"handbook_report_url": report, "handbook_last_changed": last_changed}
