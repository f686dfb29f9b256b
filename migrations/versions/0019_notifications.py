"""notifications: watch levels, notifications, mentions, settings; mail gets an HTML part and headers

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 21:00:00

The onboarding's reply e-mail choice moves into the notification settings: a member who had
turned it off gets reply, mention and quote e-mail off; the column goes.
"""
from alembic import op
import sqlalchemy as sa


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade():
    op.create_table(
        'notification_settings',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('email', sa.JSON(), nullable=False),
        sa.Column('digest', sa.String(10), nullable=False),
        sa.Column('quiet_start', sa.String(5), nullable=True),
        sa.Column('quiet_end', sa.String(5), nullable=True),
        sa.Column('discreet_email', sa.Boolean(), nullable=False),
        sa.Column('watch_community', sa.String(20), nullable=False),
        sa.Column('watch_thread', sa.String(20), nullable=False),
        sa.Column('auto_watch', sa.Boolean(), nullable=False),
        sa.Column('digest_sent_at', TS, nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name='fk_notification_settings_user_id_users',
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', name='pk_notification_settings'),
    )
    for table, other, target in (('community_watches', 'community_id', 'communities'),
                                 ('thread_watches', 'thread_id', 'threads')):
        op.create_table(
            table,
            sa.Column('user_id', sa.Integer(), nullable=False),
            sa.Column(other, sa.Integer(), nullable=False),
            sa.Column('level', sa.String(20), nullable=False),
            sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=f'fk_{table}_user_id_users', ondelete='CASCADE'),
            sa.ForeignKeyConstraint([other], [f'{target}.id'], name=f'fk_{table}_{other}_{target}', ondelete='CASCADE'),
            sa.PrimaryKeyConstraint('user_id', other, name=f'pk_{table}'),
        )
        op.create_index(f'ix_{table}_{other}', table, [other])
    op.create_table(
        'post_mentions',
        sa.Column('post_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(10), nullable=False),
        sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name='fk_post_mentions_post_id_posts', ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name='fk_post_mentions_user_id_users', ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('post_id', 'user_id', name='pk_post_mentions'),
    )
    op.create_index('ix_post_mentions_user_id', 'post_mentions', ['user_id'])
    op.create_table(
        'notifications',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(20), nullable=False),
        sa.Column('key', sa.String(80), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('community_id', sa.Integer(), nullable=True),
        sa.Column('thread_id', sa.Integer(), nullable=True),
        sa.Column('post_id', sa.Integer(), nullable=True),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('priority', sa.Integer(), nullable=False),
        sa.Column('created_at', TS, nullable=False),
        sa.Column('read_at', TS, nullable=True),
        sa.Column('email_state', sa.String(10), nullable=False),
        sa.Column('email_due_at', TS, nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name='fk_notifications_user_id_users', ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name='fk_notifications_actor_id_users', ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name='fk_notifications_community_id_communities',
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name='fk_notifications_thread_id_threads',
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name='fk_notifications_post_id_posts', ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name='pk_notifications'),
        sa.UniqueConstraint('user_id', 'key', name='uq_notifications_user_id_key'),
    )
    op.create_index('ix_notifications_user_id_id', 'notifications', ['user_id', 'id'])
    op.create_index('ix_notifications_email_due', 'notifications', ['email_state', 'email_due_at'])
    op.create_index('ix_notifications_post_id', 'notifications', ['post_id'])
    with op.batch_alter_table('outgoing_mail') as batch:
        batch.add_column(sa.Column('html', sa.Text(), nullable=False, server_default=''))
        batch.add_column(sa.Column('headers', sa.JSON(), nullable=True))
    op.execute(
        "INSERT INTO notification_settings (user_id, email, digest, discreet_email, watch_community, watch_thread,"
        " auto_watch) SELECT id, '{\"reply\": \"off\", \"mention\": \"off\", \"quote\": \"off\"}', 'weekly', "
        + ("true, 'normal', 'watching', true" if op.get_bind().dialect.name == "postgresql" else "1, 'normal', 'watching', 1")
        + " FROM users WHERE NOT notify_replies_email")
    with op.batch_alter_table('users') as batch:
        batch.drop_column('notify_replies_email')


def downgrade():
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('notify_replies_email', sa.Boolean(), nullable=False, server_default=sa.true()))
    with op.batch_alter_table('outgoing_mail') as batch:
        batch.drop_column('headers')
        batch.drop_column('html')
    op.drop_table('notifications')
    op.drop_table('post_mentions')
    op.drop_table('thread_watches')
    op.drop_table('community_watches')
    op.drop_table('notification_settings')
