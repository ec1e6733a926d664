"""The initiatives' HTML blueprint `bp`, what its pages give every template, and how they load
the initiative they show.

Two modules of routes fill it: `views.py` (browsing, proposing, declaring and editing, the
initiatives awaiting an answer, the figures) and `initiative_views.py` (an initiative's page
and what is done from it: its answer, support, a hand lent, its news and their photos).
`views`, which the factory registers, imports `initiative_views`, so that the blueprint is
whole when it is registered.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

from community.core.home import home_tool
from community.core.permissions import current_member
from community.initiatives import answers, permissions, queries
from community.initiatives.labels import REASON_LABELS, STATUS_LABELS
from community.initiatives.models import Initiative

bp = Blueprint("initiatives", __name__, url_prefix="/initiatives")
# Its tool, on the home page of those who may open it.
home_tool(
    "initiatives.awaiting", _l("Initiatives awaiting an answer"), permissions.can_see_awaiting
)


@bp.app_template_global()
def initiatives_awaiting(member: Any) -> list[answers.AwaitingItem]:
    """For `_awaiting_answer.html`: what awaits an answer in the member's communities."""
    return answers.awaiting_answer(member)


bp.add_app_template_filter(format_decimal, "format_decimal")


@bp.app_context_processor
def _labels() -> dict[str, Any]:
    return {
        "status_labels": STATUS_LABELS,
        "reason_labels": REASON_LABELS,
        "can_see_awaiting_initiatives": permissions.can_see_awaiting,
    }


def load_initiative(initiative_id: int) -> Initiative:
    """The initiative `initiative_id` if she may read it; otherwise 404, as one that does not
    exist."""
    initiative = queries.readable_initiative(current_member(), initiative_id)
    if initiative is None:
        abort(404)
    return initiative
