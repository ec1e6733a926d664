"""visibility: report snapshots, the observatory's release ledger

Revision ID: 0010
Revises: 0014
Create Date: 2026-12-01 21:00:00

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('snapshot', sa.Text(), server_default='', nullable=False))
    op.create_table('observatory_releases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=16), nullable=False),
    sa.Column('section', sa.String(length=32), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_observatory_releases')),
    sa.UniqueConstraint('period', 'section', name=op.f('uq_observatory_releases_period_section'))
    )


def downgrade():
    op.drop_table('observatory_releases')
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_column('snapshot')
