"""The release ledger: what the observatory published for a period, frozen at first release."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from community.core.models import UTCDateTime, utcnow
from community.extensions import db


class ObservatoryRelease(db.Model):  # type: ignore[name-defined]
    """The counts behind one section (`cells`, `trends`, `radar`) of one fixed period
    (`2026-Q1`), stored the first time the period is published and read back ever after:
    the same period always publishes the same numbers, so two releases cannot be differenced
    into what happened between them."""

    __tablename__ = "observatory_releases"
    __table_args__ = (UniqueConstraint("period", "section"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(16))
    section: Mapped[str] = mapped_column(String(32))
    data: Mapped[Any] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<ObservatoryRelease {self.period} {self.section}>"
