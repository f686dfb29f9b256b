#!/usr/bin/env python3
"""Does a sign-in, sign-up or reset request take the same time for an account that exists and one
that does not? (issue 12, points 5-7). Prints both distributions side by side. Not a CI test:
timing on a shared machine is noisy, so read the medians and the spread, not one number.

  .venv/bin/python bench/timing_parity.py                    # temporary SQLite file, 200 pairs each
  .venv/bin/python bench/timing_parity.py -n 500 --database-url postgresql+psycopg://postgres@127.0.0.1/pc_bench

In one process through Flask's test client (no HTTP, no gunicorn), against a real database, with
the production password hasher (argon2id, 64 MiB, t=3) and Celery *not* eager: tasks go to a
broker nobody reads (memory:// unless --broker), as they do when the worker runs elsewhere. So
each request does exactly the work a web worker does in production, and nothing more.

Each pair of requests (exists / does not) runs in a random order, so drift in machine load
falls on both sides alike. Throttle rows are cleared between pairs (outside the timing): the
point is the answer's time, not the per-name delay. A PostgreSQL database should be a scratch
one: the script creates the tables if missing and adds its own users.
"""
import argparse
import logging
import os
import random
import secrets
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

PASSWORD = "quiet-harbour-lantern-42"


def make_app(database_url, broker):
    from community import create_app
    from community.config import celery_config

    celery = celery_config(None)
    celery.update(broker_url=broker, task_always_eager=False)
    return create_app({
        "SECRET_KEY": "timing-parity", "SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False, "RATELIMIT_STORAGE_URI": "memory://", "CELERY": celery, "MAIL_URL": None,
        "SITE_URL": "http://127.0.0.1", "ENV_PRODUCTION": False, "PAGE_CACHE_SECONDS": 0,
    })


def prepare(app, accounts):
    """The schema if missing, and `accounts` verified members with the production hasher."""
    from community.accounts.models import User
    from community.accounts.services import hash_password
    from community.extensions import db
    from community.forums import search
    from community.models_base import utcnow

    run = secrets.token_hex(3)
    with app.app_context():
        db.create_all()
        with db.engine.begin() as conn:
            if not db.inspect(conn).has_table("post_search"):
                search.create_schema(conn)
        now = utcnow()
        hashed = hash_password(PASSWORD)
        names = [f"tp{run}_{i}" for i in range(accounts)]
        db.session.add_all(User(username=n, email=f"{n}@example.org", password_hash=hashed, birth_year=1980,
                                email_verified_at=now, guidelines_accepted_at=now, health_consent_at=now,
                                onboarded_at=now) for n in names)
        db.session.commit()
    return run, names


def clear_throttles(app):
    from community.accounts.models import LoginThrottle
    from community.extensions import db

    with app.app_context():
        db.session.execute(db.delete(LoginThrottle))
        db.session.commit()


def cases(run, names):
    """(kind, request for an existing account, request for a missing one): each returns (path, form)."""
    counter = iter(range(10**9))

    def signup(email):
        i = next(counter)
        return "/signup", {"username": f"tq{run}{i}", "email": email(i), "password": "paper-kite-river-stone",
                           "birth_year": "1984", "accept_guidelines": "y", "health_data_consent": "y"}

    return [
        ("login (wrong password)",
         lambda i: ("/login", {"login": names[i % len(names)], "password": "wrong-password-123"}),
         lambda i: ("/login", {"login": f"nobody{run}{i}", "password": "wrong-password-123"})),
        ("sign-up",
         lambda i: signup(lambda _: f"{names[i % len(names)]}@example.org"),
         lambda i: signup(lambda n: f"new{run}{n}@example.org")),
        ("reset request",
         lambda i: ("/password/reset", {"email": f"{names[i % len(names)]}@example.org"}),
         lambda i: ("/password/reset", {"email": f"nobody{run}{i}@example.org"})),
    ]


def timed(client, path, form, expect):
    start = time.perf_counter()
    response = client.post(path, data=form)
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code not in expect:
        raise SystemExit(f"{path} answered {response.status_code}: {response.get_data(as_text=True)[:300]}")
    return elapsed


def summary(values):
    q = statistics.quantiles(values, n=100, method="inclusive")
    return {"p10": q[9], "p50": statistics.median(values), "p90": q[89], "p99": q[98], "mean": statistics.fmean(values)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=200, help="pairs of requests per kind (default 200)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed pairs per kind first (default 5)")
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--broker", default="memory://localhost/", help="Celery broker the tasks go to")
    parser.add_argument("--accounts", type=int, default=20, help="existing accounts to cycle through")
    parser.add_argument("--only", choices=("login", "sign-up", "reset"), help="one kind only")
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    tmp = None
    url = args.database_url
    if not url:
        tmp = tempfile.TemporaryDirectory()
        url = f"sqlite:///{tmp.name}/parity.sqlite"
    app = make_app(url, args.broker)
    # Every request logs an auth event: the same on both sides, but it would bury the table.
    logging.getLogger("community").setLevel(logging.WARNING)
    run, names = prepare(app, args.accounts)
    client = app.test_client()
    # Login and reset answer 422/302; sign-up 302 for both (422 would mean the bench is wrong).
    expect = {"login (wrong password)": {422}, "sign-up": {302}, "reset request": {302}}
    rows = []
    for kind, exists, missing in cases(run, names):
        if args.only and not kind.startswith(args.only):
            continue
        times = {"exists": [], "missing": []}
        for i in range(args.warmup + args.n):
            pair = [("exists", exists(i)), ("missing", missing(i))]
            rng.shuffle(pair)
            for side, (path, form) in pair:
                elapsed = timed(client, path, form, expect[kind])
                if i >= args.warmup:
                    times[side].append(elapsed)
            clear_throttles(app)
        rows.append((kind, summary(times["exists"]), summary(times["missing"])))
        print(f"  {kind}: done", file=sys.stderr)

    database = url.split("://", 1)[0]
    print(f"timing parity: {args.n} interleaved pairs per kind, {database}, broker {args.broker.split(':', 1)[0]}, "
          "times in ms per request (Flask test client, in-process)\n")
    header = f"{'request':<24}{'account':<9}" + "".join(f"{c:>9}" for c in ("p10", "p50", "p90", "p99", "mean"))
    print(header)
    print("-" * len(header))
    for kind, present, absent in rows:
        for label, stats in (("exists", present), ("missing", absent)):
            print(f"{kind if label == 'exists' else '':<24}{label:<9}" + "".join(f"{stats[c]:9.1f}" for c in stats))
        diff = present["p50"] - absent["p50"]
        print(f"{'':<24}{'Δ p50':<9}{'':>9}{diff:+9.1f}  ({diff / absent['p50']:+.1%})")
    if tmp:
        with app.app_context():
            from community.extensions import db

            db.engine.dispose()
        tmp.cleanup()


if __name__ == "__main__":
    main()
