"""Headers on every response, a request id on every log line, auth-event logging."""
import logging
import re
import secrets

from flask import g, has_request_context, request
from flask_login import current_user

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

auth_log = logging.getLogger("community.auth")


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


# From "?" to the last " HTTP/n" (a hand-made request line may hold raw spaces), else to the end.
_QUERY_STRING = re.compile(r"\?(?:.*(?=\sHTTP/\d)|.*)")
# gunicorn quotes the offending request line in its "Invalid request" warnings.
_QUOTED_REQUEST = re.compile(r"(Invalid request from ip=[^:]*: [^'\"]*?):? ['\"].*")


class DropQueryStrings(logging.Filter):
    """Cuts query strings (search terms are health data) from every log line of werkzeug's
    development server (`make run`, `flask run`) and of gunicorn's error log; gunicorn_conf.py's
    access log format already leaves them out."""

    def filter(self, record):
        message = record.getMessage()
        if "Invalid request from ip=" in message:
            record.msg, record.args = _QUOTED_REQUEST.sub(r"\1 (request line not logged)", message), ()
        elif "?" in message:
            record.msg, record.args = _QUERY_STRING.sub("", message), ()
        return True


_DROP_QUERY_STRINGS = DropQueryStrings()


def configure_logging(app):
    # addFilter ignores a filter already there: one per process, however many apps are made.
    logging.getLogger("werkzeug").addFilter(_DROP_QUERY_STRINGS)
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s")
    )
    root = logging.getLogger("community")
    if not any(isinstance(f, RequestIdFilter) for h in root.handlers for f in h.filters):
        root.addHandler(handler)
    root.setLevel(logging.INFO)
    root.propagate = False


def auth_event(event, user_id=None, **extra):
    """Log an authentication event: ids and the IP only, never secrets or health data."""
    ip = request.remote_addr if has_request_context() else "-"
    details = " ".join(f"{k}={v}" for k, v in sorted(extra.items()))
    auth_log.info("auth event=%s user=%s ip=%s %s", event, user_id or "-", ip, details)


def init_app(app):
    configure_logging(app)

    @app.before_request
    def _request_id():
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if 8 <= len(incoming) <= 64 and incoming.isalnum() else secrets.token_hex(8)

    @app.after_request
    def _headers(response):
        h = response.headers
        h.setdefault("Content-Security-Policy", CSP)
        h["X-Content-Type-Options"] = "nosniff"
        h["X-Frame-Options"] = "DENY"
        h["Referrer-Policy"] = "same-origin"
        h["X-Request-ID"] = g.get("request_id", "")
        if app.config.get("ENV_PRODUCTION"):
            h["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if not request.path.startswith("/static/") and current_user.is_authenticated:
            h["Cache-Control"] = "no-store"
        return response
