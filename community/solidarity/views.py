"""`/solidarity`: offers, requests, private exchanges and signals, for people on a phone."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask import request as http_request
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
from community.solidarity import permissions, services
from community.solidarity.forms import (
    ActionForm,
    ExchangeMessageForm,
    OfferForm,
    ProposalForm,
    RequestForm,
    SignalForm,
    contact_choices,
    kind_choices,
)
from community.solidarity.labels import (
    CONTACT_LABELS,
    PROPOSAL_STATUS_LABELS,
    REQUEST_STATUS_LABELS,
    SIGNAL_KIND_LABELS,
)
from community.solidarity.models import HelpOffer, HelpProposal, HelpRequest, SolidaritySignal
from community.solidarity.queries import (
    gardened_theme_ids,
    readable_exchange,
    readable_exchanges,
    readable_offer,
    readable_proposal,
    readable_request,
)
from community.solidarity.services import Place
from community.territory.services import neighbourhood_choices, theme_choices

bp = Blueprint("solidarity", __name__, url_prefix="/solidarity")


@bp.context_processor
def _labels() -> dict[str, Any]:
    return {
        "request_status_labels": REQUEST_STATUS_LABELS,
        "proposal_status_labels": PROPOSAL_STATUS_LABELS,
        "kind_labels": SIGNAL_KIND_LABELS,
        "contact_labels": CONTACT_LABELS,
        "now": utcnow(),
    }


def _member() -> Member:
    member = current_member()
    require(is_authenticated(member), member)
    assert member is not None
    return member


def _place_choices(form: Any, home: int | None = None) -> None:
    """The theme and neighbourhood lists; `home`: the neighbourhood chosen first on a new form."""
    blank = (None, _("— Choose —"))
    form.theme_id.choices = [blank, *theme_choices()]
    form.neighbourhood_id.choices = [blank, *neighbourhood_choices()]
    if home is not None and http_request.method == "GET" and form.neighbourhood_id.data is None:
        form.neighbourhood_id.data = home


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


def my_help_waiting(member: Any, limit: int = 5) -> list[HelpProposal]:
    """For the home page: offers of help waiting for my answer, and my open exchanges."""
    if member is None:
        return []
    return list(
        db.session.execute(
            select(HelpProposal)
            .join(HelpRequest, HelpProposal.request_id == HelpRequest.id)
            .where(
                (
                    (HelpProposal.status == "proposed")
                    & (HelpRequest.author_id == member.id)
                    & (HelpRequest.status == "open")
                )
                | ((HelpProposal.status == "accepted") & readable_exchanges(member))
            )
            .options(selectinload(HelpProposal.request), selectinload(HelpProposal.helper))
            .order_by(HelpProposal.created_at.desc())
            .limit(limit)
        ).scalars()
    )


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
    member = _member()
    form = OfferForm()
    _place_choices(form, member.neighbourhood_id)
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
    member = _member()
    offer = _readable_offer(member, offer_id)
    if ActionForm().validate_on_submit():
        services.withdraw_offer(member, offer)
        flash(_("Your offer is withdrawn."), "success")
    return redirect(url_for("solidarity.index"))


@bp.route("/requests/new", methods=["GET", "POST"])
def new_request() -> str | Response:
    member = _member()
    form = RequestForm()
    go_between = permissions.is_go_between(member)
    # Her own neighbourhood first; a go-between writes for someone else: no guess.
    _place_choices(form, None if go_between else member.neighbourhood_id)
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
                _("Your request is saved. Helpers of the neighbourhood can now offer their help."),
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


def _domain_action(act: Any, done_message: str) -> None:
    """Run one service behind a CSRF-checked button; flash the refusal, if any.

    Services check everything before they change anything, so a refusal leaves nothing to undo.
    """
    if not ActionForm().validate_on_submit():
        flash(_("The form expired. Please go back, reload the page and try again."), "error")
        return
    try:
        with refusal_undone():
            act()
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(done_message, "success")


@bp.post("/requests/<int:request_id>/proposals")
def propose(request_id: int) -> str | Response:
    member = _member()
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
    member = _member()
    request = _readable(member, request_id)  # 404 for what she may not read
    require(permissions.is_author(member, request), member)
    _domain_action(
        lambda: services.withdraw_request(member, request), _("Your request is withdrawn.")
    )
    return redirect(url_for("solidarity.show_request", request_id=request.id))


@bp.post("/proposals/<int:proposal_id>/<action>")
def answer_proposal(proposal_id: int, action: str) -> Response:
    member = _member()
    proposal = readable_proposal(member, proposal_id)
    if proposal is None:
        abort(404)
    acts = {
        "accept": (
            permissions.can_answer_proposal,
            services.accept_proposal,
            _("You accepted this help. You can now talk together."),
        ),
        "decline": (
            permissions.can_answer_proposal,
            services.decline_proposal,
            _("This offer of help is not retained."),
        ),
        "done": (permissions.can_use_exchange, services.mark_done, _("Marked as done. Thank you!")),
    }
    if action not in acts:
        abort(404)
    allowed, act, message = acts[action]
    require(allowed(member, proposal), member)
    _domain_action(lambda: act(member, proposal), message)
    if proposal.open_exchange:
        return redirect(url_for("solidarity.exchange", proposal_id=proposal.id))
    return redirect(url_for("solidarity.show_request", request_id=proposal.request_id))


@bp.route("/exchanges/<int:proposal_id>", methods=["GET", "POST"])
def exchange(proposal_id: int) -> str | Response:
    member = _member()
    # The visibility layer: a closed request's helper and strangers find no such exchange.
    proposal = readable_exchange(member, proposal_id)
    if proposal is None:
        abort(404)
    form = ExchangeMessageForm()
    if form.validate_on_submit():
        try:
            with refusal_undone():
                services.send_exchange_message(member, proposal, form.body.data or "")
        except Invalid as error:
            apply_errors(form, error)
        else:
            return redirect(url_for("solidarity.exchange", proposal_id=proposal.id) + "#dernier")
    messages = proposal.messages
    return render_template(
        "solidarity/exchange.html",
        proposal=proposal,
        request_=proposal.request,
        messages=messages,
        form=form,
        may_write=permissions.can_write_exchange(member, proposal),
        action_form=ActionForm(),
    )


@bp.route("/signals/new", methods=["GET", "POST"])
def new_signal() -> str | Response:
    member = _member()
    form = SignalForm()
    _place_choices(form)
    form.kind.choices = [("", _("— Choose —")), *kind_choices()]
    form.contact.choices = contact_choices()
    if form.validate_on_submit():
        try:
            with refusal_undone():
                services.record_signal(
                    member,
                    Place(form.theme_id.data, form.neighbourhood_id.data),
                    form.kind.data or "",
                    form.people.data,
                    form.contact.data or "",
                    form.text.data or "",
                )
        except Invalid as error:
            apply_errors(form, error)
        else:
            flash(_("Thank you: the solidarity you spotted is recorded."), "success")
            return redirect(url_for("solidarity.signals"))
    return render_template("solidarity/signal_form.html", form=form)


@bp.get("/signals")
def signals() -> str:
    member = _member()
    themes = gardened_theme_ids(member)
    stmt = (
        select(SolidaritySignal)
        .where(
            SolidaritySignal.archived_at.is_(None),
            (SolidaritySignal.recorded_by_id == member.id) | SolidaritySignal.theme_id.in_(themes),
        )
        .order_by(SolidaritySignal.created_at.desc(), SolidaritySignal.id.desc())
    )
    page = paginate(stmt, page_from_request(), 20)
    return render_template("solidarity/signals.html", page=page)
