"""Crisis alerts: the community's moderators at once, the admins when nobody acknowledges.

Every responsible staff member is e-mailed, whether or not they have two-factor authentication
(those without it are told they must turn it on to open the item). No notification setting is
consulted here, and none may be: a moderator who no longer wants alerts steps down. When there
is nobody at all to tell, the item says so, the staff log records "no recipient", and every
admin page shows a banner until the alert is handled.

Emails say only that a post needs attention and link to the queue item (ids only): the post,
the community and the person stay out of mail."""
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from ..accounts import services as accounts
from ..accounts.models import User
from ..errors import Forbidden
from ..extensions import db
from ..forums.models import BY_NAME, Community, Moderator, Post
from ..models_base import utcnow
from ..notifications import services as notifications
from . import log
from .models import ReviewItem, describe_delivery

SUBJECT = "Patient Commons: a member may need help now"
CHECK_IN_SUBJECT = "Patient Commons: a member may be having a hard time"


def _moderators(community_id, author_id):
    # All of them, 2FA or not; never the post's author (an alert about one's own post goes to others).
    return db.session.scalars(
        sa.select(User).join(Moderator, Moderator.user_id == User.id)
        .where(Moderator.community_id == community_id, User.id != author_id).order_by(User.id)
    ).all()


def _admins(author_id):
    return db.session.scalars(
        sa.select(User).where(User.role == "admin", User.id != author_id).order_by(User.id)
    ).all()


def _author_id(item):
    return db.session.scalar(sa.select(Post.author_id).where(Post.id == item.post_id))


MODERATORS = "You moderate the community it was posted in."
NO_MODERATORS = "Its community has no moderators with two-factor authentication, so it comes to the site admins."
URGENT = ("It may describe a plan and the means to act on it, or someone else in immediate danger, "
          "so it comes to the site admins at once.")
UNACKNOWLEDGED = "Nobody has acknowledged it yet, so it now goes to the site admins as well."
NEEDS_2FA = ("You must turn on two-factor authentication to open it: until then the link will not let you in. "
             "Turn it on here:\n{link}\n\n")


def _deliver(item, moderators, admins, subject, body):
    """E-mail every recipient (body: the text before the link), record who it reached on the item
    and in the staff log, and flag the item when it reached nobody."""
    recipients = {u.id: u for u in moderators}
    admins = [u for u in admins if u.id not in recipients]
    recipients.update({u.id: u for u in admins})
    link = accounts.site_url(f"/moderation/items/{item.id}")
    two_factor = accounts.site_url("/settings/2fa")
    for user in recipients.values():
        # In the centre too, at the top; the e-mail below is this alert's own (no setting governs it).
        notifications.notify(user.id, "crisis_alert", f"crisis:{item.id}:{utcnow().timestamp():.6f}",
                             post_id=item.post_id, community_id=item.community_id, priority=1, email_state="sent")
        accounts.queue_mail(user.email, subject, (
            f"Hello {user.username},\n\n{body}\n{link}\n\n"
            + ("" if user.totp_enabled else NEEDS_2FA.format(link=two_factor))
            + ("This alert repeats until someone acknowledges it.\n"
               if item.kind == "crisis" and (item.urgent or item.escalated_at) else "")))
    item.delivery = {"moderators": len(recipients) - len(admins), "admins": len(admins),
                     "without_2fa": sum(not u.totp_enabled for u in recipients.values())}
    if recipients:
        log.record(None, "alert.sent", "post", item.post_id, item.community_id, describe_delivery(item.delivery))
    else:
        item.no_recipient = True
        log.record(None, "alert.no_recipient", "post", item.post_id, item.community_id,
                   "no recipient: there is no moderator or admin to e-mail")


def raise_alert(item, community):
    """A new crisis alert. No moderator who can open it, or third-party imminent risk: the admins at once."""
    now = utcnow()
    author_id = _author_id(item)
    moderators = _moderators(community.id, author_id)
    able = [u for u in moderators if u.totp_enabled]
    escalate = item.urgent or not able
    if escalate:
        item.escalated_at = now
    why = URGENT if item.urgent else NO_MODERATORS if not able else MODERATORS
    if item.urgent:
        _deliver(item, moderators, _admins(author_id) if escalate else (), SUBJECT,
                 f"A post may show that someone is at risk right now. {why}\n\n"
                 "Please open it, check on the member and acknowledge the alert:")
    else:
        # The check-in lane: one e-mail, no timed escalation (escalate_unacknowledged skips it).
        _deliver(item, moderators, _admins(author_id) if escalate else (), CHECK_IN_SUBJECT,
                 f"A member may be having a hard time. {why}\n\n"
                 "Nothing suggests immediate danger, but a private check-in may help. Please open it:")
    item.last_alerted_at = now
    item.alert_count = 1


RULE_SUBJECT = "Patient Commons: a post needs a moderator"


RULE_WHY = "A post matched a rule that asks for a moderator at once."
AT_RISK_WHY = "A member flagged a post because someone may be at risk of harm."


def rule_alert(item, community, why=RULE_WHY):
    """A post needs a moderator now (an escalate rule, a member's at-risk flag): the community's
    moderators, and the admins when none of them can open it. Delivered like a crisis alert."""
    author_id = _author_id(item)
    moderators = _moderators(community.id, author_id)
    admins = () if any(u.totp_enabled for u in moderators) else _admins(author_id)
    _deliver(item, moderators, admins, RULE_SUBJECT, f"{why}\n\nPlease open it:")
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
        if item.escalated_at is None and (not item.urgent or now - item.created_at < escalate_after):
            continue   # the check-in lane is never escalated on a timer; urgent alerts after escalate_after
        if item.escalated_at is not None and now - item.last_alerted_at < repeat_every:
            continue
        author_id = _author_id(item)
        _deliver(item, _moderators(item.community_id, author_id), _admins(author_id), SUBJECT,
                 f"A post may show that someone is at risk right now. {UNACKNOWLEDGED}\n\n"
                 "Please open it, check on the member and acknowledge the alert:")
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
    # The same rule as the queue's, so the badge never counts an item the queue will not show:
    # items about the viewer's own posts go to someone else.
    where = [ReviewItem.kind == "crisis", ReviewItem.status == "open", ReviewItem.acknowledged_at.is_(None),
             Post.author_id != viewer.user_id]
    if not viewer.is_admin:
        where.append(ReviewItem.community_id.in_(viewer.moderates))
    return db.session.scalar(sa.select(sa.func.count(ReviewItem.id))
                             .join(Post, Post.id == ReviewItem.post_id).where(*where))


def unreached(viewer):
    """For the admins' banner: open alerts that could be sent to nobody, as (count, first item id)."""
    if not viewer.is_admin:
        return 0, None
    row = db.session.execute(sa.select(sa.func.count(ReviewItem.id), sa.func.min(ReviewItem.id)).where(
        ReviewItem.no_recipient.is_(True), ReviewItem.status == "open", ReviewItem.acknowledged_at.is_(None))).one()
    return row[0], row[1]


def coverage(viewer):
    """For the admins' coverage page: each community with its moderators and whether each has 2FA,
    communities no moderator can receive alerts in first; and the admins."""
    if not viewer.is_admin:
        raise Forbidden("The coverage page is for admins.")
    moderators = {}
    for community_id, user in db.session.execute(
            sa.select(Moderator.community_id, User).join(User, User.id == Moderator.user_id).order_by(User.username)):
        moderators.setdefault(community_id, []).append(user)
    rows = []
    for community in db.session.scalars(sa.select(Community).order_by(*BY_NAME)):
        mods = moderators.get(community.id, [])
        rows.append((community, mods, any(u.totp_enabled for u in mods)))
    rows.sort(key=lambda row: row[2])  # stable: by name within each group
    admins = db.session.scalars(sa.select(User).where(User.role == "admin").order_by(User.username)).all()
    return rows, admins
