"""Misses reported from real use: a moderator says what the filters should have found, in the
rules' test box or on a review item. `community moderation misses` writes the open ones as
training rows, which join `data/regressions.jsonl` (and so the model and tests/unit/test_regressions.py)
once a developer has checked them against the policy."""
import sqlalchemy as sa

from ..errors import ValidationFailed
from ..extensions import db
from ..models_base import utcnow
from . import filters, rules, services
from .models import Miss

NOTE_MAX = 300


def _expected(labels):
    chosen = [label for label in filters.LABELS if label in set(labels or ())]
    if len(chosen) != len(set(labels or ())):
        raise ValidationFailed("Choose labels from the list.", {"expected": "Choose labels from the list."})
    return chosen


def _save(viewer, community_id, post_id, source, text, labels, note):
    from . import pipeline

    text = (text or "").strip()[:20000]
    if not text:
        raise ValidationFailed("Paste the text the filters got wrong.", {"text": "Paste the text the filters got wrong."})
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationFailed(f"Keep the note under {NOTE_MAX} characters.",
                               {"note": f"Keep the note under {NOTE_MAX} characters."})
    expected = _expected(labels)
    decision = pipeline.judge_text(text, None)
    found = list(decision.labels) if decision else []
    if sorted(found) == sorted(expected):
        raise ValidationFailed("The filters already give these labels: tick what they should have given.",
                               {"expected": "The filters already give these labels: tick what they should have given."})
    miss = Miss(reporter_id=viewer.user_id, community_id=community_id, post_id=post_id, source=source, text=text,
                expected=expected, found=found, note=note)
    db.session.add(miss)
    db.session.commit()
    return miss


def report_text(viewer, community_id, text, labels, note=""):
    """From the test box: the community's moderators, or the admins for the site-wide box."""
    rules._can_edit(viewer, community_id)
    return _save(viewer, community_id, None, "test_box", text, labels, note)


def report_item(viewer, item_id, labels, note=""):
    """From a review item: the post's text as it is now, by a moderator who may open the item."""
    row = services.get_item(viewer, item_id)
    return _save(viewer, row.ReviewItem.community_id, row.Post.id, "item", row.Post.body, labels, note)


def export(mark=False):
    """The open misses as training rows (data/*.jsonl's shape), oldest first."""
    misses = db.session.scalars(sa.select(Miss).where(Miss.exported_at.is_(None)).order_by(Miss.id)).all()
    rows = [{"id": f"miss-{m.id}", "text": m.text, "labels": m.expected, "crisis_tier": None,
             "lang": None, "note": f"reported from the {m.source.replace('_', ' ')} on {m.created_at:%Y-%m-%d}; "
             f"the filters gave {', '.join(m.found) or 'nothing'}" + (f"; {m.note}" if m.note else "")}
            for m in misses]
    if mark:
        for m in misses:
            m.exported_at = utcnow()
        db.session.commit()
    return rows

