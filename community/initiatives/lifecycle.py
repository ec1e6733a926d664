"""An initiative's lifecycle: the moves its answerers and its author may make, and the status
change with its public answer.

Every function takes the acting member explicitly, validates, changes state and flushes;
the caller commits.
"""

from __future__ import annotations

from flask_babel import gettext as _

from community.core.errors import Forbidden, Invalid
from community.core.models import utcnow
from community.core.permissions import require
from community.extensions import db
from community.initiatives import permissions
from community.initiatives.labels import STATUS_LABELS
from community.initiatives.models import CLOSED_STATUSES, REASONS, Initiative, StatusChange
from community.initiatives.signals import initiative_status_changed
from community.members.models import Member

ANSWER_MAX = 4_000

# Moves an answerer (gardener of its community, staff) may make.
ANSWER_MOVES: dict[str, tuple[str, ...]] = {
    "proposed": ("under_review", "accepted", "declined"),
    "under_review": ("accepted", "declined"),
    "accepted": ("in_progress",),
    "in_progress": ("done",),
}


def allowed_moves(member: Member | None, initiative: Initiative) -> list[str]:
    """The statuses `member` may move `initiative` to now."""
    moves: list[str] = []
    if permissions.can_answer(member, initiative):
        moves.extend(ANSWER_MOVES.get(initiative.status, ()))
    if permissions.is_author(member, initiative):
        if can_ask_for_support(initiative):
            moves.append("under_review")
        if initiative.status not in CLOSED_STATUSES:
            moves.append("withdrawn")
    return list(dict.fromkeys(moves))


def can_ask_for_support(initiative: Initiative) -> bool:
    """An informal initiative running on its own may ask the authority for support, once."""
    return (
        initiative.informal
        and initiative.status == "in_progress"
        and initiative.awaiting_since is None
    )


def change_status(
    member: Member,
    initiative: Initiative,
    status: str,
    answer: str = "",
    reason: str | None = None,
) -> StatusChange:
    """Move an initiative along its lifecycle, with a public answer (required to decline)."""
    require(permissions.can_change_status(member, initiative), member)
    answer = (answer or "").strip()
    reason = reason or None
    errors: dict[str, list[str]] = {}
    if status not in allowed_moves(member, initiative):
        if status in ANSWER_MOVES.get(initiative.status, ()):
            raise Forbidden(_("Only the gardeners of its community or staff may do this."))
        if (status == "withdrawn" and initiative.status not in CLOSED_STATUSES) or (
            status == "under_review" and can_ask_for_support(initiative)
        ):
            raise Forbidden(_("Only its author may do this."))
        errors["status"] = [
            _(
                "This initiative cannot go from “%(current)s” to “%(new)s”.",
                current=status_label(initiative.status),
                new=status_label(status),
            )
        ]
    if len(answer) > ANSWER_MAX:
        errors["answer"] = [_("At most %(n)d characters.", n=ANSWER_MAX)]
    if status == "declined":
        if not answer:
            errors["answer"] = [_("A refusal must be explained: write the public answer.")]
        if reason not in REASONS:
            errors["reason"] = [_("Choose the reason for the refusal.")]
    elif reason is not None:
        errors["reason"] = [_("A reason is only given for a refusal.")]
    if errors:
        message = errors.get("status", [_("Some fields are not valid.")])[0]
        raise Invalid(message, errors)
    now = utcnow()
    asking = permissions.is_author(member, initiative) and status == "under_review"
    change = StatusChange(
        initiative=initiative,
        author_id=member.id,
        from_status=initiative.status,
        to_status=status,
        answer=answer,
        reason=reason if status == "declined" else None,
        created_at=now,
    )
    db.session.add(change)
    if asking:
        initiative.awaiting_since = now  # the answer clock starts now
    elif (
        status != "withdrawn"
        and initiative.awaiting_since is not None
        and initiative.answered_at is None
    ):
        initiative.answered_at = now  # the authority's first answer
    initiative.status = status
    initiative.updated_at = now
    db.session.flush()
    initiative_status_changed.send(change, actor=member)
    return change


def status_label(status: str) -> str:
    """The French word for a status."""
    return str(STATUS_LABELS.get(status, status))
