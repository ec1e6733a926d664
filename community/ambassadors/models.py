"""Ambassadors, their invitation links (who brought whom) and their outreach journal."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.core.models import UTCDateTime, utcnow
from community.extensions import db

if TYPE_CHECKING:
    from community.communities.models import Community
    from community.members.models import Member
    from community.territory.models import Neighbourhood, Theme

AMBASSADOR_STATUSES = ("proposed", "active", "declined", "ended")
PLACE_KINDS = ("market", "building", "school", "social_centre", "event", "shop", "other")


class Ambassador(db.Model):  # type: ignore[name-defined]
    """A member's mission as ambassador, for a community or for a neighbourhood, dated.

    `proposed` when named, then `active` (accepted) or `declined`; `ended` when the member
    steps down. `shown` is the member's consent to appear on the public page.
    """

    __tablename__ = "ambassadors"
    __table_args__ = (
        CheckConstraint("status IN ('proposed', 'active', 'declined', 'ended')", name="status"),
        CheckConstraint("(community_id IS NULL) <> (neighbourhood_id IS NULL)", name="one_scope"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    community_id: Mapped[int | None] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    neighbourhood_id: Mapped[int | None] = mapped_column(
        ForeignKey("neighbourhoods.id", ondelete="CASCADE"), index=True
    )
    mission: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="proposed")
    shown: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    named_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    member: Mapped[Member] = relationship(foreign_keys=[member_id], lazy="joined")
    community: Mapped[Community | None] = relationship(lazy="joined")
    neighbourhood: Mapped[Neighbourhood | None] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<Ambassador {self.id} member={self.member_id} {self.status}>"


class Invitation(db.Model):  # type: ignore[name-defined]
    """A sign-up link an ambassador hands out; `label` says where ("marché du samedi")."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    ambassador_id: Mapped[int] = mapped_column(
        ForeignKey("ambassadors.id", ondelete="CASCADE"), index=True
    )
    token: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    ambassador: Mapped[Ambassador] = relationship()

    def __repr__(self) -> str:
        return f"<Invitation {self.id} {self.label!r}>"

    def usable(self, now: datetime) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class InvitationUse(db.Model):  # type: ignore[name-defined]
    """Who signed up through which link: the record of who brought whom (one per member)."""

    __tablename__ = "invitation_uses"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("invitations.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<InvitationUse {self.invitation_id}→{self.member_id}>"


outreach_themes = Table(
    "outreach_themes",
    db.metadata,
    Column("outreach_id", ForeignKey("outreach_logs.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_outreach_themes_theme_id", "theme_id"),
)


class OutreachLog(db.Model):  # type: ignore[name-defined]
    """One outing of an ambassador ("aller-vers"): where, how many people, what was heard.

    Holds no name and no contact detail of the people met (the service refuses them).
    """

    __tablename__ = "outreach_logs"
    __table_args__ = (
        CheckConstraint("people_met >= 0", name="people_met"),
        CheckConstraint(
            "place_kind IN ('market', 'building', 'school', 'social_centre', 'event', 'shop', "
            "'other')",
            name="place_kind",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ambassador_id: Mapped[int] = mapped_column(
        ForeignKey("ambassadors.id", ondelete="CASCADE"), index=True
    )
    happened_on: Mapped[date] = mapped_column(Date)
    neighbourhood_id: Mapped[int | None] = mapped_column(
        ForeignKey("neighbourhoods.id", ondelete="SET NULL"), index=True
    )
    place_kind: Mapped[str] = mapped_column(String(20))
    people_met: Mapped[int] = mapped_column(Integer)
    topics: Mapped[str] = mapped_column(Text, default="")
    follow_up: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    ambassador: Mapped[Ambassador] = relationship()
    neighbourhood: Mapped[Neighbourhood | None] = relationship(lazy="joined")
    themes: Mapped[list[Theme]] = relationship(secondary=outreach_themes, order_by="Theme.name")

    def __repr__(self) -> str:
        return f"<OutreachLog {self.id} {self.happened_on} {self.people_met}>"
