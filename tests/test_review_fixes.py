"""What the fresh-eyes review of issue 12 found, each fixed: a wrong 2FA code no longer stays in
the field (the next code typed after it failed too), nor the code just used in "Turn it off";
typos at sign-up do not use up the hourly limit, and the limit page says the real wait; /admin
leads somewhere; waits and counts read in the singular when they are one."""
import re

import pyotp
import sqlalchemy as sa

from community.accounts.models import User
from community.extensions import db
from community.models_base import utcnow
from tests.helpers import create_user, login
from tests.test_accounts import signup


def _code_value(html, name="code"):
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
    value = re.search(r'value="([^"]*)"', tag)
    return tag, value.group(1) if value else ""


def test_a_wrong_code_is_emptied_so_the_next_one_is_typed_alone(app, ctx):
    user = create_user("alex", totp=True)
    client = app.test_client()
    login(client, "alex")
    wrong = client.post("/login/2fa", data={"code": "000000"})
    tag, value = _code_value(wrong.get_data(as_text=True))
    assert wrong.status_code == 422 and value == "" and "autofocus" in tag
    assert client.post("/login/2fa", data={"code": pyotp.TOTP(user.totp_secret).now()}).status_code == 302


def test_turning_2fa_on_does_not_leave_the_code_in_the_turn_off_form(app, ctx):
    user = create_user("sam")
    client = app.test_client()
    login(client, "sam")
    client.get("/settings/2fa")
    db.session.refresh(user)
    code = pyotp.TOTP(user.totp_secret).at(utcnow().timestamp())
    page = client.post("/settings/2fa", data={"code": code}).get_data(as_text=True)
    assert "recovery code" in page and code not in page


def test_sign_up_typos_do_not_use_up_the_hourly_limit_and_the_wait_is_told(make_app):
    app = make_app(RATELIMIT_ENABLED=True)
    client = app.test_client()
    typos = [signup(client, username=f"maple{i}", password="short").status_code for i in range(12)]
    assert typos == [422] * 12
    assert signup(client).status_code == 302           # twelve refused forms did not count
    for i in range(9):
        signup(client, username=f"maple_{i}", email=f"m{i}@example.org")
    refused = signup(client, username="one_more", email="more@example.org")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 429 and "wait a minute" not in page
    assert re.search(r"try again in \d+ minutes", page), page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 10


def test_admin_leads_to_the_admin_pages_for_admins_only(app, ctx):
    root = create_user("root", role="admin", totp=True)
    create_user("sam")
    member = app.test_client()
    login(member, "sam")
    assert member.get("/admin/").status_code == 403
    admin = app.test_client()
    login(admin, "root")
    assert admin.post("/login/2fa", data={"code": pyotp.TOTP(root.totp_secret).now()}).status_code == 302
    response = admin.get("/admin/")
    assert response.status_code == 302 and response.headers["Location"] == "/admin/communities"
    assert admin.get("/admin/communities").status_code == 200
