"""Issue 10, safety: a crisis alert reaches a person or says plainly that it cannot; the demo
staff have 2FA; a new moderator is told their powers wait for it; other members see how to
respond with care under a crisis post and may only "Hug" it; appointing a moderator shows the
member's record first; member tools list messages apart from sanctions.

Through the app on SQLite and PostgreSQL, with mail delivered to the real aiosmtpd mailbox."""
import re
from datetime import timedelta
from types import SimpleNamespace

import pyotp
import pytest
import sqlalchemy as sa

from community.accounts.models import User
from community.errors import Forbidden, ValidationFailed
from community.extensions import db
from community.forums import services as forums
from community.forums.models import Community, Moderator, Post
from community.forums.seed import DEMO_PASSWORD, seed_demo
from community.forums.visibility import viewer_for
from community.models_base import utcnow
from community.moderation import alerts, flags, tools
from community.moderation.models import ReviewItem, Sanction, StaffAction
from tests.forum_helpers import client_for, person, reply_as, text
from tests.helpers import PASSWORD, add_member, add_moderator, create_community, start_thread

# Active ideation with no plan, day or means: the check-in lane (moderators, no timed escalation).
CRISIS = "I can't do this anymore. I keep thinking about killing myself."
# A plan with a day (tier A): the urgent lane.
DATED = "I can't do this anymore. I'm going to kill myself tonight."
URGENT = "My brother just texted that he has a gun and is going to shoot himself right now, what do I do"
NEEDS_2FA = "You must turn on two-factor authentication to open it"


def crisis_item(post_id):
    return db.session.scalars(sa.select(ReviewItem).where(ReviewItem.post_id == post_id,
                                                          ReviewItem.kind == "crisis")).one()


def logged(action):
    return db.session.scalars(sa.select(StaffAction.reason).where(StaffAction.action == action)).all()


def strip_tags(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def post_html(html, post_id):
    start = html.index(f'id="p{post_id}"')
    return html[start:html.index("</article>", start)]


@pytest.fixture
def world(app):
    """Type 2 diabetes: moderator mo (2FA) and moe (no 2FA, e-mail notifications off); members alex, bo;
    a community with no moderators; admins ada (2FA) and abe (no 2FA)."""
    with app.app_context():
        t2d, quiet = create_community("type-2-diabetes", locale="en"), create_community("lupus")
        alex, bo, cy = person("alex"), person("bo"), person("cy")
        mo, moe = person("mo", totp=True), person("moe")
        from community.notifications import services as notifications
        notifications.update_settings(moe.id, {"email": {kind: "off" for kind in notifications.SETTABLE}})
        ada, abe = person("ada", role="admin", totp=True), person("abe", role="admin")
        for who in (alex, bo, cy, mo, moe):
            add_member(who, t2d)
        add_member(alex, quiet)
        for who in (mo, moe):
            add_moderator(db.session.get(User, who.id), t2d)
        thread, _ = start_thread(alex, t2d, "Managing mornings", "How do you manage mornings?")
        quiet_thread, _ = start_thread(alex, quiet, "Tired", "So tired lately.")
        return SimpleNamespace(t2d=t2d.id, quiet=quiet.id, alex=alex, bo=bo, cy=cy, mo=mo, moe=moe, ada=ada, abe=abe,
                               thread=thread.id, quiet_thread=quiet_thread.id)


# ------------------------------------------------------------------ 1. delivery


def test_a_crisis_alert_reaches_every_moderator_and_those_without_2fa_are_told_to_turn_it_on(app, world, mailbox):
    with app.app_context():
        post_id = reply_as(world.alex, world.thread, CRISIS)
        item = crisis_item(post_id)
        assert item.delivery == {"moderators": 2, "admins": 0, "without_2fa": 1} and not item.no_recipient
        item_id = item.id
        assert logged("alert.sent") == [
            "E-mailed to 2 moderators (1 without two-factor authentication, who cannot open it until they turn it on)."]
    link = f"/moderation/items/{item_id}"
    with_2fa, without = mailbox.last_body("mo@example.org"), mailbox.last_body("moe@example.org")
    # The same alert to both; a notification setting (moe turned reply e-mails off) changes nothing.
    assert link in with_2fa and link in without
    assert NEEDS_2FA in without and "/settings/2fa" in without
    assert NEEDS_2FA not in with_2fa
    assert "kill" not in without and "diabetes" not in without.lower()
    assert not mailbox.to("ada@example.org") and not mailbox.to("abe@example.org")  # not urgent, a moderator can act
    queue = text(client_for(app, world.mo).get("/moderation"))
    assert "E-mailed to 2 moderators (1 without two-factor" in queue and "sent to the admins" not in queue


def test_when_no_one_has_2fa_everyone_responsible_is_emailed_and_the_item_says_no_one_can_open_it(app, world, mailbox):
    """The demo site before this fix: no moderator or admin had 2FA, no e-mail went out, and the
    item read "sent to the admins at once"."""
    with app.app_context():
        for name in ("mo", "ada"):
            user = db.session.scalar(sa.select(User).where(User.username == name))
            user.totp_enabled_at = None
        db.session.commit()
        post_id = reply_as(world.alex, world.thread, URGENT)
        item = crisis_item(post_id)
        assert item.urgent and item.delivery == {"moderators": 2, "admins": 2, "without_2fa": 4}
        item_id = item.id
        ada = db.session.scalar(sa.select(User).where(User.username == "ada"))
        ada.totp_enabled_at = utcnow()  # ada turns it on, as the e-mail asked
        db.session.commit()
    for address in ("mo", "moe", "ada", "abe"):
        body = mailbox.last_body(f"{address}@example.org")
        assert f"/moderation/items/{item_id}" in body and NEEDS_2FA in body
    page = strip_tags(text(client_for(app, world.ada).get(f"/moderation/items/{item_id}")))
    assert "E-mailed to 2 moderators and 2 admins: none of them has two-factor authentication yet" in page
    assert "the admins were alerted at once" in page


def test_an_at_risk_flag_is_delivered_like_a_crisis_alert(app, world, mailbox):
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == "mo"))
        user.totp_enabled_at = None  # neither moderator can open it: the admins too, at once
        db.session.commit()
        post_id = reply_as(world.alex, world.thread, "Some days I don't see the point of any of it.")
        flags.flag_post(viewer_for(db.session.get(User, world.bo.id)), post_id, "at_risk")
        item = db.session.scalars(sa.select(ReviewItem).where(ReviewItem.kind == "flagged")).one()
        assert item.delivery == {"moderators": 2, "admins": 2, "without_2fa": 3}
    assert NEEDS_2FA in mailbox.last_body("moe@example.org") and NEEDS_2FA in mailbox.last_body("abe@example.org")
    assert NEEDS_2FA not in mailbox.last_body("ada@example.org")


def test_an_alert_nobody_can_be_told_of_says_so_is_logged_and_bannered_on_admin_pages_until_acknowledged(
        app, world, mailbox):
    with app.app_context():
        db.session.execute(sa.update(User).where(User.role == "admin").values(role="member"))
        db.session.commit()
        post_id = reply_as(world.alex, world.quiet_thread, CRISIS)  # lupus: no moderators, and now no admins
        item = crisis_item(post_id)
        assert item.no_recipient and item.delivery == {"moderators": 0, "admins": 0, "without_2fa": 0}
        item_id = item.id
        assert logged("alert.no_recipient") == ["no recipient: there is no moderator or admin to e-mail"]
        assert logged("alert.sent") == []
        # An admin is made later (create-admin, 2FA on) and a member who is no staff.
        db.session.execute(sa.update(User).where(User.username == "ada").values(role="admin"))
        db.session.commit()
    assert mailbox.messages == []
    ada, bo = client_for(app, world.ada), client_for(app, world.bo)
    banner = "about a member who may be at risk reached no one"
    for path in ("/", "/admin/communities", "/admin/coverage", f"/admin/communities/{world.quiet}/moderators",
                 "/moderation", "/moderation/log"):
        page = strip_tags(text(ada.get(path)))
        assert banner in page, path
    assert banner not in strip_tags(text(bo.get("/")))
    queue = strip_tags(text(ada.get("/moderation")))
    assert "No one could be told: there is no moderator or admin to e-mail." in queue
    assert "sent to the admins" not in queue and "E-mailed" not in queue
    assert "no recipient" in text(ada.get("/moderation/log"))
    with app.app_context():
        from community.accounts.services import create_token

        # The next 30 s step: this step's code was used to sign in, and codes are single-use.
        raw, _ = create_token("ada", PASSWORD, pyotp.TOTP(world.ada.totp_secret).at(utcnow() + timedelta(seconds=30)),
                              ("read",))
    items = app.test_client().get("/api/v1/moderation/queue", headers={"Authorization": f"Bearer {raw}"}).get_json()
    alert = next(i for i in items["items"] if i["id"] == item_id)
    assert alert["no_recipient"] and alert["delivery"].startswith("No one could be told")

    # The periodic escalation now finds ada and e-mails her; the banner stays until someone acknowledges.
    with app.app_context():
        item = db.session.get(ReviewItem, item_id)
        item.last_alerted_at = utcnow() - timedelta(minutes=31)
        db.session.commit()
        assert alerts.escalate_unacknowledged() == 1
    assert f"/moderation/items/{item_id}" in mailbox.last_body("ada@example.org")
    assert banner in strip_tags(text(ada.get("/")))
    assert "E-mailed to 1 admin." in strip_tags(text(ada.get(f"/moderation/items/{item_id}")))
    assert ada.post(f"/moderation/items/{item_id}/acknowledge").status_code == 302
    assert banner not in strip_tags(text(ada.get("/admin/communities")))


def test_the_coverage_page_shows_each_communitys_moderators_and_where_no_one_can_receive_alerts(app, world):
    with app.app_context():
        asthma = create_community("asthma")
        add_moderator(db.session.get(User, person("nell").id), asthma)
    ada = client_for(app, world.ada)
    html = text(ada.get("/admin/coverage"))
    cards = {name: strip_tags(card) for name, card in re.findall(
        r'<li class="card" aria-labelledby="cov-\d+">\s*<h3 id="cov-\d+">([^<]+)</h3>(.*?)</li>\s*(?=<li class="card"|</ul>)',
        html, re.S)}
    assert set(cards) == {"Type 2 Diabetes", "Lupus", "Asthma"}
    assert "Crisis alerts reach 1 of its moderators at once" in cards["Type 2 Diabetes"]
    assert "mo two-factor on" in cards["Type 2 Diabetes"] and "moe no two-factor: cannot open alerts" in cards["Type 2 Diabetes"]
    # The admins with 2FA still receive them: the page says so rather than "no one" (ada has 2FA).
    assert "No moderator here can receive crisis alerts : it has no moderators" in cards["Lupus"]
    assert "No moderator here can receive crisis alerts : none of its moderators has two-factor" in cards["Asthma"]
    assert "go straight to the site admin with two-factor authentication (1)" in cards["Asthma"]
    assert "No one can receive" not in strip_tags(html)
    # Red text (with the words, not colour alone), uncovered communities first.
    assert html.count('class="coverage-none"') == 2
    assert html.index("Asthma") < html.index("Lupus") < html.index("Type 2 Diabetes")
    page = strip_tags(html)
    assert "2 of 3 communities have no moderator who can receive crisis alerts, so theirs go to the site admins" in page
    assert "No notification setting can turn crisis alerts off or delay them" in page and "steps down" in page
    assert "ada two-factor on" in page and "abe no two-factor" in page
    assert client_for(app, world.mo).get("/admin/coverage").status_code == 403
    assert client_for(app, world.bo).get("/admin/coverage").status_code == 403


# ------------------------------------------------------------------ 2. demo 2FA, appointment


def test_seed_demo_gives_morgan_and_admin_2fa_and_prints_their_demo_secrets(app, mailbox):
    from community.forums.seed import DEMO_TOTP

    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    for name, secret in DEMO_TOTP.items():
        assert f"secret {secret}" in result.output
        assert f"otpauth://totp/Patient%20Commons%20%28demo%29:{name}?secret={secret}" in result.output
    assert "Demo-only two-factor secrets" in result.output
    with app.app_context():
        users = {u.username: u for u in db.session.scalars(sa.select(User))}
        assert users["morgan"].totp_enabled and users["morgan"].totp_secret == DEMO_TOTP["morgan"]
        assert users["admin"].is_admin and users["admin"].totp_secret == DEMO_TOTP["admin"]
        assert not users["alex"].totp_enabled
        # A demo site seeded before this change gets it on the next `make run`.
        users["admin"].totp_enabled_at = users["admin"].totp_secret = None
        db.session.commit()
        assert seed_demo() is False
        assert db.session.scalar(sa.select(User.totp_secret).where(User.username == "admin")) == DEMO_TOTP["admin"]
    morgan = app.test_client()
    response = morgan.post("/login", data={"login": "morgan", "password": DEMO_PASSWORD})
    assert "/login/2fa" in response.headers["Location"]
    assert morgan.post("/login/2fa", data={"code": pyotp.TOTP(DEMO_TOTP["morgan"]).now()}).status_code == 302
    assert morgan.get("/moderation").status_code == 200


def test_no_demo_two_factor_in_production(make_app):
    from community.forums.seed import DEMO_TOTP

    app = make_app(ENV_PRODUCTION=True)
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0 and "no demo two-factor secrets" in result.output
    assert DEMO_TOTP["admin"] not in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id)).where(User.totp_enabled_at.is_not(None))) == 0


def test_a_new_moderator_is_emailed_and_bannered_that_powers_wait_for_2fa(app, world, mailbox):
    with app.app_context():
        nell = person("nell", created_at=utcnow() - timedelta(days=200), approved_posts=40)
        add_member(nell, db.session.get(Community, world.quiet))
    nell_client = client_for(app, nell)
    assert "Your moderator powers wait" not in text(nell_client.get("/"))
    ada = client_for(app, world.ada)
    response = ada.post(f"/admin/communities/{world.quiet}/moderators", data={"username": "nell", "confirm": "1"})
    assert response.status_code == 302
    body = mailbox.last_body("nell@example.org")
    assert "made you a moderator" in body and "wait until you turn on two-factor authentication" in body
    assert "http://localhost/settings/2fa" in body and "lupus" not in body.lower()
    for path in ("/", "/guidelines", "/settings"):
        page = strip_tags(text(nell_client.get(path)))
        assert "Your moderator powers wait until you turn on two-factor authentication" in page, path
    assert 'href="/settings/2fa"' in text(nell_client.get("/"))
    with app.app_context():
        user = db.session.get(User, nell.id)
        user.totp_secret, user.totp_enabled_at = pyotp.random_base32(), utcnow()
        db.session.commit()
    assert "powers wait" not in text(nell_client.get("/"))
    # Someone who already has 2FA is e-mailed too, without the wait.
    with app.app_context():
        assert tools.appoint(viewer_for(db.session.get(User, world.ada.id)), world.t2d, "nell")
    assert "wait" not in mailbox.last_body("nell@example.org")


# ------------------------------------------------------------------ 3. a crisis post seen by other members


def test_other_members_see_how_to_respond_with_care_and_may_only_hug_a_crisis_post(app, world):
    with app.app_context():
        post_id = reply_as(world.alex, world.thread, CRISIS)
        calm_id = reply_as(world.bo, world.thread, "Mornings are easier with a slow start.")
        assert db.session.get(Post, post_id).labels == ["crisis"]
    path = f"/t/{world.thread}"
    for who in (world.bo, world.cy, world.bo):  # the second and third come from the shared fragment cache
        page = text(client_for(app, who).get(path))
        mine = post_html(page, post_id)
        assert "How to respond with care" in mine and "Don't advise on medication" in strip_tags(mine).replace("&#39;", "'")
        assert "116 123" in mine and "988" in mine  # the community locale's resources
        assert "/react/hug" in mine and "/react/like" not in mine and "/react/helpful" not in mine
        assert "not alone" not in mine
        assert "/react/like" in post_html(page, calm_id) or who.username == "bo"  # bo's own post: no difference
        assert "How to respond with care" not in post_html(page, calm_id)
    author = post_html(text(client_for(app, world.alex).get(path)), post_id)
    assert "not alone" in author and "How to respond with care" not in author
    assert f'id="p{post_id}"' not in text(app.test_client().get(path))  # visitors never see it

    bo = client_for(app, world.bo)
    assert bo.post(f"/p/{post_id}/react/like", data={"on": "1"}).status_code == 422
    assert bo.post(f"/p/{post_id}/react/hug", data={"on": "1"}).status_code == 302
    with app.app_context():
        viewer = viewer_for(db.session.get(User, world.cy.id))
        for kind in ("like", "helpful"):
            with pytest.raises(ValidationFailed):
                forums.set_reaction(viewer, post_id, kind, True)
        assert forums.set_reaction(viewer, calm_id, "like", True).reactions == {"like": 1}
        assert db.session.get(Post, post_id).reactions == {"hug": 1}


def test_the_api_refuses_like_on_a_crisis_post(app, world):
    with app.app_context():
        post_id = reply_as(world.alex, world.thread, CRISIS)
    client = app.test_client()
    token = client.post("/api/v1/tokens", json={"username": "bo", "password": PASSWORD}).get_json()
    headers = {"Authorization": f"Bearer {token['token']}"}
    response = client.put(f"/api/v1/posts/{post_id}/reactions/like", headers=headers)
    assert response.status_code == 422 and response.get_json()["error"]["fields"]["kind"]


# ------------------------------------------------------------------ 18. appointing a moderator


def test_appointing_asks_for_confirmation_with_the_members_record(app, world):
    with app.app_context():
        fresh = person("fern", created_at=utcnow() - timedelta(days=10), approved_posts=2)
        steady = person("sage", created_at=utcnow() - timedelta(days=400), approved_posts=60)
        thread, _ = start_thread(db.session.get(User, fresh.id), db.session.get(Community, world.t2d),
                                 "Hard week", "A hard week.")
        reply_as(fresh, thread.id, CRISIS)
        db.session.add_all([
            Sanction(user_id=fresh.id, community_id=world.t2d, kind="silence", rule="Rule 2", created_by=world.mo.id),
            Sanction(user_id=fresh.id, community_id=world.t2d, kind="message", message="How are you?",
                     created_by=world.mo.id),
            Sanction(user_id=steady.id, community_id=world.t2d, kind="warn", rule="Rule 1", created_by=world.mo.id,
                     created_at=utcnow() - timedelta(days=120)),
        ])
        db.session.commit()
        admin = viewer_for(db.session.get(User, world.ada.id))
        check = tools.appointment_check(admin, world.quiet, "Fern")
        assert (check["age_days"], check["approved_posts"], check["crisis_alerts"]) == (10, 4, 1)
        assert [s.kind for s in check["sanctions"]] == ["silence"]  # a message is no sanction
        assert len(check["worries"]) == 4
        calm = tools.appointment_check(admin, world.quiet, "sage")
        assert calm["sanctions"] == [] and calm["crisis_alerts"] == 0 and calm["worries"] == []
        with pytest.raises(Forbidden):
            tools.appointment_check(viewer_for(db.session.get(User, world.mo.id)), world.quiet, "fern")

    ada = client_for(app, world.ada)
    url = f"/admin/communities/{world.quiet}/moderators"
    step = ada.post(url, data={"username": "fern", "reason": "asked to help"})
    assert step.status_code == 200
    page = strip_tags(text(step))
    assert "Appoint fern to moderate Lupus?" in page and "10 days" in page
    for worry in ("under 30 days old", "Fewer than 5 approved posts", "Sanctioned in the last 90 days",
                  "raised a crisis alert in the last 90 days"):
        assert worry in page
    assert 'name="confirm" value="1"' in text(step) and 'value="asked to help"' in text(step)
    with app.app_context():
        assert not db.session.scalar(sa.select(Moderator.id).where(Moderator.user_id == fresh.id))
    assert "Nothing in this record is worrying" in text(ada.post(url, data={"username": "sage"}))
    done = ada.post(url, data={"username": "fern", "reason": "asked to help", "confirm": "1"})
    assert done.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(Moderator.id).where(Moderator.user_id == fresh.id))
        assert logged("moderator.appoint") == ["asked to help; powers wait for two-factor authentication"]


# ------------------------------------------------------------------ 19. member tools


def test_member_tools_list_messages_apart_from_sanctions(app, world):
    mo = client_for(app, world.mo)
    base = f"/moderation/members/{world.alex.id}"
    assert mo.post(f"{base}/sanction", data={"community": world.t2d, "kind": "message",
                                             "message": "Checking in: how are you today?"}).status_code == 302
    assert mo.post(f"{base}/sanction", data={"community": world.t2d, "kind": "silence", "rule": "Rule 3",
                                             "duration": "forever"}).status_code == 302
    html = text(mo.get(f"{base}?community={world.t2d}"))
    sanctions = strip_tags(html[html.index('id="sanctions-h"'):html.index('id="messages-h"')])
    messages = strip_tags(html[html.index('id="messages-h"'):html.index('id="act-h"')])
    assert "Silence" in sanctions and "Rule 3" in sanctions and "until lifted" in sanctions
    assert "Message" not in sanctions
    assert "Messages sent" in messages and "from mo" in messages and "until lifted" not in messages
    assert re.search(r"\d{1,2} \w{3} \d{4}, \d\d:\d\d UTC · from mo", messages)
    assert "Checking in" not in messages  # the words stay between the moderators and the member
