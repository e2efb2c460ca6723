"""The What's new page and feed's entries: recent changes of files, as changes of pages.

A data file is its entity's page, a Markdown file under docs/ is a hand-written page,
CONTRIBUTING.md the contributor guide; other files (stylesheets, scripts) are no page
and are left out. Entries are grouped by ISO week, then by commit, newest first.
A page that is gone (its entity removed or renamed since) is named, not linked.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .history import Change, History
from .model import KINDS, Handbook

DAYS = 90
PAGE = "about/whats-new.md"
FEED = "whats-new.atom"  # the Atom feed, at the site root (macros/feed.py)
DATA_FILE = re.compile(r"data/(?P<folder>[a-z]+)/(?P<id>[a-z0-9-]+)\.yml")
HEADING = re.compile(r"^#[ \t]+(.+?)[ \t]*$", re.M)
LABELS = {"added": "Added", "changed": "Changed", "renamed": "Renamed", "removed": "Removed"}


@dataclass(frozen=True)
class Entry:
    """One page's change in one commit."""

    change: Change
    page: str | None  # the page's path relative to docs/, if it exists now
    title: str  # its title now, or the id or path of a page that is gone
    kind: str  # "technology", "page", ...

    @property
    def label(self) -> str:
        return LABELS[self.change.status]


@dataclass
class Commit:
    subject: str
    when: datetime.datetime
    entries: list[Entry]

    def by_status(self) -> Iterator[tuple[str, str, list[Entry]]]:
        """(label, kind, entries) for each status and kind present, in LABELS' order."""
        for status, label in LABELS.items():
            listed: dict[str, list[Entry]] = {}
            for entry in self.entries:
                if entry.change.status == status:
                    listed.setdefault(entry.kind, []).append(entry)
            for kind, entries in listed.items():
                yield label, kind, entries


@dataclass
class Week:
    year: int
    number: int
    commits: list[Commit]

    @property
    def first_day(self) -> datetime.date:
        return datetime.date.fromisocalendar(self.year, self.number, 1)

    @property
    def heading(self) -> str:
        start, end = self.first_day, self.first_day + datetime.timedelta(days=6)
        return f"Week {self.number}, {self.year}: {start:%-d %B} to {end:%-d %B %Y}"


class WhatsNew:
    """The last DAYS days of ``history``, as page entries (``entries``) and weeks (``weeks``)."""

    def __init__(self, handbook: Handbook, history: History, docs_dir: Path):
        self.history = history
        self.handbook = handbook
        self.docs_dir = docs_dir
        self.entries = [entry for change in history.since(DAYS) if (entry := self._entry(change))]
        self.start = (history.newest - datetime.timedelta(days=DAYS)).date() if history.newest else None

    def _entry(self, change: Change) -> Entry | None:
        path = change.path
        if path == "CONTRIBUTING.md":
            return Entry(change, "contributing.md", "Contributing", "page")
        match = DATA_FILE.fullmatch(path)
        if match and match["folder"] in KINDS:
            kind = KINDS[match["folder"]]
            entity = self.handbook.entities.get(kind.folder, {}).get(match["id"])
            live = entity is not None and change.status != "removed"
            return Entry(change, entity.page if live else None, entity.title if live else match["id"], kind.singular)
        if path.startswith("docs/") and path.endswith(".md"):
            page = path.removeprefix("docs/")
            file = self.docs_dir / page
            live = change.status != "removed" and file.is_file()
            return Entry(change, page if live else None, _title(file) if live else page, "page")
        return None

    @property
    def weeks(self) -> list[Week]:
        weeks: list[Week] = []
        for entry in self.entries:  # newest first, a commit's files together
            year, number, _ = entry.change.when.isocalendar()
            if not weeks or (weeks[-1].year, weeks[-1].number) != (year, number):
                weeks.append(Week(year, number, []))
            commits = weeks[-1].commits
            if not commits or commits[-1].entries[0].change.commit != entry.change.commit:
                commits.append(Commit(entry.change.subject, entry.change.when, []))
            commits[-1].entries.append(entry)
        return weeks


def _title(file: Path) -> str:
    """A hand-written page's title: its front matter title or first heading, as MkDocs takes it."""
    text = file.read_text(encoding="utf-8")
    front = re.match(r"\A---\n(.*?)\n---\n", text, re.S)
    title = re.search(r"^title:[ \t]*(.+?)[ \t]*$", front[1], re.M) if front else None
    heading = HEADING.search(text)
    found = title[1].strip("'\"") if title else heading[1] if heading else file.stem
    return found.replace("{{", "").replace("}}", "")  # a macro in a heading stays unrendered
