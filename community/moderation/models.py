"""The moderation log: every moderation or staff act, append-only."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.core.models import UTCDateTime, utcnow
from community.extensions import db
from community.members.models import Member

# Acts recorded so far (the moderation issue adds its own): hiding and restoring a message,
# locking and unlocking a thread.
ACTIONS = ("hide", "restore", "lock", "unlock")


class ModerationAction(db.Model):  # type: ignore[name-defined]
    """One act of a moderator on a message, a thread, an initiative or a member. Never updated."""

    __tablename__ = "moderation_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(32))
    target_type: Mapped[str] = mapped_column(String(32))
    target_id: Mapped[int] = mapped_column(Integer)
    community_id: Mapped[int | None] = mapped_column(
        ForeignKey("communities.id", ondelete="SET NULL"), index=True
    )
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    actor: Mapped[Member | None] = relationship()

    def __repr__(self) -> str:
        return f"<ModerationAction {self.action} {self.target_type}:{self.target_id}>"
