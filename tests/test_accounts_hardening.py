"""Issue 12, points 3, 5, 6, 7 and 10: 2FA revokes what the password alone made, and staff powers
need a session or token that passed it; sign-up, login and reset answer alike whether an account
exists; a throttled account is slowed, never locked, and its owner can sign in by an e-mailed
link; TOTP guesses are capped per account, and a half-finished login ends with a password change.

Through the real forms and API, a real SMTP server and the database (SQLite and PostgreSQL).
"""
import re
from datetime import timedelta

import pyotp
import pytest
import sqlalchemy as sa

from community.accounts import services
from community.accounts import models
from community.accounts.models import ApiToken, OutgoingMail, User, UserSession
from community.core.models import Outbox
from community.extensions import db
from community.models_base import utcnow
from tests.conftest import count
from tests.helpers import PASSWORD, add_moderator, create_community, create_user, link_in, login
from tests.test_accounts import GOOD, signup

WRONG = "wrong-password-123"


def flashes(response):
    """The page's messages and field errors, digits blanked (a wait of 2 s or 1 s reads alike)."""
    html = response.get_data(as_text=True)
    found = re.findall(r'<p class="(?:flash [^"]*|error)"[^>]*>(.*?)</p>', html, re.S)
    return [re.sub(r"\d+", "N", " ".join(f.split())) for f in found]


def api_body(response):
    return re.sub(r"\d+", "N", response.get_data(as_text=True))


def code_for(user, offset=0):
    return pyotp.TOTP(user.totp_secret).at(utcnow().timestamp() + offset)


# ---------------------------------------------------------------- point 3


def test_turning_on_two_factor_ends_every_other_session_and_every_token(app, ctx):
    user = create_user("alex")
    phone, laptop = app.test_client(), app.test_client()
    login(phone, "alex")
    login(laptop, "alex")
    raw = app.test_client().post("/api/v1/tokens", json={"username": "alex", "password": PASSWORD}).json["token"]
    laptop.get("/settings/2fa")
    db.session.refresh(user)
    assert laptop.post("/settings/2fa", data={"code": code_for(user)}).status_code == 200
    assert laptop.get("/settings").status_code == 200       # the session that turned it on stays
    assert phone.get("/settings").status_code == 302        # every other one ended
    assert app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401
    assert count(UserSession) == 1 and count(ApiToken) == 0
    # ... and the one that stays passed 2FA just now.
    assert db.session.scalar(sa.select(UserSession.two_factor)) is True


def test_staff_powers_need_a_session_or_token_that_itself_passed_two_factor(app, ctx):
    community = create_community("asthma")
    admin = create_user("chief", role="admin")
    mod = create_user("mod")
    add_moderator(mod, community)
    # Created by the password alone, while 2FA was off...
    web = {name: app.test_client() for name in ("chief", "mod")}
    tokens = {}
    for name, client in web.items():
        login(client, name)
        raw = client.post("/api/v1/tokens", json={"username": name, "password": PASSWORD}).json["token"]
        tokens[name] = {"Authorization": f"Bearer {raw}"}
    # ... then 2FA is on (as it was for rows made before this change; turning it on through the
    # settings page ends them outright).
    for user in (admin, mod):
        user.totp_secret = pyotp.random_base32()
        user.totp_enabled_at = utcnow()
    db.session.commit()
    assert web["chief"].get("/admin/communities").status_code == 403
    assert web["mod"].get("/moderation").status_code == 403
    for headers in tokens.values():
        assert app.test_client().get("/api/v1/moderation/queue", headers=headers).status_code == 403
    # A session and a token that passed the code have the powers.
    for user in (admin, mod):
        fresh = app.test_client()
        login(fresh, user.username)
        assert fresh.post("/login/2fa", data={"code": code_for(user)}).status_code == 302
        assert fresh.get("/admin/communities" if user is admin else "/moderation").status_code == 200
        made = fresh.post("/api/v1/tokens", json={"username": user.username, "password": PASSWORD,
                                                   "totp_code": code_for(user, 30)})
        assert made.status_code == 201, made.json
        queue = fresh.get("/api/v1/moderation/queue", headers={"Authorization": f"Bearer {made.json['token']}"})
        assert queue.status_code == 200


@pytest.fixture
def app_at_0015(make_app, backend):
    """An app whose database is migrated up to 0015, the revision before this change."""
    from flask_migrate import upgrade

    app = make_app()
    with app.app_context():
        if backend == "postgresql":
            with db.engine.begin() as conn:
                conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        else:
            db.drop_all()
            with db.engine.begin() as conn:
                conn.exec_driver_sql("DROP TABLE IF EXISTS post_search")
        upgrade(revision="0015")
    yield app
    with app.app_context():
        db.session.remove()
        upgrade()


def test_migration_marks_as_two_factor_only_what_was_made_after_it_was_turned_on(app_at_0015):
    from flask_migrate import upgrade

    users = "INSERT INTO users (id, username, email, password_hash, role, guidelines_accepted_at, health_consent_at," \
            " hide_memberships, memberships_notice, bio, notify_replies_email, approved_posts, failed_logins," \
            " created_at, memberships_version, time_zone, totp_enabled_at)" \
            " VALUES (:id, :u, :e, 'x', 'admin', :t0, :t0, :y, :n, '', :y, 0, 0, :t0, 1, 'UTC', :on)"
    sessions = "INSERT INTO user_sessions (user_id, token_hash, created_at, last_seen_at, user_agent, device, ip)" \
               " VALUES (:uid, :h, :at, :at, '', '', '')"
    tokens = "INSERT INTO api_tokens (user_id, token_hash, name, scopes, created_at, expires_at)" \
             " VALUES (:uid, :h, '', 'read', :at, :until)"
    with app_at_0015.app_context():
        t = {"t0": "2026-01-01 00:00:00+00:00", "on": "2026-02-01 00:00:00+00:00"}
        db.session.execute(sa.text(users), {"id": 1, "u": "with2fa", "e": "a@example.org", "y": True, "n": False, **t})
        db.session.execute(sa.text(users), {"id": 2, "u": "without", "e": "b@example.org", "y": True, "n": False,
                                            "t0": t["t0"], "on": None})
        for uid, name, at in ((1, "before", "2026-01-15 00:00:00+00:00"), (1, "after", "2026-02-02 00:00:00+00:00"),
                              (2, "none", "2026-02-02 00:00:00+00:00")):
            db.session.execute(sa.text(sessions), {"uid": uid, "h": name, "at": at})
            db.session.execute(sa.text(tokens), {"uid": uid, "h": name, "at": at, "until": "2027-01-01 00:00:00+00:00"})
        db.session.commit()
        upgrade(revision="0017")
        for table in ("user_sessions", "api_tokens"):
            rows = dict(db.session.execute(sa.text(f"SELECT token_hash, two_factor FROM {table}")).all())
            assert {k: bool(v) for k, v in rows.items()} == {"before": False, "after": True, "none": False}


# ---------------------------------------------------------------- point 5


def test_sign_up_answers_alike_for_a_new_and_a_taken_address(app, ctx, mailbox):
    owner = create_user("owner")
    new = signup(app.test_client(), username="fresh_one", email="fresh@example.org")
    taken = signup(app.test_client(), username="fresh_two", email="Owner@Example.org")
    assert new.status_code == taken.status_code == 302
    assert new.headers["Location"] == taken.headers["Location"] == "/signup/check-email"
    assert sorted(new.headers.getlist("Set-Cookie") and ["cookie"]) == sorted(taken.headers.getlist("Set-Cookie")
                                                                              and ["cookie"])
    page = app.test_client().get("/signup/check-email")
    assert "Check your email" in page.get_data(as_text=True)
    # No second account, and the owner hears of the attempt; no health data, no username of theirs.
    assert count(User) == 2 and not db.session.scalar(sa.select(User).where(User.username == "fresh_two"))
    told = mailbox.last_body(owner.email)
    assert "tried to create" in told and "/password/reset" in told and "owner" not in told.lower().replace(
        "owner@example.org", "")
    assert "/verify/" in mailbox.last_body("fresh@example.org")


def test_sign_up_field_errors_are_the_same_for_a_new_and_a_taken_address(app, ctx, mailbox):
    create_user("owner")
    for changes in ({"password": "short"}, {"birth_year": str(utcnow().year - 10)}):
        new = signup(app.test_client(), email="fresh@example.org", **changes)
        taken = signup(app.test_client(), email="owner@example.org", **changes)
        assert new.status_code == taken.status_code == 422
        assert flashes(new) == flashes(taken)
        assert 'id="email-error"' not in taken.get_data(as_text=True)
    assert mailbox.messages == [] and count(User) == 1


def test_api_sign_up_answers_202_with_the_same_body_for_new_and_taken_addresses(app, ctx, mailbox):
    owner = create_user("owner")
    body = {"password": "paper-kite-river-stone", "birth_year": 1984, "accept_guidelines": True,
            "health_data_consent": True}
    new = app.test_client().post("/api/v1/users", json={**body, "username": "river", "email": "river@example.org"})
    taken = app.test_client().post("/api/v1/users", json={**body, "username": "brook", "email": owner.email})
    assert new.status_code == taken.status_code == 202
    assert new.json == taken.json and "e-mail" in new.json["message"]
    assert mailbox.to(owner.email) and mailbox.to("river@example.org")
    weak = [app.test_client().post("/api/v1/users", json={**body, "password": "short", "username": name,
                                                           "email": email})
            for name, email in (("stream", "stream@example.org"), ("creek", owner.email))]
    assert [r.status_code for r in weak] == [422, 422] and weak[0].json == weak[1].json
    assert set(weak[0].json["error"]["fields"]) == {"password"}


def test_a_new_account_is_usable_after_verification(app, ctx, mailbox):
    create_community("asthma")
    client = app.test_client()
    signup(client)
    assert client.get("/settings").status_code == 302          # not signed in by the sign-up itself
    path = link_in(mailbox.last_body("maple@example.org"), "/verify/")
    assert client.get(path).status_code == 302
    assert login(client, "maple_walker", GOOD["password"]).headers["Location"] == "/welcome"
    assert db.session.scalar(sa.select(User.email_verified_at).where(User.username == "maple_walker"))


# ---------------------------------------------------------------- point 6


def test_login_answers_alike_for_existing_and_unknown_accounts_and_throttles_both(app, ctx, mailbox):
    create_user("alex")
    client = app.test_client()
    seen = {"alex": [], "nobody": []}
    for _ in range(5):
        for name in seen:
            response = login(client, name, WRONG)
            seen[name].append((response.status_code, flashes(response)))
    # The account is now throttled: even the right password waits, and says so the same way.
    for name in seen:
        response = login(client, name, PASSWORD)
        seen[name].append((response.status_code, flashes(response)))
    assert seen["alex"] == seen["nobody"]
    assert seen["alex"][-1][0] == 429
    assert "wait N seconds or ask for a sign-in link by e-mail" in " ".join(seen["alex"][-1][1])
    assert 'action="/login/link"' in login(client, "alex", PASSWORD).get_data(as_text=True)
    # The owner is told; nobody else gets anything.
    assert "5 times with a wrong password" in mailbox.last_body("alex@example.org")
    assert {m["To"] for m in mailbox.messages} == {"alex@example.org"}
    # Throttled, not locked: once the wait is over the right password works.
    db.session.execute(sa.update(models.LoginThrottle).values(retry_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert login(client, "alex", PASSWORD).status_code == 302


def test_the_delay_grows_with_consecutive_failures_and_stops_at_thirty_seconds(app, ctx):
    create_user("alex")
    now = utcnow()
    gaps = []
    for _ in range(12):
        assert services.authenticate("alex", WRONG, now=now) == (db.session.scalar(sa.select(User)), "invalid")
        retry_at = db.session.scalar(sa.select(models.LoginThrottle.retry_at))
        gaps.append(round((retry_at - now).total_seconds()))
        if gaps[-1]:
            # Even the right password waits (and a refused try does not count).
            with pytest.raises(services.TooManyAttempts):
                services.authenticate("alex", PASSWORD, now=retry_at - timedelta(milliseconds=1))
        now = retry_at
    assert gaps == [0, 0, 0, 0, 2, 4, 8, 16, 30, 30, 30, 30]
    # A success ends the run of failures.
    assert services.authenticate("ALEX", PASSWORD, now=now)[1] is None
    assert count(models.LoginThrottle) == 0


def test_a_throttled_owner_signs_in_by_an_emailed_one_time_link(app, ctx, mailbox):
    create_user("alex")
    bob = create_user("bob", totp=True)
    client = app.test_client()
    for name in ("alex", "nobody", "bob"):
        for _ in range(5):
            login(client, name, WRONG)
    mailbox.messages.clear()
    asked = [client.post("/login/link", data={"login": name}) for name in ("alex", "nobody")]
    assert [r.status_code for r in asked] == [302, 302] and asked[0].headers["Location"] == asked[1].headers[
        "Location"]
    assert [m["To"] for m in mailbox.messages] == ["alex@example.org"]
    path = link_in(mailbox.last_body("alex@example.org"), "/login/link/")
    # Opening the link (a mail scanner may) signs nobody in; the button does, once.
    assert client.get(path).status_code == 200 and client.get("/settings").status_code == 302
    assert client.post(path).status_code == 302
    assert client.get("/settings").status_code == 200
    client.post("/logout")
    assert client.post(path, follow_redirects=True).request.path != "/settings"
    assert client.get("/settings").status_code == 302
    assert count(models.LoginThrottle, models.LoginThrottle.failures > 0) == 2     # alex's run ended; the others go on
    # With 2FA on, the link leads to the code, not past it.
    client.post("/login/link", data={"login": "bob@example.org"})
    bob_link = link_in(mailbox.last_body("bob@example.org"), "/login/link/")
    fresh = app.test_client()
    assert fresh.post(bob_link).headers["Location"].startswith("/login/2fa")
    assert fresh.get("/settings").status_code == 302
    assert fresh.post("/login/2fa", data={"code": code_for(bob)}).status_code == 302
    assert fresh.get("/settings").status_code == 200


def test_the_token_endpoint_answers_alike_and_is_throttled_the_same(app, ctx):
    create_user("alex")
    client = app.test_client()
    answers = {"alex": [], "nobody": []}
    for _ in range(5):
        for name in answers:
            r = client.post("/api/v1/tokens", json={"username": name, "password": WRONG})
            answers[name].append((r.status_code, api_body(r)))
    for name in answers:
        r = client.post("/api/v1/tokens", json={"username": name, "password": PASSWORD})
        answers[name].append((r.status_code, api_body(r)))
    assert answers["alex"] == answers["nobody"]
    assert answers["alex"][-1][0] == 429 and "wait N seconds" in answers["alex"][-1][1]


# ---------------------------------------------------------------- point 7


def _queued_app(make_app):
    """Tasks go to a broker nobody reads (as with a real worker elsewhere): what the request itself does."""
    from community.config import celery_config

    conf = celery_config(None)
    conf.update(broker_url="memory://localhost/", task_always_eager=False)
    return make_app(CELERY=conf)


def test_a_reset_request_does_the_same_work_for_known_and_unknown_addresses(make_app, mailbox):
    app = _queued_app(make_app)
    with app.app_context():
        create_user("alex")
    client = app.test_client()
    work = []
    for address in ("alex@example.org", "nobody@example.org"):
        response = client.post("/password/reset", data={"email": address})
        with app.app_context():
            work.append((response.status_code, response.headers["Location"], count(OutgoingMail),
                         [(o.task, len(o.args)) for o in db.session.scalars(sa.select(Outbox).order_by(Outbox.id))]))
            db.session.execute(sa.delete(Outbox))
            db.session.commit()
    assert work[0] == work[1]
    assert work[0][2] == 0 and work[0][3] == [("notifications.account_mail", 1)]


def test_the_worker_sends_the_reset_link_only_to_a_known_address(app, ctx, mailbox):
    create_user("alex")
    client = app.test_client()
    client.post("/password/reset", data={"email": "nobody@example.org"})
    client.post("/password/reset", data={"email": "Alex@Example.org"})
    assert [m["To"] for m in mailbox.messages] == ["alex@example.org"]
    assert "/password/reset/" in mailbox.last_body("alex@example.org")
    assert count(models.MailRequest) == 0     # the worker forgets what was asked


def test_requests_from_anyone_reach_the_inbox_once_a_minute_at_most(app, ctx, mailbox):
    create_user("alex")
    client = app.test_client()
    for _ in range(3):
        client.post("/login/link", data={"login": "alex"})
        client.post("/password/reset", data={"email": "alex@example.org"})
    assert sorted(m["Subject"] for m in mailbox.messages) == sorted(
        [services.SUBJECTS["sign_in_link"], services.SUBJECTS["reset"]])
    db.session.execute(sa.update(OutgoingMail).values(created_at=utcnow() - timedelta(minutes=2)))
    db.session.commit()
    client.post("/login/link", data={"login": "alex"})
    assert len(mailbox.messages) == 3


# ---------------------------------------------------------------- point 10


def test_totp_guesses_are_capped_per_account_on_every_path(app, ctx, mailbox):
    user = create_user("alex", totp=True)
    for _ in range(5):
        client = app.test_client()   # a new client each time: the cap is the account's, not the session's
        login(client, "alex")
        assert client.post("/login/2fa", data={"code": "000000"}).status_code == 422
    assert "two-factor" in mailbox.last_body("alex@example.org")
    client = app.test_client()
    login(client, "alex")
    waiting = client.post("/login/2fa", data={"code": code_for(user)})
    assert waiting.status_code == 422 and "Too many wrong codes" in waiting.get_data(as_text=True)
    assert client.get("/settings").status_code == 302
    api = app.test_client().post("/api/v1/tokens", json={"username": "alex", "password": PASSWORD,
                                                         "totp_code": code_for(user)})
    assert api.status_code == 429 and "Too many wrong codes" in api.json["error"]["message"]
    with pytest.raises(services.ValidationFailed, match="Too many wrong codes"):
        services.disable_totp(user.id, PASSWORD, code_for(user))
    # After the wait, the right code works (and ends the count).
    db.session.refresh(user)
    user.totp_retry_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.post("/login/2fa", data={"code": code_for(user)}).status_code == 302
    db.session.refresh(user)
    assert user.totp_failures == 0


def test_the_wait_grows_after_each_run_of_wrong_codes(app, ctx):
    user = create_user("alex", totp=True)
    now = utcnow()
    waits = []
    for _ in range(4):
        for _ in range(5):
            assert services.second_factor_problem(user.id, "000000", now=now) == services.CODE_WRONG
        db.session.refresh(user)
        waits.append(round((user.totp_retry_at - now).total_seconds() / 60))
        with pytest.raises(services.TooManyAttempts):
            services.second_factor_problem(user.id, "000000", now=now)
        now = user.totp_retry_at
    assert waits == [5, 10, 20, 40]


@pytest.mark.parametrize("how", ["change", "reset"])
def test_a_half_finished_login_ends_when_the_password_changes(app, ctx, mailbox, how):
    user = create_user("alex", totp=True)
    pending = app.test_client()
    assert login(pending, "alex").headers["Location"].startswith("/login/2fa")
    if how == "change":
        services.change_password(user.id, PASSWORD, "fresh-meadow-copper-kettle", None)
    else:
        app.test_client().post("/password/reset", data={"email": "alex@example.org"})
        path = link_in(mailbox.last_body("alex@example.org"), "/password/reset/")
        assert app.test_client().post(path, data={"password": "fresh-meadow-copper-kettle"}).status_code == 302
    answer = pending.post("/login/2fa", data={"code": code_for(user)})
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/login")
    assert not answer.headers["Location"].startswith("/login/2fa")
    assert pending.get("/settings").status_code == 302
