"""Handbook -> Markdown pages, as plain Python: no MkDocs needed, so the engine can change.

Templates live in ``macros/templates``; they run in Jinja's sandbox with strict
undefined names, and every piece of data text passes through a ``safe_markdown``
filter on its way in. Data is inserted, never evaluated: Jinja does not render the
values of variables, so ``{{ 7*7 }}`` in a YAML file stays text.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterator
import json
from pathlib import Path

from jinja2 import FileSystemBytecodeCache, FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from . import explorer, freshness, history, safe_markdown, versions, whats_new
from .diagram_data import Diagrams
from .health import content_health
from .model import KINDS, LEVELS, READING_TYPES, RING_MEANINGS, RINGS, Entity, Handbook
from .onboarding import Onboarding
from .page_tags import tags_of
from .xref import CrossReference

TEMPLATES = Path(__file__).parent / "templates"
ROOT = Path(__file__).parent.parent
# Compiled templates, kept between builds (keyed by each template's source checksum).
BYTECODE = ROOT / ".cache" / "jinja"
# The contributor guide lives at the repository root, where GitHub shows it.
CONTRIBUTING = ROOT / "CONTRIBUTING.md"
def _link(entity: Entity) -> str:
    return f"[{safe_markdown.link_text(entity.title)}]({safe_markdown.page_link(entity.kind.folder, entity.id)})"


def _links(entities, separator: str = ", ") -> str:
    return separator.join(_link(entity) for entity in entities)


def _bytecode_cache() -> FileSystemBytecodeCache | None:
    try:
        BYTECODE.mkdir(parents=True, exist_ok=True)
    except OSError:  # a read-only checkout still builds, compiling every time
        return None
    return FileSystemBytecodeCache(str(BYTECODE))


class _Sandbox(SandboxedEnvironment):
    """Jinja's sandbox, its verdict on each attribute remembered: the verdict depends only
    on the object's type and the attribute's name (jinja2.sandbox.is_internal_attribute),
    and checking it on every access cost a tenth of rendering."""

    def __init__(self, **options):
        super().__init__(**options)
        self._verdicts: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj, attr: str, value) -> bool:
        key = (type(obj), attr)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = super().is_safe_attribute(obj, attr, value)
        return verdict


def _environment() -> SandboxedEnvironment:
    env = _Sandbox(
        loader=FileSystemLoader(TEMPLATES),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_bytecode_cache(),
    )
    env.filters.update(
        inline=safe_markdown.inline,
        heading=safe_markdown.heading,
        block=safe_markdown.block,
        cell=safe_markdown.link_text,
        link=_link,
        links=_links,
        code=lambda example: safe_markdown.code_block(example["code"], example["language"]),
        attr=safe_markdown.attribute,
        one_line=lambda text: " ".join(text.split()),
    )
    rings = {ring: f"{label}: {RING_MEANINGS[ring]}" for ring, label in RINGS.items()}
    env.globals.update(kinds=KINDS, rings=rings, reading_types=READING_TYPES)
    return env


def front_matter(title: str, description: str, tags: list[str] | None = None, facets: dict | None = None) -> str:
    # Theme templates print these without escaping: escape them for HTML here. A JSON
    # string is a valid YAML scalar, and json.dumps is far faster than yaml.safe_dump.
    title, description = (json.dumps(safe_markdown.attribute(text), ensure_ascii=False) for text in (title, description))
    # Tag names too: Material prints them unescaped, on pages and in search results.
    listed = f"tags: {json.dumps([safe_markdown.attribute(tag) for tag in tags], ensure_ascii=False)}\n" if tags else ""
    # The search index's filters and kind label: ids and fixed labels, escaped where overrides/main.html prints them.
    if facets:
        listed += f"facets: {json.dumps(facets, ensure_ascii=False)}\n"
    return f"---\ntitle: {title}\ndescription: {description}\n{listed}---\n\n"


class Renderer:
    """Renders every page of the handbook; templates are compiled once per build."""

    def __init__(self, handbook: Handbook, today: datetime.date | None = None, edit_url=None, changes: history.History | None = None):
        """``today``: the date reviews are measured against (default: the build's date);
        ``edit_url``: entity -> its "edit this page" URL (health.edit_urls), for review banners;
        ``changes``: the git history (history.read) for "Last changed" and What's new (default: none)."""
        self.handbook = handbook
        self.xref = CrossReference(handbook)
        self.health = content_health(handbook, self.xref, today or freshness.today())
        self.env = _environment()
        self.env.globals.update(x=self.xref, handbook=handbook, diagrams=Diagrams(handbook, self.xref))
        self.env.globals.update(review=self.health.review, edit_url=edit_url or (lambda entity: None))
        self.env.globals.update(onboarding=Onboarding(handbook), levels=LEVELS)
        technologies = {t.id: t for t in handbook.of("technologies")}
        self.env.globals.update(versions=lambda entity: versions.versions_of(entity, self.health.today, technologies))
        self.changes = changes or history.unavailable("the build was not given the git history")
        self.whats_new = whats_new.WhatsNew(handbook, self.changes, ROOT / "docs")
        self.env.globals.update(changed=lambda entity: self.changes.date_of(entity.source), unchanged=self.changes.missing)

    def entity_page(self, entity: Entity) -> str:
        template = self.env.get_template(f"{entity.kind.singular}.md.j2")
        facets = {"kind": entity.kind.singular, "label": entity.kind.label, "area": explorer.areas_of(entity, self.xref)}
        return front_matter(entity.title, entity["summary"], tags_of(entity, self.xref), facets) + template.render(e=entity)

    def index_page(self, folder: str) -> str:
        kind = KINDS[folder]
        template = self.env.get_template(f"index-{folder}.md.j2")
        return front_matter(kind.plural, kind.description) + template.render(kind=kind, entries=self.handbook.of(folder))

    def radar_page(self) -> str:
        template = self.env.get_template("radar.md.j2")
        return front_matter("Technology radar", PAGE_DESCRIPTIONS["radar"]) + template.render(
            technologies=self.handbook.of("technologies")
        )

    def health_page(self) -> str:
        template = self.env.get_template("health.md.j2")
        return front_matter("Content health", PAGE_DESCRIPTIONS["health"]) + template.render(h=self.health)

    def matrix_page(self) -> str:
        template = self.env.get_template("matrix.md.j2")
        return front_matter("Competency matrix", PAGE_DESCRIPTIONS["matrix"]) + template.render(areas=self.handbook.of("areas"))

    def whats_new_page(self) -> str:
        template = self.env.get_template("whats-new.md.j2")
        page = template.render(w=self.whats_new, days=whats_new.DAYS, feed=whats_new.FEED)
        return front_matter("What's new", PAGE_DESCRIPTIONS["whats-new"]) + page

    def pages(self) -> dict[str, str]:
        """Every generated page: path relative to docs/ -> Markdown."""
        return dict(self.iter_pages())

    def iter_pages(self) -> Iterator[tuple[str, str]]:
        """Every generated page, rendered as it is read: (path relative to docs/, Markdown)."""
        for path, _, render in self.page_makers():
            yield path, render()

    def page_makers(self) -> Iterator[tuple[str, Entity | None, Callable[[], str]]]:
        """Every generated page, not yet rendered: (path, its entity or None, what renders it)."""
        for folder in KINDS:
            yield f"{folder}/index.md", None, functools.partial(self.index_page, folder)
        yield "radar/index.md", None, self.radar_page
        yield "contributing.md", None, functools.partial(CONTRIBUTING.read_text, encoding="utf-8")
        yield "about/health.md", None, self.health_page
        yield MATRIX_PAGE, None, self.matrix_page
        yield whats_new.PAGE, None, self.whats_new_page
        for entity in self.handbook.all():
            yield entity.page, entity, functools.partial(self.entity_page, entity)


def _listed(words) -> str:
    """'a, b or c'."""
    words = list(words)
    return ", ".join(words[:-1]) + " or " + words[-1] if len(words) > 1 else "".join(words)


# Descriptions of the generated pages that are not a kind's index (those are KINDS[...].description).
PAGE_DESCRIPTIONS = {
    "radar": f"The handbook's technology radar: {_listed(RINGS)}, with the reason and history of each ring.",
    "health": "What in the handbook needs attention: reviews overdue, unused technologies, short pages, and entries per owner.",
    "whats-new": "What changed in the handbook in the last 90 days, week by week: pages added, changed and removed.",
    "matrix": f"What is expected of {_listed(label.lower() for label in LEVELS.values()).replace(' or ', ' and ')} backend engineers"
    " in every activity, by area, with a self-assessment.",
}
MATRIX_PAGE = "competency-matrix/index.md"


def abbreviations(handbook: Handbook) -> str:
    """Markdown abbreviation definitions for every glossary abbreviation, for every page."""
    lines = [
        f"*[{term['abbreviation']}]: {term.title.replace(']', '')}"
        for term in handbook.of("glossary")
        if term["abbreviation"]
    ]
    return "\n\n" + "\n".join(lines) + "\n" if lines else ""


def render_site(handbook: Handbook) -> dict[str, str]:
    return Renderer(handbook).pages()
