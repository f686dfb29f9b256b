"""What the pipeline decided, and the review queue it feeds."""
from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models_base import UTCDateTime, utcnow

# Queue order: crisis alerts first, then held posts, then identifier reviews.
PRIORITY = {"crisis": 0, "held": 1, "phi": 2}


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
    closed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    closed_by: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    outcome: Mapped[str] = mapped_column(sa.String(16), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
