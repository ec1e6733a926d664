"""Bearer tokens for the JSON API and Socket.IO clients, stored hashed."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.core.models import UTCDateTime, utcnow
from community.extensions import db
from community.members.models import Member


def hash_token(token: str) -> str:
    """Tokens are long random strings: a plain SHA-256 is enough to store them safely."""
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(db.Model):  # type: ignore[name-defined]
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())

    member: Mapped[Member] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} member={self.member_id}>"

    def is_valid(self, now: datetime) -> bool:
        return self.expires_at > now
