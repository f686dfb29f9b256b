"""Browser fixtures: Debian's Chromium driven by Playwright, against a real app on a real port.

Own fixtures rather than the pytest-playwright plugin (STYLE.md §5: its pytest-base-url
dependency warns under filterwarnings=error). Every test gets a fresh app: a file SQLite
database in tmp_path, seeded with the demo data, eager Celery, CSRF on, and mail sent to
the session's aiosmtpd server (read it through the `mailbox` fixture).
"""
import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from community import create_app
from community.extensions import db
from tests.conftest import base_config, reset_database
from tests.e2e.support import CHROMIUM, CHROMIUM_ARGS, DESKTOP, HERE, TIMEOUT_MS

CI = os.environ.get("CI", "").lower() == "true"


def pytest_collection_modifyitems(config, items):
    """Everything in tests/e2e is a browser test, whether or not the module says so."""
    for item in items:
        if HERE in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing (apt-get install chromium; never `playwright install`)"
        if CI:
            pytest.fail(f"CI=true but {message}: the browser tests must run on CI")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        # Playwright turns the back/forward cache off by default; a person's browser has it on, and
        # it is what could show a signed-in page again after logging out. Keep it on.
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                              ignore_default_args=["--disable-back-forward-cache"])
        yield b
        b.close()


@pytest.fixture
def e2e_app(tmp_path, smtp_server):
    app = create_app(base_config(
        f"sqlite:///{tmp_path / 'e2e.sqlite'}",
        WTF_CSRF_ENABLED=True, RATELIMIT_ENABLED=False,
        MAIL_URL=f"smtp://127.0.0.1:{smtp_server.port}",
    ))
    reset_database(app)
    from community.forums.seed import seed_demo

    with app.app_context():
        seed_demo()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def live_server(e2e_app):
    """The app on 127.0.0.1:<free port>; SITE_URL points here so emailed links work."""
    server = make_server("127.0.0.1", 0, e2e_app, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    e2e_app.config["SITE_URL"] = url
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    yield url
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def new_context(browser, live_server):
    """Open fresh browser contexts (separate cookies) at a viewport; all closed after the test.

    bypass_csp=True lets axe be injected as an inline script (the app's CSP forbids those),
    and lets the XSS test prove the HTML itself is inert, not merely blocked by the CSP.
    """
    contexts = []

    def factory(viewport=DESKTOP, bypass_csp=False):
        ctx = browser.new_context(base_url=live_server, viewport=viewport, bypass_csp=bypass_csp)
        ctx.set_default_timeout(TIMEOUT_MS)
        contexts.append(ctx)
        return ctx

    yield factory
    for ctx in contexts:
        ctx.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()
