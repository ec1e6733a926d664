"""Pseudonym skeletons transliterated: "Karim", "Kärim" and "Каrim" (a Cyrillic "К" and "а"),
"Olaf" and "Ølaf", "Lukasz" and "Łukasz" are one name (members/pseudonyms.py). The stored
skeletons of existing members are computed again so that a new name is compared with them by
the new rule. Two members whose names now read as one keep them both (the skeleton is not
unique): the rule applies to names chosen from now on.

Revision ID: 0020
Revises: 0019
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from community.members.pseudonyms import skeleton

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    members = sa.table(
        "members",
        sa.column("id", sa.Integer),
        sa.column("display_name", sa.String),
        sa.column("display_name_skeleton", sa.String),
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(members.c.id, members.c.display_name, members.c.display_name_skeleton)
    ).all()
    for member_id, name, stored in rows:
        fresh = skeleton(name or "")
        if fresh != stored:
            connection.execute(
                members.update()
                .where(members.c.id == member_id)
                .values(display_name_skeleton=fresh)
            )


def downgrade() -> None:
    # Transliterated skeletons only make more names meet: harmless to the older rule.
    pass
