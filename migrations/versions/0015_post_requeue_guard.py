"""posts.requeued_at and a partial index of waiting posts, for a sweep that runs every 15 s

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 19:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

WAITING = "state = 'pending' OR moderation_status = 'pending'"


def upgrade():
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('requeued_at', sa.DateTime(timezone=True), nullable=True))
    op.create_index('ix_posts_waiting', 'posts', ['id'], unique=False,
                    sqlite_where=sa.text(WAITING), postgresql_where=sa.text(WAITING))


def downgrade():
    op.drop_index('ix_posts_waiting', table_name='posts')
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_column('requeued_at')
