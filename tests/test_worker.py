"""A real Celery worker process on a real Redis: broker outages, SIGKILL mid-task, the stale sweep."""
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from community.accounts.models import User
from community.config import celery_config
from community.core.models import Outbox
from community.extensions import db
from community.forums import services
from community.forums.models import Post, Thread
from community.moderation.filters import CONSULT_NOTICE
from community.moderation.models import Verdict
from tests.conftest import REDIS_URL, free_port, require
from tests.helpers import create_community, create_user, login, start_thread

pytestmark = [pytest.mark.worker, pytest.mark.redis]
ROOT = Path(__file__).resolve().parents[1]
# A post the pipeline must give a notice: proves it was moderated, not just published.
METFORMIN = "I stopped my metformin and use cinnamon now"
CONSULT = {"kind": "consult_reminder", "text": CONSULT_NOTICE}


def wait_for(predicate, timeout=30.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


class RedisServer:
    """A private redis-server on a spare port that a test may stop and start (never the shared one)."""

    def __init__(self, tmp_path):
        self.port = free_port()
        self.dir = tmp_path
        self.proc = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.proc = subprocess.Popen(
            [shutil.which("redis-server") or "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        import redis

        wait_for(lambda: _pings(redis.Redis(port=self.port)), 10, "redis-server to start")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)


def _pings(client):
    import redis

    try:
        return client.ping()
    except redis.RedisError:
        return False


class Worker:
    """`celery -A worker worker` in its own process, configured like production from the environment."""

    def __init__(self, database_url, broker_url, tmp_path, visibility=3, concurrency=1):
        self.env = dict(
            os.environ, DATABASE_URL=database_url, REDIS_URL=broker_url, SECRET_KEY="worker-test-secret",
            COMMUNITY_PRODUCTION="false", COMMUNITY_VISIBILITY_TIMEOUT=str(visibility),
            COMMUNITY_INSTANCE_PATH=str(tmp_path), PYTHONPATH=str(ROOT),
        )
        self.env.pop("MAIL_URL", None)
        self.concurrency = concurrency
        self.log = tmp_path / f"worker-{time.monotonic_ns()}.log"
        self.proc = None

    def start(self):
        with self.log.open("w") as log:
            self._spawn(log)
        wait_for(lambda: "ready." in self.log.read_text(), 30, "the worker to be ready")

    def _spawn(self, log):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "worker", "worker", "--pool=prefork", f"--concurrency={self.concurrency}",
             "-Q", "moderation,notifications,periodic", "--without-gossip", "--without-mingle",
             "--without-heartbeat", "--loglevel=INFO"],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )

    def child_pids(self):
        out = subprocess.run(["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True).stdout
        return [int(p) for p in out.split()]

    def stop(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)


class Beat(Worker):
    """`celery -A worker beat`: the one scheduler (its schedule file goes in tmp_path)."""

    def start(self):
        with self.log.open("w") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "worker", "beat", "--loglevel=INFO",
                 "--schedule", str(self.log.with_suffix(".schedule"))],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
        wait_for(lambda: "beat: Starting" in self.log.read_text(), 30, "beat to start")


@pytest.fixture
def services_up(backend):
    assert backend == "postgresql"
    return require(REDIS_URL, "TEST_REDIS_URL")


# A worker process shares the database with the test process: PostgreSQL only.
on_postgresql = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)


def _post_state(app, post_id):
    with app.app_context():
        return db.session.scalar(sa.select(Post.state).where(Post.id == post_id))


@on_postgresql
def test_post_made_while_the_broker_is_down_is_published_when_it_returns(make_app, pg_url, services_up, tmp_path):
    broker = RedisServer(tmp_path)
    broker.start()
    app = make_app(CELERY=celery_config(broker.url))
    worker = Worker(pg_url, broker.url, tmp_path)
    try:
        with app.app_context():
            alex = create_user("alex")
            thread, _ = start_thread(alex, create_community("asthma"))  # the worker is not up: stays pending
            thread_id = thread.id
        worker.start()
        relay_now(app)
        wait_for(lambda: _thread_state(app, thread_id) == "published", 30, "the first post to be published")

        broker.stop()
        client = app.test_client()
        login(client, "alex")
        started = time.monotonic()
        response = client.post(f"/t/{thread_id}/reply", data={"body": "Written while Redis is down: " + METFORMIN})
        assert response.status_code == 302
        assert time.monotonic() - started < 10, "a dead broker must not hang the request"
        with app.app_context():
            post = db.session.scalar(sa.select(Post).where(Post.number == 2))
            assert post.state == "pending"
            assert db.session.scalar(sa.select(Outbox.sent_at).order_by(Outbox.id.desc()).limit(1)) is None
            post_id = post.id
        time.sleep(1)
        assert _post_state(app, post_id) == "pending"

        broker.start()  # back, empty: the message was never sent
        relay_now(app)
        wait_for(lambda: _post_state(app, post_id) == "published", 40, "the relay and worker to publish the post")
        with app.app_context():
            assert db.session.get(Thread, thread_id).reply_count == 1
            assert db.session.get(Post, post_id).notices == [CONSULT]  # moderated, not just published
    finally:
        worker.stop()
        broker.stop()


def _thread_state(app, thread_id):
    with app.app_context():
        return db.session.scalar(sa.select(Thread.state).where(Thread.id == thread_id))


def relay_now(app):
    from community.dispatch import relay

    with app.app_context():
        relay(older_than=timedelta(0))


@on_postgresql
@pytest.mark.parametrize("victim", ["pool child", "whole worker"])
def test_worker_killed_mid_task_leaves_nothing_undone_and_nothing_done_twice(
        make_app, pg_url, services_up, tmp_path, victim):
    import psycopg
    import redis

    redis.Redis.from_url(services_up).flushdb()
    app = make_app(CELERY=celery_config(services_up))
    with app.app_context():
        alex = create_user("alex")
        community = create_community("asthma")
        services.join(alex.id, community.id)
        thread, post = services.create_thread(alex.id, community.id, "Inhalers", METFORMIN)
        post_id, thread_id = post.id, thread.id
    assert _post_state(app, post_id) == "pending"  # queued in Redis, no worker yet

    plain_url = pg_url.replace("postgresql+psycopg://", "postgresql://")
    blocker = psycopg.connect(plain_url)
    blocker.execute("SELECT id FROM posts WHERE id = %s FOR UPDATE", (post_id,))  # the task will wait here
    # The whole worker dies with production's visibility timeout (an hour): Redis will not hand
    # the message back in time, so beat's stale sweep must.
    visibility = 3 if victim == "pool child" else 3600
    worker = Worker(pg_url, services_up, tmp_path, visibility=visibility)
    beat = Beat(pg_url, services_up, tmp_path, visibility=visibility) if victim == "whole worker" else None
    replacement = None
    try:
        worker.start()
        if beat:
            beat.start()

        def task_is_blocked():
            with psycopg.connect(plain_url, autocommit=True) as conn:
                return conn.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock' AND query ILIKE '%%FROM posts%%FOR %%UPDATE%%'"
                ).fetchone()[0] > 0

        wait_for(task_is_blocked, 30, "the task to reach the post update")
        if victim == "pool child":
            for pid in worker.child_pids():
                os.kill(pid, signal.SIGKILL)
        else:
            worker.stop(signal.SIGKILL)
        blocker.rollback()  # the killed task's transaction is gone with its connection
        if victim == "whole worker":
            replacement = Worker(pg_url, services_up, tmp_path, visibility=visibility)
            replacement.start()
        restarted = time.monotonic()
        wait_for(lambda: _post_state(app, post_id) == "published", 75, "the requeued task to publish the post")
        assert time.monotonic() - restarted < 60, "a post whose worker died must be published within 60 s"
        time.sleep(4)  # past another visibility timeout: no second delivery may change anything
        with app.app_context():
            user = db.session.get(User, alex.id)
            thread = db.session.get(Thread, thread_id)
            assert user.approved_posts == 3, "the pipeline's effects were applied twice"
            assert thread.state == "published" and community_thread_count(community.id) == 1
            assert db.session.scalar(sa.text("SELECT count(*) FROM post_search WHERE post_id = :p"),
                                     {"p": post_id}) == 1
            assert db.session.get(Post, post_id).notices == [CONSULT]
            assert db.session.scalar(sa.select(sa.func.count(Verdict.id)).where(Verdict.post_id == post_id)) == 1
    finally:
        blocker.close()
        worker.stop()
        for process in (replacement, beat):
            if process:
                process.stop()


def community_thread_count(community_id):
    from community.forums.models import Community

    return db.session.get(Community, community_id).thread_count


def test_stale_pending_posts_are_swept_and_moderated(make_app, backend):
    """A post whose message was lost (outbox row gone) is found by the sweep and moderated."""
    from community.forums.maintenance import requeue_stale_pending

    dead = f"redis://127.0.0.1:{free_port()}/0"
    conf = celery_config(dead)
    conf.update(broker_connection_timeout=1, broker_transport_options={"visibility_timeout": 3600,
                                                                       "socket_connect_timeout": 1,
                                                                       "max_retries": 0})
    down = make_app(CELERY=conf)
    with down.app_context():
        alex = create_user("alex")
        community = create_community("asthma")
        services.join(alex.id, community.id)
        _, post = services.create_thread(alex.id, community.id, "Lost", "This message never arrives. " + METFORMIN)
        db.session.execute(sa.delete(Outbox))
        post.created_at = post.created_at - timedelta(minutes=10)
        db.session.commit()
        post_id = post.id
    up = make_app()  # eager: what a worker would do with the swept message
    with up.app_context():
        assert requeue_stale_pending() == 1
        assert db.session.get(Post, post_id).state == "published"
        assert db.session.get(Post, post_id).notices == [CONSULT]
        assert requeue_stale_pending() == 0


def test_the_sweep_leaves_fresh_posts_alone_and_requeues_a_stale_one_once(make_app, backend):
    """The waiting condition is an OR: unparenthesised, it swallowed the age and once-per-5-min
    limits, and every pending post was queued again every 15 s however new."""
    from community.forums.maintenance import requeue_stale_pending

    dead = f"redis://127.0.0.1:{free_port()}/0"
    conf = celery_config(dead)
    conf.update(broker_connection_timeout=1, broker_transport_options={"visibility_timeout": 3600,
                                                                       "socket_connect_timeout": 1,
                                                                       "max_retries": 0})
    app = make_app(CELERY=conf)  # nothing is delivered: the posts stay pending
    with app.app_context():
        alex = create_user("alex")
        community = create_community("asthma")
        services.join(alex.id, community.id)
        services.create_thread(alex.id, community.id, "Fresh", "Just written. " + METFORMIN)
        _, stale = services.create_thread(alex.id, community.id, "Stale", "Its message was lost. " + METFORMIN)
        stale.created_at = stale.created_at - timedelta(minutes=10)
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Post).where(Post.state == "pending")) == 2
        assert requeue_stale_pending() == 1
        assert db.session.get(Post, stale.id).requeued_at is not None
        assert requeue_stale_pending() == 0  # not again within REQUEUE_EVERY
