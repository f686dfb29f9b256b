#!/usr/bin/env bash
# One session, one machine state: bench FlaskBB (index, topic, forum), the bare-Flask
# ceiling (hello), and our app (home, community, thread; anonymous and signed in),
# all with the same bench.py settings, then print one table and the goal ratios.
#
# Uses the FlaskBB harness from shared/bench/flaskbb (its setup must have run) and
# bench/setup_ours.sh (run here every time: a fresh seed; FRESH=1 also re-creates the venv).
#
# Knobs: ANCHOR_DIR (/tmp/anchors), FLASKBB_BENCH (path to shared/bench/flaskbb),
#        FLASKBB_PORT (18080) HELLO_PORT (18081) OURS_PORT (18090), WORKERS (2),
#        DURATION (10) CONNECTIONS (8) RUNS (1) WARMUP (2) THREADS (1),
#        QUIET_BELOW (20) MAX_FOREIGN (15): as in the shared run_all.sh;
#        QUIET_WAIT (30 s) and RETRIES (0) bound how long a busy machine can stretch the run
#        (10 URLs: ~3 min on a quiet box, at most ~8 min on a busy one).
# Output: table on stdout; JSON + summary.md in bench/results/STAMP/.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export ANCHOR_DIR="${ANCHOR_DIR:-/tmp/anchors}"
FB="${FLASKBB_BENCH:-$(cd "$HERE/../.." && pwd)/shared/bench/flaskbb}"
[[ -f "$FB/bench.py" ]] || FB=/work/shared/bench/flaskbb
FB_DATA="$ANCHOR_DIR/flaskbb-data"
OURS_DATA="$ANCHOR_DIR/ours-data"
FLASKBB_PORT="${FLASKBB_PORT:-18080}"; HELLO_PORT="${HELLO_PORT:-18081}"; OURS_PORT="${OURS_PORT:-18090}"
BENCH_ARGS=(--duration "${DURATION:-10}" --connections "${CONNECTIONS:-8}" --threads "${THREADS:-1}"
            --runs "${RUNS:-1}" --warmup "${WARMUP:-2}"
            --quiet-below "${QUIET_BELOW:-20}" --quiet-wait "${QUIET_WAIT:-30}"
            --max-foreign "${MAX_FOREIGN:-15}" --retries "${RETRIES:-0}")
stamp="$(date +%Y%m%d-%H%M%S)"
OUT="$HERE/results/$stamp"; mkdir -p "$OUT"

[[ -f "$FB_DATA/seed.json" ]] || { echo "run $FB/setup_flaskbb.sh first" >&2; exit 1; }
# Re-seed every time (~5 s, deterministic): the schema follows the working tree's migrations.
KEEP_VENV="$([[ "${FRESH:-0}" == 1 ]] && echo 0 || echo 1)" "$HERE/setup_ours.sh" >&2
read -r FORUM_PATH TOPIC_PATH < <(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["forum_path"], d["topic_path"])' "$FB_DATA/seed.json")
read -r COMMUNITY_PATH THREAD_PATH < <(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["community_path"], d["thread_path"])' "$OURS_DATA/seed.json")

cleanup() {
  "$FB/serve.sh" stop flaskbb >/dev/null 2>&1 || true
  "$FB/serve.sh" stop hello >/dev/null 2>&1 || true
  "$HERE/serve.sh" stop ours >/dev/null 2>&1 || true
}
trap cleanup EXIT
bench() { python3 "$FB/bench.py" "${BENCH_ARGS[@]}" "$@" >&2; }

echo "## $(date -u +%FT%TZ) $(nproc) cores, FlaskBB $("$ANCHOR_DIR/flaskbb-venv/bin/python" -V), ours $("$ANCHOR_DIR/ours-venv/bin/python" -V), workers=${WORKERS:-2}, loadavg before: $(cut -d' ' -f1-3 /proc/loadavg)"

"$FB/serve.sh" start flaskbb "$FLASKBB_PORT" >&2
bench --base-url "http://127.0.0.1:$FLASKBB_PORT" --label flaskbb --server-pid "$(cat "$FB_DATA/gunicorn-flaskbb.pid")" \
  --url "index=/" --url "topic=$TOPIC_PATH" --url "forum=$FORUM_PATH" --json "$OUT/flaskbb.json"
"$FB/serve.sh" stop flaskbb >&2

"$FB/serve.sh" start hello "$HELLO_PORT" >&2
bench --base-url "http://127.0.0.1:$HELLO_PORT" --label flask --server-pid "$(cat "$FB_DATA/gunicorn-hello.pid")" \
  --url "hello=/" --json "$OUT/hello.json"
"$FB/serve.sh" stop hello >&2

"$HERE/serve.sh" start ours "$OURS_PORT" >&2
OURS_PID="$(cat "$OURS_DATA/gunicorn-ours.pid")"
OURS_URLS=(--url "home=/" --url "community=$COMMUNITY_PATH" --url "thread=$THREAD_PATH")
bench --base-url "http://127.0.0.1:$OURS_PORT" --label ours --server-pid "$OURS_PID" "${OURS_URLS[@]}" --json "$OUT/ours-anon.json"
# Signed in: the cookie of a real login (server-side session row, CSRF secret in the cookie).
COOKIE="$(python3 "$HERE/login_cookie.py" --base-url "http://127.0.0.1:$OURS_PORT" --warm "$THREAD_PATH")"
bench --base-url "http://127.0.0.1:$OURS_PORT" --label ours-member --server-pid "$OURS_PID" "${OURS_URLS[@]}" \
  --header "Cookie: session=$COOKIE" --json "$OUT/ours-member.json"
"$HERE/serve.sh" stop ours >&2

python3 "$HERE/report.py" "$OUT/flaskbb.json" "$OUT/hello.json" "$OUT/ours-anon.json" "$OUT/ours-member.json" \
  | tee "$OUT/summary.md"
echo
echo "results: $OUT"
