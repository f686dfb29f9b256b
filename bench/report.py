#!/usr/bin/env python3
"""Combine bench.py JSON files into one markdown table plus the goal ratios.

  report.py results/STAMP/*.json

Names are bench.py's LABEL:NAME: flaskbb:{index,topic,forum}, flask:hello,
ours:{home,community,thread} (anonymous), ours-member:{...} (signed in).

Each ratio is given twice: by req/s (what wrk saw; moves with machine noise) and
by server CPU ms/request (the stable one on a shared 2-core box: CPU is what
limits req/s once both workers are busy).
"""
import json
import sys
import urllib.parse

GOALS = [
    # (title, ours, anchor, kind, target)
    ("thread signed in vs FlaskBB topic", "ours-member:thread", "flaskbb:topic", "x", 10.0),
    ("home signed in vs FlaskBB index", "ours-member:home", "flaskbb:index", "x", 5.0),
    ("community signed in vs FlaskBB forum", "ours-member:community", "flaskbb:forum", "x", 5.0),
    ("home anonymous vs hello world", "ours:home", "flask:hello", "%", 50.0),
    ("community anonymous vs hello world", "ours:community", "flask:hello", "%", 50.0),
    ("thread anonymous vs hello world", "ours:thread", "flask:hello", "%", 50.0),
    # for information: anonymous pages vs the FlaskBB page of the same kind
    ("home anonymous vs FlaskBB index", "ours:home", "flaskbb:index", "x", None),
    ("community anonymous vs FlaskBB forum", "ours:community", "flaskbb:forum", "x", None),
    ("thread anonymous vs FlaskBB topic", "ours:thread", "flaskbb:topic", "x", None),
]
CPU_BUDGET = ("ours-member:thread", 6.0)  # ms of server CPU per signed-in thread page


def fmt(v, nd=1):
    return "-" if v is None else f"{v:.{nd}f}"


def main(paths):
    rows, header = {}, ""
    for p in paths:
        data = json.load(open(p))
        a = data["args"]
        header = (f"wrk -t{a['threads']} -c{a['connections']} -d{a['duration']}s --latency, "
                  f"warm-up {a['warmup']}s, runs {a['runs']} (median by req/s)")
        for r in data["results"]:
            rows[r["name"]] = r
    print(header + "\n")
    print("| name | path | bytes | req/s | p50 ms | p90 ms | p99 ms | server CPU ms/req | foreign CPU % | non-2xx | sock err |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows.values():
        path = urllib.parse.urlsplit(r["url"]).path
        print(f"| {r['name']} | `{path}` | {r['bytes']} | {r['rps']:.1f} | {fmt(r['p50_ms'], 2)} | "
              f"{fmt(r['p90_ms'], 2)} | {fmt(r['p99_ms'], 2)} | {fmt(r['server_cpu_ms_per_req'], 2)} | "
              f"{fmt(r['foreign_cpu_pct'], 0)} | {r['non2xx']} | {r['socket_errors']} |")

    print("\n| goal | by req/s | by CPU ms/req | target | met (req/s) |")
    print("|---|---:|---:|---:|---|")
    for title, ours, anchor, kind, target in GOALS:
        o, a = rows.get(ours), rows.get(anchor)
        if not (o and a):
            continue
        by_rps = o["rps"] / a["rps"] if a["rps"] else None
        oc, ac = o.get("server_cpu_ms_per_req"), a.get("server_cpu_ms_per_req")
        by_cpu = ac / oc if oc and ac else None
        if kind == "%":
            by_rps, by_cpu = (v * 100 if v is not None else None for v in (by_rps, by_cpu))
            shown = [f"{fmt(by_rps, 0)}%", f"{fmt(by_cpu, 0)}%", f"≥ {target:.0f}%"]
        else:
            shown = [f"{fmt(by_rps, 2)}×", f"{fmt(by_cpu, 2)}×", f"≥ {target:.0f}×" if target else "(info)"]
        met = "-" if target is None or by_rps is None else ("yes" if by_rps >= target else "no")
        print(f"| {title} | {shown[0]} | {shown[1]} | {shown[2]} | {met} |")
    name, budget = CPU_BUDGET
    if name in rows and rows[name].get("server_cpu_ms_per_req") is not None:
        cpu = rows[name]["server_cpu_ms_per_req"]
        print(f"| {name} server CPU per request | | {cpu:.2f} ms | ≤ {budget:.0f} ms | "
              f"{'yes' if cpu <= budget else 'no'} |")


if __name__ == "__main__":
    main(sys.argv[1:])
