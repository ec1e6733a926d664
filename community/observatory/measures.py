"""What the observatory counts, one grouped SQL query per measure.

Each measure answers `counts(period)`: {(neighbourhood_id, theme_id): count}, computed by the
database (GROUP BY), whatever the number of rows. A period is [start, end) in UTC.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, select

from community.ambassadors.models import OutreachLog, outreach_themes
from community.communities.models import Community, Membership
from community.events.models import Event, Registration
from community.extensions import db
from community.initiatives.models import Initiative, initiative_themes
from community.members.models import Member, member_themes
from community.solidarity.models import HelpOffer, HelpProposal, HelpRequest, SolidaritySignal

Counts = dict[tuple[int, int], int]


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime


def month_start(year: int, month: int) -> datetime:
    return datetime(year, month, 1, tzinfo=UTC)


def add_months(moment: datetime, months: int) -> datetime:
    year, month = divmod(moment.year * 12 + moment.month - 1 + months, 12)
    return month_start(year, month + 1)


@dataclass(frozen=True)
class Measure:
    key: str
    label: Any
    query: Callable[[Period], Any]
    # Measures of one family share a hidden pattern: the first bounds the sum of the others.
    family: str | None = None


def _within(column: Any, period: Period) -> Any:
    return and_(column >= period.start, column < period.end)


def _members(period: Period) -> Any:
    """Members by neighbourhood and by each theme they follow (a member counts once per theme)."""
    return (
        select(Member.neighbourhood_id, member_themes.c.theme_id, func.count())
        .join(member_themes, member_themes.c.member_id == Member.id)
        .where(
            Member.neighbourhood_id.is_not(None),
            Member.email_confirmed_at.is_not(None),
            _within(Member.created_at, period),
        )
        .group_by(Member.neighbourhood_id, member_themes.c.theme_id)
    )


def _memberships(period: Period) -> Any:
    """Active memberships, by the member's neighbourhood and the community's theme."""
    return (
        select(Member.neighbourhood_id, Community.theme_id, func.count())
        .select_from(Membership)
        .join(Member, Member.id == Membership.member_id)
        .join(Community, Community.id == Membership.community_id)
        .where(
            Membership.status == "active",
            Member.neighbourhood_id.is_not(None),
            _within(func.coalesce(Membership.joined_at, Membership.created_at), period),
        )
        .group_by(Member.neighbourhood_id, Community.theme_id)
    )


def _offers(period: Period) -> Any:
    return (
        select(HelpOffer.neighbourhood_id, HelpOffer.theme_id, func.count())
        .where(_within(HelpOffer.created_at, period))
        .group_by(HelpOffer.neighbourhood_id, HelpOffer.theme_id)
    )


def _requests(period: Period, extra: Any = None) -> Any:
    stmt = select(HelpRequest.neighbourhood_id, HelpRequest.theme_id, func.count()).where(
        _within(HelpRequest.created_at, period)
    )
    if extra is not None:
        stmt = stmt.where(extra)
    return stmt.group_by(HelpRequest.neighbourhood_id, HelpRequest.theme_id)


def _matches(period: Period) -> Any:
    """Requests of the period whose author accepted a helper."""
    return _requests(period, HelpRequest.status.in_(("matched", "done")))


def _unanswered(period: Period) -> Any:
    """Requests of the period still open (or expired) that nobody offered to help with."""
    nobody = ~select(HelpProposal.id).where(HelpProposal.request_id == HelpRequest.id).exists()
    return _requests(period, and_(HelpRequest.status == "open", nobody))


def _signals(period: Period) -> Any:
    return (
        select(SolidaritySignal.neighbourhood_id, SolidaritySignal.theme_id, func.count())
        .where(_within(SolidaritySignal.created_at, period))
        .group_by(SolidaritySignal.neighbourhood_id, SolidaritySignal.theme_id)
    )


def _initiatives(informal: bool) -> Callable[[Period], Any]:
    """Initiatives of the period (withdrawn ones left out), by neighbourhood and each theme."""

    def query(period: Period) -> Any:
        return (
            select(Initiative.neighbourhood_id, initiative_themes.c.theme_id, func.count())
            .join(initiative_themes, initiative_themes.c.initiative_id == Initiative.id)
            .where(
                Initiative.informal.is_(informal),
                Initiative.status != "withdrawn",
                Initiative.neighbourhood_id.is_not(None),
                _within(Initiative.created_at, period),
            )
            .group_by(Initiative.neighbourhood_id, initiative_themes.c.theme_id)
        )

    return query


def _outreach(period: Period) -> Any:
    """People met by ambassadors, by neighbourhood and each topic heard (a sum, not rows)."""
    return (
        select(
            OutreachLog.neighbourhood_id,
            outreach_themes.c.theme_id,
            func.sum(OutreachLog.people_met),
        )
        .join(outreach_themes, outreach_themes.c.outreach_id == OutreachLog.id)
        .where(
            OutreachLog.neighbourhood_id.is_not(None),
            OutreachLog.happened_on >= period.start.date(),
            OutreachLog.happened_on < period.end.date(),
        )
        .group_by(OutreachLog.neighbourhood_id, outreach_themes.c.theme_id)
    )


def _rencontres(period: Period) -> Any:
    """People checked in at rencontres, by the rencontre's neighbourhood and community's theme."""
    return (
        select(Event.neighbourhood_id, Community.theme_id, func.count(Registration.id))
        .select_from(Registration)
        .join(Event, Event.id == Registration.event_id)
        .join(Community, Community.id == Event.community_id)
        .where(Event.neighbourhood_id.is_not(None), _within(Registration.checked_in_at, period))
        .group_by(Event.neighbourhood_id, Community.theme_id)
    )


MEASURES: tuple[Measure, ...] = (
    Measure("members", _l("Members (by theme of interest)"), _members),
    Measure("memberships", _l("Community memberships"), _memberships),
    Measure("formal_initiatives", _l("Initiatives"), _initiatives(False)),
    Measure("informal_initiatives", _l("Informal initiatives"), _initiatives(True)),
    Measure("outreach_people", _l("People met by ambassadors"), _outreach),
    Measure("rencontre_people", _l("People met at rencontres"), _rencontres),
    Measure("help_offers", _l("Help offers"), _offers),
    Measure("help_requests", _l("Help requests"), lambda p: _requests(p), family="requests"),
    Measure("matches", _l("Matches"), _matches, family="requests"),
    Measure("unanswered_requests", _l("Unanswered requests"), _unanswered, family="requests"),
    Measure("solidarity_signals", _l("Solidarity signals"), _signals),
)


def measures() -> tuple[Measure, ...]:
    """The measures of the observatory, in the order of the tables and exports."""
    return MEASURES


def counts(measure: Measure, period: Period) -> Counts:
    """{(neighbourhood_id, theme_id): count} for one measure, by one grouped query."""
    return {
        (int(n), int(t)): int(c or 0)
        for n, t, c in db.session.execute(measure.query(period)).all()
        if n is not None and t is not None
    }
