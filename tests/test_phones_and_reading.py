"""Issue 10, phones and reading (points 12-15, 20, 23), through the test client and the database on
SQLite and PostgreSQL. The browser side (widths, the menu, heights, local times) is in
tests/e2e/test_polish_phone.py (a different name: pytest needs unique basenames)."""
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from community.accounts import services as accounts
from community.accounts.devices import device_label
from community.accounts.models import User, UserSession
from community.extensions import db
from community.forums import services as forums
from community.forums.models import Community, Post
from community.forums.visibility import viewer_for
from community.moderation import flags
from community.moderation.models import ReviewItem, StaffAction
from tests.forum_helpers import person, sign_in
from tests.helpers import PASSWORD, add_member, add_moderator, create_community, create_user, login, start_thread

FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
SAFARI_IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                 "Version/17.5 Mobile/15E148 Safari/604.1")
SIGNUP = {"username": "maple_walker", "email": "maple@example.org", "password": "paper-kite-river-stone",
          "birth_year": "1984", "accept_guidelines": "y", "health_data_consent": "y"}


@pytest.fixture
def world(app):
    """A community with a moderator (2FA on) and two members; a published thread by alex."""
    with app.app_context():
        community = create_community("type-2-diabetes", name="Type 2 diabetes")
        alex, bo, mod = person("alex"), person("bo"), person("mo", totp=True)
        for who in (alex, bo, mod):
            add_member(who, community)
        add_moderator(db.session.get(User, mod.id), community)
        thread, first = start_thread(alex, community, "Managing mornings", "How do you manage mornings?")
        return SimpleNamespace(community_id=community.id, alex=alex, bo=bo, mod=mod, thread_id=thread.id,
                               first_id=first.id)


def signed_in(app, who):
    client = app.test_client()
    sign_in(client, who)
    return client


# ---------------------------------------------------------------- 12: long text

def test_code_blocks_can_be_scrolled_from_the_keyboard(app, world):
    """A long code line scrolls inside its block (CSS); the block takes focus so a keyboard can scroll it."""
    with app.app_context():
        post = forums.reply(world.bo.id, world.thread_id, "Mine:\n\n```\n" + "step_" * 80 + "\n```\n")
        html = db.session.get(Post, post.id).body_html
    assert '<pre tabindex="0">' in html


def test_a_keyboard_reaches_the_reply_box_without_tabbing_through_every_post(app, world):
    """Each post has some seven tab stops: a link near the top goes straight to #reply."""
    for who in (world.bo, None):
        client = signed_in(app, who) if who else app.test_client()
        page = client.get(f"/t/{world.thread_id}").get_data(as_text=True)
        link, first_post = page.find('<a href="#reply">'), page.find('class="posts"')
        assert 0 < link < first_post and 'id="reply"' in page


# ---------------------------------------------------------------- 13: the phone header, onboarding step 2

def test_every_page_has_a_menu_button_for_phones(client, app, world):
    html = client.get("/").get_data(as_text=True)
    button = re.search(r'<button type="button" class="menu-button[^"]*" aria-expanded="false" '
                       r'aria-controls="site-menu">.*?Menu</button>', html)
    assert button, "no menu button"
    assert 'id="site-menu"' in html
    member = signed_in(app, world.alex).get("/").get_data(as_text=True)
    # A member's communities bar folds into the menu as well.
    assert 'aria-controls="site-menu my-communities"' in member and 'id="my-communities"' in member


def test_onboarding_step_two_lists_the_suggested_communities_first(app, ctx):
    for name in ("Asthma", "Migraine", "COPD"):
        create_community(name.lower(), name=name)
    chosen = db.session.scalar(sa.select(Community.id).where(Community.name == "Migraine"))
    create_user("fern").onboarded_at = None
    db.session.commit()
    client = app.test_client()
    login(client, "fern")
    html = client.post("/welcome/communities", data={"condition": str(chosen)}).get_data(as_text=True)
    assert "Suggested for you" in html
    names = re.findall(r'<label for="com-\d+"><strong>([^<]+)</strong>', html)
    assert names == ["Migraine", "Asthma", "COPD"]
    assert re.search(rf'id="com-{chosen}" name="community" value="{chosen}" checked', html)


# ---------------------------------------------------------------- 14: tables as cards

def test_staff_log_cells_carry_their_column_names(app, world):
    with app.app_context():
        db.session.add(StaffAction(actor_id=world.mod.id, action="post.hide", target_type="post",
                                   target_id=world.first_id, community_id=world.community_id, reason="because"))
        db.session.commit()
    html = signed_in(app, world.mod).get("/moderation/log").get_data(as_text=True)
    assert '<table class="table stack">' in html
    row = html[html.index("<tbody>"):html.index("</tbody>")]
    labels = re.findall(r'<td data-label="([^"]+)"', row)
    assert labels[:6] == ["When", "Who", "Action", "Target", "Community", "Reason"]
    css = (Path(app.static_folder) / "css" / "app.css").read_text()
    assert "break-all" not in css.split("Issue 10, phones")[1]  # words are never cut anywhere in a table


# ---------------------------------------------------------------- 15: times and the time-zone setting

def test_pages_carry_utc_in_time_elements_and_the_members_zone_on_html(app, world):
    with app.app_context():
        db.session.get(User, world.alex.id).time_zone = "Asia/Tokyo"
        db.session.commit()
    visitor = app.test_client().get(f"/t/{world.thread_id}").get_data(as_text=True)
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ">[^<]+ UTC</time>', visitor)
    assert "data-time-zone" not in visitor  # the visitors' cached copy is the same for everyone
    member = signed_in(app, world.alex).get(f"/t/{world.thread_id}").get_data(as_text=True)
    assert '<html lang="en" data-time-zone="Asia/Tokyo">' in member
    assert "js/time.js" in member


def test_settings_save_a_time_zone_and_refuse_an_unknown_one(app, world):
    client = signed_in(app, world.alex)
    page = client.get("/settings").get_data(as_text=True)
    assert '<option selected value="UTC">UTC</option>' in page and '<option value="Europe/London">' in page
    response = client.post("/settings/preferences", data={"bio": "Tea.", "time_zone": "Europe/London"})
    assert response.status_code == 302
    response = client.post("/settings/preferences", data={"bio": "Changed", "time_zone": "Mars/Olympus_Mons"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="time_zone-error"' in html and "Choose a time zone from the list" in html
    with app.app_context():
        user = db.session.get(User, world.alex.id)
        # The refused request changed nothing, the bio included.
        assert (user.time_zone, user.bio) == ("Europe/London", "Tea.")


@pytest.mark.parametrize("sent, stored", [("America/Sao_Paulo", "America/Sao_Paulo"), ("Not/AZone", "UTC"),
                                          ("", "UTC"), (None, "UTC")])
def test_sign_up_keeps_the_browsers_guess_of_the_time_zone(client, ctx, mailbox, sent, stored):
    data = dict(SIGNUP, **({"time_zone": sent} if sent is not None else {}))
    assert client.post("/signup", data=data).status_code == 302
    assert db.session.scalar(sa.select(User.time_zone).where(User.username == "maple_walker")) == stored


def test_sign_up_form_asks_the_browser_for_its_zone(client):
    assert re.search(r'<input data-time-zone-guess id="time_zone" name="time_zone" type="hidden" value="">',
                     client.get("/signup").get_data(as_text=True))


def test_api_shows_and_changes_the_members_own_time_zone(client, ctx):
    from tests.test_api import assert_error, token

    create_user("alex")
    headers = token(client, "alex")
    assert client.get("/api/v1/me", headers=headers).json["time_zone"] == "UTC"
    response = client.patch("/api/v1/me", headers=headers, json={"time_zone": "Pacific/Auckland"})
    assert response.status_code == 200 and response.json["time_zone"] == "Pacific/Auckland"
    assert_error(client.patch("/api/v1/me", headers=headers, json={"time_zone": "Moon/Base"}), 422, field="time_zone")
    assert db.session.scalar(sa.select(User.time_zone).where(User.username == "alex")) == "Pacific/Auckland"
    reader = token(client, "alex", scopes=["read"])
    assert_error(client.patch("/api/v1/me", headers=reader, json={"time_zone": "UTC"}), 403, "insufficient_scope")
    new = {**SIGNUP, "birth_year": 1984, "accept_guidelines": True, "health_data_consent": True}
    # An explicit zone the API cannot use is refused, as PATCH /me refuses it, and no account is made.
    assert_error(client.post("/api/v1/users", json={**new, "time_zone": "Moon/Base"}), 422, field="time_zone")
    assert not db.session.scalar(sa.select(User.id).where(User.username == SIGNUP["username"]))
    created = client.post("/api/v1/users", json={**new, "time_zone": "Asia/Kolkata"})
    assert created.status_code == 202
    assert db.session.scalar(sa.select(User.time_zone).where(User.username == SIGNUP["username"])) == "Asia/Kolkata"


def test_emails_print_times_in_the_members_zone(app, ctx, mailbox):
    from datetime import datetime, timezone

    user = create_user("alex", time_zone="America/New_York")
    assert accounts.local_time(user, datetime(2026, 7, 1, 16, 30, tzinfo=timezone.utc)) == \
        "1 Jul 2026, 12:30 (America/New_York)"
    accounts.request_email_change(user.id, PASSWORD, "alex.new@example.org")
    body = mailbox.last_body("alex@example.org")
    assert re.search(r"On \d{1,2} \w{3} \d{4}, \d\d:\d\d \(America/New_York\), someone asked", body)


# ---------------------------------------------------------------- 20: the review queue

def test_a_reason_from_both_title_and_body_is_listed_once(app, world):
    with app.app_context():
        newcomer = create_user("newbie", approved_posts=0)
        forums.join(newcomer.id, world.community_id)
        forums.create_thread(newcomer.id, world.community_id, "fuck this shit", "fuck this shit, honestly")
        item = db.session.scalar(sa.select(ReviewItem).where(ReviewItem.kind == "held"))
        assert item.reasons.count("strong profanity") == 1, item.reasons
        hold = db.session.scalar(sa.select(StaffAction.reason).where(StaffAction.action == "pipeline.hold"))
        assert "first posts from a new member" in hold
    html = signed_in(app, world.mod).get("/moderation").get_data(as_text=True)
    assert html.count("<li>strong profanity</li>") == 1


def test_a_new_members_hold_says_why_in_the_staff_log(app, world):
    with app.app_context():
        newcomer = create_user("newbie", approved_posts=0)
        forums.join(newcomer.id, world.community_id)
        forums.create_thread(newcomer.id, world.community_id, "Hello", "Hi everyone, new here.")
    html = signed_in(app, world.mod).get("/moderation/log").get_data(as_text=True)
    assert "First posts from a new member" in html and "no labels" not in html


def test_keeping_a_flagged_post_is_logged_as_flag_dismiss(app, world):
    with app.app_context():
        flags.flag_post(viewer_for(db.session.get(User, world.bo.id)), world.first_id, "spam")
        item_id = db.session.scalar(sa.select(ReviewItem.id).where(ReviewItem.kind == "flagged"))
    moderator = signed_in(app, world.mod)
    queue = moderator.get("/moderation").get_data(as_text=True)
    assert "Keep it up" in queue
    assert moderator.post(f"/moderation/items/{item_id}/approve").status_code == 302
    with app.app_context():
        actions = db.session.scalars(sa.select(StaffAction.action).where(StaffAction.actor_id == world.mod.id)).all()
    assert actions == ["flag.dismiss"]
    log_page = moderator.get("/moderation/log?action=flag.dismiss").get_data(as_text=True)
    assert "<code>flag.dismiss</code>" in log_page
    assert '<option value="flag.dismiss">' in log_page  # the action filter offers it


def test_the_reason_box_has_a_visible_label(app, world):
    with app.app_context():
        newcomer = create_user("newbie", approved_posts=0)
        forums.join(newcomer.id, world.community_id)
        forums.create_thread(newcomer.id, world.community_id, "Hello", "Hi everyone, new here.")
        item_id = db.session.scalar(sa.select(ReviewItem.id).where(ReviewItem.kind == "held"))
    html = signed_in(app, world.mod).get("/moderation").get_data(as_text=True)
    assert f'<label for="reason-{item_id}">Reason (needed to reject)</label>' in html
    box = re.search(rf'<input type="text" id="reason-{item_id}"[^>]*>', html).group(0)
    assert "placeholder" not in box


# ---------------------------------------------------------------- 23: order, greeting, sessions

def test_communities_sort_without_regard_to_case_everywhere(app, backend):
    with app.app_context():
        for name in ("beta", "Alpha", "zeta", "Gamma"):
            create_community(name.lower(), name=name)
        admin = person("ada", role="admin", totp=True)
        member = person("mel")
        for slug in ("beta", "alpha", "zeta", "gamma"):
            forums.join(member.id, db.session.scalar(sa.select(Community.id).where(Community.slug == slug)))
        expected = ["Alpha", "beta", "Gamma", "zeta"]
        assert [c.name for c in forums.list_communities(viewer_for(db.session.get(User, member.id)))] == expected
        assert [name for _, name in viewer_for(db.session.get(User, member.id)).communities] == expected
    home = app.test_client().get("/").get_data(as_text=True)
    assert re.findall(r'<a href="/c/[a-z]+">(\w+)</a>\n', home) == expected
    assert [c["name"] for c in app.test_client().get("/api/v1/communities").json["items"]] == expected
    admin_page = signed_in(app, admin).get("/admin/communities").get_data(as_text=True)
    assert re.findall(r'<a href="/c/[a-z]+">(\w+)</a></td>', admin_page) == expected


def test_the_first_visit_says_welcome_and_later_ones_welcome_back(client, ctx, mailbox):
    client.post("/signup", data=SIGNUP)
    login(client, "maple_walker", SIGNUP["password"])
    assert "<h1 class=\"page-title\">Welcome, maple_walker</h1>" in client.get("/").get_data(as_text=True)
    client.post("/logout")
    login(client, "maple_walker", SIGNUP["password"])
    assert "Welcome back, maple_walker" in client.get("/").get_data(as_text=True)


def test_sessions_page_names_the_browser_and_system(client, ctx):
    create_user("alex")
    client.post("/login", data={"login": "alex", "password": PASSWORD}, headers={"User-Agent": FIREFOX_WINDOWS})
    html = client.get("/settings/sessions").get_data(as_text=True)
    assert "Firefox on Windows" in html and "Gecko/20100101" not in html
    assert db.session.scalar(sa.select(UserSession.device)) == "Firefox on Windows"


@pytest.mark.parametrize("agent, label", [
    (FIREFOX_WINDOWS, "Firefox on Windows"), (SAFARI_IPHONE, "Safari on iPhone"),
    ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile "
     "Safari/537.36", "Chrome on Android"),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 "
     "Safari/605.1.15", "Safari on macOS"),
    ("", ""), ("Werkzeug/3.1", ""),
])
def test_device_labels(agent, label):
    assert device_label(agent) == label
