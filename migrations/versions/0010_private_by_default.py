"""memberships hidden by default on every path (existing members migrated and told once);
post_revisions.erased_at: an author erased an earlier version's text

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 12:00:00

"""
from alembic import op
import sqlalchemy as sa

from community.models_base import UTCDateTime


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('hide_memberships', existing_type=sa.Boolean(), existing_nullable=False,
                              server_default=sa.true())
        batch_op.add_column(sa.Column('memberships_notice', sa.Boolean(), nullable=False, server_default=sa.false()))
    users = sa.table('users', sa.column('hide_memberships', sa.Boolean()), sa.column('memberships_notice', sa.Boolean()))
    # Nothing recorded who chose to show their communities, so everyone shown is hidden now, and
    # told once at their next visit (the ones already hidden see no change and no notice).
    op.execute(users.update().where(users.c.hide_memberships == sa.false())
               .values(hide_memberships=True, memberships_notice=True))
    with op.batch_alter_table('post_revisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erased_at', UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('post_revisions', schema=None) as batch_op:
        batch_op.drop_column('erased_at')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('memberships_notice')
        batch_op.alter_column('hide_memberships', existing_type=sa.Boolean(), existing_nullable=False,
                              server_default=None)
