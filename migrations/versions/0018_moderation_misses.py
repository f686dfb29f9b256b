"""moderation_misses: filter misses reported by moderators, for the training data and regressions

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 13:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'moderation_misses',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('reporter_id', sa.Integer(), nullable=True),
        sa.Column('community_id', sa.Integer(), nullable=True),
        sa.Column('post_id', sa.Integer(), nullable=True),
        sa.Column('source', sa.String(10), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('expected', sa.JSON(), nullable=False),
        sa.Column('found', sa.JSON(), nullable=False),
        sa.Column('note', sa.String(300), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('exported_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['reporter_id'], ['users.id'], name='fk_moderation_misses_reporter_id_users',
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['community_id'], ['communities.id'],
                                name='fk_moderation_misses_community_id_communities', ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name='fk_moderation_misses_post_id_posts',
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name='pk_moderation_misses'),
    )
    op.create_index('ix_moderation_misses_post_id', 'moderation_misses', ['post_id'])


def downgrade():
    op.drop_index('ix_moderation_misses_post_id', table_name='moderation_misses')
    op.drop_table('moderation_misses')
