"""Platform pieces: migrations, CLI, outbox dispatch, health checks, real Redis and a real worker."""
import time

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from community.accounts.models import OutgoingMail, User
from community.core.models import Outbox
from community.extensions import db
from community.forums.models import Community, Post, Thread
from tests.conftest import REDIS_URL, count, free_port, require
from tests.helpers import create_community, create_user, login


@pytest.fixture
def empty_app(make_app, backend, request):
    """An app whose database has no tables at all (to exercise the migrations)."""
    app = make_app()
    with app.app_context():
        if backend == "postgresql":
            with db.engine.begin() as conn:
                conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        else:
            db.drop_all()
            with db.engine.begin() as conn:
                conn.exec_driver_sql("DROP TABLE IF EXISTS post_search")
    return app


def test_migrations_build_the_schema_without_drift(empty_app):
    from flask_migrate import downgrade, upgrade

    from community.forums.search import include_name

    with empty_app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"include_name": include_name, "compare_type": True})
            diff = compare_metadata(context, db.metadata)
            tables = set(sa.inspect(conn).get_table_names())
        assert diff == [], f"models and migrations differ: {diff}"
        assert {"users", "posts", "threads", "communities", "outbox", "post_search"} <= tables
        downgrade(revision="base")
        with db.engine.connect() as conn:
            assert "posts" not in sa.inspect(conn).get_table_names()


def test_cli_init_db_seed_demo_and_create_admin(empty_app):
    runner = empty_app.test_cli_runner()
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0 and "Demo data added" in first.output and "alex" in first.output
    with empty_app.app_context():
        counts = (count(User), count(Community), count(Thread), count(Post))
        assert counts[1] >= 20 and counts[2] >= 5
        slugs = set(db.session.scalars(sa.select(Community.slug)))
        assert {"type-1-diabetes", "type-2-diabetes", "lupus", "long-covid", "me-cfs", "hiv"} <= slugs
        assert all(db.session.scalars(sa.select(Community.icd10)))
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0 and "nothing changed" in second.output
    with empty_app.app_context():
        assert (count(User), count(Community), count(Thread), count(Post)) == counts

    weak = runner.invoke(args=["create-admin", "--username", "root_admin", "--email", "r@example.org"], input="short\n")
    assert weak.exit_code == 1 and "password" in weak.output
    ok = runner.invoke(args=["create-admin", "--username", "site_admin", "--email", "boss@example.org"],
                       input="violet-harbour-engine-77\n")
    assert ok.exit_code == 0, ok.output
    with empty_app.app_context():
        admin = db.session.scalar(sa.select(User).where(User.username == "site_admin"))
        assert admin.role == "admin" and admin.email_verified and not admin.totp_enabled


def test_rollback_publishes_nothing(app, ctx):
    from community import dispatch

    user = create_user("alex")
    dispatch.enqueue("notifications.send_mail", 12345)
    db.session.rollback()
    assert count(Outbox) == 0
    db.session.commit()
    assert count(Outbox) == 0 and user.id


def test_broker_down_keeps_the_post_pending_then_the_relay_publishes_it(make_app, tmp_path):
    """A post made while the broker is unreachable is saved, stays pending, and is published later."""
    dead = f"redis://127.0.0.1:{free_port()}/0"
    down = make_app(CELERY=_celery(dead))
    with down.app_context():
        alex = create_user("alex")
        community = create_community("asthma")
        from community.forums import services

        services.join(alex.id, community.id)
    client = down.test_client()
    login(client, "alex")
    started = time.monotonic()
    response = client.post("/c/asthma/new", data={"title": "Peak flow", "body": "Morning readings?"})
    assert response.status_code == 302
    assert time.monotonic() - started < 10, "a dead broker must not hang the request"
    with down.app_context():
        post = db.session.scalar(sa.select(Post))
        assert post.state == "pending"
        assert db.session.scalar(sa.select(Outbox.sent_at)) is None
    # Broker back (here: the in-process eager broker): the relay delivers it.
    up = make_app()
    with up.app_context():
        from datetime import timedelta

        from community.dispatch import relay

        assert relay(older_than=timedelta(0)) == 1
        assert db.session.scalar(sa.select(Post.state)) == "published"
        assert db.session.scalar(sa.select(Outbox.sent_at)) is not None
        assert relay(older_than=timedelta(0)) == 0


def _celery(broker):
    from community.config import celery_config

    conf = celery_config(broker)
    conf.update(broker_url=broker, task_always_eager=False, broker_connection_timeout=1,
                broker_connection_max_retries=0,
                broker_transport_options={"visibility_timeout": 3600, "socket_connect_timeout": 1,
                                          "max_retries": 0})
    return conf


def test_healthz_and_readyz(make_app):
    ok = make_app()
    assert ok.test_client().get("/healthz").json == {"status": "ok"}
    ready = ok.test_client().get("/readyz")
    assert ready.status_code == 200 and ready.json["checks"]["database"] == "ok"
    broken = make_app(CELERY=_celery(f"redis://127.0.0.1:{free_port()}/0"))
    response = broken.test_client().get("/readyz")
    assert response.status_code == 503 and response.json["checks"]["broker"] == "unreachable"


def test_request_id_on_log_lines(app, ctx, caplog):
    create_user("alex")
    caplog.set_level("INFO", logger="community")
    client = app.test_client()
    response = client.post("/login", data={"login": "alex", "password": "wrong-password-123"},
                           headers={"X-Request-ID": "abcdef123456"})
    assert response.headers["X-Request-ID"] == "abcdef123456"
    records = [r for r in caplog.records if "event=login_failed" in r.getMessage()]
    assert records and records[0].request_id == "abcdef123456"


# ---------------------------------------------------------------- real Redis

@pytest.fixture
def redis_url():
    import redis

    url = require(REDIS_URL, "TEST_REDIS_URL")
    redis.Redis.from_url(url).flushdb()  # db 13 is this suite's own
    return url


@pytest.mark.redis
def test_rate_limits_are_stored_in_redis(make_app, redis_url):
    import redis

    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=redis_url, RATELIMIT_KEY_PREFIX="pc-test")
    client = app.test_client()
    # A name each time: the same name would wait after five failures (the per-account throttle).
    statuses = [client.post("/login", data={"login": f"x{i}", "password": "wrong-password-123"}).status_code
                for i in range(11)]
    assert statuses[-1] == 429 and statuses[:10] == [422] * 10
    keys = redis.Redis.from_url(redis_url).keys("*pc-test*")
    assert keys, "limits were not kept in Redis"


@pytest.mark.redis
@pytest.mark.worker
def test_real_worker_on_redis_sends_the_verification_email(make_app, redis_url, mailbox, backend):
    """Sign-up → outbox → Redis → a real Celery worker → SMTP, with ids only on the wire."""
    import json

    import redis
    from celery.contrib.testing.worker import start_worker

    from community.extensions import celery

    conf = _celery(redis_url)
    conf.update(broker_connection_max_retries=3)
    app = make_app(CELERY=conf)
    queue = redis.Redis.from_url(redis_url)
    client = app.test_client()
    response = client.post("/signup", data={
        "username": "river", "email": "river@example.org", "password": "paper-kite-river-stone",
        "birth_year": "1990", "accept_guidelines": "y", "health_data_consent": "y",
    })
    assert response.status_code == 302
    waiting = queue.lrange("notifications", 0, -1)
    assert len(waiting) == 1
    message = json.loads(waiting[0])
    assert message["headers"]["task"] == "notifications.send_mail"
    assert "river@example.org" not in waiting[0].decode()  # the address stays in the database
    assert mailbox.messages == []
    with start_worker(celery, pool="solo", perform_ping_check=False, shutdown_timeout=10, loglevel="WARNING"):
        deadline = time.monotonic() + 15
        while not mailbox.to("river@example.org") and time.monotonic() < deadline:
            time.sleep(0.1)
    assert mailbox.to("river@example.org"), "the worker did not deliver the email"
    assert "/verify/" in mailbox.last_body("river@example.org")
    with app.app_context():
        mail = db.session.scalar(sa.select(OutgoingMail))
        assert mail.sent_at is not None and mail.body == ""


def test_closing_the_session_without_commit_forgets_queued_work(app, ctx):
    from community import dispatch

    create_user("alex")
    dispatch.enqueue("notifications.send_mail", 12345)
    db.session.close()
    create_user("sam")  # the next commit must not publish the discarded row's task
    assert count(Outbox) == 0
    assert "outbox_pending" not in db.session.info
