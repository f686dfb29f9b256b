"""The one visibility rule. Every query that lists or shows content goes through here."""
import time
from dataclasses import dataclass, field
from functools import lru_cache

import sqlalchemy as sa

from ..extensions import db
from .models import BY_NAME, Community, Membership, Moderator, Post, Thread

AUTHOR_SEES = ("pending", "held", "rejected", "hidden")
# Deleted posts stay in place as "removed by the author" so replies keep their context.
EVERYONE_SEES = ("published", "deleted")


@dataclass(frozen=True)
class Viewer:
    """Who is looking: built once per request (or per task) and passed to services."""

    user_id: int | None = None
    is_admin: bool = False
    member_of: frozenset = field(default_factory=frozenset)
    moderates: frozenset = field(default_factory=frozenset)
    can_post: bool = False
    # (slug, name) of the communities joined, for the navigation bar.
    communities: tuple = ()
    # Appointed a moderator, but the powers wait for two-factor authentication (for the banner).
    moderator_waiting: bool = False

    @property
    def signed_in(self):
        return self.user_id is not None

    def is_member(self, community_id):
        return community_id in self.member_of

    def is_moderator(self, community_id):
        return self.is_admin or community_id in self.moderates


ANONYMOUS = Viewer()

# The WHERE clauses below are built once per distinct Viewer (immutable, hashable) and reused:
# building them was a large share of a signed-in page's CPU.


def _viewer_statement():
    # Built once: constructing this per request cost more than running it.
    me = sa.bindparam("user_id")
    moderator = sa.select(Moderator.community_id).where(Moderator.user_id == me).scalar_subquery()
    member = sa.select(Membership.community_id).where(Membership.user_id == me).scalar_subquery()
    return (
        sa.select(Community.id, Community.slug, Community.name, Community.id.in_(member).label("joined"),
                  Community.id.in_(moderator).label("moderates"))
        .where(sa.or_(Community.id.in_(member), Community.id.in_(moderator))).order_by(*BY_NAME)
    )


_VIEWER = _viewer_statement()


VIEWER_TTL = 60           # seconds a cached Viewer may show an old community name in the navigation
_VIEWERS_MAX = 10_000


def bump_memberships(user_id):
    """The member's communities or moderator roles changed: their cached Viewer is stale."""
    from ..accounts.models import User

    db.session.execute(sa.update(User).where(User.id == user_id)
                       .values(memberships_version=User.memberships_version + 1))


def viewer_for(user, two_factor=True):
    """The Viewer of a signed-in user, kept per process under everything it is built from (the
    memberships version, 2FA, role, verified email), so a signed-in page skips its query.

    two_factor: whether the session or API token in use passed the second factor. Staff powers
    need it as well as 2FA on the account, so a session made by the password alone never gets
    them. Pages and the API pass it; callers without a session (CLI, worker, tests) keep True."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    from flask import current_app

    staff = user.totp_enabled and two_factor
    key = (user.id, user.memberships_version, user.totp_enabled, staff, user.is_admin, user.email_verified)
    cache = current_app.extensions.setdefault("viewers", {})
    now = time.monotonic()
    hit = cache.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    viewer = _load_viewer(user, staff)
    if len(cache) >= _VIEWERS_MAX:
        cache.clear()
    cache[key] = (now + VIEWER_TTL, viewer)
    return viewer


def _load_viewer(user, staff):
    # One query for both: the communities joined, and (with 2FA) those moderated.
    rows = db.session.execute(_VIEWER, {"user_id": user.id}).all()
    joined = [row for row in rows if row.joined]
    # Moderator powers, like admin powers, wait for two-factor authentication.
    moderates = frozenset(row.id for row in rows if row.moderates) if staff else frozenset()
    return Viewer(
        user_id=user.id, is_admin=user.is_admin and staff, member_of=frozenset(row.id for row in joined),
        moderates=moderates, can_post=user.email_verified,
        communities=tuple((row.slug, row.name) for row in joined),
        moderator_waiting=not user.totp_enabled and any(row.moderates for row in rows),
    )


def can_read_community(viewer, community):
    return community.visibility == "public" or viewer.is_admin or viewer.is_member(community.id) \
        or viewer.is_moderator(community.id)


@lru_cache(maxsize=2048)
def readable_communities(viewer):
    """WHERE clause on Community."""
    if viewer.is_admin:
        return sa.true()
    ids = viewer.member_of | viewer.moderates
    return sa.or_(Community.visibility == "public", Community.id.in_(ids)) if ids else (
        Community.visibility == "public"
    )


@lru_cache(maxsize=2048)
def visible_threads(viewer):
    """WHERE clause on Thread joined to Community."""
    clause = Thread.state.in_(EVERYONE_SEES)
    if viewer.member_of:
        clause = sa.and_(clause, sa.or_(~Thread.members_only, Thread.community_id.in_(viewer.member_of)))
    else:
        clause = sa.and_(clause, ~Thread.members_only)
    if viewer.signed_in:
        clause = sa.or_(clause, Thread.author_id == viewer.user_id)
    if viewer.is_admin:
        return sa.true()
    if viewer.moderates:
        clause = sa.or_(clause, Thread.community_id.in_(viewer.moderates))
    return sa.and_(readable_communities(viewer), clause)


@lru_cache(maxsize=2048)
def visible_posts(viewer):
    """WHERE clause on Post joined to Thread and Community."""
    if viewer.is_admin:
        return sa.true()
    public = Post.state.in_(EVERYONE_SEES)
    if viewer.member_of:
        public = sa.and_(public, sa.or_(~Post.members_only, Thread.community_id.in_(viewer.member_of)))
    else:
        public = sa.and_(public, ~Post.members_only)
    clause = public
    if viewer.signed_in:
        clause = sa.or_(clause, sa.and_(Post.author_id == viewer.user_id, Post.state.in_(AUTHOR_SEES)))
    if viewer.moderates:
        clause = sa.or_(clause, Thread.community_id.in_(viewer.moderates))
    return sa.and_(readable_communities(viewer), visible_threads(viewer), clause)


def can_see_post(viewer, post, thread, community):
    """The same rule for one loaded object (used before acting on it)."""
    if viewer.is_admin:
        return True
    if not can_read_community(viewer, community):
        return False
    if viewer.is_moderator(community.id):
        return True
    thread_ok = (thread.state in EVERYONE_SEES and (not thread.members_only or viewer.is_member(community.id))) \
        or thread.author_id == viewer.user_id
    if not thread_ok:
        return False
    if post.state in EVERYONE_SEES:
        return not post.members_only or viewer.is_member(community.id)
    return viewer.signed_in and post.author_id == viewer.user_id and post.state in AUTHOR_SEES


def readers(user_id, community, members_only):
    """SQL on a user id column: whether that member may read a published post of `community`
    (members_only: the post or its thread is limited to members). The fan-out's form of the rule,
    for thousands of recipients in one statement; staff powers need 2FA, as in viewer_for."""
    from ..accounts.models import User

    if community.visibility == "public" and not members_only:
        return sa.true()
    staff = sa.exists().where(User.id == user_id, User.totp_enabled_at.is_not(None), sa.or_(
        User.role == "admin",
        sa.exists().where(Moderator.user_id == user_id, Moderator.community_id == community.id)))
    return sa.or_(sa.exists().where(Membership.user_id == user_id, Membership.community_id == community.id), staff)
