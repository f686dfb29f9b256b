"""Forum use cases: communities, threads, posts, reactions. Authorisation is checked here."""
import base64
import binascii
import re
from datetime import datetime, timezone
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, defer, joinedload

from .. import dispatch
from ..accounts.models import User
from ..errors import Forbidden, NotFound, Unauthorized, ValidationFailed
from ..extensions import db
from ..markdown import render
from ..models_base import MAX_ID, utcnow
from ..moderation import filters as moderation_filters
from ..moderation import pipeline
from ..moderation import log as staff_log
from ..moderation import rules as watch_rules
from ..moderation.models import active_sanction
from ..notifications import services as notifications
from . import lifecycle
from .models import (
    BY_NAME, POSTS_PER_PAGE, REACTIONS, VISIBILITIES, Bookmark, Community, Ignore, Membership, Moderator, Post,
    PostRevision, Reaction, Thread,
)
from .visibility import bump_memberships, can_read_community, can_see_post, visible_posts, visible_threads

TITLE_MAX = 200
BODY_MAX = 50_000
THREADS_PER_PAGE = 25
PAGE_AUTHOR_FIELDS = (User.id, User.username, User.role, User.created_at, User.approved_posts)


def _listing_options():
    """Thread lists show a title, counts, the author's name and the community's: load only those
    (reusing the query's own join to communities instead of a second one)."""
    return (
        contains_eager(Thread.community).load_only(Community.id, Community.slug, Community.name,
                                                   Community.visibility),
        joinedload(Thread.author).load_only(User.id, User.username),
    )
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


# ---------------------------------------------------------------- communities

def _discoverable(signed_in):
    """Signed-in people can find every community (and join it); visitors only public ones.
    Reading a members-only community's threads still needs membership."""
    return sa.true() if signed_in else Community.visibility == "public"


def list_communities(viewer):
    return db.session.scalars(
        sa.select(Community).where(_discoverable(viewer.signed_in)).order_by(*BY_NAME)
        .options(defer(Community.rules), defer(Community.rules_html))
    ).all()


# Built once per case (signed in or not): these run on every community page.
_COMMUNITY_BY_SLUG = {
    signed_in: sa.select(Community).where(Community.slug == sa.bindparam("slug"),
                                          _discoverable(signed_in))
    for signed_in in (False, True)
}
_MODERATORS = (sa.select(User.id, User.username).join(Moderator, Moderator.user_id == User.id)
               .where(Moderator.community_id == sa.bindparam("community_id")).order_by(User.username))


_COMMUNITY_ROWS = {
    signed_in: sa.select(Community.id, Community.slug, Community.name, Community.member_count, Community.thread_count,
                         Community.visibility).where(_discoverable(signed_in)).order_by(*BY_NAME)
    for signed_in in (False, True)
}


def community_rows(viewer):
    """What a list of communities shows, as plain rows (the home page)."""
    return db.session.execute(_COMMUNITY_ROWS[viewer.signed_in]).all()


def get_community(viewer, slug):
    """The community's description and rules; use can_read_community() before showing threads."""
    community = db.session.scalar(_COMMUNITY_BY_SLUG[viewer.signed_in], {"slug": slug})
    if community is None:
        # Not revealed to visitors: the same answer as missing.
        raise NotFound("No such community.")
    return community


def join(user_id, community_id):
    community = db.session.get(Community, community_id)
    if community is None:
        raise NotFound("No such community.")
    exists = db.session.scalar(
        sa.select(Membership.id).where(Membership.user_id == user_id, Membership.community_id == community_id)
    )
    if exists:
        return False
    db.session.add(Membership(user_id=user_id, community_id=community_id))
    notifications.joined(user_id, community_id)
    db.session.execute(
        sa.update(Community).where(Community.id == community_id).values(member_count=Community.member_count + 1)
    )
    bump_memberships(user_id)
    db.session.commit()
    return True


def leave(user_id, community_id):
    n = db.session.execute(
        sa.delete(Membership).where(Membership.user_id == user_id, Membership.community_id == community_id)
    ).rowcount
    if n:
        db.session.execute(
            sa.update(Community).where(Community.id == community_id)
            .values(member_count=Community.member_count - 1)
        )
        bump_memberships(user_id)
    db.session.commit()
    return bool(n)


def list_members(viewer, community):
    """Who belongs is visible to the community's members (and its moderators) only."""
    if not (viewer.is_member(community.id) or viewer.is_moderator(community.id)):
        raise Forbidden("Only members of this community can see who belongs to it.")
    stmt = (
        sa.select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.community_id == community.id)
        .where(sa.or_(~User.hide_memberships, User.id == viewer.user_id))
        .order_by(User.username)
    )
    return db.session.scalars(stmt).all()


def moderators_of(community_id):
    """(id, username) rows."""
    return db.session.execute(_MODERATORS, {"community_id": community_id}).all()


def moderator_ids(community_id):
    return set(db.session.scalars(sa.select(Moderator.user_id).where(Moderator.community_id == community_id)))


def shared_communities(viewer, user):
    """The communities shown on a profile: only ones the viewer also belongs to, unless hidden."""
    if user.hide_memberships and viewer.user_id != user.id and not viewer.is_admin:
        return []
    stmt = sa.select(Community).join(Membership, Membership.community_id == Community.id).where(
        Membership.user_id == user.id
    )
    if viewer.user_id != user.id and not viewer.is_admin:
        stmt = stmt.where(Community.id.in_(viewer.member_of))
    return db.session.scalars(stmt.order_by(*BY_NAME)).all()


def _community_fields(data, existing_id=None):
    fields = {}
    slug = (data.get("slug") or "").strip().lower()
    if not SLUG_RE.match(slug) or len(slug) > 64:
        fields["slug"] = "Lowercase letters, digits and single dashes, up to 64 characters."
    else:
        clash = db.session.scalar(sa.select(Community.id).where(Community.slug == slug))
        if clash and clash != existing_id:
            fields["slug"] = "Another community already uses this address."
    name = (data.get("name") or "").strip()
    if not 2 <= len(name) <= 100:
        fields["name"] = "Between 2 and 100 characters."
    if data.get("visibility") not in VISIBILITIES:
        fields["visibility"] = "Choose public or members only."
    regions = [r.strip().upper() for r in (data.get("phone_regions") or "").split(",") if r.strip()]
    if not regions or any(not re.fullmatch(r"[A-Z]{2}", r) for r in regions):
        fields["phone_regions"] = "Two-letter country codes separated by commas, for example US, GB."
    if not re.fullmatch(r"[a-z]{2}(-[A-Z]{2})?", (data.get("locale") or "").strip()):
        fields["locale"] = "A language code such as en or en-GB."
    if len(data.get("description") or "") > 500:
        fields["description"] = "At most 500 characters."
    if len(data.get("rules") or "") > 20_000:
        fields["rules"] = "At most 20,000 characters."
    if fields:
        raise ValidationFailed("Please correct the highlighted fields.", fields)
    return dict(
        slug=slug, name=name, icd10=(data.get("icd10") or "").strip()[:40],
        description=(data.get("description") or "").strip(), visibility=data["visibility"],
        locale=data["locale"].strip(), phone_regions=",".join(regions), rules=data.get("rules") or "",
        rules_html=render(data.get("rules") or ""), indexing=bool(data.get("indexing")),
    )


def save_community(viewer, data, community_id=None):
    if not viewer.is_admin:
        raise Forbidden("Only admins can create or edit communities.")
    values = _community_fields(data, community_id)
    if community_id is None:
        community = Community(**values)
        db.session.add(community)
    else:
        community = db.session.get(Community, community_id)
        if community is None:
            raise NotFound("No such community.")
        for key, value in values.items():
            setattr(community, key, value)
    db.session.commit()
    return community


# ---------------------------------------------------------------- threads

def encode_cursor(thread):
    raw = f"{thread.last_activity_at.isoformat()}|{thread.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor):
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, tid = raw.split("|")
        at, tid = datetime.fromisoformat(stamp), int(tid)
        # Cursors we issue carry an aware UTC time and a real id; a naive time (the UTCDateTime
        # column refuses it) or an id beyond the integer column would fail in the database.
        if at.tzinfo is None or not 0 < tid <= MAX_ID:
            raise ValueError(raw)
        return at.astimezone(timezone.utc), tid
    except (ValueError, OverflowError, binascii.Error, UnicodeDecodeError):
        raise ValidationFailed("That page link is not valid.", {"cursor": "Not a valid cursor."}) from None


def list_threads(viewer, community, cursor=None, limit=THREADS_PER_PAGE, keys_only=False):
    """Pinned threads (first page only), then the rest by last activity, keyset-paginated.

    Returns (pinned, threads, next_cursor): Thread objects, or with keys_only rows of
    (id, version, last_activity_at) for pages served from rendered items (threads_by_id).
    """
    if not can_read_community(viewer, community):
        raise Forbidden("This community is for its members. Join it to read and take part.")
    if keys_only and not cursor:
        rows = db.session.execute(_first_page_keys(viewer), {"community_id": community.id, "limit": limit + 1}).all()
        pinned = [row for row in rows if row.pinned]
        rows = [row for row in rows if not row.pinned]
        next_cursor = encode_cursor(rows[limit - 1]) if len(rows) > limit else None
        return pinned, rows[:limit], next_cursor
    columns = (Thread.id, Thread.version, Thread.last_activity_at) if keys_only else (Thread,)
    base = (
        sa.select(*columns).join(Community, Community.id == Thread.community_id)
        .where(Thread.community_id == community.id, visible_threads(viewer))
    )
    if not keys_only:
        base = base.options(*_listing_options())
    fetch = (lambda stmt: db.session.execute(stmt).all()) if keys_only else (lambda stmt: db.session.scalars(stmt).all())
    pinned = [] if cursor else fetch(base.where(Thread.pinned).order_by(Thread.last_activity_at.desc(), Thread.id.desc()))
    stmt = base.where(~Thread.pinned)
    if cursor:
        at, tid = _decode_cursor(cursor)
        stmt = stmt.where(
            sa.or_(Thread.last_activity_at < at, sa.and_(Thread.last_activity_at == at, Thread.id < tid))
        )
    rows = fetch(stmt.order_by(Thread.last_activity_at.desc(), Thread.id.desc()).limit(limit + 1))
    next_cursor = encode_cursor(rows[limit - 1]) if len(rows) > limit else None
    return pinned, rows[:limit], next_cursor


@lru_cache(maxsize=2048)
def _first_page_keys(viewer):
    # The community page's list in one round trip (pinned threads, then the newest), built once
    # per distinct viewer with the community and limit bound at run time.
    def part(pinned):
        stmt = (sa.select(Thread.id, Thread.version, Thread.last_activity_at, Thread.pinned)
                .join(Community, Community.id == Thread.community_id)
                .where(Thread.community_id == sa.bindparam("community_id"), visible_threads(viewer),
                       Thread.pinned if pinned else ~Thread.pinned)
                .order_by(Thread.last_activity_at.desc(), Thread.id.desc()))
        return stmt if pinned else stmt.limit(sa.bindparam("limit"))
    both = sa.union_all(part(True).subquery().select(), part(False).subquery().select()).subquery()
    return sa.select(both).order_by(both.c.pinned.desc(), both.c.last_activity_at.desc(), both.c.id.desc())


@lru_cache(maxsize=2048)
def _recent_keys(viewer):
    # The home page's list, built once per distinct viewer (see _first_page_keys).
    return (
        sa.select(Thread.id, Thread.version).join(Community, Community.id == Thread.community_id)
        .where(visible_threads(viewer), Thread.state == "published")
        .order_by(Thread.last_activity_at.desc(), Thread.id.desc()).limit(sa.bindparam("limit"))
    )


def recent_thread_keys(viewer, limit=10):
    """(id, version) of the newest published threads this viewer may see (render with threads_by_id)."""
    return db.session.execute(_recent_keys(viewer), {"limit": limit}).all()


def threads_by_id(ids):
    """Loaded for rendering list items only: callers have applied the visibility rule to these ids."""
    if not ids:
        return {}
    stmt = sa.select(Thread).join(Community, Community.id == Thread.community_id).where(Thread.id.in_(ids))
    return {thread.id: thread for thread in db.session.scalars(stmt.options(*_listing_options()))}


def get_thread(viewer, thread_id):
    thread = db.session.scalar(_thread_statement(viewer), {"thread_id": thread_id})
    if thread is None:
        raise NotFound("No such thread.")
    return thread


def merged_into(viewer, thread_id):
    """Where a merged duplicate's old links lead, if the viewer may read that thread: otherwise
    None, so that a members-only thread's id answers 404 like an unknown one."""
    target = db.session.scalar(sa.select(Thread.merged_into_id).where(Thread.id == thread_id))
    if target is None:
        return None
    try:
        return get_thread(viewer, target).id
    except NotFound:
        return None


@lru_cache(maxsize=2048)
def _thread_statement(viewer):
    # The community comes from the query's own join, without its rules text (not shown here).
    return (
        sa.select(Thread).join(Community, Community.id == Thread.community_id)
        .where(Thread.id == sa.bindparam("thread_id"), visible_threads(viewer))
        .options(contains_eager(Thread.community).defer(Community.rules).defer(Community.rules_html),
                 joinedload(Thread.author).load_only(User.id, User.username))
    )


def page_count(thread):
    return max(1, (thread.last_post_number - 1) // POSTS_PER_PAGE + 1)


def thread_posts(viewer, thread, page=1):
    """The posts of one page (numbers (page-1)*20+1 .. page*20) this viewer may see."""
    first = (page - 1) * POSTS_PER_PAGE + 1
    stmt = (
        sa.select(Post).join(Thread, Thread.id == Post.thread_id).join(Community, Community.id == Thread.community_id)
        .where(Post.thread_id == thread.id, Post.number.between(first, first + POSTS_PER_PAGE - 1))
        .where(visible_posts(viewer)).order_by(Post.number)
        # The page shows the stored HTML and a few author fields: skip the rest.
        .options(defer(Post.body), joinedload(Post.author).load_only(*PAGE_AUTHOR_FIELDS))
    )
    return db.session.scalars(stmt).all()


def thread_page_keys(viewer, thread, page=1):
    """(id, version, author_id, by_moderator) of the posts of one page this viewer may see:
    enough to serve the page from rendered posts without loading them."""
    first = (page - 1) * POSTS_PER_PAGE + 1
    return db.session.execute(_page_keys_statement(viewer), {
        "thread_id": thread.id, "community_id": thread.community_id, "first": first, "last": first + POSTS_PER_PAGE - 1,
    }).all()


@lru_cache(maxsize=2048)
def _page_keys_statement(viewer):
    # One statement per distinct viewer, parameters bound at run time: building it was a
    # large share of the thread page's CPU.
    moderators = sa.select(Moderator.user_id).where(Moderator.community_id == sa.bindparam("community_id"))
    return (
        sa.select(Post.id, Post.version, Post.author_id, Post.author_id.in_(moderators.scalar_subquery()).label("by_moderator"))
        .join(Thread, Thread.id == Post.thread_id).join(Community, Community.id == Thread.community_id)
        .where(Post.thread_id == sa.bindparam("thread_id"), Post.number.between(sa.bindparam("first"), sa.bindparam("last")))
        .where(visible_posts(viewer)).order_by(Post.number)
    )


def posts_by_id(ids):
    """Loaded for rendering only: callers have already applied the visibility rule to these ids."""
    if not ids:
        return {}
    stmt = sa.select(Post).where(Post.id.in_(ids)).options(
        defer(Post.body), joinedload(Post.author).load_only(*PAGE_AUTHOR_FIELDS))
    return {post.id: post for post in db.session.scalars(stmt)}


def _viewer_post_state_statement():
    me, ids = sa.bindparam("user_id"), sa.bindparam("post_ids", expanding=True)
    return sa.union_all(
        sa.select(sa.literal("r"), Reaction.post_id, Reaction.kind).where(Reaction.user_id == me, Reaction.post_id.in_(ids)),
        sa.select(sa.literal("b"), Bookmark.post_id, sa.literal("")).where(Bookmark.user_id == me, Bookmark.post_id.in_(ids)),
        sa.select(sa.literal("i"), Ignore.ignored_id, sa.literal("")).where(Ignore.user_id == me),
    )


_VIEWER_POST_STATE = _viewer_post_state_statement()


def viewer_post_state(viewer, post_ids):
    """For a page of posts: which the viewer reacted to, bookmarked, and whose authors they ignore
    (one prebuilt statement: this runs on every signed-in thread page)."""
    if not viewer.signed_in or not post_ids:
        return {}, set(), set()
    reacted, bookmarked, ignored = {}, set(), set()
    for what, ident, kind in db.session.execute(_VIEWER_POST_STATE, {"user_id": viewer.user_id, "post_ids": list(post_ids)}):
        if what == "r":
            reacted.setdefault(ident, set()).add(kind)
        elif what == "b":
            bookmarked.add(ident)
        else:
            ignored.add(ident)
    return reacted, bookmarked, ignored


STANDING = "Your standing page (/account/standing) says why, and lets you appeal once."


def sanction_refusal(user, community_id):
    """Why a silence or suspension stops this member posting here, or None. The thread page asks it
    too, so that it never offers a reply box whose text would then be refused."""
    held_back = active_sanction(user.id, community_id)
    if user.silenced_at is None and held_back is None:
        return None
    until = f" until {held_back.ends_at:%d %B %Y, %H:%M} UTC" if held_back is not None and held_back.ends_at else ""
    what = "suspended" if held_back is not None and held_back.kind == "suspend" else "silenced here"
    return f"Your account is {what}{until}, so it cannot post. {STANDING}"


def check_can_post(user_id, community_id):
    """Raise Forbidden (with the reason to show) unless this user may post in this community."""
    user = db.session.get(User, user_id)
    if user is None:
        raise Forbidden("Log in to post.")
    if not user.email_verified:
        raise Forbidden("Please confirm your email address before posting. Check your inbox for the link.")
    refusal = sanction_refusal(user, community_id)
    if refusal:
        raise Forbidden(refusal)
    member = db.session.scalar(
        sa.select(Membership.id).where(Membership.user_id == user_id, Membership.community_id == community_id)
    )
    if not member:
        raise Forbidden("Join this community to post in it.")
    return user


def _body_problem(body):
    body = (body or "").strip()
    if not body:
        return "Write something first."
    if len(body) > BODY_MAX:
        return f"Posts can be at most {BODY_MAX:,} characters (this one has {len(body):,})."
    if body.count("@") > notifications.MAX_MENTIONS:   # rendered only when there could be too many
        return notifications.mention_problem(render(body))
    return None


def _refuse_blocked(community_id, text):
    """An enforced block rule refuses the post in the composer, saying why; nothing is saved."""
    rule = watch_rules.blocking(community_id, text)
    if rule is not None:
        # Counted and logged (nothing else of the refused post is kept), then refused.
        watch_rules.note_hits([(rule, ())])
        staff_log.record(None, "rule.block", "rule", rule.id, community_id, watch_rules.reason(rule))
        db.session.commit()
        message = watch_rules.block_message(rule, text)
        raise ValidationFailed(message, {"body": message})


def _new_post(thread, author_id, body, screened=""):
    # Atomic increment so two replies at once never get the same number.
    number = db.session.execute(
        sa.update(Thread).where(Thread.id == thread.id)
        .values(last_post_number=Thread.last_post_number + 1).returning(Thread.last_post_number)
    ).scalar_one()
    post = Post(thread_id=thread.id, author_id=author_id, number=number, body=body, body_html=render(body))
    db.session.add(post)
    _screen_for_crisis(post, thread, screened or body)
    db.session.flush()
    if notifications.enabled():
        notifications.record_mentions(post, new=True)
        notifications.posted_in(author_id, thread.id)
    dispatch.enqueue("moderation.moderate_post", post.id)
    return post


def _screen_for_crisis(post, thread, text):
    """The synchronous half of the crisis rule: the author sees the resources at once and the post
    is limited to members before anyone else could see it; the worker's run is the authority."""
    community = db.session.get(Community, thread.community_id)
    outcome = pipeline.composer_check(text, community)
    if outcome.crisis:
        post.members_only = True
        if post.number == 1:
            thread.members_only = True
        post.notices = [n for n in post.notices or () if n["kind"] != "crisis_resources"] + [
            pipeline.notice("crisis_resources", outcome, community.locale)]
        return True
    return False


def create_thread(user_id, community_id, title, body):
    fields = {}
    title = (title or "").strip()
    if not title:
        fields["title"] = "Give your thread a title."
    elif len(title) > TITLE_MAX:
        fields["title"] = f"Titles can be at most {TITLE_MAX} characters."
    problem = _body_problem(body)
    if problem:
        fields["body"] = problem
    if fields:
        raise ValidationFailed("Please correct the highlighted fields.", fields)
    community = db.session.get(Community, community_id)
    if community is None:
        raise NotFound("No such community.")
    check_can_post(user_id, community_id)
    _refuse_blocked(community_id, f"{title}\n\n{body}")
    thread = Thread(community_id=community_id, author_id=user_id, title=title)
    db.session.add(thread)
    db.session.flush()
    post = _new_post(thread, user_id, body.strip(), screened=f"{title}\n\n{body}")
    db.session.commit()
    return thread, post


def check_can_reply(user_id, thread_id):
    """The thread, or NotFound / Forbidden (with the reason) unless this user may reply to it: cheap
    checks, made before the text is read by any filter."""
    thread = db.session.get(Thread, thread_id)
    # The author of a waiting thread may add to it (the reply waits with it); nobody else can see it.
    waiting_own = thread is not None and thread.state in ("pending", "held") and thread.author_id == user_id
    if thread is not None and thread.state == "rejected" and thread.author_id == user_id:
        raise Forbidden("This thread was not published, so it takes no replies. "
                        "Your standing page (/account/standing) says why and lets you appeal.")
    if thread is None or not (thread.state == "published" or waiting_own):
        raise NotFound("No such thread.")
    check_can_post(user_id, thread.community_id)
    if thread.locked:
        raise Forbidden("This thread is locked; replies are closed.")
    return thread


def reply(user_id, thread_id, body):
    problem = _body_problem(body)
    if problem:
        raise ValidationFailed(problem, {"body": problem})
    thread = check_can_reply(user_id, thread_id)
    _refuse_blocked(thread.community_id, body)
    post = _new_post(thread, user_id, body.strip())
    db.session.commit()
    return post


def community_of(post):
    return db.session.scalar(
        sa.select(Community).join(Thread, Thread.community_id == Community.id).where(Thread.id == post.thread_id))


def post_row(viewer, post_id):
    row = db.session.execute(
        sa.select(Post, Thread, Community).join(Thread, Thread.id == Post.thread_id)
        .join(Community, Community.id == Thread.community_id).where(Post.id == post_id)
    ).one_or_none()
    if row is None or not can_see_post(viewer, *row):
        raise NotFound("No such post.")
    return row


def get_post(viewer, post_id):
    return post_row(viewer, post_id)[0]


def quote_text(viewer, post_id):
    post, _, _ = post_row(viewer, post_id)
    if post.state != "published":
        raise NotFound("No such post.")
    quoted = "\n".join("> " + line for line in post.body.splitlines())
    return f"{quoted}\n> — @{post.author.username}\n\n"


def check_can_edit(viewer, post_id):
    """(post, thread, community) if the viewer may edit this post: their own, and no silence or
    suspension on them here (a sanction stops edits as it stops new posts)."""
    post, thread, community = post_row(viewer, post_id)
    if post.author_id != viewer.user_id:
        raise Forbidden("You can only edit your own posts.")
    refusal = sanction_refusal(db.session.get(User, viewer.user_id), community.id)
    if refusal:
        raise Forbidden(refusal)
    return post, thread, community


def identifiers_checked(text, community, remove=False, field="body"):
    """The composer's identifier check for clients without the page's warning (the API): the
    text (a body, or a new thread's title), with identifiers taken out when `remove`; otherwise
    a 422 naming what was found."""
    if not isinstance(text, str) or (field == "body" and _body_problem(text)):
        return text   # the service refuses it with its own message, without judging it first
    spans = pipeline.composer_check(text, community).body_phi
    if not spans:
        return text
    if remove:
        return moderation_filters.redact(text, spans)
    where = "post" if field == "body" else "title"
    message = (f"Your {where} seems to include {pipeline.describe(spans)}. Change the text, or send "
               '"identifiers": "remove" to have them taken out.')
    raise ValidationFailed(message, {field: message})


def edit_post(viewer, post_id, body):
    post, thread, _ = check_can_edit(viewer, post_id)
    lifecycle.lock(post.id)
    if post.state in ("deleted", "rejected"):
        raise Forbidden("This post can no longer be edited.")
    problem = _body_problem(body)
    if problem:
        raise ValidationFailed(problem, {"body": problem})
    body = body.strip()
    if body == post.body:
        return post
    _refuse_blocked(thread.community_id, body)
    db.session.add(PostRevision(post_id=post.id, body=post.body, body_html=post.body_html, created_at=post.edited_at or post.created_at))
    if post.state == "published" and post.public_html is None and post.moderation_status == "done":
        # Others keep the judged version until the new text is judged (the pipeline clears it).
        post.public_body, post.public_html = post.body, post.body_html
    post.body = body
    post.body_html = render(body)
    notifications.record_mentions(post)
    post.edited_at = utcnow()
    post.moderation_status = "pending"
    # New words, a new judgement: notices a moderator removed from the old text may apply again.
    post.suppressed_notices = []
    _screen_for_crisis(post, thread, body)
    dispatch.enqueue("moderation.moderate_post", post.id)
    db.session.commit()
    return post


def may_read_revisions(viewer, post, community):
    """Earlier versions are for the post's author and the community's moderators (admins included)
    only: they may hold what the author removed, or text a moderator edited before it was ever
    published (DESIGN.md "Revisions")."""
    return viewer.signed_in and (post.author_id == viewer.user_id or viewer.is_moderator(community.id))


def revisions(viewer, post_id):
    """(post, earlier versions newest first, whether the viewer may read them). Others get no rows:
    the page tells them only that, and when, the post was edited."""
    post, _, community = post_row(viewer, post_id)
    allowed = may_read_revisions(viewer, post, community)
    if post.state == "deleted" or not allowed:
        return post, [], allowed
    rows = db.session.scalars(
        sa.select(PostRevision).where(PostRevision.post_id == post.id).order_by(PostRevision.id.desc())
    ).all()
    return post, rows, allowed


def erase_revision(viewer, post_id, revision_id):
    """The author erases an earlier version's text. The row stays, with its time, so the fact of
    the edit stays; the staff log records the erasure, never the text."""
    post, _, community = post_row(viewer, post_id)
    if post.author_id != viewer.user_id:
        raise Forbidden("Only the author can erase an earlier version of a post.")
    revision = db.session.scalar(
        sa.select(PostRevision).where(PostRevision.id == revision_id, PostRevision.post_id == post.id))
    if revision is None:
        raise NotFound("No such earlier version.")
    if revision.erased_at is None:
        revision.body, revision.body_html, revision.erased_at = "", "", utcnow()
        staff_log.record(viewer.user_id, "revision.erase", "post", post.id, community.id,
                         "the author erased the text of an earlier version")
        db.session.commit()
    return revision


def delete_post(viewer, post_id):
    """The author removes their post: text and history go; a placeholder keeps the thread readable."""
    post, thread, community = post_row(viewer, post_id)
    if post.author_id != viewer.user_id:
        raise Forbidden("You can only delete your own posts.")
    lifecycle.lock(post.id)
    if post.state == "deleted":
        return post
    lifecycle.delete(post, thread)
    post.body = ""
    post.body_html = ""
    db.session.execute(sa.delete(PostRevision).where(PostRevision.post_id == post.id))
    pipeline.author_deleted(post.id)
    db.session.execute(sa.delete(Reaction).where(Reaction.post_id == post.id))
    post.reactions = {}
    db.session.commit()
    return post


def set_reaction(viewer, post_id, kind, on):
    if kind not in REACTIONS:
        raise ValidationFailed("Unknown reaction.", {"kind": f"One of: {', '.join(REACTIONS)}."})
    post, _, community = post_row(viewer, post_id)
    if not viewer.signed_in:
        raise Forbidden("Log in to react.")
    if post.state != "published":
        raise Forbidden("You can react to published posts only.")
    if on and kind != "hug" and "crisis" in (post.labels or ()):
        # Someone may be at risk: a "like" reads as approval. Taking back an earlier one stays possible.
        raise ValidationFailed("Only “Hug” can be given to this post.", {"kind": "Only “Hug” is offered on this post."})
    existing = db.session.scalar(
        sa.select(Reaction).where(Reaction.post_id == post.id, Reaction.user_id == viewer.user_id, Reaction.kind == kind)
    )
    if on and existing is None:
        db.session.add(Reaction(post_id=post.id, user_id=viewer.user_id, kind=kind))
        if post.author_id != viewer.user_id:
            dispatch.enqueue_once("notifications.reacted", post.id)
    elif not on and existing is not None:
        db.session.delete(existing)
    db.session.flush()
    # Recounted from the rows each time, so the stored counts heal after any race.
    counts = dict(db.session.execute(
        sa.select(Reaction.kind, sa.func.count()).where(Reaction.post_id == post.id).group_by(Reaction.kind)
    ).all())
    post.reactions = {k: counts[k] for k in REACTIONS if counts.get(k)}
    db.session.commit()
    return post


def set_bookmark(viewer, post_id, on):
    post, _, _ = post_row(viewer, post_id)
    if not viewer.signed_in:
        raise Forbidden("Log in to bookmark.")
    existing = db.session.scalar(
        sa.select(Bookmark).where(Bookmark.post_id == post.id, Bookmark.user_id == viewer.user_id)
    )
    if on and existing is None:
        db.session.add(Bookmark(post_id=post.id, user_id=viewer.user_id))
    elif not on and existing is not None:
        db.session.delete(existing)
    db.session.commit()


def bookmarks(viewer):
    """The viewer's bookmarks that they may still see (access can change after bookmarking)."""
    return db.session.execute(
        sa.select(Post, Thread).join(Bookmark, Bookmark.post_id == Post.id)
        .join(Thread, Thread.id == Post.thread_id).join(Community, Community.id == Thread.community_id)
        .where(Bookmark.user_id == viewer.user_id, visible_posts(viewer))
        .order_by(Bookmark.id.desc())
    ).all()


def set_ignore(viewer, user_id, on):
    if not viewer.signed_in:
        raise Forbidden("Log in first.")
    if user_id == viewer.user_id:
        raise ValidationFailed("You cannot ignore yourself.")
    target = db.session.get(User, user_id)
    if target is None:
        raise NotFound("No such member.")
    if target.role == "admin" and on:
        raise ValidationFailed("Staff posts cannot be ignored.")
    existing = db.session.scalar(
        sa.select(Ignore).where(Ignore.user_id == viewer.user_id, Ignore.ignored_id == user_id)
    )
    if on and existing is None:
        db.session.add(Ignore(user_id=viewer.user_id, ignored_id=user_id))
    elif not on and existing is not None:
        db.session.delete(existing)
    db.session.commit()


def is_ignoring(viewer, user_id):
    return viewer.signed_in and db.session.scalar(
        sa.select(Ignore.id).where(Ignore.user_id == viewer.user_id, Ignore.ignored_id == user_id)
    ) is not None


def user_profile(viewer, user_id):
    """A member's page: for signed-in members, and for visitors only if its member made it public.
    A visitor gets the same Unauthorized for a private page as for an id nobody has, so the ids
    cannot be walked to list the members."""
    user = db.session.get(User, user_id)
    if not viewer.signed_in and (user is None or not user.profile_public):
        raise Unauthorized("Member pages are for signed-in members. Log in to see this one.")
    if user is None:
        raise NotFound("No such member.")
    return user


def posts_after(viewer, thread, after_number=0, limit=POSTS_PER_PAGE):
    """Posts the viewer may see with number > after_number (the API's cursor); (posts, next_after)."""
    stmt = (
        sa.select(Post).join(Thread, Thread.id == Post.thread_id).join(Community, Community.id == Thread.community_id)
        .where(Post.thread_id == thread.id, Post.number > after_number, visible_posts(viewer))
        .order_by(Post.number).limit(limit + 1)
    )
    rows = db.session.scalars(stmt).all()
    return rows[:limit], (rows[limit - 1].number if len(rows) > limit else None)
