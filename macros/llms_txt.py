"""The handbook for AI assistants: /llms.txt, /llms-full.txt and each page's Markdown beside its HTML.

Made from the same rendered Markdown as the pages and ``make export`` (site_files.generate),
cleaned by ``readable_markdown``: not converted back from HTML, so nothing is lost or
guessed. ``Collector`` sees every generated page as the build renders it (keeping it,
past PLAIN_PAGES, compressed until the end), adds the hand-written pages under docs/ with their macros
expanded, and then yields the static files:

- ``llms.txt`` (https://llmstxt.org): the name as H1, a one-paragraph summary as a
  blockquote, then a section per kind listing every page once as
  ``- [Title](url): summary``, the index page first; hand-written and other pages last,
  with the ones an assistant may skip under ``## Optional`` (the format's convention);
- ``llms-full.txt``: every page's Markdown, in that order, each under its ``# Title``;
- each page's Markdown at ``<page>/index.md`` beside ``<page>/index.html``.

Links point at pages' Markdown copies: absolute when ``site_url`` is set (the handbook's
case, so a copied file still works), relative to the file otherwise. A ``.md`` file under
docs/ would become a page, so the copies travel under ``COPIES/…/index.md.txt`` and
hooks.py publishes each at its address (``copy_destination``).
"""

from __future__ import annotations

import html
import json
import re
import zlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from . import safe_markdown
from .model import KINDS, Handbook
from .readable_markdown import Links, clean, html_path, markdown_path

DOCS = Path(__file__).resolve().parent.parent / "docs"
INDEX, FULL = "llms.txt", "llms-full.txt"
COPIES = "_page-markdown/"  # static source folder of the Markdown copies; hooks.py publishes them
COPY_SUFFIX = ".txt"
# Not handbook content: listed under "## Optional" so an assistant short of room skips them.
OPTIONAL = ("tags.md", "explorer.md", "about/health.md", "contributing.md")
# Generated pages not listed: the single-page copy repeats every other page (make pdf).
SKIPPED = ("print/index.md",)
TITLE = re.compile(r'^title:\s*(".*")\s*$', re.M)
DESCRIPTION = re.compile(r"^description:\s*(.*?)\s*$", re.M)
H1 = re.compile(r"^# (.+)$", re.M)
# Pages whose cleaned Markdown the collector keeps as it is; later ones are compressed (a
# large handbook's would otherwise be its biggest allocation; compressing costs a tenth of a small build's data layer).
PLAIN_PAGES = 500  # the handbook of 2026-12 has 345 pages; at 50x, 500 pages cost 8 MB more
# How the summary counts each kind, where the folder's name alone would not say it.
NOUNS = {"glossary": "glossary terms", "categories": "technology categories", "paths": "onboarding paths"}


def copy_source(markdown_copy: str) -> str:
    """The static path a page's Markdown copy is generated under (see COPIES)."""
    return COPIES + markdown_copy + COPY_SUFFIX


def copy_destination(static_path: str) -> str | None:
    """Where a generated static file under COPIES is published; None for any other file."""
    if not static_path.startswith(COPIES):
        return None
    return static_path.removeprefix(COPIES).removesuffix(COPY_SUFFIX)


def _meta(markdown: str) -> tuple[str, str]:
    """A page's title and description from its front matter (or its first heading)."""
    head = markdown[: markdown.find("\n---", 4) + 1] if markdown.startswith("---\n") else ""
    title = TITLE.search(head)
    title = html.unescape(json.loads(title[1])) if title else ""
    heading = H1.search(markdown)
    description = DESCRIPTION.search(head)
    text = description[1] if description else ""
    if text.startswith('"'):
        text = json.loads(text)
    return title or (heading[1].strip() if heading else ""), html.unescape(text)


class Collector:
    """Records each page as it is rendered; ``files()`` then yields llms.txt, llms-full.txt and the copies."""

    def __init__(self, handbook: Handbook, config: Mapping, docs_dir: Path = DOCS, keep_texts: bool = False):
        self.handbook = handbook
        self.directory_urls = config.get("use_directory_urls") is not False
        self.links = Links(config.get("site_url"), self.directory_urls)
        self.name = config.get("site_name") or "The Backend Handbook"
        self.description = config.get("site_description") or ""
        self.docs_dir = docs_dir
        # src_uri -> title, summary, cleaned body (zlib-compressed bytes after PLAIN_PAGES pages)
        self.pages: dict[str, tuple[str, str, str | bytes]] = {}
        self.complete = False
        # `make serve` keeps the collector: each file's text of a page, while the page is the same.
        self.texts: dict[tuple[str, str], tuple[str | bytes, str]] | None = {} if keep_texts else None

    def watch(self, pages: Iterable[tuple[str, str]]) -> Iterator[tuple[str, str]]:
        """``pages``, passed through unchanged, each one recorded on the way."""
        for src_uri, markdown in pages:
            self.add(src_uri, markdown)
            yield src_uri, markdown
        self.complete = True

    def add(self, src_uri: str, markdown: str) -> None:
        if src_uri in SKIPPED:
            return
        title, summary = _meta(markdown)
        body = clean(markdown, self.links, src_uri)  # links marked once, placed per file in text()
        if not body.startswith("# "):  # every page opens with its title, as a heading
            body = f"# {title}\n\n{body}"
        old = self.pages.get(src_uri)
        plain = isinstance(old[2], str) if old else len(self.pages) < PLAIN_PAGES
        stored = body if plain else zlib.compress(body.encode("utf-8"), 1)
        self.pages[src_uri] = (title, summary, old[2] if old and old[2] == stored else stored)  # the same: texts kept

    def add_hand_written(self, expand) -> None:
        """The Markdown pages under docs/, ``expand`` applied to the text (macros)."""
        for path in sorted(self.docs_dir.rglob("*.md")):
            self.add(path.relative_to(self.docs_dir).as_posix(), expand(path.read_text(encoding="utf-8")))

    def text(self, src_uri: str, written_to: str) -> str:
        """A page's Markdown for the file at ``written_to``: links fixed, its web address under the title."""
        stored = self.pages[src_uri][2]
        kept = self.texts.get((src_uri, written_to)) if self.texts is not None else None
        if kept is not None and kept[0] is stored:
            return kept[1]
        body = stored if isinstance(stored, str) else zlib.decompress(stored).decode("utf-8")
        first, _, rest = self.links.place(body, written_to).partition("\n")
        url = self.links.url(html_path(src_uri, self.directory_urls), written_to)
        text = f"{first}\n\nWeb page: {f'<{url}>' if '://' in url else f'[{url}]({url})'}\n{rest}"
        if self.texts is not None:
            self.texts[src_uri, written_to] = stored, text
        return text

    def sections(self) -> list[tuple[str, list[str]]]:
        """(heading, pages) in llms.txt order: one section per kind, then the other pages."""
        out, listed = [], set()
        for folder, kind in KINDS.items():
            entries = [f"{folder}/index.md"] + [entity.page for entity in self.handbook.of(folder)]
            entries = [page for page in entries if page in self.pages]
            out.append((kind.plural, entries))
            listed.update(entries)
        rest = sorted(self.pages.keys() - listed, key=lambda p: (p != "index.md", p))
        out.append(("Pages", [page for page in rest if page not in OPTIONAL]))
        out.append(("Optional", [page for page in rest if page in OPTIONAL]))
        return [(heading, pages) for heading, pages in out if pages]

    def summary(self) -> str:
        counts = ", ".join(f"{len(self.handbook.of(folder))} {NOUNS.get(folder, folder)}" for folder in KINDS)
        return (
            f"{self.description.rstrip('.')}. One page per entry, generated from reviewed YAML data: {counts}. "
            f"Each link below is a page's Markdown (its HTML page is the same address without `index.md`); "
            f"`{FULL}` holds every page in one file, and `api/v1/` the same data as JSON with JSON Schemas."
        )

    def index(self) -> str:
        lines = [f"# {self.name}", "", f"> {self.summary()}", ""]
        for heading, pages in self.sections():
            lines += [f"## {heading}", ""]
            for page in pages:
                title, summary, _ = self.pages[page]
                url = self.links.url(markdown_path(page, self.directory_urls), INDEX)
                text = f"- [{safe_markdown.link_text(title)}]({url})"
                lines.append(f"{text}: {' '.join(summary.split())}" if summary else text)
            lines.append("")
        return "\n".join(lines)

    def files(self) -> Iterator[tuple[str, Iterator[str]]]:
        """(static path, its text in pieces): each page's copy, then llms.txt and llms-full.txt."""
        if not self.complete:
            raise RuntimeError("llms.txt needs every page first: read Generated.pages before Generated.static")
        order = [page for _, pages in self.sections() for page in pages]
        for page in order:
            copy = markdown_path(page, self.directory_urls)
            yield copy_source(copy), iter((self.text(page, copy),))
        yield INDEX, iter((self.index(),))
        yield FULL, (self.text(page, FULL) + "\n" for page in order)
