"""A technology's "Versions and support" facts, read on a given day.

The data says what was true on ``as_of``; whether a release line is still supported
is worked out here, against the build's date, so a page never shows a line as
supported after its published end of support. Facts checked more than
``RECHECK_MONTHS`` ago are listed on the content-health page and warned about
by ``make check``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from . import freshness
from .model import Entity
from .yaml_source import WARNING, LineDict, Problem

RECHECK_MONTHS = 6


def _date(value) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None  # the schema reports a malformed date


@dataclass(frozen=True)
class ReleaseLine:
    version: str
    released: datetime.date | None
    lts: bool
    end_of_support: datetime.date | None
    note: str | None
    today: datetime.date

    @property
    def supported(self) -> bool | None:
        """True or False when the project publishes an end of support; None when it does not."""
        if self.end_of_support is None:
            return None
        return self.today <= self.end_of_support


@dataclass(frozen=True)
class Versions:
    entity: Entity
    as_of: datetime.date
    today: datetime.date

    @property
    def data(self) -> dict:
        return self.entity.data["versions"]

    @property
    def latest(self) -> dict | None:
        """The current stable release; None for a service delivered without versions."""
        return self.data.get("latest")

    @property
    def recheck_due(self) -> datetime.date:
        return freshness.add_months(self.as_of, RECHECK_MONTHS)

    @property
    def stale(self) -> bool:
        return self.today > self.recheck_due

    @property
    def age(self) -> str:
        return freshness.months_ago(freshness.whole_months(self.as_of, self.today))

    @property
    def releases(self) -> list[ReleaseLine]:
        return [
            ReleaseLine(
                str(line["version"]),
                _date(line.get("released")),
                bool(line.get("lts")),
                _date(line.get("end_of_support")),
                line.get("note"),
                self.today,
            )
            for line in self.data.get("releases") or []
        ]


def versions_of(entity: Entity, today: datetime.date) -> Versions | None:
    block = entity.data.get("versions")
    as_of = _date(block.get("as_of")) if isinstance(block, dict) else None
    return Versions(entity, as_of, today) if as_of else None


def versions_problems(entity: Entity, today: datetime.date) -> list[Problem]:
    """Dates that cannot be right (errors) and facts due for a recheck (a warning)."""
    block = entity.data.get("versions")
    if not isinstance(block, LineDict):
        return []
    problems = []
    as_of = _date(block.get("as_of"))
    line = block.line_of("as_of")
    if as_of and as_of > today:
        problems.append(Problem(entity.source, line, f"versions.as_of {as_of} is in the future; set it to the day you checked the facts"))
    latest = block.get("latest")
    released = _date(latest.get("released")) if isinstance(latest, dict) else None
    if as_of and released and released > as_of:
        where = latest.line_of("released") if isinstance(latest, LineDict) else line
        problems.append(
            Problem(entity.source, where, f"versions.latest was released {released}, after as_of {as_of}; recheck the facts and update as_of")
        )
    for index, release in enumerate(block.get("releases") or []):
        if not isinstance(release, dict):
            continue
        start, end = _date(release.get("released")), _date(release.get("end_of_support"))
        if start and end and end < start:
            where = release.line_of("end_of_support") if isinstance(release, LineDict) else line
            problems.append(
                Problem(entity.source, where, f"release {release.get('version')!r} ends support ({end}) before its release ({start}); swap or fix the dates")
            )
    facts = versions_of(entity, today)
    if facts and facts.stale:
        problems.append(
            Problem(
                entity.source,
                line,
                f"version facts checked {facts.age} ({as_of}; recheck every {RECHECK_MONTHS} months): compare them with"
                " the project's release notes, then set versions.as_of to the date you did",
                WARNING,
            )
        )
    return problems
