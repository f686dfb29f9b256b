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


# Plain ALTER TABLE, not batch mode: on SQLite batch mode may copy and drop a table, and dropping
# users or posts cascades to the rows that point at them (sessions, tokens, revisions).
def upgrade():
    op.add_column('posts', sa.Column('public_body', sa.Text(), nullable=True))
    op.add_column('posts', sa.Column('public_html', sa.Text(), nullable=True))
    op.add_column('users', sa.Column('profile_public', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    op.drop_column('users', 'profile_public')
    op.drop_column('posts', 'public_html')
    op.drop_column('posts', 'public_body')
