"""Fan-out through a real worker on Redis and PostgreSQL: a worker killed mid-fan-out leaves, once the
task is delivered again, exactly one notification and one e-mail for each watcher (issue 14)."""
import os
import signal
import time

import pytest
import sqlalchemy as sa

from community.accounts.models import OutgoingMail, User
from community.config import celery_config
from community.extensions import db
from community.forums import services
from community.notifications import services as notifications
from community.notifications.models import CommunityWatch, Notification
from tests.helpers import create_community, create_user
from tests.conftest import REDIS_URL, require
from tests.test_worker import Worker, _post_state, on_postgresql, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.redis]
WATCHERS = 40


@pytest.fixture
def services_up(backend):
    return require(REDIS_URL, "TEST_REDIS_URL")


def mails(app):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(OutgoingMail))


@on_postgresql
def test_a_worker_killed_mid_fan_out_notifies_and_mails_each_watcher_exactly_once(make_app, pg_url, services_up,
                                                                                  tmp_path):
    import psycopg
    import redis

    redis.Redis.from_url(services_up).flushdb()
    app = make_app(CELERY=celery_config(services_up))
    with app.app_context():
        author = create_user("author")
        community = create_community("asthma")
        services.join(author.id, community.id)
        watchers = [create_user(f"watcher{i}") for i in range(WATCHERS)]
        for user in watchers:
            services.join(user.id, community.id)
            db.session.add(CommunityWatch(user_id=user.id, community_id=community.id, level="watching"))
            db.session.commit()
            notifications.update_settings(user.id, {"email": {"new_thread": "always"}})
        ids = [u.id for u in watchers]
        thread, post = services.create_thread(author.id, community.id, "Inhalers", "Which spacer do you use?")
        post_id = post.id
    assert _post_state(app, post_id) == "pending"   # queued in Redis, no worker yet

    plain = pg_url.replace("postgresql+psycopg://", "postgresql://")
    blocker = psycopg.connect(plain)
    # An uncommitted row with the key the fan-out will insert for the last watcher: its INSERT ... SELECT
    # waits on that key, part-way through, until the test lets go.
    blocker.execute("INSERT INTO notifications (user_id, kind, key, count, priority, created_at, email_state) "
                    "VALUES (%s, 'new_thread', %s, 1, 0, now(), 'skip')", (ids[-1], f"post:{post_id}"))
    worker = Worker(pg_url, services_up, tmp_path, visibility=3)
    try:
        worker.start()

        def fan_out_waits():
            with psycopg.connect(plain, autocommit=True) as conn:
                return conn.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock' AND query ILIKE '%%INSERT INTO notifications%%'").fetchone()[0] > 0

        wait_for(fan_out_waits, 30, "the fan-out to wait on the held key")
        for pid in worker.child_pids():
            os.kill(pid, signal.SIGKILL)
        blocker.rollback()
        wait_for(lambda: mails(app) >= WATCHERS, 60, "every watcher's e-mail after the redelivery")
        time.sleep(4)   # past another visibility timeout: a second delivery must change nothing
        with app.app_context():
            per_user = dict(db.session.execute(sa.select(Notification.user_id, sa.func.count()).where(
                Notification.post_id == post_id).group_by(Notification.user_id)).all())
            assert per_user == {i: 1 for i in ids}
            emails = [e for (e,) in db.session.execute(sa.select(OutgoingMail.to))]
            assert sorted(emails) == sorted(db.session.scalars(sa.select(User.email).where(User.id.in_(ids))))
    finally:
        blocker.close()
        worker.stop()
