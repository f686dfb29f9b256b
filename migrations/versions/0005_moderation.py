"""moderation pipeline: verdicts, the review queue, silenced accounts

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 20:40:00

"""
from alembic import op
import sqlalchemy as sa

from community.models_base import UTCDateTime


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'moderation_verdicts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('post_id', sa.Integer(), nullable=False),
        sa.Column('text_hash', sa.String(length=64), nullable=False),
        sa.Column('filter', sa.String(length=32), nullable=False),
        sa.Column('labels', sa.JSON(), nullable=False),
        sa.Column('actions', sa.JSON(), nullable=False),
        sa.Column('reasons', sa.JSON(), nullable=False),
        sa.Column('spans', sa.JSON(), nullable=False),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['post_id'], ['posts.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_moderation_verdicts_post_id', 'moderation_verdicts', ['post_id'])
    op.create_table(
        'review_items',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('post_id', sa.Integer(), nullable=False),
        sa.Column('community_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('priority', sa.Integer(), nullable=False),
        sa.Column('text_hash', sa.String(length=64), nullable=False),
        sa.Column('reasons', sa.JSON(), nullable=False),
        sa.Column('spans', sa.JSON(), nullable=False),
        sa.Column('original_body', sa.Text(), nullable=True),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('urgent', sa.Boolean(), nullable=False),
        sa.Column('acknowledged_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('acknowledged_by', sa.Integer(), nullable=True),
        sa.Column('escalated_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('last_alerted_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('alert_count', sa.Integer(), nullable=False),
        sa.Column('closed_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('closed_by', sa.Integer(), nullable=True),
        sa.Column('outcome', sa.String(length=16), nullable=False),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['post_id'], ['posts.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['community_id'], ['communities.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['acknowledged_by'], ['users.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['closed_by'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('post_id', 'kind', 'text_hash'),
    )
    op.create_index('ix_review_items_post_id', 'review_items', ['post_id'])
    op.create_index('ix_review_items_community_id', 'review_items', ['community_id'])
    op.create_index('ix_review_items_status', 'review_items', ['status'])
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('moderated_hash', sa.String(length=64), nullable=False, server_default=''))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('silenced_at', UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('silenced_at')
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_column('moderated_hash')
    op.drop_table('review_items')
    op.drop_table('moderation_verdicts')
