"""Periodic repair work: posts whose moderation message was lost get queued again.

A message is lost when the worker running it dies whole (SIGKILL, OOM, the machine): Redis would
hand it back only after the visibility timeout (an hour, which must exceed any task's run time and
retry delay). So beat runs this sweep every 15 s for posts waiting over STALE_AFTER, and a post is
queued again at most once per REQUEUE_EVERY: a backlog waiting for a worker is not multiplied.
"""
from datetime import timedelta

import sqlalchemy as sa

from .. import dispatch
from ..extensions import db
from ..models_base import utcnow
from .models import WAITING, Post

STALE_AFTER = timedelta(seconds=30)
REQUEUE_EVERY = timedelta(minutes=5)


def requeue_stale_pending(older_than=STALE_AFTER, again_after=REQUEUE_EVERY, limit=500):
    """Queue moderation again for posts still waiting after `older_than`. Returns how many.

    The pipeline is idempotent, so a post whose first message is merely slow is safe too.
    """
    now = utcnow()
    last_touch = sa.func.coalesce(Post.edited_at, Post.created_at)
    ids = db.session.scalars(
        sa.select(Post.id).where(sa.text(f"({WAITING})"), last_touch <= now - older_than,
                                 sa.or_(Post.requeued_at.is_(None), Post.requeued_at <= now - again_after))
        .order_by(Post.id).limit(limit)
    ).all()
    if ids:
        db.session.execute(sa.update(Post).where(Post.id.in_(ids)).values(requeued_at=now))
    for post_id in ids:
        dispatch.enqueue("moderation.moderate_post", post_id)
    db.session.commit()
    return len(ids)
