"""Constants and helpers shared by the browser tests (fixtures are in conftest.py)."""
import re
from pathlib import Path

from community.forums.seed import DEMO_PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
HERE = Path(__file__).parent
ARTIFACTS = HERE / "artifacts"
AXE = HERE / "vendor" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# Shorter than Playwright's 30 s default: a local page that needs longer is a failure.
TIMEOUT_MS = 10_000



def log_in(page, username, password=DEMO_PASSWORD):
    """Through the real form, as a person would."""
    page.goto("/login")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in", exact=True).click()
    page.get_by_role("button", name="Log out", include_hidden=True).wait_for(state="attached")  # in the phone menu


def moderator_with_2fa(app, username="morgan"):
    """The demo moderator of Type 2 diabetes with two-factor on (moderator powers need it); returns the secret."""
    import pyotp
    import sqlalchemy as sa

    from community.accounts.models import User
    from community.extensions import db
    from community.models_base import utcnow

    secret = pyotp.random_base32()
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == username))
        user.totp_secret, user.totp_enabled_at = secret, utcnow()
        db.session.commit()
    return secret


def log_in_with_code(page, username, secret, password=DEMO_PASSWORD):
    import pyotp

    page.goto("/login")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in", exact=True).click()
    page.get_by_label("Code from your app, or a recovery code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Log out", include_hidden=True).wait_for(state="attached")  # in the phone menu


def post_article(page, text):
    """The <article> of the post whose text contains `text`."""
    return page.get_by_role("article").filter(has_text=text)


def link_in(text, path_prefix):
    match = re.search(r"(https?://[^/\s]+" + re.escape(path_prefix) + r"[^\s]+)", text)
    assert match, f"no {path_prefix} link in {text!r}"
    return match.group(1)


def run_axe(page, label):
    """Inject the vendored axe-core (once per document), run it, return the serious and critical violations."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    report = []
    for v in bad:
        report.append(f"[{label}] {v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:10]:
            summary = " | ".join(line.strip() for line in (node.get("failureSummary") or "").splitlines() if line.strip())
            report.append(f"    {' '.join(map(str, node['target']))}: {summary[:400]}")
            report.append(f"      {node['html'][:200]}")
    return report


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
