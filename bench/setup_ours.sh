#!/usr/bin/env bash
# Bench venv + seeded instance for our app, next to the FlaskBB anchor.
#
# The venv uses the SAME interpreter as $ANCHOR_DIR/flaskbb-venv (Python 3.12),
# so the comparison is not skewed by interpreter speed. It installs this checkout
# editable, so the bench always runs the working tree.
#
# Knobs: ANCHOR_DIR (/tmp/anchors), KEEP_VENV=1 (reuse the venv),
#        DATA (instance folder, default $ANCHOR_DIR/ours-data; always re-created),
#        EXTRA_PIP (more packages for the venv; pyinstrument is always added, for profile_pages.py),
#        PYTHON (interpreter; default: the FlaskBB venv's)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
ANCHOR_DIR="${ANCHOR_DIR:-/tmp/anchors}"
VENV="$ANCHOR_DIR/ours-venv"
DATA="${DATA:-$ANCHOR_DIR/ours-data}"

if [[ -z "${PYTHON:-}" ]]; then
  # sys.executable of the FlaskBB venv is its bin/python symlink; resolve to the real interpreter.
  PYTHON="$(readlink -f "$ANCHOR_DIR/flaskbb-venv/bin/python" 2>/dev/null || true)"
fi
[[ -x "${PYTHON:-}" ]] || { echo "no interpreter: set PYTHON= or run the FlaskBB setup first" >&2; exit 1; }

if [[ "${KEEP_VENV:-0}" != 1 || ! -x "$VENV/bin/python" ]]; then
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install -q --upgrade pip
  # shellcheck disable=SC2086  # EXTRA_PIP is a word list
  "$VENV/bin/pip" install -q -e "$ROOT" pyinstrument ${EXTRA_PIP:-}
fi
echo "[setup] venv: $VENV ($("$VENV/bin/python" -V))" >&2
# The app must import with only its declared dependencies; say which one is missing if not.
if ! COMMUNITY_INSTANCE_PATH="$DATA" "$VENV/bin/python" -c 'import community; community.create_app()' 2>"$ANCHOR_DIR/ours-import-err.txt"; then
  tail -3 "$ANCHOR_DIR/ours-import-err.txt" >&2
  echo "[setup] the app does not start in the bench venv; add the missing package to pyproject.toml," \
       "or for now: EXTRA_PIP='pkg==ver' KEEP_VENV=0 $0" >&2
  exit 1
fi

rm -rf "$DATA"
mkdir -p "$DATA"
COMMUNITY_INSTANCE_PATH="$DATA" COMMUNITY_PRODUCTION=false "$VENV/bin/python" "$HERE/seed_bench.py" \
  > "$DATA/seed.json"
cat "$DATA/seed.json"
