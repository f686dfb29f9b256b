#!/usr/bin/env bash
# Start/stop our app under gunicorn on 127.0.0.1 with the SAME flags as the FlaskBB
# anchor's serve.sh (shared/bench/flaskbb/serve.sh): $WORKERS sync workers, backlog 2048,
# timeout 60, no access log, daemonised, master PID in a pidfile that `stop` kills.
#
#   serve.sh start ours [PORT]   (default 18090)
#   serve.sh stop  ours
#
# Needs bench/setup_ours.sh first (venv + seeded instance folder).
# Env: ANCHOR_DIR (/tmp/anchors), DATA (instance folder, default $ANCHOR_DIR/ours-data),
#      WORKERS (2), BENCH_REDIS_URL (passed as REDIS_URL; unset, Celery runs tasks eagerly
#      in the web process, and a REDIS_URL from the calling shell is NOT passed on;
#      posting.py sets it to use a real worker).
set -euo pipefail

ANCHOR_DIR="${ANCHOR_DIR:-/tmp/anchors}"
VENV="$ANCHOR_DIR/ours-venv"
DATA="${DATA:-$ANCHOR_DIR/ours-data}"
WORKERS="${WORKERS:-2}"
WORKER_CLASS="${WORKER_CLASS:-sync}"

action="${1:?start|stop}"; app="${2:?ours}"
[[ "$app" == ours ]] || { echo "unknown app $app (only: ours)" >&2; exit 2; }
port="${3:-18090}"
pidfile="$DATA/gunicorn-ours.pid"
logfile="$DATA/gunicorn-ours.log"

case "$action" in
  start)
    [[ -f "$DATA/seed.json" ]] || { echo "run bench/setup_ours.sh first ($DATA/seed.json missing)" >&2; exit 1; }
    if [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      echo "ours already running (pid $(cat "$pidfile"))" >&2; exit 1
    fi
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "port $port is already in use" >&2; exit 1
    fi
    # A fixed SECRET_KEY keeps a session cookie valid across restarts; production
    # hardening (secure cookies, ProxyFix) is off because the bench speaks plain HTTP.
    # Rate limits off: wrk would hit them, FlaskBB's anchor has none on GETs either.
    env -u DATABASE_URL REDIS_URL="${BENCH_REDIS_URL:-}" \
      COMMUNITY_INSTANCE_PATH="$DATA" SECRET_KEY="bench-secret-key-not-for-production-0123456789" \
      COMMUNITY_PRODUCTION=false RATELIMIT_ENABLED=false \
      "$VENV/bin/gunicorn" --chdir "$DATA" -w "$WORKERS" -k "$WORKER_CLASS" \
      -b "127.0.0.1:$port" --backlog 2048 --timeout 60 \
      --pid "$pidfile" --error-logfile "$logfile" --daemon "community:create_app()"
    for _ in $(seq 1 100); do
      if "$VENV/bin/python" - "$port" <<'PY' 2>/dev/null; then break; fi
import sys, urllib.request
urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/healthz", timeout=2).read()
PY
      sleep 0.3
    done
    echo "ours up on http://127.0.0.1:$port (master pid $(cat "$pidfile"), $WORKERS $WORKER_CLASS workers, data $DATA)"
    ;;
  stop)
    if [[ -f "$pidfile" ]]; then
      pid="$(cat "$pidfile")"
      if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid"
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        echo "ours stopped (pid $pid)"
      fi
      rm -f "$pidfile"
    else
      echo "ours: no pidfile" >&2
    fi
    ;;
  *) echo "unknown action $action" >&2; exit 2 ;;
esac
