"""CHECK constraints on posts.state and threads.state: a misspelt state can no longer be stored

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 13:40:00

"""
from alembic import op


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

POST_STATES = ("pending", "published", "held", "rejected", "hidden", "deleted")
THREAD_STATES = POST_STATES + ("merged",)


def _one_of(states):
    return "state IN (" + ", ".join(f"'{s}'" for s in states) + ")"


def upgrade():
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.create_check_constraint(op.f('ck_posts_state'), _one_of(POST_STATES))
    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.create_check_constraint(op.f('ck_threads_state'), _one_of(THREAD_STATES))


def downgrade():
    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_threads_state'), type_='check')
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_posts_state'), type_='check')
