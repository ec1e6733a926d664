"""Initiatives awaiting an answer go into the "à faire" inbox of whoever may answer them."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from community.core.todo import TodoItem, collecting
from community.core.urls import site_path
from community.initiatives import answers
from community.initiatives.permissions import can_see_awaiting, is_author
from community.members.models import Member


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
                url=site_path("initiatives.show", initiative_id=initiative.id),
                since=initiative.awaiting_since,
                due_at=item.due_at,
                community=initiative.community.name if initiative.community else "",
            )
        )
    return items
