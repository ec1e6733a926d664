"""The push part of the notification preferences page: the phone switch and the kinds."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import SelectMultipleField, widgets

from community.core.permissions import current_member
from community.core.standing import kept_while_suspended
from community.members.models import Member
from community.notifications import push, push_keys, push_services
from community.notifications.blueprints import bp


class PushKindsForm(FlaskForm):
    kinds = SelectMultipleField(
        _l("What my phones receive"),
        choices=[],
        validate_choice=False,  # the service checks the kinds
        widget=widgets.ListWidget(prefix_label=False),
        option_widget=widgets.CheckboxInput(),
    )


def _form(member: Member) -> PushKindsForm:
    form = PushKindsForm(prefix="push")
    form.kinds.choices = [(name, str(label)) for name, label in push.kinds_for(member).items()]
    if not form.is_submitted():
        form.kinds.data = [k for k, on in push_services.kind_choices(member).items() if on]
    return form


@bp.app_template_global("push_on")
def push_on() -> bool:
    """Whether this site sends pushes: the ways to the preferences then name the phone."""
    return push_keys.enabled()


@bp.app_template_global("push_settings")
def push_settings(member: Member | None) -> dict[str, Any] | None:
    """What the preferences page shows about push (None when push is off here)."""
    if member is None or not push_keys.enabled():
        return None
    return {"form": _form(member), "phones": push_services.subscription_count(member)}


@bp.post("/me/notifications/push")
@kept_while_suspended("her own notification preferences, on this device")
@login_required
def push_kinds() -> Response:
    member = current_member()
    assert member is not None
    form = _form(member)
    if form.validate_on_submit():
        push_services.set_kind_choices(member, set(form.kinds.data or []))
        flash(_("Your choices for the phone are saved."), "success")
    else:
        flash(_("Your choices could not be saved. Try again."), "error")
    return redirect(url_for("notifications.settings", _anchor="telephone"))
