"""Community pages: the list, a community, joining and leaving, its members, staff's community
form. The gardener pair's pages are in `gardener_views.py`."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from community.communities import (
    gardener_queries,
    gardener_views,  # noqa: F401  (its routes are on `bp`)
    memberships,
    services,
)
from community.communities.blueprints import bp
from community.communities.forms import (
    CommunityForm,
    JoinForm,
    LeaveForm,
    NearMeForm,
    as_choices,
)
from community.communities.models import Community
from community.communities.permissions import (
    can_answer_memberships,
    can_join,
    can_manage_communities,
    can_see_dashboard,
    can_see_members,
    membership_of,
    offered_to_join,
)
from community.communities.roles import gardener_role
from community.core.cache import TTLCache
from community.core.edge import int_arg
from community.core.errors import DomainError, Invalid
from community.core.forms import apply_errors
from community.core.handlers import refusal_undone
from community.core.pagination import page_from_request, paginate
from community.core.permissions import current_member, is_authenticated, require
from community.core.standing import kept_while_suspended
from community.events import queries as events
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
        proposed=gardener_queries.pending_sides(community),
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
            memberships.suspended_words(membership)
            if membership is not None and is_banned_from(member, community)
            else None
        ),
        # The join form, when it is hers to fill (`offered_to_join`, as an invitation's page).
        joining=offered_to_join(member, community),
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
def join(slug: str) -> tuple[str, int] | Response:
    community = services.community_by_slug(slug)
    member = current_member()
    require(can_join(member, community), member)
    assert member is not None
    form = JoinForm()
    if form.validate_on_submit():
        try:
            with refusal_undone():
                membership = memberships.join(
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
    # Refused (the charter not accepted, a message too long): the form again, said why.
    return _page(community, member, join_form=form, leave_form=LeaveForm()), 422


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
                memberships.leave(member, community)
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
