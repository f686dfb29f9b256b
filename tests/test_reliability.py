"""Faults a production deployment meets: the README's commands, deadlocks, killed database
connections, failures after commit, Redis stopped or frozen, and `make run`'s periodic process.

Real processes throughout (worker, beat, redis-server, PostgreSQL), as in tests/test_worker.py.
"""
import os
import re
import shlex
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from community.config import QUEUES, celery_config
from community.core.models import Outbox
from community.extensions import db
from community.forums import services
from community.forums.models import Post, Thread
from tests.conftest import REDIS_URL, base_config, free_port, require
from tests.helpers import create_community, create_user
from tests.test_worker import METFORMIN, ROOT, Beat, RedisServer, Worker, _post_state, on_postgresql, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.redis]


@pytest.fixture
def services_up(backend):
    return require(REDIS_URL, "TEST_REDIS_URL")


def _plain(url):
    return url.replace("postgresql+psycopg://", "postgresql://")


def _readme_command(prefix):
    """A command exactly as the README gives it (its trailing comment dropped)."""
    for line in (ROOT / "README.md").read_text().splitlines():
        if line.startswith(prefix):
            return shlex.split(line, comments=True)
    raise AssertionError(f"the README has no line starting {prefix!r}")


def _community_with(username, **user):
    """A member of a new community: their ids, usable after the app context ends."""
    alex = create_user(username, **user)
    community = create_community("asthma")
    services.join(alex.id, community.id)
    return alex.id, community.id


@on_postgresql
def test_the_readmes_worker_and_beat_commands_consume_every_queue(make_app, pg_url, services_up, tmp_path):
    broker = RedisServer(tmp_path)
    broker.start()
    app = make_app(CELERY=celery_config(broker.url))
    with app.app_context():
        alex, community = _community_with("alex")
        # A post whose message was lost: only beat's sweep, on the periodic queue, can bring it back.
        _, lost = services.create_thread(alex, community, "Lost", "Its message was lost. " + METFORMIN)
        lost.created_at -= timedelta(minutes=2)
        db.session.execute(sa.delete(Outbox))
        db.session.commit()
        lost_id = lost.id
    import redis

    redis.Redis.from_url(broker.url).flushdb()
    env = Worker(pg_url, broker.url, tmp_path, visibility=3600).env
    bindir = os.path.dirname(sys.executable)
    procs = []
    try:
        for name in ("worker", "beat"):
            command = _readme_command(f"celery -A worker {name}")
            log = tmp_path / f"readme-{name}.log"
            with log.open("w") as out:
                procs.append((subprocess.Popen([os.path.join(bindir, command[0]), *command[1:]], cwd=tmp_path,
                                               env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True),
                              log))
        worker_log = procs[0][1]
        wait_for(lambda: "ready." in worker_log.read_text(), 60, "the README's worker to be ready")
        banner = worker_log.read_text()
        assert all(f".> {queue}" in banner for queue in QUEUES), banner
        # Each queue bound by its own name (they all read exchange=notifications key=notifications).
        assert all(re.search(rf"\.> {queue} +exchange={queue}\(direct\) key={queue}\b", banner)
                   for queue in QUEUES), banner
        with app.app_context():
            _, post = services.create_thread(alex, community, "Mornings", METFORMIN)
            post_id = post.id
        wait_for(lambda: _post_state(app, post_id) == "published", 30, "the new post to be published")
        wait_for(lambda: _post_state(app, lost_id) == "published", 60, "beat's sweep to bring back the lost post")
        assert "periodic.requeue_stale_pending" in worker_log.read_text()
    finally:
        for proc, _ in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(20)
        broker.stop()


@on_postgresql
def test_the_readmes_worker_survives_redis_going_away_with_a_task_in_flight(make_app, pg_url, services_up, tmp_path):
    """Celery 5.7.0 closed the lost connection after collect() had emptied it, and restoring the
    unacknowledged message raised AttributeError: 'Unrecoverable error', and no worker at all."""
    import psycopg

    broker = RedisServer(tmp_path)
    broker.start()
    app = make_app(CELERY=celery_config(broker.url))
    with app.app_context():
        alex, community = _community_with("alex")
        thread, _ = services.create_thread(alex, community, "Queued", METFORMIN)  # no worker yet: queued
        thread_id = thread.id
    command = _readme_command("celery -A worker worker")
    log = tmp_path / "readme-worker.log"
    env = Worker(pg_url, broker.url, tmp_path, visibility=3600).env
    holder = psycopg.connect(_plain(pg_url))
    proc = None
    try:
        # The task waits on this lock: in flight and unacknowledged, the worker idle on Redis.
        holder.execute("SELECT id FROM threads WHERE id = %s FOR UPDATE", (thread_id,))
        with log.open("w") as out:
            proc = subprocess.Popen([os.path.join(os.path.dirname(sys.executable), command[0]), *command[1:]],
                                    cwd=tmp_path, env=env, stdout=out, stderr=subprocess.STDOUT,
                                    start_new_session=True)
        wait_for(lambda: "moderate_post" in log.read_text() and "received" in log.read_text(), 60,
                 "the worker to take the queued post")
        time.sleep(1)
        broker.stop()
        wait_for(lambda: "Connection to broker lost" in log.read_text(), 10, "the worker to see Redis go")
        holder.rollback()
        time.sleep(2)
        broker.start()
        time.sleep(3)
        assert proc.poll() is None and "Unrecoverable error" not in log.read_text(), log.read_text()[-3000:]
        with app.app_context():
            _, post = services.create_thread(alex, community, "After the outage", METFORMIN)
            post_id = post.id
        wait_for(lambda: _post_state(app, post_id) == "published", 60, "the same worker to publish a new post")
    finally:
        holder.close()
        if proc is not None and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(20)
        broker.stop()


@on_postgresql
def test_a_post_whose_publish_failed_is_sent_by_beats_relay_within_25_seconds(make_app, pg_url, services_up, tmp_path):
    """The relay ran every 30 s for rows unsent after 30 s: a post made as Redis went away waited
    30-60 s after it came back. Now every 10 s for rows unsent after 10 s."""
    broker = RedisServer(tmp_path)
    broker.start()
    app = make_app(CELERY=celery_config(broker.url))
    worker = Worker(pg_url, broker.url, tmp_path, visibility=3600)
    beat = Beat(pg_url, broker.url, tmp_path, visibility=3600)
    try:
        with app.app_context():
            alex, community = _community_with("alex")
        worker.start()
        beat.start()
        broker.stop()
        with app.app_context():
            _, post = services.create_thread(alex, community, "Mornings", METFORMIN)
            post_id = post.id
            assert db.session.scalar(sa.select(Outbox.sent_at).order_by(Outbox.id.desc()).limit(1)) is None
        made = time.monotonic()
        broker.start()
        wait_for(lambda: _post_state(app, post_id) == "published", 25, "beat's relay to send the post")
        assert time.monotonic() - made < 25
    finally:
        beat.stop()
        worker.stop()
        broker.stop()


def _deadlocks(plain_url):
    import psycopg

    with psycopg.connect(plain_url, autocommit=True) as conn:
        return conn.execute("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()").fetchone()[0]


@on_postgresql
def test_concurrent_posters_and_workers_never_deadlock(make_app, pg_url, services_up, tmp_path):
    import redis

    redis.Redis.from_url(services_up).flushdb()
    app = make_app(CELERY=celery_config(services_up))
    with app.app_context():
        alex, community = _community_with("alex", approved_posts=5)
        thread, _ = services.create_thread(alex, community, "Busy", "The first post.")
        thread_id, alex_id = thread.id, alex
    before = _deadlocks(_plain(pg_url))
    server_log = _server_log()
    log_start = server_log.stat().st_size if server_log else 0
    worker = Worker(pg_url, services_up, tmp_path, visibility=3600, concurrency=2)
    worker.start()
    errors, per_client = [], 40

    def client(n):
        # One member replying fast from three devices: each reply updates the thread, then inserts
        # a post that checks the author's row, while the worker judges the replies before it.
        for i in range(per_client):
            with app.app_context():
                try:
                    services.reply(alex_id, thread_id, f"Reply {i} from device {n}.")
                except Exception as exc:  # counted: none may fail
                    errors.append(repr(exc))
                    db.session.rollback()

    try:
        clients = [threading.Thread(target=client, args=(n,)) for n in range(3)]
        for c in clients:
            c.start()
        for c in clients:
            c.join(120)
        total = 1 + 3 * per_client

        def published():
            with app.app_context():
                return db.session.scalar(sa.select(sa.func.count()).select_from(Post).where(
                    Post.thread_id == thread_id, Post.state == "published"))

        wait_for(lambda: published() == total, 90, "every reply to be published")
        with app.app_context():
            assert db.session.get(Thread, thread_id).reply_count == total - 1
    finally:
        worker.stop()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()  # backends report their statistics as they exit
    time.sleep(0.5)
    assert errors == []
    assert "deadlock detected" not in worker.log.read_text()
    assert _deadlocks(_plain(pg_url)) == before, "PostgreSQL detected a deadlock"
    if server_log:
        with server_log.open("rb") as f:
            f.seek(log_start)
            assert b"deadlock detected" not in f.read(), "the server log reports a deadlock"


def _server_log():
    """Debian's PostgreSQL log, when this machine has one we may read (pg_current_logfile() is
    empty there: the cluster logs to stderr, which pg_ctlcluster sends to this file)."""
    from pathlib import Path

    found = sorted(Path("/var/log/postgresql").glob("postgresql-*-main.log")) if os.access(
        "/var/log/postgresql", os.R_OK) else []
    return found[-1] if found and os.access(found[-1], os.R_OK) else None


def _blocked_task_pid(plain_url):
    import psycopg

    with psycopg.connect(plain_url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND query ILIKE '%%FROM posts%%FOR %%UPDATE%%'").fetchone()
        return row[0] if row else None


@on_postgresql
def test_a_killed_database_connection_is_retried_and_recovered(make_app, pg_url, services_up, tmp_path):
    import psycopg
    import redis

    redis.Redis.from_url(services_up).flushdb()
    app = make_app(CELERY=celery_config(services_up))
    with app.app_context():
        alex, community = _community_with("alex")
        _, post = services.create_thread(alex, community, "Inhalers", METFORMIN)
        post_id = post.id
    plain = _plain(pg_url)
    blocker = psycopg.connect(plain)
    blocker.execute("SELECT id FROM posts WHERE id = %s FOR UPDATE", (post_id,))
    worker = Worker(pg_url, services_up, tmp_path, visibility=3600)
    try:
        worker.start()
        wait_for(lambda: _blocked_task_pid(plain), 30, "the task to wait on the post's lock")
        with psycopg.connect(plain, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (_blocked_task_pid(plain),))
        blocker.rollback()
        # Retried with a short jittered backoff, not left for the sweep (no beat runs here).
        wait_for(lambda: _post_state(app, post_id) == "published", 15, "the retried task to publish the post")
        assert "Retry in" in worker.log.read_text()

        # Every idle connection of the worker's pool dies: the next task still runs.
        with psycopg.connect(plain, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        with app.app_context():
            _, second = services.create_thread(alex, community, "Again", "After the connections died.")
            second_id = second.id
        wait_for(lambda: _post_state(app, second_id) == "published", 15, "the next task to publish")
    finally:
        blocker.close()
        worker.stop()


def _api_token(client, username):
    from tests.helpers import PASSWORD

    response = client.post("/api/v1/tokens", json={"username": username, "password": PASSWORD})
    assert response.status_code == 201, response.json
    return {"Authorization": f"Bearer {response.json['token']}"}


@on_postgresql
def test_a_failure_after_commit_never_turns_a_saved_post_into_an_error(make_app, services_up, caplog):
    import redis

    redis.Redis.from_url(services_up).flushdb()
    app = make_app(CELERY=celery_config(services_up))
    with app.app_context():
        alex, community = _community_with("alex")
        thread, _ = services.create_thread(alex, community, "Mornings", "How are yours?")
        thread_id = thread.id
        # After the commit, marking the outbox row sent fails, as it did on a dead connection.
        db.session.execute(sa.text(
            "CREATE FUNCTION refuse_outbox_update() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'outbox updates refused (test)'; END $$"))
        db.session.execute(sa.text("CREATE TRIGGER refuse_outbox_update BEFORE UPDATE ON outbox "
                                   "FOR EACH ROW EXECUTE FUNCTION refuse_outbox_update()"))
        db.session.commit()
    try:
        client = app.test_client()
        response = client.post(f"/api/v1/threads/{thread_id}/posts", json={"body": "Saved whatever happens next."},
                               headers=_api_token(client, "alex"))
        assert response.status_code == 201, response.get_data(as_text=True)
        with app.app_context():
            post = db.session.get(Post, response.json["id"])
            assert post.body == "Saved whatever happens next."
            assert db.session.scalar(sa.select(Outbox.sent_at).order_by(Outbox.id.desc()).limit(1)) is None
        assert redis.Redis.from_url(services_up).llen("moderation") >= 1, "the task was queued"
        assert "published but not marked sent" in caplog.text
    finally:
        with app.app_context():
            db.session.execute(sa.text("DROP TRIGGER IF EXISTS refuse_outbox_update ON outbox"))
            db.session.execute(sa.text("DROP FUNCTION IF EXISTS refuse_outbox_update()"))
            db.session.commit()


class Frozen:
    """SIGSTOP a redis-server: it accepts connections and never answers, as a hung host does."""

    def __init__(self, server):
        self.server = server

    def __enter__(self):
        os.kill(self.server.proc.pid, signal.SIGSTOP)

    def __exit__(self, *exc):
        os.kill(self.server.proc.pid, signal.SIGCONT)


def _timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


@on_postgresql
def test_the_web_tier_answers_quickly_while_redis_is_stopped_or_frozen(make_app, tmp_path):
    broker = RedisServer(tmp_path)
    broker.start()
    app = make_app(CELERY=celery_config(broker.url), RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=broker.url,
                   API_RATE_LIMIT="6/minute")
    with app.app_context():
        alex, community = _community_with("alex")
        thread, _ = services.create_thread(alex, community, "Mornings", "How are yours?")
        thread_id = thread.id
    client = app.test_client()
    headers = _api_token(client, "alex")

    def reply(n):
        return client.post(f"/api/v1/threads/{thread_id}/posts", json={"body": f"Reply {n} during the outage."},
                           headers=headers)

    try:
        assert reply(0).status_code == 201
        with Frozen(broker):
            response, took = _timed(lambda: reply(1))
            assert response.status_code == 201 and took < 1.0, (response.status_code, took)
            response, took = _timed(lambda: client.get("/api/v1/communities", headers=headers))
            assert response.status_code == 200 and took < 1.0, (response.status_code, took)
            assert client.get("/healthz").status_code == 200
            response, took = _timed(lambda: client.get("/readyz"))
            assert response.status_code == 503 and took < 1.0, (response.json, took)
            assert response.json["checks"]["broker"] != "ok"
        broker.stop()
        response, took = _timed(lambda: reply(2))
        assert response.status_code == 201 and took < 1.0, (response.status_code, took)
        response, took = _timed(lambda: client.get("/readyz"))
        assert response.status_code == 503 and took < 1.0 and response.json["checks"]["database"] == "ok"
        # The limits still hold, in this process's memory: six a minute, so the next ones are refused.
        statuses = [client.get("/api/v1/communities", headers=headers).status_code for _ in range(8)]
        assert 429 in statuses and 500 not in statuses, statuses
        with app.app_context():
            # Saved and waiting for the relay: nothing was lost while Redis was away.
            assert db.session.scalar(sa.select(sa.func.count()).select_from(Outbox).where(Outbox.sent_at.is_(None))) == 2
    finally:
        broker.stop()


def test_readyz_answers_within_a_second_when_the_database_is_frozen():
    from community import create_app

    # A server that accepts connections and never answers.
    hole = socket.socket()
    hole.bind(("127.0.0.1", 0))
    hole.listen(16)
    try:
        app = create_app(base_config(f"postgresql+psycopg://postgres@127.0.0.1:{hole.getsockname()[1]}/frozen",
                                     SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"connect_timeout": 3}}))
        response, took = _timed(lambda: app.test_client().get("/readyz"))
        assert response.status_code == 503 and took < 1.0, (response.json, took)
        assert response.json["checks"]["database"] == "timeout"
        response, took = _timed(lambda: app.test_client().get("/healthz"))
        assert response.status_code == 200 and took < 0.2
    finally:
        hole.close()


def test_make_run_starts_a_periodic_process_that_sweeps_and_stops_with_the_server(tmp_path):
    """`make run`'s embedded default: no beat, no worker, yet a lost post is still moderated."""
    port = free_port()
    env = dict(os.environ, COMMUNITY_INSTANCE_PATH=str(tmp_path), PYTHONPATH=str(ROOT))
    for key in ("DATABASE_URL", "REDIS_URL", "MAIL_URL"):
        env.pop(key, None)
    log = tmp_path / "make-run.log"
    with log.open("w") as out:
        make = subprocess.Popen(["make", "--no-print-directory", "run", f"PORT={port}"], cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        import urllib.request

        def serving():
            try:
                return urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).status == 200
            except OSError:
                return False

        wait_for(serving, 120, "make run to serve")
        wait_for(lambda: "periodic: running" in log.read_text(), 30, "the periodic process to start")
        database = tmp_path / "community.sqlite"
        with sqlite3.connect(database, timeout=10) as conn:
            # A post whose moderation never ran and whose outbox row is gone, ten minutes old.
            thread_id, author_id = conn.execute("SELECT id, author_id FROM threads ORDER BY id LIMIT 1").fetchone()
            number = conn.execute("SELECT max(number) + 1 FROM posts WHERE thread_id = ?", (thread_id,)).fetchone()[0]
            conn.execute("UPDATE threads SET last_post_number = ? WHERE id = ?", (number, thread_id))
            post_id = conn.execute(
                "INSERT INTO posts (thread_id, author_id, number, body, body_html, state, members_only, "
                "moderation_status, labels, notices, reactions, created_at, moderated_hash, suppressed_notices, "
                "version) VALUES (?, ?, ?, ?, ?, 'pending', 0, 'pending', '[]', '[]', '{}', "
                "datetime('now', '-10 minutes'), '', '[]', 1) RETURNING id",
                (thread_id, author_id, number, METFORMIN, f"<p>{METFORMIN}</p>")).fetchone()[0]

        def state():
            with sqlite3.connect(database, timeout=10) as conn:
                return conn.execute("SELECT state FROM posts WHERE id = ?", (post_id,)).fetchone()[0]

        wait_for(lambda: state() == "published", 40, "the periodic process to sweep the lost post")
        # A supervisor, `timeout` or an IDE's stop button signals make alone, not its group.
        make.send_signal(signal.SIGTERM)
        make.wait(20)
        wait_for(lambda: _processes_of(tmp_path) == [], 10, "the server and periodic to stop with make")
    finally:
        if make.poll() is None or _processes_of(tmp_path):
            os.killpg(make.pid, signal.SIGKILL)


def _processes_of(instance_path):
    """Pids of processes started with this COMMUNITY_INSTANCE_PATH."""
    mine = []
    for pid in subprocess.run(["pgrep", "-f", "community"], capture_output=True, text=True).stdout.split():
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                environ = f.read().split(b"\0")
        except OSError:  # gone meanwhile
            continue
        if f"COMMUNITY_INSTANCE_PATH={instance_path}".encode() in environ:
            mine.append(pid)
    return mine
