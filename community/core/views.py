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
    return jsonify(status="ok")


@bp.route("/readyz")
def readyz():
    checks = {}
    try:
        db.session.execute(sa.text("SELECT 1"))
        checks["database"] = "ok"
    except Exception:  # the point is to answer, not to raise
        checks["database"] = "unreachable"
    conf = current_app.extensions["celery"].conf
    if conf.task_always_eager:
        checks["broker"] = "eager"
    else:
        try:
            with current_app.extensions["celery"].connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
            checks["broker"] = "ok"
        except Exception:
            checks["broker"] = "unreachable"
    ok = all(v in ("ok", "eager") for v in checks.values())
    return jsonify(status="ok" if ok else "unavailable", checks=checks), 200 if ok else 503
