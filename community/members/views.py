"""The member's profile: see it, change it."""

from __future__ import annotations

import json

from flask import Blueprint, abort, current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import login_required, logout_user
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from community.core.errors import Conflict, Invalid
from community.core.forms import apply_errors
from community.core.handlers import refusal_undone
from community.core.permissions import current_member
from community.extensions import db, limiter
from community.members import erasure, services
from community.members.export import export_data
from community.members.forms import DeleteAccountForm, ProfileForm
from community.members.models import Member
from community.territory.services import neighbourhood_choices, theme_choices

bp = Blueprint("members", __name__)


@bp.get("/me")
@login_required
def me() -> str:
    return render_template("members/me.html", member=current_member())


@bp.route("/me/edit", methods=["GET", "POST"])
@login_required
def edit() -> str | Response:
    member = current_member()
    assert member is not None
    form = ProfileForm(obj=member)
    form.neighbourhood_id.choices = [
        SelectChoice("", _("— I'd rather not say —")),
        *neighbourhood_choices(),
    ]
    form.theme_ids.choices = theme_choices()
    if not form.is_submitted():
        form.theme_ids.data = [t.id for t in member.themes]
    if form.validate_on_submit():
        changes = services.ProfileChanges(
            display_name=form.display_name.data,
            neighbourhood_id=form.neighbourhood_id.data,
            clear_neighbourhood=form.neighbourhood_id.data is None,
            theme_ids=list(form.theme_ids.data or []),
            skills=list(form.skills.data),
            bio=form.bio.data or "",
            locale=form.locale.data,
        )
        try:
            with refusal_undone():
                services.update_profile(member, changes)
        except Invalid as error:
            apply_errors(form, error)
        else:
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("members.me"))
    return render_template("members/edit.html", form=form)


@bp.get("/members/<int:member_id>")
@login_required
def profile(member_id: int) -> str:
    member = db.get_or_404(Member, member_id)
    if member.email_confirmed_at is None:
        abort(404)
    return render_template("members/profile.html", member=member)


@bp.get("/me/export")
@login_required
def export() -> Response:
    """All of the member's data, as a JSON file to keep."""
    member = current_member()
    assert member is not None
    data = export_data(member)
    filename = f"terreau-mes-donnees-{data['exported_at'][:10]}.json"
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/me/delete", methods=["GET", "POST"])
@login_required
@limiter.limit(lambda: str(current_app.config["LOGIN_RATE_LIMIT"]), methods=["POST"])
def delete() -> str | Response:
    """Erase one's own account, after reading what goes and what stays."""
    member = current_member()
    assert member is not None
    form = DeleteAccountForm()
    refusal = erasure.erasure_refusal(member)
    if refusal is None and form.validate_on_submit():
        try:
            with refusal_undone():
                erasure.erase_account(member, form.password.data or "")
        except Invalid as error:
            apply_errors(form, error)
        except Conflict as error:
            refusal = error.message
        else:
            logout_user()
            session.clear()
            flash(_("Your account is deleted. Thank you for taking part."), "success")
            return redirect(url_for("core.home"))
    return render_template("members/delete.html", form=form, refusal=refusal)
