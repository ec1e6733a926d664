"""Answer deadlines and response figures: does the authority answer, and how fast?"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from community.communities.gardening import gardened_ids
from community.communities.models import Community
from community.core.database import natural
from community.core.models import utcnow
from community.core.pagination import Pagination, paginate
from community.core.permissions import is_staff
from community.extensions import db
from community.initiatives.models import Initiative, StatusChange
from community.members.models import Member


@dataclass
class PublicAnswer:
    """The latest answer given to an initiative by someone else than its author: `change`, and
    who spoke (`for_authority`: staff speak for the town; a citizen gardener for the community)."""

    change: StatusChange
    for_authority: bool


def latest_answer(initiative: Initiative) -> PublicAnswer | None:
    """The latest status change made by an answerer (not by the author herself), if any."""
    for change in sorted(
        initiative.status_changes, key=lambda c: (c.created_at, c.id), reverse=True
    ):
        if change.author_id is not None and change.author_id == initiative.author_id:
            continue
        author = change.author
        return PublicAnswer(change, for_authority=author is None or is_staff(author))
    return None


def answer_delay() -> timedelta:
    """How long the authority has to give a first answer (INITIATIVE_ANSWER_DAYS)."""
    return timedelta(days=int(current_app.config.get("INITIATIVE_ANSWER_DAYS", 30)))


def answer_due_at(initiative: Initiative) -> datetime | None:
    """When the first answer is due, if the initiative has asked for one."""
    if initiative.awaiting_since is None:
        return None
    return initiative.awaiting_since + answer_delay()


def is_overdue(initiative: Initiative, now: datetime | None = None) -> bool:
    """Still awaiting its first answer after the due moment (the due moment itself is on time)."""
    due = answer_due_at(initiative)
    return initiative.awaiting_answer and due is not None and (now or utcnow()) > due


def answered_in_time(initiative: Initiative) -> bool | None:
    """True/False once answered; None while no answer was given."""
    if initiative.awaiting_since is None or initiative.answered_at is None:
        return None
    return initiative.answered_at - initiative.awaiting_since <= answer_delay()


@dataclass
class AwaitingItem:
    initiative: Initiative
    due_at: datetime
    overdue: bool


def _awaiting_stmt() -> Select[Initiative]:
    return (
        select(Initiative)
        .where(Initiative.awaiting_answer)  # hidden ones wait for no answer
        .options(joinedload(Initiative.community), joinedload(Initiative.neighbourhood))
        # Oldest first: with one delay for all, the overdue ones come first.
        .order_by(Initiative.awaiting_since, Initiative.id)
    )


def awaiting_answer(
    member: Member | None, *, everything: bool = False, now: datetime | None = None
) -> list[AwaitingItem]:
    """Initiatives awaiting a first answer in the communities `member` gardens, overdue first.

    With `everything`, staff get all of them, spontaneous ones included.
    """
    if member is None:
        return []
    stmt = _awaiting_for(member, everything)
    return _items(db.session.execute(stmt).scalars().unique(), now)


def awaiting_page(
    member: Member, page: int, *, everything: bool = False, now: datetime | None = None
) -> Pagination[AwaitingItem]:
    """One page of `awaiting_answer` (the awaiting page: bounded at any size)."""
    found = paginate(_awaiting_for(member, everything), page)
    return Pagination(_items(found.items, now), found.page, found.page_size, found.total)


def _awaiting_for(member: Member, everything: bool) -> Select[Initiative]:
    stmt = _awaiting_stmt()
    if not (everything and is_staff(member)):
        stmt = stmt.where(Initiative.community_id.in_(gardened_ids(member)))
    return stmt


def _items(initiatives: Iterable[Initiative], now: datetime | None) -> list[AwaitingItem]:
    now = now or utcnow()
    delay = answer_delay()
    items = []
    for initiative in initiatives:
        assert initiative.awaiting_since is not None
        due = initiative.awaiting_since + delay
        items.append(AwaitingItem(initiative, due, now > due))
    return items


@dataclass
class ResponseFigures:
    """`counted`: initiatives answered, or unanswered past their delay; `share` of those
    answered within the delay (None when nothing is counted yet); `median_days` to a first
    answer (None when none was given); `awaiting` and `overdue` right now."""

    counted: int
    on_time: int
    share: float | None
    median_days: float | None
    awaiting: int
    overdue: int

    @property
    def percent(self) -> int | None:
        return None if self.share is None else round(self.share * 100)

    @property
    def usual_days(self) -> int | None:
        """The median wait in whole days, as said to inhabitants ("in general, the answer
        comes in 12 days"; 0: within the day), halves rounded up."""
        return None if self.median_days is None else math.floor(self.median_days + 0.5)


FigureRow = tuple[datetime | None, datetime | None, bool]  # asked, answered, awaiting an answer now


def _figures(rows: list[FigureRow], now: datetime) -> ResponseFigures:
    delay = answer_delay()
    counted = on_time = awaiting = overdue = 0
    durations: list[float] = []
    for since, answered, waiting in rows:
        if since is None:
            continue
        if answered is not None:
            counted += 1
            waited = answered - since
            durations.append(waited.total_seconds() / 86400)
            on_time += waited <= delay
        elif waiting:
            awaiting += 1
            if now > since + delay:
                counted += 1
                overdue += 1
    return ResponseFigures(
        counted=counted,
        on_time=on_time,
        share=on_time / counted if counted else None,
        median_days=round(statistics.median(durations), 1) if durations else None,
        awaiting=awaiting,
        overdue=overdue,
    )


def _rows_stmt() -> Select[int | None, datetime | None, datetime | None, bool]:
    return select(
        Initiative.community_id,
        Initiative.awaiting_since,
        Initiative.answered_at,
        Initiative.awaiting_answer,  # the one rule: a hidden initiative waits for no answer
    ).where(Initiative.awaiting_since.is_not(None))


def response_figures(
    community: Community | None = None, now: datetime | None = None
) -> ResponseFigures:
    """Share of initiatives answered within the delay and median days to a first answer."""
    stmt = _rows_stmt()
    if community is not None:
        stmt = stmt.where(Initiative.community_id == community.id)
    rows = [
        (since, answered, bool(waiting))
        for _c, since, answered, waiting in db.session.execute(stmt)
    ]
    return _figures(rows, now or utcnow())


def figures_by_community(now: datetime | None = None) -> list[tuple[Community, ResponseFigures]]:
    """Response figures of every community that has received initiatives to answer."""
    grouped: dict[int, list[FigureRow]] = {}
    for community_id, since, answered, waiting in db.session.execute(_rows_stmt()):
        if community_id is not None:
            grouped.setdefault(community_id, []).append((since, answered, bool(waiting)))
    if not grouped:
        return []
    communities = db.session.execute(
        select(Community).where(Community.id.in_(grouped)).order_by(natural(Community.name))
    ).scalars()
    return [(c, _figures(grouped[c.id], now or utcnow())) for c in communities]


def figures_by_community_page(
    page: int, now: datetime | None = None
) -> Pagination[tuple[Community, ResponseFigures]]:
    """One page of `figures_by_community`, by name: the rows of that page's communities only."""
    having = select(Initiative.community_id).where(
        Initiative.awaiting_since.is_not(None), Initiative.community_id.is_not(None)
    )
    stmt = (
        select(Community)
        .where(Community.id.in_(having))
        .order_by(natural(Community.name), Community.id)
    )
    found = paginate(stmt, page)
    ids = [c.id for c in found.items]
    grouped: dict[int, list[FigureRow]] = {}
    if ids:
        rows = db.session.execute(_rows_stmt().where(Initiative.community_id.in_(ids)))
        for community_id, since, answered, waiting in rows:
            if community_id is not None:
                grouped.setdefault(community_id, []).append((since, answered, bool(waiting)))
    at = now or utcnow()
    items = [(c, _figures(grouped.get(c.id, []), at)) for c in found.items]
    return Pagination(items, found.page, found.page_size, found.total)
