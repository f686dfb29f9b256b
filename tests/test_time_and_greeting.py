"""Issue 10 points 15 and 23: each member's time zone, case-insensitive community order, a first
visit greeted "Welcome", and sessions named by browser and system."""
import zoneinfo
from datetime import datetime, timezone

import sqlalchemy as sa

from community.accounts import services
from community.accounts.models import User
from community.extensions import db
from community.forums import services as forums
from community.forums.visibility import viewer_for
from community.moderation import tools
from tests.helpers import PASSWORD, add_member, add_moderator, create_community, create_user, login
from tests.test_accounts import GOOD

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Version/17.5 Mobile/15E148 Safari/604.1")


def test_sign_up_keeps_the_browsers_time_zone_and_a_bad_guess_falls_back_to_utc(client, ctx):
    assert client.post("/signup", data=dict(GOOD, time_zone="Pacific/Auckland")).status_code == 302
    assert db.session.scalar(sa.select(User.time_zone).where(User.username == GOOD["username"])) == "Pacific/Auckland"
    client.post("/logout")
    other = dict(GOOD, username="second_member", email="second@example.org", time_zone="Mars/Olympus")
    assert client.post("/signup", data=other).status_code == 302
    assert db.session.scalar(sa.select(User.time_zone).where(User.username == "second_member")) == "UTC"


def test_api_sign_up_takes_a_time_zone_and_refuses_a_bad_one(client, ctx):
    body = {"username": "river", "email": "river@example.org", "password": "paper-kite-river-stone",
            "birth_year": 1990, "accept_guidelines": True, "health_data_consent": True}
    bad = client.post("/api/v1/users", json=dict(body, time_zone="Europe/Atlantis"))
    assert bad.status_code == 422 and "time zone" in bad.json["error"]["fields"]["time_zone"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0
    ok = client.post("/api/v1/users", json=dict(body, time_zone="America/Chicago"))
    assert ok.status_code == 201 and ok.json["time_zone"] == "America/Chicago"


def test_settings_change_the_time_zone_with_a_field_error_for_a_wrong_one(client, ctx):
    create_user("alex")
    login(client, "alex")
    page = client.get("/settings").get_data(as_text=True)
    assert 'list="time-zones"' in page and '<option value="Europe/London">' in page
    refused = client.post("/settings/preferences", data={"bio": "", "hide_memberships": "y", "time_zone": "London"})
    assert refused.status_code == 422
    assert "Choose a time zone from the list" in refused.get_data(as_text=True)
    assert db.session.scalar(sa.select(User.time_zone).where(User.username == "alex")) == "UTC"
    client.post("/settings/preferences", data={"bio": "", "hide_memberships": "y", "time_zone": "Asia/Kolkata"})
    db.session.expire_all()
    assert db.session.scalar(sa.select(User.time_zone).where(User.username == "alex")) == "Asia/Kolkata"


def test_emails_print_times_in_the_members_zone(ctx, mailbox):
    assert services.local_time(datetime(2026, 12, 8, 14, 0, tzinfo=timezone.utc), "Asia/Kolkata") == \
        "8 Dec 2026, 19:30 (Asia/Kolkata)"
    mod = create_user("morgan", totp=True)
    member = create_user("sam", time_zone="America/New_York")
    community = create_community()
    add_member(member, community)
    add_moderator(mod, community)
    entry = tools.sanction(viewer_for(mod), member.id, community.id, "silence", rule="Be kind", duration="3d")
    local = entry.ends_at.astimezone(zoneinfo.ZoneInfo("America/New_York"))
    body = mailbox.last_body("sam@example.org")
    assert f"{local:%-d %b %Y, %H:%M} (America/New_York)" in body and "UTC" not in body


def test_communities_sort_case_insensitively(client, ctx):
    for slug, name in (("b", "bronchiectasis"), ("a", "Asthma"), ("c", "Crohn's disease")):
        create_community(slug, name)
    user = create_user("alex")
    assert [c.name for c in forums.list_communities(viewer_for(user))] == ["Asthma", "bronchiectasis", "Crohn's disease"]
    assert [row.name for row in forums.community_rows(viewer_for(None))] == ["Asthma", "bronchiectasis", "Crohn's disease"]


def test_a_first_sign_in_says_welcome_and_later_ones_welcome_back(client, ctx):
    create_user("alex")
    login(client, "alex")
    page = client.get("/").get_data(as_text=True)
    assert "Welcome, alex" in page and "Welcome back" not in page
    client.post("/logout")
    login(client, "alex")
    assert "Welcome back, alex" in client.get("/").get_data(as_text=True)


def test_sessions_are_named_by_browser_and_system_not_the_raw_string(client, ctx):
    create_user("alex")
    client.post("/login", data={"login": "alex", "password": PASSWORD}, headers={"User-Agent": FIREFOX})
    other = client.application.test_client()
    other.post("/login", data={"login": "alex", "password": PASSWORD}, headers={"User-Agent": IPHONE})
    page = client.get("/settings/sessions").get_data(as_text=True)
    assert "Firefox on Windows" in page and "Mobile Safari on iPhone" in page
    assert "Gecko/20100101" not in page and "AppleWebKit" not in page
    assert services.device_label("") == "An unknown browser or app"
    assert services.device_label("curl/8.4.0") == "curl"


def test_the_time_script_is_on_every_page_and_times_stay_utc_in_the_html(client, ctx):
    user = create_user("alex")
    community = create_community()
    add_member(user, community)
    thread, post = forums.create_thread(user.id, community.id, "Mornings", "How do you manage mornings?")
    page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "/js/time.js" in page
    stamp = post.created_at.astimezone(timezone.utc)
    assert f'datetime="{stamp.isoformat()}"' in page or f'datetime="{post.created_at.isoformat()}"' in page
    assert "UTC</time>" in page
