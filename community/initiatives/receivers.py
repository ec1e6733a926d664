"""The initiatives domain reacts to its own facts: who follows an initiative hears of its new
status (`core.notify`): who, what and where, never a copy of its texts."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from community.core.notify import notify, register_kind
from community.core.todo import TodoItem, collecting
from community.core.urls import site_path
from community.extensions import db
from community.initiatives import answers
from community.initiatives.labels import STATUS_LABELS
from community.initiatives.models import Participation, StatusChange, Support
from community.initiatives.permissions import can_see_awaiting, is_author
from community.initiatives.queries import readable_titles
from community.initiatives.signals import initiative_status_changed
from community.members.models import Member

# Public: the status and the authority's answer are on the initiative's page.
register_kind("initiative_status", _l("Initiatives you follow"))


@initiative_status_changed.connect
def tell_followers(change: StatusChange, *, actor: Member) -> None:
    """Its author, supporters and volunteers learn the new status and the public answer."""
    initiative = change.initiative
    ids = {initiative.author_id} if initiative.author_id else set()
    for model in (Support, Participation):
        ids |= set(
            db.session.execute(
                select(model.member_id).where(model.initiative_id == initiative.id)
            ).scalars()
        )
    ids.discard(actor.id)
    if not ids:
        return
    status = STATUS_LABELS.get(change.to_status, change.to_status)
    # The answer itself stays on the initiative's page, behind the visibility layer: a stored
    # notification keeps no copy of content (it would outlive a hidden initiative).
    if change.answer:
        text = _l(
            "“%(title)s”: new status “%(status)s”. Read the answer on its page.",
            title=initiative.title,
            status=status,
        )
    else:
        text = _l("“%(title)s”: new status “%(status)s”.", title=initiative.title, status=status)
    url = site_path("initiatives.show", initiative_id=initiative.id)
    members = db.session.execute(select(Member).where(Member.id.in_(ids))).scalars()
    for member in members:
        # Hidden, it is named only to those who still read it (its author, its moderators).
        if initiative.hidden_at is None or readable_titles(member, [initiative.id]):
            notify(member, "initiative_status", text, url, actor=actor)


@collecting.connect
def _awaiting(member: Member, **_kwargs: Any) -> list[TodoItem]:
    if not can_see_awaiting(member):
        return []
    items = []
    for item in answers.awaiting_answer(member, everything=True):
        initiative = item.initiative
        if is_author(member, initiative):  # her own: the other side of the pair answers
            continue
        assert initiative.awaiting_since is not None
        items.append(
            TodoItem(
                kind="initiative",
                label=_l("Initiative to answer"),
                title=initiative.title,
                # Straight to the form: it sits below the supporters and helpers.
                url=site_path("initiatives.show", initiative_id=initiative.id, _anchor="answer"),
                since=initiative.awaiting_since,
                due_at=item.due_at,
                community=initiative.community.name if initiative.community else "",
            )
        )
    return items
