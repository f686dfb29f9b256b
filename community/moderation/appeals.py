"""Appeals: a member whose post was rejected or hidden, or who was silenced or suspended, may appeal once.
The appeal goes to the community's other moderators and the admins — never to whoever acted."""
import sqlalchemy as sa

from ..accounts.models import User
from ..errors import Conflict, Forbidden, NotFound, ValidationFailed
from ..extensions import db
from ..forums.models import Community, Moderator, Post, Thread
from ..models_base import utcnow
from ..notifications import services as notifications
from . import log
from .models import Appeal, Sanction, StaffAction
from ..forums import lifecycle
from .services import reason_given, require_moderator

MESSAGE_MAX = 1000


def _rejected_by(post_id):
    """Who rejected the post: the moderator who closed its review, or None (the pipeline)."""
    return db.session.scalar(
        sa.select(StaffAction.actor_id).where(StaffAction.target_type == "post", StaffAction.target_id == post_id,
                                              StaffAction.action.in_(("post.reject", "pipeline.reject", "post.hide",
                                                                      "flag.hide")))
        .order_by(StaffAction.id.desc()).limit(1))


def deciders(appeal):
    """Who may decide: the community's moderators with 2FA, and the admins, less the one who acted."""
    users = {}
    if appeal.community_id is not None:
        for user in db.session.scalars(sa.select(User).join(Moderator, Moderator.user_id == User.id).where(
                Moderator.community_id == appeal.community_id, User.totp_enabled_at.is_not(None))):
            users[user.id] = user
    for user in db.session.scalars(sa.select(User).where(User.role == "admin", User.totp_enabled_at.is_not(None))):
        users[user.id] = user
    users.pop(appeal.acted_by, None)
    users.pop(appeal.user_id, None)
    return list(users.values())


def create(viewer, kind, target_id, message):
    if not viewer.signed_in:
        raise Forbidden("Log in to appeal.")
    message = (message or "").strip()
    fields = {}
    if kind not in ("rejection", "sanction"):
        fields["kind"] = "Appeal a rejected post (rejection) or a silence or suspension (sanction)."
    if not message or len(message) > MESSAGE_MAX:
        fields["message"] = f"Tell the moderators why (up to {MESSAGE_MAX} characters)."
    if fields:
        raise ValidationFailed("Please correct the highlighted fields.", fields)
    if kind == "rejection":
        row = db.session.execute(sa.select(Post, Thread).join(Thread, Thread.id == Post.thread_id)
                                 .where(Post.id == target_id)).one_or_none()
        if row is None or row.Post.author_id != viewer.user_id or row.Post.state not in ("rejected", "hidden"):
            raise NotFound("No rejected or hidden post of yours with that number.")
        community_id, acted_by = row.Thread.community_id, _rejected_by(row.Post.id)
    else:
        entry = db.session.get(Sanction, target_id)
        if entry is None or entry.user_id != viewer.user_id or not entry.active():
            raise NotFound("No silence or suspension of yours in force with that number.")
        community_id, acted_by = entry.community_id, entry.created_by
        if community_id is None and entry.kind == "silence":
            # The pipeline's site-wide silence: the community of the post that caused it decides.
            community_id = db.session.scalar(
                sa.select(Thread.community_id).join(Post, Post.thread_id == Thread.id)
                .where(Post.author_id == viewer.user_id, Post.state == "rejected").order_by(Post.id.desc()).limit(1))
    if db.session.scalar(sa.select(Appeal.id).where(Appeal.kind == kind, Appeal.target_id == target_id)):
        raise Conflict("You have already appealed this decision; each decision can be appealed once.")
    appeal = Appeal(user_id=viewer.user_id, kind=kind, target_id=target_id, community_id=community_id,
                    acted_by=acted_by, message=message)
    db.session.add(appeal)
    try:
        db.session.flush()
    except sa.exc.IntegrityError:
        db.session.rollback()
        raise Conflict("You have already appealed this decision; each decision can be appealed once.") from None
    log.record(viewer.user_id, "appeal.create", "appeal", appeal.id, community_id, f"{kind} #{target_id}")
    for user in deciders(appeal):
        notifications.notify(user.id, "appeal", f"appeal:decide:{appeal.id}", community_id=community_id)
    db.session.commit()
    return appeal


def _may_decide(viewer, appeal):
    if viewer.user_id == appeal.acted_by or viewer.user_id == appeal.user_id:
        return False
    return viewer.is_admin or (appeal.community_id is not None and viewer.is_moderator(appeal.community_id))


def open_appeals(viewer):
    require_moderator(viewer)
    stmt = sa.select(Appeal, User.username).join(User, User.id == Appeal.user_id).where(Appeal.status == "open")
    if not viewer.is_admin:
        stmt = stmt.where(Appeal.community_id.in_(viewer.moderates))
    stmt = stmt.where(sa.or_(Appeal.acted_by.is_(None), Appeal.acted_by != viewer.user_id))
    return db.session.execute(stmt.order_by(Appeal.id)).all()


def get(viewer, appeal_id):
    require_moderator(viewer)
    appeal = db.session.get(Appeal, appeal_id)
    if appeal is None or not _may_decide(viewer, appeal):
        raise NotFound("No such appeal for you to decide.")
    return appeal


def decide(viewer, appeal_id, outcome, reason):
    """upheld (the decision stands) or overturned (the post is published / the sanction lifted)."""
    appeal = get(viewer, appeal_id)
    fields = {}
    if outcome not in ("upheld", "overturned"):
        fields["outcome"] = "Choose uphold or overturn."
    try:
        reason = reason_given(reason)
    except ValidationFailed as exc:
        fields.update(exc.fields)
    if fields:
        raise ValidationFailed("Please correct the highlighted fields.", fields)
    if appeal.status != "open":
        raise ValidationFailed("This appeal is already decided.", {"outcome": "Already decided."})
    appeal.status, appeal.decided_by, appeal.decision_reason, appeal.decided_at = (
        outcome, viewer.user_id, reason, utcnow())
    if outcome == "overturned":
        if appeal.kind == "rejection":
            post, thread = lifecycle.lock(appeal.target_id)
            community = db.session.get(Community, thread.community_id)
            if post.state == "rejected":
                lifecycle.publish(post, thread, community)
            elif post.state == "hidden":
                lifecycle.restore(post, thread, community)
            post.notices = [n for n in post.notices or () if n["kind"] != "moderator"]
        else:
            entry = db.session.get(Sanction, appeal.target_id)
            entry.lifted_at = utcnow()
            if entry.community_id is None:
                db.session.get(User, entry.user_id).silenced_at = None
    log.record(viewer.user_id, f"appeal.{outcome}", "appeal", appeal.id, appeal.community_id, reason)
    notifications.notify(appeal.user_id, "appeal", f"appeal:decided:{appeal.id}")
    db.session.commit()
    return appeal


def mine(user_id):
    return db.session.scalars(sa.select(Appeal).where(Appeal.user_id == user_id).order_by(Appeal.id.desc())).all()


def details(appeal):
    """What the decider needs: who appeals, what was decided, where, by whom and why."""
    def name(user_id):
        return db.session.scalar(sa.select(User.username).where(User.id == user_id)) if user_id else None

    community = db.session.get(Community, appeal.community_id) if appeal.community_id else None
    out = {"member": name(appeal.user_id), "community": community.name if community else "site-wide",
           "acted_by": name(appeal.acted_by) or "the moderation pipeline", "post": None, "sanction": None}
    if appeal.kind == "rejection":
        out["post"] = db.session.get(Post, appeal.target_id)
    else:
        out["sanction"] = db.session.get(Sanction, appeal.target_id)
    return out
