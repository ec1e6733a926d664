"""Reports: the kinds of reportable content are the ones domains register
(`moderation.targets.register`, checked by the report service), not a constraint listing them:
a new domain's reportable content needs no schema change in moderation.

Revision ID: 0017
Revises: 0011
"""

from __future__ import annotations

from alembic import op

revision = "0017"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reports") as batch_op:
        batch_op.drop_constraint(op.f("ck_reports_target_type"), type_="check")


def downgrade() -> None:
    with op.batch_alter_table("reports") as batch_op:
        batch_op.create_check_constraint(
            "target_type", "target_type IN ('message', 'initiative', 'member')"
        )
