"""Periodic repair work: posts whose moderation message was lost get queued again."""
from datetime import timedelta

import sqlalchemy as sa

from .. import dispatch
from ..extensions import db
from ..models_base import utcnow
from .models import Post

STALE_AFTER = timedelta(minutes=5)


def requeue_stale_pending(older_than=STALE_AFTER, limit=500):
    """Queue moderation again for posts still waiting after `older_than`. Returns how many.

    The pipeline is idempotent, so a post whose first message is merely slow is safe too.
    """
    cutoff = utcnow() - older_than
    waiting = sa.or_(Post.state == "pending", Post.moderation_status == "pending")
    last_touch = sa.func.coalesce(Post.edited_at, Post.created_at)
    ids = db.session.scalars(
        sa.select(Post.id).where(waiting, last_touch <= cutoff).order_by(Post.id).limit(limit)
    ).all()
    for post_id in ids:
        dispatch.enqueue("moderation.moderate_post", post_id)
    db.session.commit()
    return len(ids)
