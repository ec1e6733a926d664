"""Initiatives as report targets (`moderation.targets`): loaded here, hidden and restored
through the initiatives' own services."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from community.core.urls import site_path
from community.extensions import db
from community.initiatives import services
from community.initiatives.models import Initiative
from community.initiatives.queries import readable_initiative, readable_titles
from community.moderation.targets import Target, TargetType, register


def _target(initiative: Initiative) -> Target:
    return Target(
        obj=initiative,
        community=initiative.community,
        author=initiative.author,
        label=initiative.title,
        url=site_path("initiatives.show", initiative_id=initiative.id),
        hidden=initiative.hidden_at is not None,
    )


def _load(initiative_id: int) -> Target | None:
    initiative = db.session.get(Initiative, initiative_id)
    return _target(initiative) if initiative is not None else None


def _load_many(ids: list[int]) -> dict[int, Target]:
    rows = db.session.execute(
        select(Initiative)
        .where(Initiative.id.in_(ids))
        .options(selectinload(Initiative.community), selectinload(Initiative.author))
    ).scalars()
    return {i.id: _target(i) for i in rows}


def _hide(actor: Any, initiative: Initiative, reason: str, report: Any) -> None:
    services.hide_initiative(actor, initiative, reason, report=report)


def _restore(actor: Any, initiative: Initiative, reason: str, report: Any) -> None:
    services.restore_initiative(actor, initiative, reason, report=report)


register(
    "initiative",
    TargetType(
        load=_load,
        load_many=_load_many,
        hide=_hide,
        restore=_restore,
        noun=_l("your initiative"),
        # Who may see it through the report form is who may read it (the visibility layer).
        readable_many=lambda member, ids: set(readable_titles(member, ids)),
        readable=lambda member, initiative_id: (
            readable_initiative(member, initiative_id) is not None
        ),
        snapshot=lambda i: "\n\n".join(p for p in (i.title, i.summary, i.description) if p),
    ),
)
