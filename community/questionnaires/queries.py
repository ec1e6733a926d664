"""What a member may read of questionnaires (the rule for lists), their answers counted, ids."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, exists, func, or_, select, true
from sqlalchemy.orm import raiseload
from sqlalchemy.sql.elements import ColumnElement

from community.communities.gardening import gardened_ids
from community.communities.models import Community, Membership
from community.core.edge import as_id
from community.core.permissions import is_authenticated, is_staff
from community.extensions import db
from community.members.models import Member
from community.questionnaires.models import Questionnaire, Response

# An id as the database can hold it, or None (huge, negative or not an integer).
valid_id = as_id


def readable_clause(member: Member | None) -> ColumnElement[bool]:
    """The filter on `Questionnaire` of what `member` may read (`permissions.can_read` is this
    rule for one questionnaire): staff everything; its gardeners their drafts too; anyone else
    what left draft — of an on-request community, only its members unless it asks anyone."""
    if is_staff(member):
        return true()
    reaches = or_(
        Questionnaire.audience == "anyone",
        Questionnaire.community_id.is_(None),
        Questionnaire.community_id.in_(select(Community.id).where(Community.visibility == "open")),
    )
    if not is_authenticated(member):
        return and_(Questionnaire.status != "draft", reaches)
    assert member is not None
    joined = select(Membership.community_id).where(
        Membership.member_id == member.id, Membership.status == "active"
    )
    return or_(
        and_(
            Questionnaire.status != "draft",
            or_(reaches, Questionnaire.community_id.in_(joined)),
        ),
        Questionnaire.community_id.in_(gardened_ids(member)),
    )


def visible_stmt(member: Member | None, community: Community | None = None) -> Select[Any]:
    """Questionnaires the member may read, newest first (drafts only to those who edit them)."""
    stmt = select(Questionnaire).where(readable_clause(member))
    if community is not None:
        stmt = stmt.where(Questionnaire.community_id == community.id)
    return stmt.order_by(Questionnaire.created_at.desc(), Questionnaire.id.desc())


def has_responses(questionnaire: Questionnaire) -> bool:
    return bool(
        db.session.execute(
            select(exists().where(Response.questionnaire_id == questionnaire.id))
        ).scalar()
    )


def results_released(questionnaire: Questionnaire, now: datetime) -> bool:
    """Its results have been public: it closed with answers. Such a questionnaire never takes
    an answer again — a second public release would differ from the first by the answers given
    in between, one person's when one came late (as the observatory's quarters, a release is
    never followed by another that could be subtracted from it)."""
    return questionnaire.state(now) == "closed" and has_responses(questionnaire)


def response_count(questionnaire: Questionnaire) -> int:
    return int(
        db.session.execute(
            select(func.count(Response.id)).where(Response.questionnaire_id == questionnaire.id)
        ).scalar_one()
    )


def respondent_members(questionnaire: Questionnaire) -> list[Member]:
    """Members who answered on the web (one query)."""
    return list(
        db.session.execute(
            select(Member)
            .join(Response, Response.member_id == Member.id)
            .where(Response.questionnaire_id == questionnaire.id)
        ).scalars()
    )


def typed_in_by(member: Member | None, now: datetime) -> list[tuple[int, str, int]]:
    """(id, title, count) of the answers `member` typed in (paper or in person) for each
    questionnaire still taking answers and that she may still read: what an ambassador finds
    of his work on his home page (one that left his reach leads nowhere, so is not listed)."""
    if not is_authenticated(member):
        return []
    assert member is not None
    rows = db.session.execute(
        select(Questionnaire, func.count(Response.id))
        .join(Response, Response.questionnaire_id == Questionnaire.id)
        .where(
            Response.recorded_by_id == member.id,
            readable_clause(member),
            Questionnaire.status == "open",
        )
        .group_by(Questionnaire.id)
        .order_by(Questionnaire.id.desc())
        .options(raiseload(Questionnaire.questions))
    )
    # Taking answers now: the model's own rule (`Questionnaire.state`), as `open_in` reads it.
    return [(q.id, q.title, count) for q, count in rows if q.state(now) == "open"]
