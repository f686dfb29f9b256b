"""Issue 12's findings that are not about accounts or the filters' running time: an edit shown
before it is judged, sanctions that stopped posts but not edits or flags, write-only tokens that
read, CSV formulas, 500s on bad input, small leaks, and retention. Each test failed before its fix.

Runs on SQLite and PostgreSQL (the `app` fixture is parametrized); HTTP requests are made with no
app context pushed (see tests/forum_helpers.py).
"""
from datetime import timedelta
from io import BytesIO
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from community.accounts.models import OutgoingMail, User, UserSession
from community.extensions import db
from community.forums.models import Post, PostRevision, Thread
from community.forums.visibility import viewer_for
from community.models_base import utcnow
from community.moderation import appeals, log, pipeline, rules
from community.moderation import services as moderation
from community.moderation.models import Flag, ReviewItem, Rule, Sanction
from community.retention import apply_retention, network_of
from tests.forum_helpers import broker_down, client_for, person, reply_as, text
from community.views_util import safe_path
from tests.helpers import PASSWORD, add_member, add_moderator, create_community, start_thread

OLD = "Morning walks help me more than anything."
NEW = "Evening swims help me more than anything now."


@pytest.fixture
def world(app):
    with app.app_context():
        community = create_community("asthma")
        people = SimpleNamespace(author=person("author"), member=person("member"), outsider=person("outsider"),
                                 mod=person("moddy", totp=True), mod2=person("mia", totp=True))
        for who in (people.author, people.member, people.mod, people.mod2):
            add_member(who, community)
        add_moderator(db.session.get(User, people.mod.id), community)
        add_moderator(db.session.get(User, people.mod2.id), community)
        thread, _ = start_thread(people.member, community, "Exercise", "What helps you breathe?")
        post_id = reply_as(people.author, thread.id, OLD)
        assert db.session.get(Post, post_id).state == "published"
        return SimpleNamespace(community_id=community.id, thread_id=thread.id, post_id=post_id, people=people)


def api_token(app, who, scopes=("read", "write")):
    response = app.test_client().post("/api/v1/tokens", json={"username": who.username, "password": PASSWORD,
                                                              "scopes": list(scopes)})
    assert response.status_code == 201, response.json
    return {"Authorization": f"Bearer {response.json['token']}"}


def viewer(who):
    return viewer_for(db.session.get(User, who.id))


# ---------------------------------------------------------------- 4. edits shown before judged

def test_others_see_the_judged_version_until_an_edit_is_judged(app, world, monkeypatch):
    broker_down(monkeypatch)   # the worker's run does not happen until the test makes it
    author = client_for(app, world.people.author)
    response = author.post(f"/p/{world.post_id}/edit", data={"body": NEW})
    assert response.status_code == 302
    with app.app_context():
        post = db.session.get(Post, world.post_id)
        assert post.body == NEW and post.moderation_status == "pending" and post.public_body == OLD

    visitor, member = app.test_client(), client_for(app, world.people.member)
    wrong = []
    for who, client in (("visitor", visitor), ("member", member)):
        for url in (f"/t/{world.thread_id}", f"/p/{world.post_id}/history"):
            page = text(client.get(url))
            if NEW in page or OLD not in page:
                wrong.append(f"{who} on {url}: new text shown={NEW in page}")
    api = visitor.get(f"/api/v1/posts/{world.post_id}").json
    if api["body"] != OLD or NEW in api["body_html"]:
        wrong.append("the API showed the unjudged edit to a visitor")
    members_api = member.get(f"/api/v1/posts/{world.post_id}", headers=api_token(app, world.people.member)).json
    if members_api["body"] != OLD:
        wrong.append("the API showed the unjudged edit to a member")
    mine = text(author.get(f"/t/{world.thread_id}"))
    if NEW not in mine or "Others see the earlier version until it is checked" not in mine:
        wrong.append("the author does not see their edit, or is not told others don't yet")
    if NEW not in text(client_for(app, world.people.mod).get(f"/t/{world.thread_id}")):
        wrong.append("the moderator does not see the edit")
    assert not wrong, "\n".join(wrong)

    with app.app_context():
        pipeline.moderate_post(world.post_id)
        assert db.session.get(Post, world.post_id).public_body is None
    assert NEW in text(member.get(f"/t/{world.thread_id}"))
    assert visitor.get(f"/api/v1/posts/{world.post_id}").json["body"] == NEW


def test_the_api_runs_the_composers_identifier_check_on_edits_and_new_posts(app, world):
    headers = api_token(app, world.people.author)
    client = app.test_client()
    phone = "Ring me on 07700 900123 after six."
    refused = client.patch(f"/api/v1/posts/{world.post_id}", json={"body": phone}, headers=headers)
    assert refused.status_code == 422 and "a phone number" in refused.json["error"]["fields"]["body"]
    refused = client.post(f"/api/v1/threads/{world.thread_id}/posts", json={"body": phone}, headers=headers)
    assert refused.status_code == 422 and "a phone number" in refused.json["error"]["fields"]["body"]
    refused = client.post("/api/v1/communities/asthma/threads", json={"title": "Hi", "body": phone}, headers=headers)
    assert refused.status_code == 422
    with app.app_context():
        assert db.session.get(Post, world.post_id).body == OLD
        assert db.session.scalar(sa.select(sa.func.count(Post.id)).where(Post.body.contains("07700"))) == 0
    removed = client.patch(f"/api/v1/posts/{world.post_id}", json={"body": phone, "identifiers": "remove"},
                           headers=headers)
    assert removed.status_code == 200 and "07700" not in removed.json["body"] and "[removed]" in removed.json["body"]
    bad = client.patch(f"/api/v1/posts/{world.post_id}", json={"body": phone, "identifiers": "keep"}, headers=headers)
    assert bad.status_code == 422 and "identifiers" in bad.json["error"]["fields"]


# ---------------------------------------------------------------- 8. sanctions stop edits and flags

def test_a_silenced_member_cannot_edit_or_flag(app, world):
    with app.app_context():
        thread = db.session.get(Thread, world.thread_id)
        other_post = reply_as(world.people.member, thread.id, "Swimming helps me.")
        db.session.add(Sanction(user_id=world.people.author.id, community_id=world.community_id, kind="silence",
                                created_by=world.people.mod.id, rule="Rule 1", ends_at=utcnow() + timedelta(days=1)))
        db.session.commit()
    page = client_for(app, world.people.author)
    edit = page.post(f"/p/{world.post_id}/edit", data={"body": NEW})
    assert edit.status_code == 403 and "silenced here" in text(edit)
    flag = page.post(f"/p/{other_post}/flag", data={"reason": "spam"})
    assert flag.status_code == 403 and "flag" in text(flag)
    headers = api_token(app, world.people.author)
    api = app.test_client()
    edit = api.patch(f"/api/v1/posts/{world.post_id}", json={"body": NEW}, headers=headers)
    assert edit.status_code == 403 and "silenced" in edit.json["error"]["message"]
    flag = api.post(f"/api/v1/posts/{other_post}/flags", json={"reason": "spam"}, headers=headers)
    assert flag.status_code == 403
    with app.app_context():
        assert db.session.get(Post, world.post_id).body == OLD
        assert db.session.scalar(sa.select(sa.func.count(Flag.id))) == 0
        assert db.session.scalar(sa.select(sa.func.count(PostRevision.id))) == 0


# ---------------------------------------------------------------- 9. write-only tokens

def test_a_write_only_token_cannot_read(app, world):
    with app.app_context():
        db.session.execute(sa.update(Thread).where(Thread.id == world.thread_id).values(members_only=True))
        db.session.commit()
    client = app.test_client()
    write_only = api_token(app, world.people.member, scopes=("write",))
    for url in (f"/api/v1/threads/{world.thread_id}", f"/api/v1/posts/{world.post_id}", "/api/v1/me",
                "/api/v1/communities"):
        response = client.get(url, headers=write_only)
        assert response.status_code == 403 and response.json["error"]["code"] == "insufficient_scope", url
    reader = api_token(app, world.people.member, scopes=("read",))
    assert client.get(f"/api/v1/threads/{world.thread_id}", headers=reader).status_code == 200
    # Writing still works with it, and answers with what was written.
    wrote = client.post(f"/api/v1/threads/{world.thread_id}/posts", json={"body": "Me too."}, headers=write_only)
    assert wrote.status_code == 201


# ---------------------------------------------------------------- 11. CSV formulas

def test_rule_export_escapes_formulas_and_import_reads_them_back_as_text(app, world):
    with app.app_context():
        for pattern in ("=HYPERLINK(\"http://evil.example\")", "+cure", "-ish", "@home", "plain"):
            rules.create(viewer(world.people.mod), world.community_id,
                         {"match_type": "phrase", "pattern": pattern, "action": "flag"})
    mod = client_for(app, world.people.mod)
    exported = mod.get(f"/moderation/rules/export.csv?community={world.community_id}").get_data(as_text=True)
    cells = [line.split(",", 2)[1] for line in exported.splitlines()[1:]]
    assert all(not cell.lstrip('"').startswith(("=", "+", "-", "@")) for cell in cells), cells
    assert "'+cure" in exported and "plain" in exported
    with app.app_context():
        db.session.execute(sa.delete(Rule))
        db.session.commit()
    response = mod.post("/moderation/rules/import", content_type="multipart/form-data", data={
        "community": world.community_id, "file": (BytesIO(exported.encode()), "rules.csv")})
    assert response.status_code == 302
    with app.app_context():
        assert sorted(db.session.scalars(sa.select(Rule.pattern))) == sorted(
            ["=HYPERLINK(\"http://evil.example\")", "+cure", "-ish", "@home", "plain"])
    nul = mod.post("/moderation/rules/import", content_type="multipart/form-data", data={
        "community": world.community_id, "file": (BytesIO(b"match_type,pattern,action\nword,a\x00b,flag\n"), "r.csv")})
    assert nul.status_code == 422 and "NUL" in text(nul)


# ---------------------------------------------------------------- 12. 500s on bad input

@pytest.mark.parametrize("bad", ["\ud800", "a\x00b"])
def test_unstorable_text_is_refused_with_a_field_error_and_nothing_written(app, world, bad):
    headers = api_token(app, world.people.author)
    client = app.test_client()
    before = _counts(app)
    for method, url, body in (
        ("post", f"/api/v1/threads/{world.thread_id}/posts", {"body": f"Hello {bad} there"}),
        ("patch", f"/api/v1/posts/{world.post_id}", {"body": f"Hello {bad}"}),
        ("post", "/api/v1/communities/asthma/threads", {"title": f"T{bad}", "body": "Fine"}),
        ("post", "/api/v1/users", {"username": f"x{bad}", "email": "x@example.org", "password": "a long password 1"}),
    ):
        response = getattr(client, method)(url, json=body, headers=headers)
        assert response.status_code == 422, (url, response.status_code)
        assert response.json["error"]["fields"], url
    if bad == "a\x00b":   # a form or a URL carries UTF-8, which has no surrogates; a NUL it can carry
        page = client_for(app, world.people.author)
        response = page.post(f"/t/{world.thread_id}/reply", data={"body": f"Hello {bad}"})
        assert response.status_code == 422 and "cannot store" in text(response)
        assert client.get("/search", query_string={"q": f"walks{bad}"}).status_code == 200   # read, not stored
    assert _counts(app) == before


def _counts(app):
    with app.app_context():
        return [db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in (Post, Thread, User, PostRevision)]


def test_a_bad_next_on_closing_a_review_is_ignored_before_anything_is_saved(app, world):
    targets = ("/moderation\r\nSet-Cookie: x=1", "/moderation/\\evil.example", "//evil.example", "/moderation\x00")
    with app.app_context():
        items = []
        for n, _ in enumerate(targets):
            post_id = reply_as(world.people.author, world.thread_id, f"Reply number {n} about walks.")
            item = ReviewItem(post_id=post_id, community_id=world.community_id, kind="phi", text_hash="x",
                              reasons=["a phone number"])
            db.session.add(item)
            db.session.commit()
            items.append(item.id)
    mod = client_for(app, world.people.mod)
    for item_id, target in zip(items, targets, strict=True):
        response = mod.post(f"/moderation/items/{item_id}/close", data={"next": target})
        if "\x00" in target:   # refused before the view runs, so the item stays open
            assert response.status_code == 422
            continue
        assert response.status_code == 302 and response.headers["Location"] == "/moderation", target
        with app.app_context():
            assert db.session.get(ReviewItem, item_id).status != "open"
    with app.app_context():
        assert db.session.get(ReviewItem, items[-1]).status == "open"
    fine = mod.post(f"/moderation/items/{items[-1]}/close", data={"next": "/moderation?kind=phi"})
    assert fine.headers["Location"] == "/moderation?kind=phi"
    # After login too: "/\\host" is another host to a browser.
    assert safe_path("/\\evil.example") is None and safe_path("/ok\r\n") is None and safe_path("/ok") == "/ok"


# ---------------------------------------------------------------- 13. small leaks

def test_a_merged_members_only_thread_answers_visitors_like_an_unknown_id(app, world):
    with app.app_context():
        community = create_community("lupus", visibility="members")
        add_member(world.people.author, community)
        add_moderator(db.session.get(User, world.people.mod.id), community)
        target, _ = start_thread(world.people.author, community, "Target", "Kept here.")
        duplicate, _ = start_thread(world.people.author, community, "Duplicate", "Merged away.")
        target_id, duplicate_id = target.id, duplicate.id
        unknown = (db.session.scalar(sa.select(sa.func.max(Thread.id))) or 0) + 100
    mod = client_for(app, world.people.mod)
    merged = mod.post(f"/moderation/threads/{duplicate_id}/merge", data={"target": target_id, "reason": "Same topic"})
    assert merged.status_code in (302, 303)
    with app.app_context():
        assert db.session.get(Thread, duplicate_id).merged_into_id == target_id
    visitor = app.test_client()
    assert visitor.get(f"/t/{duplicate_id}").status_code == visitor.get(f"/t/{unknown}").status_code == 404
    outsider = client_for(app, world.people.outsider)
    assert outsider.get(f"/t/{duplicate_id}").status_code == 404
    assert mod.get(f"/t/{duplicate_id}").status_code == 301


def test_the_moderator_who_acted_does_not_see_the_appeal_in_the_staff_log(app, world):
    with app.app_context():
        moderation.moderate_post_directly(viewer(world.people.mod), world.post_id, "hide", "Off topic")
        appeal = appeals.create(viewer(world.people.author), "rejection", world.post_id, "It was on topic.")
        appeals.decide(viewer(world.people.mod2), appeal.id, "overturned", "Mistaken: it was on topic")
        acted = [row.StaffAction.action for row in log.entries(viewer(world.people.mod))]
        decider = [row.StaffAction.action for row in log.entries(viewer(world.people.mod2))]
    assert "post.hide" in acted and not [a for a in acted if a.startswith("appeal.")]
    assert {"appeal.create", "appeal.overturned"} <= set(decider)
    page = text(client_for(app, world.people.mod).get("/moderation/log"))
    assert "Mistaken: it was on topic" not in page and "Off topic" in page


def test_member_pages_are_for_signed_in_members_unless_made_public(app, world):
    with app.app_context():
        unknown = (db.session.scalar(sa.select(sa.func.max(User.id))) or 0) + 100
    visitor = app.test_client()
    private, missing = visitor.get(f"/u/{world.people.author.id}"), visitor.get(f"/u/{unknown}")
    assert private.status_code == missing.status_code == 302
    assert private.headers["Location"].split("?")[0] == missing.headers["Location"].split("?")[0]
    assert "/login" in private.headers["Location"]
    member = client_for(app, world.people.member)
    assert member.get(f"/u/{world.people.author.id}").status_code == 200
    assert member.get(f"/u/{unknown}").status_code == 404
    author = client_for(app, world.people.author)
    settings = text(author.get("/settings"))
    assert "Let people who are not signed in see my profile page" in settings
    saved = author.post("/settings/preferences", data={"bio": "Hello", "hide_memberships": "y", "profile_public": "y"})
    assert saved.status_code == 302
    shown = visitor.get(f"/u/{world.people.author.id}")
    assert shown.status_code == 200 and world.people.author.username in text(shown)


def test_every_sign_up_path_leaves_memberships_and_the_profile_private(app):
    client = app.test_client()
    response = client.post("/api/v1/users", json={"username": "apiuser", "email": "apiuser@example.org",
                                                  "password": "correct horse battery staple", "birth_year": 1980,
                                                  "accept_guidelines": True, "health_data_consent": True})
    assert response.status_code in (201, 202), response.json
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == "apiuser"))
        assert user.hide_memberships is True and user.profile_public is False


# ---------------------------------------------------------------- 14. retention

def test_retention_drops_old_mail_bodies_and_thins_old_sessions(app, world):
    now = utcnow()
    with app.app_context():
        db.session.add_all([
            OutgoingMail(to="a@example.org", subject="Old", body="old body", created_at=now - timedelta(days=9),
                         sent_at=now - timedelta(days=8)),
            OutgoingMail(to="b@example.org", subject="New", body="new body", sent_at=now - timedelta(days=6)),
            OutgoingMail(to="c@example.org", subject="Unsent", body="unsent body", created_at=now - timedelta(days=9)),
            UserSession(user_id=world.people.author.id, token_hash="a" * 64, ip="203.0.113.7",
                        user_agent="Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0",
                        created_at=now - timedelta(days=31)),
            UserSession(user_id=world.people.author.id, token_hash="b" * 64, ip="2001:db8:1:2::5",
                        created_at=now - timedelta(days=40)),
            UserSession(user_id=world.people.author.id, token_hash="c" * 64, ip="198.51.100.9",
                        user_agent="curl/8", created_at=now - timedelta(days=29)),
        ])
        db.session.commit()
        assert apply_retention(now) == {"mail_bodies": 1, "sessions": 2}
        bodies = dict(db.session.execute(sa.select(OutgoingMail.subject, OutgoingMail.body)).all())
        assert bodies["Old"] == "" and bodies["New"] == "new body" and bodies["Unsent"] == "unsent body"
        sessions = {s.token_hash[0]: s for s in db.session.scalars(sa.select(UserSession).where(
            UserSession.token_hash.in_(["a" * 64, "b" * 64, "c" * 64])))}
        assert (sessions["a"].ip, sessions["a"].user_agent, sessions["a"].device) == (
            "203.0.113.0/24", "", "Firefox on Linux")
        assert sessions["b"].ip == "2001:db8:1::/48"
        assert (sessions["c"].ip, sessions["c"].user_agent) == ("198.51.100.9", "curl/8")
        assert apply_retention(now) is None   # nothing left to do: the pass is idempotent


def test_network_of():
    assert network_of("10.1.2.3") == "10.1.2.0/24"
    assert network_of("2001:db8:abcd:12::1") == "2001:db8:abcd::/48"
    assert network_of("not an ip") == ""


def test_retention_runs_on_beats_schedule(app):
    schedule = app.extensions["celery"].conf.beat_schedule
    assert schedule["apply-retention"]["task"] == "periodic.apply_retention"
    assert "periodic.apply_retention" in app.extensions["celery"].tasks
