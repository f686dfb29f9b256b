"""idempotency_keys: a repeated form or API POST within ten minutes gets the first answer

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-06 12:30:00

"""
from alembic import op
import sqlalchemy as sa

from community.models_base import UTCDateTime


revision = '0012'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'idempotency_keys',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('users.id', ondelete='CASCADE'), nullable=False),
        sa.Column('key', sa.String(255), nullable=False),
        sa.Column('request_hash', sa.String(64), nullable=False),
        sa.Column('method_path', sa.String(300), nullable=False),
        sa.Column('status', sa.Integer(), nullable=True),
        sa.Column('location', sa.String(2000), nullable=True),
        sa.Column('body', sa.Text(), nullable=True),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.UniqueConstraint('user_id', 'key'),
    )
    op.create_index('ix_idempotency_keys_created_at', 'idempotency_keys', ['created_at'])


def downgrade():
    op.drop_index('ix_idempotency_keys_created_at', table_name='idempotency_keys')
    op.drop_table('idempotency_keys')
