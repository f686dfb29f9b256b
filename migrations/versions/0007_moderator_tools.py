"""moderator tools: staff action log, flags, watched-word rules, sanctions, notes, appeals

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27 23:00:00

"""
from alembic import op
import sqlalchemy as sa

from community.models_base import UTCDateTime


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def _when(name, nullable=True):
    return sa.Column(name, UTCDateTime(timezone=True), nullable=nullable)


def _user(name, nullable=True, ondelete='SET NULL'):
    return sa.Column(name, sa.Integer(), sa.ForeignKey('users.id', ondelete=ondelete), nullable=nullable)


def _community(nullable=True):
    return sa.Column('community_id', sa.Integer(), sa.ForeignKey('communities.id', ondelete='CASCADE'),
                     nullable=nullable)


def upgrade():
    op.create_table(
        'staff_actions',
        sa.Column('id', sa.Integer(), primary_key=True),
        _user('actor_id'),
        sa.Column('community_id', sa.Integer(), sa.ForeignKey('communities.id', ondelete='SET NULL'), nullable=True),
        sa.Column('action', sa.String(40), nullable=False),
        sa.Column('target_type', sa.String(16), nullable=False),
        sa.Column('target_id', sa.Integer(), nullable=True),
        sa.Column('reason', sa.Text(), nullable=False),
        _when('created_at', False),
    )
    op.create_index('ix_staff_actions_community', 'staff_actions', ['community_id', 'id'])
    op.create_table(
        'flags',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('post_id', sa.Integer(), sa.ForeignKey('posts.id', ondelete='CASCADE'), nullable=False),
        _user('user_id', False, 'CASCADE'),
        sa.Column('reason', sa.String(16), nullable=False),
        sa.Column('message', sa.String(500), nullable=False),
        sa.Column('weight', sa.Float(), nullable=False),
        sa.Column('status', sa.String(10), nullable=False),
        _when('created_at', False),
        sa.UniqueConstraint('post_id', 'user_id'),
    )
    op.create_index('ix_flags_post_id', 'flags', ['post_id'])
    op.create_index('ix_flags_user_id', 'flags', ['user_id'])
    op.create_table(
        'moderation_rules',
        sa.Column('id', sa.Integer(), primary_key=True),
        _community(),
        sa.Column('match_type', sa.String(10), nullable=False),
        sa.Column('pattern', sa.String(300), nullable=False),
        sa.Column('case_sensitive', sa.Boolean(), nullable=False),
        sa.Column('action', sa.String(20), nullable=False),
        sa.Column('message', sa.String(300), nullable=False),
        sa.Column('mode', sa.String(8), nullable=False),
        sa.Column('enabled', sa.Boolean(), nullable=False),
        sa.Column('hit_count', sa.Integer(), nullable=False),
        _when('last_hit_at'),
        _user('created_by'),
        _when('created_at', False),
        _when('updated_at', False),
    )
    op.create_index('ix_moderation_rules_community_id', 'moderation_rules', ['community_id'])
    op.create_table(
        'sanctions',
        sa.Column('id', sa.Integer(), primary_key=True),
        _user('user_id', False, 'CASCADE'),
        _community(),
        sa.Column('kind', sa.String(10), nullable=False),
        sa.Column('rule', sa.String(200), nullable=False),
        sa.Column('message', sa.Text(), nullable=False),
        _when('ends_at'),
        _when('lifted_at'),
        _user('created_by'),
        _when('created_at', False),
    )
    op.create_index('ix_sanctions_user_id', 'sanctions', ['user_id'])
    op.create_table(
        'member_notes',
        sa.Column('id', sa.Integer(), primary_key=True),
        _user('user_id', False, 'CASCADE'),
        _community(False),
        _user('author_id'),
        sa.Column('body', sa.String(1000), nullable=False),
        _when('created_at', False),
    )
    op.create_index('ix_member_notes_user_id', 'member_notes', ['user_id'])
    op.create_table(
        'appeals',
        sa.Column('id', sa.Integer(), primary_key=True),
        _user('user_id', False, 'CASCADE'),
        sa.Column('kind', sa.String(10), nullable=False),
        sa.Column('target_id', sa.Integer(), nullable=False),
        _community(),
        _user('acted_by'),
        sa.Column('message', sa.String(1000), nullable=False),
        sa.Column('status', sa.String(10), nullable=False),
        _user('decided_by'),
        sa.Column('decision_reason', sa.String(500), nullable=False),
        _when('decided_at'),
        _when('created_at', False),
        sa.UniqueConstraint('kind', 'target_id'),
    )
    op.create_index('ix_appeals_user_id', 'appeals', ['user_id'])
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('suppressed_notices', sa.JSON(), nullable=False, server_default='[]'))
    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('merged_into_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_threads_merged_into', 'threads', ['merged_into_id'], ['id'],
                                    ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.drop_constraint('fk_threads_merged_into', type_='foreignkey')
        batch_op.drop_column('merged_into_id')
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_column('suppressed_notices')
    for table in ('appeals', 'member_notes', 'sanctions', 'moderation_rules', 'flags', 'staff_actions'):
        op.drop_table(table)
