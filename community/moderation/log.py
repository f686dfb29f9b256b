"""The staff action log: every moderator, admin and pipeline action, append-only.

Reasons are what staff wrote or the filters' reasons; never a post's text."""
import sqlalchemy as sa

from ..accounts.models import User
from ..errors import Forbidden
from ..extensions import db
from ..forums.models import Community
from .models import Appeal, StaffAction

LOG_PAGE = 100
# Offered by the log page's action filter (which still takes any exact name).
ACTIONS = (
    "appeal.create", "appeal.overturned", "appeal.upheld", "crisis.acknowledge", "escalated.acknowledge",
    "flag.dismiss", "flag.hide", "member.lift_silence", "member.lift_suspend", "member.message", "member.note",
    "member.silence", "member.suspend", "member.warn", "moderator.appoint", "moderator.remove", "notice.remove",
    "pipeline.crisis_alert", "pipeline.hold", "pipeline.publish", "pipeline.redact", "pipeline.reject",
    "post.approve", "post.hide", "post.reject", "post.restore", "review.close", "rule.block", "rule.create",
    "rule.delete", "rule.import", "rule.shadow_hit", "rule.update", "thread.lock", "thread.merge",
    "thread.move_out", "thread.pin", "thread.unlock", "thread.unpin",
)


def record(actor_id, action, target_type, target_id, community_id=None, reason=""):
    """Add an entry in the caller's transaction: the log and the action commit together."""
    entry = StaffAction(actor_id=actor_id, action=action, target_type=target_type, target_id=target_id,
                        community_id=community_id, reason=(reason or "")[:2000])
    db.session.add(entry)
    return entry


def entries(viewer, community_id=None, action=None, before=None, limit=LOG_PAGE):
    """Newest first. Admins see every entry; moderators those of the communities they moderate."""
    if not (viewer.is_admin or viewer.moderates):
        raise Forbidden("The staff log is for moderators (with two-factor authentication turned on) and admins.")
    actor = sa.orm.aliased(User)
    stmt = (sa.select(StaffAction, actor.username.label("actor_name"), Community.name.label("community_name"))
            .outerjoin(actor, actor.id == StaffAction.actor_id)
            .outerjoin(Community, Community.id == StaffAction.community_id)
            .order_by(StaffAction.id.desc()).limit(limit))
    # An appeal is decided by someone other than the one who acted, and unseen by them: its
    # entries (the appeal, the decider's reason) are left out of their log.
    stmt = stmt.outerjoin(Appeal, sa.and_(StaffAction.target_type == "appeal", Appeal.id == StaffAction.target_id)) \
        .where(sa.or_(Appeal.acted_by.is_(None), Appeal.acted_by != viewer.user_id))
    if not viewer.is_admin:
        stmt = stmt.where(StaffAction.community_id.in_(viewer.moderates))
    if community_id:
        stmt = stmt.where(StaffAction.community_id == community_id)
    if action:
        stmt = stmt.where(StaffAction.action == action)
    if before:
        stmt = stmt.where(StaffAction.id < before)
    return db.session.execute(stmt).all()
