"""When each source file last changed, and every change: one `git log` per build.

``read`` asks git twice in all, however many files there are: whether the checkout has
its history (``rev-parse --is-shallow-repository``), then one ``log --name-status`` with
rename detection over data/, docs/ and CONTRIBUTING.md. Everything else (a page's last
change, the What's new list, the feed) is looked up in what that one call returned.

The rule: a file's last change is the newest commit that touched it, dated by its
committer date (UTC). Only commits count, never the working tree, so building the same
commit gives the same site; an edit not committed yet shows its last commit's date.
Merge commits are left out: the commits they bring in carry the changes and subjects.

Where the history is missing (a shallow clone, a tarball, no git), ``available`` is
False and ``reason`` says why in a reader's words; the build goes on without dates.
"""

from __future__ import annotations

import datetime
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

# What pages are made from, relative to the project root.
TRACKED = ("data", "docs", "CONTRIBUTING.md")
# Records and fields of the log format: commit, committer time (Unix), subject.
RECORD, FIELD = "\x1e", "\x1f"
LOG_FORMAT = f"{RECORD}%H{FIELD}%ct{FIELD}%s"
STATUS = {"A": "added", "M": "changed", "T": "changed", "D": "removed", "R": "renamed"}
# Never let git reach for a remote (a partial clone fetches missing objects on demand).
GIT_ENV = {**os.environ, "GIT_NO_LAZY_FETCH": "1", "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}


@dataclass(frozen=True)
class Change:
    """One file touched by one commit."""

    commit: str
    when: datetime.datetime  # committer date, UTC
    subject: str
    status: str  # added, changed, removed or renamed
    path: str  # relative to the project root; a rename's new path
    old_path: str | None = None  # a rename's old path

    @property
    def day(self) -> datetime.date:
        return self.when.date()


@dataclass
class History:
    available: bool
    reason: str = ""  # why the history is unavailable, for readers
    changes: list[Change] = field(default_factory=list)  # newest first
    last: dict[str, Change] = field(default_factory=dict)  # path -> its newest change

    @property
    def newest(self) -> datetime.datetime | None:
        """The date of the newest change: what "recent" is measured from, so builds repeat."""
        return self.changes[0].when if self.changes else None

    def last_changed(self, path: str) -> Change | None:
        """The newest change of a file, or of any file under a folder given as ``folder/`` ("": any)."""
        if path and not path.endswith("/"):
            return self.last.get(path)
        return next((change for change in self.changes if change.path.startswith(path) and change.status != "removed"), None)

    def date_of(self, path: str) -> str | None:
        """The ISO date a file (or a folder, ``folder/``) last changed, if known."""
        change = self.last_changed(path)
        return change.day.isoformat() if change else None

    @property
    def missing(self) -> str:
        """What a page says instead of a date: no history, or a file not committed yet."""
        return "not committed yet" if self.available else "unknown"

    def since(self, days: int) -> list[Change]:
        """Changes in the ``days`` days up to the newest one, newest first."""
        if not self.changes:
            return []
        start = self.newest - datetime.timedelta(days=days)
        return [change for change in self.changes if change.when > start]


def unavailable(reason: str) -> History:
    return History(False, reason)


def _git(root: Path, *arguments: str) -> subprocess.CompletedProcess:
    command = ["git", "-c", "core.quotePath=false", "--no-pager", *arguments]
    return subprocess.run(command, cwd=root, capture_output=True, text=True, encoding="utf-8", errors="replace", env=GIT_ENV)


def read(root: Path) -> History:
    """The history of ``root``'s pages' sources, or why there is none."""
    try:
        shallow = _git(root, "rev-parse", "--is-shallow-repository")
    except OSError:
        return unavailable("git is not installed where this copy of the handbook was built")
    if shallow.returncode != 0:
        return unavailable("this copy of the handbook was built outside a git repository (from an archive, say)")
    if shallow.stdout.strip() == "true":
        return unavailable("this copy of the handbook was built from a shallow git clone, which lacks the history")
    log = _git(
        root,
        "log", "--no-merges", "--no-color", "--no-show-signature", "--name-status", "-M",
        "--relative", f"--format={LOG_FORMAT}", "--", *TRACKED,
    )  # fmt: skip
    if log.returncode != 0:  # an empty repository, say: no commit yet
        return History(True)
    return parse(log.stdout)


def parse(text: str) -> History:
    """``git log`` output in LOG_FORMAT with --name-status -> History (newest first)."""
    changes: list[Change] = []
    for record in text.split(RECORD)[1:]:
        header, *lines = record.split("\n")
        commit, timestamp, subject = header.split(FIELD, 2)
        when = datetime.datetime.fromtimestamp(int(timestamp), tz=datetime.UTC)
        for line in lines:
            status, *paths = line.split("\t")
            if not paths or status[:1] not in STATUS:
                continue  # blank lines between records; copies and unknown statuses
            old_path = paths[0] if len(paths) == 2 else None
            changes.append(Change(commit, when, subject.strip(), STATUS[status[0]], paths[-1], old_path))
    changes.sort(key=lambda change: change.when, reverse=True)  # stable: git's order within a date
    last: dict[str, Change] = {}
    for change in changes:
        last.setdefault(change.path, change)
        if change.old_path:
            last.setdefault(change.old_path, change)
    return History(True, changes=changes, last=last)
