"""The solidarity pages' blueprint `bp`, and what its pages share: the member signed in, the
place lists of a form, a button's service run with its refusal flashed.

Three modules of routes fill it: `views.py` (offers and requests), `exchange_views.py` and
`signal_views.py`. `views`, which the factory registers, imports the other two, so that the
blueprint is whole when it is registered.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash
from flask import request as http_request
from flask_babel import gettext as _

from community.core.errors import DomainError
from community.core.handlers import refusal_undone
from community.core.permissions import current_member, is_authenticated, require
from community.members.models import Member
from community.solidarity.forms import ActionForm
from community.territory.services import neighbourhood_choices, theme_choices

bp = Blueprint("solidarity", __name__, url_prefix="/solidarity")


def signed_in_member() -> Member:
    """The member signed in; a visitor is asked to log in (401)."""
    member = current_member()
    require(is_authenticated(member), member)
    assert member is not None
    return member


def place_choices(form: Any, home: int | None = None) -> None:
    """The theme and neighbourhood lists; `home`: the neighbourhood chosen first on a new form."""
    blank = (None, _("— Choose —"))
    form.theme_id.choices = [blank, *theme_choices()]
    form.neighbourhood_id.choices = [blank, *neighbourhood_choices()]
    if home is not None and http_request.method == "GET" and form.neighbourhood_id.data is None:
        form.neighbourhood_id.data = home


def button_action(act: Any, done_message: str) -> None:
    """Run one service behind a CSRF-checked button; flash the refusal, if any.

    Services check everything before they change anything, so a refusal leaves nothing to undo.
    """
    if not ActionForm().validate_on_submit():
        flash(_("The form expired. Please go back, reload the page and try again."), "error")
        return
    try:
        with refusal_undone():
            act()
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(done_message, "success")
