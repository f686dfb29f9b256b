"""two_factor on user_sessions and api_tokens; login_throttles replaces the per-account lockout;
mail_requests; a cap on wrong TOTP codes (users.totp_failures, users.totp_retry_at)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 06:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

# Made after 2FA was last turned on: the login asked for the code (a session) or the request
# carried one (a token). What was made before cannot be told apart, so it keeps no staff powers.
PASSED = ("created_at >= (SELECT users.totp_enabled_at FROM users WHERE users.id = {table}.user_id)")


def upgrade():
    for table in ('user_sessions', 'api_tokens'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('two_factor', sa.Boolean(), nullable=False, server_default=sa.false()))
        op.execute(sa.text(f"UPDATE {table} SET two_factor = :yes WHERE " + PASSED.format(table=table))
                   .bindparams(yes=True))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_failures', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('totp_retry_at', sa.DateTime(timezone=True), nullable=True))
    # Not through batch mode: on SQLite it would copy and drop the users table, and the drop
    # cascades to every session and token. Both databases drop a plain column in place
    # (SQLite since 3.35).
    for column in ('locked_until', 'failed_logins'):
        op.execute(f"ALTER TABLE users DROP COLUMN {column}")
    op.create_table(
        'login_throttles',
        sa.Column('key', sa.String(64), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('retry_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('key', name='pk_login_throttles'),
    )
    op.create_index('ix_login_throttles_retry_at', 'login_throttles', ['retry_at'])
    op.create_table(
        'mail_requests',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(16), nullable=False),
        sa.Column('login', sa.String(254), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name='pk_mail_requests'),
    )


def downgrade():
    op.drop_table('mail_requests')
    op.drop_index('ix_login_throttles_retry_at', table_name='login_throttles')
    op.drop_table('login_throttles')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failed_logins', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True))
    for table, column in (('users', 'totp_retry_at'), ('users', 'totp_failures'),
                          ('api_tokens', 'two_factor'), ('user_sessions', 'two_factor')):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
