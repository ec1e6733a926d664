"""Reports, the append-only journal of moderation acts, and platform suspensions."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    event,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.core.models import UTCDateTime, utcnow
from community.extensions import db

if TYPE_CHECKING:
    from community.communities.models import Community
    from community.members.models import Member

TARGET_TYPE_MAX = 16  # the length of a reportable kind's name
REASONS = ("insult", "harassment", "spam", "personal_data", "off_charter", "other")
REPORT_STATUSES = ("open", "resolved")
# What a moderator may answer to a report.
RESOLUTIONS = ("dismiss", "hide", "restore", "warn", "suspend")
# Every act the journal records: answers to reports, suspensions, and the threads' own acts
# (hiding and restoring a message, locking and unlocking a thread).
ACTIONS = (
    "dismiss",
    "hide",
    "restore",
    "warn",
    "suspend_community",
    "suspend_platform",
    "lift_suspension",
    "lock",
    "unlock",
)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Report(db.Model):  # type: ignore[name-defined]
    """A member's report ("signalement") about a message, an initiative or another member.

    `community_id` is the community whose gardeners answer it (none: staff answer it);
    `target_author_id` is the member concerned. One open report per reporter and target.
    """

    __tablename__ = "reports"
    __table_args__ = (
        CheckConstraint(_in("reason", REASONS), name="reason"),
        CheckConstraint(_in("status", REPORT_STATUSES), name="status"),
        Index(
            "uq_reports_open_per_reporter",
            "reporter_id",
            "target_type",
            "target_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
        Index("ix_reports_target", "target_type", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    # A kind of reportable content that a domain registered (`moderation.targets.register`):
    # checked by the report service, not by the schema, so that a new kind changes no table.
    target_type: Mapped[str] = mapped_column(String(TARGET_TYPE_MAX))
    target_id: Mapped[int] = mapped_column(Integer)
    community_id: Mapped[int | None] = mapped_column(
        ForeignKey("communities.id", ondelete="SET NULL"), index=True
    )
    target_author_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    reason: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text, default="")
    # The author of hidden content contests the decision (answered by staff).
    appeal: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # What was reported, as it stood when reported (the evidence survives the author's edit
    # or delete); moderators only.
    snapshot: Mapped[str] = mapped_column(Text, default="", server_default="")
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    resolution: Mapped[str | None] = mapped_column(String(16))
    # The moderator's words, sent to the member concerned.
    resolution_reason: Mapped[str] = mapped_column(Text, default="")
    resolved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    community: Mapped[Community | None] = relationship()
    reporter: Mapped[Member | None] = relationship(foreign_keys=[reporter_id])
    target_author: Mapped[Member | None] = relationship(foreign_keys=[target_author_id])

    def __repr__(self) -> str:
        return f"<Report {self.id} {self.target_type}:{self.target_id} {self.reason} {self.status}>"


class ModerationAction(db.Model):  # type: ignore[name-defined]
    """One act of a moderator on a message, a thread, an initiative or a member: written once,
    never changed or deleted (the audit log)."""

    __tablename__ = "moderation_actions"
    __table_args__ = (Index("ix_moderation_actions_target", "target_type", "target_id"),)

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
    # The member the act is about (the author of the content, or the suspended member).
    subject_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    report_id: Mapped[int | None] = mapped_column(
        ForeignKey("reports.id", ondelete="SET NULL"), index=True
    )
    reason: Mapped[str] = mapped_column(Text, default="")
    until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    actor: Mapped[Member | None] = relationship(foreign_keys=[actor_id])
    subject: Mapped[Member | None] = relationship(foreign_keys=[subject_id])
    community: Mapped[Community | None] = relationship()

    def __repr__(self) -> str:
        return f"<ModerationAction {self.id} {self.action} {self.target_type}:{self.target_id}>"


@event.listens_for(ModerationAction, "before_update")
@event.listens_for(ModerationAction, "before_delete")
def _append_only(_mapper: Any, _connection: Any, target: ModerationAction) -> None:
    # Foreign keys set to NULL by the database (erasure) are fine; the application never edits.
    raise ValueError(f"{target!r} is append-only")


class PlatformSuspension(db.Model):  # type: ignore[name-defined]
    """A member suspended from the whole platform by staff, until a date or indefinitely."""

    __tablename__ = "platform_suspensions"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reason: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    member: Mapped[Member] = relationship(foreign_keys=[member_id])

    def __repr__(self) -> str:
        return f"<PlatformSuspension {self.member_id} until {self.until}>"

    def active(self, now: datetime) -> bool:
        return self.lifted_at is None and (self.until is None or self.until > now)
