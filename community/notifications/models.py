"""Notifications: what each member watches, what they are told, and how they like to be told."""
from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models_base import UTCDateTime, utcnow

# Discourse's meanings. tracking: told of replies and mentions, as normal (unread counts come with
# the unread-tracking issue); watching: every post; watching_first_post: new threads only.
LEVELS = ("muted", "normal", "tracking", "watching", "watching_first_post")
# What a member can be told of. The moderators' kinds (crisis_alert, flag, queue) go to staff only.
KINDS = ("reply", "mention", "quote", "posted", "new_thread", "reaction", "moderation", "appeal",
         "crisis_alert", "flag", "queue")
EMAIL_MODES = ("off", "away", "always")
DIGESTS = ("off", "daily", "weekly")


class NotificationSettings(db.Model):
    """One row per member who changed anything; a member without one has the defaults."""

    __tablename__ = "notification_settings"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    # {kind: "off" | "away" | "always"}: only the kinds changed from services.EMAIL_DEFAULTS
    email: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    digest: Mapped[str] = mapped_column(sa.String(10), default="weekly")
    quiet_start: Mapped[Optional[str]] = mapped_column(sa.String(5))   # "22:00", in the member's zone
    quiet_end: Mapped[Optional[str]] = mapped_column(sa.String(5))
    discreet_email: Mapped[bool] = mapped_column(default=True)
    watch_community: Mapped[str] = mapped_column(sa.String(20), default="normal")
    watch_thread: Mapped[str] = mapped_column(sa.String(20), default="watching")
    auto_watch: Mapped[bool] = mapped_column(default=True)
    digest_sent_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())


class CommunityWatch(db.Model):
    __tablename__ = "community_watches"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    community_id: Mapped[int] = mapped_column(sa.ForeignKey("communities.id", ondelete="CASCADE"), primary_key=True,
                                              index=True)
    level: Mapped[str] = mapped_column(sa.String(20))


class ThreadWatch(db.Model):
    __tablename__ = "thread_watches"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    thread_id: Mapped[int] = mapped_column(sa.ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True,
                                           index=True)
    level: Mapped[str] = mapped_column(sa.String(20))


class PostMention(db.Model):
    """Who a post mentions or quotes, read from its rendered HTML when it is written."""

    __tablename__ = "post_mentions"

    post_id: Mapped[int] = mapped_column(sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    kind: Mapped[str] = mapped_column(sa.String(10))   # mention | quote


class Notification(db.Model):
    """One thing a member is told. `key` makes it once per (recipient, event, object): a task run
    twice inserts nothing new and mails nothing twice."""

    __tablename__ = "notifications"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "key", name="uq_notifications_user_id_key"),
        sa.Index("ix_notifications_user_id_id", "user_id", "id"),
        sa.Index("ix_notifications_email_due", "email_state", "email_due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(20))
    key: Mapped[str] = mapped_column(sa.String(80))
    actor_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    community_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("communities.id", ondelete="CASCADE"))
    thread_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("threads.id", ondelete="CASCADE"))
    post_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    # reactions and queue items are batched into one notification: how many it stands for
    count: Mapped[int] = mapped_column(default=1)
    # 1: a crisis alert (never batched, never held by quiet hours, cannot be turned off)
    priority: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    # new (not yet planned) -> due (email_due_at) -> sent | skip
    email_state: Mapped[str] = mapped_column(sa.String(10), default="new")
    email_due_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
