#!/usr/bin/env python3
"""Notifications on PostgreSQL (issue 14): fan-out through a real worker, what a post pays, the centre.

  .venv/bin/python bench/notifications.py [--watchers 10000] [--requests 300]

Needs PostgreSQL and Redis on 127.0.0.1 (BENCH_DATABASE_URL / BENCH_REDIS_URL to change them). It
makes its own database (pc_bench_notifications, dropped and made again) and uses Redis db 12.

  1. fan-out: N members watch a community, each with e-mail for new threads "always". A thread is
     posted with Celery on Redis; a real `celery -A worker worker` moderates it, publishes it and fans
     out. Reported: seconds from the post's commit to all N notifications written, to all of them
     planned for e-mail, and to all N e-mails queued (outgoing_mail rows with their send task).
  2. posting: the reply request (POST /t/ID/reply, in-process, CPU time of this process) with
     notifications on and off, alternating in one run; p50/p95 of each and the difference.
  3. the centre: GET /notifications for a member with 10,000 notifications, CPU ms p50/p95.
Goals: 1 under 5 s for the notifications; 2 under 2 ms at p95; 3 under 20 ms at p95.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BASE = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
NAME = "pc_bench_notifications"


def fresh_database():
    import psycopg

    with psycopg.connect(BASE, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{NAME}"')
    return BASE.rsplit("/", 1)[0] + "/" + NAME


def make_app(url, eager):
    from community import create_app
    from community.config import celery_config

    celery = celery_config(REDIS)
    if eager:
        celery.update(broker_url="memory://localhost/", task_always_eager=True, task_ignore_result=True)
    return create_app({"SQLALCHEMY_DATABASE_URI": url.replace("postgresql://", "postgresql+psycopg://"),
                       "SECRET_KEY": "bench", "CELERY": celery, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                       "PAGE_CACHE_SECONDS": 0, "ARGON2_PARAMS": {"time_cost": 1, "memory_cost": 8, "parallelism": 1},
                       "TESTING": False, "MAIL_URL": None})


def seed(app, watchers):
    import sqlalchemy as sa

    from community.accounts.models import User
    from community.accounts.services import hash_password
    from community.extensions import db
    from community.forums import search
    from community.forums.models import Community, Membership
    from community.models_base import utcnow
    from community.notifications.models import CommunityWatch, NotificationSettings

    with app.app_context():
        db.create_all()
        with db.engine.begin() as conn:
            search.create_schema(conn)
        now, password = utcnow(), hash_password("bench-password-long-enough")
        community = Community(slug="asthma", name="Asthma", visibility="public")
        db.session.add(community)
        db.session.flush()
        rows = [dict(username=f"member{i}", email=f"member{i}@example.org", password_hash=password, role="member",
                     birth_year=1980, email_verified_at=now, guidelines_accepted_at=now, health_consent_at=now,
                     onboarded_at=now, approved_posts=5, created_at=now, time_zone="UTC") for i in range(watchers + 2)]
        db.session.execute(sa.insert(User), rows)
        ids = db.session.scalars(sa.select(User.id).order_by(User.id)).all()
        db.session.execute(sa.insert(Membership), [dict(user_id=i, community_id=community.id, created_at=now)
                                                   for i in ids])
        db.session.execute(sa.insert(CommunityWatch), [dict(user_id=i, community_id=community.id, level="watching")
                                                       for i in ids[2:]])
        db.session.execute(sa.insert(NotificationSettings), [dict(
            user_id=i, email={"new_thread": "always"}, digest="off", discreet_email=True, watch_community="normal",
            watch_thread="watching", auto_watch=True) for i in ids[2:]])
        db.session.commit()
        return community.id, ids[0], ids[1]


def count(app, sql):
    import sqlalchemy as sa

    from community.extensions import db

    with app.app_context():
        value = db.session.scalar(sa.text(sql))
        db.session.rollback()
        return value


def fan_out(url, community_id, author_id, watchers):
    env = dict(os.environ, DATABASE_URL=url, REDIS_URL=REDIS, SECRET_KEY="bench", COMMUNITY_PRODUCTION="false",
               PYTHONPATH=str(ROOT))
    env.pop("MAIL_URL", None)
    import redis

    redis.Redis.from_url(REDIS).flushdb()
    log = open("/tmp/bench-notifications-worker.log", "w")
    worker = subprocess.Popen([sys.executable, "-m", "celery", "-A", "worker", "worker", "--pool=solo",
                               "-Q", "moderation,notifications,periodic", "--without-gossip", "--without-mingle",
                               "--without-heartbeat", "--loglevel=WARNING"], cwd=ROOT, env=env, stdout=log,
                              stderr=subprocess.STDOUT)
    app = make_app(url, eager=False)
    try:
        time.sleep(4)   # the worker starts and loads the filters
        from community.forums import services

        with app.app_context():
            services.create_thread(author_id, community_id, "Spacers", "Which spacer do you use with an inhaler?")
        start = time.perf_counter()
        marks = {}
        deadline = start + 300
        while time.perf_counter() < deadline and len(marks) < 3:
            now = time.perf_counter() - start
            if "written" not in marks and count(app, "SELECT count(*) FROM notifications") >= watchers:
                marks["written"] = now
            if "planned" not in marks and count(
                    app, "SELECT count(*) FROM notifications WHERE email_state <> 'new'") >= watchers:
                marks["planned"] = now
            if "queued" not in marks and count(app, "SELECT count(*) FROM outgoing_mail") >= watchers:
                marks["queued"] = now
            time.sleep(0.05)
        return marks
    finally:
        worker.terminate()
        worker.wait(20)


def cpu_ms(fn):
    t = time.process_time()
    fn()
    return (time.process_time() - t) * 1000


def posting(url, community_id, member_id, requests):
    # Celery on Redis with no worker running: the request writes its rows and publishes, as in
    # production; the fan-out (and moderation) would run in a worker, not here.
    import redis

    app = make_app(url, eager=False)
    from community.accounts.models import User
    from community.extensions import db
    from community.forums import services

    with app.app_context():
        username = db.session.get(User, member_id).username
        thread, _ = services.create_thread(member_id, community_id, "Replies", "A thread to reply to.")
        thread_id = thread.id
        thread.state = "published"     # no worker here to publish it
        db.session.commit()
    client = app.test_client()
    client.post("/login", data={"login": username, "password": "bench-password-long-enough"})
    times = {True: [], False: []}
    for i in range(requests * 2):
        on = i % 2 == 0
        app.config["NOTIFICATIONS_ENABLED"] = on
        body = {"body": f"Reply number {i} about spacers."}
        ms = cpu_ms(lambda body=body: client.post(f"/t/{thread_id}/reply", data=body))
        if i >= 20:
            times[on].append(ms)
    app.config["NOTIFICATIONS_ENABLED"] = True
    redis.Redis.from_url(REDIS).flushdb()
    return times


def centre(url, member_id, requests):
    import sqlalchemy as sa

    from community.extensions import db
    from community.forums.models import Post
    from community.models_base import utcnow
    from community.notifications.models import Notification

    app = make_app(url, eager=True)
    with app.app_context():
        posts = db.session.execute(sa.select(Post.id, Post.thread_id).limit(500)).all()
        now = utcnow()
        db.session.execute(sa.insert(Notification), [dict(
            user_id=member_id, kind="posted", key=f"bench:{i}", post_id=posts[i % len(posts)][0],
            thread_id=posts[i % len(posts)][1], count=1, priority=0, created_at=now, email_state="skip",
            read_at=None if i % 3 else now) for i in range(10_000)])
        db.session.commit()
        from community.accounts.models import User

        username = db.session.get(User, member_id).username
    client = app.test_client()
    client.post("/login", data={"login": username, "password": "bench-password-long-enough"})
    for _ in range(20):
        client.get("/notifications")
    return [cpu_ms(lambda: client.get("/notifications")) for _ in range(requests)]


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--watchers", type=int, default=10_000)
    ap.add_argument("--requests", type=int, default=300)
    args = ap.parse_args()
    url = fresh_database()
    seed_app = make_app(url, eager=True)
    t = time.perf_counter()
    community_id, author_id, member_id = seed(seed_app, args.watchers)
    print(f"seeded {args.watchers:,} watchers in {time.perf_counter() - t:.1f} s")

    marks = fan_out(url, community_id, author_id, args.watchers)
    print(f"fan-out to {args.watchers:,} watchers through a real worker (moderation first):")
    for what in ("written", "planned", "queued"):
        print(f"  {what:8s} {marks[what]:6.2f} s" if what in marks else f"  {what:8s} not reached in 300 s")

    times = posting(url, community_id, member_id, args.requests)
    on, off = times[True], times[False]
    print(f"reply request, CPU ms ({len(on)} each, alternating): notifications on p50 {statistics.median(on):.2f} "
          f"p95 {pct(on, .95):.2f}; off p50 {statistics.median(off):.2f} p95 {pct(off, .95):.2f}; "
          f"added p50 {statistics.median(on) - statistics.median(off):+.2f} p95 {pct(on, .95) - pct(off, .95):+.2f}")

    page = centre(url, member_id, args.requests)
    print(f"notification centre, 10,000 notifications: CPU ms p50 {statistics.median(page):.2f} "
          f"p95 {pct(page, .95):.2f} p99 {pct(page, .99):.2f}")
    ok = marks.get("written", 99) < 5 and pct(on, .95) - pct(off, .95) < 2 and pct(page, .95) < 20
    print("goals met" if ok else "GOALS NOT MET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
