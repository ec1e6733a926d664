"""Community pages: the list, a community, joining, the gardeners' dashboard, staff pages."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from community.communities import pairs, services
from community.communities.forms import (
    AnswerForm,
    CommunityForm,
    GardenersForm,
    HandoverNoteForm,
    JoinForm,
    LeaveForm,
    as_choices,
)
from community.communities.models import GardenerMandate, Membership
from community.communities.permissions import (
    can_answer_memberships,
    can_join,
    can_leave_handover_note,
    can_manage_communities,
    can_see_dashboard,
    can_see_members,
    membership_of,
)
from community.core.edge import int_arg
from community.core.errors import DomainError, Invalid
from community.core.forms import apply_errors
from community.core.pagination import page_from_request, paginate
from community.core.permissions import current_member, is_staff, require
from community.extensions import db
from community.initiatives.queries import latest_of
from community.members.models import Member
from community.territory.services import (
    active_neighbourhoods,
    active_themes,
    neighbourhood_choices,
    theme_choices,
)

bp = Blueprint("communities", __name__, url_prefix="/communities")


def _int_arg(name: str) -> int | None:
    return int_arg(name)


@bp.get("")
def index() -> str:
    member = current_member()
    q = request.args.get("q", "")[:100]
    theme_id, neighbourhood_id = _int_arg("theme"), _int_arg("neighbourhood")
    page = paginate(services.search_communities(q, theme_id, neighbourhood_id), page_from_request())
    return render_template(
        "communities/index.html",
        page=page,
        cards=services.cards_for(page.items),
        q=q,
        theme_id=theme_id,
        neighbourhood_id=neighbourhood_id,
        themes=active_themes(),
        neighbourhoods=active_neighbourhoods(),
        gardener=can_see_dashboard(member),
    )


@bp.get("/<slug>")
def show(slug: str) -> str:
    community = services.community_by_slug(slug)
    member = current_member()
    membership = membership_of(member, community)
    return render_template(
        "communities/show.html",
        card=services.card_for(community),
        community=community,
        latest_initiatives=latest_of(community.id),
        membership=membership,
        # A form makes a CSRF token, and so a session cookie: visitors get none (no form).
        join_form=JoinForm() if member else None,
        leave_form=LeaveForm() if member else None,
        can_see_members=can_see_members(member, community),
        can_answer=can_answer_memberships(member, community),
        can_manage=can_manage_communities(member),
    )


@bp.post("/<slug>/join")
def join(slug: str) -> str | Response:
    community = services.community_by_slug(slug)
    member = current_member()
    require(can_join(member, community), member)
    assert member is not None
    form = JoinForm()
    if form.validate_on_submit():
        try:
            membership = services.join(
                member, community, bool(form.accept_charter.data), form.message.data or ""
            )
        except Invalid as error:
            apply_errors(form, error)
        else:
            db.session.commit()
            if membership.status == "active":
                flash(_("Welcome to %(name)s!", name=community.name), "success")
            else:
                flash(_("Your request is sent: the gardeners will answer you."), "success")
            return redirect(url_for("communities.show", slug=community.slug))
    return render_template(
        "communities/show.html",
        card=services.card_for(community),
        community=community,
        latest_initiatives=latest_of(community.id),
        membership=membership_of(member, community),
        join_form=form,
        leave_form=LeaveForm(),
        can_see_members=can_see_members(member, community),
        can_answer=can_answer_memberships(member, community),
        can_manage=can_manage_communities(member),
    )


@bp.post("/<slug>/leave")
def leave(slug: str) -> Response:
    community = services.community_by_slug(slug)
    member = current_member()
    require(can_join(member, community), member)
    assert member is not None
    form = LeaveForm()
    if form.validate_on_submit():
        try:
            services.leave(member, community)
        except DomainError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("You have left %(name)s.", name=community.name), "success")
    return redirect(url_for("communities.show", slug=community.slug))


@bp.get("/<slug>/members")
def members(slug: str) -> str:
    community = services.community_by_slug(slug)
    member = current_member()
    require(can_see_members(member, community), member)
    page = paginate(services.active_members(community), page_from_request(), 50)
    return render_template("communities/members.html", community=community, page=page)


def _community_form(form: CommunityForm) -> None:
    form.theme_id.choices = as_choices([(None, _("— Choose —")), *theme_choices()])
    form.neighbourhood_id.choices = as_choices([(None, _("— None —")), *neighbourhood_choices()])


@bp.route("/new", methods=["GET", "POST"])
@bp.route("/<slug>/edit", methods=["GET", "POST"])
def edit(slug: str | None = None) -> str | Response:
    community = services.community_by_slug(slug) if slug else None
    member = current_member()
    require(can_manage_communities(member), member)
    assert member is not None
    form = CommunityForm(obj=community)
    _community_form(form)
    if form.validate_on_submit():
        data = services.CommunityData(
            name=form.name.data or "",
            slug=form.slug.data or "",
            theme_id=form.theme_id.data,
            neighbourhood_id=form.neighbourhood_id.data,
            description=form.description.data or "",
            charter=form.charter.data or "",
            visibility=form.visibility.data or "open",
        )
        try:
            community = services.save_community(member, data, community)
        except Invalid as error:
            apply_errors(form, error)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("communities.show", slug=community.slug))
    return render_template("communities/edit.html", form=form, community=community)


@bp.route("/<slug>/gardeners", methods=["GET", "POST"])
def gardeners(slug: str) -> str | Response:
    community = services.community_by_slug(slug)
    member = current_member()
    require(can_manage_communities(member), member)
    assert member is not None
    card = services.card_for(community)
    form = GardenersForm(
        technician_id=card.technician.id if card.technician else None,
        citizen_id=card.citizen.id if card.citizen else None,
    )
    staff = db.session.execute(
        select(Member).where(Member.role.in_(("staff", "admin"))).order_by(Member.display_name_key)
    ).scalars()
    none = (None, _("— Nobody —"))
    form.technician_id.choices = as_choices([none, *((m.id, m.display_name) for m in staff)])
    form.citizen_id.choices = as_choices(
        [
            none,
            *(
                (m.id, m.display_name)
                for m in db.session.execute(services.active_members(community)).scalars()
            ),
        ]
    )
    if form.validate_on_submit():
        changes = {
            side: db.session.get(Member, chosen_id) if chosen_id else None
            for side, chosen_id in (
                ("technician", form.technician_id.data),
                ("citizen", form.citizen_id.data),
            )
        }
        try:
            pairs.assign_pair(member, community, changes, form.handover_note.data or "")
        except Invalid as error:
            apply_errors(form, error)
        else:
            db.session.commit()
            flash(_("The gardener pair is saved."), "success")
            return redirect(url_for("communities.show", slug=community.slug))
    return render_template(
        "communities/gardeners.html",
        form=form,
        community=community,
        card=card,
        history=pairs.mandate_history(community),
        handovers=pairs.handovers_of(community),
    )


@bp.get("/needing-gardener")
def needing_gardener() -> str:
    member = current_member()
    require(can_manage_communities(member), member)
    return render_template("communities/needing.html", cards=pairs.communities_needing_gardener())


@bp.get("/dashboard")
def dashboard() -> str:
    member = current_member()
    require(can_see_dashboard(member), member)
    assert member is not None
    return render_template(
        "communities/dashboard.html",
        mandates=pairs.gardened_by(member),
        requests=services.pending_requests_for(member),
        handovers=pairs.handovers_for(member),
        answer_form=AnswerForm(),
        note_form=HandoverNoteForm(),
        staff=is_staff(member),
    )


@bp.post("/mandates/<int:mandate_id>/handover-note")
def leave_handover_note(mandate_id: int) -> Response:
    """The gardener in office leaves a note for their successor, from the dashboard."""
    mandate = db.get_or_404(GardenerMandate, mandate_id)
    member = current_member()
    require(can_leave_handover_note(member, mandate), member)
    assert member is not None
    form = HandoverNoteForm()
    if not form.validate_on_submit():
        flash(_("Write your note before sending it."), "error")
        return redirect(url_for("communities.dashboard"))
    try:
        pairs.leave_handover_note(member, mandate, form.note.data or "")
    except DomainError as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("Your note is kept for whoever will follow you."), "success")
    return redirect(url_for("communities.dashboard"))


@bp.post("/requests/<int:membership_id>/answer")
def answer(membership_id: int) -> Response:
    membership = db.get_or_404(Membership, membership_id)
    member = current_member()
    require(can_answer_memberships(member, membership.community), member)
    assert member is not None
    form = AnswerForm()
    if not form.validate_on_submit():
        flash(_("Choose to accept or refuse."), "error")
        return redirect(url_for("communities.dashboard"))
    try:
        services.answer_request(
            member, membership, form.decision.data == "accept", form.answer.data or ""
        )
    except DomainError as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("Your answer is sent."), "success")
    return redirect(url_for("communities.dashboard"))
