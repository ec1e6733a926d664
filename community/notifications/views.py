"""The bell, the list of notifications, e-mail settings and the one-click unsubscribe."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from community.core.header import badge, badges
from community.core.pagination import page_from_request, paginate
from community.core.permissions import current_member
from community.core.standing import kept_while_suspended
from community.core.urls import safe_next
from community.extensions import csrf, db
from community.members.models import Member
from community.notifications import (
    push_views,  # noqa: F401  (its routes are on `bp`)
    services,
)
from community.notifications.blueprints import bp
from community.notifications.forms import EmptyForm, PreferenceForm
from community.notifications.mails import member_id_for_unsubscribe_token


@badge("unread")
def _unread_badge(member: Member) -> int:
    return services.unread_count(member)


@bp.app_template_global("unread_notifications")
def unread_notifications(member: Member | None) -> int:
    """The number on the bell (0 for a visitor; core/header.py keeps it)."""
    return int(badges(member).get("unread", 0)) if member is not None else 0


@bp.get("/notifications")
@login_required
def index() -> str:
    member = current_member()
    assert member is not None
    unread_only = request.args.get("unread") == "1"
    page = paginate(services.notifications_of(member, unread_only=unread_only), page_from_request())
    return render_template(
        "notifications/index.html",
        page=page,
        unread_only=unread_only,
        unread=services.unread_count(member),
        form=EmptyForm(),
    )


@bp.post("/notifications/<int:notification_id>/read")
@kept_while_suspended("her own notifications")
@login_required
def mark_one(notification_id: int) -> Response:
    member = current_member()
    assert member is not None
    if not EmptyForm().validate_on_submit():
        abort(400)
    # Another member's id simply matches nothing: the service only touches one's own.
    services.mark_read(member, [notification_id])
    return redirect(safe_next(request.form.get("next") or url_for("notifications.index")))


@bp.post("/notifications/read")
@kept_while_suspended("her own notifications")
@login_required
def mark_all() -> Response:
    member = current_member()
    assert member is not None
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.mark_read(member)
    flash(_("All your notifications are marked as read."), "success")
    return redirect(url_for("notifications.index"))


@bp.route("/me/notifications/settings", methods=["GET", "POST"])
@kept_while_suspended("her own notification preferences")
@login_required
def settings() -> str | Response:
    member = current_member()
    assert member is not None
    form = PreferenceForm()
    if not form.is_submitted():
        form.email_frequency.data = services.email_frequency(member)
    if form.validate_on_submit():
        services.set_email_frequency(member, form.email_frequency.data)
        flash(_("Your e-mail preferences are saved."), "success")
        return redirect(url_for("notifications.settings"))
    return render_template("notifications/settings.html", form=form)


def _member_for_token(token: str) -> Member:
    member_id = member_id_for_unsubscribe_token(token)
    member = db.session.get(Member, member_id) if member_id is not None else None
    if member is None:
        abort(404)
    return member


@bp.get("/notifications/unsubscribe/<token>")
def unsubscribe(token: str) -> str:
    """The link of every mail: a page with one button (a GET never changes anything)."""
    _member_for_token(token)
    return render_template("notifications/unsubscribe.html", token=token, done=False)


@bp.post("/notifications/unsubscribe/<token>")
@kept_while_suspended("her own notification preferences (the e-mail's link)")
@csrf.exempt  # RFC 8058: the mail client posts here itself; the signed token is the proof
def unsubscribe_confirm(token: str) -> str:
    member = _member_for_token(token)
    services.unsubscribe(member)
    return render_template("notifications/unsubscribe.html", token=token, done=True)
