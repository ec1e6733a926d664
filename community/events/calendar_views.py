"""Her rencontres and her calendar: the page of her places, her private feed link, the feed."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from community.core.origins import public_url
from community.core.permissions import current_member
from community.core.standing import kept_while_suspended
from community.events import calendar, queries
from community.events.blueprints import bp
from community.events.forms import ActionForm


@bp.get("/events/mine")
@login_required
def mine() -> str:
    member = current_member()
    assert member is not None
    return render_template(
        "events/mine.html",
        places=queries.my_places(member),
        has_feed=calendar.has_feed(member),
        feed_url=None,
        form=ActionForm(),
    )


@bp.post("/events/calendar")
@kept_while_suspended("reading her rencontres in her own calendar")
@login_required
def issue_feed() -> str:
    member = current_member()
    assert member is not None
    if not ActionForm().validate_on_submit():
        abort(400)
    token = calendar.issue_feed(member)
    return render_template(
        "events/mine.html",
        places=queries.my_places(member),
        has_feed=True,
        feed_url=public_url() + url_for("events.feed", token=token),
        form=ActionForm(),
    )


@bp.post("/events/calendar/revoke")
@kept_while_suspended("reading her rencontres in her own calendar")
@login_required
def revoke_feed() -> Response:
    member = current_member()
    assert member is not None
    if not ActionForm().validate_on_submit():
        abort(400)
    calendar.revoke_feed(member)
    flash(_("Your calendar link no longer works."), "success")
    return redirect(url_for("events.mine"))


@bp.get("/me/calendar.ics")
def feed() -> Response:
    member = calendar.feed_member(request.args.get("token", ""))
    if member is None:
        abort(404)
    return Response(
        calendar.calendar_of(calendar.feed_events(member), _("My rencontres")),
        mimetype="text/calendar",
        headers={"Cache-Control": "private, no-store"},
    )
