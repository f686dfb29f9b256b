"""Members' flags. Each flag weighs by the flagger's trust (DESIGN.md: new counts half, trusted
double); past a threshold the post is hidden pending review. Flags from new accounts, or from
accounts created together, cannot alone hide a trusted member's post."""
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from ..accounts.models import User
from ..errors import Conflict, Forbidden, ValidationFailed
from ..extensions import db
from ..forums import lifecycle
from ..forums.services import post_row, sanction_refusal
from ..models_base import utcnow
from ..notifications import services as notifications
from . import alerts, log, pipeline
from .models import FLAG_REASONS, PRIORITY, Flag, ReviewItem, Sanction

MESSAGE_MAX = 500
WEIGHTS = {"new": 0.5, "member": 1.0, "trusted": 2.0}
# Accounts made within this window of each other count as one voice.
TOGETHER = timedelta(hours=24)


def trust(user, now=None):
    """new, member or trusted (DESIGN.md's trust levels)."""
    now = now or utcnow()
    if user.is_new:
        return "new"
    if (now - user.created_at).days >= 30 and user.approved_posts >= 20:
        sanctioned = db.session.scalar(sa.select(sa.func.count(Sanction.id)).where(
            Sanction.user_id == user.id, Sanction.kind != "message", Sanction.created_at > now - timedelta(days=90)))
        return "member" if sanctioned else "trusted"
    return "member"


def hide_score(flaggers, author_level):
    """The weight that counts towards hiding. Accounts created within TOGETHER of each other form
    one group and count once (the group's heaviest flag); for a trusted author's post, flags from
    new accounts count nothing."""
    groups = []
    for created_at, weight, level in sorted(flaggers):
        if author_level == "trusted" and level == "new":
            continue
        if groups and created_at - groups[-1][0] <= TOGETHER:
            groups[-1][1] = max(groups[-1][1], weight)
        else:
            groups.append([created_at, weight])
    return sum(weight for _, weight in groups)


def flag_post(viewer, post_id, reason, message=""):
    if not viewer.signed_in:
        raise Forbidden("Log in to flag a post.")
    fields = {}
    reason = (reason or "").strip()
    message = (message or "").strip()
    if reason not in FLAG_REASONS:
        fields["reason"] = "Choose what is wrong with the post."
    if len(message) > MESSAGE_MAX:
        fields["message"] = f"At most {MESSAGE_MAX} characters."
    elif reason == "other" and not message:
        fields["message"] = "Tell the moderators what is wrong."
    if fields:
        raise ValidationFailed("Please correct the highlighted fields.", fields)
    post, thread, community = post_row(viewer, post_id)
    if post.state != "published":
        raise ValidationFailed("Only published posts can be flagged.", {"reason": "This post is not published."})
    if post.author_id == viewer.user_id:
        raise Forbidden("You cannot flag your own post; edit or delete it instead.")
    flagger = db.session.get(User, viewer.user_id)
    refusal = sanction_refusal(flagger, community.id)
    if refusal:
        # A silence stops flags too: they would be a way round it (reports as harassment).
        raise Forbidden(refusal.replace("cannot post", "cannot post or flag posts")
                        + " If someone is in danger now, call your local emergency number.")
    if db.session.scalar(sa.select(Flag.id).where(Flag.post_id == post.id, Flag.user_id == flagger.id)):
        raise Conflict("You have already flagged this post; the moderators will look at it.")
    level = trust(flagger)
    flag = Flag(post_id=post.id, user_id=flagger.id, reason=reason, message=message, weight=WEIGHTS[level])
    db.session.add(flag)
    try:
        db.session.flush()
    except sa.exc.IntegrityError:
        # The same member's flag from a second request at the same moment.
        db.session.rollback()
        raise Conflict("You have already flagged this post; the moderators will look at it.") from None
    item = _open_item(post, community)
    item.reasons = sorted(set(item.reasons or ()) | {f"Flagged: {FLAG_REASONS[reason].lower()}"})
    if reason == "at_risk":
        # Not a complaint about the post: a person may need help. Top of the queue, moderators
        # e-mailed, and it never counts towards hiding the post.
        first = item.priority != 0
        item.priority = 0
        if first:
            alerts.rule_alert(item, community, alerts.AT_RISK_WHY)
    else:
        notifications.flagged(flag.id, post, thread)
    _maybe_hide(post, thread, community)
    db.session.commit()
    return flag


def _open_item(post, community):
    item = db.session.scalar(sa.select(ReviewItem).where(
        ReviewItem.post_id == post.id, ReviewItem.kind == "flagged", ReviewItem.status == "open"))
    if item is None:
        item = ReviewItem(post_id=post.id, community_id=community.id, kind="flagged", priority=PRIORITY["flagged"],
                          text_hash=pipeline.text_hash(f"flags:{post.id}:{utcnow().isoformat()}"), reasons=[],
                          spans=[])
        db.session.add(item)
        db.session.flush()
    return item


def _maybe_hide(post, thread, community):
    rows = db.session.execute(
        sa.select(User, Flag.weight).join(Flag, Flag.user_id == User.id)
        .where(Flag.post_id == post.id, Flag.status == "open", Flag.reason != "at_risk")).all()
    author = db.session.get(User, post.author_id)
    author_level = trust(author)
    score = hide_score([(u.created_at, w, trust(u)) for u, w in rows], author_level)
    if score >= current_app.config["FLAG_HIDE_THRESHOLD"] and lifecycle.lock(post.id)[0].state == "published":
        lifecycle.hide(post, thread, community)
        log.record(None, "flag.hide", "post", post.id, community.id,
                   f"hidden pending review: flag weight {score:g} reached {current_app.config['FLAG_HIDE_THRESHOLD']:g}")
