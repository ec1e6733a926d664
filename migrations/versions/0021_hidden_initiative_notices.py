"""Notifications forget the titles of the initiatives hidden before this release: every stored
notification that links to a hidden initiative's page or to its discussion (its new statuses,
the "overdue" notices, the replies and mentions in its thread) says, in its member's language,
that it was about an initiative the moderators have hidden since. From now on the
notifications domain does it when an initiative is hidden (`initiatives.initiative_hidden`).
Nothing to undo: the titles are not kept.

Revision ID: 0021
Revises: 0020
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

# The catalogs' words for `notifications/receivers.py`'s text (a migration does not translate).
NEUTRAL = {
    "fr": "Cet avis parlait d'une initiative que les modérateurs ont cachée depuis.",
    "en": "This notice was about an initiative that the moderators have hidden since.",
}


def _links_to(url: sa.ColumnElement[str], path: str) -> sa.ColumnElement[bool]:
    """The path itself, or with an anchor, a query or a sub-path (as the receiver matches)."""
    return sa.or_(
        url == path, *(url.startswith(path + sep, autoescape=True) for sep in "#?/")
    )


def upgrade() -> None:
    connection = op.get_bind()
    initiatives = sa.table(
        "initiatives",
        sa.column("id", sa.Integer),
        sa.column("thread_id", sa.Integer),
        sa.column("hidden_at", sa.DateTime),
    )
    notifications = sa.table(
        "notifications",
        sa.column("id", sa.Integer),
        sa.column("url", sa.String),
        sa.column("member_id", sa.Integer),
        sa.column("text", sa.String),
    )
    members = sa.table("members", sa.column("id", sa.Integer), sa.column("locale", sa.String))
    paths: list[str] = []
    for initiative_id, thread_id in connection.execute(
        sa.select(initiatives.c.id, initiatives.c.thread_id).where(
            initiatives.c.hidden_at.is_not(None)
        )
    ):
        paths.append(f"/initiatives/{initiative_id}")
        if thread_id is not None:
            paths.append(f"/threads/{thread_id}")
    english = sa.select(members.c.id).where(members.c.locale == "en")
    for path in paths:
        for speaks, text in (
            (notifications.c.member_id.in_(english), NEUTRAL["en"]),
            (notifications.c.member_id.not_in(english), NEUTRAL["fr"]),
        ):
            connection.execute(
                notifications.update()
                .where(_links_to(notifications.c.url, path), speaks)
                .values(text=text)
            )


def downgrade() -> None:
    pass  # the titles are gone for good
