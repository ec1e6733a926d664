""" "Under the radar": what the platform does not see, or sees without anyone to answer it.

Lists of places, with counts suppressed by the same rule as the tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import median
from typing import Any

from sqlalchemy import exists, func, or_, select

from community.ambassadors.models import OutreachLog, outreach_themes
from community.communities.models import Community
from community.core.suppression import TOTAL_FREE, suppress_line
from community.extensions import db
from community.initiatives.models import Initiative, initiative_themes
from community.members.models import Member
from community.observatory.measures import Period
from community.observatory.releases import frozen, singles, unsingles
from community.observatory.services import Summary
from community.solidarity.models import SolidaritySignal
from community.territory.models import Neighbourhood, Theme


@dataclass
class PlaceCount:
    neighbourhood: Neighbourhood
    count: int | None  # None: hidden
    theme: Theme | None = None


@dataclass
class Radar:
    uncovered_signals: list[PlaceCount] = field(default_factory=list)
    uncovered_total: int | None = 0
    requests_without_offers: list[PlaceCount] = field(default_factory=list)
    low_reach: list[PlaceCount] = field(default_factory=list)
    reach: list[PlaceCount] = field(default_factory=list)
    reach_total: int | None = 0
    reach_median: float = 0.0
    uncovered_informal: list[PlaceCount] = field(default_factory=list)
    uncovered_informal_total: int | None = 0
    outreach_themes_without_community: list[tuple[Theme, int | None]] = field(default_factory=list)


def covered(theme_id: Any, neighbourhood_id: Any) -> Any:
    """A community of this theme exists for the whole territory or for this neighbourhood."""
    # Correlated with the enclosing query's rows (issue 17): left to auto-correlation, the
    # innermost EXISTS listed `initiatives` in its own FROM and asked whether ANY initiative's
    # neighbourhood was covered, joining every initiative (slow, and a wrong figure).
    return (
        exists()
        .where(
            Community.theme_id == theme_id,
            or_(
                Community.neighbourhood_id.is_(None),
                Community.neighbourhood_id == neighbourhood_id,
            ),
        )
        .correlate_except(Community)
    )


def _uncovered_signals(period: Period) -> dict[int, int]:
    stmt = (
        select(SolidaritySignal.neighbourhood_id, func.count())
        .where(
            SolidaritySignal.created_at >= period.start,
            SolidaritySignal.created_at < period.end,
            ~covered(SolidaritySignal.theme_id, SolidaritySignal.neighbourhood_id),
        )
        .group_by(SolidaritySignal.neighbourhood_id)
    )
    return {int(n): int(c) for n, c in db.session.execute(stmt).all() if n is not None}


def _uncovered_informal(period: Period) -> dict[int, int]:
    """Informal initiatives of the period, attached to no community, none of whose themes a
    community covers in their neighbourhood; by neighbourhood."""
    theme_covered = (
        select(initiative_themes.c.theme_id)
        .where(
            initiative_themes.c.initiative_id == Initiative.id,
            covered(initiative_themes.c.theme_id, Initiative.neighbourhood_id),
        )
        .exists()
    )
    stmt = (
        select(Initiative.neighbourhood_id, func.count())
        .where(
            Initiative.informal.is_(True),
            Initiative.community_id.is_(None),
            Initiative.status != "withdrawn",
            Initiative.neighbourhood_id.is_not(None),
            Initiative.created_at >= period.start,
            Initiative.created_at < period.end,
            ~theme_covered,
        )
        .group_by(Initiative.neighbourhood_id)
    )
    return {int(n): int(c) for n, c in db.session.execute(stmt).all() if n is not None}


def _outreach_without_community(period: Period) -> dict[int, int]:
    """People met per topic heard in outreach, for themes that have no community at all."""
    stmt = (
        select(outreach_themes.c.theme_id, func.sum(OutreachLog.people_met))
        .join(OutreachLog, OutreachLog.id == outreach_themes.c.outreach_id)
        .where(
            OutreachLog.happened_on >= period.start.date(),
            OutreachLog.happened_on < period.end.date(),
            ~exists().where(Community.theme_id == outreach_themes.c.theme_id),
        )
        .group_by(outreach_themes.c.theme_id)
    )
    return {int(t): int(c or 0) for t, c in db.session.execute(stmt).all()}


def _reach(period: Period) -> dict[int, int]:
    """Confirmed members per neighbourhood who had joined by the end of the period."""
    stmt = (
        select(Member.neighbourhood_id, func.count())
        .where(
            Member.neighbourhood_id.is_not(None),
            Member.email_confirmed_at.is_not(None),
            Member.created_at < period.end,
        )
        .group_by(Member.neighbourhood_id)
    )
    return {int(n): int(c) for n, c in db.session.execute(stmt).all() if n is not None}


def radar(summary: Summary) -> Radar:
    """The under-the-radar lists for the period of `summary`."""
    result = Radar()
    places = summary.neighbourhoods
    min_cell = summary.min_cell
    period = summary.period
    stored = frozen(
        summary.release,
        "radar",
        lambda: {
            "signals": singles(_uncovered_signals(period)),
            "informal": singles(_uncovered_informal(period)),
            "heard": singles(_outreach_without_community(period)),
            "reach": singles(_reach(period)),
        },
    )

    raw = unsingles(stored["signals"])
    values, result.uncovered_total = suppress_line(
        [raw.get(n.id, 0) for n in places], min_cell, TOTAL_FREE
    )
    result.uncovered_signals = [
        PlaceCount(n, v)
        for n, v, r in zip(places, values, [raw.get(n.id, 0) for n in places], strict=True)
        if r
    ]

    informal = unsingles(stored["informal"])
    values, result.uncovered_informal_total = suppress_line(
        [informal.get(n.id, 0) for n in places], min_cell, TOTAL_FREE
    )
    result.uncovered_informal = [
        PlaceCount(n, v) for n, v in zip(places, values, strict=True) if informal.get(n.id, 0)
    ]

    heard = unsingles(stored["heard"])
    themes = [t for t in summary.themes if heard.get(t.id, 0)]
    shown_heard, _total = suppress_line([heard[t.id] for t in themes], min_cell, TOTAL_FREE)
    result.outreach_themes_without_community = list(zip(themes, shown_heard, strict=True))

    # Cells with requests and no offers, read from the published tables (already suppressed).
    if summary.tables and summary.themes:
        requests = summary.table("help_requests")
        offers = summary.table("help_offers")
        raw_requests = _nonzero_cells(summary)
        for i, n in enumerate(places):
            for j, t in enumerate(summary.themes):
                if (n.id, t.id) in raw_requests and offers.published.cells[i][j] == 0:
                    result.requests_without_offers.append(
                        PlaceCount(n, requests.published.cells[i][j], t)
                    )

    reach_raw = unsingles(stored["reach"])
    counts = [reach_raw.get(n.id, 0) for n in places]
    shown, result.reach_total = suppress_line(counts, min_cell, TOTAL_FREE)
    result.reach = [PlaceCount(n, v) for n, v in zip(places, shown, strict=True)]
    # Derived from the published values only: the median of the numbers shown, and a hidden
    # number always counts as "reached little" (whatever its true value, so it tells nothing).
    visible = [v for v in shown if v is not None]
    if shown:
        result.reach_median = float(median(visible)) if visible else 0.0
        result.low_reach = [
            PlaceCount(n, v)
            for n, v in zip(places, shown, strict=True)
            if v is None or v == 0 or v < result.reach_median / 2
        ]
    return result


def _nonzero_cells(summary: Summary) -> set[tuple[int, int]]:
    """Cells with at least one request in the period (known ≥ 1 either way: zeros are shown)."""
    table = summary.table("help_requests").published
    found = set()
    for i, n in enumerate(summary.neighbourhoods):
        for j, t in enumerate(summary.themes):
            value = table.cells[i][j]
            if value is None or value > 0:
                found.add((n.id, t.id))
    return found
