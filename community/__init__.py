"""Patient Commons: the Flask application factory."""
import os
import re

from flask import Flask, g, render_template, request, session, url_for
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from . import config
from .extensions import csrf, db, limiter, login_manager, migrate
from .models_base import MAX_ID


class IdConverter(IntegerConverter):
    MAX = MAX_ID

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", self.MAX)
        super().__init__(url_map, *args, **kwargs)


# A phone number in the crisis resources: 3 to 15 digits with single spaces or dashes between
# ("988", "116 123", "9-8-8", "1-833-456-4566"); never inside a word or an escaped entity.
_HELPLINE = re.compile(r"(?<![\w&#+-])\+?\d(?:[ -]?\d){2,14}(?![\w-])")


def create_app(test_config=None):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    app = Flask(
        __name__, instance_relative_config=True,
        template_folder=os.path.join(root, "templates"), static_folder=os.path.join(root, "static"),
        instance_path=os.environ.get("COMMUNITY_INSTANCE_PATH") or os.path.join(root, "instance"),
    )
    # Ids in URLs stay within the database's INTEGER: a huge id is a 404, not an overflow.
    app.url_map.converters["int"] = IdConverter
    config.load(app, test_config)
    os.makedirs(app.instance_path, exist_ok=True)

    from .accounts import models as _a  # noqa: F401  (models before migrate/create_all)
    from .core import models as _c  # noqa: F401
    from .forums import models as _f  # noqa: F401
    from .moderation import models as _m  # noqa: F401
    from .notifications import models as _n  # noqa: F401
    from . import idempotency

    db.init_app(app)
    _sqlite_pragmas(app)
    migrate.init_app(app, db, directory=os.path.join(root, "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Please log in to continue."
    login_manager.login_message_category = "info"
    if app.config.get("PAGE_CACHE_SECONDS"):
        from .pagecache import PageCache

        app.wsgi_app = PageCache(app.wsgi_app, app.config["PAGE_CACHE_SECONDS"],
                                 app.config.get("SESSION_COOKIE_NAME") or "session")
    if app.config.get("ENV_PRODUCTION"):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)

    from . import security
    from .celery_app import celery_init_app

    security.init_app(app)
    idempotency.init_app(app)
    celery_init_app(app)

    from .accounts.views import bp as accounts_bp
    from .admin.views import bp as admin_bp
    from .core.views import bp as core_bp
    from .forums.views import bp as forums_bp
    from .moderation.views import bp as moderation_bp
    from .moderation.views import member_bp as standing_bp
    from .notifications.views import bp as notifications_bp

    app.register_blueprint(core_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(forums_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(moderation_bp)
    app.register_blueprint(standing_bp)
    app.register_blueprint(notifications_bp)

    from . import api

    api.init_app(app)

    _load_user(app)
    _templates(app)
    _errors(app)

    from .cli import register_commands

    register_commands(app)
    return app


def _sqlite_pragmas(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    from sqlalchemy import event

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        # WAL lets a worker process and the web process share the file.
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=5000")
        cur.close()


def _load_user(app):
    from .accounts import services as accounts
    from .forums.visibility import ANONYMOUS, viewer_for

    @login_manager.user_loader
    def load_user(user_id):
        found = accounts.session_for(int(user_id), session.get("sid"))
        if found is None:
            return None
        row, user = found
        g.session_id = row.id
        g.session_two_factor = row.two_factor
        return user

    from .errors import ValidationFailed

    @app.before_request
    def _storable_text_only():
        """A NUL (which PostgreSQL cannot store in text) or a lone surrogate (which no UTF-8 can
        encode, so Markdown, the search index and the database all fail on it) is refused here,
        naming the field, before any service has written anything."""
        if request.method not in ("POST", "PUT", "PATCH"):
            return   # a search query with a NUL is only read, never stored: search cleans it
        values = list(request.form.items(multi=True))
        if request.is_json:
            values += list(_strings(request.get_json(silent=True)))
        for name, value in values:
            if isinstance(value, str) and _UNSTORABLE.search(value):
                message = "This text holds a character we cannot store (a NUL or an unpaired surrogate)."
                field = "body" if _UNSTORABLE.search(str(name)) else str(name)
                raise ValidationFailed(message, {field: message})

    @app.before_request
    def _viewer():
        if request.endpoint == "static":
            return
        g.viewer = viewer_for(current_user, two_factor=g.get("session_two_factor", False)) \
            if current_user.is_authenticated else ANONYMOUS


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _strings(value, name=""):
    """(field, string) for every string in a JSON document, keys included."""
    if isinstance(value, str):
        yield name, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key, name or "body")
            yield from _strings(item, key if isinstance(key, str) else name)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, name)


def _templates(app):
    from datetime import timezone

    from markupsafe import Markup

    from .markdown import safe
    from .forums.models import REACTIONS
    from .moderation.alerts import open_alert_count, unreached
    from .moderation.pipeline import AUTHOR_ONLY_NOTICES
    from .notifications import services as notifications

    app.jinja_env.filters["html"] = safe
    urls = {}

    @app.template_global()
    def asset_url(filename):
        """A static URL with a content hash, so a changed file is fetched again at once (built
        once per file and mount point: every page asks for the same two)."""
        key = (request.script_root, filename)
        if key not in urls:
            import hashlib

            with open(os.path.join(app.static_folder, filename), "rb") as f:
                urls[key] = url_for("static", filename=filename, v=hashlib.sha256(f.read()).hexdigest()[:12])
        return urls[key]
    app.jinja_env.globals["REACTIONS"] = REACTIONS
    app.jinja_env.globals["AUTHOR_ONLY_NOTICES"] = AUTHOR_ONLY_NOTICES
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.template_filter("when")
    def when(value):
        return value.strftime("%-d %b %Y, %H:%M UTC") if value else ""

    @app.template_filter("day")
    def day(value):
        return value.strftime("%-d %b %Y") if value else ""

    @app.template_filter("helplines")
    def helplines(text):
        """Crisis resources with each helpline number a tel: link (digits only in the href, the
        number as written for the text); "call your local emergency number" stays text."""
        from markupsafe import Markup, escape

        return Markup(_HELPLINE.sub(
            lambda m: f'<a href="tel:{re.sub(r"[^0-9]", "", m.group())}">{m.group()}</a>', str(escape(text))))
    @app.template_filter("time")
    def time_tag(value, day_only=False):
        """A <time> in UTC, as every reader's copy of the page has it; static/js/time.js shows it
        in the reader's zone, and relative ("2 hours ago") within a week."""
        if not value:
            return ""
        return Markup('<time datetime="{}"{}>{}</time>').format(
            value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            Markup(" data-day") if day_only else "", day(value) if day_only else when(value))

    @app.context_processor
    def _nav():
        viewer = g.get("viewer")
        # `root` lets lists build links by concatenation: url_for per row was a tenth of a list page.
        moderates = bool(viewer and (viewer.is_admin or viewer.moderates))
        unread = notifications.unread_count(viewer.user_id) if viewer and viewer.signed_in else 0
        return {"my_communities": viewer.communities if viewer else (), "unread_count": unread,
                "unread_label": f"{notifications.COUNT_CAP}+" if unread > notifications.COUNT_CAP else str(unread),
                "root": request.script_root,
                "moderates_any": moderates, "crisis_alerts": open_alert_count(viewer) if moderates else 0,
                "unreached_alerts": unreached(viewer) if viewer and viewer.is_admin else (0, None)}


def _errors(app):
    from .errors import ServiceError

    from .api import http_error_json, is_api_request, service_error_json

    def render_error(status, title, message):
        return render_template("errors/error.html", status=status, title=title, message=message), status

    @app.errorhandler(ServiceError)
    def _service_error(exc):
        if is_api_request():
            return service_error_json(exc)
        titles = {403: "Not allowed", 404: "Not found", 409: "Conflict", 422: "Check your input"}
        return render_error(exc.status, titles.get(exc.status, "Something is not right"), exc.message)

    pages = {
        400: ("Bad request", "The request could not be understood. Please go back and try again."),
        403: ("Not allowed", "You do not have access to this page."),
        404: ("Not found", "We could not find that page. It may have been moved or removed."),
        405: ("Not allowed", "That action is not available here."),
        413: ("Too large", "That was more than we can accept in one go. Please shorten it."),
        429: ("Slow down", "Too many attempts. Please wait a minute and try again."),
    }

    def http_error(exc):
        if is_api_request():
            return http_error_json(exc)
        if exc.code == 429:
            return render_error(429, "Slow down", _wait_message())
        return render_error(exc.code, *pages.get(exc.code, ("Something is not right", "Please go back and try again.")))

    def _wait_message():
        """The real wait, from the limit that was hit (a page saying "a minute" for an hourly
        limit sent people back to fail again)."""
        import math
        import time

        from .extensions import limiter

        hit = limiter.current_limit
        if hit is None:
            return pages[429][1]
        minutes = max(1, math.ceil((hit.reset_at - time.time()) / 60))
        wait = "a minute" if minutes == 1 else f"{minutes} minutes"
        return f"Too many attempts from here for now. Please try again in {wait}."

    for code in (*pages, 401, 409, 415, 422):
        app.register_error_handler(code, http_error)

    @app.errorhandler(500)
    def _server_error(exc):
        try:
            db.session.rollback()
        except Exception:  # e.g. the error came from inside a commit: drop the session instead
            db.session.remove()
        if is_api_request():
            from .api import error_response

            return error_response(500, "server_error", "Sorry, something went wrong on our side.")
        return render_error(500, "Something went wrong", "Sorry, something went wrong on our side. Please try again.")
