"""Notifications (issue 14): events, watch levels, the centre, e-mail through a real SMTP server
(aiosmtpd), channel privacy, unsubscribe, the API. On SQLite and PostgreSQL; eager Celery."""
import re
import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from community.accounts.models import User
from community.extensions import db
from community.forums import services as forums
from community.forums.models import Post, Thread
from community.forums.visibility import viewer_for
from community.models_base import utcnow
from community.notifications import services as notifications
from community.notifications.models import Notification, NotificationSettings, PostMention, ThreadWatch
from tests.conftest import count
from tests.forum_helpers import client_for, person, reply_as, text
from tests.helpers import add_member, create_community, start_thread


@pytest.fixture
def world(app):
    """A public community (asthma) and a members-only one (lupus); ana starts a thread in each."""
    with app.app_context():
        public = create_community("asthma")
        private = create_community("lupus", visibility="members")
        ana, ben, cy = person("ana"), person("ben"), person("cy")
        outsider = person("olly")
        for who in (ana, ben, cy):
            add_member(who, public)
            add_member(who, private)
        add_member(outsider, public)
        thread, _ = start_thread(ana, public, "Spacer technique", "Does a spacer help with the inhaler?")
        secret, _ = start_thread(ana, private, "Flares", "How do you all cope with flares?")
        return SimpleNamespace(public=public.id, private=private.id, ana=ana, ben=ben, cy=cy, olly=outsider,
                               thread=thread.id, secret=secret.id)


def notes(user_id, kind=None):
    stmt = sa.select(Notification).where(Notification.user_id == user_id).order_by(Notification.id)
    if kind:
        stmt = stmt.where(Notification.kind == kind)
    return db.session.scalars(stmt).all()


def mails_to(mailbox, username):
    return [m for m in mailbox.messages if m["To"] == f"{username}@example.org"]


def everything_sent(mailbox):
    out = []
    for m in mailbox.messages:
        out.append(m["Subject"])
        for part in m.walk():
            if part.get_content_maintype() == "text":
                out.append(part.get_content())
    return "\n".join(out)


# ------------------------------------------------------------------ events


def test_a_reply_notifies_the_thread_author_once_with_a_link_to_the_exact_post(app, world):
    with app.app_context():
        post_id = reply_as(world.ben, world.thread, "A spacer helped me a lot.")
        (n,) = notes(world.ana.id)
        assert (n.kind, n.post_id, n.actor_id) == ("reply", post_id, world.ben.id)
        assert not notes(world.ben.id)              # never for one's own post
        # the worker's task run again (a redelivery) writes nothing new
        assert notifications.post_published(post_id) == 0
        assert len(notes(world.ana.id)) == 1
    client = client_for(app, world.ana)
    home = text(client.get("/"))
    assert "Notifications, 1 unread" in home
    page = client.get("/notifications").get_data(as_text=True)
    assert f'href="/t/{world.thread}#p{post_id}"' in page and "ben replied to your thread" in page
    assert client.get("/notifications/count").get_json() == {"unread": 1}
    client.post("/notifications/read", data={"all": "1"})
    assert client.get("/notifications/count").get_json() == {"unread": 0}


def test_starting_or_replying_watches_the_thread_and_watchers_hear_of_every_post(app, world):
    with app.app_context():
        reply_as(world.ben, world.thread, "Me too.")
        assert db.session.get(ThreadWatch, (world.ben.id, world.thread)).level == "watching"
        third = reply_as(world.cy, world.thread, "A third voice.")
        assert [n.kind for n in notes(world.ben.id)] == ["posted"] and notes(world.ben.id)[0].post_id == third
        # the thread author gets "reply" (more specific than "posted"), once per post
        assert [n.kind for n in notes(world.ana.id)] == ["reply", "reply"]


def test_a_muted_thread_or_community_tells_nothing_not_even_a_mention(app, world):
    with app.app_context():
        notifications.watch_thread(viewer_for(db.session.get(User, world.ana.id)), world.thread, "muted")
        reply_as(world.ben, world.thread, "Hello @ana, a spacer works.")
        assert notes(world.ana.id) == []
        notifications.watch_community(viewer_for(db.session.get(User, world.cy.id)), world.public, "muted")
        reply_as(world.ben, world.thread, "And @cy too.")
        assert notes(world.cy.id) == []


def test_mentions_notify_only_people_who_can_read_the_post_and_never_from_code(app, world):
    with app.app_context():
        reply_as(world.ben, world.secret, "@olly and @cy, see this. `@ana` in code\n\n    @ana indented code")
        assert [n.kind for n in notes(world.cy.id)] == ["mention"]
        assert notes(world.olly.id) == []           # not a member of the members-only community
        assert [n.kind for n in notes(world.ana.id)] == ["reply"]   # code is not a mention
        secret_html = db.session.scalar(sa.select(Post.body_html).where(Post.thread_id == world.secret,
                                                                         Post.number == 2))
        assert f'<a class="mention" href="/u/{world.cy.id}">@cy</a>' in secret_html
        assert "/u/%d" % world.olly.id not in secret_html and "@olly" in secret_html   # no link for a non-member
        assert "<code>@ana</code>" in secret_html
        public_id = reply_as(world.ben, world.thread, "Public thread: @olly, welcome")
        assert [n.kind for n in notes(world.olly.id)] == ["mention"]
        assert f'href="/u/{world.olly.id}">@olly</a>,' in db.session.get(Post, public_id).body_html


def test_more_than_twenty_mentions_is_a_field_error_and_nothing_is_saved(app, world):
    body = " ".join(f"@person{i}" for i in range(21))
    client = client_for(app, world.ben)
    with app.app_context():
        posts = count(Post)
    response = client.post(f"/t/{world.thread}/reply", data={"body": body})
    assert response.status_code == 422 and "at most 20 people" in text(response)
    with app.app_context():
        assert count(Post) == posts


def test_a_quote_notifies_the_quoted_author_as_a_quote(app, world):
    with app.app_context():
        first = db.session.scalar(sa.select(Post.id).where(Post.thread_id == world.thread, Post.number == 1))
        quoted = forums.quote_text(viewer_for(db.session.get(User, world.cy.id)), first)
        post_id = reply_as(world.cy, world.thread, quoted + "Agreed.")
        assert db.session.get(PostMention, (post_id, world.ana.id)).kind == "quote"
        assert [n.kind for n in notes(world.ana.id)] == ["quote"]


def test_community_watch_levels_new_threads_and_every_post(app, world):
    with app.app_context():
        notifications.watch_community(viewer_for(db.session.get(User, world.ben.id)), world.public, "watching_first_post")
        notifications.watch_community(viewer_for(db.session.get(User, world.cy.id)), world.public, "watching")
        community = db.session.get(__import__("community.forums.models", fromlist=["Community"]).Community,
                                   world.public)
        thread, _ = start_thread(db.session.get(User, world.ana.id), community, "Peak flow", "Morning readings?")
        reply_as(world.ana, thread.id, "Mine are lower in winter.")
        assert [n.kind for n in notes(world.ben.id)] == ["new_thread"]
        assert [n.kind for n in notes(world.cy.id)] == ["new_thread", "posted"]


def test_reactions_are_batched_into_one_notification(app, world):
    with app.app_context():
        first = db.session.scalar(sa.select(Post.id).where(Post.thread_id == world.thread, Post.number == 1))
        for who in (world.ben, world.cy, world.olly):
            forums.set_reaction(viewer_for(db.session.get(User, who.id)), first, "hug", True)
        (n,) = notes(world.ana.id, "reaction")
        assert n.count == 3
        items, _ = notifications.list_for(viewer_for(db.session.get(User, world.ana.id)))
        assert notifications.describe(items[0]) == "3 people reacted to your post"


def test_a_hidden_post_leaves_the_centre_and_is_never_mailed(app, world, mailbox):
    with app.app_context():
        post_id = reply_as(world.ben, world.thread, "Something soon hidden.")
        post = db.session.get(Post, post_id)
        post.state = "hidden"
        # the mail was sent at once (ana was never seen): take it back out to test the send-time check
        db.session.execute(sa.update(Notification).values(email_state="due", email_due_at=utcnow()))
        db.session.commit()
        mailbox.messages.clear()
        assert notifications.deliver_email() == 0
        assert mailbox.messages == []
        items, _ = notifications.list_for(viewer_for(db.session.get(User, world.ana.id)))
        assert items == []


# ------------------------------------------------------------------ e-mail and channel privacy


def test_email_is_discreet_by_default_and_members_only_text_never_leaves(app, world, mailbox):
    token = "zq" + "x" * 6 + "TOKEN41"
    with app.app_context():
        reply_as(world.ben, world.secret, f"My {token} flare came back after I stopped prednisone.")
        reply_as(world.ben, world.thread, f"Public {token} reply about spacers.")
    (first, second) = mails_to(mailbox, "ana")
    for m in (first, second):
        assert m["Subject"] == notifications.SUBJECT
        assert m.get_body(preferencelist=("html",)) is not None and m.get_body(preferencelist=("plain",)) is not None
    sent = everything_sent(mailbox)
    assert token not in sent and "Flares" not in sent and "Lupus" not in sent and "Spacer" not in sent
    assert "/notifications" in sent


def test_discreet_off_shows_public_titles_and_excerpts_with_the_notice_but_never_members_only(app, world, mailbox):
    with app.app_context():
        notifications.update_settings(world.ana.id, {"discreet_email": False})
        reply_as(world.ben, world.thread, "Try doubling your inhaler dose without asking anyone, it worked for me.")
        reply_as(world.ben, world.secret, "Members-only words MOTOKEN.")
    sent = everything_sent(mailbox)
    assert "Spacer technique" in sent and "Asthma" in sent and "doubling your inhaler" in sent
    assert "Talk with your clinician before changing any medication" in sent
    assert "MOTOKEN" not in sent and "Flares" not in sent


def test_only_when_away_waits_while_the_member_is_here_and_quiet_hours_hold_mail(app, world, mailbox):
    client = client_for(app, world.ana)      # signed in just now: "here"
    with app.app_context():
        reply_as(world.ben, world.thread, "While you are here.")
        assert mails_to(mailbox, "ana") == []
        (n,) = notes(world.ana.id)
        assert n.email_state == "away" and n.email_due_at > utcnow() + timedelta(minutes=9)
    client.post("/notifications/read", data={"all": "1"})      # read on the site: no e-mail then
    with app.app_context():
        assert notifications.deliver_email(now=utcnow() + timedelta(minutes=11)) == 0
        reply_as(world.cy, world.thread, "While you are still here.")
        # ten minutes on and still unread: she has gone, so it is mailed
        assert notifications.deliver_email(now=utcnow() + timedelta(minutes=11)) == 1
        # cy set quiet hours around now; mail is held until they end, then sent
        now = utcnow()
        start, end = (now - timedelta(hours=1)).strftime("%H:%M"), (now + timedelta(hours=1)).strftime("%H:%M")
        notifications.update_settings(world.cy.id, {"quiet_hours": {"start": start, "end": end}, "timezone": "UTC",
                                                    "email": {"mention": "always"}})
        reply_as(world.ben, world.thread, "@cy have a look")
        (m,) = notes(world.cy.id)
        assert m.email_state == "due" and m.email_due_at > now + timedelta(minutes=50)
        assert mails_to(mailbox, "cy") == []
        assert notifications.deliver_email(now=m.email_due_at + timedelta(seconds=1)) >= 1
    assert len(mails_to(mailbox, "cy")) == 1


def test_quiet_hours_across_midnight():
    from zoneinfo import ZoneInfo

    from datetime import datetime, timezone
    london = ZoneInfo("Europe/London")
    at = datetime(2026, 12, 7, 23, 30, tzinfo=timezone.utc)
    assert notifications.after_quiet_hours(at, "22:00", "07:00", london) == datetime(2026, 12, 8, 7, 0, tzinfo=london)
    early = datetime(2026, 12, 8, 5, 0, tzinfo=timezone.utc)
    assert notifications.after_quiet_hours(early, "22:00", "07:00", london) == datetime(2026, 12, 8, 7, 0, tzinfo=london)
    noon = datetime(2026, 12, 8, 12, 0, tzinfo=timezone.utc)
    assert notifications.after_quiet_hours(noon, "22:00", "07:00", london) == noon


def test_unsubscribe_by_one_click_post_and_by_the_link_and_a_bad_token_changes_nothing(app, world, mailbox, monkeypatch):
    with app.app_context():
        reply_as(world.ben, world.thread, "Reply one.")
    (m,) = mails_to(mailbox, "ana")
    assert m["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = re.fullmatch(r"<http://localhost(/notifications/unsubscribe/[^>]+)>", m["List-Unsubscribe"]).group(1)
    client = app.test_client()                  # not signed in, no CSRF token: the token is the authority
    page = client.get(url)
    assert page.status_code == 200 and "Stop these e-mails?" in text(page)
    with app.app_context():
        assert notifications.settings_of(world.ana.id)["email"]["reply"] == "away"   # a GET changes nothing
    tampered = client.post(url[:-3] + "abc", data={"List-Unsubscribe": "One-Click"})
    assert tampered.status_code == 400 and "not valid" in text(tampered)
    with app.app_context():
        assert notifications.settings_of(world.ana.id)["email"]["reply"] == "away"
    done = client.post(url, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "Unsubscribed" in text(done)
    with app.app_context():
        assert notifications.settings_of(world.ana.id)["email"]["reply"] == "off"
        assert notifications.settings_of(world.ana.id)["email"]["mention"] == "away"   # that setting only
        # an expired token: signed 61 days ago
        real = time.time
        monkeypatch.setattr(time, "time", lambda: real() - 61 * 86400)
        old = notifications.unsubscribe_token(world.ana.id, "mention")
        monkeypatch.setattr(time, "time", real)
    expired = client.post(f"/notifications/unsubscribe/{old}")
    assert expired.status_code == 400 and "expired" in text(expired)
    with app.app_context():
        assert notifications.settings_of(world.ana.id)["email"]["mention"] == "away"


def test_a_moderation_outcome_reaches_the_author_through_their_settings(app, world, mailbox):
    from community.moderation import services as moderation
    from tests.helpers import add_moderator

    with app.app_context():
        mod = person("mo", totp=True)
        add_moderator(db.session.get(User, mod.id), db.session.get(Thread, world.thread).community)
        post_id = reply_as(world.ben, world.thread, "A reply to hide.")
        moderation.moderate_post_directly(viewer_for(db.session.get(User, mod.id)), post_id, "hide", "Off topic")
        (n,) = notes(world.ben.id, "moderation")
        assert n.post_id == post_id
    body = mailbox.last_body("ben@example.org")
    assert "moderation decision about your post" in body and "Off topic" not in body and "/account/standing" in body
    with app.app_context():
        notifications.update_settings(world.ben.id, {"email": {"moderation": "off"}})
        moderation.moderate_post_directly(viewer_for(db.session.get(User, mod.id)), post_id, "restore", "Fine")
        assert len(notes(world.ben.id, "moderation")) == 2
    assert len(mails_to(mailbox, "ben")) == 1


def test_digest_is_discreet_and_weekly_by_default(app, world, mailbox):
    with app.app_context():
        reply_as(world.ben, world.thread, "Something to summarise.")
        mailbox.messages.clear()
        assert notifications.send_digests() == 0       # a new member's first digest waits a week
        later = utcnow() + timedelta(days=8)
        assert notifications.send_digests(now=later) == 1
        assert notifications.send_digests(now=later + timedelta(days=1)) == 0     # weekly, not daily
    (m,) = mails_to(mailbox, "ana")
    assert "weekly" in m["Subject"] and "Spacer" not in everything_sent(mailbox) and m["List-Unsubscribe"]


def test_read_notifications_are_pruned_after_ninety_days(app, world):
    with app.app_context():
        reply_as(world.ben, world.thread, "Old news.")
        reply_as(world.cy, world.thread, "Unread news.")
        first, second = notes(world.ana.id)
        notifications.mark_read(world.ana.id, [first.id])
        assert notifications.prune(now=utcnow() + timedelta(days=91)) == 1
        assert [n.id for n in notes(world.ana.id)] == [second.id]


# ------------------------------------------------------------------ API


def _token(app, who):
    from community.accounts import services as accounts

    from tests.helpers import PASSWORD

    with app.app_context():
        raw, _ = accounts.create_token(who.username, PASSWORD)
    return {"Authorization": f"Bearer {raw}"}


def test_api_lists_marks_read_and_ignores_other_members_ids(app, world):
    with app.app_context():
        reply_as(world.ben, world.thread, "For the API.")
        reply_as(world.ana, world.secret, "@ben look")
        others = notes(world.ben.id)[0].id
    client, auth = app.test_client(), _token(app, world.ana)
    page = client.get("/api/v1/notifications?unread=true", headers=auth).get_json()
    assert page["unread"] == 1 and page["next_cursor"] is None
    (item,) = page["items"]
    assert set(item) >= {"id", "kind", "created_at", "read", "url", "actor", "thread_id", "post_id", "title", "count"}
    assert item["kind"] == "reply" and item["actor"] == "ben" and item["title"] == "Spacer technique"
    done = client.post("/api/v1/notifications/read", json={"ids": [item["id"], others]}, headers=auth).get_json()
    assert done == {"marked": 1, "unread": 0}
    with app.app_context():
        assert notes(world.ben.id)[0].read_at is None
    assert client.get("/api/v1/notifications", headers={}).status_code == 401


def test_api_settings_round_trip_and_bad_input_saves_nothing(app, world):
    client, auth = app.test_client(), _token(app, world.ana)
    settings = client.get("/api/v1/me/notification-settings", headers=auth).get_json()
    assert settings["email"]["reply"] == "away" and settings["digest"] == "weekly" and settings["discreet_email"]
    good = {"email": {"reply": "always"}, "digest": "daily", "quiet_hours": {"start": "22:00", "end": "07:00"},
            "timezone": "Europe/London", "watch_defaults": {"community": "tracking", "thread": "normal"},
            "auto_watch_on_reply": False, "discreet_email": True}
    saved = client.put("/api/v1/me/notification-settings", json=good, headers=auth).get_json()
    assert saved["email"]["reply"] == "always" and saved["quiet_hours"] == {"start": "22:00", "end": "07:00"}
    for bad, field in (({"email": {"nonsense": "off"}}, "email"), ({"email": {"reply": "sometimes"}}, "email"),
                       ({"timezone": "Mars/Olympus"}, "timezone"), ({"quiet_hours": {"start": "25:00", "end": "07:00"}},
                                                                     "quiet_hours"),
                       ({"watch_defaults": {"thread": "loud"}}, "watch_defaults"), ({"digest": "hourly"}, "digest")):
        response = client.put("/api/v1/me/notification-settings", json={**bad, "digest": "off"} if field != "digest"
                              else bad, headers=auth)
        assert response.status_code == 422 and field in response.get_json()["error"]["fields"], bad
    assert client.get("/api/v1/me/notification-settings", headers=auth).get_json() == saved   # nothing saved
    assert client.put("/api/v1/threads/%d/watch" % world.thread, json={"level": "loud"}, headers=auth).status_code == 422
    assert client.put("/api/v1/threads/%d/watch" % world.thread, json={"level": "muted"},
                      headers=auth).get_json() == {"level": "muted"}
    olly = _token(app, world.olly)
    assert client.put("/api/v1/threads/%d/watch" % world.secret, json={"level": "watching"},
                      headers=olly).status_code == 404   # a thread olly cannot read does not exist for him
    assert client.put("/api/v1/communities/lupus/watch", json={"level": "watching"}, headers=olly).status_code == 404
    assert client.put("/api/v1/communities/asthma/watch", json={"level": "watching"},
                      headers=olly).get_json() == {"level": "watching"}


def test_settings_page_saves_and_names_a_bad_time(app, world):
    client = client_for(app, world.ana)
    page = client.get("/settings/notifications")
    assert page.status_code == 200 and "Quiet hours" in text(page)
    form = {"digest": "daily", "quiet_start": "9pm", "quiet_end": "07:00", "discreet_email": "y",
            "watch_community": "normal", "watch_thread": "watching", "auto_watch": "y",
            **{f"email_{k}": "away" for k in ("reply", "mention", "quote", "moderation", "appeal")},
            **{f"email_{k}": "off" for k in ("posted", "new_thread", "reaction")}}
    bad = client.post("/settings/notifications", data=form)
    assert bad.status_code == 422 and "HH:MM" in text(bad)
    with app.app_context():
        assert db.session.get(NotificationSettings, world.ana.id) is None
    form["quiet_start"] = "21:00"
    assert client.post("/settings/notifications", data=form).status_code == 302
    with app.app_context():
        assert notifications.settings_of(world.ana.id)["quiet_hours"] == {"start": "21:00", "end": "07:00"}


def test_onboarding_reply_email_choice_lands_in_the_notification_settings(app, world):
    client = client_for(app, world.ana)
    # the box left unticked (a browser sends the form's hidden fields, and no value for the box)
    assert client.post("/welcome/notifications", data={"idempotency_key": "k" * 24}).status_code == 302
    with app.app_context():
        email = notifications.settings_of(world.ana.id)["email"]
        assert (email["reply"], email["mention"], email["quote"], email["moderation"]) == ("off", "off", "off", "away")
        assert db.session.get(User, world.ana.id).onboarded_at is not None


def test_moderators_hear_of_flags_and_of_queue_items_batched(app, world):
    from community.forums.models import Community
    from community.moderation import flags
    from tests.helpers import add_moderator

    with app.app_context():
        mod = person("mo", totp=True)
        add_moderator(db.session.get(User, mod.id), db.session.get(Community, world.public))
        post_id = reply_as(world.ben, world.thread, "A reply someone dislikes.")
        flags.flag_post(viewer_for(db.session.get(User, world.cy.id)), post_id, "spam")
        (flag,) = notes(mod.id, "flag")
        assert flag.post_id == post_id
        # two held posts from a new member: one queue notification, its count kept current
        newbie = person("newbie", approved_posts=0)
        add_member(newbie, db.session.get(Community, world.public))
        reply_as(newbie, world.thread, "My first post.")
        reply_as(newbie, world.thread, "My second post.")
        (queue,) = notes(mod.id, "queue")
        assert queue.count == 2 and queue.read_at is None
        items, _ = notifications.list_for(viewer_for(db.session.get(User, mod.id)))
        assert "2 open items in the review queue" in [notifications.describe(i) for i in items]
