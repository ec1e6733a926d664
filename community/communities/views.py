"""Community pages: the list, a community, joining, the gardeners' dashboard, staff pages."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from community.communities import pairs, services
from community.communities.forms import (
    AnswerForm,
    CommunityForm,
    GardenersForm,
    HandOverForm,
    HandoverNoteForm,
    JoinForm,
    LeaveForm,
    NearMeForm,
    ProposalAnswerForm,
    as_choices,
)
from community.communities.models import Community, GardenerMandate, GardenerProposal, Membership
from community.communities.permissions import (
    can_answer_memberships,
    can_join,
    can_leave_handover_note,
    can_manage_communities,
    can_open_proposal,
    can_see_dashboard,
    can_see_members,
    membership_of,
)
from community.communities.roles import gardener_role, gardener_side
from community.core.cache import TTLCache
from community.core.database import natural
from community.core.edge import int_arg
from community.core.errors import Conflict, DomainError, Invalid
from community.core.forms import apply_errors
from community.core.handlers import form_action, refusal_undone
from community.core.home import home_tool
from community.core.pagination import page_from_request, paginate
from community.core.permissions import current_member, is_authenticated, is_staff, require
from community.core.standing import kept_while_suspended
from community.core.urls import back_or
from community.events import queries as events
from community.extensions import db
from community.initiatives.answers import response_figures
from community.initiatives.permissions import can_propose
from community.initiatives.queries import latest_of
from community.members.models import Member
from community.members.services import ProfileChanges, update_profile
from community.moderation.standing import is_banned_from
from community.questionnaires import services as questionnaires
from community.territory.services import (
    neighbourhood_choices,
    neighbourhood_names,
    theme_choices,
    theme_names,
)
from community.threads import services as threads
from community.threads.doors import community_door

bp = Blueprint("communities", __name__, url_prefix="/communities")
# The two sides of the pair, named for everyone, as the notifications name them.
bp.app_template_global("gardener_role")(gardener_role)
bp.app_template_global("gardener_side")(gardener_side)
bp.app_template_global("can_open_proposal")(can_open_proposal)
# Its tools, on the home page of those who may open them.
home_tool("communities.dashboard", _l("Gardener dashboard"), can_see_dashboard)
home_tool("communities.edit", _l("New community"), can_manage_communities)
home_tool(
    "communities.needing_gardener", _l("Communities needing a gardener"), can_manage_communities
)


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
        themes=theme_names(),
        neighbourhoods=neighbourhood_names(),
        gardener=can_see_dashboard(member),
    )


@bp.route("/for-me", methods=["GET", "POST"])
@kept_while_suspended("her own preferences: her neighbourhood and themes")
@login_required
def for_me() -> str | Response:
    """After confirming her e-mail: her neighbourhood and themes, and communities near her."""
    member = current_member()
    assert member is not None
    form = NearMeForm()
    form.neighbourhood_id.choices = as_choices(
        [(None, _("— I'd rather not say —")), *neighbourhood_choices()]
    )
    form.theme_ids.choices = theme_choices()
    if not form.is_submitted():
        form.neighbourhood_id.data = member.neighbourhood_id
        form.theme_ids.data = [t.id for t in member.themes]
    if form.validate_on_submit():
        changes = ProfileChanges(
            neighbourhood_id=form.neighbourhood_id.data,
            clear_neighbourhood=form.neighbourhood_id.data is None,
            theme_ids=list(form.theme_ids.data or []),
        )
        try:
            with refusal_undone():
                update_profile(member, changes)
        except Invalid as error:
            apply_errors(form, error)
        else:
            return redirect(url_for("communities.for_me", _anchor="near-title"))
    near = services.communities_near(member)
    return render_template(
        "communities/for_me.html", form=form, cards=services.cards_for(near), member=member
    )


# A community page's public figures (answers to its initiatives, people at its last rencontres),
# kept PUBLIC_COUNTS_CACHE_SECONDS (60 by default) per community by each process: plain numbers,
# which may show that much late.
COUNTS = TTLCache("PUBLIC_COUNTS_CACHE_SECONDS", size=512)


def _page(community: Community, member: Member | None, **forms: Any) -> str:
    """The community page: the view loads every section it shows (its templates query
    nothing), one query per kind of row (tests/core/test_page_queries.py)."""
    discussions, unread_in = threads.community_discussions(member, community)
    card = services.card_for(community)
    membership = membership_of(member, community)
    return render_template(
        "communities/show.html",
        card=card,
        # A side waiting for the person asked to accept: said so on the pair's card.
        proposed=pairs.pending_sides(community),
        community=community,
        latest_initiatives=latest_of(community.id),
        # A visitor is offered to propose (she logs in first); a member suspended from it not.
        may_propose=member is None or can_propose(member, community),
        membership=membership,
        # The inhabitants' gardener leaves only once someone takes over (`holds_citizen_side`,
        # read here from the pair's card): no way out offered.
        hands_over_first=member is not None
        and getattr(card.gardeners.get("citizen"), "id", None) == member.id,
        # Suspended from it right now: what she reads instead of a way to join.
        suspended=(
            services.suspended_words(membership)
            if membership is not None and is_banned_from(member, community)
            else None
        ),
        may_join=can_join(member, community),
        # A gardener is in it without joining: her role in the pair, said on the page.
        my_role=next(
            (
                gardener_role(side)
                for side, gardener in card.gardeners.items()
                if member and gardener and gardener.id == member.id
            ),
            None,
        ),
        can_see_members=can_see_members(member, community),
        can_answer=can_answer_memberships(member, community),
        can_manage=can_manage_communities(member),
        discussions=discussions,
        unread_in=unread_in,
        discussion_door=community_door(member, community),
        next_rencontres=events.upcoming_in(member, community),
        attendance=COUNTS.get(
            ("attendance", community.id), lambda: events.recent_attendance(community)
        ),
        figures=COUNTS.get(("figures", community.id), lambda: response_figures(community)),
        open_now=questionnaires.open_in(member, community),
        follow_ups=questionnaires.latest_follow_ups(member, community),
        **forms,
    )


@bp.get("/<slug>")
def show(slug: str) -> str:
    community = services.community_by_slug(slug)
    member = current_member()
    # A form makes a CSRF token, and so a session cookie: visitors get none (no form).
    return _page(
        community,
        member,
        join_form=JoinForm() if member else None,
        leave_form=LeaveForm() if member else None,
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
            with refusal_undone():
                membership = services.join(
                    member, community, bool(form.accept_charter.data), form.message.data or ""
                )
        except Invalid as error:
            apply_errors(form, error)
        else:
            if membership.status == "active":
                flash(
                    _("Welcome to %(name)s! Say hello to the others here.", name=community.name),
                    "success",
                )
                # She lands where the community talks, ready to write.
                return redirect(url_for("threads.welcome", slug=community.slug))
            flash(_("Your request is sent: the gardeners will answer you."), "success")
            return redirect(url_for("communities.show", slug=community.slug))
    return _page(community, member, join_form=form, leave_form=LeaveForm())


@bp.route("/<slug>/leave", methods=["GET", "POST"])
@kept_while_suspended("leaving a community")
def leave(slug: str) -> str | Response:
    """Leave a community (or withdraw a request), once confirmed: a page without JavaScript,
    a dialog with it."""
    community = services.community_by_slug(slug)
    member = current_member()
    require(is_authenticated(member), member)
    assert member is not None
    form = LeaveForm()
    if request.method == "GET":
        membership = membership_of(member, community)
        if membership is None or membership.status not in {"active", "pending"}:
            return redirect(url_for("communities.show", slug=community.slug))
        return render_template(
            "communities/leave.html", community=community, membership=membership, form=form
        )
    if form.validate_on_submit():
        try:
            with refusal_undone():
                services.leave(member, community)
        except DomainError as error:
            flash(error.message, "error")
        else:
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
            with refusal_undone():
                community = services.save_community(member, data, community)
        except Invalid as error:
            apply_errors(form, error)
        else:
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
        history=pairs.mandate_history(community),
        handovers=pairs.handovers_of(community),
        pending={
            side: pairs.pending_proposal(community, side) for side in ("technician", "citizen")
        },
    )


@bp.get("/needing-gardener")
def needing_gardener() -> str:
    member = current_member()
    require(can_manage_communities(member), member)
    return render_template("communities/needing.html", cards=pairs.communities_needing_gardener())


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
    mandates = pairs.gardened_by(member)
    my_proposals = pairs.proposals_by(member)
    return render_template(
        "communities/dashboard.html",
        mandates=mandates,
        requests=services.pending_requests_for(member),
        handovers=pairs.handovers_for(member),
        answering=answering,
        note_form=HandoverNoteForm(),
        hand_over_forms=_hand_over_forms(mandates),
        my_proposals=my_proposals,
        # Asked to take an empty side, not to take over: each said in its own words.
        empty_seats=pairs.empty_seats(my_proposals),
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
        and mandate.ended_at is None
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
        lambda: services.answer_request(
            member, membership, form.decision.data == "accept", form.answer.data or ""
        ),
        done,
        refusals=(Invalid, Conflict),
    )
    # Refused: the dashboard again, the error summary in the request's card (focused on load)
    # and her choice and words kept.
    return answered or (_dashboard(member, answering=(membership.id, form)), 422)
