"""Questionnaires, their questions and options, and responses by channel."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
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
    from community.communities.models import Community
    from community.members.models import Member
    from community.territory.models import Neighbourhood

KINDS = ("single", "multiple", "scale", "number", "short_text", "long_text")
CHOICE_KINDS = ("single", "multiple")
TEXT_KINDS = ("short_text", "long_text")
STATUSES = ("draft", "open", "closed")
AUDIENCES = ("anyone", "members")
CHANNELS = ("web", "paper", "ambassador")
SCALE = (1, 2, 3, 4, 5)


class Questionnaire(db.Model):  # type: ignore[name-defined]
    """A questionnaire of a community (its gardeners write it) or of the platform (staff)."""

    __tablename__ = "questionnaires"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'open', 'closed')", name="status"),
        CheckConstraint("audience IN ('anyone', 'members')", name="audience"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int | None] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    intro: Mapped[str] = mapped_column(Text, default="")
    intro_html: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[str] = mapped_column(String(16), default="anyone")
    status: Mapped[str] = mapped_column(String(16), default="draft")
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    follow_up: Mapped[str] = mapped_column(Text, default="")
    follow_up_html: Mapped[str] = mapped_column(Text, default="")
    follow_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    community: Mapped[Community | None] = relationship(lazy="joined")
    questions: Mapped[list[Question]] = relationship(
        back_populates="questionnaire",
        order_by="Question.position",
        cascade="all, delete-orphan",
        lazy="selectin",
    )

    def state(self, now: datetime) -> str:
        """`draft`, `scheduled` (open, not yet), `open` (taking answers) or `closed`."""
        if self.status == "draft":
            return "draft"
        if self.status == "closed" or (self.closes_at is not None and self.closes_at <= now):
            return "closed"
        if self.opens_at is not None and now < self.opens_at:
            return "scheduled"
        return "open"

    def __repr__(self) -> str:
        return f"<Questionnaire {self.id} {self.status}>"


class Question(db.Model):  # type: ignore[name-defined]
    """One question; `condition_*` shows it only when an earlier single-choice answer is given."""

    __tablename__ = "questionnaire_questions"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('single', 'multiple', 'scale', 'number', 'short_text', 'long_text')",
            name="kind",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaires.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(String(300))
    note: Mapped[str] = mapped_column(String(300), default="")
    required: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    condition_question_id: Mapped[int | None] = mapped_column(
        ForeignKey("questionnaire_questions.id", ondelete="SET NULL"), index=True
    )
    # No foreign key (options reference questions): the service keeps it pointing at an option
    # of the condition's question, and never removes an option a condition names.
    condition_option_id: Mapped[int | None] = mapped_column(Integer)

    questionnaire: Mapped[Questionnaire] = relationship(back_populates="questions")
    options: Mapped[list[QuestionOption]] = relationship(
        back_populates="question",
        order_by="QuestionOption.position",
        cascade="all, delete-orphan",
        lazy="selectin",
        foreign_keys="QuestionOption.question_id",
    )

    @property
    def condition(self) -> dict[str, int] | None:
        if self.condition_question_id is None or self.condition_option_id is None:
            return None
        return {"question_id": self.condition_question_id, "option_id": self.condition_option_id}

    def __repr__(self) -> str:
        return f"<Question {self.id} {self.kind}>"


class QuestionOption(db.Model):  # type: ignore[name-defined]
    __tablename__ = "questionnaire_options"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaire_questions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(200))

    question: Mapped[Question] = relationship(back_populates="options", foreign_keys=[question_id])

    def __repr__(self) -> str:
        return f"<QuestionOption {self.id}>"


class Response(db.Model):  # type: ignore[name-defined]
    """One person's answers. `member_id` only for a member answering on the web (unlinked on
    erasure); `browser_hash` is a hash of a random per-browser token, never an address."""

    __tablename__ = "questionnaire_responses"
    __table_args__ = (
        CheckConstraint("channel IN ('web', 'paper', 'ambassador')", name="channel"),
        CheckConstraint("channel <> 'ambassador' OR consent_at IS NOT NULL", name="consent"),
        UniqueConstraint("questionnaire_id", "member_id"),
        UniqueConstraint("questionnaire_id", "browser_hash"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaires.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    channel: Mapped[str] = mapped_column(String(16), default="web")
    neighbourhood_id: Mapped[int | None] = mapped_column(
        ForeignKey("neighbourhoods.id", ondelete="SET NULL"), index=True
    )
    browser_hash: Mapped[str | None] = mapped_column(String(64))
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    questionnaire: Mapped[Questionnaire] = relationship()
    member: Mapped[Member | None] = relationship(foreign_keys=[member_id])
    neighbourhood: Mapped[Neighbourhood | None] = relationship()
    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", cascade="all, delete-orphan", lazy="selectin"
    )

    def __repr__(self) -> str:
        return f"<Response {self.id} {self.channel}>"


class Answer(db.Model):  # type: ignore[name-defined]
    """One answer: an option (one row per chosen option), a number, or a text."""

    __tablename__ = "questionnaire_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaire_responses.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaire_questions.id", ondelete="CASCADE"), index=True
    )
    option_id: Mapped[int | None] = mapped_column(
        ForeignKey("questionnaire_options.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str | None] = mapped_column(Text)

    response: Mapped[Response] = relationship(back_populates="answers")

    def __repr__(self) -> str:
        return f"<Answer {self.id} question={self.question_id}>"
