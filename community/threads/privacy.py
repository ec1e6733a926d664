"""The threads domain's part of a member's personal data: topics opened, messages (hidden ones with
the reason), reads and mentions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from community.core.privacy import export_rows
from community.members.models import Member
from community.members.signals import exporting
from community.threads.models import Message, MessageMention, Thread, ThreadRead


@exporting.connect
def export_sections(member: Member) -> dict[str, Any]:
    """This domain's sections of `member`'s data export (one query per section)."""
    me = member.id
    return {
        "threads": export_rows(
            select(Thread.id, Thread.title, Thread.created_at)
            .where(Thread.created_by_id == me)
            .order_by(Thread.id)
        ),
        "messages": export_rows(
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
        "thread_reads": export_rows(
            select(ThreadRead.thread_id, ThreadRead.last_read_seq, ThreadRead.updated_at)
            .where(ThreadRead.member_id == me)
            .order_by(ThreadRead.id)
        ),
        "mentions": export_rows(
            select(MessageMention.message_id, MessageMention.created_at)
            .where(MessageMention.member_id == me)
            .order_by(MessageMention.id)
        ),
    }
