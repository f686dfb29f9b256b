#!/usr/bin/env python3
"""In-process cost of our bench pages: ms/request, SQL statements/request, and a profile.

No HTTP server: Flask's test client in one process, against the seeded bench instance
(bench/setup_ours.sh). Run with the bench venv's python:

  /tmp/anchors/ours-venv/bin/python bench/profile_pages.py [--tool pyinstrument|cprofile]
      [--profile member:thread --profile anon:community ...] [--show-sql member:thread]

For every page as anonymous ("anon") and signed in ("member"): mean wall ms per request
over -n requests (after a warm-up) and SQL statements per request. Then, for each
--profile PAGE, a profile of -n requests: pyinstrument's call tree (default when
installed) or cProfile's top functions by cumulative and by own time.
--show-sql PAGE prints the statements one request of that page runs.
"""
import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from login_cookie import csrf_from  # noqa: E402  (same directory)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=os.path.join(os.environ.get("ANCHOR_DIR", "/tmp/anchors"), "ours-data"))
    ap.add_argument("-n", type=int, default=50, help="requests per page")
    ap.add_argument("--tool", choices=("pyinstrument", "cprofile"), default=None)
    ap.add_argument("--profile", action="append", default=None,
                    help="who:page to profile (default: member:thread, member:home, member:community)")
    ap.add_argument("--show-sql", action="append", default=[], help="who:page whose SQL to print")
    ap.add_argument("--top", type=int, default=25, help="cProfile rows")
    args = ap.parse_args()
    profiles = args.profile or ["member:thread", "member:home", "member:community"]
    tool = args.tool
    if tool is None:
        try:
            import pyinstrument  # noqa: F401
            tool = "pyinstrument"
        except ImportError:
            tool = "cprofile"

    # The same settings as bench/serve.sh, before the app reads them.
    os.environ.update(COMMUNITY_INSTANCE_PATH=args.data, COMMUNITY_PRODUCTION="false", RATELIMIT_ENABLED="false",
                      SECRET_KEY="bench-secret-key-not-for-production-0123456789")
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    seed = json.load(open(os.path.join(args.data, "seed.json")))
    pages = {"home": "/", "community": seed["community_path"], "thread": seed["thread_path"],
             # A static page: the fixed cost of any request (session, viewer, headers, layout).
             "guidelines": "/guidelines"}

    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from community import create_app

    app = create_app()
    statements = []

    @event.listens_for(Engine, "before_cursor_execute")
    def _count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    anon = app.test_client()
    member = app.test_client()
    r = member.get("/login")
    r = member.post("/login", data={"csrf_token": csrf_from(r.get_data(as_text=True)),
                                    "login": seed["member_login"], "password": seed["member_password"]})
    assert r.status_code == 302, r.status_code
    member.get(pages["thread"])  # adds the CSRF secret to the session, as a browser's second page does
    clients = {"anon": anon, "member": member}

    def get(who, page):
        resp = clients[who].get(pages[page])
        assert resp.status_code == 200, (who, page, resp.status_code)
        return resp

    print(f"{tool}; {args.n} requests per page; data {args.data}\n")
    print("| who:page | bytes | ms/request (in-process) | SQL statements/request | of which writes |")
    print("|---|---:|---:|---:|---:|")
    for who in ("anon", "member"):
        for page in pages:
            for _ in range(5):
                size = len(get(who, page).data)
            statements.clear()
            t0 = time.perf_counter()
            for _ in range(args.n):
                get(who, page)
            ms = (time.perf_counter() - t0) / args.n * 1000
            writes = sum(s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")) for s in statements)
            print(f"| {who}:{page} | {size} | {ms:.2f} | {len(statements) / args.n:.1f} | {writes / args.n:.1f} |")

    for spec in args.show_sql:
        who, page = spec.split(":")
        statements.clear()
        get(who, page)
        print(f"\nSQL of one GET {pages[page]} as {who} ({len(statements)} statements):")
        for s in statements:
            print("  -", " ".join(s.split())[:220])

    for spec in profiles:
        who, page = spec.split(":")
        print(f"\n### profile: {args.n} x GET {pages[page]} as {who}\n")
        if tool == "pyinstrument":
            from pyinstrument import Profiler

            prof = Profiler(interval=0.0005)
            prof.start()
            for _ in range(args.n):
                get(who, page)
            prof.stop()
            print(prof.output_text(unicode=True, color=False, show_all=False))
        else:
            prof = cProfile.Profile()
            prof.enable()
            for _ in range(args.n):
                get(who, page)
            prof.disable()
            for order in ("cumulative", "tottime"):
                buf = io.StringIO()
                pstats.Stats(prof, stream=buf).sort_stats(order).print_stats(args.top)
                print(f"by {order}:\n" + buf.getvalue().split("\n\n", 1)[-1])


if __name__ == "__main__":
    main()
