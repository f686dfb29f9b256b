"""The review queue: what moderators see and do. Authorisation for every item is checked here."""
import sqlalchemy as sa

from ..errors import Forbidden, NotFound, ValidationFailed
from ..extensions import db
from ..forums.models import Community, Post, Thread
from ..models_base import utcnow
from . import alerts, pipeline
from .models import ReviewItem

REASON_MAX = 500


def _require_moderator(viewer):
    if not (viewer.is_admin or viewer.moderates):
        raise Forbidden("The review queue is for moderators (with two-factor authentication turned on).")


def queue(viewer, limit=100):
    """Open items in the communities this viewer moderates (all for admins): crisis alerts first."""
    _require_moderator(viewer)
    stmt = (
        sa.select(ReviewItem, Post, Thread, Community).join(Post, Post.id == ReviewItem.post_id)
        .join(Thread, Thread.id == Post.thread_id).join(Community, Community.id == ReviewItem.community_id)
        .where(ReviewItem.status == "open")
        .order_by(ReviewItem.priority, ReviewItem.acknowledged_at.is_not(None), ReviewItem.created_at)
        .limit(limit)
    )
    if not viewer.is_admin:
        stmt = stmt.where(ReviewItem.community_id.in_(viewer.moderates))
    return db.session.execute(stmt).all()


def get_item(viewer, item_id):
    """(item, post, thread, community); the same answer for missing and not yours."""
    _require_moderator(viewer)
    row = db.session.execute(
        sa.select(ReviewItem, Post, Thread, Community).join(Post, Post.id == ReviewItem.post_id)
        .join(Thread, Thread.id == Post.thread_id).join(Community, Community.id == ReviewItem.community_id)
        .where(ReviewItem.id == item_id)
    ).one_or_none()
    if row is None or not viewer.is_moderator(row.ReviewItem.community_id):
        raise NotFound("No such review item in your communities.")
    return row


def _close(item, viewer, outcome):
    item.status = "closed"
    item.closed_at = utcnow()
    item.closed_by = viewer.user_id
    item.outcome = outcome
    # The unredacted text was kept for this review only.
    item.original_body = None


def acknowledge(viewer, item_id):
    item, post, _, _ = get_item(viewer, item_id)
    if item.kind != "crisis":
        raise ValidationFailed("Only crisis alerts are acknowledged.", {"action": "Not a crisis alert."})
    alerts.acknowledge(item, viewer.user_id)
    _close(item, viewer, "acknowledged")
    db.session.commit()
    return item


def approve(viewer, item_id):
    item, post, _, _ = get_item(viewer, item_id)
    if post.state == "held":
        pipeline.approve(post)
    _close(item, viewer, "approved")
    db.session.commit()
    return item


def reject(viewer, item_id, reason):
    reason = (reason or "").strip()
    if not reason or len(reason) > REASON_MAX:
        raise ValidationFailed("Say why, so the author understands.",
                               {"reason": f"Give a reason (up to {REASON_MAX} characters)."})
    item, post, thread, _ = get_item(viewer, item_id)
    if "crisis" in (post.labels or ()):
        # Crisis is never rejected (DESIGN.md): the post stays held for a moderator to handle.
        raise ValidationFailed("A crisis post is never rejected; keep it held and reach out to the member.",
                               {"action": "Crisis posts cannot be rejected."})
    if post.state == "held":
        post.state = "rejected"
        if post.number == 1:
            thread.state = "rejected"
    _close(item, viewer, "rejected")
    db.session.commit()
    return item


def close_review(viewer, item_id):
    """An identifier review is done: the unredacted text is destroyed."""
    item, _, _, _ = get_item(viewer, item_id)
    _close(item, viewer, "reviewed")
    db.session.commit()
    return item
