"""Notifications (issue 14): watch levels, events, the centre, e-mail and digests.

Channel privacy: an inbox is read by others, and a community's name or a thread's title says what
someone lives with. E-mail is discreet by default (a count and a link); a member who turns that
off gets the community, title and a short excerpt only of posts in public communities that are
published, not limited to members, and carry neither a crisis nor an identifier label. Every
notification is checked against the visibility rule again when it is shown or mailed.
"""
import re
import zoneinfo
from datetime import datetime, time, timedelta

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from markupsafe import escape

from .. import dispatch
from ..accounts.models import User, UserSession
from ..errors import Forbidden, NotFound, ValidationFailed
from ..extensions import db
from ..forums.models import POSTS_PER_PAGE, Community, Ignore, Post, Reaction, Thread
from ..forums import visibility
from ..markdown import plain_text
from ..moderation.filters import CONSULT_NOTICE
from ..models_base import utcnow
from . import mail as mailer
from .models import (DIGESTS, EMAIL_MODES, KINDS, LEVELS, CommunityWatch, Notification, NotificationSettings,
                     PostMention, ThreadWatch)

# Defaults (issue 14): in-app for everything; e-mail for replies, mentions and moderation outcomes
# only when away; a weekly digest. Crisis alerts are always mailed and no setting changes that.
EMAIL_DEFAULTS = {"reply": "away", "mention": "away", "quote": "away", "posted": "off", "new_thread": "off",
                  "reaction": "off", "moderation": "away", "appeal": "away", "flag": "away", "queue": "off",
                  "crisis_alert": "always"}
FIXED = ("crisis_alert",)
SETTABLE = tuple(k for k in KINDS if k not in FIXED)
AWAY = timedelta(minutes=10)        # "only when I'm away": not seen for this long
MAX_MENTIONS = 20
READ_KEPT = timedelta(days=90)      # read notifications older than this are pruned
UNSUBSCRIBE_DAYS = 60
PAGE = 30
COUNT_CAP = 99                      # the header shows "99+" beyond this: the count stays one cheap query
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
SUBJECT = "You have new activity on Patient Commons"

# What each kind says, in the centre and (discreetly) in e-mail: no names of places, no text.
PHRASES = {
    "reply": "replied to your thread", "mention": "mentioned you", "quote": "quoted your post",
    "posted": "posted in a thread you watch", "new_thread": "started a thread in a community you watch",
    "reaction": "reacted to your post", "moderation": "A moderator made a decision about your post",
    "appeal": "There is news about an appeal", "crisis_alert": "Crisis alert: a member may be at risk",
    "flag": "A post was flagged", "queue": "New items in the review queue",
}
DISCREET = {
    "reply": "a reply to your thread", "mention": "a mention of you", "quote": "a quote of your post",
    "posted": "a new post in a thread you watch", "new_thread": "a new thread in a community you watch",
    "reaction": "reactions to your post", "moderation": "a moderation decision about your post",
    "appeal": "news about an appeal", "crisis_alert": "a crisis alert", "flag": "a flagged post",
    "queue": "new items in the review queue",
}


def enabled():
    return current_app.config.get("NOTIFICATIONS_ENABLED", True)


# ------------------------------------------------------------------ settings

def _row(user_id):
    return db.session.get(NotificationSettings, user_id)


def _defaults(user_id=None):
    """A member's settings before they change any (not added to the session)."""
    return NotificationSettings(user_id=user_id, email={}, digest="weekly", discreet_email=True,
                                watch_community="normal", watch_thread="watching", auto_watch=True)


def settings_of(user_id):
    """The API's shape (GET /api/v1/me/notification-settings), defaults filled in."""
    row = _row(user_id) or _defaults()
    user = db.session.get(User, user_id)
    email = {kind: (row.email or {}).get(kind, EMAIL_DEFAULTS[kind]) for kind in SETTABLE}
    quiet = {"start": row.quiet_start, "end": row.quiet_end} if row.quiet_start else None
    return {"email": email, "digest": row.digest, "quiet_hours": quiet, "timezone": user.time_zone,
            "discreet_email": row.discreet_email,
            "watch_defaults": {"community": row.watch_community, "thread": row.watch_thread},
            "auto_watch_on_reply": row.auto_watch}


def _clean(data):
    """(values, fields): every problem named, nothing applied."""
    from ..accounts.services import is_time_zone

    fields, values = {}, {}
    if not isinstance(data, dict):
        raise ValidationFailed("Send a JSON object.", {"body": "Expected an object."})
    unknown = set(data) - {"email", "digest", "quiet_hours", "timezone", "discreet_email", "watch_defaults",
                           "auto_watch_on_reply"}
    for key in unknown:
        fields[key] = "Unknown setting."
    if "email" in data:
        email = data["email"]
        if not isinstance(email, dict):
            fields["email"] = "An object of kind: mode."
        else:
            bad = [k for k in email if k not in SETTABLE]
            if bad:
                fields["email"] = f"Unknown kind: {', '.join(sorted(map(str, bad)))}. Kinds: {', '.join(SETTABLE)}."
            elif any(m not in EMAIL_MODES for m in email.values()):
                fields["email"] = f"Each mode is one of: {', '.join(EMAIL_MODES)}."
            else:
                values["email"] = dict(email)
    if "digest" in data:
        if data["digest"] not in DIGESTS:
            fields["digest"] = f"One of: {', '.join(DIGESTS)}."
        else:
            values["digest"] = data["digest"]
    if "quiet_hours" in data:
        quiet = data["quiet_hours"]
        if quiet is None:
            values["quiet_start"] = values["quiet_end"] = None
        elif not isinstance(quiet, dict) or set(quiet) != {"start", "end"}:
            fields["quiet_hours"] = 'Give {"start": "22:00", "end": "07:00"}, or null for none.'
        elif not all(isinstance(quiet[k], str) and _TIME.match(quiet[k]) for k in ("start", "end")):
            fields["quiet_hours"] = "Times are HH:MM, 24-hour (for example 22:00)."
        elif quiet["start"] == quiet["end"]:
            fields["quiet_hours"] = "The start and the end must differ."
        else:
            values["quiet_start"], values["quiet_end"] = quiet["start"], quiet["end"]
    if "timezone" in data:
        if not isinstance(data["timezone"], str) or not is_time_zone(data["timezone"]):
            fields["timezone"] = "Unknown time zone: use a name such as Europe/London."
        else:
            values["timezone"] = data["timezone"]
    for key, column in (("discreet_email", "discreet_email"), ("auto_watch_on_reply", "auto_watch")):
        if key in data:
            if not isinstance(data[key], bool):
                fields[key] = "true or false."
            else:
                values[column] = data[key]
    if "watch_defaults" in data:
        defaults = data["watch_defaults"]
        if not isinstance(defaults, dict) or not set(defaults) <= {"community", "thread"}:
            fields["watch_defaults"] = 'Give {"community": level, "thread": level}.'
        elif any(level not in LEVELS for level in defaults.values()):
            fields["watch_defaults"] = f"Levels: {', '.join(LEVELS)}."
        else:
            if "community" in defaults:
                values["watch_community"] = defaults["community"]
            if "thread" in defaults:
                values["watch_thread"] = defaults["thread"]
    return values, fields


def update_settings(user_id, data):
    values, fields = _clean(data)
    if fields:
        raise ValidationFailed("Please correct the highlighted settings.", fields)
    row = _row(user_id)
    if row is None:
        row = _defaults(user_id)
        db.session.add(row)
    if "timezone" in values:
        db.session.get(User, user_id).time_zone = values.pop("timezone")
    if "email" in values:
        # stored as changes from the defaults, so a later change of a default reaches everyone else
        merged = {**(row.email or {}), **values.pop("email")}
        row.email = {k: v for k, v in merged.items() if v != EMAIL_DEFAULTS[k]}
    for key, value in values.items():
        setattr(row, key, value)
    db.session.commit()
    return settings_of(user_id)


# ------------------------------------------------------------------ watching

def _readable_community(viewer, community_id):
    community = db.session.get(Community, community_id)
    if community is None or not visibility.can_read_community(viewer, community):
        raise NotFound("No such community.")
    return community


def _level(level):
    if level not in LEVELS:
        raise ValidationFailed("Unknown watch level.", {"level": f"One of: {', '.join(LEVELS)}."})
    return level


def _upsert(model, level, replace=True, **keys):
    row = db.session.get(model, keys)
    if row is None:
        db.session.add(model(level=level, **keys))
    elif replace:
        row.level = level


def watch_community(viewer, community_id, level):
    _level(level)
    if not viewer.signed_in:
        raise Forbidden("Log in to watch a community.")
    _readable_community(viewer, community_id)
    _upsert(CommunityWatch, level, user_id=viewer.user_id, community_id=community_id)
    db.session.commit()
    return level


def watch_thread(viewer, thread_id, level):
    from ..forums import services as forums

    _level(level)
    if not viewer.signed_in:
        raise Forbidden("Log in to watch a thread.")
    forums.get_thread(viewer, thread_id)   # NotFound unless the viewer may read it
    _upsert(ThreadWatch, level, user_id=viewer.user_id, thread_id=thread_id)
    db.session.commit()
    return level


def levels_for(user_id, community_id=None, thread_id=None):
    """(community level, thread level) for the watch controls; no row means "normal"."""
    community = db.session.get(CommunityWatch, (user_id, community_id)) if community_id else None
    thread = db.session.get(ThreadWatch, (user_id, thread_id)) if thread_id else None
    return (community.level if community else "normal"), (thread.level if thread else "normal")


def posted_in(user_id, thread_id):
    """Starting or replying watches the thread (the member's default level), unless they turned that
    off or already chose a level for it (a muted thread stays muted). One statement: it runs inside
    the posting request."""
    mine = NotificationSettings.user_id == user_id
    level = sa.func.coalesce(sa.select(NotificationSettings.watch_thread).where(mine).scalar_subquery(), "watching")
    select = sa.select(sa.literal(user_id), sa.literal(thread_id), level).where(
        ~sa.exists().where(mine, NotificationSettings.auto_watch.is_(False)))
    db.session.execute(_insert_into(ThreadWatch).from_select(("user_id", "thread_id", "level"), select)
                       .on_conflict_do_nothing(index_elements=["user_id", "thread_id"]))


def joined(user_id, community_id):
    row = _row(user_id)
    if row is not None and row.watch_community != "normal":
        _upsert(CommunityWatch, row.watch_community, replace=False, user_id=user_id, community_id=community_id)


# ------------------------------------------------------------------ mentions (at write time)

_MENTION = re.compile(r"(?<![\w@/.])@([A-Za-z0-9_][A-Za-z0-9_.-]{1,31})")
_CODE = re.compile(r"<(pre|code)\b[^>]*>.*?</\1>", re.S)
_QUOTE = re.compile(r"<blockquote>(.*?)</blockquote>", re.S)
_ATTRIBUTION = re.compile(r"—\s*@([A-Za-z0-9_][A-Za-z0-9_.-]{1,31})")


def mentioned_names(html):
    """({mentioned}, {quoted}) lower-case usernames in rendered HTML, never from inside code."""
    html = _CODE.sub(" ", html)
    quoted = {m.group(1).rstrip(".-").lower() for q in _QUOTE.finditer(html) for m in _ATTRIBUTION.finditer(q.group(1))}
    without_attribution = _ATTRIBUTION.sub(" ", html)
    mentioned = {m.group(1).rstrip(".-").lower() for m in _MENTION.finditer(without_attribution)}
    return mentioned - quoted, quoted


def mention_problem(html):
    """A field message when a post mentions more people than may be notified."""
    mentioned, _ = mentioned_names(html)
    if len(mentioned) > MAX_MENTIONS:
        return f"A post can mention at most {MAX_MENTIONS} people; this one mentions {len(mentioned)}."
    return None


def record_mentions(post, new=False, community=None):
    """Who the post mentions and quotes, replaced on each write (an edit may add or drop some), and
    each mention of someone who can read the post made a link to their page (never for someone
    outside a members-only community: for them the name stays text and nobody is told)."""
    if not new:
        db.session.execute(sa.delete(PostMention).where(PostMention.post_id == post.id))
    if "@" not in post.body_html:
        return
    # our own links from an earlier run (the sanitiser lets no member write a class), read again
    post.body_html = _OUR_LINK.sub(r"\1", post.body_html)
    mentioned, quoted = mentioned_names(post.body_html)
    names = mentioned | quoted
    if not names:
        return
    found = db.session.execute(sa.select(User.id, sa.func.lower(User.username)).where(
        sa.func.lower(User.username).in_(names), User.id != post.author_id)).all()
    for user_id, name in found:
        db.session.add(PostMention(post_id=post.id, user_id=user_id, kind="quote" if name in quoted else "mention"))
    if community is None:
        thread = db.session.get(Thread, post.thread_id)
        community = db.session.get(Community, thread.community_id)
        members_only = post.members_only or thread.members_only
    else:
        members_only = post.members_only
    ids = {name: user_id for user_id, name in found if name in mentioned}
    if ids and (community.visibility != "public" or members_only):
        from ..forums.models import Membership

        readers = set(db.session.scalars(sa.select(Membership.user_id).where(
            Membership.community_id == community.id, Membership.user_id.in_(ids.values()))))
        ids = {name: user_id for name, user_id in ids.items() if user_id in readers}
    if ids:
        post.body_html = _linked(post.body_html, ids)


_TAG = re.compile(r"(<[^>]+>)")
_OUR_LINK = re.compile(r'<a class="mention" href="/u/\d+">(@[^<]*)</a>')


def _link(name, ids):
    core = name.rstrip(".-")
    user_id = ids.get(core.lower())
    return f'<a class="mention" href="/u/{user_id}">@{core}</a>{name[len(core):]}' if user_id else None


def _linked(html, ids):
    """@name in the text (not in code, pre or an existing link) as a link to the member's page."""
    out, inside = [], 0
    for part in _TAG.split(html):
        if part.startswith("<"):
            tag = part[1:].split(None, 1)[0].rstrip(">").lower() if len(part) > 2 else ""
            if tag in ("code", "pre", "a"):
                inside += 1
            elif tag in ("/code", "/pre", "/a"):
                inside = max(0, inside - 1)
            out.append(part)
        elif inside or "@" not in part:
            out.append(part)
        else:
            out.append(_MENTION.sub(lambda m: _link(m.group(1), ids) or m.group(0), part))
    return "".join(out)


# ------------------------------------------------------------------ events

def _insert_into(model):
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(model)


def _insert():
    return _insert_into(Notification)


_COLUMNS = ("user_id", "kind", "key", "actor_id", "community_id", "thread_id", "post_id", "created_at",
            "email_state", "count", "priority")


def notify(user_id, kind, key, *, actor_id=None, post_id=None, thread_id=None, community_id=None, priority=0,
           count=1, email_state="new"):
    """One notification for one member, in the caller's transaction; none if it exists already."""
    now = utcnow()
    db.session.execute(_insert().values(
        user_id=user_id, kind=kind, key=key, actor_id=actor_id, post_id=post_id, thread_id=thread_id,
        community_id=community_id, priority=priority, count=count, created_at=now, email_state=email_state,
    ).on_conflict_do_nothing(index_elements=["user_id", "key"]))
    if email_state == "new":
        dispatch.enqueue_once("notifications.plan_email")


def bump(user_id, kind, key, count, **where):
    """A batched notification (reactions, queue items): one per object, its count kept current and
    brought back to unread when more arrive."""
    existing = db.session.scalar(sa.select(Notification).where(Notification.user_id == user_id,
                                                                Notification.key == key))
    if existing is None:
        notify(user_id, kind, key, count=count, **where)
    elif existing.count != count:
        more = count > existing.count
        existing.count = count
        if more:
            existing.read_at, existing.created_at, existing.email_state = None, utcnow(), "new"
            dispatch.enqueue_once("notifications.plan_email")


def _fan_out_statements(post, thread, community):
    """INSERT ... SELECT over everyone the post concerns, most specific kind first (mention, quote,
    reply, then watchers): the (user, key) constraint keeps one notification per member and post."""
    uid = sa.literal_column("candidate.user_id")
    members_only = post.members_only or thread.members_only
    allowed = sa.and_(
        uid != post.author_id,
        visibility.readers(uid, community, members_only),
        ~sa.exists().where(ThreadWatch.user_id == uid, ThreadWatch.thread_id == thread.id, ThreadWatch.level == "muted"),
        ~sa.exists().where(CommunityWatch.user_id == uid, CommunityWatch.community_id == community.id,
                           CommunityWatch.level == "muted"),
        ~sa.exists().where(Ignore.user_id == uid, Ignore.ignored_id == post.author_id),
    )
    first = post.number == 1
    sources = [
        ("mention", sa.select(PostMention.user_id).where(PostMention.post_id == post.id, PostMention.kind == "mention")),
        ("quote", sa.select(PostMention.user_id).where(PostMention.post_id == post.id, PostMention.kind == "quote")),
    ]
    if not first:
        sources.append(("reply", sa.select(User.id.label("user_id")).where(User.id == thread.author_id)))
        sources.append(("posted", sa.select(ThreadWatch.user_id).where(
            ThreadWatch.thread_id == thread.id, ThreadWatch.level == "watching")))
    levels = ("watching", "watching_first_post") if first else ("watching",)
    sources.append(("new_thread" if first else "posted", sa.select(CommunityWatch.user_id).where(
        CommunityWatch.community_id == community.id, CommunityWatch.level.in_(levels))))
    now = utcnow()
    for kind, source in sources:
        candidate = source.subquery("candidate")
        select = sa.select(
            uid, sa.literal(kind), sa.literal(f"post:{post.id}"), sa.literal(post.author_id),
            sa.literal(community.id), sa.literal(thread.id), sa.literal(post.id), sa.literal(now, type_=Notification.created_at.type),
            sa.literal("new"), sa.literal(1), sa.literal(0),
        ).select_from(candidate).where(allowed)
        yield _insert().from_select(_COLUMNS, select).on_conflict_do_nothing(index_elements=["user_id", "key"])


def post_published(post_id):
    """The worker's fan-out for a newly published post. Returns how many notifications it wrote.
    Run twice, the second run writes nothing (the unique key)."""
    post = db.session.get(Post, post_id)
    if post is None or post.state != "published":
        db.session.rollback()
        return 0
    thread = db.session.get(Thread, post.thread_id)
    if thread.state != "published":
        db.session.rollback()
        return 0
    community = db.session.get(Community, thread.community_id)
    # RETURNING, not rowcount: PostgreSQL's driver gives -1 for an INSERT ... SELECT ... ON CONFLICT
    written = sum(len(db.session.execute(statement.returning(Notification.id)).all())
                  for statement in _fan_out_statements(post, thread, community))
    if written:
        dispatch.enqueue_once("notifications.plan_email")
    db.session.commit()
    return written


def reacted(post_id):
    """Reactions to a post, batched: one notification to its author, "N people reacted"."""
    post = db.session.get(Post, post_id)
    if post is None or post.state != "published":
        db.session.rollback()
        return 0
    thread = db.session.get(Thread, post.thread_id)
    people = db.session.scalar(sa.select(sa.func.count(sa.distinct(Reaction.user_id))).where(
        Reaction.post_id == post.id, Reaction.user_id != post.author_id))
    if people:
        bump(post.author_id, "reaction", f"reaction:{post.id}", people, post_id=post.id, thread_id=thread.id,
             community_id=thread.community_id)
    db.session.commit()
    return people


def moderation_outcome(post, key):
    """Approved, rejected, hidden, restored, a notice attached or removed: told to the author (the
    reason is on the post and the standing page, never in the e-mail)."""
    thread = db.session.get(Thread, post.thread_id)
    notify(post.author_id, "moderation", f"moderation:{post.id}:{key}", post_id=post.id, thread_id=thread.id,
           community_id=thread.community_id)


def _moderators(community_id):
    from ..forums.models import Moderator

    return db.session.scalars(sa.select(Moderator.user_id).where(Moderator.community_id == community_id)).all()


def flagged(flag_id, post, thread):
    """A member's flag, told to the community's moderators (at-risk flags also alert, by e-mail)."""
    for user_id in _moderators(thread.community_id):
        notify(user_id, "flag", f"flag:{flag_id}", post_id=post.id, thread_id=thread.id,
               community_id=thread.community_id)


def queue_grew(community_id):
    """New review-queue items (held posts, identifier reviews), batched per community and moderator:
    one notification whose count is the open items."""
    from ..moderation.models import ReviewItem

    db.session.flush()
    open_items = db.session.scalar(sa.select(sa.func.count()).select_from(ReviewItem).where(
        ReviewItem.community_id == community_id, ReviewItem.status == "open", ReviewItem.kind.in_(("held", "phi"))))
    for user_id in _moderators(community_id):
        bump(user_id, "queue", f"queue:{community_id}", open_items, community_id=community_id)


# ------------------------------------------------------------------ the centre

def _unread(user_id):
    return sa.select(Notification.id).where(Notification.user_id == user_id, Notification.read_at.is_(None))


def unread_count(user_id):
    """Capped at COUNT_CAP + 1, so that it stays one small index read whatever piles up."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(
        _unread(user_id).limit(COUNT_CAP + 1).subquery()))


def _listing(viewer):
    """Notifications with what they point at, through the one visibility rule: an item about a post
    the member can no longer see (hidden, deleted, moved out of reach) is not listed."""
    actor = sa.orm.aliased(User)
    return (sa.select(Notification, Thread.title, actor.username, Post.number)
            .outerjoin(Post, Post.id == Notification.post_id)
            .outerjoin(Thread, Thread.id == sa.func.coalesce(Post.thread_id, Notification.thread_id))
            .outerjoin(Community, Community.id == sa.func.coalesce(Thread.community_id, Notification.community_id))
            .outerjoin(actor, actor.id == Notification.actor_id)
            .where(Notification.user_id == viewer.user_id,
                   sa.or_(Notification.post_id.is_(None), sa.and_(visibility.visible_posts(viewer),
                                                                  Post.state != "deleted"))))


def item_url(n, number=None):
    if n.kind == "appeal":
        decide = n.key.startswith("appeal:decide:")
        return f"/moderation/appeals/{n.key.rsplit(':', 1)[1]}" if decide else "/account/standing"
    if n.kind == "moderation" and ":notice:" not in n.key:
        return "/account/standing"     # the reason is there (and on the post), never in the notification
    if n.kind in ("queue", "flag", "crisis_alert"):
        return "/moderation"
    if n.post_id and n.thread_id and number:
        page = (number - 1) // POSTS_PER_PAGE + 1
        return f"/t/{n.thread_id}" + (f"?page={page}" if page > 1 else "") + f"#p{n.post_id}"
    return "/notifications"


def _item(row):
    n, title, actor, number = row
    return {"id": n.id, "kind": n.kind, "created_at": n.created_at, "read": n.read_at is not None,
            "url": item_url(n, number), "actor": actor, "thread_id": n.thread_id, "post_id": n.post_id,
            "title": title, "count": n.count, "priority": n.priority, "notice": ":notice:" in n.key}


def describe(item):
    """The centre's sentence for one item (the title and actor are shown beside it)."""
    if item["kind"] == "reaction":
        return f"{item['count']} {'person' if item['count'] == 1 else 'people'} reacted to your post"
    if item["kind"] == "queue":
        return f"{item['count']} open item{'s' if item['count'] != 1 else ''} in the review queue"
    if item["kind"] == "moderation" and item["post_id"] is None:
        return "The moderators sent you a message"
    if item["kind"] == "moderation" and item["notice"]:
        return "A notice was added under your post"
    phrase = PHRASES[item["kind"]]
    return f"{item['actor'] or 'Someone'} {phrase}" if phrase[0].islower() else phrase


def list_for(viewer, unread=False, before=None, limit=PAGE):
    """(items, next cursor): newest first; the cursor is the last id shown."""
    if not viewer.signed_in:
        raise Forbidden("Log in to see your notifications.")
    stmt = _listing(viewer).order_by(Notification.id.desc()).limit(limit + 1)
    if unread:
        stmt = stmt.where(Notification.read_at.is_(None))
    if before:
        stmt = stmt.where(Notification.id < before)
    rows = db.session.execute(stmt).all()
    items = [_item(r) for r in rows[:limit]]
    return items, (items[-1]["id"] if len(rows) > limit else None)


def mark_read(user_id, ids=None):
    """The given ids (others' ids are ignored, never revealed), or all. Returns how many changed."""
    stmt = sa.update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    if ids is not None:
        stmt = stmt.where(Notification.id.in_(ids))
    done = db.session.execute(stmt.values(read_at=utcnow())).rowcount
    db.session.commit()
    return done


def prune(now=None):
    """Read notifications older than READ_KEPT go (the periodic clean-up)."""
    done = db.session.execute(sa.delete(Notification).where(
        Notification.read_at.is_not(None), Notification.created_at < (now or utcnow()) - READ_KEPT)).rowcount
    db.session.commit()
    return done


# ------------------------------------------------------------------ e-mail

def _zone(user):
    try:
        return zoneinfo.ZoneInfo(user.time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def after_quiet_hours(moment, start, end, zone):
    """`moment`, or the end of the member's quiet hours if it falls inside them."""
    if not start:
        return moment
    local = moment.astimezone(zone)
    s, e = (time(*map(int, t.split(":"))) for t in (start, end))
    now = local.time().replace(second=0, microsecond=0)
    inside = (s <= now < e) if s < e else (now >= s or now < e)
    if not inside:
        return moment
    day = local.date() if (s < e or now < e) else local.date() + timedelta(days=1)
    return datetime.combine(day, e, tzinfo=zone).astimezone(moment.tzinfo)


def _last_seen(user_ids):
    return dict(db.session.execute(sa.select(UserSession.user_id, sa.func.max(UserSession.last_seen_at))
                                   .where(UserSession.user_id.in_(user_ids)).group_by(UserSession.user_id)).all())


def plan_email(now=None, batch=1000):
    """Decide, for notifications not yet planned, whether and when each is mailed. Returns how many."""
    now = now or utcnow()
    planned = 0
    while True:
        rows = db.session.scalars(sa.select(Notification).where(Notification.email_state == "new")
                                  .order_by(Notification.id).limit(batch)).all()
        if not rows:
            break
        ids = {r.user_id for r in rows}
        settings = {s.user_id: s for s in db.session.scalars(
            sa.select(NotificationSettings).where(NotificationSettings.user_id.in_(ids)))}
        users = {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(ids)))}
        seen = _last_seen(ids)
        for n in rows:
            s = settings.get(n.user_id)
            mode = "always" if n.kind in FIXED else ((s.email or {}).get(n.kind) if s else None) or EMAIL_DEFAULTS[n.kind]
            if mode == "off" or not users[n.user_id].email_verified:
                n.email_state = "skip"
                continue
            due = n.created_at
            if mode == "away" and seen.get(n.user_id) and seen[n.user_id] > now - AWAY:
                due = n.created_at + AWAY      # here now: mailed later only if still unread
            if n.priority < 1 and s is not None:
                due = after_quiet_hours(due, s.quiet_start, s.quiet_end, _zone(users[n.user_id]))
            n.email_state, n.email_due_at = ("away" if mode == "away" else "due"), due
        planned += len(rows)
        db.session.commit()
    if planned:
        dispatch.enqueue_once("notifications.deliver_email")
        db.session.commit()
    return planned


def _serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="notifications-unsubscribe")


def unsubscribe_token(user_id, kind):
    return _serializer().dumps({"u": user_id, "k": kind})


def read_unsubscribe_token(token):
    """(user, kind) or ValidationFailed with the reason: a token is good for one member and setting."""
    try:
        data = _serializer().loads(token, max_age=UNSUBSCRIBE_DAYS * 86400)
    except SignatureExpired:
        raise ValidationFailed("This unsubscribe link has expired. Change your e-mail settings after signing in.",
                               {"token": "expired"}) from None
    except BadSignature:
        raise ValidationFailed("This unsubscribe link is not valid. Change your e-mail settings after signing in.",
                               {"token": "invalid"}) from None
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    kind = data.get("k") if isinstance(data, dict) else None
    if user is None or kind not in SETTABLE + ("digest",):
        raise ValidationFailed("This unsubscribe link is not valid.", {"token": "invalid"})
    return user, kind


def unsubscribe(token):
    user, kind = read_unsubscribe_token(token)
    if kind == "digest":
        update_settings(user.id, {"digest": "off"})
    else:
        update_settings(user.id, {"email": {kind: "off"}})
    return user, kind


def _disclosable(post, thread, community):
    """Whether a mail may carry the community, title and an excerpt (discreet e-mail turned off)."""
    labels = set(post.labels or ()) if post else set()
    return (post is not None and post.state == "published" and thread.state == "published"
            and community.visibility == "public" and not post.members_only and not thread.members_only
            and not labels & {"crisis", "phi"})


def _still_visible(viewer, n, post, thread, community):
    if n.post_id is None:
        return True
    if post is None or thread is None or post.state == "deleted":
        return False
    if n.kind not in ("moderation", "appeal", "crisis_alert", "flag") and post.state != "published":
        return False
    return visibility.can_see_post(viewer, post, thread, community)


def _compose(user, items, discreet):
    site = current_app.config["SITE_URL"].rstrip("/")
    kinds = list(dict.fromkeys(n.kind for n, *_ in items))
    lines, html = [], []
    for n, post, thread, community in items:
        url = site + item_url(n, post.number if post else None)
        if not discreet and _disclosable(post, thread, community):
            excerpt = plain_text(post.body_html)[:200]
            text = f"{PHRASES[n.kind]} in {community.name}: “{thread.title}”\n{excerpt}"
            if "consult_reminder" in (post.labels or ()):
                text += f"\n({CONSULT_NOTICE})"
        else:
            text = ("A message from the moderators" if n.kind == "moderation" and n.post_id is None
                    else "A notice was added under your post" if ":notice:" in n.key
                    else DISCREET[n.kind][0].upper() + DISCREET[n.kind][1:])
            if n.count > 1:
                text += f" ({n.count})"
        lines.append(f"- {text}\n  {url}")
        html.append(f'<li>{escape(text)}<br><a href="{escape(url)}">{escape(url)}</a></li>')
    count = len(items)
    intro = f"You have {count} new notification{'s' if count != 1 else ''} on Patient Commons."
    unsub = {k: f"{site}/notifications/unsubscribe/{unsubscribe_token(user.id, k)}" for k in kinds if k in SETTABLE}
    footer = "\n".join(f"Stop e-mails about {DISCREET[k]}: {u}" for k, u in unsub.items())
    body = (f"Hello {user.username},\n\n{intro}\n\n" + "\n".join(lines)
            + f"\n\nAll your notifications: {site}/notifications\nE-mail settings: {site}/settings/notifications\n"
            + (f"\n{footer}\n" if footer else ""))
    page = (f"<p>Hello {escape(user.username)},</p><p>{escape(intro)}</p><ul>{''.join(html)}</ul>"
            f'<p><a href="{site}/notifications">All your notifications</a> · '
            f'<a href="{site}/settings/notifications">E-mail settings</a></p>'
            + "".join(f'<p><a href="{escape(u)}">Stop e-mails about {escape(DISCREET[k])}</a></p>'
                      for k, u in unsub.items()))
    headers = {}
    if unsub:
        first = next(iter(unsub.values()))
        headers = {"List-Unsubscribe": f"<{first}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    return SUBJECT, body, page, headers


def deliver_email(now=None, users=200):
    """Mail what is due: one message per member, sent through the mail task. Returns how many."""
    now = now or utcnow()
    due = (sa.select(Notification.user_id).where(Notification.email_state.in_(("due", "away")),
                                                 Notification.email_due_at <= now)
           .group_by(Notification.user_id).order_by(Notification.user_id).limit(users))
    sent = 0
    for user_id in db.session.scalars(due).all():
        user = db.session.get(User, user_id)
        viewer = visibility._load_viewer(user, user.totp_enabled)
        row = _row(user_id)
        seen = _last_seen([user_id]).get(user_id)
        rows = db.session.scalars(sa.select(Notification).where(
            Notification.user_id == user_id, Notification.email_state.in_(("due", "away")),
            Notification.email_due_at <= now).order_by(Notification.id).with_for_update()).all()
        items = []
        for n in rows:
            post = db.session.get(Post, n.post_id) if n.post_id else None
            thread = db.session.get(Thread, n.thread_id) if n.thread_id else None
            community = db.session.get(Community, n.community_id) if n.community_id else None
            gone = n.read_at is not None or (n.email_state == "away" and seen and seen > n.created_at)
            if gone or not _still_visible(viewer, n, post, thread, community):
                n.email_state = "skip"
                continue
            n.email_state = "sent"
            items.append((n, post, thread, community))
        if items:
            subject, body, html, headers = _compose(user, items, row.discreet_email if row else True)
            mailer.queue_mail(user.email, subject, body, html=html, headers=headers)
            sent += 1
    # one transaction for the batch: the rows marked sent and their mails commit together
    db.session.commit()
    if sent == users:
        dispatch.enqueue_once("notifications.deliver_email")
        db.session.commit()
    return sent


DIGEST_EVERY = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}


def _digest_candidates(batch):
    """(user_id, unread) for every member with unread notifications, in batches by id."""
    after = 0
    while True:
        rows = db.session.execute(
            sa.select(Notification.user_id, sa.func.count()).where(Notification.read_at.is_(None),
                                                                   Notification.user_id > after)
            .group_by(Notification.user_id).order_by(Notification.user_id).limit(batch)).all()
        yield from rows
        if len(rows) < batch:
            return
        after = rows[-1][0]


def send_digests(now=None, batch=500):
    """A discreet summary of unread notifications for members whose digest is due (outside their
    quiet hours; the hourly run tries again). Returns how many were sent."""
    now = now or utcnow()
    sent = 0
    for user_id, unread in list(_digest_candidates(batch)):
        s = _row(user_id)
        every = DIGEST_EVERY.get(s.digest if s else "weekly")
        if every is None or (s and s.digest_sent_at and s.digest_sent_at > now - every):
            continue
        user = db.session.get(User, user_id)
        if not user.email_verified:
            continue
        if s is None:
            s = _defaults(user_id)
            db.session.add(s)
        if s.digest_sent_at is None and user.created_at > now - every:
            s.digest_sent_at = now     # a new member's first digest comes a period after joining
            db.session.commit()
            continue
        if after_quiet_hours(now, s.quiet_start, s.quiet_end, _zone(user)) != now:
            continue
        site = current_app.config["SITE_URL"].rstrip("/")
        link = f"{site}/notifications/unsubscribe/{unsubscribe_token(user_id, 'digest')}"
        body = (f"Hello {user.username},\n\nYou have {unread} unread notification{'s' if unread != 1 else ''} "
                f"on Patient Commons.\n\nRead them here: {site}/notifications\n\n"
                f"Stop these {s.digest} digests: {link}\n")
        html = (f"<p>Hello {escape(user.username)},</p><p>You have {unread} unread notification"
                f"{'s' if unread != 1 else ''} on Patient Commons.</p>"
                f'<p><a href="{site}/notifications">Read them</a></p><p><a href="{escape(link)}">Stop these digests</a></p>')
        mailer.queue_mail(user.email, f"Your {s.digest} Patient Commons summary", body, html=html,
                          headers={"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})
        s.digest_sent_at = now
        db.session.commit()
        sent += 1
    return sent

