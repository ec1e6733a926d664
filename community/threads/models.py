"""Threads: one per topic in a community, one per initiative."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    and_,
    false,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.elements import ColumnElement

from community.communities.models import Community
from community.core.models import UTCDateTime, utcnow
from community.extensions import db
from community.members.models import Member

# "event": the discussion of a rencontre (events domain), read and written like its community's.
THREAD_KINDS = ("community", "initiative", "event")


class Thread(db.Model):  # type: ignore[name-defined]
    """A discussion. `last_seq` is the `seq` of its latest message (0 when empty)."""

    __tablename__ = "threads"
    __table_args__ = (CheckConstraint("kind IN ('community', 'initiative', 'event')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), default="community")
    # Set for a community topic, and for the thread of an initiative that has a community.
    community_id: Mapped[int | None] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(160))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    pinned: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    locked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The community's welcome thread, where a member lands after joining (one per community).
    welcome: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    last_seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_message_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    community: Mapped[Community | None] = relationship()

    def __repr__(self) -> str:
        return f"<Thread {self.id} {self.kind} {self.title!r}>"


MAX_BODY_LENGTH = 4000
MAX_CLIENT_ID_LENGTH = 64
MAX_REASON_LENGTH = 500  # a moderator's reason for hiding or showing again


class Message(db.Model):  # type: ignore[name-defined]
    """A message of a thread; `seq` rises by exactly one per thread (unique with the thread)."""

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("thread_id", "seq"),
        # The same author re-sending the same client_id gets the stored message back.
        UniqueConstraint("author_id", "client_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    # Null once the author's account is erased: the message stays, under "compte supprimé".
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    client_id: Mapped[str | None] = mapped_column(String(MAX_CLIENT_ID_LENGTH))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    reply_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    hidden_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    hidden_reason: Mapped[str] = mapped_column(Text, default="")

    thread: Mapped[Thread] = relationship()
    author: Mapped[Member | None] = relationship(foreign_keys=[author_id], lazy="joined")

    @property
    def hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None

    @hybrid_property
    def is_news(self) -> bool:
        """Something to read: neither hidden by a moderator nor deleted by its author. Unread
        counts, the lists' news and where a thread opens all ask this (in SQL or on a row)."""
        return self.hidden_at is None and self.deleted_at is None

    @is_news.inplace.expression
    @classmethod
    def _is_news_expression(cls) -> ColumnElement[bool]:
        return and_(cls.hidden_at.is_(None), cls.deleted_at.is_(None))

    def __repr__(self) -> str:
        return f"<Message {self.id} thread={self.thread_id} seq={self.seq}>"


class MessageMention(db.Model):  # type: ignore[name-defined]
    """An `@pseudonym` in a message, kept for the notifications."""

    __tablename__ = "message_mentions"
    __table_args__ = (UniqueConstraint("message_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    message: Mapped[Message] = relationship()
    member: Mapped[Member] = relationship()

    def __repr__(self) -> str:
        return f"<MessageMention {self.member_id} in {self.message_id}>"


class ThreadRead(db.Model):  # type: ignore[name-defined]
    """How far a member has read a thread (the unread marker)."""

    __tablename__ = "thread_reads"
    __table_args__ = (UniqueConstraint("thread_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    last_read_seq: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<ThreadRead {self.member_id}@{self.thread_id} {self.last_read_seq}>"
