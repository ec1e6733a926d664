"""Mutual help (offers, requests, proposals, private exchanges) and solidarity signals."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.core.models import UTCDateTime, utcnow
from community.extensions import db

if TYPE_CHECKING:
    from community.members.models import Member
    from community.territory.models import Neighbourhood, Theme

REQUEST_STATUSES = ("open", "matched", "done", "withdrawn")
PROPOSAL_STATUSES = ("proposed", "accepted", "declined", "withdrawn", "done")
SIGNAL_KINDS = ("neighbour_help", "informal_group", "association", "solidarity_shop", "other")
SIGNAL_CONTACTS = ("no", "via_ambassador")


class HelpOffer(db.Model):  # type: ignore[name-defined]
    """ "Je propose": what a member can do, in a theme and a neighbourhood, and when."""

    __tablename__ = "help_offers"
    __table_args__ = (Index("ix_help_offers_place", "theme_id", "neighbourhood_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id"))
    neighbourhood_id: Mapped[int] = mapped_column(ForeignKey("neighbourhoods.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    text_html: Mapped[str] = mapped_column(Text)
    availability: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    author: Mapped[Member] = relationship()
    theme: Mapped[Theme] = relationship(lazy="joined")
    neighbourhood: Mapped[Neighbourhood] = relationship(lazy="joined")

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None

    def __repr__(self) -> str:
        return f"<HelpOffer {self.id} theme={self.theme_id} place={self.neighbourhood_id}>"


class HelpRequest(db.Model):  # type: ignore[name-defined]
    """ "J'ai besoin". `author` is who posted it: the person, or the go-between who recorded it
    on behalf of an inhabitant without an account (`on_behalf`, oral consent dated)."""

    __tablename__ = "help_requests"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'matched', 'done', 'withdrawn')", name="status"),
        CheckConstraint("NOT on_behalf OR consent_at IS NOT NULL", name="consent"),
        Index("ix_help_requests_place", "theme_id", "neighbourhood_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id"))
    neighbourhood_id: Mapped[int] = mapped_column(ForeignKey("neighbourhoods.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    text_html: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="open")
    on_behalf: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    author: Mapped[Member] = relationship()
    theme: Mapped[Theme] = relationship(lazy="joined")
    neighbourhood: Mapped[Neighbourhood] = relationship(lazy="joined")
    proposals: Mapped[list[HelpProposal]] = relationship(
        back_populates="request", order_by="HelpProposal.id", cascade="all, delete-orphan"
    )

    def is_expired(self, now: datetime) -> bool:
        return self.status == "open" and self.expires_at <= now

    def __repr__(self) -> str:
        return f"<HelpRequest {self.id} {self.status}>"


class HelpProposal(db.Model):  # type: ignore[name-defined]
    """A helper offers to answer a request; once accepted, the two talk in private."""

    __tablename__ = "help_proposals"
    __table_args__ = (
        UniqueConstraint("request_id", "helper_id"),
        CheckConstraint(
            "status IN ('proposed', 'accepted', 'declined', 'withdrawn', 'done')", name="status"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("help_requests.id", ondelete="CASCADE"), index=True
    )
    helper_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    message: Mapped[str] = mapped_column(Text, default="")
    message_html: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="proposed")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    request: Mapped[HelpRequest] = relationship(back_populates="proposals")
    helper: Mapped[Member] = relationship()
    messages: Mapped[list[ExchangeMessage]] = relationship(
        back_populates="proposal", order_by="ExchangeMessage.id", cascade="all, delete-orphan"
    )

    @property
    def open_exchange(self) -> bool:
        return self.status in {"accepted", "done"}

    def __repr__(self) -> str:
        return f"<HelpProposal {self.id} request={self.request_id} {self.status}>"


class ExchangeMessage(db.Model):  # type: ignore[name-defined]
    """A message of the private exchange between a requester and the helper they accepted."""

    __tablename__ = "help_exchange_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("help_proposals.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    proposal: Mapped[HelpProposal] = relationship(back_populates="messages")
    author: Mapped[Member | None] = relationship()

    def __repr__(self) -> str:
        return f"<ExchangeMessage {self.id} proposal={self.proposal_id}>"


class SolidaritySignal(db.Model):  # type: ignore[name-defined]
    """An informal solidarity spotted in the field. No personal data; the text is dropped
    when the signal is archived (after `SIGNAL_RETENTION_MONTHS`), the counts stay."""

    __tablename__ = "solidarity_signals"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('neighbour_help', 'informal_group', 'association', 'solidarity_shop', "
            "'other')",
            name="kind",
        ),
        CheckConstraint("contact IN ('no', 'via_ambassador')", name="contact"),
        CheckConstraint("people >= 1", name="people"),
        Index("ix_solidarity_signals_place", "theme_id", "neighbourhood_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id"))
    neighbourhood_id: Mapped[int] = mapped_column(ForeignKey("neighbourhoods.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    people: Mapped[int] = mapped_column(Integer)
    contact: Mapped[str] = mapped_column(String(20), default="no")
    text: Mapped[str] = mapped_column(Text, default="")
    text_html: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    recorded_by: Mapped[Member | None] = relationship()
    theme: Mapped[Theme] = relationship(lazy="joined")
    neighbourhood: Mapped[Neighbourhood] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<SolidaritySignal {self.id} {self.kind}>"
