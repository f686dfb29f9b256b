"""Crisis alerts: the community's moderators at once, the admins when nobody acknowledges.

Emails say only that a post needs attention and link to the queue item (ids only): the post,
the community and the person stay out of mail."""
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from ..accounts import services as accounts
from ..accounts.models import User
from ..extensions import db
from ..forums.models import Moderator
from ..models_base import utcnow
from .models import ReviewItem

SUBJECT = "Patient Commons: a member may need help now"


def _moderators(community_id):
    # Moderator powers wait for two-factor authentication, and so do their alerts.
    return db.session.scalars(
        sa.select(User).join(Moderator, Moderator.user_id == User.id)
        .where(Moderator.community_id == community_id, User.totp_enabled_at.is_not(None))
    ).all()


def _admins():
    return db.session.scalars(
        sa.select(User).where(User.role == "admin", User.totp_enabled_at.is_not(None))
    ).all()


MODERATORS = "You moderate the community it was posted in."
NO_MODERATORS = "Its community has no moderators with two-factor authentication, so it comes to the site admins."
URGENT = ("It may describe a plan and the means to act on it, or someone else in immediate danger, "
          "so it comes to the site admins at once.")
UNACKNOWLEDGED = "Nobody has acknowledged it yet, so it now goes to the site admins as well."


def _mail(users, item, why):
    link = current_app.config["SITE_URL"].rstrip("/") + f"/moderation/items/{item.id}"
    for user in users:
        accounts.queue_mail(user.email, SUBJECT, (
            f"Hello {user.username},\n\nA post may show that someone is at risk right now. {why}\n\n"
            f"Please open it, check on the member and acknowledge the alert:\n{link}\n\n"
            "This alert repeats until someone acknowledges it.\n"))


def raise_alert(item, community):
    """A new crisis alert. No moderators, or third-party imminent risk: the admins at once."""
    now = utcnow()
    moderators = _moderators(community.id)
    escalate = item.urgent or not moderators
    recipients = {u.id: u for u in moderators}
    if escalate:
        recipients.update({u.id: u for u in _admins()})
        item.escalated_at = now
    _mail(recipients.values(), item, URGENT if item.urgent else NO_MODERATORS if not moderators else MODERATORS)
    item.last_alerted_at = now
    item.alert_count = 1


RULE_SUBJECT = "Patient Commons: a post needs a moderator"


RULE_WHY = "A post matched a rule that asks for a moderator at once."
AT_RISK_WHY = "A member flagged a post because someone may be at risk of harm."


def rule_alert(item, community, why=RULE_WHY):
    """A post needs a moderator now (an escalate rule, a member's at-risk flag): the community's
    moderators (the admins when it has none)."""
    users = _moderators(community.id) or _admins()
    link = current_app.config["SITE_URL"].rstrip("/") + f"/moderation/items/{item.id}"
    for user in users:
        accounts.queue_mail(user.email, RULE_SUBJECT, (
            f"Hello {user.username},\n\n{why}\n\nPlease open it:\n{link}\n"))
    item.last_alerted_at = utcnow()
    item.alert_count = 1


def acknowledge(item, user_id):
    if item.acknowledged_at is None:
        item.acknowledged_at = utcnow()
        item.acknowledged_by = user_id


def escalate_unacknowledged(now=None):
    """Periodic: alerts nobody acknowledged go to the admins, and are repeated until someone does."""
    now = now or utcnow()
    cfg = current_app.config
    escalate_after = timedelta(minutes=cfg["CRISIS_ESCALATE_MINUTES"])
    repeat_every = timedelta(minutes=cfg["CRISIS_REPEAT_MINUTES"])
    items = db.session.scalars(
        sa.select(ReviewItem).where(ReviewItem.kind == "crisis", ReviewItem.status == "open",
                                    ReviewItem.acknowledged_at.is_(None)).with_for_update(skip_locked=True)
    ).all()
    sent = 0
    for item in items:
        if item.escalated_at is None and now - item.created_at < escalate_after:
            continue
        if item.escalated_at is not None and now - item.last_alerted_at < repeat_every:
            continue
        recipients = {u.id: u for u in _moderators(item.community_id)}
        recipients.update({u.id: u for u in _admins()})
        _mail(recipients.values(), item, UNACKNOWLEDGED)
        item.escalated_at = item.escalated_at or now
        item.last_alerted_at = now
        item.alert_count += 1
        sent += 1
    db.session.commit()
    return sent


def open_alert_count(viewer):
    """For the header badge: unacknowledged crisis alerts in the communities this viewer moderates."""
    if not (viewer.is_admin or viewer.moderates):
        return 0
    where = [ReviewItem.kind == "crisis", ReviewItem.status == "open", ReviewItem.acknowledged_at.is_(None)]
    if not viewer.is_admin:
        where.append(ReviewItem.community_id.in_(viewer.moderates))
    return db.session.scalar(sa.select(sa.func.count(ReviewItem.id)).where(*where))
