"""Content health: what in the handbook needs a maintainer's attention, computed at build time.

Shown on the generated "Content health" page; the word floors are also asserted by
tests/test_content.py, so both use the definitions here.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field

from . import edit_links, freshness, versions
from .freshness import Review
from .model import Entity, Handbook
from .per_entity import PerEntity
from .xref import CrossReference

# Body text a page needs, in words, and the fields that count as its body.
WORD_FLOORS = {
    "activities": (250, ["overview", "why_it_matters", "practices", "checklist", "pitfalls", "seniority"]),
    "technologies": (150, ["overview", "uses", "choose_when", "avoid_when"]),
    "phases": (250, ["goal", "overview", "inputs", "deliverables", "involves", "exit_criteria"]),
    "glossary": (100, ["definition"]),  # prose only: code examples do not count
}
FENCED = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)  # code is not prose


def words(value) -> int:
    """Words of prose in a field's value, however nested, code blocks left out."""
    if isinstance(value, str):
        if "```" in value or "~~~" in value:  # most texts have no code: skip the regex
            value = FENCED.sub(" ", value)
        return len(value.split())
    if isinstance(value, list):
        return sum(words(item) for item in value)
    if isinstance(value, dict):
        return sum(words(item) for item in value.values())
    return 0


def body_words(entity: Entity) -> int:
    _, fields = WORD_FLOORS[entity.kind.folder]
    return sum(words(entity[name]) for name in fields)


_body_words = PerEntity(body_words)  # under `make serve`, counted again only for edited files


def untitled(reference: dict) -> bool:
    """A further-reading link whose title says nothing but its address."""
    title = str(reference.get("title") or "").strip()
    url = str(reference.get("url") or "")
    bare = url.split("://", 1)[-1].rstrip("/")
    return not title or title.rstrip("/") in (url.rstrip("/"), bare) or title.startswith(("http://", "https://", "www."))


@dataclass
class ShortPage:
    entity: Entity
    words: int
    floor: int


@dataclass
class Owner:
    name: str
    entries: int
    overdue: int


@dataclass
class ContentHealth:
    today: datetime.date
    overdue: list[Review] = field(default_factory=list)  # oldest review first
    next_due: datetime.date | None = None
    next_due_count: int = 0
    unused_technologies: list[Entity] = field(default_factory=list)
    activities_without_technology: list[Entity] = field(default_factory=list)
    activities_without_phase: list[Entity] = field(default_factory=list)
    short_pages: list[ShortPage] = field(default_factory=list)
    untitled_links: list[tuple[Entity, dict]] = field(default_factory=list)
    stale_versions: list[versions.Versions] = field(default_factory=list)  # oldest check first
    # Every versions block by the age of its oldest dated fact's check (unchecked first), and
    # the blocks whose evidence includes a source other than the project's own.
    version_checks: list[versions.Versions] = field(default_factory=list)
    third_party_versions: list[versions.Versions] = field(default_factory=list)
    owners: list[Owner] = field(default_factory=list)  # most entries first
    _overdue_by_key: dict = field(default_factory=dict, repr=False)

    def review(self, entity: Entity) -> Review | None:
        """The entry's review when it is overdue, for the page banner; None otherwise."""
        return self._overdue_by_key.get(entity.key)

    @property
    def issues(self) -> int:
        return sum(
            map(
                len,
                (
                    self.overdue,
                    self.unused_technologies,
                    self.activities_without_technology,
                    self.activities_without_phase,
                    self.short_pages,
                    self.untitled_links,
                    self.stale_versions,
                ),
            )
        )


def content_health(handbook: Handbook, xref: CrossReference, today: datetime.date) -> ContentHealth:
    health = ContentHealth(today)
    reviews = [r for e in handbook.all() if (r := freshness.review_of(e, today)) is not None]
    health.overdue = sorted((r for r in reviews if r.overdue), key=lambda r: (r.reviewed, r.entity.title.casefold()))
    health._overdue_by_key = {r.entity.key: r for r in health.overdue}
    upcoming = [r.due for r in reviews if not r.overdue]
    if upcoming:
        health.next_due = min(upcoming)
        health.next_due_count = upcoming.count(health.next_due)

    health.unused_technologies = [t for t in handbook.of("technologies") if not xref.activities_using(t)]
    health.activities_without_technology = [a for a in handbook.of("activities") if not a["technologies"]]
    health.activities_without_phase = [a for a in handbook.of("activities") if not xref.phases_of(a)]
    floored = [(entity, floor) for folder, (floor, _) in WORD_FLOORS.items() for entity in handbook.of(folder)]
    for (entity, floor), count in zip(floored, _body_words(entity for entity, _ in floored)):
        if count < floor:
            health.short_pages.append(ShortPage(entity, count, floor))
    health.untitled_links = [
        (entity, reference) for entity in handbook.all() for reference in entity.data.get("further_reading") or [] if untitled(reference)
    ]

    facts = [v for t in handbook.of("technologies") if (v := versions.versions_of(t, today))]
    health.stale_versions = sorted((v for v in facts if v.stale), key=lambda v: (v.as_of, v.entity.title.casefold()))
    health.version_checks = sorted(
        (v for v in facts if v.checks), key=lambda v: (v.oldest_check or datetime.date.min, v.entity.title.casefold())
    )
    health.third_party_versions = [v for v in facts if v.third_party_sources]

    entries, overdue = Counter(), Counter()
    for entity in handbook.all():
        for owner in entity["owners"]:
            entries[owner] += 1
            overdue[owner] += entity.key in health._overdue_by_key
    health.owners = [Owner(name, entries[name], overdue[name]) for name in sorted(entries, key=lambda n: (-entries[n], n.casefold()))]
    return health


def edit_urls(repo_url: str | None, edit_uri: str | None, edit_uri_template: str | None = None):
    """A function: entity -> the URL of "Edit this page" for its YAML file, or None.

    The same URL MkDocs builds for the edit button (Page._set_edit_url) from the
    file's edit_uri, which hooks.py sets from edit_links.source_of.
    """
    url = edit_links.url_maker(repo_url, edit_uri, edit_uri_template)
    return lambda entity: url(edit_links.data_source(entity.kind.folder, entity.id))
