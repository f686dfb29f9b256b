"""Thread tools (lock, pin, move, merge) and member tools (warn, silence, suspend, notes).

Moderators act in the communities they moderate; moving needs both communities; suspending
is for admins. Every action goes to the staff log with its reason."""
from datetime import timedelta

import sqlalchemy as sa

from ..accounts import services as accounts
from ..accounts.models import User
from ..errors import Forbidden, NotFound, ValidationFailed
from ..extensions import db
from ..forums import lifecycle
from ..forums.models import Community, Post, Thread
from ..forums.visibility import bump_memberships
from ..models_base import utcnow
from ..notifications import services as notifications
from . import log
from .models import MemberNote, ReviewItem, Sanction
from .services import reason_given, require_moderator

DURATIONS = {"1d": timedelta(days=1), "3d": timedelta(days=3), "7d": timedelta(days=7),
             "30d": timedelta(days=30), "forever": None}
THREAD_ACTIONS = ("lock", "unlock", "pin", "unpin", "move", "merge")
NOTE_MAX = 1000


def _thread(viewer, thread_id):
    require_moderator(viewer)
    thread = db.session.get(Thread, thread_id)
    if thread is None or not viewer.is_moderator(thread.community_id) or thread.merged_into_id:
        raise NotFound("No such thread in your communities.")
    return thread


def thread_action(viewer, thread_id, action, reason="", target=None):
    """lock / unlock / pin / unpin; move (target: a community slug); merge (target: a thread id)."""
    if action not in THREAD_ACTIONS:
        raise ValidationFailed("Unknown action.", {"action": "Choose one of: " + ", ".join(THREAD_ACTIONS) + "."})
    thread = _thread(viewer, thread_id)
    reason = reason_given(reason, required=action in ("move", "merge"))
    if action in ("lock", "unlock"):
        thread.locked = action == "lock"
    elif action in ("pin", "unpin"):
        thread.pinned = action == "pin"
    elif action == "move":
        _move(viewer, thread, target)
    else:
        return _merge(viewer, thread, target, reason)
    log.record(viewer.user_id, f"thread.{action}", "thread", thread.id, thread.community_id,
               reason or action)
    db.session.commit()
    return thread


def _move(viewer, thread, slug):
    to = db.session.scalar(sa.select(Community).where(Community.slug == (slug or "").strip()))
    if to is None:
        raise ValidationFailed("Choose the community to move it to.", {"target": "No such community."})
    if to.id == thread.community_id:
        raise ValidationFailed("The thread is already there.", {"target": "Choose another community."})
    if not viewer.is_moderator(to.id):
        raise Forbidden("Moving a thread needs you to moderate both communities (or an admin).")
    old = db.session.get(Community, thread.community_id)
    if thread.state == "published":
        old.thread_count = Community.thread_count - 1
        to.thread_count = Community.thread_count + 1
    log.record(viewer.user_id, "thread.move_out", "thread", thread.id, old.id, f"moved to {to.name}")
    thread.community_id = to.id
    db.session.execute(sa.update(ReviewItem).where(
        ReviewItem.post_id.in_(sa.select(Post.id).where(Post.thread_id == thread.id))).values(community_id=to.id))


def _merge(viewer, thread, target, reason):
    """Move every post of `thread` to the end of the target thread; the duplicate redirects there."""
    try:
        into = _thread(viewer, int(str(target).strip().lstrip("#")))
    except (TypeError, ValueError, NotFound):
        raise ValidationFailed("Give the number of the thread to merge into.",
                               {"target": "No such thread in your communities."}) from None
    if into.id == thread.id or into.community_id != thread.community_id:
        raise ValidationFailed("Merge into another thread of the same community.",
                               {"target": "Choose another thread of this community."})
    lifecycle.merge(thread, into, db.session.get(Community, thread.community_id))
    log.record(viewer.user_id, "thread.merge", "thread", thread.id, thread.community_id,
               f"merged into thread #{into.id}: {reason}")
    db.session.commit()
    return into


# ---------------------------------------------------------------- members

def _member(user_id):
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("No such member.")
    return user


def _community_scope(viewer, community_id):
    require_moderator(viewer)
    if community_id is None or not viewer.is_moderator(community_id):
        raise NotFound("No such community among those you moderate.")
    return db.session.get(Community, community_id)


def _is_staff_of(user, community_id):
    from ..forums.models import Moderator

    return user.role == "admin" or db.session.scalar(sa.select(Moderator.id).where(
        Moderator.user_id == user.id, Moderator.community_id == community_id)) is not None


def member_record(viewer, user_id, community_id):
    """What moderators of this community know of a member: sanctions and notes (theirs and site-wide).
    Not one's own record: notes about a moderator are for the others."""
    community = _community_scope(viewer, community_id)
    user = _member(user_id)
    if user.id == viewer.user_id:
        raise NotFound("Your own record is for the other moderators and the admins.")
    scope = sa.or_(Sanction.community_id == community.id, Sanction.community_id.is_(None))
    rows = db.session.execute(sa.select(Sanction, User.username).outerjoin(User, User.id == Sanction.created_by)
                              .where(Sanction.user_id == user.id, scope).order_by(Sanction.id.desc())).all()
    notes = db.session.execute(
        sa.select(MemberNote, User.username).outerjoin(User, User.id == MemberNote.author_id)
        .where(MemberNote.user_id == user.id, MemberNote.community_id == community.id)
        .order_by(MemberNote.id.desc())).all()
    # A private message is no sanction: listed apart, as (message, sender's name).
    sanctions = [s for s, _ in rows if s.kind != "message"]
    messages = [(s, sender) for s, sender in rows if s.kind == "message"]
    return community, user, sanctions, messages, notes


def _notify(user, entry):
    """The member reads it on /account/standing; the notification (and any e-mail) only says there is one."""
    notifications.notify(user.id, "moderation", f"sanction:{entry.id}")


def sanction(viewer, user_id, community_id, kind, rule="", message="", duration="7d"):
    """message (private, no sanction: e.g. checking on someone after a crisis alert), warn (a private
    message naming the rule broken), silence in this community, suspend (admins)."""
    community = _community_scope(viewer, community_id)
    user = _member(user_id)
    fields = {}
    rule, message = (rule or "").strip(), (message or "").strip()
    if kind not in ("message", "warn", "silence", "suspend"):
        fields["kind"] = "Choose a message, a warning, silence or suspend."
    if len(rule) > 200 or (kind != "message" and not rule):
        fields["rule"] = "Name the rule that was broken (up to 200 characters)."
    if len(message) > 2000:
        fields["message"] = "At most 2,000 characters."
    elif kind in ("message", "warn") and not message:
        fields["message"] = "Write the message the member will read."
    if kind != "warn" and duration not in DURATIONS:
        fields["duration"] = "Choose how long: " + ", ".join(DURATIONS) + "."
    if fields:
        raise ValidationFailed("Please correct the highlighted fields.", fields)
    if kind == "suspend" and not viewer.is_admin:
        raise Forbidden("Only admins suspend accounts; a moderator can silence in their community.")
    if user.id == viewer.user_id:
        raise Forbidden("You cannot sanction yourself.")
    if kind != "message" and not viewer.is_admin and _is_staff_of(user, community.id):
        raise Forbidden("Moderators cannot warn, silence or suspend another moderator or an admin; ask an admin.")
    span = DURATIONS.get(duration) if kind in ("silence", "suspend") else None
    entry = Sanction(user_id=user.id, community_id=None if kind == "suspend" else community.id, kind=kind,
                     rule=rule, message=message, created_by=viewer.user_id,
                     ends_at=utcnow() + span if span else None)
    db.session.add(entry)
    db.session.flush()
    how_long = "" if kind in ("message", "warn") else f" for {duration}" if span else " until lifted"
    # A private message's words stay between the moderators and the member (it may speak of their health).
    log.record(viewer.user_id, f"member.{kind}", "user", user.id, community.id,
               "private message sent" if kind == "message" else f"{rule}{how_long}")
    _notify(user, entry)
    db.session.commit()
    return entry


def lift(viewer, sanction_id, reason):
    entry = db.session.get(Sanction, sanction_id)
    if entry is None or entry.kind in ("message", "warn"):
        raise NotFound("No such silence or suspension.")
    if entry.community_id is None:
        if not viewer.is_admin:
            raise NotFound("No such silence or suspension in your communities.")
    elif not viewer.is_moderator(entry.community_id):
        raise NotFound("No such silence or suspension in your communities.")
    reason = reason_given(reason)
    entry.lifted_at = utcnow()
    if entry.community_id is None:
        user = db.session.get(User, entry.user_id)
        user.silenced_at = None
    log.record(viewer.user_id, f"member.lift_{entry.kind}", "user", entry.user_id, entry.community_id, reason)
    db.session.commit()
    return entry


def add_note(viewer, user_id, community_id, body):
    community = _community_scope(viewer, community_id)
    user = _member(user_id)
    body = (body or "").strip()
    if not body or len(body) > NOTE_MAX:
        raise ValidationFailed("Write the note.", {"body": f"Write the note (up to {NOTE_MAX} characters)."})
    note = MemberNote(user_id=user.id, community_id=community.id, author_id=viewer.user_id, body=body)
    db.session.add(note)
    db.session.flush()
    # The log says a note was added, not what it says: notes are for this community's moderators.
    log.record(viewer.user_id, "member.note", "user", user.id, community.id, "note added")
    db.session.commit()
    return note


def standing(user_id):
    """The member's own page: warnings, silences and suspensions, rejected and hidden posts."""
    sanctions = db.session.execute(
        sa.select(Sanction, Community.name).outerjoin(Community, Community.id == Sanction.community_id)
        .where(Sanction.user_id == user_id).order_by(Sanction.id.desc())).all()
    posts = db.session.execute(
        sa.select(Post, Thread.title).join(Thread, Thread.id == Post.thread_id)
        .where(Post.author_id == user_id, Post.state.in_(("rejected", "hidden"))).order_by(Post.id.desc())).all()
    return sanctions, posts


# ---------------------------------------------------------------- appointing moderators (admins)

def moderators(viewer, community_id):
    """(user, has_2fa) for each moderator of a community; admins only."""
    if not viewer.is_admin:
        raise Forbidden("Admins appoint moderators.")
    from ..forums.models import Moderator

    return [(user, user.totp_enabled) for user in db.session.scalars(
        sa.select(User).join(Moderator, Moderator.user_id == User.id)
        .where(Moderator.community_id == community_id).order_by(User.username))]


def _candidate(viewer, community_id, username):
    from ..forums.models import Moderator

    if not viewer.is_admin:
        raise Forbidden("Admins appoint moderators.")
    community = db.session.get(Community, community_id)
    if community is None:
        raise NotFound("No such community.")
    user = db.session.scalar(sa.select(User).where(sa.func.lower(User.username) == (username or "").strip().lower()))
    if user is None:
        raise ValidationFailed("No member with that username.", {"username": "No member with that username."})
    if db.session.scalar(sa.select(Moderator.id).where(Moderator.user_id == user.id,
                                                       Moderator.community_id == community.id)):
        raise ValidationFailed("Already a moderator here.", {"username": f"{user.username} already moderates it."})
    return community, user


APPOINT_MIN_DAYS = 30
APPOINT_MIN_POSTS = 5
APPOINT_LOOKBACK = timedelta(days=90)


def appointment_check(viewer, community_id, username, now=None):
    """What an admin should see before appointing: the account's age, approved posts, and the
    sanctions and crisis alerts about their own posts in the last 90 days, with what is worrying."""
    community, user = _candidate(viewer, community_id, username)
    now = now or utcnow()
    since = now - APPOINT_LOOKBACK
    sanctions = db.session.scalars(sa.select(Sanction).where(
        Sanction.user_id == user.id, Sanction.kind != "message", Sanction.created_at > since)
        .order_by(Sanction.id.desc())).all()
    crisis_alerts = db.session.scalar(sa.select(sa.func.count(ReviewItem.id)).join(Post, Post.id == ReviewItem.post_id)
                                      .where(ReviewItem.kind == "crisis", Post.author_id == user.id,
                                             ReviewItem.created_at > since))
    age_days = (now - user.created_at).days
    worries = []
    if age_days < APPOINT_MIN_DAYS:
        worries.append(f"The account is under {APPOINT_MIN_DAYS} days old.")
    if user.approved_posts < APPOINT_MIN_POSTS:
        worries.append(f"Fewer than {APPOINT_MIN_POSTS} approved posts.")
    if sanctions:
        worries.append("Sanctioned in the last 90 days.")
    if crisis_alerts:
        worries.append("Their own posts raised a crisis alert in the last 90 days: moderating may be a heavy load "
                       "for them right now. Consider asking how they are first.")
    return {"community": community, "user": user, "age_days": age_days, "approved_posts": user.approved_posts,
            "sanctions": sanctions, "crisis_alerts": crisis_alerts, "worries": worries}


def appoint(viewer, community_id, username, reason=""):
    """Make a member a moderator of one community. Their powers wait for two-factor authentication;
    they are e-mailed either way (and told so)."""
    from ..forums.models import Moderator

    community, user = _candidate(viewer, community_id, username)
    db.session.add(Moderator(user_id=user.id, community_id=community.id))
    bump_memberships(user.id)
    log.record(viewer.user_id, "moderator.appoint", "user", user.id, community.id,
               (reason or "appointed") + ("" if user.totp_enabled else "; powers wait for two-factor authentication"))
    # No community name: it would say which condition the community is about.
    waits = "" if user.totp_enabled else (
        "Your moderator powers wait until you turn on two-factor authentication, which keeps members' "
        f"posts safe if your password is ever stolen. Turn it on here:\n{accounts.site_url('/settings/2fa')}\n\n")
    accounts.queue_mail(user.email, "Patient Commons: you are now a moderator", (
        f"Hello {user.username},\n\nAn admin has made you a moderator of a community on Patient Commons. "
        "Thank you for looking after it.\n\n" + waits
        + f"Your review queue:\n{accounts.site_url('/moderation')}\n\n"
        "Moderators receive crisis alerts by e-mail; no setting turns them off. If you no longer want them, "
        "ask an admin to step you down.\n"))
    db.session.commit()
    return user


def dismiss(viewer, community_id, user_id, reason):
    from ..forums.models import Moderator

    if not viewer.is_admin:
        raise Forbidden("Admins appoint moderators.")
    reason = reason_given(reason)
    row = db.session.scalar(sa.select(Moderator).where(Moderator.user_id == user_id,
                                                       Moderator.community_id == community_id))
    if row is None:
        raise NotFound("Not a moderator of this community.")
    db.session.delete(row)
    bump_memberships(user_id)
    log.record(viewer.user_id, "moderator.remove", "user", user_id, community_id, reason)
    db.session.commit()
