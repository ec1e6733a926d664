"""Release control: which periods the observatory publishes, and the ledger that freezes them.

Suppressing each table on its own is not enough when two tables overlap: January–December
minus January–November is December, and a hidden December count comes back by subtraction.
So the doors (page, JSON, CSV) publish **fixed calendar quarters only** (`2026-Q3`):

- quarters never overlap and never nest (no year, no month, no free range is published), so
  no release is the sum or the difference of others; a year's figures are the staff's own sum
  of four published quarters, and a sum of published numbers reveals nothing hidden;
- only **complete** quarters are published: a quarter still running would be a growing
  window (released on 1 and on 2 December, it differences into what happened that day);
- the counts behind a quarter are **frozen at its first release** in the ledger
  (`ObservatoryRelease`): later changes (a request matched, an account erased) never change
  what was published, so the same quarter released twice cannot be differenced either.

Every figure derived from a release (medians, "reached little") is computed from its
published values only.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from community.core.errors import Invalid
from community.core.models import utcnow
from community.extensions import db
from community.observatory.measures import Period, add_months, month_start
from community.observatory.models import ObservatoryRelease

QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
FIRST_YEAR = 2000
SHOWN_QUARTERS = 8  # how many past quarters the page offers


def quarter_of(moment: datetime) -> tuple[int, int]:
    return moment.year, (moment.month - 1) // 3 + 1


def quarter_key(year: int, quarter: int) -> str:
    return f"{year:04d}-Q{quarter}"


def quarter_period(year: int, quarter: int) -> Period:
    start = month_start(year, 3 * (quarter - 1) + 1)
    return Period(start, add_months(start, 3))


def previous(year: int, quarter: int) -> tuple[int, int]:
    return (year, quarter - 1) if quarter > 1 else (year - 1, 4)


def last_complete(now: datetime | None = None) -> tuple[int, int]:
    return previous(*quarter_of(now or utcnow()))


def published_quarters(now: datetime | None = None) -> list[str]:
    """The quarters the page offers, latest first (complete ones only)."""
    out, current = [], last_complete(now)
    for _i in range(SHOWN_QUARTERS):
        if current[0] < FIRST_YEAR:
            break
        out.append(quarter_key(*current))
        current = previous(*current)
    return out


def parse_release(
    value: str | None,
    *,
    start: str | None = None,
    end: str | None = None,
    now: datetime | None = None,
) -> tuple[str, Period]:
    """`period=YYYY-Qn`, a complete quarter (by default the last one); anything else is 422."""
    message = _("The period is not valid.")
    if start or end:
        raise Invalid(
            message,
            {"period": [_("Only whole quarters are published, for example period=2026-Q1.")]},
        )
    year, quarter = last_complete(now)
    if value:
        match = QUARTER.match(value.strip())
        if match is None:
            raise Invalid(message, {"period": [_("A quarter as YYYY-Qn, for example 2026-Q1.")]})
        year, quarter = int(match.group(1)), int(match.group(2))
    if year < FIRST_YEAR:
        raise Invalid(message, {"period": [_("No figures before %(year)d.", year=FIRST_YEAR)]})
    if (year, quarter) > last_complete(now):
        raise Invalid(message, {"period": [_("Only quarters that are over are published.")]})
    return quarter_key(year, quarter), quarter_period(year, quarter)


def frozen(release: str | None, section: str, compute: Callable[[], Any]) -> Any:
    """The counts of `section` for `release`, as they stood at its first release.

    `release` None (internal use, tests): computed, not stored. Values must be JSON-ready.
    """
    if release is None:
        return compute()
    stored = db.session.execute(
        select(ObservatoryRelease.data).where(
            ObservatoryRelease.period == release, ObservatoryRelease.section == section
        )
    ).scalar_one_or_none()
    if stored is not None:
        return stored
    data = compute()
    try:
        with db.session.begin_nested():
            db.session.add(ObservatoryRelease(period=release, section=section, data=data))
    except IntegrityError:  # released at the same moment by another request: theirs stands
        return db.session.execute(
            select(ObservatoryRelease.data).where(
                ObservatoryRelease.period == release, ObservatoryRelease.section == section
            )
        ).scalar_one()
    return data


def pairs(data: dict[tuple[int, int], int]) -> list[list[int]]:
    return [[a, b, c] for (a, b), c in sorted(data.items())]


def unpairs(rows: list[list[int]]) -> dict[tuple[int, int], int]:
    return {(int(a), int(b)): int(c) for a, b, c in rows}


def singles(data: dict[int, int]) -> list[list[int]]:
    return [[a, c] for a, c in sorted(data.items())]


def unsingles(rows: list[list[int]]) -> dict[int, int]:
    return {int(a): int(c) for a, c in rows}


def keep() -> None:
    """Commit what the ledger took in, without expiring what the page is about to render
    (expired places would each be loaded again: one query per neighbourhood or community)."""
    session = db.session()
    previous_setting = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = previous_setting
