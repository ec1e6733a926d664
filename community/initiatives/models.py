"""Initiatives, who supports and helps them, the authority's answers and their story."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    false,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.elements import ColumnElement

from community.core.models import UTCDateTime, utcnow
from community.extensions import db

if TYPE_CHECKING:
    from community.communities.models import Community
    from community.members.models import Member
    from community.territory.models import Neighbourhood, Theme

STATUSES = ("proposed", "under_review", "accepted", "in_progress", "done", "declined", "withdrawn")
REASONS = ("competence", "budget", "exists", "legal", "other")
# Statuses in which an initiative may still be waiting for the authority's first answer.
AWAITING_STATUSES = ("proposed", "under_review")
CLOSED_STATUSES = ("done", "declined", "withdrawn")


def _in(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


initiative_themes = Table(
    "initiative_themes",
    db.metadata,
    Column("initiative_id", ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_initiative_themes_theme_id", "theme_id"),
)


class Initiative(db.Model):  # type: ignore[name-defined]
    """A proposal, or an informal action declared by those who already run it.

    `awaiting_since` starts the answer clock (at proposal, or when an informal initiative asks
    for support); `answered_at` stops it at the authority's first answer.
    """

    __tablename__ = "initiatives"
    __table_args__ = (CheckConstraint(f"status IN ({_in(STATUSES)})", name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(160))
    summary: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    neighbourhood_id: Mapped[int | None] = mapped_column(
        ForeignKey("neighbourhoods.id", ondelete="SET NULL"), index=True
    )
    community_id: Mapped[int | None] = mapped_column(
        ForeignKey("communities.id", ondelete="SET NULL"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    thread_id: Mapped[int | None] = mapped_column(
        ForeignKey("threads.id", ondelete="SET NULL"), index=True
    )
    needs: Mapped[list[str]] = mapped_column(JSON, default=list)
    informal: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    status: Mapped[str] = mapped_column(String(16), index=True)
    support_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    awaiting_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Hidden by the moderators (see the moderation domain): out of lists, shown to its author
    # and moderators only.
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    hidden_reason: Mapped[str] = mapped_column(Text, default="", server_default="")

    themes: Mapped[list[Theme]] = relationship(secondary=initiative_themes, order_by="Theme.name")
    neighbourhood: Mapped[Neighbourhood | None] = relationship()
    community: Mapped[Community | None] = relationship()
    author: Mapped[Member | None] = relationship()
    status_changes: Mapped[list[StatusChange]] = relationship(
        back_populates="initiative",
        order_by="StatusChange.created_at, StatusChange.id",
        cascade="all, delete-orphan",
    )
    updates: Mapped[list[InitiativeUpdate]] = relationship(
        back_populates="initiative",
        order_by="InitiativeUpdate.created_at, InitiativeUpdate.id",
        cascade="all, delete-orphan",
    )
    participations: Mapped[list[Participation]] = relationship(
        back_populates="initiative",
        order_by="Participation.created_at",
        cascade="all, delete-orphan",
    )

    def __repr__(self) -> str:
        return f"<Initiative {self.id} {self.status} {self.title!r}>"

    @property
    def spontaneous(self) -> bool:
        """Proposed without a community."""
        return self.community_id is None

    @hybrid_property
    def awaiting_answer(self) -> bool:
        """Waiting for the authority's first answer: asked for one, not answered yet, still in
        an awaiting status, and shown — a hidden initiative waits for no answer. The one rule,
        read on an object and in SQL (`select(Initiative).where(Initiative.awaiting_answer)`):
        the inbox, the awaiting lists, the figures and the overdue reminders all ask it."""
        return (
            self.awaiting_since is not None
            and self.answered_at is None
            and self.status in AWAITING_STATUSES
            and self.hidden_at is None
        )

    @awaiting_answer.inplace.expression
    @classmethod
    def _awaiting_answer_expression(cls) -> ColumnElement[bool]:
        return and_(
            cls.awaiting_since.is_not(None),
            cls.answered_at.is_(None),
            cls.status.in_(AWAITING_STATUSES),
            cls.hidden_at.is_(None),
        )


class StatusChange(db.Model):  # type: ignore[name-defined]
    """A move in the lifecycle, with its author and the public answer that explains it."""

    __tablename__ = "initiative_status_changes"
    __table_args__ = (
        CheckConstraint(f"to_status IN ({_in(STATUSES)})", name="to_status"),
        CheckConstraint(f"reason IS NULL OR reason IN ({_in(REASONS)})", name="reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("initiatives.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    from_status: Mapped[str] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    answer: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    initiative: Mapped[Initiative] = relationship(back_populates="status_changes")
    author: Mapped[Member | None] = relationship()

    def __repr__(self) -> str:
        return f"<StatusChange {self.initiative_id} {self.from_status}→{self.to_status}>"


class Support(db.Model):  # type: ignore[name-defined]
    """A member supports an initiative (once)."""

    __tablename__ = "initiative_supports"
    __table_args__ = (UniqueConstraint("initiative_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("initiatives.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<Support {self.member_id}→{self.initiative_id}>"


class Participation(db.Model):  # type: ignore[name-defined]
    """A member lends a hand ("je donne un coup de main"), saying what they can bring."""

    __tablename__ = "initiative_participations"
    __table_args__ = (UniqueConstraint("initiative_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("initiatives.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    initiative: Mapped[Initiative] = relationship(back_populates="participations")
    member: Mapped[Member] = relationship()

    def __repr__(self) -> str:
        return f"<Participation {self.member_id}→{self.initiative_id}>"


class InitiativeUpdate(db.Model):  # type: ignore[name-defined]
    """A piece of the initiative's story, with an optional photo stored under UPLOAD_FOLDER."""

    __tablename__ = "initiative_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("initiatives.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    photo: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    initiative: Mapped[Initiative] = relationship(back_populates="updates")
    author: Mapped[Member | None] = relationship()

    def __repr__(self) -> str:
        return f"<InitiativeUpdate {self.id} of {self.initiative_id}>"
