"""Look-alike skeletons of pseudonyms (issue 12, finding 15)

Revision ID: 0009
Revises: 0010
Create Date: 2026-12-01 21:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("display_name_skeleton", sa.String(length=80), nullable=False, server_default="")
        )
    from community.members.pseudonyms import skeleton

    members = sa.table(
        "members", sa.column("id", sa.Integer), sa.column("display_name", sa.String),
        sa.column("display_name_skeleton", sa.String),
    )  # fmt: skip
    connection = op.get_bind()
    for member_id, name in connection.execute(sa.select(members.c.id, members.c.display_name)):
        connection.execute(
            members.update()
            .where(members.c.id == member_id)
            .values(display_name_skeleton=skeleton(name or ""))
        )
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.alter_column("display_name_skeleton", server_default=None)
        batch_op.create_index(
            batch_op.f("ix_members_display_name_skeleton"), ["display_name_skeleton"], unique=False
        )


def downgrade():
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_members_display_name_skeleton"))
        batch_op.drop_column("display_name_skeleton")
