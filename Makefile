# Patient Commons: `make run` serves the site, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
HOST ?= 127.0.0.1
PORT ?= 5000

# Test databases: ours, never someone else's. `make test` uses them when the servers answer.
PG_URL ?= postgresql://postgres@127.0.0.1:5432/patient_commons_test
REDIS_TEST_URL ?= redis://127.0.0.1:6379/13

.PHONY: run test e2e install install-test clean browser lock lint

$(PY):
	$(PYTHON) -m venv $(VENV)

# Installs take their versions from requirements.lock (refresh it with `make lock`).
LOCK := requirements.lock

$(STAMP): pyproject.toml $(LOCK) | $(PY)
	$(PIP) install --quiet --upgrade 'pip<27'
	$(PIP) install --quiet -c $(LOCK) -e .
	touch $@

$(TEST_STAMP): pyproject.toml $(LOCK) $(STAMP)
	$(PIP) install --quiet -c $(LOCK) -e '.[test]'
	touch $@

# Resolves pyproject.toml's ranges (test extra included) to exact versions for every platform.
lock: | $(PY)
	$(PIP) install --quiet 'uv>=0.13,<0.14'
	$(VENV)/bin/uv pip compile pyproject.toml --extra test --universal --python-version 3.11 --quiet -o $(LOCK)

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check .

install: $(STAMP)
install-test: $(TEST_STAMP)

# E-mailed links point where `make run` serves; a COMMUNITY_SITE_URL you set wins.
run: export COMMUNITY_SITE_URL ?= http://$(HOST):$(PORT)
run: $(STAMP)
	$(VENV)/bin/community init-db
	$(VENV)/bin/community seed-demo
	@echo "Patient Commons is at http://$(HOST):$(PORT)/"
	@# Beside the server, a small process runs beat's schedule (relay, stale sweep, crisis
	@# escalation); it stops with the server (Ctrl-C, or a signal to make). Both run in the
	@# background so that the shell, waiting, runs its trap at once when make passes a signal on.
	$(VENV)/bin/community periodic & periodic=$$!; \
	$(VENV)/bin/community run --host $(HOST) --port $(PORT) & server=$$!; \
	trap 'kill $$server $$periodic 2>/dev/null; wait $$server' INT TERM; \
	trap 'kill $$periodic 2>/dev/null' EXIT; \
	wait $$server

# Browser tests drive Debian's chromium; installed here when we can (root + apt), never by Playwright.
browser:
	@[ -x /usr/bin/chromium ] || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || \
	  echo "note: /usr/bin/chromium missing; browser tests will skip (install Debian's chromium)"

test: $(TEST_STAMP) browser lint
	@$(PY) tests/services_env.py > $(VENV)/test-env.sh
	@. $(VENV)/test-env.sh && $(PY) -m pytest $(PYTEST_ARGS)

e2e: $(TEST_STAMP)
	$(PY) -m pytest -m e2e $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) instance .pytest_cache tests/e2e/artifacts
