"""The review queue: what moderators see and do. Authorisation for every item is checked here,
and every decision goes to the staff log in the same transaction."""
from datetime import timedelta

import sqlalchemy as sa

from ..accounts.models import User
from ..errors import Forbidden, NotFound, ValidationFailed
from ..extensions import db
from ..forums import lifecycle
from ..forums.models import BY_NAME, Community, Post, PostRevision, Thread
from ..markdown import render
from ..models_base import utcnow
from ..notifications import services as notifications
from . import alerts, log, pipeline
from .models import KIND_NAMES, Flag, ReviewItem

REASON_MAX = 500
AGES = {"1h": timedelta(hours=1), "24h": timedelta(hours=24), "7d": timedelta(days=7)}
DECISIONS = ("approve", "reject", "hide", "restore", "acknowledge", "close")


def require_moderator(viewer):
    if not (viewer.is_admin or viewer.moderates):
        raise Forbidden("This is for moderators and admins. If you have just been made a moderator, turn on "
                        "two-factor authentication (Settings → two-factor authentication) to start. If it is "
                        "already on, log out and log in again with your code: a session or token made "
                        "before it was on carries no staff powers.")


def reason_given(reason, required=True):
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX or (required and not reason):
        raise ValidationFailed("Say why: it goes to the staff log (and to the author when a post is rejected).",
                               {"reason": f"Give a reason (up to {REASON_MAX} characters)."})
    return reason


def _item_statement():
    return (sa.select(ReviewItem, Post, Thread, Community).join(Post, Post.id == ReviewItem.post_id)
            .join(Thread, Thread.id == Post.thread_id).join(Community, Community.id == ReviewItem.community_id))


def queue(viewer, community_id=None, kind=None, age=None, limit=100):
    """Open items in the communities this viewer moderates (all for admins): crisis alerts first.
    Filters: a community, a kind, and `age` (only items older than 1h / 24h / 7d: the neglected ones)."""
    require_moderator(viewer)
    stmt = (_item_statement().where(ReviewItem.status == "open")
            .order_by(ReviewItem.priority, ReviewItem.acknowledged_at.is_not(None), ReviewItem.created_at)
            .limit(limit))
    if not viewer.is_admin:
        stmt = stmt.where(ReviewItem.community_id.in_(viewer.moderates))
    # Items about one's own posts go to someone else.
    stmt = stmt.where(Post.author_id != viewer.user_id)
    if community_id:
        stmt = stmt.where(ReviewItem.community_id == community_id)
    if kind:
        if kind not in KIND_NAMES:
            raise ValidationFailed("Unknown kind.", {"kind": "Choose one of: " + ", ".join(KIND_NAMES) + "."})
        stmt = stmt.where(ReviewItem.kind == kind)
    if age:
        if age not in AGES:
            raise ValidationFailed("Unknown age.", {"age": "Choose one of: " + ", ".join(AGES) + "."})
        stmt = stmt.where(ReviewItem.created_at < utcnow() - AGES[age])
    return db.session.execute(stmt).all()


def moderated_communities(viewer):
    require_moderator(viewer)
    stmt = sa.select(Community).order_by(*BY_NAME)
    if not viewer.is_admin:
        stmt = stmt.where(Community.id.in_(viewer.moderates))
    return db.session.scalars(stmt).all()


def get_item(viewer, item_id):
    """(item, post, thread, community); the same answer for missing and not yours."""
    require_moderator(viewer)
    row = db.session.execute(_item_statement().where(ReviewItem.id == item_id)).one_or_none()
    if row is None or not viewer.is_moderator(row.ReviewItem.community_id):
        raise NotFound("No such review item in your communities.")
    if row.Post.author_id == viewer.user_id:
        raise Forbidden("This item is about your own post: another moderator or an admin decides it.")
    return row


def closer_of(item):
    return db.session.scalar(sa.select(User.username).where(User.id == item.closed_by)) if item.closed_by else None


def flags_of(post_id):
    return db.session.execute(
        sa.select(Flag, User.username).join(User, User.id == Flag.user_id).where(Flag.post_id == post_id)
        .order_by(Flag.id)).all()


def _close(item, viewer, outcome):
    item.status = "closed"
    item.closed_at = utcnow()
    item.closed_by = viewer.user_id
    item.outcome = outcome
    # The unredacted text was kept for this review only.
    item.original_body = None


def _close_post_items(post, viewer, outcome, flags):
    """A decision on a post settles every open item about it (crisis alerts excepted) and its flags."""
    for other in db.session.scalars(sa.select(ReviewItem).where(
            ReviewItem.post_id == post.id, ReviewItem.status == "open", ReviewItem.kind != "crisis")):
        _close(other, viewer, outcome)
    db.session.execute(sa.update(Flag).where(Flag.post_id == post.id, Flag.status == "open").values(status=flags))


def tell_author(post, what, text):
    """The author reads the reason on their post and on their standing page; the notification (and
    any e-mail of it) holds only a link, because the reason may speak of their health."""
    post.notices = [n for n in post.notices or () if n["kind"] != "moderator"] + [{"kind": "moderator", "text": text}]
    told(post, what)


def told(post, what):
    """A moderation outcome for the post's author, as a notification (issue 14)."""
    notifications.moderation_outcome(post, f"{what}:{utcnow().timestamp():.6f}")


def decide(viewer, item_id, action, reason="", body=None):
    """approve (optionally after editing the text), reject, hide, restore, acknowledge, close."""
    if action not in DECISIONS:
        raise ValidationFailed("Unknown decision.", {"action": "Choose one of: " + ", ".join(DECISIONS) + "."})
    item, post, thread, community = get_item(viewer, item_id)
    lifecycle.lock(post.id)  # fresh and locked, thread first: the worker may be judging it now
    if item.status != "open" and action != "restore":
        raise ValidationFailed("This item is already closed.", {"action": "Already decided."})
    required = action in ("reject", "hide", "restore")
    reason = reason_given(reason, required)
    target = ("post", post.id, community.id)
    # (hide and restore log themselves: the post's page does them too)
    if action == "acknowledge":
        if item.kind not in ("crisis", "escalated"):
            raise ValidationFailed("Only crisis alerts and escalations are acknowledged.",
                                   {"action": "Not an alert."})
        alerts.acknowledge(item, viewer.user_id)
        _close(item, viewer, "acknowledged")
        log.record(viewer.user_id, f"{item.kind}.acknowledge", *target, reason or "alert acknowledged")
    elif action == "close":
        _close(item, viewer, "reviewed")
        log.record(viewer.user_id, "review.close", *target, reason or f"{KIND_NAMES[item.kind].lower()} reviewed")
    elif action == "approve":
        # Keeping a published post that was flagged dismisses the flags: it was approved once already.
        kept = post.state == "published" and item.kind == "flagged"
        if body is not None and not body.strip():
            # Never read an emptied box as "approve the original": the moderator meant to change it.
            raise ValidationFailed("The edited text is empty.", {"body": (
                "Write the text to publish. To approve the post as its author wrote it, use Approve above.")})
        if body is not None and body.strip() != post.body:
            _edit_as_moderator(viewer, post, body.strip())
        if post.state == "held":
            pipeline.approve(post)
            told(post, "approved")
        elif post.state == "hidden":
            lifecycle.restore(post, thread, community)
            told(post, "restored")
        _close_post_items(post, viewer, "approved", "dismissed")
        if item.kind == "crisis":
            alerts.acknowledge(item, viewer.user_id)
            _close(item, viewer, "approved")
        if kept:
            log.record(viewer.user_id, "flag.dismiss", *target, reason or "flags dismissed; the post stays up")
        else:
            log.record(viewer.user_id, "post.approve", *target,
                       reason or ("approved after editing" if body else "approved"))
    elif action == "reject":
        if "crisis" in (post.labels or ()):
            # Crisis is never rejected (DESIGN.md): the post stays held for a moderator to handle.
            raise ValidationFailed("A crisis post is never rejected; keep it held and reach out to the member.",
                                   {"action": "Crisis posts cannot be rejected."})
        if post.state not in ("held", "pending", "hidden", "published"):
            raise ValidationFailed("This post cannot be rejected now.", {"action": "Not rejectable."})
        lifecycle.reject(post, thread, community)
        _close_post_items(post, viewer, "rejected", "upheld")
        tell_author(post, "rejected",
                    f"A moderator did not publish this post. Their reason: {reason}")
        log.record(viewer.user_id, "post.reject", *target, reason)
    elif action in ("hide", "restore"):
        _hide_or_restore(viewer, post, thread, community, action, reason)
    db.session.commit()
    return item


def _hide_or_restore(viewer, post, thread, community, action, reason):
    hide = action == "hide"
    if action not in ("hide", "restore") or post.state != ("published" if hide else "hidden"):
        raise ValidationFailed("Only a published post can be hidden, and only a hidden one restored.",
                               {"action": f"The post is {post.state}."})
    (lifecycle.hide if hide else lifecycle.restore)(post, thread, community)
    _close_post_items(post, viewer, "hidden" if hide else "restored", "upheld" if hide else "dismissed")
    if hide:
        tell_author(post, "hidden",
                    f"A moderator hid this post. Their reason: {reason}")
    else:
        told(post, "restored")
    log.record(viewer.user_id, f"post.{action}", "post", post.id, community.id, reason)


def _edit_as_moderator(viewer, post, body):
    from ..forums.services import BODY_MAX

    if len(body) > BODY_MAX:
        raise ValidationFailed("That text is too long.", {"body": f"At most {BODY_MAX:,} characters."})
    db.session.add(PostRevision(post_id=post.id, body=post.body, body_html=post.body_html,
                                created_at=post.edited_at or post.created_at))
    post.body = body
    post.body_html = render(body)
    notifications.record_mentions(post)
    post.edited_at = utcnow()
    # A moderator's edit is the reviewed text: the pipeline does not judge it again.
    post.moderated_hash = pipeline.text_hash(body)
    post.moderation_status = "done"
    post.public_body = post.public_html = None
    lifecycle.reindex(post, db.session.get(Thread, post.thread_id))


def _post_row(viewer, post_id):
    row = db.session.execute(
        sa.select(Post, Thread, Community).join(Thread, Thread.id == Post.thread_id)
        .join(Community, Community.id == Thread.community_id).where(Post.id == post_id)).one_or_none()
    if row is None or not viewer.is_moderator(row.Community.id):
        raise NotFound("No such post in your communities.")
    if row.Post.author_id == viewer.user_id:
        raise Forbidden("This is your own post: another moderator or an admin decides about it.")
    return row


def moderate_post_directly(viewer, post_id, action, reason):
    """Hide or restore a post from the thread (not from a queue item)."""
    require_moderator(viewer)
    post, thread, community = _post_row(viewer, post_id)
    _hide_or_restore(viewer, post, thread, community, action, reason_given(reason))
    db.session.commit()
    return post


def remove_notice(viewer, post_id, kind, reason):
    """A moderator removes a notice (the consult reminder, or a rule's) with a logged reason; the
    pipeline does not attach it again to this post."""
    require_moderator(viewer)
    post, _, community = _post_row(viewer, post_id)
    reason = reason_given(reason)
    if kind not in ("consult_reminder",) and not kind.startswith("rule:"):
        raise ValidationFailed("Only the clinician-consult notice and rule notices can be removed.",
                               {"kind": "This notice cannot be removed."})
    if not any(n["kind"] == kind for n in post.notices or ()):
        raise NotFound("This post has no such notice.")
    post.notices = [n for n in post.notices if n["kind"] != kind]
    post.suppressed_notices = sorted(set(post.suppressed_notices or ()) | {kind})
    log.record(viewer.user_id, "notice.remove", "post", post.id, community.id, f"{kind}: {reason}")
    told(post, "notice_removed")
    db.session.commit()
    return post


_WAIT_TTL = 300
_wait_cache = {}


def typical_wait(now=None):
    """How long a held post usually waits, in words, from the queue's last 30 days (the median
    time from hold to decision). Cached per process for a few minutes: only the author of a
    waiting post asks, but it must not cost them a scan of the queue on every view."""
    now = now or utcnow()
    hit = _wait_cache.get("wait")
    if hit and hit[0] > now:
        return hit[1]
    rows = db.session.execute(sa.select(ReviewItem.created_at, ReviewItem.closed_at).where(
        ReviewItem.kind == "held", ReviewItem.closed_at.is_not(None),
        ReviewItem.outcome.in_(("approved", "rejected")),
        ReviewItem.closed_at > now - timedelta(days=30))).all()
    waits = sorted((closed - opened).total_seconds() for opened, closed in rows)
    if not waits:
        text = "We do not have enough recent history to say how long that usually takes."
    else:
        median = waits[len(waits) // 2] if len(waits) % 2 else (waits[len(waits) // 2 - 1] + waits[len(waits) // 2]) / 2
        hours = max(1, round(median / 3600))
        text = f"Moderators usually decide within about {hours} hour{'s' if hours != 1 else ''}."
    _wait_cache["wait"] = (now + timedelta(seconds=_WAIT_TTL), text)
    return text
