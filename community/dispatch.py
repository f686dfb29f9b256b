"""Dispatch after commit through an outbox row written in the same transaction.

enqueue() adds the row; when the session commits, the task is published and the
row marked sent. If the broker is down the row stays unsent and the periodic
relay publishes it later; a rollback drops both the row and the message.
"""
import logging
import os
import threading
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


def enqueue_once(task_name, *args):
    """enqueue, unless this transaction has queued the same task with the same ids already."""
    for row in db.session.info.get(_KEY, ()):
        if row.task == task_name and row.args == list(args):
            return row
    return enqueue(task_name, *args)


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


# The outbox already guarantees delivery, so nobody waits on Redis: a frozen server times out
# at once, a dead one is refused without redis-py's retries (6 s), and the relay tries later.
PUBLISH_OPTIONS = {"socket_connect_timeout": 0.3, "socket_timeout": 0.3, "max_retries": 0}
_local = threading.local()


def _connection():
    """This thread's publishing connection, or None in eager mode. Returns (connection, reused)."""
    if celery.conf.task_always_eager:
        return None, False
    key = (os.getpid(), celery.conf.broker_url)
    if getattr(_local, "key", None) == key:
        return _local.conn, True
    _local.conn = celery.connection_for_write(
        transport_options={**celery.conf.broker_transport_options, **PUBLISH_OPTIONS})
    _local.key = key
    return _local.conn, False


def _forget_connection():
    conn, _local.conn, _local.key = getattr(_local, "conn", None), None, None
    if conn is not None:
        try:
            conn.release()
        except Exception:  # already broken: nothing to give back
            pass


def _send(task_name, args):
    connection, reused = _connection()
    try:
        celery.tasks[task_name].apply_async(args=args, retry=False, connection=connection)
    except Exception as exc:
        _forget_connection()
        if not reused or "timeout" in str(exc).lower():
            raise
        # A kept connection may have died with an earlier Redis: one more try on a new one
        # (not after a timeout: a frozen server would only make the request wait twice).
        connection, _ = _connection()
        celery.tasks[task_name].apply_async(args=args, retry=False, connection=connection)


def _publish(items):
    for outbox_id, task_name, args in items:
        try:
            _send(task_name, args)
        except Exception as exc:  # broker down: the relay will try again
            log.warning("outbox %s not published (%s: %s); relay will retry", outbox_id, type(exc).__name__, exc)
            if celery.conf.task_always_eager:
                continue  # that one task failed; the next may not
            break  # Redis is down for all of them: the relay sends the rest later
        try:
            with db.engine.begin() as conn:
                conn.execute(
                    sa.update(Outbox).where(Outbox.id == outbox_id, Outbox.sent_at.is_(None))
                    .values(sent_at=utcnow())
                )
        except Exception as exc:
            # After the commit the data is saved and the task queued: this must never turn the
            # request into an error. At worst the relay sends it again; tasks are idempotent.
            log.warning("outbox %s published but not marked sent (%s); the relay may send it again",
                        outbox_id, type(exc).__name__)


def relay(older_than=timedelta(seconds=10), limit=500):
    """Publish outbox rows that were never sent. Returns how many were published.

    A row is normally sent milliseconds after its commit (publishing times out in 0.3 s), so one
    unsent after 10 s was missed; a row sent twice costs nothing (tasks are idempotent)."""
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
