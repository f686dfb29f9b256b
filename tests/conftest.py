"""Fixtures: a fresh app and database per test, on SQLite and (when configured) PostgreSQL.

PostgreSQL and Redis tests run when TEST_DATABASE_URL / TEST_REDIS_URL are set (`make test`
sets them when the servers answer). With CI=true they must run: a missing one fails.
"""
import os

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from community import create_app
from community.extensions import db
from community.forums import search

CI = os.environ.get("CI", "").lower() == "true"
PG_URL = os.environ.get("TEST_DATABASE_URL")
REDIS_URL = os.environ.get("TEST_REDIS_URL")
FAST_ARGON2 = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}
EAGER = {
    "broker_url": "memory://localhost/", "task_always_eager": True, "task_eager_propagates": True,
    "task_ignore_result": True,
}


def require(url, name):
    """Skip with a one-line reason, or fail under CI where nothing may skip."""
    if url:
        return url
    if CI:
        pytest.fail(f"CI=true but {name} is not set: the service tests must run on CI")
    pytest.skip(f"{name} not set (run `make test` with the service up)")


def sqlalchemy_url(url):
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def base_config(db_url, **overrides):
    from community.config import celery_config

    celery = celery_config(None)
    celery.update(EAGER)
    config = {
        "TESTING": True, "SECRET_KEY": "test", "SQLALCHEMY_DATABASE_URI": db_url,
        "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "RATELIMIT_STORAGE_URI": "memory://",
        "ARGON2_PARAMS": FAST_ARGON2, "CELERY": celery, "MAIL_URL": None, "SITE_URL": "http://localhost",
        "ENV_PRODUCTION": False, "PAGE_CACHE_SECONDS": 0,
    }
    config.update(overrides)
    return config


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Mailbox:
    """What a real SMTP server (aiosmtpd) on 127.0.0.1 received."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        import email
        from email import policy

        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def to(self, address):
        return [m for m in self.messages if m["To"] == address]

    def last_body(self, address):
        found = self.to(address)
        assert found, f"no mail to {address}; got {[m['To'] for m in self.messages]}"
        return found[-1].get_body(preferencelist=("plain",)).get_content()


@pytest.fixture(scope="session")
def smtp_server():
    from aiosmtpd.controller import Controller

    handler = Mailbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture
def mailbox(smtp_server):
    smtp_server.handler.messages.clear()
    return smtp_server.handler


class IsolatedClient(FlaskClient):
    """Each request gets its own app context, as in production.

    Flask reuses an app context the test already pushed (the `ctx` fixture), which would
    share `g` (and Flask-Login's cached user) and the database session across requests.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


def reset_database(app):
    """Empty schema on SQLite (new file) or truncated tables on PostgreSQL."""
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "postgresql":
            inspector = sa.inspect(engine)
            if not (inspector.has_table("post_search") and inspector.has_table("users")):
                with engine.begin() as conn:
                    conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
                db.create_all()
                with engine.begin() as conn:
                    search.create_schema(conn)
            else:
                # DELETE beats TRUNCATE by far on a dozen near-empty tables.
                with engine.begin() as conn:
                    conn.exec_driver_sql("DELETE FROM post_search")
                    for table in reversed(db.metadata.sorted_tables):
                        conn.execute(table.delete())
        else:
            db.create_all()
            with engine.begin() as conn:
                search.create_schema(conn)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    """Tests never pick up the operator's settings (Flask's own suite does the same)."""
    for key in list(os.environ):
        if key.startswith(("COMMUNITY_", "FLASK_")) or key in (
            "DATABASE_URL", "REDIS_URL", "MAIL_URL", "SECRET_KEY", "RATELIMIT_ENABLED",
        ):
            monkeypatch.delenv(key, raising=False)


@pytest.fixture(scope="session")
def pg_url():
    """A database of this test run's own, so parallel runs never truncate each other's tables."""
    import psycopg

    base = require(PG_URL, "TEST_DATABASE_URL")
    name = f"pc_test_{os.getpid()}"
    admin = base.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield sqlalchemy_url(base.rsplit("/", 1)[0] + "/" + name)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request):
    if request.param == "postgresql":
        request.getfixturevalue("pg_url")
    return request.param


@pytest.fixture
def make_app(request, tmp_path, backend, smtp_server):
    """Build an app on this test's database; extra config as keyword arguments."""
    apps = []

    def factory(**overrides):
        url = request.getfixturevalue("pg_url") if backend == "postgresql" else f"sqlite:///{tmp_path / 'test.sqlite'}"
        overrides.setdefault("MAIL_URL", f"smtp://127.0.0.1:{smtp_server.port}")
        application = create_app(base_config(url, **overrides))
        application.test_client_class = IsolatedClient
        if not apps:
            reset_database(application)
        apps.append(application)
        return application

    yield factory
    for application in apps:
        with application.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


@pytest.fixture(autouse=True)
def _leak_detector():
    """Fail a test that leaves an app context pushed (Flask's own suite does this)."""
    yield
    from flask.globals import _cv_app

    leaks = []
    while _cv_app.get(None) is not None:
        leaks.append(_cv_app.get())
        _cv_app.get().pop()
    assert not leaks, f"app contexts left pushed: {leaks}"


def count(model, *where):
    stmt = sa.select(sa.func.count()).select_from(model)
    for clause in where:
        stmt = stmt.where(clause)
    return db.session.scalar(stmt)
