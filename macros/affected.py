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
"""

from __future__ import annotations

import html
import io
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from . import mkdocs_config, safe_markdown
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

    gone = [base_by_page[p] for p in sorted(base_pages.keys() - head_pages.keys()) if p in base_by_page]
    new = [head_by_page[p] for p in sorted(head_pages.keys() - base_pages.keys()) if p in head_by_page]
    base_xref = CrossReference(base)

    def linked_from(entity: Entity) -> list[Page]:
        return [_entity_page(other) for other in base_xref.linked_from(entity)]

    renames = _renames(gone, new)
    renamed_old = {old.key for old, _ in renames}
    renamed_new = {added.key for _, added in renames}
    result.renamed = [(_entity_page(old), _entity_page(added), linked_from(old)) for old, added in renames]
    result.removed = [(_entity_page(old), linked_from(old)) for old in gone if old.key not in renamed_old]
    result.added = [_entity_page(added) for added in new if added.key not in renamed_new]
    return result


def _hand_written(repo: Path, commit: str) -> list[tuple[Page, str]]:
    """Pages under docs/ and the contributor guide that the change touches."""
    changes = []
    for status, old, new in changed_files(repo, commit, "docs", "CONTRIBUTING.md"):
        if status == "R":  # a moved page: its old address goes, a new one comes
            changes += [(old, "removed"), (new, "added")]
        else:
            changes.append((new, {"A": "added", "D": "removed"}.get(status, "changed")))
    pages = []
    for path, how in changes:
        if path == "CONTRIBUTING.md":
            pages.append((Page("contributing.md", "Contributing", "hand-written"), how))
        elif path.endswith(".md"):
            page = path.removeprefix("docs/")
            pages.append((Page(page, page, "hand-written"), how))
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
    result.hand_written = _hand_written(repo, commit)
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


def _link(site_url: str, page: Page) -> str:
    return f"[{safe_markdown.link_text(page.title)}]({page_url(site_url, page.path)})"


def _links(site_url: str, pages: list[Page]) -> str:
    return ", ".join(_link(site_url, page) for page in pages) or "no other page"


def to_markdown(result: Affected, site_url: str) -> str:
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

    def section(title: str, lines: list[str]):
        if lines:
            out.extend([f"### {title} ({len(lines)})", "", *lines, ""])

    section("Edited directly", [f"- {_link(site_url, p)} ({p.label})" for p in result.direct])
    section("Added", [f"- {_link(site_url, p)} ({p.label})" for p in result.added])
    section(
        "Renamed",
        [
            f"- `{old.path}` → {_link(site_url, new)} ({new.label}); its address changes. Linked from: {_links(site_url, refs)}"
            for old, new, refs in result.renamed
        ],
    )
    section(
        "Removed",
        [
            f"- {_link(site_url, old)} ({old.label}), linked from: {_links(site_url, refs)}"
            for old, refs in result.removed
        ],
    )
    section(
        "Changed through a relation: reverse links, derived lists, index pages",
        [f"- {_link(site_url, p)} ({p.label})" for p in result.related],
    )
    section("Hand-written pages", [f"- {_link(site_url, p)} ({how})" for p, how in result.hand_written])
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
    if len(argv) != 1 or argv[0].startswith("-"):
        return fail("usage: python -m macros.affected BASE   (a git ref, e.g. origin/main)", 2)
    return run(lambda: _report(argv[0]))


def _report(base: str) -> int:
    try:
        repo = Path(_git(Path.cwd(), "rev-parse", "--show-toplevel").strip())
        result = affected(repo, base)
    except GitError as error:
        return fail(f"make affected: {error} (is BASE a commit, branch or tag here? CI needs fetch-depth: 0)", 2)
    print(to_markdown(result, site_url(repo)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
