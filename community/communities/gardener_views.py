"""The gardener pair's pages: who gardens a community (staff), the communities needing a
gardener, the gardeners' dashboard, handing over, a proposal to garden, and answers to
requests to join. Routes on the communities' `bp` (`blueprints.py`)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from community.communities import gardener_queries, memberships, pairs, services
from community.communities.blueprints import bp
from community.communities.forms import (
    AnswerForm,
    GardenersForm,
    HandOverForm,
    HandoverNoteForm,
    ProposalAnswerForm,
    as_choices,
)
from community.communities.models import GardenerMandate, GardenerProposal, Membership
from community.communities.permissions import (
    can_answer_memberships,
    can_leave_handover_note,
    can_manage_communities,
    can_open_proposal,
    can_see_dashboard,
)
from community.communities.roles import gardener_role
from community.core.database import natural
from community.core.errors import Conflict, DomainError, Invalid
from community.core.forms import apply_errors
from community.core.handlers import form_action, refusal_undone
from community.core.permissions import current_member, is_staff, require
from community.core.urls import back_or
from community.extensions import db
from community.members.models import Member


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
    none = (None, _("— Nobody —"))

    def choices(stmt: Any, holder: Member | None) -> list[Any]:
        # Who may be chosen, and whoever holds the side now (kept as she is, even suspended).
        people = list(db.session.execute(stmt).scalars())
        if holder is not None and holder not in people:
            people.insert(0, holder)
        return as_choices([none, *((m.id, m.display_name) for m in people)])

    form.technician_id.choices = choices(services.staff_candidates(), card.technician)
    form.citizen_id.choices = choices(services.candidates(community), card.citizen)
    if form.validate_on_submit():
        chosen = {
            side: db.session.get(Member, chosen_id) if chosen_id is not None else None
            for side, chosen_id in (
                ("technician", form.technician_id.data),
                ("citizen", form.citizen_id.data),
            )
        }
        try:
            with refusal_undone():  # either side refused: nothing changes
                asked = [
                    p.candidate.display_name
                    for p in pairs.change_pair(
                        member, community, chosen, form.handover_note.data or ""
                    )
                ]
        except Invalid as error:
            apply_errors(form, error)
        else:
            if asked:
                flash(
                    _(
                        "%(names)s is asked: named once they accept.",
                        names=", ".join(asked),
                    ),
                    "success",
                )
            else:
                flash(_("The gardener pair is saved."), "success")
            return redirect(url_for("communities.show", slug=community.slug))
    return render_template(
        "communities/gardeners.html",
        form=form,
        community=community,
        card=card,
        history=gardener_queries.mandate_history(community),
        handovers=gardener_queries.handovers_of(community),
        pending={
            side: gardener_queries.pending_proposal(community, side)
            for side in ("technician", "citizen")
        },
    )


@bp.get("/needing-gardener")
def needing_gardener() -> str:
    member = current_member()
    require(can_manage_communities(member), member)
    return render_template(
        "communities/needing.html", cards=gardener_queries.communities_needing_gardener()
    )


def _hand_over_form(
    mandate: GardenerMandate, members: list[tuple[int, str]] | None = None
) -> HandOverForm:
    form = HandOverForm(prefix=f"h{mandate.id}")
    form.candidate_id.choices = _successor_choices(mandate, members)
    return form


def _hand_over_forms(mandates: list[GardenerMandate]) -> dict[int, HandOverForm]:
    """One hand-over form per citizen mandate, their possible successors in one query."""
    citizen = [m for m in mandates if m.side == "citizen"]
    by_community: dict[int, list[tuple[int, str]]] = {m.community_id: [] for m in citizen}
    if by_community:
        rows = db.session.execute(
            select(Membership.community_id, Member.id, Member.display_name)
            .join(Member, Member.id == Membership.member_id)
            .where(Membership.community_id.in_(by_community), services.candidate_clause())
            .order_by(natural(Member.display_name_key))
        )
        for community_id, member_id, name in rows:
            by_community[community_id].append((member_id, name))
    return {m.id: _hand_over_form(m, by_community[m.community_id]) for m in citizen}


@bp.get("/dashboard")
def dashboard() -> str:
    member = current_member()
    require(can_see_dashboard(member), member)
    assert member is not None
    return _dashboard(member)


def _dashboard(member: Member, answering: tuple[int, AnswerForm] | None = None) -> str:
    """The dashboard; `answering`: a join request's answer refused, shown again in its card
    with what she chose and wrote (the error beside its field)."""
    mandates = gardener_queries.gardened_by(member)
    my_proposals = gardener_queries.proposals_by(member)
    return render_template(
        "communities/dashboard.html",
        mandates=mandates,
        requests=memberships.pending_requests_for(member),
        handovers=gardener_queries.handovers_for(member),
        answering=answering,
        note_form=HandoverNoteForm(),
        hand_over_forms=_hand_over_forms(mandates),
        my_proposals=my_proposals,
        # Asked to take an empty side, not to take over: each said in its own words.
        empty_seats=gardener_queries.empty_seats(my_proposals),
        roles={side: gardener_role(side) for side in ("technician", "citizen")},
        # A mandate already handed over, waiting for the successor's answer: no second form.
        asked={(p.community_id, p.side): p for p in my_proposals},
        staff=is_staff(member),
    )


@bp.post("/mandates/<int:mandate_id>/hand-over")
def hand_over(mandate_id: int) -> Response:
    """ "Passer la main": the citizen gardener proposes her successor, who is asked first."""
    mandate = db.get_or_404(GardenerMandate, mandate_id)
    member = current_member()
    require(
        member is not None
        and mandate.member_id == member.id
        and mandate.in_office
        and pairs.can_propose_for(member, mandate.community, mandate.side),
        member,
    )
    assert member is not None
    form = _hand_over_form(mandate)
    if not form.validate_on_submit():
        flash(_("Choose who takes over and write your note."), "error")
        return redirect(url_for("communities.dashboard"))
    candidate = db.session.get(Member, form.candidate_id.data) if form.candidate_id.data else None
    try:
        with refusal_undone():
            if candidate is None:
                raise Invalid(_("Choose who takes over."))
            pairs.propose(
                member, mandate.community, mandate.side, candidate, form.handover_note.data
            )
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(
            _(
                "%(name)s is asked. You stay gardener until they accept.",
                name=candidate.display_name,
            ),
            "success",
        )
    return redirect(url_for("communities.dashboard"))


def _successor_choices(
    mandate: GardenerMandate, members: list[tuple[int, str]] | None = None
) -> list[Any]:
    if members is None:
        members = [
            (m.id, m.display_name)
            for m in db.session.execute(services.candidates(mandate.community)).scalars()
        ]
    return as_choices(
        [
            (None, _("— Choose —")),
            *((mid, name) for mid, name in members if mid != mandate.member_id),
        ]
    )


@bp.route("/proposals/<int:proposal_id>", methods=["GET", "POST"])
@login_required
def proposal(proposal_id: int) -> str | Response:
    """The person asked accepts or declines; whoever asked (or staff) may take it back."""
    found = db.get_or_404(GardenerProposal, proposal_id)
    member = current_member()
    assert member is not None
    require(can_open_proposal(member, found), member)
    mine = found.candidate_id == member.id
    asker = found.proposed_by_id == member.id or is_staff(member)
    form = ProposalAnswerForm()
    if request.method == "POST":
        try:
            with refusal_undone():
                if request.form.get("action") == "withdraw":
                    require(asker, member)
                    pairs.withdraw_proposal(member, found)
                    message = _("The proposal is withdrawn.")
                elif form.validate_on_submit():
                    require(mine, member)
                    accept = form.decision.data == "accept"
                    pairs.answer_proposal(member, found, accept)
                    message = (
                        _(
                            "You are now a gardener of %(name)s. Thank you!",
                            name=found.community.name,
                        )
                        if accept
                        else _("Your answer is sent.")
                    )
                else:
                    message = ""
        except DomainError as error:
            flash(error.message, "error")
        else:
            if message:
                flash(message, "success")
                return redirect(back_or("communities.show", slug=found.community.slug))
    return render_template(
        "communities/proposal.html", proposal=found, form=form, mine=mine, asker=asker
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
        with refusal_undone():
            pairs.leave_handover_note(member, mandate, form.note.data or "")
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(_("Your note is kept for whoever will follow you."), "success")
    return redirect(url_for("communities.dashboard"))


@bp.post("/requests/<int:membership_id>/answer")
def answer(membership_id: int) -> Response | tuple[str, int]:
    membership = db.get_or_404(Membership, membership_id)
    member = current_member()
    require(can_answer_memberships(member, membership.community), member)
    assert member is not None
    form = AnswerForm()

    def done(answered: Membership) -> Response:
        said = {"name": answered.member.display_name, "community": answered.community.name}
        if answered.status == "active":
            flash(_("%(name)s is now a member of %(community)s. They are told.", **said), "success")
        else:
            flash(_("Your answer is sent to %(name)s.", **said), "success")
        return redirect(back_or("communities.dashboard"))

    answered = form_action(
        form,
        lambda: memberships.answer_request(
            member, membership, form.decision.data == "accept", form.answer.data or ""
        ),
        done,
        refusals=(Invalid, Conflict),
    )
    # Refused: the dashboard again, the error summary in the request's card (focused on load)
    # and her choice and words kept.
    return answered or (_dashboard(member, answering=(membership.id, form)), 422)
