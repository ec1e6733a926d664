"""The observatory's tables: counts by neighbourhood × theme, suppressed before anyone sees them.

Everything that leaves — page, CSV, JSON — is built from `summary()`, so one rule applies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from community.core.database import natural
from community.core.errors import Invalid
from community.core.models import utcnow
from community.core.suppression import Published, suppress, suppress_family
from community.extensions import db
from community.observatory.measures import (
    Measure,
    Period,
    add_months,
    counts,
    measures,
    month_start,
)
from community.observatory.releases import frozen, pairs, unpairs
from community.territory.models import Neighbourhood, Theme

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
MAX_MONTHS = 60


@dataclass
class Table:
    """One measure, published: cells[i][j] for neighbourhood i × theme j; None when hidden."""

    measure: Measure
    published: Published


@dataclass
class Summary:
    min_cell: int
    period: Period
    neighbourhoods: list[Neighbourhood]
    themes: list[Theme]
    tables: list[Table] = field(default_factory=list)
    # The fixed period released (`2026-Q1`), whose counts the ledger freezes; None inside.
    release: str | None = None

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.measure.key == key)

    def as_json(self) -> dict[str, object]:
        """DESIGN's shape: `min_cell`, `cells` (one integer or null per measure), plus totals."""

        def place(p: Theme | Neighbourhood | None) -> dict[str, object] | None:
            return None if p is None else {"id": p.id, "slug": p.slug, "name": p.name}

        keys = [t.measure.key for t in self.tables]
        cells = []
        for i, neighbourhood in enumerate(self.neighbourhoods):
            for j, theme in enumerate(self.themes):
                row: dict[str, object] = {
                    "neighbourhood": place(neighbourhood),
                    "theme": place(theme),
                }
                row.update({t.measure.key: t.published.cells[i][j] for t in self.tables})
                cells.append(row)
        return {
            "min_cell": self.min_cell,
            "period": {
                "release": self.release,
                "start": month_label(self.period.start),
                "end": month_label(last_month(self.period)),
            },
            "measures": keys,
            "cells": cells,
            "neighbourhood_totals": [
                {
                    "neighbourhood": place(n),
                    **{t.measure.key: t.published.row_totals[i] for t in self.tables},
                }
                for i, n in enumerate(self.neighbourhoods)
            ],
            "theme_totals": [
                {
                    "theme": place(th),
                    **{t.measure.key: t.published.column_totals[j] for t in self.tables},
                }
                for j, th in enumerate(self.themes)
            ],
            "totals": {t.measure.key: t.published.total for t in self.tables},
        }


def month_label(moment: datetime) -> str:
    return f"{moment.year:04d}-{moment.month:02d}"


def last_month(period: Period) -> datetime:
    return add_months(period.end, -1)


def parse_period(start: str | None, end: str | None, now: datetime | None = None) -> Period:
    """`start`/`end` as YYYY-MM (months included); by default the last twelve months."""
    now = now or utcnow()
    errors: dict[str, list[str]] = {}

    def month(value: str | None, name: str) -> datetime | None:
        if not value:
            return None
        match = MONTH.match(value.strip())
        if (
            not match
            or not 1 <= int(match.group(2)) <= 12
            or not 2000 <= int(match.group(1)) <= now.year + 1  # no year 9999
        ):
            errors[name] = [_("A month as YYYY-MM, for example 2026-01.")]
            return None
        return month_start(int(match.group(1)), int(match.group(2)))

    first, last = month(start, "start"), month(end, "end")
    if errors:
        raise Invalid(_("The period is not valid."), errors)
    last = last or month_start(now.year, now.month)
    first = first or add_months(last, -11)
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    if months < 1:
        raise Invalid(
            _("The period is not valid."), {"start": [_("The start comes after the end.")]}
        )
    if months > MAX_MONTHS:
        raise Invalid(
            _("The period is not valid."), {"start": [_("At most %(n)d months.", n=MAX_MONTHS)]}
        )
    return Period(first, add_months(last, 1))


def places() -> tuple[list[Neighbourhood], list[Theme]]:
    neighbourhoods = list(
        db.session.execute(select(Neighbourhood).order_by(natural(Neighbourhood.name))).scalars()
    )
    themes = list(db.session.execute(select(Theme).order_by(natural(Theme.name))).scalars())
    return neighbourhoods, themes


def matrix(
    data: dict[tuple[int, int], int], neighbourhoods: list[Neighbourhood], themes: list[Theme]
) -> list[list[int]]:
    return [[data.get((n.id, t.id), 0) for t in themes] for n in neighbourhoods]


def release(key: str, period: Period, min_cell: int | None = None) -> Summary:
    """What the doors publish: the summary of one fixed quarter, its counts frozen."""
    return summary(period, min_cell, release=key)


def summary(period: Period, min_cell: int | None = None, *, release: str | None = None) -> Summary:
    """Every measure by neighbourhood × theme for `period`, suppressed (constant query count)."""
    min_cell = min_cell or current_app.config["OBSERVATORY_MIN_CELL"]
    neighbourhoods, themes = places()
    result = Summary(min_cell, period, neighbourhoods, themes, release=release)
    if not neighbourhoods or not themes:
        empty = Published(
            [[] for _n in neighbourhoods], [0 for _n in neighbourhoods], [0 for _t in themes], 0
        )
        result.tables = [Table(m, empty) for m in measures()]
        return result
    stored = frozen(release, "cells", lambda: {m.key: pairs(counts(m, period)) for m in measures()})
    raw = {
        m.key: matrix(unpairs(stored.get(m.key, [])), neighbourhoods, themes) for m in measures()
    }
    done: dict[str, Published] = {}
    for m in measures():
        if m.key in done:
            continue
        if m.family is None:
            done[m.key] = suppress(raw[m.key], min_cell)
            continue
        family = [f for f in measures() if f.family == m.family]
        for member, published in zip(
            family, suppress_family([raw[f.key] for f in family], min_cell), strict=True
        ):
            done[member.key] = published
    result.tables = [Table(m, done[m.key]) for m in measures()]
    return result
