"""thread version, bumped on every change: the key of the rendered thread-list items

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 21:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))


def downgrade():
    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.drop_column('version')
