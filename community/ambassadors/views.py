"""Ambassador pages: my mandates, links and reach, the outreach journal, naming, the public list."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.wrappers import Response

from community.ambassadors import invitations, services
from community.ambassadors.forms import (
    PLACE_LABELS,
    AnswerNominationForm,
    InvitationForm,
    NameForm,
    NameForNeighbourhoodForm,
    OutreachForm,
    ShownForm,
    SimpleForm,
)
from community.ambassadors.models import Ambassador, Invitation
from community.ambassadors.permissions import (
    can_log_outreach,
    can_name_ambassador,
    can_read_outreach,
    is_the_ambassador,
)
from community.communities.forms import JoinForm
from community.communities.permissions import is_gardener, membership_of, offered_to_join
from community.communities.services import community_by_slug
from community.core.errors import DomainError, Invalid
from community.core.forms import apply_errors, as_choices
from community.core.handlers import refusal_undone
from community.core.home import home_tool
from community.core.models import local_today
from community.core.pagination import page_from_request, paginate
from community.core.permissions import current_member, is_authenticated, require
from community.core.standing import kept_while_suspended
from community.extensions import db
from community.members.models import Member
from community.territory.models import Neighbourhood
from community.territory.services import neighbourhood_choices, theme_choices

bp = Blueprint("ambassadors", __name__)
# Its tool, on the home page of those who may open it.
home_tool(
    "ambassadors.name_for_neighbourhood", _l("Neighbourhood ambassadors"), can_name_ambassador
)


@bp.app_template_global()
def open_missions(member: Member | None) -> list[Ambassador]:
    """For the home page: her ambassador missions under way or waiting for her answer."""
    if not is_authenticated(member):
        return []
    assert member is not None
    return [a for a in services.mandates_of(member) if a.status in ("active", "proposed")]


# The journal's one rule, asked by its page and by every link to it.
bp.app_template_global("can_read_outreach")(can_read_outreach)


@bp.get("/ambassadors")
def mine() -> str:
    member = current_member()
    require(is_authenticated(member), member)
    assert member is not None
    mandates = services.mandates_of(member)
    return render_template(
        "ambassadors/mine.html",
        mandates=mandates,
        reach={a.id: invitations.reach_of(a) for a in mandates if a.status in ("active", "ended")},
        answer_form=AnswerNominationForm(),
        invitation_form=InvitationForm(),
        simple_form=SimpleForm(),
    )


def _own(ambassador_id: int) -> tuple[Member, Ambassador]:
    ambassador = services.ambassador_or_404(ambassador_id)
    member = current_member()
    require(is_the_ambassador(member, ambassador), member)
    assert member is not None
    return member, ambassador


@bp.post("/ambassadors/<int:ambassador_id>/answer")
def answer(ambassador_id: int) -> Response:
    member, ambassador = _own(ambassador_id)
    form = AnswerNominationForm()
    if not form.validate_on_submit():
        flash(_("Choose to accept or decline."), "error")
        return redirect(url_for("ambassadors.mine"))
    try:
        with refusal_undone():
            services.answer_nomination(
                member, ambassador, form.decision.data == "accept", bool(form.shown.data)
            )
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(_("Your answer is saved."), "success")
    return redirect(url_for("ambassadors.mine"))


@bp.post("/ambassadors/<int:ambassador_id>/shown")
def shown(ambassador_id: int) -> Response:
    member, ambassador = _own(ambassador_id)
    form = ShownForm()
    if form.validate_on_submit():
        services.set_shown(member, ambassador, bool(form.shown.data))
        flash(_("Saved."), "success")
    return redirect(url_for("ambassadors.mine"))


@bp.post("/ambassadors/<int:ambassador_id>/step-down")
@kept_while_suspended("giving up a role")
def step_down(ambassador_id: int) -> Response:
    member, ambassador = _own(ambassador_id)
    if SimpleForm().validate_on_submit():
        try:
            with refusal_undone():
                services.step_down(
                    member, ambassador, keep_links=request.form.get("links", "keep") == "keep"
                )
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_("Your mandate has ended. Thank you!"), "success")
    return redirect(url_for("ambassadors.mine"))


@bp.post("/ambassadors/<int:ambassador_id>/invitations")
def create_invitation(ambassador_id: int) -> str | Response:
    member, ambassador = _own(ambassador_id)
    form = InvitationForm()
    if form.validate_on_submit():
        try:
            with refusal_undone():
                invitations.create_invitation(
                    member, ambassador, form.label.data or "", form.valid_days.data
                )
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_("Your new link is ready."), "success")
    else:
        flash(_("Please check the label and the number of days."), "error")
    return redirect(url_for("ambassadors.mine"))


@bp.get("/invitations/<token>")
def welcome(token: str) -> ResponseReturnValue:
    """Where an invitation link leads: who invites to what, then sign up (or log in)."""
    invitation = invitations.usable_invitation(token[:64])
    if invitation is None:
        return render_template("ambassadors/welcome_gone.html"), 404
    member = current_member()
    community = invitations.invited_to(invitation)
    membership = membership_of(member, community) if community is not None else None
    # Someone who already has an account joins right here, as on the community's page.
    may_join = community is not None and offered_to_join(member, community)
    return render_template(
        "ambassadors/welcome.html",
        invitation=invitation,
        ambassador=invitation.ambassador,
        community=community,
        membership=membership,
        join_form=JoinForm() if may_join else None,
        gardener=community is not None and is_gardener(member, community),
    )


def _own_invitation(invitation_id: int) -> Invitation:
    invitation = db.get_or_404(Invitation, invitation_id)
    member = current_member()
    require(is_the_ambassador(member, invitation.ambassador), member)
    return invitation


@bp.get("/ambassadors/invitations/<int:invitation_id>/qr.svg")
def invitation_qr(invitation_id: int) -> Response:
    """The QR code of one of my links (SVG)."""
    invitation = _own_invitation(invitation_id)
    return Response(
        invitations.qr_svg(invitation),
        mimetype="image/svg+xml",
        headers={"Cache-Control": "private, max-age=3600"},
    )


@bp.get("/ambassadors/invitations/<int:invitation_id>/flyer")
def invitation_flyer(invitation_id: int) -> str:
    """A printable A5 flyer: the community, my pseudonym, the QR code and the address."""
    invitation = _own_invitation(invitation_id)
    return render_template(
        "ambassadors/flyer.html",
        invitation=invitation,
        ambassador=invitation.ambassador,
        community=invitations.invited_to(invitation),
        url=invitations.share_url(invitation),
    )


@bp.post("/ambassadors/invitations/<int:invitation_id>/revoke")
def revoke_invitation(invitation_id: int) -> Response:
    invitation = db.get_or_404(Invitation, invitation_id)
    member = current_member()
    require(is_the_ambassador(member, invitation.ambassador), member)
    assert member is not None
    if SimpleForm().validate_on_submit():
        invitations.revoke_invitation(member, invitation)
        flash(_("This link no longer works."), "success")
    return redirect(url_for("ambassadors.mine"))


@bp.route("/ambassadors/<int:ambassador_id>/outreach", methods=["GET", "POST"])
def outreach(ambassador_id: int) -> str | Response:
    ambassador = services.ambassador_or_404(ambassador_id)
    member = current_member()
    require(can_read_outreach(member, ambassador), member)
    assert member is not None
    form = OutreachForm()
    form.neighbourhood_id.choices = as_choices(
        [(None, _("— Not given —")), *neighbourhood_choices()]
    )
    form.theme_ids.choices = as_choices(theme_choices())
    writable = can_log_outreach(member, ambassador)
    if not form.is_submitted():  # most outings are logged the same day
        form.happened_on.data = local_today(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    if writable and form.validate_on_submit():
        data = services.OutreachData(
            happened_on=form.happened_on.data,
            place_kind=form.place_kind.data or "",
            people_met=form.people_met.data,
            neighbourhood_id=form.neighbourhood_id.data,
            theme_ids=list(form.theme_ids.data or []),
            topics=form.topics.data or "",
            follow_up=form.follow_up.data or "",
        )
        try:
            with refusal_undone():
                services.log_outreach(member, ambassador, data)
        except Invalid as error:
            apply_errors(form, error)
        else:
            flash(_("Your outing is in the journal."), "success")
            return redirect(url_for("ambassadors.outreach", ambassador_id=ambassador.id))
    page = paginate(services.outreach_of(ambassador), page_from_request())
    return render_template(
        "ambassadors/outreach.html",
        ambassador=ambassador,
        page=page,
        form=form if writable else None,
        place_labels=PLACE_LABELS,
        back=_outreach_back(member, ambassador),
    )


def _outreach_back(member: Member, ambassador: Ambassador) -> tuple[str, str]:
    """Where the journal leads back: the ambassador to her missions; a gardener to the
    community's ambassadors (the page she came from), or to the community."""
    community = ambassador.community
    if is_the_ambassador(member, ambassador) or community is None:
        return url_for("ambassadors.mine"), _("Back to my missions")
    if can_name_ambassador(member, community):
        return (
            url_for("ambassadors.name", slug=community.slug),
            _("Back to the ambassadors of %(name)s", name=community.name),
        )
    return url_for("communities.show", slug=community.slug), _("Back to the community")


@bp.route("/communities/<slug>/ambassadors/name", methods=["GET", "POST"])
def name(slug: str) -> str | Response:
    community = community_by_slug(slug)
    member = current_member()
    require(can_name_ambassador(member, community), member)
    assert member is not None
    form = NameForm()
    form.member_id.choices = as_choices(
        [
            (None, _("— Choose —")),
            *(
                (m.id, m.display_name)
                for m in db.session.execute(services.candidates(community)).scalars()
            ),
        ]
    )
    if form.validate_on_submit():
        chosen = db.session.get(Member, form.member_id.data) if form.member_id.data else None
        try:
            with refusal_undone():
                if chosen is None:
                    raise Invalid(_("Choose a member."), {"member_id": [_("Choose a member.")]})
                services.name_ambassador(
                    member, chosen, form.mission.data or "", community=community
                )
        except DomainError as error:
            if isinstance(error, Invalid):
                apply_errors(form, error)
            else:
                form.form_errors.append(error.message)
        else:
            flash(_("The member is asked; they will accept or decline."), "success")
            return redirect(url_for("ambassadors.name", slug=community.slug))
    ambassadors = db.session.execute(
        select(Ambassador)
        .where(Ambassador.community_id == community.id)
        .order_by(Ambassador.created_at.desc())
    ).scalars()
    return render_template(
        "ambassadors/name.html", community=community, form=form, ambassadors=list(ambassadors)
    )


@bp.route("/ambassadors/neighbourhoods", methods=["GET", "POST"])
def name_for_neighbourhood() -> str | Response:
    member = current_member()
    require(can_name_ambassador(member), member)
    assert member is not None
    form = NameForNeighbourhoodForm()
    form.neighbourhood_id.choices = as_choices([(None, _("— Choose —")), *neighbourhood_choices()])
    if form.validate_on_submit():
        place = db.session.get(Neighbourhood, form.neighbourhood_id.data)
        chosen = db.session.execute(
            select(Member).where(
                Member.display_name_key == (form.pseudonym.data or "").strip().casefold()
            )
        ).scalar_one_or_none()
        try:
            with refusal_undone():
                if chosen is None:
                    raise Invalid(
                        _("No member has this pseudonym."), {"pseudonym": [_("Unknown pseudonym.")]}
                    )
                services.name_ambassador(
                    member, chosen, form.mission.data or "", neighbourhood=place
                )
        except DomainError as error:
            if isinstance(error, Invalid):
                apply_errors(form, error)
            else:
                form.form_errors.append(error.message)
        else:
            flash(_("The member is asked; they will accept or decline."), "success")
            return redirect(url_for("ambassadors.name_for_neighbourhood"))
    ambassadors = db.session.execute(
        select(Ambassador)
        .where(Ambassador.neighbourhood_id.is_not(None))
        .order_by(Ambassador.created_at.desc())
    ).scalars()
    return render_template(
        "ambassadors/neighbourhoods.html", form=form, ambassadors=list(ambassadors)
    )


@bp.get("/communities/<slug>/ambassadors")
def public(slug: str) -> str:
    community = community_by_slug(slug)
    return render_template(
        "ambassadors/public.html",
        community=community,
        ambassadors=services.public_ambassadors(community),
    )
