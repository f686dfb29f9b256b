"""What the pipeline decided, and the review queue it feeds."""
from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models_base import UTCDateTime, utcnow

# Queue order: crisis alerts and escalations first, then flagged and held posts, then identifier reviews.
PRIORITY = {"crisis": 0, "escalated": 0, "flagged": 1, "held": 1, "phi": 2}
KIND_NAMES = {"crisis": "Crisis alert", "escalated": "Escalated by a rule", "flagged": "Flagged for review",
              "held": "Held post", "phi": "Identifiers removed"}


class Verdict(db.Model):
    """One filter's finding on one version of a post (kept for moderators and the staff log)."""

    __tablename__ = "moderation_verdicts"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    # Hash of the text the filters read: the same text is never judged twice.
    text_hash: Mapped[str] = mapped_column(sa.String(64))
    filter: Mapped[str] = mapped_column(sa.String(32))
    labels: Mapped[list] = mapped_column(sa.JSON, default=list)
    actions: Mapped[list] = mapped_column(sa.JSON, default=list)
    reasons: Mapped[list] = mapped_column(sa.JSON, default=list)
    # [[start, end, kind], ...] offsets into the judged text; never the matched text itself.
    spans: Mapped[list] = mapped_column(sa.JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ReviewItem(db.Model):
    """A post waiting for a moderator: a crisis alert, a held post, or an identifier review."""

    __tablename__ = "review_items"
    __table_args__ = (sa.UniqueConstraint("post_id", "kind", "text_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    community_id: Mapped[int] = mapped_column(sa.ForeignKey("communities.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(16))
    priority: Mapped[int] = mapped_column(default=1)
    text_hash: Mapped[str] = mapped_column(sa.String(64))
    reasons: Mapped[list] = mapped_column(sa.JSON, default=list)
    spans: Mapped[list] = mapped_column(sa.JSON, default=list)
    # The author's text before redaction: for moderators only, wiped when the review closes.
    original_body: Mapped[Optional[str]] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(10), default="open", index=True)
    # Crisis alerts: third-party imminent risk goes to admins at once.
    urgent: Mapped[bool] = mapped_column(default=False)
    acknowledged_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    acknowledged_by: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    escalated_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    last_alerted_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    alert_count: Mapped[int] = mapped_column(default=0)
    # Who the latest alert e-mail went to: {"moderators": n, "admins": n, "without_2fa": n}.
    delivery: Mapped[Optional[dict]] = mapped_column(sa.JSON)
    # Set when an alert could be sent to nobody; every admin page shows a banner until it is handled.
    no_recipient: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    closed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    closed_by: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    outcome: Mapped[str] = mapped_column(sa.String(16), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def delivery_note(self):
        return describe_delivery(self.delivery)


def describe_delivery(delivery):
    """The queue's plain account of who an alert was e-mailed to (never more than happened)."""
    if delivery is None:
        return ""
    mods, admins, without = delivery.get("moderators", 0), delivery.get("admins", 0), delivery.get("without_2fa", 0)
    if not mods + admins:
        return "No one could be told: there is no moderator or admin to e-mail."
    parts = [f"{n} {word}{'s' if n > 1 else ''}" for n, word in ((mods, "moderator"), (admins, "admin")) if n]
    text = "E-mailed to " + " and ".join(parts)
    if without == mods + admins:
        return text + ": none of them has two-factor authentication yet, so no one can open it until one turns it on."
    if without:
        return text + f" ({without} without two-factor authentication, who cannot open it until they turn it on)."
    return text + "."


class StaffAction(db.Model):
    """The staff action log: append-only (see `_append_only`). `actor_id` None is the pipeline."""

    __tablename__ = "staff_actions"
    __table_args__ = (sa.Index("ix_staff_actions_community", "community_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    community_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("communities.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(sa.String(40))
    target_type: Mapped[str] = mapped_column(sa.String(16))
    target_id: Mapped[Optional[int]] = mapped_column()
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


@sa.event.listens_for(StaffAction, "before_update")
@sa.event.listens_for(StaffAction, "before_delete")
def _append_only(mapper, connection, target):
    raise RuntimeError("The staff action log is append-only.")


FLAG_REASONS = {
    "at_risk": "Someone may be at risk of harm",
    "spam": "Spam or selling", "abuse": "Abusive or harassing", "misinformation": "Harmful misinformation",
    "personal_info": "Shares someone's personal information", "other": "Something else",
}


class Flag(db.Model):
    """A member's report of a post; its weight comes from the flagger's trust when flagged."""

    __tablename__ = "flags"
    __table_args__ = (sa.UniqueConstraint("post_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(sa.String(16))
    message: Mapped[str] = mapped_column(sa.String(500), default="")
    weight: Mapped[float] = mapped_column(sa.Float, default=1.0)
    # open until a moderator decides the post's review; then upheld or dismissed
    status: Mapped[str] = mapped_column(sa.String(10), default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


RULE_MATCH_TYPES = ("word", "phrase", "wildcard", "regex")
RULE_ACTIONS = ("block", "censor", "require_approval", "flag", "notice", "escalate")


class Rule(db.Model):
    """A watched-word rule (MODERATION.md §3.2): one community's, or global when community_id is None."""

    __tablename__ = "moderation_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("communities.id", ondelete="CASCADE"),
                                                       index=True)
    match_type: Mapped[str] = mapped_column(sa.String(10))
    pattern: Mapped[str] = mapped_column(sa.String(300))
    case_sensitive: Mapped[bool] = mapped_column(default=False)
    action: Mapped[str] = mapped_column(sa.String(20))
    # The notice's text (action "notice") or what moderators read as the rule's reason.
    message: Mapped[str] = mapped_column(sa.String(300), default="")
    mode: Mapped[str] = mapped_column(sa.String(8), default="enforce")   # enforce | shadow
    enabled: Mapped[bool] = mapped_column(default=True)
    hit_count: Mapped[int] = mapped_column(default=0)
    last_hit_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    created_by: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


# "message" is a private message from the moderators with no sanction (kept here so the member reads
# every staff message in one place).
SANCTION_KINDS = ("message", "warn", "silence", "suspend")


class Sanction(db.Model):
    """A warning (a private message naming the rule broken), a silence in one community, or a
    site-wide suspension (admins)."""

    __tablename__ = "sanctions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    community_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("communities.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(10))
    rule: Mapped[str] = mapped_column(sa.String(200), default="")
    message: Mapped[str] = mapped_column(sa.Text, default="")
    ends_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    lifted_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    created_by: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def active(self, now=None):
        now = now or utcnow()
        return self.kind in ("silence", "suspend") and self.lifted_at is None and (self.ends_at is None or self.ends_at > now)


class MemberNote(db.Model):
    """A moderator's note on a member, for that community's moderators and the admins only."""

    __tablename__ = "member_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    community_id: Mapped[int] = mapped_column(sa.ForeignKey("communities.id", ondelete="CASCADE"))
    author_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(sa.String(1000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Appeal(db.Model):
    """One appeal per rejected post or sanction; decided by someone other than who acted."""

    __tablename__ = "appeals"
    __table_args__ = (sa.UniqueConstraint("kind", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(10))            # rejection | sanction
    target_id: Mapped[int] = mapped_column()                     # the post or the sanction
    community_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("communities.id", ondelete="CASCADE"))
    acted_by: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    message: Mapped[str] = mapped_column(sa.String(1000))
    status: Mapped[str] = mapped_column(sa.String(10), default="open")   # open | upheld | overturned
    decided_by: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    decision_reason: Mapped[str] = mapped_column(sa.String(500), default="")
    decided_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


def active_sanction(user_id, community_id, now=None):
    """The silence (in this community or site-wide) or suspension that stops this member posting.
    Here, beside the model, so that forums can ask it without importing the moderator tools."""
    now = now or utcnow()
    return db.session.scalar(
        sa.select(Sanction).where(
            Sanction.user_id == user_id, Sanction.kind.in_(("silence", "suspend")), Sanction.lifted_at.is_(None),
            sa.or_(Sanction.ends_at.is_(None), Sanction.ends_at > now),
            sa.or_(Sanction.community_id == community_id, Sanction.community_id.is_(None)))
        .order_by(Sanction.id.desc()).limit(1))


class Miss(db.Model):
    """A moderator's report that the filters got a text wrong (the test box or a review item).
    `community moderation misses` turns the open ones into training rows and regression tests;
    the text goes with its post when the post is deleted."""

    __tablename__ = "moderation_misses"

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    community_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("communities.id", ondelete="CASCADE"))
    post_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(sa.String(10))          # test_box | item
    text: Mapped[str] = mapped_column(sa.Text)
    expected: Mapped[list] = mapped_column(sa.JSON, default=list)
    found: Mapped[list] = mapped_column(sa.JSON, default=list)
    note: Mapped[str] = mapped_column(sa.String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    exported_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
