import enum
from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..extensions import db
from ..models_base import UTCDateTime, utcnow

VISIBILITIES = ("public", "members")


class PostState(str, enum.Enum):
    """DESIGN.md's post states. A str Enum, so code and queries may compare with the plain names."""
    PENDING = "pending"      # saved, the pipeline has not judged it yet
    PUBLISHED = "published"
    HELD = "held"            # waiting for a moderator
    REJECTED = "rejected"
    HIDDEN = "hidden"        # by moderators or flags
    DELETED = "deleted"      # by the author


POST_STATES = tuple(s.value for s in PostState)
# A thread mirrors its opening post's state, or was merged into another thread.
THREAD_STATES = POST_STATES + ("merged",)


def _one_of(states):
    return "state IN (" + ", ".join(f"'{s}'" for s in states) + ")"
REACTIONS = ("like", "hug", "helpful")
POSTS_PER_PAGE = 20


class Community(db.Model):
    __tablename__ = "communities"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(64), unique=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    icd10: Mapped[str] = mapped_column(sa.String(40), default="")
    description: Mapped[str] = mapped_column(sa.String(500), default="")
    visibility: Mapped[str] = mapped_column(sa.String(10), default="public")
    locale: Mapped[str] = mapped_column(sa.String(10), default="en")
    phone_regions: Mapped[str] = mapped_column(sa.String(100), default="US,GB,CA,AU,IE,NZ")
    rules: Mapped[str] = mapped_column(sa.Text, default="")
    rules_html: Mapped[str] = mapped_column(sa.Text, default="")
    indexing: Mapped[bool] = mapped_column(default=False)
    member_count: Mapped[int] = mapped_column(default=0)
    thread_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def is_public(self):
        return self.visibility == "public"


# Every list of communities: by name, ignoring case ("asthma" sorts with "Asthma", not after "Z").
BY_NAME = (sa.func.lower(Community.name), Community.id)


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (sa.UniqueConstraint("user_id", "community_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    community_id: Mapped[int] = mapped_column(
        sa.ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Moderator(db.Model):
    """A volunteer moderator of one community."""

    __tablename__ = "moderators"
    __table_args__ = (sa.UniqueConstraint("user_id", "community_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    community_id: Mapped[int] = mapped_column(
        sa.ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )


class Thread(db.Model):
    __tablename__ = "threads"
    __table_args__ = (
        sa.Index("ix_threads_listing", "community_id", "state", "pinned", "last_activity_at", "id"),
        sa.CheckConstraint(_one_of(THREAD_STATES), name="state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(
        sa.ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    # Mirrors the opening post's state: a thread is listed for others once that post is published.
    state: Mapped[str] = mapped_column(sa.String(10), default="pending")
    # Mirrors the opening post too: a crisis opening post hides the thread's title from non-members.
    members_only: Mapped[bool] = mapped_column(default=False)
    pinned: Mapped[bool] = mapped_column(default=False)
    locked: Mapped[bool] = mapped_column(default=False)
    # A duplicate merged into another thread: its posts moved there, and its URL redirects.
    merged_into_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("threads.id", ondelete="SET NULL"))
    reply_count: Mapped[int] = mapped_column(default=0)
    last_post_number: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Bumped by every UPDATE (see _bump_version): rendered list items are cached under (id, version).
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    community: Mapped[Community] = relationship(lazy="joined", innerjoin=True)
    author: Mapped[User] = relationship(lazy="joined", innerjoin=True)


WAITING = "state = 'pending' OR moderation_status = 'pending'"


class Post(db.Model):
    __tablename__ = "posts"
    __table_args__ = (
        sa.UniqueConstraint("thread_id", "number"), sa.CheckConstraint(_one_of(POST_STATES), name="state"),
        # The sweep looks for these every 15 s: a few rows, however many posts there are.
        sa.Index("ix_posts_waiting", "id", sqlite_where=sa.text(WAITING), postgresql_where=sa.text(WAITING)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(sa.ForeignKey("threads.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    # Position in the thread; pages are ranges of numbers so a post's URL never moves.
    number: Mapped[int] = mapped_column()
    body: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    state: Mapped[str] = mapped_column(sa.String(10), default="pending", index=True)
    # Limited to signed-in members of the community (crisis posts).
    members_only: Mapped[bool] = mapped_column(default=False)
    moderation_status: Mapped[str] = mapped_column(sa.String(10), default="pending")
    labels: Mapped[list] = mapped_column(sa.JSON, default=list)
    notices: Mapped[list] = mapped_column(sa.JSON, default=list)
    reactions: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    edited_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    # Hash of the body as the moderation pipeline left it: a second run on the same text does nothing.
    moderated_hash: Mapped[str] = mapped_column(sa.String(64), default="", server_default="")
    # Notice kinds a moderator removed (with a logged reason); the pipeline does not put them back.
    suppressed_notices: Mapped[list] = mapped_column(sa.JSON, default=list)
    # While an edit of a published post waits to be judged, the version everyone else still sees
    # (an edit can add a phone number); None when there is no such edit.
    public_body: Mapped[Optional[str]] = mapped_column(sa.Text)
    public_html: Mapped[Optional[str]] = mapped_column(sa.Text)
    # When the stale sweep last queued it again: at most once per REQUEUE_EVERY (maintenance.py).
    requeued_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    # Bumped by every UPDATE (see _bump_version): rendered posts are cached under (id, version).
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    thread: Mapped[Thread] = relationship(lazy="raise")
    author: Mapped[User] = relationship(lazy="joined", innerjoin=True)

    @property
    def page(self):
        return (self.number - 1) // POSTS_PER_PAGE + 1

    def shown(self, own_view):
        """(body, body_html) for a reader: the author and moderators (own_view) see the newest
        text; others keep seeing the last judged version until the pipeline has judged an edit."""
        if own_view or self.public_html is None:
            return self.body, self.body_html
        return self.public_body, self.public_html


@sa.event.listens_for(Thread, "before_update")
@sa.event.listens_for(Post, "before_update")
def _bump_version(mapper, connection, target):
    # An SQL expression, not a Python +1, so two concurrent updates give two versions.
    target.version = type(target).version + 1


class PostRevision(db.Model):
    __tablename__ = "post_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The author erased this version's text: the row (and so the fact and time of the edit) stays.
    erased_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())


class Reaction(db.Model):
    __tablename__ = "reactions"
    __table_args__ = (sa.UniqueConstraint("post_id", "user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(10))


class Bookmark(db.Model):
    __tablename__ = "bookmarks"
    __table_args__ = (sa.UniqueConstraint("user_id", "post_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Ignore(db.Model):
    __tablename__ = "ignores"
    __table_args__ = (sa.UniqueConstraint("user_id", "ignored_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    ignored_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
