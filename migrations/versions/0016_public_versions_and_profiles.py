"""posts.public_body and public_html (the version others see while an edit waits to be judged);
users.profile_public (member pages are for signed-in members unless their member opens them)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 06:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_body', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('public_html', sa.Text(), nullable=True))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('profile_public', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('profile_public')
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_column('public_html')
        batch_op.drop_column('public_body')
