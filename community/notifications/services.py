"""Notify a member (stored, pushed live, mailed if they wish), read, and choose e-mails."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import (
    CursorResult,
    Select,
    and_,
    case,
    exists,
    false,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.elements import ColumnElement

from community.core.errors import Invalid
from community.core.models import utcnow
from community.core.notify import kinds as registered_kinds
from community.core.permissions import is_authenticated, require
from community.core.realtime import emit_after_commit, member_room
from community.extensions import db
from community.members.models import Member
from community.notifications.mails import immediate_message, mail_after_commit
from community.notifications.models import (
    DEFAULT_FREQUENCY,
    FREQUENCIES,
    KINDS,
    Notification,
    NotificationPreference,
)
from community.notifications.push import push_after_commit
from community.notifications.schemas import NotificationSchema
from community.threads.models import Message

MAX_TEXT = 600
# The pages a notification's link may lead to that a moderator can hide (`target_of`): an
# initiative's page and its sub-pages, a discussion. Paths of `initiatives.show` and
# `threads.show` (tests/notifications/test_targets.py builds them with `site_path`).
_TARGET = re.compile(r"/(initiatives|threads)/([0-9]{1,9})(?:[#?/]|$)")  # ids an INTEGER holds
_TARGET_TYPES = {"initiatives": "initiative", "threads": "thread"}
# A digest is due a period after the previous one; the slack lets a daily cron job that runs
# a few seconds early still send.
DIGEST_PERIODS = {"daily": timedelta(hours=20), "weekly": timedelta(days=6, hours=20)}


def email_frequency(member: Member) -> str:
    """How often `member` wants e-mail: immediate, daily, weekly or none."""
    preference = db.session.get(NotificationPreference, member.id)
    return preference.email_frequency if preference is not None else DEFAULT_FREQUENCY


def set_email_frequency(member: Member, frequency: str) -> NotificationPreference:
    """Change how often `member` receives e-mail."""
    require(is_authenticated(member), member)
    if frequency not in FREQUENCIES:
        raise Invalid(_("Choose one of the options."), {"email_frequency": [_("Unknown choice.")]})
    preference = db.session.get(NotificationPreference, member.id)
    if preference is None:
        preference = NotificationPreference(member_id=member.id)
        db.session.add(preference)
    preference.email_frequency = frequency
    db.session.flush()
    return preference


def notify(
    member: Member,
    kind: str,
    text: Any,
    url: str,
    *,
    actor: Member | None = None,
    message_id: int | None = None,
) -> Notification | None:
    """Tell `member` something: stored, pushed to their room, mailed at once if they asked.

    Pass `text` as a `lazy_gettext` string so that it is written in the member's language.
    Nothing is sent for one's own act (returns None).
    """
    if kind not in KINDS and kind not in registered_kinds():
        raise ValueError(f"unknown notification kind {kind!r}")
    if actor is not None and actor.id == member.id:
        return None
    with force_locale(member.locale):
        clear = str(text).strip()
    if len(clear) > MAX_TEXT:
        clear = clear[: MAX_TEXT - 1].rstrip() + "…"
    url = url if url.startswith("/") and not url.startswith("//") else ""
    target = target_of(url)
    notification = Notification(
        member=member,
        kind=kind,
        text=clear,
        url=url,
        target_type=target[0] if target else None,
        target_id=target[1] if target else None,
        actor_id=actor.id if actor is not None else None,
        message_id=message_id,
        created_at=utcnow(),
    )
    db.session.add(notification)
    db.session.flush()
    if email_frequency(member) == "immediate" and member.email_confirmed_at is not None:
        notification.emailed_at = notification.created_at
        mail_after_commit(immediate_message(notification))
    payload = NotificationSchema().dump(notification)
    payload["unread_count"] = unread_count(member)
    emit_after_commit("notification:new", payload, member_room(member.id))
    push_after_commit(notification)  # to the member's phones, once this commits
    return notification


def target_of(url: str) -> tuple[str, int] | None:
    """Where a notification's link leads, stored with it (`target_type`, `target_id`): an
    initiative's page or a discussion, with or without an anchor, a query or a sub-path; None
    for any other page. Migration 0023 read the stored links with this same pattern."""
    found = _TARGET.match(url)
    if found is None:
        return None
    return _TARGET_TYPES[found.group(1)], int(found.group(2))


def naming(paths: list[str]) -> Select[Any]:
    """The notifications whose link leads to one of `paths` (pages `target_of` knows), found
    by the index on their target."""
    targets = [target_of(path) for path in paths]
    matches = []
    for target in targets:
        if target is None:
            raise ValueError(f"no page of an initiative or a discussion among {paths!r}")
        matches.append(
            and_(Notification.target_type == target[0], Notification.target_id == target[1])
        )
    return select(Notification).where(or_(false(), *matches))


def forget_what_was_named(paths: Iterable[str], text: Any) -> int:
    """Replace the stored text of every notification that links to one of `paths` (an
    initiative's page, a discussion: with or without an anchor, a query or a sub-path) by
    `text` (a lazy string, written in each member's language): what it named has been hidden
    since. Its link stays (the page answers whoever may still read it). Returns how many
    were changed.

    What was already mailed or pushed has left; the list, the API, the digests to come and
    the export read the stored text."""
    wanted = list(paths)
    if not wanted:
        return 0
    rows = db.session.execute(naming(wanted).options(selectinload(Notification.member))).scalars()
    count = 0
    for notification in rows:
        with force_locale(notification.member.locale):
            notification.text = str(text)
        count += 1
    db.session.flush()
    return count


def _unread() -> ColumnElement[bool]:
    """Unread news: not read, and not about a message a moderator hid since (counted again
    once it is restored) nor one its author deleted (nothing is left to read). One clause
    for the count and the unread list."""
    gone = exists().where(Message.id == Notification.message_id, ~Message.is_news)
    return and_(Notification.read_at.is_(None), ~gone)


def notifications_of(member: Member, *, unread_only: bool = False) -> Select[Any]:
    """The member's notifications, newest first."""
    stmt = select(Notification).where(Notification.member_id == member.id)
    if unread_only:
        stmt = stmt.where(_unread())
    return stmt.order_by(Notification.created_at.desc(), Notification.id.desc())


def unread_count(member: Member) -> int:
    """How many notifications `member` has not read (`_unread`)."""
    return db.session.execute(
        select(func.count(Notification.id)).where(Notification.member_id == member.id, _unread())
    ).scalar_one()


def bells_after_commit(member_ids: Select[Any] | list[int]) -> None:
    """Once this commits, push to the open sockets of `member_ids` (ids, or a select of them)
    their new unread count (`notification:count`): what they were told about changed since
    (a message hidden, shown again or deleted, news read in its thread). One grouped query."""
    counts = db.session.execute(
        select(Notification.member_id, func.sum(case((_unread(), 1), else_=0)))
        .where(Notification.member_id.in_(member_ids))
        .group_by(Notification.member_id)
    ).all()
    for member_id, count in counts:
        payload = {"unread_count": int(count or 0)}
        emit_after_commit("notification:count", payload, member_room(member_id))


def about_message(message_id: int) -> Select[Any]:
    """Who has an unread notification about `message_id` (whose count its fate changes)."""
    return select(Notification.member_id).where(
        Notification.message_id == message_id, Notification.read_at.is_(None)
    )


def mark_read_up_to(member: Member, thread_id: int, seq: int) -> int:
    """The member's unread notifications about the messages of `thread_id` up to `seq` are
    read (she read them in the thread). One statement; nothing when there are none. Returns
    how many."""
    about = select(Message.id).where(Message.thread_id == thread_id, Message.seq <= seq)
    result: CursorResult[Any] = db.session.execute(  # type: ignore[assignment]
        update(Notification)
        .where(
            Notification.member_id == member.id,
            Notification.read_at.is_(None),
            Notification.message_id.in_(about),
        )
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)


def mark_read(member: Member, ids: list[int] | None = None) -> int:
    """Mark some (`ids`) or all (None) of `member`'s notifications read; returns how many."""
    require(is_authenticated(member), member)
    stmt = (
        update(Notification)
        .where(Notification.member_id == member.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    if ids is not None:
        if not ids:
            return 0
        stmt = stmt.where(Notification.id.in_(ids))
    result: CursorResult[Any] = db.session.execute(stmt)  # type: ignore[assignment]
    db.session.flush()
    return int(result.rowcount or 0)


def unsubscribe(member: Member) -> NotificationPreference:
    """Stop every e-mail to `member` (the one-click link of each mail)."""
    return set_email_frequency(member, "none")


def due_digests(now: datetime | None = None) -> list[tuple[Member, str, list[Notification]]]:
    """Members whose digest is due, with their frequency and the notifications to send."""
    now = now or utcnow()
    frequency = func.coalesce(NotificationPreference.email_frequency, DEFAULT_FREQUENCY)
    rows = db.session.execute(
        select(Notification, frequency, NotificationPreference.last_digest_at)
        .join(Member, Member.id == Notification.member_id)
        .outerjoin(
            NotificationPreference, NotificationPreference.member_id == Notification.member_id
        )
        .where(
            _unread(),  # what the bell counts: no news of a message hidden or deleted since
            Notification.emailed_at.is_(None),
            Member.email_confirmed_at.is_not(None),
            frequency.in_(tuple(DIGEST_PERIODS)),
        )
        .options(selectinload(Notification.member))
        .order_by(Notification.member_id, Notification.created_at)
    ).all()
    due: dict[int, tuple[Member, str, list[Notification]]] = {}
    for notification, member_frequency, last_digest_at in rows:
        if last_digest_at is not None and now - last_digest_at < DIGEST_PERIODS[member_frequency]:
            continue
        entry = due.setdefault(notification.member_id, (notification.member, member_frequency, []))
        entry[2].append(notification)
    return list(due.values())


def mark_digest_sent(
    member: Member, notifications: list[Notification], now: datetime | None = None
) -> None:
    """Remember that these notifications left in `member`'s digest (so they never leave twice)."""
    now = now or utcnow()
    for notification in notifications:
        notification.emailed_at = now
    preference = db.session.get(NotificationPreference, member.id)
    if preference is None:
        preference = NotificationPreference(member_id=member.id, email_frequency=DEFAULT_FREQUENCY)
        db.session.add(preference)
    preference.last_digest_at = now
    db.session.flush()
