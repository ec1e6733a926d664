"""A member's right to their data: everything the platform holds about them, as one document.

One query per kind of row (the count does not grow with the data). It never includes what
would expose someone else: who reported them, who acted on them, other members' e-mails.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, func, select

from community.core.models import utcnow
from community.extensions import db
from community.members import signals
from community.members.models import Member

EXPORT_FORMAT = 1


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _rows(stmt: Select) -> list[dict[str, Any]]:
    return [
        {key: _plain(value) for key, value in row.items()}
        for row in db.session.execute(stmt).mappings()
    ]


def export_data(member: Member) -> dict[str, Any]:
    """Everything Terreau holds about `member`, as plain JSON-ready data."""
    data = _legacy_sections(member)
    for _receiver, sections in signals.exporting.send(member):
        overlap = set(sections) & set(data)
        if overlap:
            raise RuntimeError(f"export sections answered twice: {sorted(overlap)}")
        data.update(sections)
    return data


def _legacy_sections(member: Member) -> dict[str, Any]:
    """The sections not yet answered by their own domain's `privacy.py`."""
    from community.ambassadors.models import Ambassador, Invitation, InvitationUse, OutreachLog
    from community.auth.models import ApiToken
    from community.communities.models import Community, GardenerMandate, Handover, Membership
    from community.initiatives.models import (
        Initiative,
        InitiativeUpdate,
        Participation,
        StatusChange,
        Support,
    )
    from community.moderation.models import ModerationAction, PlatformSuspension, Report
    from community.notifications.models import Notification, NotificationPreference
    from community.solidarity.models import (
        ExchangeMessage,
        HelpOffer,
        HelpProposal,
        HelpRequest,
        SolidaritySignal,
    )
    from community.territory.models import Neighbourhood, Theme
    from community.threads.models import Message, MessageMention, Thread, ThreadRead

    me = member.id
    community = Community.slug.label("community")
    neighbourhood = Neighbourhood.name.label("neighbourhood")
    theme = Theme.name.label("theme")
    title = Initiative.title.label("initiative_title")

    account = {
        "id": member.id,
        "email": member.email,
        "display_name": member.display_name,
        "role": member.role,
        "neighbourhood": member.neighbourhood.name if member.neighbourhood else None,
        "themes": [t.name for t in member.themes],
        "skills": list(member.skills or []),
        "bio": member.bio,
        "locale": member.locale,
        "charter_accepted_at": _plain(member.charter_accepted_at),
        "email_confirmed_at": _plain(member.email_confirmed_at),
        "created_at": _plain(member.created_at),
        "last_login_at": _plain(member.last_login_at),
    }
    preferences = _rows(
        select(NotificationPreference.email_frequency, NotificationPreference.last_digest_at).where(
            NotificationPreference.member_id == me
        )
    )
    return {
        "format": EXPORT_FORMAT,
        "exported_at": _plain(utcnow()),
        "account": account,
        "notification_preferences": preferences[0] if preferences else None,
        "memberships": _rows(
            select(
                community,
                Membership.status,
                Membership.request_message,
                Membership.answer,
                Membership.answered_at,
                Membership.joined_at,
                Membership.banned_until,
                Membership.charter_accepted_at,
                Membership.created_at,
            )
            .join(Community, Community.id == Membership.community_id)
            .where(Membership.member_id == me)
            .order_by(Membership.id)
        ),
        "gardener_mandates": _rows(
            select(
                community,
                GardenerMandate.side,
                GardenerMandate.started_at,
                GardenerMandate.ended_at,
            )
            .join(Community, Community.id == GardenerMandate.community_id)
            .where(GardenerMandate.member_id == me)
            .order_by(GardenerMandate.id)
        ),
        "handover_notes": _rows(
            select(
                community,
                Handover.side,
                Handover.note,
                Handover.created_at,
                (Handover.written_by_id == me).label("written_by_me"),
            )
            .join(Community, Community.id == Handover.community_id)
            .where(
                (Handover.written_by_id == me)
                | (Handover.to_member_id == me)
                | (Handover.from_member_id == me)
            )
            .order_by(Handover.id)
        ),
        "ambassador_mandates": _rows(
            select(
                Ambassador.id,
                community,
                neighbourhood,
                Ambassador.mission,
                Ambassador.status,
                Ambassador.shown,
                Ambassador.created_at,
                Ambassador.started_at,
                Ambassador.ended_at,
            )
            .outerjoin(Community, Community.id == Ambassador.community_id)
            .outerjoin(Neighbourhood, Neighbourhood.id == Ambassador.neighbourhood_id)
            .where(Ambassador.member_id == me)
            .order_by(Ambassador.id)
        ),
        "invitation_links": _rows(
            select(
                Invitation.ambassador_id,
                Invitation.label,
                Invitation.created_at,
                Invitation.expires_at,
                Invitation.revoked_at,
                select(func.count(InvitationUse.id))
                .where(InvitationUse.invitation_id == Invitation.id)
                .scalar_subquery()
                .label("sign_ups"),
            )
            .join(Ambassador, Ambassador.id == Invitation.ambassador_id)
            .where(Ambassador.member_id == me)
            .order_by(Invitation.id)
        ),
        "outreach_logs": _rows(
            select(
                OutreachLog.ambassador_id,
                OutreachLog.happened_on,
                neighbourhood,
                OutreachLog.place_kind,
                OutreachLog.people_met,
                OutreachLog.topics,
                OutreachLog.follow_up,
                OutreachLog.created_at,
            )
            .join(Ambassador, Ambassador.id == OutreachLog.ambassador_id)
            .outerjoin(Neighbourhood, Neighbourhood.id == OutreachLog.neighbourhood_id)
            .where(Ambassador.member_id == me)
            .order_by(OutreachLog.id)
        ),
        "joined_through_invitation": _rows(
            select(InvitationUse.created_at).where(InvitationUse.member_id == me)
        ),
        "initiatives": _rows(
            select(
                Initiative.id,
                Initiative.title,
                Initiative.summary,
                Initiative.description,
                Initiative.needs,
                Initiative.informal,
                Initiative.status,
                community,
                Initiative.created_at,
                Initiative.updated_at,
            )
            .outerjoin(Community, Community.id == Initiative.community_id)
            .where(Initiative.author_id == me)
            .order_by(Initiative.id)
        ),
        "supports": _rows(
            select(Support.initiative_id, title, Support.created_at)
            .join(Initiative, Initiative.id == Support.initiative_id)
            .where(Support.member_id == me)
            .order_by(Support.id)
        ),
        "volunteering": _rows(
            select(
                Participation.initiative_id, title, Participation.message, Participation.created_at
            )
            .join(Initiative, Initiative.id == Participation.initiative_id)
            .where(Participation.member_id == me)
            .order_by(Participation.id)
        ),
        "initiative_updates": _rows(
            select(
                InitiativeUpdate.initiative_id,
                InitiativeUpdate.body,
                InitiativeUpdate.photo,
                InitiativeUpdate.created_at,
            )
            .where(InitiativeUpdate.author_id == me)
            .order_by(InitiativeUpdate.id)
        ),
        "status_answers": _rows(
            select(
                StatusChange.initiative_id,
                StatusChange.from_status,
                StatusChange.to_status,
                StatusChange.answer,
                StatusChange.reason,
                StatusChange.created_at,
            )
            .where(StatusChange.author_id == me)
            .order_by(StatusChange.id)
        ),
        "threads": _rows(
            select(Thread.id, Thread.title, Thread.created_at)
            .where(Thread.created_by_id == me)
            .order_by(Thread.id)
        ),
        "messages": _rows(
            select(
                Message.id,
                Message.thread_id,
                Message.seq,
                Message.body,
                Message.created_at,
                Message.edited_at,
                Message.deleted_at,
                Message.hidden_at,
                Message.hidden_reason,
            )
            .where(Message.author_id == me)
            .order_by(Message.id)
        ),
        "reports_made": _rows(
            select(
                Report.target_type,
                Report.target_id,
                Report.reason,
                Report.text,
                Report.status,
                Report.resolution,
                Report.created_at,
                Report.resolved_at,
            )
            .where(Report.reporter_id == me)
            .order_by(Report.id)
        ),
        # Acts of moderation about the member: what and why, not who reported or who acted.
        "moderation_concerning_me": _rows(
            select(
                ModerationAction.action,
                ModerationAction.target_type,
                community,
                ModerationAction.reason,
                ModerationAction.until,
                ModerationAction.created_at,
            )
            .outerjoin(Community, Community.id == ModerationAction.community_id)
            .where(ModerationAction.subject_id == me)
            .order_by(ModerationAction.id)
        ),
        "platform_suspensions": _rows(
            select(
                PlatformSuspension.until,
                PlatformSuspension.reason,
                PlatformSuspension.created_at,
                PlatformSuspension.lifted_at,
            )
            .where(PlatformSuspension.member_id == me)
            .order_by(PlatformSuspension.id)
        ),
        "help_offers": _rows(
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
        "help_requests": _rows(
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
        "help_proposals": _rows(
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
        "exchange_messages": _rows(
            select(ExchangeMessage.proposal_id, ExchangeMessage.body, ExchangeMessage.created_at)
            .where(ExchangeMessage.author_id == me)
            .order_by(ExchangeMessage.id)
        ),
        "solidarity_signals": _rows(
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
        "api_tokens": _rows(
            select(ApiToken.created_at, ApiToken.expires_at)
            .where(ApiToken.member_id == me)
            .order_by(ApiToken.id)
        ),
        "thread_reads": _rows(
            select(ThreadRead.thread_id, ThreadRead.last_read_seq, ThreadRead.updated_at)
            .where(ThreadRead.member_id == me)
            .order_by(ThreadRead.id)
        ),
        "mentions": _rows(
            select(MessageMention.message_id, MessageMention.created_at)
            .where(MessageMention.member_id == me)
            .order_by(MessageMention.id)
        ),
        "notifications": _rows(
            select(
                Notification.kind,
                Notification.text,
                Notification.url,
                Notification.created_at,
                Notification.read_at,
            )
            .where(Notification.member_id == me)
            .order_by(Notification.id)
        ),
    }
