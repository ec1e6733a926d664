"""Communities, who belongs to them, and the pair of gardeners who look after each."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    ColumnElement,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.core.models import UTCDateTime, utcnow
from community.extensions import db

if TYPE_CHECKING:
    from community.members.models import Member
    from community.territory.models import Neighbourhood, Theme

VISIBILITIES = ("open", "on_request")
MEMBERSHIP_STATUSES = ("pending", "active", "left", "refused", "banned")
SIDES = ("technician", "citizen")


class Community(db.Model):  # type: ignore[name-defined]
    """A thematic community: open to all, or joined on request."""

    __tablename__ = "communities"
    __table_args__ = (CheckConstraint("visibility IN ('open', 'on_request')", name="visibility"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id"), index=True)
    neighbourhood_id: Mapped[int | None] = mapped_column(
        ForeignKey("neighbourhoods.id", ondelete="SET NULL"), index=True
    )
    description: Mapped[str] = mapped_column(Text, default="")
    # The charter is Markdown; `charter_html` is its sanitised rendering, made once on save.
    charter: Mapped[str] = mapped_column(Text, default="")
    charter_html: Mapped[str] = mapped_column(Text, default="")
    visibility: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )

    theme: Mapped[Theme] = relationship(lazy="joined")
    neighbourhood: Mapped[Neighbourhood | None] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<Community {self.slug}>"


class Membership(db.Model):  # type: ignore[name-defined]
    """A member in a community: `pending` (asked), `active`, `left`, `refused` or `banned`."""

    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("community_id", "member_id"),
        CheckConstraint(
            "status IN ('pending', 'active', 'left', 'refused', 'banned')", name="status"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    request_message: Mapped[str] = mapped_column(Text, default="")
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    charter_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    joined_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    banned_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    community: Mapped[Community] = relationship()
    member: Mapped[Member] = relationship(foreign_keys=[member_id])

    def __repr__(self) -> str:
        return f"<Membership {self.member_id}@{self.community_id} {self.status}>"


class GardenerMandate(db.Model):  # type: ignore[name-defined]
    """One side of a community's gardener pair, for a dated period.

    The pair of a community is its two mandates with no end date: one `technician` (staff)
    and one `citizen` (an active member). A partial unique index keeps at most one open
    mandate per side; ended mandates are the history.
    """

    __tablename__ = "gardener_mandates"
    __table_args__ = (
        CheckConstraint("side IN ('technician', 'citizen')", name="side"),
        Index(
            "uq_gardener_mandates_open_side",
            "community_id",
            "side",
            unique=True,
            sqlite_where=text("ended_at IS NULL"),
            postgresql_where=text("ended_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    side: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    appointed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )

    community: Mapped[Community] = relationship()
    member: Mapped[Member] = relationship(foreign_keys=[member_id])

    @hybrid_property
    def in_office(self) -> bool:
        """Held right now: no end date. The one definition of "she gardens it now", read on a
        row and in SQL (`select(...).where(GardenerMandate.in_office)`, an alias's too); the
        queries every domain asks are built on it in `communities/gardening.py`."""
        return self.ended_at is None

    @in_office.inplace.expression
    @classmethod
    def _in_office_expression(cls) -> ColumnElement[bool]:
        return cls.ended_at.is_(None)

    def __repr__(self) -> str:
        return f"<GardenerMandate {self.side} {self.member_id}@{self.community_id}>"


class Handover(db.Model):  # type: ignore[name-defined]
    """The note a gardener leaves to their successor ("passation")."""

    __tablename__ = "handovers"

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    side: Mapped[str] = mapped_column(String(16))
    from_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    to_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    written_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    note: Mapped[str] = mapped_column(Text)
    note_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    community: Mapped[Community] = relationship()
    written_by: Mapped[Member | None] = relationship(foreign_keys=[written_by_id])

    def __repr__(self) -> str:
        return f"<Handover {self.side} {self.from_member_id}→{self.to_member_id}>"


PROPOSAL_STATUSES = ("pending", "accepted", "declined", "withdrawn")


class GardenerProposal(db.Model):  # type: ignore[name-defined]
    """Someone is asked to take one side of a community's pair; named only once they accept.

    A citizen gardener proposes her successor ("passer la main"), or staff name someone: either
    way the person is asked first. At most one pending proposal per community and side.
    """

    __tablename__ = "gardener_proposals"
    __table_args__ = (
        CheckConstraint("side IN ('technician', 'citizen')", name="side"),
        CheckConstraint(
            "status IN ('pending', 'accepted', 'declined', 'withdrawn')", name="status"
        ),
        Index(
            "uq_gardener_proposals_pending_side",
            "community_id",
            "side",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    side: Mapped[str] = mapped_column(String(16))
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), index=True
    )
    proposed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    # The handover note, kept until the candidate accepts (then it becomes a Handover).
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="pending")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    community: Mapped[Community] = relationship()
    candidate: Mapped[Member] = relationship(foreign_keys=[candidate_id])
    proposed_by: Mapped[Member | None] = relationship(foreign_keys=[proposed_by_id])

    def __repr__(self) -> str:
        who = f"{self.candidate_id}@{self.community_id}"
        return f"<GardenerProposal {self.side} {who} {self.status}>"
