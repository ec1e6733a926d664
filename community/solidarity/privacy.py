"""The solidarity domain's part of a member's personal data: help offers, requests, proposals,
exchange messages and solidarity signals."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from community.core.privacy import export_rows
from community.extensions import db
from community.members.models import Member
from community.members.signals import erasing, exporting
from community.solidarity.models import (
    ExchangeMessage,
    HelpOffer,
    HelpProposal,
    HelpRequest,
    SolidaritySignal,
)
from community.territory.models import Neighbourhood, Theme


@exporting.connect
def export_sections(member: Member) -> dict[str, Any]:
    """This domain's sections of `member`'s data export (one query per section)."""
    me = member.id
    neighbourhood = Neighbourhood.name.label("neighbourhood")
    theme = Theme.name.label("theme")
    return {
        "help_offers": export_rows(
            select(
                HelpOffer.id,
                theme,
                neighbourhood,
                HelpOffer.text,
                HelpOffer.availability,
                HelpOffer.created_at,
                HelpOffer.withdrawn_at,
            )
            .join(Theme, Theme.id == HelpOffer.theme_id)
            .join(Neighbourhood, Neighbourhood.id == HelpOffer.neighbourhood_id)
            .where(HelpOffer.author_id == me)
            .order_by(HelpOffer.id)
        ),
        "help_requests": export_rows(
            select(
                HelpRequest.id,
                theme,
                neighbourhood,
                HelpRequest.text,
                HelpRequest.status,
                HelpRequest.on_behalf,
                HelpRequest.consent_at,
                HelpRequest.created_at,
                HelpRequest.expires_at,
                HelpRequest.closed_at,
            )
            .join(Theme, Theme.id == HelpRequest.theme_id)
            .join(Neighbourhood, Neighbourhood.id == HelpRequest.neighbourhood_id)
            .where(HelpRequest.author_id == me)
            .order_by(HelpRequest.id)
        ),
        "help_proposals": export_rows(
            select(
                HelpProposal.request_id,
                HelpProposal.message,
                HelpProposal.status,
                HelpProposal.created_at,
                HelpProposal.accepted_at,
                HelpProposal.done_at,
            )
            .where(HelpProposal.helper_id == me)
            .order_by(HelpProposal.id)
        ),
        "exchange_messages": export_rows(
            select(ExchangeMessage.proposal_id, ExchangeMessage.body, ExchangeMessage.created_at)
            .where(ExchangeMessage.author_id == me)
            .order_by(ExchangeMessage.id)
        ),
        "solidarity_signals": export_rows(
            select(
                SolidaritySignal.id,
                theme,
                neighbourhood,
                SolidaritySignal.kind,
                SolidaritySignal.people,
                SolidaritySignal.contact,
                SolidaritySignal.text,
                SolidaritySignal.created_at,
                SolidaritySignal.archived_at,
            )
            .join(Theme, Theme.id == SolidaritySignal.theme_id)
            .join(Neighbourhood, Neighbourhood.id == SolidaritySignal.neighbourhood_id)
            .where(SolidaritySignal.recorded_by_id == me)
            .order_by(SolidaritySignal.id)
        ),
    }


@erasing.connect
def reopen_requests_helped(member: Member) -> None:
    """A request they had agreed to help with is open again for other helpers."""
    helping = select(HelpProposal.request_id).where(
        HelpProposal.helper_id == member.id, HelpProposal.status == "accepted"
    )
    db.session.execute(
        update(HelpRequest)
        .where(HelpRequest.id.in_(helping), HelpRequest.status == "matched")
        .values(status="open")
        .execution_options(synchronize_session=False)
    )
