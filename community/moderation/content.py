"""Content of other domains as report targets: how to load, hide and restore it.

The initiatives (and threads) domains own these objects; moderation reads them and sets their
`hidden_*` fields, then lets their own real-time code tell connected clients.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from community.core.errors import Invalid
from community.core.models import utcnow
from community.extensions import db
from community.initiatives.models import Initiative
from community.members.models import Member
from community.moderation.targets import Target, TargetType, register
from community.notifications.links import site_path


def _already(hidden: bool) -> Invalid:
    message = _("This is already hidden.") if hidden else _("This is not hidden.")
    return Invalid(message, {"action": [_("Not possible here.")]})


# --- initiatives ------------------------------------------------------------------------


def _initiative_target(initiative: Initiative) -> Target:
    return Target(
        obj=initiative,
        community=initiative.community,
        author=initiative.author,
        label=initiative.title,
        url=site_path("initiatives.show", initiative_id=initiative.id),
        hidden=initiative.hidden_at is not None,
    )


def _load_initiative(initiative_id: int) -> Target | None:
    initiative = db.session.get(Initiative, initiative_id)
    return _initiative_target(initiative) if initiative is not None else None


def _load_initiatives(ids: list[int]) -> dict[int, Target]:
    rows = db.session.execute(
        select(Initiative)
        .where(Initiative.id.in_(ids))
        .options(selectinload(Initiative.community), selectinload(Initiative.author))
    ).scalars()
    return {i.id: _initiative_target(i) for i in rows}


def _hide_initiative(actor: Member, initiative: Initiative, reason: str) -> None:
    if initiative.hidden_at is not None:
        raise _already(True)
    initiative.hidden_at = utcnow()
    initiative.hidden_reason = reason
    db.session.flush()


def _restore_initiative(actor: Member, initiative: Initiative, reason: str) -> None:
    if initiative.hidden_at is None:
        raise _already(False)
    initiative.hidden_at = None
    initiative.hidden_reason = ""
    db.session.flush()


register(
    "initiative",
    TargetType(
        load=_load_initiative,
        load_many=_load_initiatives,
        hide=_hide_initiative,
        restore=_restore_initiative,
        noun=_l("your initiative"),
    ),
)
