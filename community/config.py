"""Settings: embedded defaults, then the documented environment variables.

Unset means the embedded default (SQLite in instance/, eager Celery, in-memory
rate limits). Any other Flask setting comes from COMMUNITY_<KEY>.
"""
import os
from datetime import timedelta

from kombu import Exchange, Queue

DEFAULT_SECRET = "dev-only-not-secret"


DEFAULT_CRISIS_RESOURCES = {
    "en": [
        "If you might act on thoughts of suicide or self-harm, or someone is in danger now, call your local emergency number.",
        "US: call or text 988 (Suicide & Crisis Lifeline).",
        "UK and Ireland: call Samaritans on 116 123.",
        "Australia: call Lifeline on 13 11 14.",
        "Canada: call or text 9-8-8, or 1-833-456-4566.",
    ],
    # For posts written in Spanish, wherever they are posted: Spain, Mexico and the US.
    "es": [
        "Si puedes llegar a actuar sobre pensamientos de suicidio o de hacerte daño, o alguien está en peligro "
        "ahora, llama al número de emergencias de tu país (112 en España, 911 en México y EE. UU.).",
        "España: llama al 024 (línea de atención a la conducta suicida), gratis y a cualquier hora.",
        "México: llama a la Línea de la Vida, 800 911 2000.",
        "EE. UU.: llama o escribe al 988 y marca 2 para hablar en español.",
    ],
}


def parse_bool(value, default=False):
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def database_url(instance_path):
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{os.path.join(instance_path, 'community.sqlite')}"
    # Heroku-style URLs and plain postgresql:// both mean psycopg 3 here.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


QUEUES = ("moderation", "notifications", "exports", "periodic")


def celery_config(redis_url):
    # Reliability settings from STYLE.md §3; asserted in tests/unit/test_config.py.
    # Redis redelivers an unacknowledged message after this; it must exceed any task's run
    # time and retry delay (the backoff cap is 600 s). Tests shorten it.
    visibility = int(os.environ.get("COMMUNITY_VISIBILITY_TIMEOUT", "3600"))
    conf = {
        "task_serializer": "json",
        "result_serializer": "json",
        "accept_content": ["json"],
        "task_ignore_result": True,
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "task_time_limit": 120,
        "task_soft_time_limit": 90,
        "worker_cancel_long_running_tasks_on_connection_loss": True,
        "broker_connection_retry_on_startup": True,
        "broker_connection_timeout": 3,
        "broker_transport_options": {"visibility_timeout": visibility, "socket_connect_timeout": 3},
        "result_backend_transport_options": {"visibility_timeout": visibility},
        "visibility_timeout": visibility,
        "worker_max_tasks_per_child": 1000,
        "worker_max_memory_per_child": 200_000,
        "enable_utc": True,
        "timezone": "UTC",
        # Without task_queues a plain `celery -A worker worker` consumes the default queue only
        # and posts wait for ever: list every queue DESIGN.md names, moderation first.
        # Each queue on its own exchange and key: a bare Queue(name) is bound to the default
        # queue's exchange and key, so a task sent by that key would land in all four.
        "task_queues": [Queue(name, Exchange(name, type="direct"), routing_key=name) for name in QUEUES],
        "task_default_queue": "notifications",
        "task_routes": {
            "moderation.*": {"queue": "moderation"},
            "notifications.*": {"queue": "notifications"},
            "exports.*": {"queue": "exports"},
            "periodic.*": {"queue": "periodic"},
        },
    }
    if redis_url:
        conf.update(broker_url=redis_url, task_always_eager=False)
    else:
        conf.update(broker_url="memory://localhost/", task_always_eager=True, task_eager_propagates=True)
    return conf


def load(app, test_config=None):
    redis_url = os.environ.get("REDIS_URL") or None
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("SECRET_KEY", DEFAULT_SECRET),
        # Production is any run pointed at a real database, unless told otherwise.
        ENV_PRODUCTION=parse_bool(
            os.environ.get("COMMUNITY_PRODUCTION"), bool(os.environ.get("DATABASE_URL"))
        ),
        SQLALCHEMY_DATABASE_URI=database_url(app.instance_path),
        # A dead connection is replaced before use; a frozen server cannot hold a connect for ever.
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True, "connect_args": (
            {"connect_timeout": 5} if database_url(app.instance_path).startswith("postgresql") else {})},
        REDIS_URL=redis_url,
        MAIL_URL=os.environ.get("MAIL_URL") or None,
        MAIL_FROM="Patient Commons <no-reply@patientcommons.example>",
        MESSAGE_KEYS=os.environ.get("MESSAGE_KEYS", ""),
        # Off only for bench/notifications.py, which measures what notifications add to a post.
        NOTIFICATIONS_ENABLED=True,
        RATELIMIT_ENABLED=parse_bool(os.environ.get("RATELIMIT_ENABLED"), True),
        RATELIMIT_STORAGE_URI=redis_url or "memory://",
        # Redis down or frozen: limits hold per process in memory, and no request waits on it.
        RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=True,
        RATELIMIT_STORAGE_OPTIONS={"socket_connect_timeout": 0.3, "socket_timeout": 0.3},
        RATELIMIT_HEADERS_ENABLED=True,
        CELERY=celery_config(redis_url),
        MAX_CONTENT_LENGTH=1024 * 1024,
        # Static URLs carry a content hash (see asset_url), so browsers may keep them a year.
        SEND_FILE_MAX_AGE_DEFAULT=timedelta(days=365),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=False,
        SESSION_IDLE=timedelta(days=7),
        SESSION_ABSOLUTE=timedelta(days=30),
        SESSION_TOUCH_EVERY=timedelta(minutes=5),
        PERMANENT_SESSION_LIFETIME=timedelta(days=30),
        # The server-side session row carries the expiry; re-signing the cookie on every
        # response would only cost time.
        SESSION_REFRESH_EACH_REQUEST=False,
        WTF_CSRF_TIME_LIMIT=3600 * 8,
        ARGON2_PARAMS={},
        SITE_URL=os.environ.get("COMMUNITY_SITE_URL", "http://127.0.0.1:5000"),
        # Visitors' pages are shared for this many seconds (0 turns the microcache off).
        PAGE_CACHE_SECONDS=5,
        PREFERRED_URL_SCHEME="http",
        # Crisis resources by community locale (COMMUNITY_CRISIS_RESOURCES='{"en": [...]}' replaces them);
        # a locale not listed falls back to "en".
        CRISIS_RESOURCES=DEFAULT_CRISIS_RESOURCES,
        # An unacknowledged crisis alert goes to the admins after this, and is repeated this often.
        CRISIS_ESCALATE_MINUTES=30,
        CRISIS_REPEAT_MINUTES=30,
        # Weighted flags (new 0.5, member 1, trusted 2) that hide a post until a moderator decides.
        FLAG_HIDE_THRESHOLD=3,
    )
    app.config.from_prefixed_env("COMMUNITY")
    if test_config:
        app.config.update(test_config)
    if app.config["ENV_PRODUCTION"]:
        harden(app)


def harden(app):
    """Production refuses unsafe settings instead of starting with them."""
    if app.config["SECRET_KEY"] in (DEFAULT_SECRET, "", "dev", None):
        raise RuntimeError("SECRET_KEY must be set to a long random value in production")
    if app.debug:
        raise RuntimeError("DEBUG must be off in production")
    app.config.update(
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_NAME="__Host-session",
        REMEMBER_COOKIE_SECURE=True,
        PREFERRED_URL_SCHEME="https",
    )
