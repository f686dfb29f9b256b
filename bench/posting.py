#!/usr/bin/env python3
"""Posting throughput through the outbox and a REAL Celery worker on Redis.

  /tmp/anchors/ours-venv/bin/python bench/posting.py [-n 200] [--concurrency 4]

What runs (all on 127.0.0.1, all stopped at the end):
  * a copy of the seeded bench database in $ANCHOR_DIR/ours-post-data (the GET benches'
    data stays as seeded), Redis db 12 flushed first (db 12 is the bench's own);
  * our app under gunicorn via bench/serve.sh (same flags as the GET benches) with
    REDIS_URL set, so replies go: POST -> row + outbox row in one commit -> task
    published to Redis after commit -> response;
  * `celery -A worker worker --pool=solo -Q moderation,notifications,periodic` with the
    same environment, which runs moderation.moderate_post: the filters, then "published"
    with the verdict applied.

The bench member posts N replies over HTTP, exactly as a browser does (session cookie
from a real login, the CSRF token from the thread page's form, POST /t/ID/reply, 302 to
the new post's #pID). --concurrency clients post at once.

Reported:
  accepted posts/s   N / (first POST sent .. last POST answered)
  publish latency    per post: first time a poller saw it published and moderated in the
                     database minus the time its POST was answered; p50/p95/max (poll every --poll-ms)
  notice latency     the same, for the half of the posts that tell of a self-directed change
                     and must come out with the consult-reminder notice (issue 4's post-to-notice)
  published posts/s  N / (first POST sent .. last post published)
"""
import argparse
import json
import os
import signal
import sqlite3
import statistics
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from login_cookie import Client, csrf_from, login  # noqa: E402

# Every other post tells of a self-directed change: the pipeline must attach the consult notice.
NOTICE_BODY = ("I stopped my metformin two weeks ago and use cinnamon capsules instead; my readings look "
               "about the same so far. Post #{i} from the posting bench.")
BODY = ("Thanks for sharing this. What helped me with **sick days** was checking ketones early and "
        "keeping a written plan on the fridge:\n\n- fluids every hour\n- correction doses as agreed with "
        "my team\n- call the clinic if it does not come down\n\nPost #{i} from the posting bench.")


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=200, help="replies to post")
    ap.add_argument("--concurrency", type=int, default=4)
    ap.add_argument("--port", type=int, default=18092)
    ap.add_argument("--redis-url", default="redis://127.0.0.1:6379/12")
    ap.add_argument("--poll-ms", type=float, default=2.0)
    ap.add_argument("--timeout", type=float, default=120, help="seconds to wait for all to publish")
    ap.add_argument("--json", dest="json_out")
    args = ap.parse_args()

    anchor = os.environ.get("ANCHOR_DIR", "/tmp/anchors")
    src, data = os.path.join(anchor, "ours-data"), os.path.join(anchor, "ours-post-data")
    venv = os.path.join(anchor, "ours-venv")
    seed = json.load(open(os.path.join(src, "seed.json")))

    # Fresh copy of the seeded database (sqlite backup API: consistent even with WAL files).
    os.makedirs(data, exist_ok=True)
    for name in os.listdir(data):
        os.remove(os.path.join(data, name))
    with sqlite3.connect(os.path.join(src, "community.sqlite")) as s, \
            sqlite3.connect(os.path.join(data, "community.sqlite")) as d:
        s.backup(d)
    with open(os.path.join(data, "seed.json"), "w") as fh:
        json.dump(seed, fh)

    import redis  # from the bench venv (a dependency of our app)

    redis.Redis.from_url(args.redis_url).flushdb()

    env = dict(os.environ, ANCHOR_DIR=anchor, DATA=data, BENCH_REDIS_URL=args.redis_url)
    worker_env = dict(os.environ, COMMUNITY_INSTANCE_PATH=data, REDIS_URL=args.redis_url,
                      SECRET_KEY="bench-secret-key-not-for-production-0123456789",
                      COMMUNITY_PRODUCTION="false", RATELIMIT_ENABLED="false")
    worker_env.pop("DATABASE_URL", None)
    worker_log = open(os.path.join(data, "celery-worker.log"), "w")
    worker = None
    base = f"http://127.0.0.1:{args.port}"
    try:
        subprocess.run([os.path.join(HERE, "serve.sh"), "start", "ours", str(args.port)], env=env, check=True)
        worker = subprocess.Popen(
            [os.path.join(venv, "bin", "celery"), "-A", "worker", "worker", "--pool=solo",
             "-Q", "moderation,notifications,periodic", "--loglevel=WARNING", "--without-heartbeat",
             "--without-gossip", "--without-mingle"],
            env=worker_env, cwd=data, stdout=worker_log, stderr=subprocess.STDOUT)
        thread_path = seed["small_thread_path"]
        member = login(base, seed["member_login"], seed["member_password"], warm=thread_path)
        _, _, html = member.request("GET", thread_path)
        token = csrf_from(html)

        # Wait until the worker consumes: one warm-up reply must get published.
        db = sqlite3.connect(f"file:{os.path.join(data, 'community.sqlite')}?mode=ro", uri=True,
                             check_same_thread=False)

        def post_one(client, i):
            status, location, _ = client.request("POST", thread_path + "/reply",
                                                 {"csrf_token": token, "body": (NOTICE_BODY if i % 2 else BODY).format(i=i)})
            if status != 302 or "#p" not in location:
                raise SystemExit(f"reply {i}: HTTP {status} {location!r} (CSRF? membership? rate limit?)")
            return int(location.rsplit("#p", 1)[1])

        warm_id, t_warm = post_one(member, 0), time.time()
        while db.execute("SELECT state FROM posts WHERE id = ?", (warm_id,)).fetchone()[0] != "published":
            if time.time() - t_warm > 60:
                raise SystemExit("the worker did not publish the warm-up post in 60 s; see celery-worker.log")
            time.sleep(0.05)

        answered, published, noticed, lock = {}, {}, {}, threading.Lock()
        expects_notice = {}
        counter = iter(range(1, args.n + 1))

        def take():
            with lock:  # next() on a shared iterator is not thread-safe
                return next(counter, None)

        def poster():
            client = Client(base)
            client.cookie = member.cookie
            for i in iter(take, None):
                pid = post_one(client, i)
                with lock:
                    answered[pid] = time.perf_counter()
                    expects_notice[pid] = bool(i % 2)

        def poller(stop):
            while not stop.is_set() or len(published) < len(answered):
                with lock:
                    waiting = [p for p in answered if p not in published]
                if waiting:
                    q = (f"SELECT id, notices FROM posts WHERE state = 'published' AND moderation_status = 'done' "
                         f"AND id IN ({','.join('?' * len(waiting))})")
                    now = time.perf_counter()
                    for pid, notices in db.execute(q, waiting):
                        published[pid] = now
                        noticed[pid] = "consult_reminder" in (notices or "")
                if time.perf_counter() - t0 > args.timeout:
                    return
                time.sleep(args.poll_ms / 1000)

        stop = threading.Event()
        t0 = time.perf_counter()
        poll = threading.Thread(target=poller, args=(stop,))
        poll.start()
        posters = [threading.Thread(target=poster) for _ in range(args.concurrency)]
        for t in posters:
            t.start()
        for t in posters:
            t.join()
        t_posted = time.perf_counter()
        stop.set()
        poll.join()
        t_done = max(published.values()) if published else float("nan")

        lat = [(published[p] - answered[p]) * 1000 for p in answered if p in published]
        notice_lat = [(published[p] - answered[p]) * 1000 for p in answered if p in published and expects_notice[p]]
        wrong = sum(1 for p in published if noticed[p] != expects_notice[p])
        unsent = db.execute("SELECT count(*) FROM outbox WHERE sent_at IS NULL").fetchone()[0]
        out = {
            "posts": args.n, "concurrency": args.concurrency, "published": len(lat),
            "accepted_posts_per_s": args.n / (t_posted - t0),
            "published_posts_per_s": len(lat) / (t_done - t0) if lat else None,
            "publish_latency_ms": {"p50": pct(lat, 50), "p95": pct(lat, 95), "max": max(lat),
                                   "mean": statistics.mean(lat)} if lat else None,
            "notice_latency_ms": {"p50": pct(notice_lat, 50), "p95": pct(notice_lat, 95), "max": max(notice_lat)}
            if notice_lat else None,
            "notice_mismatches": wrong,
            "poll_ms": args.poll_ms, "outbox_unsent": unsent, "thread": thread_path,
            "via": "HTTP POST /t/ID/reply with session cookie + CSRF token (gunicorn -w 2 sync)",
        }
    finally:
        if worker is not None:
            worker.send_signal(signal.SIGTERM)  # warm shutdown: finish the current task, then exit
            try:
                worker.wait(30)
            except subprocess.TimeoutExpired:
                worker.kill()
        subprocess.run([os.path.join(HERE, "serve.sh"), "stop", "ours"], env=env)

    print(f"{out['posts']} replies, {out['concurrency']} concurrent clients, via {out['via']}")
    print(f"accepted: {out['accepted_posts_per_s']:.1f} posts/s; published: {out['published']}/{out['posts']}"
          f" ({fmt(out['published_posts_per_s'])} posts/s end to end); outbox rows unsent: {unsent}")
    if out["publish_latency_ms"]:
        la = out["publish_latency_ms"]
        print(f"publish latency after the POST answered (poll {args.poll_ms:g} ms): "
              f"p50 {la['p50']:.1f} ms, p95 {la['p95']:.1f} ms, max {la['max']:.1f} ms")
    if out["notice_latency_ms"]:
        la = out["notice_latency_ms"]
        print(f"post-to-notice latency ({len([1 for p in expects_notice.values() if p])} posts that need the notice): "
              f"p50 {la['p50']:.1f} ms, p95 {la['p95']:.1f} ms, max {la['max']:.1f} ms; "
              f"posts with the wrong notice: {out['notice_mismatches']}")
    if args.json_out:
        with open(args.json_out, "w") as fh:
            json.dump(out, fh, indent=2)
    return 0 if out["published"] == args.n and not out["notice_mismatches"] else 1


def fmt(v):
    return "-" if v is None else f"{v:.1f}"


if __name__ == "__main__":
    sys.exit(main())
