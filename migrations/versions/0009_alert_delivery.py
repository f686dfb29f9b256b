"""review_items.delivery and no_recipient: who each crisis alert reached, and whether nobody was told

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 12:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('review_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('delivery', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('no_recipient', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('review_items', schema=None) as batch_op:
        batch_op.drop_column('no_recipient')
        batch_op.drop_column('delivery')
