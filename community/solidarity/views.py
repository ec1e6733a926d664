"""`/solidarity`: offers and requests of help, for people on a phone.

The answers to an offer of help and the private exchanges are in `exchange_views.py`, the
solidarity signals in `signal_views.py`, on the same blueprint (`blueprints.py`).
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from community.core.errors import DomainError, Invalid
from community.core.forms import apply_errors
from community.core.handlers import refusal_undone
from community.core.home import home_section
from community.core.models import utcnow
from community.core.pagination import page_from_request, paginate
from community.core.permissions import current_member, is_authenticated, require
from community.extensions import db
from community.members.models import Member
from community.solidarity import (
    exchange_views,  # noqa: F401  (its routes are on `bp`)
    permissions,
    services,
    signal_views,  # noqa: F401  (its routes are on `bp`)
)
from community.solidarity.blueprints import bp, button_action, place_choices, signed_in_member
from community.solidarity.forms import ActionForm, OfferForm, ProposalForm, RequestForm
from community.solidarity.labels import (
    CONTACT_LABELS,
    PROPOSAL_STATUS_LABELS,
    REQUEST_STATUS_LABELS,
    SIGNAL_KIND_LABELS,
)
from community.solidarity.models import HelpOffer, HelpProposal, HelpRequest
from community.solidarity.queries import (
    my_help_waiting,
    readable_exchanges,
    readable_offer,
    readable_request,
)
from community.solidarity.services import Place


@bp.context_processor
def _labels() -> dict[str, Any]:
    return {
        "request_status_labels": REQUEST_STATUS_LABELS,
        "proposal_status_labels": PROPOSAL_STATUS_LABELS,
        "kind_labels": SIGNAL_KIND_LABELS,
        "contact_labels": CONTACT_LABELS,
        "now": utcnow(),
    }


def _readable(member: Member | None, request_id: int) -> HelpRequest:
    """The visibility layer's loader: what one may not read is a 404, as a missing id."""
    request = readable_request(member, request_id)
    if request is None:
        abort(404)
    return request


def _readable_offer(member: Member, offer_id: int) -> HelpOffer:
    """The same for an offer (its author's alone)."""
    offer = readable_offer(member, offer_id)
    if offer is None:
        abort(404)
    return offer


@home_section
def _home(member: Any) -> dict[str, Any]:
    return {"my_help": my_help_waiting(member)}


@bp.get("")
def index() -> str:
    member = current_member()
    if member is None:
        return render_template("solidarity/welcome.html")
    now = utcnow()
    my_offers = (
        db.session.execute(
            select(HelpOffer)
            .where(HelpOffer.author_id == member.id, HelpOffer.withdrawn_at.is_(None))
            .order_by(HelpOffer.created_at.desc())
        )
        .scalars()
        .all()
    )
    my_requests = (
        db.session.execute(
            select(HelpRequest)
            .where(HelpRequest.author_id == member.id)
            .options(selectinload(HelpRequest.proposals))
            .order_by(HelpRequest.created_at.desc())
            .limit(50)
        )
        .scalars()
        .all()
    )
    exchanges = (
        db.session.execute(
            select(HelpProposal)
            .join(HelpRequest, HelpProposal.request_id == HelpRequest.id)
            .where(readable_exchanges(member, now))
            .options(selectinload(HelpProposal.request), selectinload(HelpProposal.helper))
            .order_by(HelpProposal.accepted_at.desc())
            .limit(50)
        )
        .scalars()
        .all()
    )
    page = paginate(services.visible_requests_stmt(member, now), page_from_request(), 20)
    return render_template(
        "solidarity/index.html",
        my_offers=my_offers,
        my_requests=my_requests,
        exchanges=exchanges,
        page=page,
        action_form=ActionForm(),
    )


@bp.route("/offers/new", methods=["GET", "POST"])
def new_offer() -> str | Response:
    member = signed_in_member()
    form = OfferForm()
    place_choices(form, member.neighbourhood_id)
    if form.validate_on_submit():
        try:
            with refusal_undone():
                services.create_offer(
                    member,
                    Place(form.theme_id.data, form.neighbourhood_id.data),
                    form.text.data or "",
                    form.availability.data or "",
                )
        except Invalid as error:
            apply_errors(form, error)
        else:
            flash(_("Thank you: your offer of help is saved."), "success")
            return redirect(url_for("solidarity.index"))
    return render_template("solidarity/offer_form.html", form=form)


@bp.post("/offers/<int:offer_id>/withdraw")
def withdraw_offer(offer_id: int) -> Response:
    member = signed_in_member()
    offer = _readable_offer(member, offer_id)
    if ActionForm().validate_on_submit():
        services.withdraw_offer(member, offer)
        flash(_("Your offer is withdrawn."), "success")
    return redirect(url_for("solidarity.index"))


@bp.route("/requests/new", methods=["GET", "POST"])
def new_request() -> str | Response:
    member = signed_in_member()
    form = RequestForm()
    go_between = permissions.is_go_between(member)
    # Her own neighbourhood first; a go-between writes for someone else: no guess.
    place_choices(form, None if go_between else member.neighbourhood_id)
    if form.validate_on_submit():
        try:
            with refusal_undone():
                request = services.create_request(
                    member,
                    Place(form.theme_id.data, form.neighbourhood_id.data),
                    form.text.data or "",
                    on_behalf=bool(form.on_behalf.data) and go_between,
                    oral_consent=bool(form.oral_consent.data),
                )
        except Invalid as error:
            apply_errors(form, error)
        else:
            flash(
                _(
                    "The request is saved. Helpers of the neighbourhood can now offer their "
                    "help: their answers come to you, and you pass them on to the person."
                )
                if request.on_behalf
                else _(
                    "Your request is saved. Helpers of the neighbourhood can now offer their help."
                ),
                "success",
            )
            return redirect(url_for("solidarity.show_request", request_id=request.id))
    return render_template("solidarity/request_form.html", form=form, go_between=go_between)


@bp.get("/requests/<int:request_id>")
def show_request(request_id: int) -> str:
    member = current_member()
    require(is_authenticated(member), member)
    request = _readable(member, request_id)
    identity = permissions.can_see_identity(member, request)
    author = permissions.is_author(member, request)
    proposals: list[HelpProposal] = []
    mine = None
    if author or permissions.gardens_theme(member, request.theme_id):
        proposals = list(
            db.session.execute(
                select(HelpProposal)
                .where(HelpProposal.request_id == request.id)
                .options(selectinload(HelpProposal.helper))
                .order_by(HelpProposal.id)
            ).scalars()
        )
    if member is not None and not author:
        mine = db.session.execute(
            select(HelpProposal).where(
                HelpProposal.request_id == request.id, HelpProposal.helper_id == member.id
            )
        ).scalar_one_or_none()
    return render_template(
        "solidarity/request.html",
        request_=request,
        identity=identity,
        is_author=author,
        proposals=proposals,
        mine=mine,
        can_propose=mine is None
        and permissions.can_propose(member, request)
        and not request.is_expired(utcnow()),
        can_withdraw=permissions.can_withdraw_request(member, request),
        proposal_form=ProposalForm(),
        action_form=ActionForm(),
    )


@bp.post("/requests/<int:request_id>/proposals")
def propose(request_id: int) -> str | Response:
    member = signed_in_member()
    request = _readable(member, request_id)
    form = ProposalForm()
    if form.validate_on_submit():
        try:
            with refusal_undone():
                services.propose_help(member, request, form.message.data or "")
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(
                _("Your offer of help is sent. You will talk together once it is accepted."),
                "success",
            )
    return redirect(url_for("solidarity.show_request", request_id=request.id))


@bp.post("/requests/<int:request_id>/withdraw")
def withdraw_request(request_id: int) -> Response:
    member = signed_in_member()
    request = _readable(member, request_id)  # 404 for what she may not read
    require(permissions.is_author(member, request), member)
    button_action(
        lambda: services.withdraw_request(member, request), _("Your request is withdrawn.")
    )
    return redirect(url_for("solidarity.show_request", request_id=request.id))
