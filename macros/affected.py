"""`make affected BASE=<ref>`: the site pages a change alters, as Markdown for a pull request.

Relations are computed, so editing one YAML file also changes the pages that show it
(reverse links, derived lists, index pages). Rather than predict that, this module
renders every generated page with the project's own ``Renderer`` twice, for the base's
``data/`` and for the working tree's, and compares the two dicts of Markdown. Entries
that disappear are listed with the base pages that linked to them (the base's
``CrossReference``), and a rename is recognised as a removal plus a similar addition.

Both sides are rendered with the working tree's code, so the comparison shows what the
*data* change does; when code, templates, schemas or theme files change, the report
says so (every page may then look different). Hand-written pages under ``docs/`` and
the contributor guide are taken from ``git diff``.

Each edited, relation-changed or renamed page, and each changed hand-written page, comes
with its rendered diff (``rendered_diff.py``). In CI the built site is uploaded as an
artifact; given its URL (``--artifact-url`` or ``SITE_ARTIFACT_URL``), every page says
where it is inside that artifact, and a page the published site does not have yet is
called new rather than linked to a missing page.
"""

from __future__ import annotations

import argparse
import html
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from . import mkdocs_config, rendered_diff, safe_markdown
from .cli import fail, run
from .loader import DataError, load_handbook
from .model import Entity, Handbook
from .render import Renderer
from .xref import CrossReference

# Files that change how every page looks, not which pages exist.
SITE_WIDE = ("macros", "overrides", "mkdocs.yml", "docs/stylesheets", "requirements.txt")
# How alike a removed and an added entry must be (0-1) to count as a rename.
RENAME_SIMILARITY = 0.6
# A generated page's title, from the front matter render.front_matter() writes.
FRONT_MATTER_TITLE = re.compile(r'\A---\ntitle: ("(?:[^"\\\\]|\\\\.)*")\n')
# Rendered diffs stop here, so the job summary stays under GitHub's 1 MiB limit.
DIFF_BUDGET = 600_000
ARTIFACT_ENV = "SITE_ARTIFACT_URL"


class GitError(Exception):
    pass


@dataclass(frozen=True)
class Page:
    path: str  # relative to docs/, e.g. technologies/kafka.md
    title: str
    label: str  # what it is: "technology", "index", "hand-written"


@dataclass
class Affected:
    base: str
    direct: list[Page] = field(default_factory=list)  # entries whose own file changed
    added: list[Page] = field(default_factory=list)
    renamed: list[tuple[Page, Page, list[Page]]] = field(default_factory=list)  # old, new, linked from
    removed: list[tuple[Page, list[Page]]] = field(default_factory=list)  # old, linked from
    related: list[Page] = field(default_factory=list)  # changed only through a relation
    hand_written: list[tuple[Page, str]] = field(default_factory=list)  # page, "changed"/"added"/"removed"
    site_wide: list[str] = field(default_factory=list)  # changed files that affect every page
    base_problem: str = ""  # why the base could not be compared, if it could not
    diffs: dict[str, str] = field(default_factory=dict)  # page path -> its rendered diff block

    @property
    def pages_changed(self) -> int:
        groups = (self.direct, self.added, self.renamed, self.removed, self.related, self.hand_written)
        return sum(map(len, groups))


# -- git ---------------------------------------------------------------------
def _git(repo: Path, *args: str, binary: bool = False):
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=not binary)
    if result.returncode != 0:
        error = result.stderr.decode() if binary else result.stderr
        raise GitError(f"git {' '.join(args)}: {error.strip()}")
    return result.stdout


def comparison_point(repo: Path, base: str) -> str:
    """Where the branch left ``base``, as GitHub's pull-request diff compares."""
    _git(repo, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}")
    try:
        return _git(repo, "merge-base", base, "HEAD").strip()
    except GitError:  # unrelated histories or no HEAD yet: compare with base itself
        return base


def extract_data(repo: Path, commit: str, dest: Path) -> Path | None:
    """Write ``data/`` as it is at ``commit`` under ``dest``; None if it had no data/."""
    try:
        archive = _git(repo, "archive", "--format=tar", commit, "data", binary=True)
    except GitError:
        return None
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(dest, filter="data")  # no absolute paths, links or devices
    return dest / "data"


def changed_files(repo: Path, commit: str, *paths: str) -> list[tuple[str, str, str]]:
    """(status letter, old path, new path) for files under ``paths``, untracked ones included."""
    out = _git(repo, "diff", "--name-status", "-M", "--no-color", commit, "--", *paths)
    rows = []
    for line in out.splitlines():
        status, *names = line.split("\t")
        rows.append((status[0], names[0], names[-1]))
    untracked = _git(repo, "ls-files", "--others", "--exclude-standard", "--", *paths)
    rows += [("A", name, name) for name in untracked.splitlines()]
    return rows


# -- pages ------------------------------------------------------------------------
def _entity_page(entity: Entity) -> Page:
    return Page(entity.page, entity.title, entity.kind.singular)


def _generated_page(path: str, markdown: str, by_page: dict[str, Entity]) -> Page:
    if path in by_page:
        return _entity_page(by_page[path])
    match = FRONT_MATTER_TITLE.match(markdown)
    title = html.unescape(json.loads(match[1])) if match else path
    return Page(path, title, "index" if path.endswith("index.md") else "page")


def _similarity(old: Entity, new: Entity) -> float:
    def lines(entity):
        fields = {name: value for name, value in entity.data.items() if name != "id"}
        return json.dumps(fields, sort_keys=True, indent=1, default=str).splitlines()

    return SequenceMatcher(None, lines(old), lines(new), autojunk=False).ratio()


def _renames(gone: list[Entity], new: list[Entity]) -> list[tuple[Entity, Entity]]:
    """Pair each removed entry with the most similar added one of the same kind."""
    candidates = sorted(
        ((_similarity(old, added), old.page, added.page, old, added) for old in gone for added in new if old.kind == added.kind),
        key=lambda c: c[:3],
        reverse=True,
    )
    pairs, used = [], set()
    for score, _, _, old, added in candidates:
        if score >= RENAME_SIMILARITY and old.key not in used and added.key not in used:
            pairs.append((old, added))
            used |= {old.key, added.key}
    return pairs


def compare(base: Handbook, head: Handbook, base_name: str = "") -> Affected:
    """Every generated page that differs between two handbooks, grouped for a reviewer."""
    base_pages, head_pages = Renderer(base).pages(), Renderer(head).pages()
    base_by_page = {e.page: e for e in base.all()}
    head_by_page = {e.page: e for e in head.all()}
    result = Affected(base_name)

    for path in sorted(base_pages.keys() & head_pages.keys()):
        if base_pages[path] == head_pages[path]:
            continue
        page = _generated_page(path, head_pages[path], head_by_page)
        old, new = base_by_page.get(path), head_by_page.get(path)
        if old is not None and new is not None and old.data != new.data:
            result.direct.append(page)
        else:
            result.related.append(page)
        result.diffs[path] = rendered_diff.details(base_pages[path], head_pages[path], path)

    gone = [base_by_page[p] for p in sorted(base_pages.keys() - head_pages.keys()) if p in base_by_page]
    new = [head_by_page[p] for p in sorted(head_pages.keys() - base_pages.keys()) if p in head_by_page]
    base_xref = CrossReference(base)

    def linked_from(entity: Entity) -> list[Page]:
        return [_entity_page(other) for other in base_xref.linked_from(entity)]

    renames = _renames(gone, new)
    renamed_old = {old.key for old, _ in renames}
    renamed_new = {added.key for _, added in renames}
    result.renamed = [(_entity_page(old), _entity_page(added), linked_from(old)) for old, added in renames]
    for old, added in renames:
        result.diffs[added.page] = rendered_diff.details(base_pages[old.page], head_pages[added.page], added.page)
    result.removed = [(_entity_page(old), linked_from(old)) for old in gone if old.key not in renamed_old]
    result.added = [_entity_page(added) for added in new if added.key not in renamed_new]
    return result


def _hand_written(repo: Path, commit: str, diffs: dict[str, str]) -> list[tuple[Page, str]]:
    """Pages under docs/ and the contributor guide that the change touches; changed ones' diffs into ``diffs``."""
    changes = []
    for status, old, new in changed_files(repo, commit, "docs", "CONTRIBUTING.md"):
        if status == "R":  # a moved page: its old address goes, a new one comes
            changes += [(old, "removed"), (new, "added")]
        else:
            changes.append((new, {"A": "added", "D": "removed"}.get(status, "changed")))
    pages = []
    for path, how in changes:
        if path == "CONTRIBUTING.md":
            page = Page("contributing.md", "Contributing", "hand-written")
        elif path.endswith(".md"):
            page = Page(path.removeprefix("docs/"), path.removeprefix("docs/"), "hand-written")
        else:
            continue
        pages.append((page, how))
        if how == "changed":  # the page's source before and after (macros not expanded)
            before = _git(repo, "show", f"{commit}:{path}")
            diffs[page.path] = rendered_diff.details(before, (repo / path).read_text(encoding="utf-8"), page.path)
    return pages


def affected(repo: Path, base: str) -> Affected:
    """Compare the working tree of ``repo`` with ``base``; DataError if the working tree's data is invalid."""
    head = load_handbook(repo / "data", repo)  # first: an invalid working tree is the contributor's to fix
    commit = comparison_point(repo, base)
    with tempfile.TemporaryDirectory(prefix="affected-") as tmp:
        base_data = extract_data(repo, commit, Path(tmp))
        if base_data is None:
            result, problem = Affected(base), f"`{base}` has no `data/` folder, so every page is new."
        else:
            try:
                result, problem = compare(load_handbook(base_data, Path(tmp)), head, base), ""
            except DataError as error:
                count = len(error.problems)
                result, problem = Affected(base), (
                    f"The data at `{base}` is invalid ({count} problem{'s' if count != 1 else ''}), "
                    "so generated pages cannot be compared with it."
                )
    result.base_problem = problem
    result.hand_written = _hand_written(repo, commit, result.diffs)
    result.site_wide = sorted({new for _, _, new in changed_files(repo, commit, *SITE_WIDE)})
    return result


# -- Markdown ---------------------------------------------------------------------
def page_url(site_url: str, path: str) -> str:
    """The published address of a page (MkDocs' directory URLs)."""
    stem = path.removesuffix(".md")
    if stem == "index":
        stem = ""
    elif stem.endswith("/index"):
        stem = stem.removesuffix("index")
    else:
        stem += "/"
    return (site_url.rstrip("/") + "/" if site_url else "") + stem


def artifact_path(path: str) -> str:
    """Where a page's HTML is inside the built site (the artifact's root is site/)."""
    return page_url("", path) + "index.html"


class Report:
    """Writes the pages as Markdown: links to the published site, the artifact and the diffs."""

    def __init__(self, result: Affected, site_url: str, artifact_url: str = ""):
        self.result, self.site_url, self.artifact_url = result, site_url, artifact_url
        self.budget = DIFF_BUDGET
        self.diffs_left_out = 0

    def link(self, page: Page) -> str:
        return f"[{safe_markdown.link_text(page.title)}]({page_url(self.site_url, page.path)})"

    def links(self, pages: list[Page]) -> str:
        return ", ".join(self.link(page) for page in pages) or "no other page"

    def in_artifact(self, page: Page) -> str:
        if not self.artifact_url:
            return ""
        return f" · in the [built site artifact]({self.artifact_url}): `{artifact_path(page.path)}`"

    def new(self, page: Page, what: str = "") -> str:
        """A page the published site does not have yet: named, not linked to a missing page."""
        return f"**{safe_markdown.link_text(page.title)}** ({what or page.label}), new: not on the published site yet"

    def diff(self, page: Page) -> str:
        block = self.result.diffs.get(page.path, "")
        if not block:
            return ""
        if len(block) > self.budget:  # keep the summary under GitHub's limit
            self.diffs_left_out += 1
            return ""
        self.budget -= len(block)
        return "\n" + block

    def item(self, text: str, page: Page) -> str:
        return f"- {text}{self.in_artifact(page)}{self.diff(page)}"


def to_markdown(result: Affected, site_url: str, artifact_url: str = "") -> str:
    report = Report(result, site_url, artifact_url)
    out = ["## Pages this change affects", ""]
    if result.base_problem:
        out += [f"> **Note:** {result.base_problem}", ""]
    counts = [
        (len(result.direct), "edited directly"),
        (len(result.related), "changed through a relation"),
        (len(result.added), "added"),
        (len(result.renamed), "renamed"),
        (len(result.removed), "removed"),
        (len(result.hand_written), "hand-written"),
    ]
    summary = ", ".join(f"**{n}** {what}" for n, what in counts if n)
    out += [f"Compared with `{result.base}`: {summary or 'no page changes'}.", ""]
    if artifact_url:
        out += [f"The [built site artifact]({artifact_url}) holds this pull request's site: unzip it and open a page's path in a browser.", ""]

    def section(title: str, lines: list[str]):
        if lines:
            out.extend([f"### {title} ({len(lines)})", "", *lines, ""])

    section("Edited directly", [report.item(f"{report.link(p)} ({p.label})", p) for p in result.direct])
    section("Added", [report.item(report.new(p), p) for p in result.added])
    section(
        "Renamed",
        [
            report.item(f"`{old.path}` → {report.new(new)}; its address changes. Linked from: {report.links(refs)}", new)
            for old, new, refs in result.renamed
        ],
    )
    section(
        "Removed",
        [f"- {report.link(old)} ({old.label}), linked from: {report.links(refs)}" for old, refs in result.removed],
    )
    section(
        "Changed through a relation: reverse links, derived lists, index pages",
        [report.item(f"{report.link(p)} ({p.label})", p) for p in result.related],
    )
    section(
        "Hand-written pages",
        [report.item(report.new(p, how) if how == "added" else f"{report.link(p)} ({how})", p) for p, how in result.hand_written],
    )
    if report.diffs_left_out:
        out += [f"Rendered diffs of {report.diffs_left_out} more pages left out: the summary would be too long.", ""]
    if result.site_wide:
        files = ", ".join(f"`{name}`" for name in result.site_wide)
        out += [
            "### Site-wide files changed",
            "",
            f"{files}: code, templates, schemas or theme files, so any page may look different "
            "(the lists above compare data only). Check the build.",
            "",
        ]
    return "\n".join(out)


# -- command line ---------------------------------------------------------------
def site_url(repo: Path) -> str:
    return mkdocs_config.read(repo).get("site_url") or ""


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="make affected BASE=<ref>", description=__doc__.splitlines()[0])
    parser.add_argument("base", help="a git ref, e.g. origin/main")
    parser.add_argument(
        "--artifact-url",
        default=os.environ.get(ARTIFACT_ENV, ""),
        help=f"the built site's artifact page, to say where each page is in it (default: ${ARTIFACT_ENV})",
    )
    args = parser.parse_args(argv)
    return run(lambda: _report(args.base, args.artifact_url))


def _report(base: str, artifact_url: str) -> int:
    try:
        repo = Path(_git(Path.cwd(), "rev-parse", "--show-toplevel").strip())
        result = affected(repo, base)
    except GitError as error:
        return fail(f"make affected: {error} (is BASE a commit, branch or tag here? CI needs fetch-depth: 0)", 2)
    print(to_markdown(result, site_url(repo), artifact_url))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
