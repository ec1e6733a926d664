"""The member account: one person, one platform role."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask_login import UserMixin
from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from community.core.models import NEVER_REUSED_IDS, UTCDateTime, utcnow
from community.extensions import db
from community.members.pseudonyms import skeleton

if TYPE_CHECKING:
    from community.territory.models import Neighbourhood, Theme

ROLES = ("citizen", "staff", "admin")
LOCALES = ("fr", "en")

member_themes = Table(
    "member_themes",
    db.metadata,
    Column("member_id", ForeignKey("members.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_member_themes_theme_id", "theme_id"),
)


def new_session_nonce() -> str:
    return secrets.token_hex(8)


class Member(UserMixin, db.Model):  # type: ignore[name-defined]
    """An account. `display_name` (the pseudonym) is what other people see; never the e-mail."""

    __tablename__ = "members"
    # An erased member's id stays in reports and the moderation journal (`target_id`), and in
    # the unsubscribe links of the mails she kept (`notifications.mails.unsubscribe_token`).
    __table_args__ = (
        CheckConstraint("role IN ('citizen', 'staff', 'admin')", name="role"),
        NEVER_REUSED_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(40))
    # Lower-cased pseudonym: two members cannot be told apart by case alone (mentions use it).
    display_name_key: Mapped[str] = mapped_column(String(40), unique=True)
    # Look-alike skeleton (members/pseudonyms.py): a Cyrillic "М" cannot pass for an "M".
    display_name_skeleton: Mapped[str] = mapped_column(String(80), index=True, default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="citizen")
    neighbourhood_id: Mapped[int | None] = mapped_column(
        ForeignKey("neighbourhoods.id", ondelete="SET NULL"), index=True
    )
    bio: Mapped[str] = mapped_column(Text, default="")
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    locale: Mapped[str] = mapped_column(String(5), default="fr")
    # Rotated on logout-everywhere and password change: sessions carry it and die with it.
    session_nonce: Mapped[str] = mapped_column(String(32), default=new_session_nonce)
    charter_accepted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set when the member follows the link sent at sign-up; no login before that.
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    neighbourhood: Mapped[Neighbourhood | None] = relationship(lazy="joined")
    themes: Mapped[list[Theme]] = relationship(secondary=member_themes, order_by="Theme.name")

    def __repr__(self) -> str:
        return f"<Member {self.id} {self.display_name!r} {self.role}>"

    @validates("display_name")
    def _set_skeleton(self, _key: str, value: str) -> str:
        self.display_name_skeleton = skeleton(value or "")
        return value

    def get_id(self) -> str:
        return f"{self.id}.{self.session_nonce}"

    @property
    def is_staff(self) -> bool:
        return self.role in {"staff", "admin"}

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def public(self) -> dict[str, Any]:
        """What anyone may know of a member."""
        return {"id": self.id, "display_name": self.display_name}
