"""What happens elsewhere that a member should hear about: one function per event.

Other domains call one of these right after their own change, inside their transaction: the
notification is stored with it, and pushed and mailed only once it commits. Texts are lazy
strings, written in each recipient's language.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from community.ambassadors.models import Invitation
from community.communities.models import GardenerMandate
from community.core.content import plain_text
from community.core.models import utcnow
from community.core.urls import site_path
from community.extensions import db
from community.initiatives.answers import answer_delay
from community.initiatives.labels import STATUS_LABELS
from community.initiatives.models import AWAITING_STATUSES, Initiative, Participation, Support
from community.members.models import Member
from community.notifications.models import Notification
from community.notifications.services import notify
from community.threads.models import Message, MessageMention


def _excerpt(text: str, length: int = 80) -> str:
    clean = " ".join(plain_text(text or "").split())
    return clean if len(clean) <= length else clean[: length - 1].rstrip() + "…"


def message_posted(message: Any) -> None:
    """A reply tells the author of the message answered; a mention tells who was named."""
    author = message.author
    thread = message.thread
    url = site_path("threads.show", thread_id=thread.id, _anchor=f"message-{message.id}")
    who = author.display_name if author is not None else ""
    excerpt = _excerpt(message.body)
    told: set[int] = set()
    if message.reply_to_id is not None:
        parent = db.session.get(Message, message.reply_to_id)
        if parent is not None and parent.author is not None and not parent.deleted:
            text = _l(
                "%(who)s replied to you in “%(thread)s”: %(excerpt)s",
                who=who,
                thread=thread.title,
                excerpt=excerpt,
            )
            if notify(parent.author, "reply", text, url, actor=author) is not None:
                told.add(parent.author.id)
    mentioned = db.session.execute(
        select(Member)
        .join(MessageMention, MessageMention.member_id == Member.id)
        .where(MessageMention.message_id == message.id)
    ).scalars()
    for member in mentioned:
        if member.id not in told:
            text = _l(
                "%(who)s mentioned you in “%(thread)s”: %(excerpt)s",
                who=who,
                thread=thread.title,
                excerpt=excerpt,
            )
            notify(member, "mention", text, url, actor=author)


def initiative_status_changed(change: Any, actor: Member) -> None:
    """Its author, supporters and volunteers learn the new status and the public answer."""
    initiative = change.initiative
    ids = {initiative.author_id} if initiative.author_id else set()
    for model in (Support, Participation):
        ids |= set(
            db.session.execute(
                select(model.member_id).where(model.initiative_id == initiative.id)
            ).scalars()
        )
    ids.discard(actor.id)
    if not ids:
        return
    status = STATUS_LABELS.get(change.to_status, change.to_status)
    if change.answer:
        text = _l(
            "“%(title)s”: new status “%(status)s”. Answer: %(answer)s",
            title=initiative.title,
            status=status,
            answer=_excerpt(change.answer, 200),
        )
    else:
        text = _l("“%(title)s”: new status “%(status)s”.", title=initiative.title, status=status)
    url = site_path("initiatives.show", initiative_id=initiative.id)
    members = db.session.execute(select(Member).where(Member.id.in_(ids))).scalars()
    for member in members:
        notify(member, "initiative_status", text, url, actor=actor)


def membership_answered(membership: Any, actor: Member) -> None:
    """The member learns whether they were accepted, and the gardeners' answer."""
    community = membership.community
    url = site_path("communities.show", slug=community.slug)
    if membership.status == "active":
        text = _l("Your request to join %(community)s is accepted.", community=community.name)
    else:
        text = _l(
            "Your request to join %(community)s is refused. Answer: %(answer)s",
            community=community.name,
            answer=_excerpt(membership.answer, 200),
        )
    notify(membership.member, "membership", text, url, actor=actor)


def gardener_changed(mandate: Any | None, handover: Any | None, actor: Member) -> None:
    """The new gardener is told, and the successor a handover note waits for."""
    if mandate is not None:
        community = mandate.community
        if mandate.side == "technician":
            text = _l(
                "You are now the technician gardener of %(community)s.", community=community.name
            )
        else:
            text = _l(
                "You are now the citizen gardener of %(community)s.", community=community.name
            )
        url = site_path("communities.show", slug=community.slug)
        notify(mandate.member, "gardener", text, url, actor=actor)
    if handover is not None and handover.to_member_id is not None:
        successor = db.session.get(Member, handover.to_member_id)
        community = handover.community
        if successor is not None:
            text = _l("A handover note waits for you in %(community)s.", community=community.name)
            notify(successor, "handover", text, site_path("communities.dashboard"), actor=actor)


def ambassador_named(ambassador: Any, actor: Member) -> None:
    """The member is asked to become an ambassador (they accept or decline)."""
    place = ambassador.community or ambassador.neighbourhood
    text = _l("You are asked to be an ambassador for %(where)s.", where=place.name)
    notify(ambassador.member, "ambassador", text, site_path("ambassadors.mine"), actor=actor)


def invitation_used(use: Any) -> None:
    """The ambassador whose link brought someone in is told (by pseudonym only)."""
    invitation = db.session.get(Invitation, use.invitation_id)
    newcomer = db.session.get(Member, use.member_id)
    if invitation is None or newcomer is None:
        return
    text = _l("%(who)s joined Terreau through your invitation link.", who=newcomer.display_name)
    url = site_path("ambassadors.mine")
    notify(invitation.ambassador.member, "invitation", text, url, actor=newcomer)


def notify_overdue(now: datetime | None = None) -> int:
    """Tell each gardener about the initiatives of their communities past their answer
    deadline, once per initiative and gardener (running it again tells nobody twice)."""
    now = now or utcnow()
    overdue = select(Initiative).where(
        Initiative.awaiting_since <= now - answer_delay(),
        Initiative.answered_at.is_(None),
        Initiative.status.in_(AWAITING_STATUSES),
        Initiative.community_id.is_not(None),
    )
    count = 0
    for initiative in db.session.execute(overdue).scalars():
        url = site_path("initiatives.show", initiative_id=initiative.id)
        gardeners = db.session.execute(
            select(Member)
            .join(GardenerMandate, GardenerMandate.member_id == Member.id)
            .where(
                GardenerMandate.community_id == initiative.community_id,
                GardenerMandate.ended_at.is_(None),
            )
        ).scalars()
        for gardener in gardeners:
            told = db.session.execute(
                select(Notification.id).where(
                    Notification.member_id == gardener.id,
                    Notification.kind == "overdue",
                    Notification.url == url,
                )
            ).first()
            if told is None:
                text = _l("“%(title)s” awaits an answer past its deadline.", title=initiative.title)
                notify(gardener, "overdue", text, url)
                count += 1
    return count
