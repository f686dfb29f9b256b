"""Accounts end to end through the real forms, a real SMTP server and the database."""
from datetime import timedelta

import pyotp
import pytest
import sqlalchemy as sa

from community.accounts import services
from community.accounts.models import RecoveryCode, User, UserSession
from community.extensions import db
from community.models_base import utcnow
from tests.conftest import count
from tests.helpers import PASSWORD, create_user, link_in, login

GOOD = {
    "username": "maple_walker", "email": "Maple@Example.org", "password": "paper-kite-river-stone",
    "birth_year": "1984", "accept_guidelines": "y", "health_data_consent": "y",
}


def signup(client, **changes):
    data = dict(GOOD, **changes)
    return client.post("/signup", data={k: v for k, v in data.items() if v is not None})


def test_signup_creates_unverified_member_and_sends_verification(client, ctx, mailbox):
    response = signup(client)
    assert response.status_code == 302 and response.headers["Location"] == "/signup/check-email"
    user = db.session.scalar(sa.select(User).where(User.username == "maple_walker"))
    assert user.email == "maple@example.org"
    assert not user.email_verified and user.role == "member"
    assert user.password_hash.startswith("$argon2id$")
    assert user.guidelines_accepted_at and user.health_consent_at
    body = mailbox.last_body("maple@example.org")
    assert "maple@example.org" not in link_in(body, "/verify/")  # no address in the URL
    # The account signs in (sign-up itself starts no session); posting waits for verification.
    assert login(client, "maple_walker", GOOD["password"]).headers["Location"] == "/welcome"
    assert b"confirm your email" in client.get("/").data.lower()


@pytest.mark.parametrize("changes, field, message", [
    ({"username": "ab"}, "username", b"3 to 32"),
    ({"username": "has space"}, "username", b"3 to 32"),
    ({"username": "admin"}, "username", b"taken"),
    ({"email": "not-an-email"}, "email", b"email"),
    ({"password": "short"}, "password", b"at least 12"),
    ({"password": "123qweasdzxc"}, "password", b"too common"),
    ({"password": "passwordpassword"}, "password", b"too common"),
    ({"password": "x" * 129}, "password", b"128"),
    ({"birth_year": str(utcnow().year - 10)}, "birth_year", b"at least 16"),
    ({"birth_year": "1800"}, "birth_year", b""),
    ({"accept_guidelines": None}, "accept_guidelines", b"accept the community guidelines"),
    ({"health_data_consent": None}, "health_data_consent", b"need your consent"),
])
def test_signup_rejects_bad_input_with_a_field_message_and_writes_nothing(client, ctx, mailbox, changes, field, message):
    response = signup(client, **changes)
    assert response.status_code == 422
    html = response.data
    assert f'id="{field}-error"'.encode() in html
    assert message.lower() in html.lower()
    assert 'aria-invalid="true"'.encode() in html
    assert count(User) == 0 and mailbox.messages == []


def test_signup_refuses_taken_username_case_insensitively_and_says_nothing_of_a_taken_email(client, ctx):
    create_user("Maple_Walker")
    response = signup(client)
    assert response.status_code == 422 and b"taken" in response.data
    # Usernames are public on every post; whether an address has an account is not (issue 12).
    response = signup(client, username="fresh_name", email="maple_walker@example.org")
    assert response.status_code == 302 and response.headers["Location"] == "/signup/check-email"
    assert count(User) == 1


def test_honeypot_pretends_success_and_keeps_nothing(client, ctx, mailbox):
    response = signup(client, website="http://spam.example")
    assert response.status_code == 302 and "/signup/check-email" in response.headers["Location"]
    assert count(User) == 0 and mailbox.messages == []


def test_verification_link_verifies_once(client, ctx, mailbox):
    signup(client)
    path = link_in(mailbox.last_body("maple@example.org"), "/verify/")
    assert client.get(path).status_code == 302
    user = db.session.scalar(sa.select(User).where(User.username == "maple_walker"))
    db.session.refresh(user)
    assert user.email_verified
    follow = client.get(path, follow_redirects=True)
    assert b"already been used" in follow.data or b"no longer valid" in follow.data
    assert client.get("/verify/garbage", follow_redirects=True).data.count(b"not valid") == 1


def test_login_logout_and_session_revocation(app, ctx):
    create_user("alex")
    client = app.test_client()
    assert login(client, "alex").status_code == 302
    assert client.get("/settings").status_code == 200
    assert client.get("/settings").headers["Cache-Control"] == "no-store"
    stolen = client.get_cookie("session").value
    response = client.post("/logout")
    assert response.status_code == 302 and "cache" in response.headers["Clear-Site-Data"]
    assert count(UserSession) == 0
    # The old cookie no longer opens a session: logout really ended it.
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    assert replay.get("/settings").status_code == 302


def test_logout_is_post_only(client, ctx):
    create_user("alex")
    login(client, "alex")
    assert client.get("/logout").status_code == 405
    assert client.get("/settings").status_code == 200


def test_login_failure_is_generic_and_login_by_email_works(client, ctx):
    create_user("alex")
    wrong = login(client, "alex", "wrong-password-123")
    missing = login(client, "nobody", "wrong-password-123")
    assert wrong.status_code == missing.status_code == 422
    assert b"not right" in wrong.data and b"not right" in missing.data
    assert login(client, "ALEX@example.org").status_code == 302


def test_repeated_failures_make_the_account_wait(client, ctx, caplog):
    from community.accounts.models import LoginThrottle

    create_user("alex")
    caplog.set_level("INFO", logger="community.auth")
    for _ in range(services.THROTTLE_AFTER):
        login(client, "alex", "wrong-password-123")
    response = login(client, "alex")  # right password, but it waits
    assert response.status_code == 429 and b"Too many attempts for this account" in response.data
    assert any("event=login_throttled" in r.getMessage() for r in caplog.records)
    assert all(PASSWORD not in r.getMessage() and "wrong-password" not in r.getMessage() for r in caplog.records)
    db.session.execute(sa.update(LoginThrottle).values(retry_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert login(client, "alex").status_code == 302


def test_password_change_ends_other_sessions(app, ctx):
    create_user("alex")
    phone, laptop = app.test_client(), app.test_client()
    login(phone, "alex")
    login(laptop, "alex")
    assert count(UserSession) == 2
    bad = laptop.post("/settings/password", data={"current_password": "nope-nope-nope", "new_password": "x"})
    assert bad.status_code == 422 and b"not your current password" in bad.data
    ok = laptop.post("/settings/password", data={"current_password": PASSWORD, "new_password": "green-tea-oak-candle"})
    assert ok.status_code == 302
    assert laptop.get("/settings").status_code == 200
    assert phone.get("/settings").status_code == 302
    assert count(UserSession) == 1
    assert login(app.test_client(), "alex", "green-tea-oak-candle").status_code == 302


def test_password_reset_by_email_token_is_single_use(app, ctx, mailbox):
    create_user("alex")
    other = app.test_client()
    login(other, "alex")
    client = app.test_client()
    assert client.post("/password/reset", data={"email": "nobody@example.org"}).status_code == 302
    assert mailbox.messages == []  # says nothing about unknown addresses
    client.post("/password/reset", data={"email": "alex@example.org"})
    path = link_in(mailbox.last_body("alex@example.org"), "/password/reset/")
    weak = client.post(path, data={"password": "short"})
    assert weak.status_code == 422 and b"at least 12" in weak.data
    assert client.post(path, data={"password": "new-lamp-quiet-field"}).status_code == 302
    assert other.get("/settings").status_code == 302  # every session ended
    again = client.post(path, data={"password": "another-lamp-field-x"}, follow_redirects=True)
    assert b"already been used" in again.data or b"no longer valid" in again.data
    assert login(app.test_client(), "alex", "new-lamp-quiet-field").status_code == 302


def test_email_change_needs_password_and_reverification(client, ctx, mailbox):
    user = create_user("alex")
    login(client, "alex")
    bad = client.post("/settings/email", data={"email": "new@example.org", "password": "wrong-one-here"})
    assert bad.status_code == 422
    assert client.post("/settings/email", data={"email": "new@example.org", "password": PASSWORD}).status_code == 302
    db.session.refresh(user)
    assert user.email == "alex@example.org" and user.pending_email == "new@example.org"
    assert mailbox.to("alex@example.org"), "the old address is told"
    path = link_in(mailbox.last_body("new@example.org"), "/verify/")
    client.get(path)
    db.session.refresh(user)
    assert user.email == "new@example.org" and user.pending_email is None and user.email_verified


def test_sessions_page_lists_and_revokes(app, ctx):
    create_user("alex")
    create_user("sam")
    a, b = app.test_client(), app.test_client()
    login(a, "alex")
    login(b, "alex")
    page = a.get("/settings/sessions")
    assert page.status_code == 200 and b"(this device)" in page.data
    rows = db.session.scalars(sa.select(UserSession).order_by(UserSession.id)).all()
    assert a.post("/settings/sessions", data={"session_id": rows[1].id}).status_code == 302
    assert b.get("/settings").status_code == 302
    # Another member's session id is not ours to end.
    sam = app.test_client()
    login(sam, "sam")
    sam_row = db.session.scalar(sa.select(UserSession).where(UserSession.user_id != rows[0].user_id))
    a.post("/settings/sessions", data={"session_id": sam_row.id})
    assert sam.get("/settings").status_code == 200


def test_idle_and_absolute_session_expiry(app, ctx):
    create_user("alex")
    client = app.test_client()
    login(client, "alex")
    row = db.session.scalar(sa.select(UserSession))
    row.last_seen_at = utcnow() - timedelta(days=8)
    db.session.commit()
    assert client.get("/settings").status_code == 302
    login(client, "alex")
    row = db.session.scalar(sa.select(UserSession))
    row.created_at = utcnow() - timedelta(days=31)
    db.session.commit()
    assert client.get("/settings").status_code == 302


def test_last_seen_written_at_most_every_five_minutes(app, ctx):
    create_user("alex")
    client = app.test_client()
    login(client, "alex")
    row = db.session.scalar(sa.select(UserSession))
    first = row.last_seen_at
    client.get("/settings")
    db.session.refresh(row)
    assert row.last_seen_at == first
    row.last_seen_at = first - timedelta(minutes=6)
    db.session.commit()
    client.get("/settings")
    db.session.refresh(row)
    assert row.last_seen_at > first - timedelta(minutes=1)


def test_two_factor_setup_login_and_recovery_codes(app, ctx, caplog):
    caplog.set_level("INFO", logger="community.auth")
    user = create_user("alex")
    client = app.test_client()
    login(client, "alex")
    setup = client.get("/settings/2fa")
    assert setup.status_code == 200 and b"data:image/svg+xml" in setup.data
    db.session.refresh(user)
    wrong = client.post("/settings/2fa", data={"code": "000000"})
    assert wrong.status_code == 422
    done = client.post("/settings/2fa", data={"code": pyotp.TOTP(user.totp_secret).now()})
    assert done.status_code == 200 and b"recovery codes" in done.data
    db.session.refresh(user)
    assert user.totp_enabled and count(RecoveryCode) == 10
    codes = [c.decode() for c in __import__("re").findall(rb"<code>([0-9a-f]{6}-[0-9a-f]{6})</code>", done.data)]
    assert len(codes) == 10
    client.post("/logout")

    fresh = app.test_client()
    step = login(fresh, "alex")
    assert step.headers["Location"].startswith("/login/2fa")
    assert fresh.get("/settings").status_code == 302  # not logged in yet
    assert fresh.post("/login/2fa", data={"code": "123456"}).status_code == 422
    assert fresh.post("/login/2fa", data={"code": codes[0]}).status_code == 302
    assert fresh.get("/settings").status_code == 200
    fresh.post("/logout")
    # A recovery code works once.
    again = app.test_client()
    login(again, "alex")
    assert again.post("/login/2fa", data={"code": codes[0]}).status_code == 422
    assert any("event=2fa_enabled" in r.getMessage() for r in caplog.records)
    assert not any(user.totp_secret in r.getMessage() for r in caplog.records)


def test_totp_code_cannot_be_replayed(app, ctx):
    user = create_user("alex", totp=True)
    code = pyotp.TOTP(user.totp_secret).now()
    assert services.verify_second_factor(user.id, code) is True
    assert services.verify_second_factor(user.id, code) is False


def test_admin_powers_wait_for_two_factor(app, ctx):
    create_user("boss", role="admin")
    client = app.test_client()
    login(client, "boss")
    assert client.get("/admin/communities").status_code == 403
    assert b"turn on two-factor" in client.get("/").data.lower()
    create_user("chief", role="admin", totp=True)
    user = db.session.scalar(sa.select(User).where(User.username == "chief"))
    c2 = app.test_client()
    login(c2, "chief")
    c2.post("/login/2fa", data={"code": pyotp.TOTP(user.totp_secret).now()})
    assert c2.get("/admin/communities").status_code == 200


def test_onboarding_steps_join_and_skip(client, ctx):
    from tests.helpers import create_community

    c1 = create_community("asthma")
    create_community("copd")
    signup(client)
    login(client, "maple_walker", GOOD["password"])
    page = client.get("/welcome")
    assert page.status_code == 200 and b"Which conditions" in page.data
    chosen = client.post("/welcome/communities", data={"condition": [str(c1.id)]})
    assert chosen.status_code == 200 and f'value="{c1.id}" checked'.encode() in chosen.data
    joined = client.post("/welcome/communities", data={"join": "1", "community": [str(c1.id)]})
    assert joined.headers["Location"] == "/welcome/profile"
    db.session.refresh(c1)
    assert c1.member_count == 1
    assert client.post("/welcome/profile", data={"bio": "Hello", "hide_memberships": "y"}).status_code == 302
    assert client.post("/welcome/done").status_code == 302
    user = db.session.scalar(sa.select(User).where(User.username == "maple_walker"))
    assert user.onboarded_at and user.bio == "Hello" and user.hide_memberships


def test_security_headers_on_every_response(client, ctx):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert len(response.headers["X-Request-ID"]) >= 8
    assert "no-store" not in response.headers.get("Cache-Control", "")
    assert client.get("/does-not-exist").headers["X-Content-Type-Options"] == "nosniff"


def test_hsts_and_secure_cookies_in_production(make_app):
    app = make_app(ENV_PRODUCTION=True, SESSION_COOKIE_SECURE=True)
    with app.app_context():
        create_user("alex")
    client = app.test_client()
    response = client.get("/", base_url="https://localhost")
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]


def test_login_rate_limit(make_app):
    app = make_app(RATELIMIT_ENABLED=True)
    client = app.test_client()
    # A name each time: the same name would wait after five failures (the per-account throttle).
    statuses = [login(client, f"nobody{i}", "wrong-password-123").status_code for i in range(11)]
    assert statuses[:10] == [422] * 10 and statuses[10] == 429


def test_csrf_protects_forms(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    response = client.post("/signup", data=dict(GOOD))
    assert response.status_code in (400, 422)
    with app.app_context():
        assert count(User) == 0
