"""Pseudonym skeletons transliterated: "Karim", "Kärim" and "Каrim" (a Cyrillic "К" and "а"),
"Olaf" and "Ølaf", "Lukasz" and "Łukasz" are one name (members/pseudonyms.py). The stored
skeletons of existing members are computed again so that a new name is compared with them by
the new rule. Two members whose names now read as one keep them both (the skeleton is not
unique): the rule applies to names chosen from now on.

Revision ID: 0020
Revises: 0019
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from alembic import op

from community.members.pseudonyms import (
    _SEPARATORS,
    _prototypes,
    _small_capital,
    skeleton,
    visible,
)

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def _members() -> sa.TableClause:
    return sa.table(
        "members",
        sa.column("id", sa.Integer),
        sa.column("display_name", sa.String),
        sa.column("display_name_skeleton", sa.String),
    )


def _recompute(rule: object) -> None:
    members = _members()
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(members.c.id, members.c.display_name, members.c.display_name_skeleton)
    ).all()
    for member_id, name, stored in rows:
        fresh = rule(name or "")  # type: ignore[operator]
        if fresh != stored:
            connection.execute(
                members.update()
                .where(members.c.id == member_id)
                .values(display_name_skeleton=fresh)
            )


def upgrade() -> None:
    _recompute(skeleton)


def _skeleton_0019(name: str) -> str:
    """The rule of 0019, kept here as it was: the older code compares a new name with skeletons
    it computes itself, so a transliterated skeleton left behind ("lukasz" for "Łukasz") would
    let through a look-alike it would have refused."""
    table = _prototypes()

    def look_alike(text: str) -> str:
        return "".join(
            table.get(char) or _small_capital(char)
            for char in text
            if char not in _SEPARATORS and visible(char)
        )

    def without_accents(text: str) -> str:
        decomposed = unicodedata.normalize("NFD", text)
        return "".join(c for c in decomposed if unicodedata.category(c) not in {"Mn", "Me"})

    text = unicodedata.normalize("NFKC", name)
    text = without_accents(look_alike(text).casefold())
    return unicodedata.normalize("NFC", look_alike(text))[:80]


def downgrade() -> None:
    _recompute(_skeleton_0019)
