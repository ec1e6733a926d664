"""Notifications: where a notification's link leads (`target_type`, `target_id`: an
initiative's page or a discussion), indexed, so that hiding an initiative finds the notices
that named it by that index instead of scanning every link with LIKE. The stored links are
read once here, with the pattern `notifications.services.target_of` applies to new ones.

Revision ID: 0023
Revises: 0022
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

# A copy of `notifications.services._TARGET` (a migration keeps the rule it ran with).
TARGET = re.compile(r"/(initiatives|threads)/([0-9]{1,9})(?:[#?/]|$)")
TYPES = {"initiatives": "initiative", "threads": "thread"}
BATCH = 1000


def upgrade() -> None:
    with op.batch_alter_table("notifications") as batch_op:
        batch_op.add_column(sa.Column("target_type", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("target_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_notifications_target"), ["target_type", "target_id"], unique=False
        )
    notifications = sa.table(
        "notifications",
        sa.column("id", sa.Integer),
        sa.column("url", sa.String),
        sa.column("target_type", sa.String),
        sa.column("target_id", sa.Integer),
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(notifications.c.id, notifications.c.url).where(
            sa.or_(
                notifications.c.url.startswith("/initiatives/"),
                notifications.c.url.startswith("/threads/"),
            )
        )
    ).all()
    found = []
    for row_id, url in rows:
        match = TARGET.match(url)
        if match is not None:
            found.append(
                {"row": row_id, "kind": TYPES[match.group(1)], "target": int(match.group(2))}
            )
    update = (
        notifications.update()
        .where(notifications.c.id == sa.bindparam("row"))
        .values(target_type=sa.bindparam("kind"), target_id=sa.bindparam("target"))
    )
    for start in range(0, len(found), BATCH):
        connection.execute(update, found[start : start + BATCH])


def downgrade() -> None:
    with op.batch_alter_table("notifications") as batch_op:
        batch_op.drop_index(batch_op.f("ix_notifications_target"))
        batch_op.drop_column("target_id")
        batch_op.drop_column("target_type")
