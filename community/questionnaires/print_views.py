"""The printable copy of a questionnaire, with its codes to answer on the web and to join."""

from __future__ import annotations

from typing import Any

import segno
from flask import render_template
from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy import select

from community.ambassadors.invitations import share_url, usable_invitation
from community.ambassadors.models import Ambassador, Invitation
from community.core.permissions import current_member
from community.core.urls import external
from community.extensions import db
from community.questionnaires import permissions, services
from community.questionnaires.blueprints import bp
from community.questionnaires.models import Questionnaire
from community.territory.services import neighbourhood_choices


def _qr(url: str, title: str) -> Markup:
    svg = segno.make(url, error="m").svg_inline(scale=4, border=2, title=title)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(title)}" ', 1)
    return Markup(svg)  # noqa: S704 - segno's own SVG of a URL we built, no user markup


def _ambassador_link(member: Any, questionnaire: Questionnaire) -> str | None:
    """The printing ambassador's newest working invitation link, for the copy's second code."""
    if member is None or questionnaire.community_id is None:
        return None
    tokens = db.session.execute(
        select(Invitation.token)
        .join(Ambassador, Ambassador.id == Invitation.ambassador_id)
        .where(
            Ambassador.member_id == member.id,
            Ambassador.community_id == questionnaire.community_id,
            Ambassador.status == "active",
            Invitation.revoked_at.is_(None),
        )
        .order_by(Invitation.created_at.desc())
    ).scalars()
    for token in tokens:
        invitation = usable_invitation(token)
        if invitation is not None:
            return share_url(invitation)
    return None


@bp.get("/questionnaires/<int:questionnaire_id>/print")
def printable(questionnaire_id: int) -> str:
    member = current_member()
    questionnaire = services.readable_or_404(member, questionnaire_id)
    web = external("questionnaires.show", questionnaire_id=questionnaire.id)
    link = _ambassador_link(member, questionnaire)
    is_ambassador = permissions.is_community_ambassador(member, questionnaire.community)
    return render_template(
        "questionnaires/print.html",
        questionnaire=questionnaire,
        web_url=web,
        web_qr=_qr(web, _("Answer on the web")),
        invitation_url=link,
        invitation_qr=_qr(link, _("Join Terreau")) if link else None,
        is_ambassador=is_ambassador,
        neighbourhoods=neighbourhood_choices(),
    )
