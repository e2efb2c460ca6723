"""The whole handbook on one page (``print/``), composed from the renderer's own pages.

Only built when asked (``HANDBOOK_OFFLINE=1``, as ``make pdf`` does): converting a second
copy of every page's Markdown would slow down every build and every live reload.

The content is exactly what ``Renderer.pages()`` produced for the site; this module only
rearranges it: entity pages in workflow and index order, each under a unique anchor
(``technology-kafka``), headings demoted below their kind, links between entities
rewritten to anchors inside the page, ids inside an entity made unique
(``technology-kafka--what-it-is``), and every other relative link re-based for ``print/``.
No MkDocs needed, like render.py.
"""

from __future__ import annotations

import html
import json
import os
import posixpath
import re

from markdown.extensions.toc import slugify

from . import freshness, safe_markdown
from .model import KINDS, Entity, Handbook
from .xref import CrossReference

PAGE = "print/index.md"  # one folder deep, like entity pages: their "../x/" links stay valid
PDF = "handbook.pdf"  # at the site root; written by macros/offline_pdf.py
STYLESHEET = "stylesheets/offline.css"  # under docs/
ENVIRONMENT_VARIABLE = "HANDBOOK_OFFLINE"
TITLE = "The whole handbook"
DESCRIPTION = "The Backend Handbook on one page, to read offline or print: every phase, area, activity, responsibility, technology and term."

FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
HEADING = re.compile(r"^(?P<hashes>#{1,6})[ \t]+(?P<text>.*?)(?:[ ]+\{:?(?P<attrs>[^}\n]*)\})?[ \t]*$")
MARKDOWN_LINK = re.compile(r"\]\((?P<target>[^)\s]+)")
HTML_LINK = re.compile(r"\bhref=\"(?P<target>[^\"]+)\"")
# A page script from a template (data text cannot hold "<"): the single page is for reading
# and printing, so the scripts of its sections (progress on path pages) stay out of it.
PAGE_SCRIPT = re.compile(r"^<script src=\"[^\"]+\"( data-[a-z-]+=\"[^\"]*\")*( defer)?></script>$")
HTML_ID = re.compile(r"\bid=\"(?P<id>[^\"]+)\"")
SVG_REFERENCE = re.compile(r"url\(#(?P<id>[^)]+)\)")
INLINE_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
ABSOLUTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|/)", re.I)


def requested() -> bool:
    """Whether this build adds the single page (``make pdf`` sets the variable)."""
    return os.environ.get(ENVIRONMENT_VARIABLE, "") not in ("", "0")


def anchor(entity: Entity) -> str:
    return f"{entity.kind.singular}-{entity.id}"


def home_links(included: bool) -> str:
    """The home page's "Read offline" paragraph: links only when this build has the copy."""
    if not included:
        return (
            "The published handbook has a copy of every page on one page and as a PDF, to read "
            "offline or print. To make them from your own copy, run `make pdf`: they are written "
            f"to `site/{PAGE.removesuffix('index.md')}` and `site/{PDF}`."
        )
    # Raw HTML for the PDF: it is written after the build, so MkDocs cannot check the link.
    return (
        f"- [{TITLE} on one page]({PAGE}): every entry, with links between them, to read offline or print.\n"
        f'- <a href="{PDF}" type="application/pdf">{TITLE} as a PDF</a>: the same page with bookmarks '
        "and a linked table of contents."
    )


def _grouped(handbook: Handbook, xref: CrossReference) -> list[tuple[str, list[tuple[Entity | None, list[Entity]]]]]:
    """Each kind in the site's order, its entries in index order: activities by area and
    technologies by category (as their index pages list them), the rest as listed."""
    groups = {
        "activities": [(area, xref.activities_of_area(area)) for area in handbook.of("areas")],
        "technologies": [(category, xref.technologies_in(category)) for category in handbook.of("categories")],
    }
    return [(folder, groups.get(folder, [(None, handbook.of(folder))])) for folder in KINDS]


def single_page(handbook: Handbook, xref: CrossReference, pages: dict[str, str], site_url: str | None = None) -> str:
    """The Markdown of the single page, from ``pages`` (``Renderer.pages()``)."""
    anchors = {entity.page: anchor(entity) for entity in handbook.all()}
    contents: list[str] = []
    sections: list[str] = []
    for folder, groups in _grouped(handbook, xref):
        kind = KINDS[folder]
        contents.append(f"- [{safe_markdown.link_text(kind.plural)}](#{folder})")
        sections.append(f"## {safe_markdown.heading(kind.plural)} {{ #{folder} .hb-offline-kind }}\n\n{kind.description}\n")
        for group, entities in groups:
            depth = 2
            if group is not None:
                depth = 3
                group_anchor = f"{folder}-in-{group.id}"
                contents.append(f"    - [{safe_markdown.link_text(group.title)}](#{group_anchor})")
                sections.append(f"### {safe_markdown.heading(group.title)} {{ #{group_anchor} .hb-offline-group }}\n")
            indent = "    " * (depth - 1)
            for entity in entities:
                contents.append(f"{indent}- [{safe_markdown.link_text(entity.title)}](#{anchors[entity.page]})")
                sections.append(_entity_section(entity, pages[entity.page], anchors, depth))
    counts = {folder: len(handbook.of(folder)) for folder in KINDS}
    online = f"The site itself is at <{site_url}>; links to its other pages lead there. " if site_url else ""
    intro = (
        f"# {TITLE} {{ #handbook }}\n\n"
        f"The Backend Handbook as of {freshness.today().isoformat()}: {counts['phases']} workflow phases, "
        f"{counts['areas']} areas, {counts['activities']} activities, {counts['responsibilities']} core "
        f"responsibilities, {counts['technologies']} technologies in {counts['categories']} categories and "
        f"{counts['glossary']} glossary terms, every one on this page.\n{{: .hb-lead }}\n\n"
        f"Links between entries jump within the page. {online}\n{{: .hb-offline-note }}\n\n"
        # This page's own styles (headings, contents, page breaks); the rest of the site does without.
        f'<p class="hb-offline-download"><link rel="stylesheet" href="../{STYLESHEET}">'
        f'<a href="../{PDF}" type="application/pdf">Download this page as a PDF</a> with bookmarks, to read offline or print.</p>\n\n'
        "## Contents { #contents .hb-offline-contents }\n\n"
    )
    # Not in search (every result would appear twice); no sidebars: the contents list is the navigation.
    meta = (
        f"---\ntitle: {json.dumps(TITLE)}\ndescription: {json.dumps(DESCRIPTION)}\n"
        "hide: [navigation, toc]\nsearch: {exclude: true}\n---\n\n"
    )
    return meta + intro + "\n".join(contents) + "\n\n" + "\n".join(sections)


def _entity_section(entity: Entity, markdown: str, anchors: dict[str, str], depth: int) -> str:
    """One entity's page as a section: headings ``depth`` levels down, links and ids rewritten."""
    own = anchors[entity.page]
    page_dir = entity.kind.folder  # the Markdown page's folder, for resolving its links
    url_dir = f"{entity.kind.folder}/{entity.id}"  # its URL's folder, for raw HTML links
    used: set[str] = set()
    out: list[str] = []
    fence = None
    for line in FRONT_MATTER.sub("", markdown, count=1).split("\n"):
        match = safe_markdown.FENCE.match(line)
        if fence is not None:  # code is left as written
            if match and match["fence"].startswith(fence) and not match["info"].strip():
                fence = None
            out.append(line)
            continue
        if match:
            fence = match["fence"]
            out.append(line)
            continue
        if PAGE_SCRIPT.match(line):
            continue
        heading = HEADING.match(line)
        if heading:
            line = _heading(heading, own, depth, used)

        def rewrite(prose: str) -> str:
            prose = MARKDOWN_LINK.sub(lambda m: "](" + _target(m["target"], page_dir, own, anchors, url=False), prose)
            prose = HTML_LINK.sub(lambda m: f'href="{_target(m["target"], url_dir, own, anchors, url=True)}"', prose)
            prose = HTML_ID.sub(lambda m: f'id="{own}--{m["id"]}"', prose)
            return SVG_REFERENCE.sub(lambda m: f"url(#{own}--{m['id']})", prose)

        out.append(_outside_code_spans(line, rewrite))
    return "\n".join(out).strip("\n") + "\n"


def _outside_code_spans(line: str, change) -> str:
    """``change`` applied to the text of ``line`` outside code spans (code stays as written)."""
    out, last = [], 0
    for span in safe_markdown.CODE_SPAN.finditer(line):
        out += [change(line[last : span.start()]), span[0]]
        last = span.end()
    return "".join(out + [change(line[last:])])


def _heading(match: re.Match, own: str, depth: int, used: set[str]) -> str:
    """Demote a heading and give it an id: the entity's anchor for its title, else the
    entity's anchor plus the id the heading has on the entity's own page."""
    level = len(match["hashes"])
    attrs = (match["attrs"] or "").split()
    written = next((a[1:] for a in attrs if a.startswith("#")), None)
    slug = written or _unique(_slug(match["text"]), used)
    heading_id = own if level == 1 else f"{own}--{slug}"
    style = ".hb-offline-entry" if level == 1 else ".hb-offline-section"  # the level alone varies with the kind
    attrs = [f"#{heading_id}", style] + [a for a in attrs if not a.startswith("#")]
    return f"{'#' * min(6, level + depth)} {match['text']} {{ {' '.join(attrs)} }}"


def _slug(markdown_text: str) -> str:
    """The id Python-Markdown's toc extension gives a heading with this text."""
    text = html.unescape(INLINE_LINK.sub(r"\1", markdown_text))
    return slugify(text, "-")


def _unique(slug: str, used: set[str]) -> str:
    """As toc does on a page: the second "what-it-is" is "what-it-is_1"."""
    candidate, n = slug, 0
    while candidate in used:
        n += 1
        candidate = f"{slug}_{n}"
    used.add(candidate)
    return candidate


def _target(target: str, base: str, own: str, anchors: dict[str, str], url: bool) -> str:
    """A link from an entity page, rewritten for the single page.

    ``base`` is the folder the link is relative to: the Markdown file's folder for
    Markdown links, the page URL's folder for raw HTML links (``url``)."""
    if ABSOLUTE.match(target):
        return target
    path, _, fragment = target.partition("#")
    if not path:  # within the same entity
        return f"#{own}--{fragment}" if fragment else f"#{own}"
    resolved = posixpath.normpath(posixpath.join(base, path))
    page = f"{resolved.removesuffix('/index.html').removesuffix('.html')}.md" if url else resolved
    if page in anchors:
        entity_anchor = anchors[page]
        return f"#{entity_anchor}--{fragment}" if fragment else f"#{entity_anchor}"
    rebased = posixpath.relpath(resolved, posixpath.dirname(PAGE)) + ("/" if path.endswith("/") else "")
    return rebased + (f"#{fragment}" if fragment else "")
