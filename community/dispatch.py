"""Dispatch after commit through an outbox row written in the same transaction.

enqueue() adds the row; when the session commits, the task is published and the
row marked sent. If the broker is down the row stays unsent and the periodic
relay publishes it later; a rollback drops both the row and the message.
"""
import logging
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from .core.models import Outbox
from .extensions import celery, db
from .models_base import utcnow

log = logging.getLogger(__name__)
_KEY = "outbox_pending"


def enqueue(task_name, *args):
    """Publish task_name(*args) once the current transaction commits. Args must be ids."""
    row = Outbox(task=task_name, args=list(args))
    db.session.add(row)
    db.session.info.setdefault(_KEY, []).append(row)
    return row


@event.listens_for(Session, "after_commit")
def _after_commit(session):
    rows = session.info.pop(_KEY, None)
    if rows:
        # Ids are read before the session expires them; publishing needs no ORM state.
        _publish([(r.id, r.task, r.args) for r in rows])


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session, transaction):
    # Commit published the rows already (after_commit runs first); a rollback or a close
    # without commit ends the outermost transaction with the rows discarded: forget them.
    if transaction.parent is None:
        session.info.pop(_KEY, None)


def _publish(items):
    for outbox_id, task_name, args in items:
        try:
            celery.tasks[task_name].apply_async(args=args, retry=False)
        except Exception as exc:  # broker down: the relay will try again
            log.warning("outbox %s not published (%s: %s); relay will retry", outbox_id, type(exc).__name__, exc)
            continue
        with db.engine.begin() as conn:
            conn.execute(
                sa.update(Outbox).where(Outbox.id == outbox_id, Outbox.sent_at.is_(None))
                .values(sent_at=utcnow())
            )


def relay(older_than=timedelta(seconds=30), limit=500):
    """Publish outbox rows that were never sent. Returns how many were published."""
    cutoff = utcnow() - older_than
    stmt = (
        sa.select(Outbox.id, Outbox.task, Outbox.args)
        .where(Outbox.sent_at.is_(None), Outbox.created_at <= cutoff)
        .order_by(Outbox.id).limit(limit)
    )
    items = [tuple(r) for r in db.session.execute(stmt)]
    db.session.rollback()
    _publish(items)
    return len(items)
