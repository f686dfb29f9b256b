"""Which communities a member belongs to is hidden by default, whatever the sign-up path (DESIGN.md
"Memberships"); migration 0010 hid every existing member and tells each of them once.

Runs on SQLite and PostgreSQL (the app fixtures are parametrized).
"""
import pytest
import sqlalchemy as sa

from community.accounts import services as accounts
from community.accounts.models import User
from community.extensions import db
from tests.forum_helpers import person, sign_in, text
from tests.helpers import add_member, create_community, create_user, login
from tests.test_accounts import GOOD, signup

API_SIGNUP = {"username": "api_member", "email": "api@example.org", "password": "paper-kite-river-stone",
              "birth_year": 1984, "accept_guidelines": True, "health_data_consent": True}


def hidden(username):
    return db.session.scalar(sa.select(User.hide_memberships).where(User.username == username))


def test_every_sign_up_path_hides_memberships(app):
    with app.app_context():
        create_community("asthma")
    # The web form, then onboarding skipped at once.
    web = app.test_client()
    assert signup(web).status_code == 302
    login(web, GOOD["username"], GOOD["password"])
    assert web.post("/welcome/done").status_code == 302
    # The onboarding form offers hiding ticked: the stored default no longer overrides it.
    page = text(web.get("/welcome/profile"))
    assert '<input checked id="hide_memberships" name="hide_memberships" type="checkbox"' in page
    # The API.
    assert app.test_client().post("/api/v1/users", json=API_SIGNUP).status_code == 202
    with app.app_context():
        accounts.create_admin("site_admin", "boss@example.org", "violet-harbour-engine-77")
        assert hidden(GOOD["username"]) and hidden("api_member") and hidden("site_admin")
        # The database itself: a row written without the column (another tool, raw SQL) is hidden too.
        now = db.session.scalar(sa.select(User.created_at).where(User.username == "site_admin"))
        db.session.execute(sa.insert(User.__table__).values(
            username="raw_row", email="raw@example.org", password_hash="x", role="member", bio="",
            guidelines_accepted_at=now, health_consent_at=now, approved_posts=0,
            memberships_version=1, created_at=now))
        db.session.commit()
        assert hidden("raw_row")
        assert not db.session.scalar(sa.select(User.memberships_notice).where(User.username == "raw_row"))


def test_a_default_member_is_not_listed_to_other_members(app):
    with app.app_context():
        community = create_community("asthma")
        quiet, curious = person("quiet"), person("curious")
        add_member(quiet, community)
        add_member(curious, community)
    client = app.test_client()
    sign_in(client, curious)
    assert "quiet" not in text(client.get("/c/asthma/members"))
    assert "Communities you share" not in text(client.get(f"/u/{quiet.id}"))


# ------------------------------------------------------------------ the migration


@pytest.fixture
def app_at_0008(make_app, backend):
    """An app whose database is migrated up to 0008, the revision before this change."""
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
        upgrade(revision="0008")
    yield app
    # The database is shared with the tests that follow: leave it at the newest schema.
    with app.app_context():
        db.session.remove()
        upgrade()


def test_migration_hides_every_member_and_marks_those_it_changed(app_at_0008):
    from flask_migrate import upgrade

    with app_at_0008.app_context():
        for name, hide in (("shown", False), ("already_hidden", True)):
            db.session.execute(sa.text(
                "INSERT INTO users (username, email, password_hash, role, guidelines_accepted_at, health_consent_at,"
                " hide_memberships, bio, notify_replies_email, approved_posts, failed_logins, created_at,"
                " memberships_version) VALUES (:u, :e, 'x', 'member', :now, :now, :hide, '', :t, 0, 0, :now, 1)"),
                {"u": name, "e": f"{name}@example.org", "hide": hide, "t": True, "now": "2026-01-01 00:00:00+00:00"})
        db.session.commit()
        upgrade(revision="0010")
        rows = dict(db.session.execute(sa.text(
            "SELECT username, hide_memberships FROM users ORDER BY username")).all())
        notices = dict(db.session.execute(sa.text(
            "SELECT username, memberships_notice FROM users ORDER BY username")).all())
        assert {k: bool(v) for k, v in rows.items()} == {"already_hidden": True, "shown": True}
        # Only the member whose setting changed is told; the other sees no change and no notice.
        assert {k: bool(v) for k, v in notices.items()} == {"already_hidden": False, "shown": True}


# ------------------------------------------------------------------ the one-time notice


def _user_updates(app):
    """A list that collects every UPDATE of the users table run on this app's engine."""
    seen = []

    def collect(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("UPDATE USERS"):
            seen.append(statement)

    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", collect)
    return seen


def test_a_migrated_member_is_told_once_with_a_link_and_page_views_do_not_write(app):
    with app.app_context():
        create_user("migrated", memberships_notice=True)
        create_user("newcomer")
    client = app.test_client()
    login(client, "migrated")
    updates = _user_updates(app)
    for url in ("/", "/settings"):
        page = text(client.get(url))
        assert "Which communities you belong to is now private." in page, url
        assert 'href="/settings#prefs-h"' in page
    assert updates == [], "showing the notice must not write"
    # Dismissed: one conditional write, back to the page it was on, and gone for good.
    response = client.post("/settings/memberships-notice?next=/settings")
    assert response.status_code == 302 and response.headers["Location"] == "/settings"
    assert len(updates) == 1
    assert "now private" not in text(client.get("/"))
    assert client.post("/settings/memberships-notice?next=https://evil.example/").headers["Location"] == "/"
    with app.app_context():
        assert db.session.scalar(sa.select(User.memberships_notice).where(User.username == "migrated")) is False
        assert hidden("migrated")
    # Someone who was never switched is never told.
    other = app.test_client()
    login(other, "newcomer")
    assert "now private" not in text(other.get("/"))


def test_choosing_in_settings_also_ends_the_notice(app):
    with app.app_context():
        create_user("migrated", memberships_notice=True)
    client = app.test_client()
    login(client, "migrated")
    assert client.post("/settings/preferences", data={"bio": ""}).status_code == 302
    assert "now private" not in text(client.get("/"))
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == "migrated"))
        # An unticked box is a choice to show them.
        assert (user.hide_memberships, user.memberships_notice) == (False, False)
