"""A technology's "Versions and support" facts, read on a given day.

The data says what was true on ``as_of``; whether a release line is still supported
is worked out here, against the build's date, so a page never shows a line as
supported after its published end of support. Facts checked more than
``RECHECK_MONTHS`` ago are listed on the content-health page and warned about
by ``make check``.
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from . import freshness
from .model import Entity
from .yaml_source import WARNING, LineDict, Problem, texts

RECHECK_MONTHS = 6
# A date in a note or policy has no evidence beside it: dates belong in fields with a source.
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
CODE_SPAN = re.compile(r"`[^`]*`")


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
    scheduled: datetime.date | None = None
    source: str | None = None
    checked: datetime.date | None = None

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
    # The technology whose release lines this one ships with (versions.follows), resolved.
    train: Versions | None = None

    @property
    def data(self) -> dict:
        return self.entity.data["versions"]

    @property
    def lines(self) -> dict:
        """The block that states the release lines: this one, or the one it follows."""
        return self.train.data if self.train else self.data

    @property
    def latest(self) -> dict | None:
        """The current stable release; None for a service delivered without versions."""
        return self.lines.get("latest")

    @property
    def checks(self) -> list[tuple[str, datetime.date | None, str | None]]:
        """Every dated fact of this block as (what, checked, source), for the health page."""
        facts = []
        latest = self.data.get("latest")
        if isinstance(latest, dict):
            facts.append((f"latest {latest.get('version')}", _date(latest.get("checked")), latest.get("source")))
        for line in self.data.get("releases") or []:
            if isinstance(line, dict):
                facts.append((f"release {line.get('version')}", _date(line.get("checked")), line.get("source")))
        return facts

    @property
    def oldest_check(self) -> datetime.date | None:
        dates = [checked for _, checked, _ in self.checks if checked]
        return min(dates) if dates else None

    @property
    def third_party_sources(self) -> list[str]:
        """Sources on a site other than the project's own (its website, docs or a code host)."""
        own = {_site(self.entity.data.get("website")), _site(self.entity.data.get("docs"))}
        return sorted({s for _, _, s in self.checks if s and _site(s) not in own | CODE_HOSTS})

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
                _date(line.get("scheduled")),
                line.get("source"),
                _date(line.get("checked")),
            )
            for line in self.lines.get("releases") or []
        ]


# Release notes and tags published on a code host are the project's own.
CODE_HOSTS = {"github.com", "gitlab.com", "codeberg.org"}


def _site(url) -> str | None:
    """The registrable part of a URL's host (docs.python.org -> python.org), roughly."""
    host = urlsplit(url).hostname if isinstance(url, str) else None
    return ".".join(host.split(".")[-2:]) if host else None


def versions_of(entity: Entity, today: datetime.date, technologies: dict[str, Entity] | None = None) -> Versions | None:
    """``technologies`` (id -> entity) resolves ``versions.follows``; without it a follower shows no lines."""
    block = entity.data.get("versions")
    as_of = _date(block.get("as_of")) if isinstance(block, dict) else None
    if not as_of:
        return None
    followed = (technologies or {}).get(block.get("follows"))
    train = versions_of(followed, today) if followed is not None and followed is not entity else None
    return Versions(entity, as_of, today, train)


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
    if block.get("follows") and (block.get("releases") or block.get("latest")):
        problems.append(
            Problem(entity.source, block.line_of("follows"), "versions.follows states the lines elsewhere: remove latest and releases here")
        )
    if isinstance(latest, dict):
        problems += _evidence_problems(entity, latest, "versions.latest", today)
    for release in block.get("releases") or []:
        if not isinstance(release, dict):
            continue
        name = f"release {release.get('version')!r}"
        where = lambda key: release.line_of(key) if isinstance(release, LineDict) else line  # noqa: E731
        start, end = _date(release.get("released")), _date(release.get("end_of_support"))
        if start and end and end < start:
            problems.append(Problem(entity.source, where("end_of_support"), f"{name} ends support ({end}) before its release ({start}); swap or fix the dates"))
        scheduled = _date(release.get("scheduled"))
        if scheduled and start:
            problems.append(Problem(entity.source, where("scheduled"), f"{name} has both released and scheduled; keep released once it has shipped"))
        elif scheduled and scheduled < today:
            problems.append(
                Problem(
                    entity.source,
                    where("scheduled"),
                    f"{name} was scheduled for {scheduled}, which has passed: confirm the release (released: with its"
                    " release note as source) or remove the line",
                )
            )
        if start and start > today:
            problems.append(
                Problem(entity.source, where("released"), f"{name} is dated {start}, in the future: write it as scheduled: with the schedule as source")
            )
        problems += _evidence_problems(entity, release, name, today)
    for where, text in _notes(block):
        if ISO_DATE.search(CODE_SPAN.sub("", text)):  # `2012-08-10` as an API version is a name, not a claim
            problems.append(
                Problem(
                    entity.source,
                    where,
                    "a date in a versions note or policy has no evidence beside it: put it in released, scheduled or"
                    " end_of_support (with the source that states it) or leave it out",
                )
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


def _evidence_problems(entity: Entity, item: dict, name: str, today: datetime.date) -> list[Problem]:
    """A dated fact needs the source that states it and the day it was read there."""
    line = item.line_of("version") if isinstance(item, LineDict) else 1
    problems = []
    checked = _date(item.get("checked"))
    if checked and checked > today:
        where = item.line_of("checked") if isinstance(item, LineDict) else line
        problems.append(Problem(entity.source, where, f"{name} was checked {checked}, in the future; set the day you read the source"))
    return problems


def _notes(block: dict):
    """(line, text) of the block's free text: its policy and each line's note."""
    if isinstance(block.get("policy"), str):
        yield block.line_of("policy"), block["policy"]
    for release in block.get("releases") or []:
        if isinstance(release, LineDict) and isinstance(release.get("note"), str):
            yield release.line_of("note"), release["note"]


MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december")
MONTH_YEAR = re.compile(r"\b(" + "|".join(MONTHS) + r")\s+(\d{4})\b", re.I)
# A sentence ends at . ! or ? before a space, or at a blank line ("18.1" and "ASP.NET" go on).
SENTENCE = re.compile(r"(?:[^.!?\n]|[.!?](?=\S)|\n(?![ \t]*\n))+")


def _release_facts(technologies: dict[str, Entity]) -> dict[tuple[str, str], tuple[Entity, set]]:
    """(lower-case product name, version) -> (the entity that states it, its dates), followers' names included."""
    facts = {}
    for entity in technologies.values():
        block = entity.data.get("versions")
        if not isinstance(block, dict):
            continue
        owner = technologies.get(block.get("follows")) or entity
        lines = owner.data.get("versions") or {}
        items = ([lines["latest"]] if isinstance(lines.get("latest"), dict) else []) + list(lines.get("releases") or [])
        names = [entity.data.get("title", "")] + list(entity.data.get("aliases") or [])
        for item in items:
            if not isinstance(item, dict) or not item.get("version"):
                continue
            dates = {_date(item.get(key)) for key in ("released", "end_of_support", "scheduled")} - {None}
            for name in names:
                facts[(str(name).casefold(), str(item["version"]))] = (owner, dates)
    return facts


def release_date_problems(known: dict[str, dict[str, Entity]]) -> list[Problem]:
    """Two pages, two answers: a date written beside a release in any text must be one its versions block states."""
    facts = _release_facts(known.get("technologies", {}))
    if not facts:
        return []
    # Kept between loads for `make serve` (macros/serve_data.py): a file that did not change has
    # the same sentences, and with the same facts the same problems.
    token = {key: (owner.source, frozenset(dates)) for key, (owner, dates) in facts.items()}
    if _CHECKED["facts"] != token:
        _CHECKED.update(facts=token, found={})
    mention = _mention(tuple(sorted({name for name, _ in facts}, key=len, reverse=True)))
    problems, found = [], {}
    for by_id in known.values():
        for entity in sorted(by_id.values(), key=lambda e: e.source):
            for line, sentence in _dated_sentences(entity):
                key = (entity.source, line, sentence)
                found[key] = _CHECKED["found"].get(key)
                if found[key] is None:
                    found[key] = _sentence_problems(entity, line, sentence, mention, facts)
                problems += found[key]
    _CHECKED["found"] = found
    return problems


YEAR = re.compile(r"\b(?:19|20)\d\d\b")
DATE = re.compile(f"{ISO_DATE.pattern}|{MONTH_YEAR.pattern}", re.I)
_CHECKED: dict = {"facts": None, "found": {}}  # the last facts, and each sentence's problems under them
_DATED: dict[str, tuple] = {}  # entity source -> (its data, its sentences with a date)


# A version number after a name: "PostgreSQL 18", "Node.js v24", not "18.1" read as "18".
VERSION = re.compile(r"(?<![\w.])v?(\d+(?:\.\d+)*)(?![\w]|\.\d)")


class _Mentions:
    """Finds "<release name> <version>" in a sentence by looking up the words before each
    version number, so the cost grows with the sentence, not with the number of names
    (one alternation of every name made validation quadratic at 50x data)."""

    def __init__(self, names):
        self.names = {name.casefold() for name in names}
        self.longest = max((len(name.split()) for name in self.names), default=1)

    def finditer(self, sentence: str):
        """(start, name as written, version) of each release named in the sentence."""
        for version in VERSION.finditer(sentence):
            words = list(re.finditer(r"\S+", sentence[: version.start()]))[-self.longest :]
            if not words or words[-1].end() == version.start():  # "v18" glued to a word is no mention
                continue
            for first in range(len(words)):
                start = words[first].start() + len(words[first][0]) - len(words[first][0].lstrip("([{\"'“"))
                name = " ".join(sentence[start : words[-1].end()].split())
                if name.casefold() in self.names:
                    yield start, name, version[1]
                    break


@functools.lru_cache(maxsize=2)
def _mention(names: tuple[str, ...]) -> _Mentions:
    return _Mentions(names)


def _dated_sentences(entity: Entity) -> list[tuple[int, str]]:
    """(line, sentence) of every sentence in the entity's text with a date: only those can
    contradict a versions block (matching every release name in every sentence was most of `make check`)."""
    kept = _DATED.get(entity.source)
    if kept is not None and kept[0] is entity.data:
        return kept[1]
    found = []
    for line, text in texts(entity.data):
        # A year first, and before it its century as plain text (a regex starting with \b scans slowly).
        has_year = ("19" in text or "20" in text) and YEAR.search(text)
        dates = [m.start() for m in DATE.finditer(text)] if has_year else []
        if not dates:
            continue
        next_date = 0  # dates and sentences both run in text order
        for sentence in SENTENCE.finditer(text):
            while next_date < len(dates) and dates[next_date] < sentence.start():
                next_date += 1
            if next_date < len(dates) and dates[next_date] < sentence.end():
                found.append((line + text.count("\n", 0, sentence.start()), sentence[0]))
    _DATED[entity.source] = (entity.data, found)
    return found


def _sentence_problems(entity: Entity, line: int, sentence: str, mention, facts) -> list[Problem]:
    """Each release named in the sentence owns the dates between it and the next release named."""
    named = list(mention.finditer(sentence))
    problems = []
    for index, (start, name, version) in enumerate(named):
        if (name.casefold(), version) not in facts:
            continue
        part = sentence[start : named[index + 1][0] if index + 1 < len(named) else len(sentence)]
        owner, dates = facts[(name.casefold(), version)]
        stated = [d for d in map(_date, ISO_DATE.findall(CODE_SPAN.sub("", part))) if d]
        wrong = [str(d) for d in stated if d not in dates]
        months = {(d.year, d.month) for d in dates}
        wrong += [" ".join(m[0].split()) for m in MONTH_YEAR.finditer(part) if (int(m[2]), MONTHS.index(m[1].casefold()) + 1) not in months]
        if wrong:
            said = ", ".join(str(d) for d in sorted(dates)) or "no date"
            problems.append(
                Problem(
                    entity.source,
                    line + sentence.count("\n", 0, start),
                    f"{name} {version} is dated {', '.join(wrong)} here, but {owner.source} states {said} for it: use"
                    " the date its versions block gives (with its source), or leave the date out and link the page",
                )
            )
    return problems
