"""When each entry is due for review, and how long ago it was last reviewed.

The review interval of each kind is set with the kind (``Kind.review_months`` in
model.py); a data file may set its own with ``review_interval_months``. "Today" comes from ``today()`` alone: the build's
date, or the date in SOURCE_DATE_EPOCH (the reproducible-builds convention MkDocs
also follows), so tests and rebuilds can fix it.
"""

from __future__ import annotations

import calendar
import datetime
import os
from dataclasses import dataclass

from .model import Entity
from .yaml_source import WARNING, Problem


def today() -> datetime.date:
    """The date reviews are measured against (UTC, like SOURCE_DATE_EPOCH)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC).date()
    return datetime.datetime.now(datetime.UTC).date()


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, or the month's last day when it is shorter (31 Jan + 1 = 28 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def whole_months(start: datetime.date, end: datetime.date) -> int:
    """Calendar months from ``start`` to ``end``, counting only completed ones (0 if end is earlier)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if months > 0 and add_months(start, months) > end:
        months -= 1
    return max(months, 0)


def months_ago(months: int) -> str:
    """A reader's phrase for an age in months: 'a month ago', '14 months ago', 'over 2 years ago'."""
    if months < 1:
        return "less than a month ago"
    if months == 1:
        return "a month ago"
    if months < 24:
        return f"{months} months ago"
    years, rest = divmod(months, 12)
    return f"{'over ' if rest else ''}{years} years ago"


def interval_of(entity: Entity) -> int:
    own = entity.data.get("review_interval_months")
    if isinstance(own, int) and not isinstance(own, bool) and own > 0:
        return own
    return entity.kind.review_months


@dataclass(frozen=True)
class Review:
    """An entry's review state on a given day."""

    entity: Entity
    reviewed: datetime.date
    interval: int  # months
    today: datetime.date

    @property
    def due(self) -> datetime.date:
        return add_months(self.reviewed, self.interval)

    @property
    def overdue(self) -> bool:
        return self.today > self.due

    @property
    def months(self) -> int:
        return whole_months(self.reviewed, self.today)

    @property
    def age(self) -> str:
        return months_ago(self.months)


def review_of(entity: Entity, day: datetime.date) -> Review | None:
    """The entry's review state, or None when last_reviewed is not a date (the schema reports that)."""
    try:
        reviewed = datetime.date.fromisoformat(entity.data.get("last_reviewed"))
    except (TypeError, ValueError):
        return None
    return Review(entity, reviewed, interval_of(entity), day)


def review_problems(entity: Entity, day: datetime.date) -> list[Problem]:
    """A warning when the entry is overdue for review; never an error."""
    review = review_of(entity, day)
    if review is None or not review.overdue:
        return []
    return [
        Problem(
            entity.source,
            entity.data.line_of("last_reviewed"),
            f"due for review since {review.due} (last reviewed {review.reviewed}, {review.age};"
            f" review every {review.interval} months): check the page,"
            " then set last_reviewed to the date you did",
            WARNING,
        )
    ]
