"""The member's profile: see it, change it."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from community.core.errors import Invalid
from community.core.forms import apply_errors
from community.core.permissions import current_member
from community.extensions import db
from community.members import services
from community.members.forms import ProfileForm
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
        form.skills.data = "\n".join(member.skills or [])
    if form.validate_on_submit():
        changes = services.ProfileChanges(
            display_name=form.display_name.data,
            neighbourhood_id=form.neighbourhood_id.data,
            clear_neighbourhood=form.neighbourhood_id.data is None,
            theme_ids=list(form.theme_ids.data or []),
            skills=[line for line in (form.skills.data or "").splitlines() if line.strip()],
            bio=form.bio.data or "",
            locale=form.locale.data,
        )
        try:
            services.update_profile(member, changes)
        except Invalid as error:
            db.session.rollback()
            apply_errors(form, error)
        else:
            db.session.commit()
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
