"""Idempotency keys: a form or API POST sent twice (a double tap, a retry) within ten minutes gets
the first answer again instead of running twice.

Forms carry a hidden nonce (`idempotency_field()` in templates); the API takes an `Idempotency-Key`
header. Only signed-in members' requests are keyed: the anonymous forms (log in, sign up, reset)
answer with a session cookie, which a replayed redirect could not carry.

The reservation row is written and committed on its own connection before the view runs, so a
concurrent duplicate hits the unique (user_id, key) constraint at once; it waits for the first
request's answer and replays it. Only answers worth repeating are kept: a form's redirect (PRG;
an error page re-rendered with the form changed nothing and frees the key, so the corrected form
can be sent) and an API call's JSON (Stripe's rule: errors included, except conflicts, rate
limits and server errors). Expired rows are purged as new keys arrive.
"""
import hashlib
import json
import re
import secrets
import time
from datetime import datetime, timedelta
from typing import Optional

import sqlalchemy as sa
import sqlalchemy.orm
from flask import Response, current_app, g, has_request_context, request, session
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.orm import Mapped, mapped_column

from .extensions import db
from .models_base import UTCDateTime, utcnow

WINDOW = timedelta(minutes=10)
FIELD = "idempotency_key"
HEADER = "Idempotency-Key"
KEY_RE = re.compile(r"[A-Za-z0-9_\-:.]{8,255}")
NOT_KEPT = (409, 429)


class IdempotencyKey(db.Model):
    __tablename__ = "idempotency_keys"
    __table_args__ = (sa.UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(sa.String(255))
    request_hash: Mapped[str] = mapped_column(sa.String(64))
    method_path: Mapped[str] = mapped_column(sa.String(300))
    # NULL while the first request runs.
    status: Mapped[Optional[int]] = mapped_column(sa.Integer)
    location: Mapped[Optional[str]] = mapped_column(sa.String(2000))
    # API: the JSON answer. Forms: the flashed messages to show again with the redirect.
    body: Mapped[Optional[str]] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


def nonce():
    return secrets.token_urlsafe(18)


def field():
    """The hidden input every state-changing form carries (a fresh nonce per rendered form)."""
    return Markup(f'<input type="hidden" name="{FIELD}" value="{nonce()}">')


def openapi_plugin():
    """An apispec plugin documenting the optional header on every POST of the API."""
    from apispec import BasePlugin

    class IdempotencyHeader(BasePlugin):
        def operation_helper(self, path=None, operations=None, **kwargs):
            if operations and "post" in operations:
                operations["post"].setdefault("parameters", []).append({
                    "in": "header", "name": HEADER, "required": False,
                    "schema": {"type": "string", "pattern": f"^{KEY_RE.pattern}$"},
                    "description": "Send the same key again within 10 minutes to get the first answer "
                                   "instead of running the request twice.",
                })

    return IdempotencyHeader()


# ---------------------------------------------------------------- the table (own connections)

class Claim:
    """What to do with a keyed request: run it (`row_id` set), replay `row`, or refuse (`problem`)."""

    def __init__(self, row_id=None, row=None, problem=None):
        self.row_id, self.row, self.problem = row_id, row, problem


# The reservation's status while its request runs: NULL, then DONE from the commit of the
# request's own writes (set in that same transaction), then the answer's status.
DONE = -1


def claim(user_id, key, request_hash, method_path, wait=5.0, now=None, stale=35.0):
    """`stale`: seconds after which a reservation still running is its dead process's. gunicorn
    kills a request at 30 s; a NULL row older than that wrote nothing (DONE would be set), so a
    retry may run it; a DONE row that old did its work but lost its answer."""
    table = IdempotencyKey.__table__
    deadline = time.monotonic() + wait
    while True:
        now_ = now or utcnow()
        try:
            with db.engine.begin() as conn:
                conn.execute(table.delete().where(table.c.created_at < now_ - WINDOW))
                row_id = conn.execute(table.insert().values(
                    user_id=user_id, key=key, request_hash=request_hash, method_path=method_path[:300],
                    created_at=now_)).inserted_primary_key[0]
            return Claim(row_id=row_id)
        except sa.exc.IntegrityError:
            pass
        with db.engine.connect() as conn:
            row = conn.execute(sa.select(table).where(table.c.user_id == user_id, table.c.key == key)).first()
        if row is None:
            continue  # the first request failed and let the key go: this one runs
        if row.request_hash != request_hash:
            return Claim(problem="mismatch")
        if row.status not in (None, DONE):
            return Claim(row=row)
        if row.created_at < now_ - timedelta(seconds=stale):
            if row.status == DONE:
                return Claim(problem="done")
            with db.engine.begin() as conn:
                conn.execute(table.delete().where(table.c.id == row.id, table.c.status.is_(None)))
            continue
        if time.monotonic() >= deadline:
            return Claim(problem="busy")
        time.sleep(0.05)


def finish(row_id, status, location=None, body=None):
    table = IdempotencyKey.__table__
    try:
        with db.engine.begin() as conn:
            conn.execute(table.update().where(table.c.id == row_id).values(status=status, location=location, body=body))
    except sa.exc.SQLAlchemyError:
        # The request's work is committed: its answer must still reach the client. The row stays
        # DONE, so a retry is told the work was done rather than doing it again.
        current_app.logger.exception("idempotency: answer not recorded for key row %s", row_id)


def release(row_id):
    """Free the key so a corrected or retried request can run; never once the work is committed."""
    table = IdempotencyKey.__table__
    with db.engine.begin() as conn:
        conn.execute(table.delete().where(table.c.id == row_id, table.c.status.is_(None)))


# ---------------------------------------------------------------- request hooks

def _digest(*parts):
    return hashlib.sha256(json.dumps(parts, separators=(",", ":")).encode()).hexdigest()


def _form_claim():
    from .api import is_api_request

    if request.method != "POST" or is_api_request() or not current_user.is_authenticated:
        return None
    key = request.form.get(FIELD, "")
    if not KEY_RE.fullmatch(key):
        return None
    fields = sorted([k, v] for k, values in request.form.lists() if k not in (FIELD, "csrf_token") for v in values)
    files = []
    for name, upload in request.files.items(multi=True):
        files.append([name, hashlib.sha256(upload.read()).hexdigest()])
        upload.seek(0)
    digest = _digest(request.method, request.full_path, fields, files)
    # One nonce per rendered page, and a page may hold several actions (the thread page's reaction
    # buttons share one form): the action is part of the key, so only a true repeat is replayed.
    return _start(current_user.id, _digest(key, digest), digest, "form")


def api_claim():
    """Run by the API blueprint after it has authenticated the token."""
    key = request.headers.get(HEADER)
    if request.method != "POST" or key is None or g.get("api_token") is None:
        return None
    from .api import error_response

    if not KEY_RE.fullmatch(key):
        return error_response(400, "bad_idempotency_key",
                              f"{HEADER} must be 8 to 255 letters, digits or - _ : . characters.")
    digest = _digest(request.method, request.full_path, request.get_data(as_text=True))
    return _start(g.api_token.user_id, key, digest, "api")


def _start(user_id, key, digest, kind):
    result = claim(user_id, key, digest, f"{request.method} {request.path}",
                   wait=current_app.config.get("IDEMPOTENCY_WAIT_SECONDS", 5.0),
                   stale=current_app.config.get("IDEMPOTENCY_STALE_SECONDS", 35.0))
    if result.row_id is not None:
        g.idempotency = (result.row_id, kind, len(session.get("_flashes", ())))
        return None
    if result.row is not None:
        return _replay(result.row, kind)
    return _refusal(result.problem, kind)


def _replay(row, kind):
    if kind == "api":
        response = Response(row.body or "", status=row.status, mimetype="application/json")
    else:
        response = Response("", status=row.status)
        shown = list(session.get("_flashes", []))
        # Messages the first request flashed, unless its cookie already reached the browser.
        seen = {tuple(m) for m in shown}
        again = [tuple(m) for m in json.loads(row.body or "[]") if tuple(m) not in seen]
        if again:
            session["_flashes"] = shown + again
    if row.location:
        response.headers["Location"] = row.location
    response.headers["Idempotent-Replayed"] = "true"
    return response


def _refusal(problem, kind):
    if kind == "api":
        from .api import error_response

        if problem == "mismatch":
            return error_response(422, "idempotency_key_reused",
                                  f"This {HEADER} was already used for a different request; "
                                  "send a new key with a new request.")
        if problem == "done":
            return error_response(409, "idempotency_key_done",
                                  "A request with this key was carried out, but its answer was lost; "
                                  "look for its result instead of sending it again.")
        return error_response(409, "idempotency_key_in_use",
                              f"A request with this {HEADER} is still being processed; try again in a moment.")
    from .errors import Conflict

    if problem == "done":
        raise Conflict("That form was sent and saved. Reload the page to see it.")
    raise Conflict("That form is still being sent. Wait a moment, then reload the page.")


def _after(response):
    held = g.pop("idempotency", None)
    if held is None:
        return response
    row_id, kind, flashes_before = held
    status = response.status_code
    if kind == "form" and 300 <= status < 400:
        flashed = [list(m) for m in session.get("_flashes", [])[flashes_before:]]
        finish(row_id, status, response.headers.get("Location"), json.dumps(flashed))
    elif kind == "api" and status < 500 and status not in NOT_KEPT and response.mimetype == "application/json":
        finish(row_id, status, response.headers.get("Location"), response.get_data(as_text=True))
    else:
        release(row_id)
    return response


def _teardown(_exc):
    # An exception that skipped after_request: free the key so a retry can run.
    held = g.pop("idempotency", None)
    if held is not None:
        release(held[0])


# ---------------------------------------------------------------- DONE, in the work's own transaction

def _wrote(session, *_args):
    session.info["idempotency_wrote"] = True


def _wrote_dml(state):
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info["idempotency_wrote"] = True


def _mark_done(session):
    """Before the request's first commit that writes: its reservation becomes DONE in the same
    transaction, so a process killed after it cannot have its work run twice by a retry."""
    if not session.info.pop("idempotency_wrote", False) or not has_request_context():
        return
    held = g.get("idempotency")
    if held is None or g.get("idempotency_done"):
        return
    g.idempotency_done = True
    table = IdempotencyKey.__table__
    session.connection().execute(table.update().where(table.c.id == held[0], table.c.status.is_(None))
                                 .values(status=DONE))


def _forget(session, *_args):
    session.info.pop("idempotency_wrote", None)


sa.event.listen(sa.orm.Session, "after_flush", _wrote)
sa.event.listen(sa.orm.Session, "do_orm_execute", _wrote_dml)
sa.event.listen(sa.orm.Session, "before_commit", _mark_done)
sa.event.listen(sa.orm.Session, "after_rollback", _forget)


def init_app(app):
    app.before_request(_form_claim)
    app.after_request(_after)
    app.teardown_request(_teardown)
    app.add_template_global(field, "idempotency_field")
