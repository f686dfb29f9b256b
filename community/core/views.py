import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

import sqlalchemy as sa
from flask import Blueprint, current_app, g, jsonify, render_template, request

from ..extensions import db
from ..forums import search as search_service
from ..forums import fragments
from ..forums import services as forums

bp = Blueprint("core", __name__)


@bp.route("/")
def home():
    recent = forums.recent_thread_keys(g.viewer, limit=8)
    recent_items = fragments.render_items("core/_recent_item.html", recent, forums.threads_by_id, root=request.script_root)
    communities = {row.id: row for row in forums.community_rows(g.viewer)}
    # Keyed by everything an item shows, so a changed count is never served stale.
    community_items = fragments.render_items("core/_community_item.html", [(row.id, tuple(row)) for row in communities.values()],
                                             lambda ids: communities, root=request.script_root)
    return render_template("core/home.html", recent=recent, recent_items=recent_items, community_items=community_items)


@bp.route("/search")
def search():
    query = (request.args.get("q") or "").strip()[:200]
    page = max(1, min(request.args.get("page", 1, type=int), 50))
    results = search_service.search(g.viewer, query, limit=21, offset=(page - 1) * 20) if query else []
    return render_template("core/search.html", query=query, results=results[:20], page=page,
                           has_more=len(results) > 20)


@bp.route("/guidelines")
def guidelines():
    return render_template("core/guidelines.html")


@bp.route("/healthz")
def healthz():
    # The process answers: nothing else. It never touches the database or Redis.
    return jsonify(status="ok")


READY_WITHIN = 0.8  # seconds: /readyz answers within a second even if a server is frozen


def _database_ok(engine):
    with engine.connect() as conn:
        conn.execute(sa.text("SELECT 1"))


def _broker_ok(celery):
    from ..dispatch import PUBLISH_OPTIONS

    options = {**celery.conf.broker_transport_options, **PUBLISH_OPTIONS}
    with celery.connection_for_write(transport_options=options) as conn:
        conn.default_channel.client.ping()


@bp.route("/readyz")
def readyz():
    celery = current_app.extensions["celery"]
    checks = {"database": (_database_ok, db.engine)}
    if not celery.conf.task_always_eager:
        checks["broker"] = (_broker_ok, celery)
    # Each check in its own thread under one deadline: a frozen server (accepting, never
    # answering) must not hold this request, nor the other check.
    pool = ThreadPoolExecutor(max_workers=len(checks))
    futures = {name: pool.submit(fn, arg) for name, (fn, arg) in checks.items()}
    pool.shutdown(wait=False)
    deadline = time.monotonic() + READY_WITHIN
    results = {} if "broker" in checks else {"broker": "eager"}
    for name, future in futures.items():
        try:
            future.result(timeout=max(0.0, deadline - time.monotonic()))
            results[name] = "ok"
        except FutureTimeout:
            results[name] = "timeout"
        except Exception:  # the point is to answer, not to raise
            results[name] = "unreachable"
    ok = all(v in ("ok", "eager") for v in results.values())
    return jsonify(status="ok" if ok else "unavailable", checks=results), 200 if ok else 503
