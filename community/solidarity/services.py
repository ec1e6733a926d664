"""Mutual help and solidarity signals: the rules. Services flush, never commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update

from community.core.content import render_markdown
from community.core.errors import Conflict, Forbidden, Invalid
from community.core.models import utcnow
from community.core.permissions import require
from community.core.privacy import what_was_found
from community.extensions import db
from community.members.models import Member
from community.solidarity import permissions
from community.solidarity.models import (
    SIGNAL_CONTACTS,
    SIGNAL_KINDS,
    ExchangeMessage,
    HelpOffer,
    HelpProposal,
    HelpRequest,
    SolidaritySignal,
)
from community.solidarity.permissions import can_post
from community.solidarity.queries import readable_requests
from community.territory.models import Neighbourhood, Theme

MAX_TEXT = 2000
MAX_AVAILABILITY = 200
MAX_PEOPLE = 10_000


@dataclass
class Place:
    theme_id: int | None
    neighbourhood_id: int | None


def _place(place: Place) -> tuple[Theme, Neighbourhood]:
    errors: dict[str, list[str]] = {}
    theme = db.session.get(Theme, place.theme_id) if place.theme_id is not None else None
    neighbourhood = (
        db.session.get(Neighbourhood, place.neighbourhood_id)
        if place.neighbourhood_id is not None
        else None
    )
    if theme is None or not theme.active:
        errors["theme_id"] = [_("Choose a theme.")]
    if neighbourhood is None or not neighbourhood.active:
        errors["neighbourhood_id"] = [_("Choose a neighbourhood.")]
    if errors:
        raise Invalid(_("Some fields are not valid."), errors)
    assert theme is not None and neighbourhood is not None
    return theme, neighbourhood


def no_personal_data(text: str, field: str = "text") -> None:
    """Refuse e-mail addresses and phone numbers, with a message that says what was found."""
    found = what_was_found(text)
    if found:
        message = _(
            "Please remove %(found)s. No personal contact details here: the people concerned "
            "may be fragile. The platform puts you in touch without them.",
            found=found,
        )
        raise Invalid(message, {field: [message]})


def _text(text: str | None, field: str = "text", *, required: bool = True) -> str:
    text = (text or "").strip()
    if required and not text:
        raise Invalid(_("Some fields are not valid."), {field: [_("This field is required.")]})
    if len(text) > MAX_TEXT:
        message = _("%(n)d characters at most.", n=MAX_TEXT)
        raise Invalid(message, {field: [message]})
    no_personal_data(text, field)
    return text


def create_offer(author: Member, place: Place, text: str, availability: str = "") -> HelpOffer:
    """Post "je propose": a member offers help in a theme and a neighbourhood."""
    require(can_post(author), author)
    theme, neighbourhood = _place(place)
    text = _text(text)
    availability = (availability or "").strip()
    if len(availability) > MAX_AVAILABILITY:
        message = _("%(n)d characters at most.", n=MAX_AVAILABILITY)
        raise Invalid(message, {"availability": [message]})
    no_personal_data(availability, "availability")
    offer = HelpOffer(
        author=author,
        theme=theme,
        neighbourhood=neighbourhood,
        text=text,
        text_html=render_markdown(text),
        availability=availability,
    )
    db.session.add(offer)
    db.session.flush()
    return offer


def withdraw_offer(member: Member, offer: HelpOffer) -> HelpOffer:
    """Withdraw one's own offer: its requests are no longer shown to its author."""
    if offer.author_id != member.id:
        raise Forbidden(_("You are not allowed to do this."))
    if offer.withdrawn_at is None:
        offer.withdrawn_at = utcnow()
        db.session.flush()
    return offer


def create_request(
    author: Member,
    place: Place,
    text: str,
    *,
    on_behalf: bool = False,
    oral_consent: bool = False,
    now: datetime | None = None,
) -> HelpRequest:
    """Post "j'ai besoin", for oneself or, as a go-between, for an inhabitant without an account."""
    theme, neighbourhood = _place(place)
    text = _text(text)
    now = now or utcnow()
    if on_behalf:
        if not permissions.is_go_between(author):
            raise Forbidden(
                _("Only gardeners and ambassadors record a request on someone's behalf.")
            )
        if not oral_consent:
            message = _("Tick this box once the person has agreed, out loud, to this request.")
            raise Invalid(message, {"oral_consent": [message]})
    request = HelpRequest(
        author=author,
        theme=theme,
        neighbourhood=neighbourhood,
        text=text,
        text_html=render_markdown(text),
        on_behalf=on_behalf,
        consent_at=now if on_behalf else None,
        created_at=now,
        expires_at=now + timedelta(days=current_app.config["HELP_REQUEST_DAYS"]),
    )
    db.session.add(request)
    db.session.flush()
    return request


def _open(request: HelpRequest, now: datetime) -> None:
    if request.status != "open" or request.is_expired(now):
        raise Conflict(_("This request is no longer open."))


def propose_help(
    helper: Member, request: HelpRequest, message: str = "", now: datetime | None = None
) -> HelpProposal:
    """A matching offerer (or a gardener of the theme) offers to help with a request."""
    now = now or utcnow()
    _open(request, now)
    if not permissions.can_propose(helper, request):
        raise Forbidden(_("You are not allowed to do this."))
    message = _text(message, "message", required=False)
    existing = db.session.execute(
        select(HelpProposal).where(
            HelpProposal.request_id == request.id, HelpProposal.helper_id == helper.id
        )
    ).scalar_one_or_none()
    if existing is not None:
        raise Conflict(_("You have already offered your help for this request."))
    proposal = HelpProposal(
        request=request,
        helper=helper,
        message=message,
        message_html=render_markdown(message) if message else "",
        created_at=now,
    )
    db.session.add(proposal)
    db.session.flush()
    return proposal


def accept_proposal(
    member: Member, proposal: HelpProposal, now: datetime | None = None
) -> HelpProposal:
    """The requester accepts a helper: their private exchange opens, the other offers close."""
    now = now or utcnow()
    if not permissions.can_answer_proposal(member, proposal):
        raise Forbidden(_("You are not allowed to do this."))
    request = proposal.request
    _open(request, now)
    if proposal.status != "proposed":
        raise Conflict(_("This offer of help is no longer waiting for an answer."))
    proposal.status = "accepted"
    proposal.accepted_at = now
    request.status = "matched"
    for other in request.proposals:
        if other is not proposal and other.status == "proposed":
            other.status = "declined"
    db.session.flush()
    return proposal


def decline_proposal(member: Member, proposal: HelpProposal) -> HelpProposal:
    """The requester says no, thank you, to one offer of help."""
    if not permissions.can_answer_proposal(member, proposal):
        raise Forbidden(_("You are not allowed to do this."))
    if proposal.status != "proposed":
        raise Conflict(_("This offer of help is no longer waiting for an answer."))
    proposal.status = "declined"
    db.session.flush()
    return proposal


def mark_done(member: Member, proposal: HelpProposal, now: datetime | None = None) -> HelpProposal:
    """Either party closes an exchange: the help was given."""
    if not permissions.can_use_exchange(member, proposal):
        raise Forbidden(_("You are not allowed to do this."))
    if proposal.status == "done":
        return proposal
    now = now or utcnow()
    proposal.status = "done"
    proposal.done_at = now
    proposal.request.status = "done"
    proposal.request.closed_at = now
    db.session.flush()
    return proposal


def withdraw_request(
    member: Member, request: HelpRequest, now: datetime | None = None
) -> HelpRequest:
    """The author withdraws a request; pending offers of help close with it."""
    if not permissions.can_withdraw_request(member, request):
        raise Forbidden(_("You are not allowed to do this."))
    request.status = "withdrawn"
    request.closed_at = now or utcnow()
    for proposal in request.proposals:
        if proposal.status == "proposed":
            proposal.status = "withdrawn"
    db.session.flush()
    return request


def send_exchange_message(member: Member, proposal: HelpProposal, body: str) -> ExchangeMessage:
    """Write in the private exchange of an accepted proposal, while the help is under way."""
    if not permissions.can_write_exchange(member, proposal):
        raise Forbidden(_("You are not allowed to do this."))
    body = (body or "").strip()
    if not body:
        raise Invalid(_("Some fields are not valid."), {"body": [_("This field is required.")]})
    if len(body) > MAX_TEXT:
        message = _("%(n)d characters at most.", n=MAX_TEXT)
        raise Invalid(message, {"body": [message]})
    message = ExchangeMessage(
        proposal=proposal, author=member, body=body, body_html=render_markdown(body)
    )
    db.session.add(message)
    db.session.flush()
    return message


def record_signal(
    member: Member,
    place: Place,
    kind: str,
    people: int | None,
    contact: str,
    text: str,
) -> SolidaritySignal:
    """Record an informal solidarity spotted in the field (any member); no personal data."""
    require(can_post(member), member)
    theme, neighbourhood = _place(place)
    errors: dict[str, list[str]] = {}
    if kind not in SIGNAL_KINDS:
        errors["kind"] = [_("Choose a kind of solidarity.")]
    if contact not in SIGNAL_CONTACTS:
        errors["contact"] = [_("Say whether its people want to be contacted.")]
    if people is None or not 1 <= people <= MAX_PEOPLE:
        errors["people"] = [_("A rough number of people, from 1 to %(n)d.", n=MAX_PEOPLE)]
    if errors:
        raise Invalid(_("Some fields are not valid."), errors)
    text = _text(text)
    signal = SolidaritySignal(
        recorded_by=member,
        theme=theme,
        neighbourhood=neighbourhood,
        kind=kind,
        people=people,
        contact=contact,
        text=text,
        text_html=render_markdown(text),
    )
    db.session.add(signal)
    db.session.flush()
    return signal


def months_ago(now: datetime, months: int) -> datetime:
    """The same day `months` calendar months earlier (clamped to the month's last day)."""
    year, month = divmod(now.year * 12 + now.month - 1 - months, 12)
    month += 1
    for day in (now.day, 30, 29, 28):
        try:
            return now.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def archive_signals(now: datetime | None = None) -> int:
    """Archive signals older than SIGNAL_RETENTION_MONTHS: their text goes, their counts stay."""
    now = now or utcnow()
    cutoff = months_ago(now, current_app.config["SIGNAL_RETENTION_MONTHS"])
    result = db.session.execute(
        update(SolidaritySignal)
        .where(SolidaritySignal.archived_at.is_(None), SolidaritySignal.created_at < cutoff)
        .values(archived_at=now, text="", text_html="")
        .execution_options(synchronize_session="fetch")
    )
    db.session.flush()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def visible_requests_stmt(member: Member, now: datetime) -> Any:
    """Requests `member` may see besides their own: the visibility layer's filter."""
    return (
        select(HelpRequest)
        .where(readable_requests(member, now, own=False))
        .order_by(HelpRequest.created_at.desc(), HelpRequest.id.desc())
    )
