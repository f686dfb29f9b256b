#!/usr/bin/env python3
"""Fault injection against a production-shaped deployment: what is lost, duplicated or late.

  .venv/bin/python bench/chaos.py [--only NAME ...] [--rate 4] [--backlog 1000] [--json out.json]

What runs (all on 127.0.0.1, all stopped at the end; nothing shared is touched):
  * PostgreSQL database `pc_chaos` (dropped and created), `community init-db` + `seed-demo`;
  * a private redis-server on a spare port, AOF on (appendfsync everysec), noeviction;
  * gunicorn, 4 sync workers, with the README's flags (`-c python:community.gunicorn_conf`);
  * the README's `celery -A worker worker` and `celery -A worker beat` (one of each).
Rate limits are off: three clients post faster than a member may (the limiter's Redis fallback
has its own test in tests/test_reliability.py).

Three API clients (alex, riley, sam) reply through `POST /api/v1/threads/ID/posts`, each post
with its own `Idempotency-Key` and a unique marker in its text. A client retries a timeout, a
dropped connection, a 5xx or a 409 with the same key until it gets its 201 (or a 409
idempotency_key_done) or --give-up seconds pass. Scenarios, one after another:

  baseline        posting only
  worker-kill     SIGKILL of the whole worker (parent and children) with posts in flight; a new one 3 s
                  later (the worker is frozen 2 s first so that posts queue up and it is busy with them)
  redis-stop      redis-server stopped (SIGTERM) for 20 s, started again on its AOF
  redis-freeze    redis-server SIGSTOPped for 20 s, then SIGCONT
  pg-terminate    pg_terminate_backend on every connection to pc_chaos, three times a second apart
  gunicorn-kill   SIGKILL of every gunicorn worker while two clients' POSTs wait on a row lock
                  inside them (the master starts new ones; the retries wait for the dead keys)
  backlog         the worker stopped; --backlog posts as fast as the clients go; the worker started

For each: accepted (201s), 5xx answers (and how many fell outside the fault window), client
retries, lost (accepted, but no post with its marker), duplicated (more than one post with a
marker), and the seconds from the fault's end until every accepted post was published and
moderated. Then the whole database is checked: every thread's reply count and every
community's thread count against the rows themselves, no post judged twice by one filter on one text,
no unsent outbox row.
Goal (issue 11): 0 lost, 0 duplicated, 0 5xx outside the fault window, all published within 60 s.
"""
import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.dirname(sys.executable)
DB = "pc_chaos"
PG = "postgresql://postgres@127.0.0.1:5432"
MARK = re.compile(r"\[chaos ([a-z-]+) (\d+)-(\d+)\]")
DEMO_PASSWORD = "demo-commons-2026"
CLIENTS = (("alex", "type-2-diabetes"), ("riley", "type-2-diabetes"), ("sam", "multiple-sclerosis"))
BODIES = ("Thanks, this helps. What worked for me on bad days was keeping a written plan.",
          "I stopped my metformin two weeks ago and use cinnamon capsules instead.",
          "Does anyone else find the mornings hardest? I pace myself and rest after lunch.")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def psql(sql, db="postgres"):
    out = subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", f"{PG}/{db}", "-c", sql],
                         capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"psql failed: {out.stderr.strip()}")
    return out.stdout.strip()


class Deployment:
    def __init__(self, tmp):
        self.tmp = tmp
        self.redis_port, self.web_port = free_port(), free_port()
        self.redis = self.web = self.worker = self.beat = None
        self.env = dict(
            os.environ, DATABASE_URL=f"{PG}/{DB}", REDIS_URL=f"redis://127.0.0.1:{self.redis_port}/0",
            SECRET_KEY="chaos-bench-secret-not-for-production-0123456789", COMMUNITY_PRODUCTION="false",
            RATELIMIT_ENABLED="false", COMMUNITY_INSTANCE_PATH=tmp, PYTHONPATH=ROOT, GUNICORN_WORKERS="4")
        self.env.pop("MAIL_URL", None)
        self.logs = {}

    def _log(self, name):
        self.logs[name] = open(os.path.join(self.tmp, f"{name}.log"), "a")
        return self.logs[name]

    def start_redis(self):
        self.redis = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "yes", "--appendfsync", "everysec", "--maxmemory-policy", "noeviction",
             "--dir", self.tmp], stdout=self._log("redis"), stderr=subprocess.STDOUT)
        wait(lambda: redis_pings(self.redis_port), 10, "redis-server")

    def stop_redis(self):
        self.redis.terminate()
        self.redis.wait(10)

    def start_web(self):
        self.web = subprocess.Popen(
            [os.path.join(BIN, "gunicorn"), "-w", "4", "-b", f"127.0.0.1:{self.web_port}",
             "-c", "python:community.gunicorn_conf", "community:create_app()"],
            cwd=ROOT, env=self.env, stdout=self._log("gunicorn"), stderr=subprocess.STDOUT)
        wait(lambda: http_ok(self.web_port, "/healthz"), 30, "gunicorn")

    def start_worker(self):
        # The README's command, as is.
        self.worker = subprocess.Popen([os.path.join(BIN, "celery"), "-A", "worker", "worker", "--loglevel=INFO"],
                                       cwd=ROOT, env=self.env, stdout=self._log("worker"), stderr=subprocess.STDOUT,
                                       start_new_session=True)
        wait(lambda: "ready." in open(os.path.join(self.tmp, "worker.log")).read().split("=== start")[-1], 60,
             "the celery worker")

    def kill_worker(self, sig=signal.SIGKILL):
        os.killpg(self.worker.pid, sig)
        self.worker.wait(60)

    def start_beat(self):
        self.beat = subprocess.Popen(
            [os.path.join(BIN, "celery"), "-A", "worker", "beat", "--loglevel=INFO",
             "-s", os.path.join(self.tmp, "beat-schedule")],
            cwd=ROOT, env=self.env, stdout=self._log("beat"), stderr=subprocess.STDOUT, start_new_session=True)

    def mark_log(self, name):
        self._log(name).write("=== start\n")
        self.logs[name].flush()

    def stop_all(self):
        for proc in (self.beat, self.worker):
            if proc and proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(30)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
        for proc in (self.web, self.redis):
            if proc and proc.poll() is None:
                if proc is self.redis:
                    os.kill(proc.pid, signal.SIGCONT)
                proc.terminate()
                try:
                    proc.wait(30)
                except subprocess.TimeoutExpired:
                    proc.kill()


def redis_pings(port):
    try:
        with socket.create_connection(("127.0.0.1", port), 0.5) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def http_ok(port, path):
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        conn.request("GET", path)
        return conn.getresponse().status == 200
    except OSError:
        return False


def wait(check, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise SystemExit(f"timed out waiting for {what}")


def api(port, method, path, body=None, token=None, key=None, timeout=5.0):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if key:
        headers["Idempotency-Key"] = key
    try:
        conn.request(method, path, json.dumps(body) if body is not None else None, headers)
        response = conn.getresponse()
        data = response.read()
        return response.status, (json.loads(data) if data else None)
    finally:
        conn.close()


class Clients:
    """Three posting clients; every attempt is recorded with its time and outcome."""

    def __init__(self, port, give_up):
        self.port, self.give_up = port, give_up
        self.tokens, self.threads = {}, {}
        self.lock = threading.Lock()
        for number, (name, slug) in enumerate(CLIENTS):
            status, body = api(port, "POST", "/api/v1/tokens",
                               {"username": name, "password": DEMO_PASSWORD, "scopes": ["read", "write"]})
            assert status == 201, body
            self.tokens[number] = body["token"]
            status, page = api(port, "GET", f"/api/v1/communities/{slug}/threads", token=body["token"])
            assert status == 200 and page["items"], page
            self.threads[number] = page["items"][0]["id"]

    def run(self, scenario, stop, rate=None, count=None):
        """Post until `stop` is set (rate posts/s per client) or `count` posts in all (as fast as they go)."""
        result = {"accepted": set(), "done_lost_answer": set(), "given_up": set(), "attempts": 0, "retries": 0,
                  "http5xx": [], "errors": {}, "sent": [], "last_answer": 0.0}
        counter = iter(range(count)) if count else None

        def client(number):
            i = 0
            while not stop.is_set():
                if counter is not None:
                    with self.lock:
                        i = next(counter, None)
                    if i is None:
                        return
                else:
                    i += 1
                marker = f"[chaos {scenario} {number}-{i}]"
                key = f"chaos-{uuid.uuid4().hex}"
                body = {"body": f"{BODIES[i % len(BODIES)]} {marker}"}
                start = time.monotonic()
                first = True
                with self.lock:
                    result["sent"].append(marker)
                while True:
                    with self.lock:
                        result["attempts"] += 1
                        if not first:
                            result["retries"] += 1
                    first = False
                    try:
                        status, answer = api(self.port, "POST", f"/api/v1/threads/{self.threads[number]}/posts",
                                             body, self.tokens[number], key)
                    except (OSError, http.client.HTTPException) as exc:
                        status, answer = type(exc).__name__, None
                    with self.lock:
                        if isinstance(status, int) and status >= 500:
                            result["http5xx"].append(time.monotonic())
                        if status != 201:
                            result["errors"][str(status)] = result["errors"].get(str(status), 0) + 1
                    if status == 201:
                        with self.lock:
                            result["accepted"].add(marker)
                            result["last_answer"] = time.monotonic()
                        break
                    if status == 409 and answer and answer["error"]["code"] == "idempotency_key_done":
                        with self.lock:
                            result["done_lost_answer"].add(marker)
                        break
                    if isinstance(status, int) and status < 500 and status != 409:
                        raise SystemExit(f"{marker}: refused with {status} {answer}")
                    if time.monotonic() - start > self.give_up:
                        with self.lock:
                            result["given_up"].add(marker)
                        break
                    time.sleep(0.5)
                if rate:
                    time.sleep(1 / rate)

        threads = [threading.Thread(target=client, args=(n,)) for n in range(len(CLIENTS))]
        for t in threads:
            t.start()
        return threads, result


def published_state(scenario):
    """{marker: [published-and-moderated?, ...]} for one scenario's posts, one entry per stored post."""
    rows = psql("SELECT body, (state = 'published' AND moderation_status = 'done') FROM posts "
                f"WHERE body LIKE '%[chaos {scenario} %'", DB)
    found = {}
    for line in rows.splitlines():
        body, done = line.rsplit("|", 1)
        match = MARK.search(body)
        if match:
            found.setdefault(match.group(0), []).append(done == "t")
    return found


def scenario(dep, clients, name, fault, args):
    stop = threading.Event()
    if name == "backlog":
        dep.kill_worker(signal.SIGTERM)  # a clean stop: the backlog waits in Redis for a worker
        threads, result = clients.run(name, stop, count=args.backlog)
        for t in threads:
            t.join()
        waiting = sum(1 for done in published_state(name).values() if not any(done))
        fault_start = time.monotonic()
        dep.mark_log("worker")
        dep.start_worker()
        fault_end = time.monotonic()
    else:
        threads, result = clients.run(name, stop, rate=args.rate)
        time.sleep(args.before)
        waiting = sum(1 for done in published_state(name).values() if not any(done))
        fault_start = time.monotonic()
        waiting = fault() or waiting
        fault_end = time.monotonic()
        time.sleep(args.after)
        stop.set()
        for t in threads:
            t.join()
    # Until every post the clients were told about is published (or --settle passes).
    expected = result["accepted"] | result["done_lost_answer"]
    deadline, published_at = time.monotonic() + args.settle, None
    while time.monotonic() < deadline:
        found = published_state(name)
        if all(any(found.get(m, ())) for m in expected):
            published_at = time.monotonic()
            break
        time.sleep(0.25)
    found = published_state(name)
    window = (fault_start, fault_end + 1.0)
    return {
        "scenario": name, "sent": len(result["sent"]), "accepted": len(result["accepted"]),
        "answer_lost_but_done": len(result["done_lost_answer"]), "given_up": len(result["given_up"]),
        "attempts": result["attempts"], "retries": result["retries"], "errors": result["errors"],
        "http5xx": len(result["http5xx"]),
        "http5xx_outside_fault": sum(1 for t in result["http5xx"] if not window[0] <= t <= window[1]),
        "lost": sum(1 for m in expected if m not in found),
        "duplicated": sum(1 for m, posts in found.items() if len(posts) > 1),
        "stored_without_201": sum(1 for m in found if m not in expected),
        "unpublished": sum(1 for m in expected if not any(found.get(m, ()))),
        "fault_seconds": round(fault_end - fault_start, 1),
        "published_s_after_fault_end": round(published_at - fault_end, 1) if published_at else None,
        "published_s_after_last_answer": round(published_at - max(result["last_answer"], fault_end), 1)
        if published_at else None,
        "waiting_at_fault": waiting,
    }


def consistency():
    checks = {
        "threads whose reply_count is wrong": """
            SELECT count(*) FROM threads t WHERE t.reply_count <> (SELECT count(*) FROM posts p
              WHERE p.thread_id = t.id AND p.number > 1 AND p.state = 'published')""",
        "communities whose thread_count is wrong": """
            SELECT count(*) FROM communities c WHERE c.thread_count <> (SELECT count(*) FROM threads t
              WHERE t.community_id = c.id AND t.state = 'published' AND t.merged_into_id IS NULL)""",
        "posts judged twice by one filter on one text": """
            SELECT count(*) FROM (SELECT post_id FROM moderation_verdicts
              GROUP BY post_id, filter, text_hash HAVING count(*) > 1) v""",
        "chaos posts never moderated": """
            SELECT count(*) FROM posts WHERE body LIKE '%[chaos %' AND (moderation_status <> 'done' OR moderated_hash = '')""",
        "chaos posts on stopping a drug without exactly one clinician notice": """
            SELECT count(*) FROM posts WHERE body LIKE '%metformin%[chaos %'
              AND (SELECT count(*) FROM json_array_elements(notices) n WHERE n->>'kind' = 'consult_reminder') <> 1""",
        "outbox rows unsent": "SELECT count(*) FROM outbox WHERE sent_at IS NULL",
        "chaos posts not published": "SELECT count(*) FROM posts WHERE body LIKE '%[chaos %' AND state <> 'published'",
    }
    return {name: int(psql(sql, DB)) for name, sql in checks.items()}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="*", help="scenarios to run (default: all, in order)")
    ap.add_argument("--rate", type=float, default=4.0, help="posts per second per client (3 clients)")
    ap.add_argument("--backlog", type=int, default=1000)
    ap.add_argument("--before", type=float, default=5.0, help="seconds of posting before a fault")
    ap.add_argument("--after", type=float, default=5.0, help="seconds of posting after a fault")
    ap.add_argument("--outage", type=float, default=20.0, help="seconds Redis is stopped or frozen")
    ap.add_argument("--settle", type=float, default=120.0, help="seconds to wait for every post to publish")
    ap.add_argument("--give-up", type=float, default=90.0, help="a client's seconds of retrying one post")
    ap.add_argument("--keep", action="store_true", help="keep the logs' folder")
    ap.add_argument("--json", dest="json_out")
    args = ap.parse_args()

    # A SIGTERM (timeout, kill) still stops every process this script started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    tmp = tempfile.mkdtemp(prefix="pc-chaos-")
    psql(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
    psql(f"CREATE DATABASE {DB}")
    dep = Deployment(tmp)
    for command in (["init-db"], ["seed-demo"]):
        subprocess.run([os.path.join(BIN, "community"), *command], cwd=ROOT, env=dep.env, check=True,
                       stdout=subprocess.DEVNULL)

    def worker_kill():
        # Make sure tasks are in flight: freeze the worker while posts queue up, let it take
        # them, and SIGKILL it once it has received one. Their messages stay unacknowledged in
        # Redis (visibility 3,600 s): only the sweep can bring those posts back.
        log = os.path.join(dep.tmp, "worker.log")
        os.killpg(dep.worker.pid, signal.SIGSTOP)
        time.sleep(2)
        seen = os.path.getsize(log)
        os.killpg(dep.worker.pid, signal.SIGCONT)

        with open(log) as fh:
            fh.seek(seen)
            deadline, text = time.monotonic() + 10, ""
            while "received" not in text and time.monotonic() < deadline:
                text += fh.read()
                time.sleep(0.002)
        dep.kill_worker()
        in_flight = sum(1 for done in published_state("worker-kill").values() if not any(done))
        time.sleep(3)
        dep.mark_log("worker")
        dep.start_worker()
        return in_flight

    def redis_stop():
        dep.stop_redis()
        time.sleep(args.outage)
        dep.start_redis()

    def redis_freeze():
        os.kill(dep.redis.pid, signal.SIGSTOP)
        time.sleep(args.outage)
        os.kill(dep.redis.pid, signal.SIGCONT)

    def pg_terminate():
        for _ in range(3):
            psql(f"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                 f"WHERE datname = '{DB}' AND pid <> pg_backend_pid()")
            time.sleep(1)

    def gunicorn_kill():
        # Requests must be in flight when their workers die: hold the thread two clients reply
        # to, so their POSTs wait inside gunicorn (key reserved, nothing written), then SIGKILL
        # every gunicorn worker. The retries' keys are held by dead requests until they are stale.
        holder = subprocess.Popen(
            ["psql", "-X", "-q", f"{PG}/{DB}", "-c",
             f"SELECT id FROM threads WHERE id = {clients.threads[0]} FOR UPDATE; SELECT pg_sleep(3)"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1.5)
        in_flight = int(psql(f"SELECT count(*) FROM pg_stat_activity WHERE datname = '{DB}' "
                             "AND wait_event_type = 'Lock'"))
        children = subprocess.run(["pgrep", "-P", str(dep.web.pid)], capture_output=True, text=True).stdout.split()
        for child in children:
            os.kill(int(child), signal.SIGKILL)
        holder.wait(10)
        return in_flight

    faults = {"baseline": lambda: None, "worker-kill": worker_kill, "redis-stop": redis_stop,
              "redis-freeze": redis_freeze, "pg-terminate": pg_terminate, "gunicorn-kill": gunicorn_kill,
              "backlog": None}
    chosen = args.only or list(faults)
    results = []
    try:
        dep.start_redis()
        dep.start_web()
        dep.mark_log("worker")
        dep.start_worker()
        dep.start_beat()
        clients = Clients(dep.web_port, args.give_up)
        for name in chosen:
            print(f"... {name}", file=sys.stderr, flush=True)
            results.append(scenario(dep, clients, name, faults[name], args))
            print(json.dumps(results[-1]), file=sys.stderr, flush=True)
        checks = consistency()
    finally:
        dep.stop_all()
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print(f"logs in {tmp}", file=sys.stderr)

    print("| scenario | sent | accepted | 5xx (outside fault) | retries | lost | duplicated | fault s | "
          "waiting at fault | all published, s after fault end (after last 201) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        print(f"| {r['scenario']} | {r['sent']} | {r['accepted']}"
              f"{' + ' + str(r['answer_lost_but_done']) + ' done, answer lost' if r['answer_lost_but_done'] else ''}"
              f"{' (' + str(r['given_up']) + ' given up)' if r['given_up'] else ''}"
              f" | {r['http5xx']} ({r['http5xx_outside_fault']}) | {r['retries']} | {r['lost']} | {r['duplicated']}"
              f" | {r['fault_seconds']} | {r['waiting_at_fault']} | {r['published_s_after_fault_end']}"
              f" ({r['published_s_after_last_answer']}) |")
    print()
    for name, value in checks.items():
        print(f"- {name}: {value}")
    ok = all(r["lost"] == 0 and r["duplicated"] == 0 and r["http5xx_outside_fault"] == 0 and r["given_up"] == 0
             and r["published_s_after_fault_end"] is not None and r["published_s_after_fault_end"] <= 60
             for r in results) and not any(checks.values())
    print(f"\ngoal (0 lost, 0 duplicated, 0 5xx outside the fault window, all published within 60 s): "
          f"{'met' if ok else 'MISSED'}")
    if args.json_out:
        with open(args.json_out, "w") as fh:
            json.dump({"results": results, "checks": checks, "goal_met": ok}, fh, indent=2)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
