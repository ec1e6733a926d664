"""Themes and neighbourhoods, managed by admins."""

from __future__ import annotations

from sqlalchemy import Boolean, String, true
from sqlalchemy.orm import Mapped, mapped_column

from community.extensions import db


class Theme(db.Model):  # type: ignore[name-defined]
    """A field of action: alimentation, biodiversité, déchets…"""

    __tablename__ = "themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    def __repr__(self) -> str:
        return f"<Theme {self.slug}>"


class Neighbourhood(db.Model):  # type: ignore[name-defined]
    """A neighbourhood or sector of the territory: the unit of the observatory."""

    __tablename__ = "neighbourhoods"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    def __repr__(self) -> str:
        return f"<Neighbourhood {self.slug}>"
