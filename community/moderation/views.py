"""Reporting, the moderators' queue and journal, and the public transparency page."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from werkzeug.wrappers import Response

from community.communities.models import Membership
from community.core.errors import Conflict, Invalid
from community.core.forms import apply_errors
from community.core.handlers import refusal_undone, transaction
from community.core.header import badge, badges
from community.core.home import home_tool
from community.core.pagination import page_from_request, paginate
from community.core.permissions import current_member, is_staff, require
from community.core.standing import kept_while_suspended
from community.core.urls import back_or
from community.extensions import db
from community.members.models import Member
from community.moderation import queries, services, transparency
from community.moderation.forms import (
    SCOPE_CHOICES,
    ContestForm,
    LiftForm,
    ReportForm,
    ResolveForm,
)
from community.moderation.models import PlatformSuspension, Report
from community.moderation.permissions import (
    can_contest,
    can_moderate_in,
    can_report,
    can_resolve,
    can_see_queue,
    can_suspend_from_platform,
)
from community.moderation.suspensions import (
    lift_community_ban,
    lift_platform_suspension,
    suspensions_seen_by,
)
from community.moderation.targets import (
    kind_of,
    load_contested,
    load_reported,
    load_target,
    load_targets,
    readable_labels,
    write_turn,
)

bp = Blueprint("moderation", __name__)
# Its tools, on the home page of those who may open them.
home_tool("moderation.queue", _l("Moderation"), can_see_queue)
home_tool("moderation.journal", _l("Moderation journal"), can_see_queue)
home_tool("moderation.suspensions", _l("Suspensions"), can_see_queue)


@badge("moderation")
def _moderation_badge(member: Member) -> bool:
    return can_see_queue(member)


@bp.app_template_global("can_see_moderation")
def can_see_moderation(member: Member | None) -> bool:
    """Show the "Moderation" menu entry (core/header.py keeps it)."""
    return bool(badges(member).get("moderation")) if member is not None else False


@bp.route("/report", methods=["GET", "POST"])
@kept_while_suspended("telling the moderators of harm (a report decides nothing by itself)")
@login_required
def report() -> str | Response:
    """Report a message, an initiative or a member (the "Report" links lead here)."""
    member = current_member()
    form = ReportForm(request.form if request.method == "POST" else request.args)
    target_type = form.target_type.data or ""
    target_id = form.target_id.data if isinstance(form.target_id.data, int) else None
    # The visibility layer: what the reporter may not read is answered as a missing id.
    target = load_target(member, target_type, target_id)
    if target is None:
        abort(404)
    require(can_report(member, target), member, _("You cannot report your own content."))
    if request.method == "POST" and form.validate():
        assert member is not None
        try:
            with refusal_undone():
                services.report(
                    member, target_type, target.obj.id, form.reason.data, form.text.data or ""
                )
        except Conflict as error:
            flash(error.message, "info")
            return redirect(target.url or url_for("core.home"))
        except Invalid as error:
            apply_errors(form, error)
        else:
            flash(_("Thank you. The moderators will look at your report."), "success")
            return redirect(target.url or url_for("core.home"))
    return render_template(
        "moderation/report.html", form=form, target=target, target_type=target_type
    )


@bp.route("/moderation/contest/<target_type>/<int:target_id>", methods=["GET", "POST"])
@kept_while_suspended("contesting a decision about her")
@login_required
def contest(target_type: str, target_id: int) -> str | Response:
    """The author of hidden content says why it should be shown again; staff answer."""
    member = current_member()
    target = load_contested(member, target_type, target_id)  # 404: not hers, nor readable
    if target is None:
        abort(404)
    require(can_contest(member, target), member, _("Only its author contests the hiding."))
    assert member is not None
    form = ContestForm()
    if form.validate_on_submit():
        try:
            with refusal_undone():
                services.contest(member, target_type, target_id, form.text.data or "")
        except Conflict as error:
            flash(error.message, "info")
            return redirect(target.url or url_for("core.home"))
        except Invalid as error:
            apply_errors(form, error)
        else:
            flash(_("Your request is sent. Staff will answer you."), "success")
            return redirect(target.url or url_for("core.home"))
    return render_template("moderation/contest.html", form=form, target=target)


@bp.get("/moderation")
@login_required
def queue() -> str:
    member = current_member()
    require(can_see_queue(member), member)
    assert member is not None
    status = request.args.get("status", "open")
    if status not in {"open", "resolved"}:
        status = "open"
    page = paginate(queries.queue(member, status), page_from_request())
    targets = load_targets([(r.target_type, r.target_id) for r in page.items])
    return render_template("moderation/queue.html", page=page, status=status, targets=targets)


@bp.route("/moderation/reports/<int:report_id>", methods=["GET", "POST"])
@login_required
def detail(report_id: int) -> str | Response:
    member = current_member()
    report = db.get_or_404(Report, report_id)
    require(can_resolve(member, report), member)
    assert member is not None
    target = load_reported(report.target_type, report.target_id)
    form = ResolveForm()
    if not is_staff(member):
        form.scope.choices = [c for c in SCOPE_CHOICES if c.value == "community"]
    # Only the acts that make sense now: hide what is shown, restore what is hidden.
    kind = kind_of(report.target_type)
    shown = target is not None and not target.hidden and kind is not None and kind.hide is not None
    hidden = target is not None and target.hidden and kind is not None and kind.restore is not None
    form.action.choices = [
        c
        for c in form.action.choices
        if (c.value != "hide" or shown) and (c.value != "restore" or hidden)
    ]
    if form.validate_on_submit():
        # Committed inside the target's write turn, as the API does (a thread's: before its
        # broadcast leaves); a refusal is rolled back whole.
        with write_turn(report.target_type, report.target_id):
            try:
                with transaction():
                    services.resolve(
                        member,
                        report,
                        form.action.data,
                        form.reason.data or "",
                        form.until_datetime(),
                        form.scope.data if report.community is not None else "platform",
                    )
            except (Invalid, Conflict) as error:
                if isinstance(error, Invalid):
                    apply_errors(form, error)
                else:
                    form.form_errors.append(error.message)
            else:
                if form.action.data == "dismiss":  # only the reporter hears of it
                    flash(_("Done. The person who reported it is told."), "success")
                else:
                    flash(_("Done. The member concerned has been told."), "success")
                # Back where she came from (the "à faire" inbox), else to the queue.
                return redirect(back_or("moderation.queue"))
    history = queries.acts_about(report.target_type, report.target_id)
    return render_template(
        "moderation/detail.html",
        report=report,
        target=target,
        form=form,
        history=history,
        back=back_or("moderation.queue"),
    )


@bp.get("/moderation/journal")
@login_required
def journal() -> str:
    member = current_member()
    require(can_see_queue(member), member)
    assert member is not None
    page = paginate(queries.journal(member), page_from_request())
    # Each act names what it was about, in words, only as far as she may read it. An act on a
    # member names her only while its subject is still her: the subject goes when her account
    # is erased, and her id may then be someone else's (SQLite gives an erased last id again).
    named = readable_labels(
        member,
        [
            (a.target_type, a.target_id)
            for a in page.items
            if a.target_type != "member" or a.subject_id == a.target_id
        ],
    )
    return render_template("moderation/journal.html", page=page, named=named)


@bp.get("/transparency")
def transparency_page() -> str:
    """Public: how many reports and acts, per month, category and community. No names."""
    return render_template(
        "moderation/transparency.html",
        months=transparency.published_months(),
        min_cell=current_app.config["OBSERVATORY_MIN_CELL"],
    )


@bp.get("/moderation/suspensions")
@login_required
def suspensions() -> str:
    """Suspensions in force that one may lift."""
    member = current_member()
    require(can_see_queue(member), member)
    assert member is not None
    platform, bans = suspensions_seen_by(member)
    return render_template(
        "moderation/suspensions.html", platform=platform, bans=bans, form=LiftForm()
    )


@bp.post("/moderation/suspensions/platform/<int:suspension_id>/lift")
@login_required
def lift_platform(suspension_id: int) -> Response:
    member = current_member()
    suspension = db.get_or_404(PlatformSuspension, suspension_id)
    require(can_suspend_from_platform(member), member)
    assert member is not None
    form = LiftForm()
    if not form.validate_on_submit():
        abort(400)
    lift_platform_suspension(member, suspension, form.reason.data or "")
    flash(_("The suspension is lifted. The member has been told."), "success")
    return redirect(url_for("moderation.suspensions"))


@bp.post("/moderation/suspensions/community/<int:membership_id>/lift")
@login_required
def lift_ban(membership_id: int) -> Response:
    member = current_member()
    membership = db.get_or_404(Membership, membership_id)
    require(can_moderate_in(member, membership.community), member)
    assert member is not None
    form = LiftForm()
    if not form.validate_on_submit():
        abort(400)
    lift_community_ban(member, membership, form.reason.data or "")
    flash(_("The suspension is lifted. The member has been told."), "success")
    return redirect(url_for("moderation.suspensions"))
