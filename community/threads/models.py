"""Threads: one per topic in a community, one per initiative."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.communities.models import Community
from community.core.models import UTCDateTime, utcnow
from community.extensions import db

THREAD_KINDS = ("community", "initiative")


class Thread(db.Model):  # type: ignore[name-defined]
    """A discussion. `last_seq` is the `seq` of its latest message (0 when empty)."""

    __tablename__ = "threads"
    __table_args__ = (CheckConstraint("kind IN ('community', 'initiative')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), default="community")
    # Set for a community topic, and for the thread of an initiative that has a community.
    community_id: Mapped[int | None] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(160))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    pinned: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    locked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    last_seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_message_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    community: Mapped[Community | None] = relationship()

    def __repr__(self) -> str:
        return f"<Thread {self.id} {self.kind} {self.title!r}>"
