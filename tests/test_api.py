"""JSON API v1: tokens, the same rules as the pages, error envelopes, and a fuzz run from the OpenAPI document."""
from datetime import timedelta

import pyotp
import sqlalchemy as sa
from hypothesis import HealthCheck, settings

import schemathesis

from community.accounts.models import ApiToken, User
from community.extensions import db
from community.forums.models import Post
from community.models_base import utcnow
from tests.conftest import count
from tests.helpers import PASSWORD, create_community, create_user, login, start_thread

POST_KEYS = {"id", "thread_id", "author", "body", "body_html", "created_at", "edited_at", "state", "moderation",
             "notices", "url"}


def token(client, username, password=PASSWORD, **extra):
    response = client.post("/api/v1/tokens", json={"username": username, "password": password, **extra})
    assert response.status_code == 201, response.json
    return {"Authorization": f"Bearer {response.json['token']}"}


def assert_error(response, status, code=None, field=None):
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.json["error"]
    assert set(body) == {"code", "message", "fields"} and body["message"]
    if code:
        assert body["code"] == code
    if field:
        assert field in body["fields"], body


def test_token_lifecycle(client, ctx):
    create_user("alex")
    assert_error(client.post("/api/v1/tokens", json={"username": "alex", "password": "wrong-wrong-wrong"}), 401,
                 "unauthorized")
    assert_error(client.post("/api/v1/tokens", json={"username": "alex"}), 422, "validation_failed", "password")
    assert_error(client.post("/api/v1/tokens", json={"username": "alex", "password": PASSWORD, "scopes": ["admin"]}),
                 422, field="scopes")
    headers = token(client, "alex")
    row = db.session.scalar(sa.select(ApiToken))
    assert row.token_hash != headers["Authorization"][7:]  # stored hashed
    assert row.expires_at - row.created_at == timedelta(days=90)
    me = client.get("/api/v1/me", headers=headers)
    assert me.status_code == 200 and me.json["username"] == "alex"
    assert me.headers["Cache-Control"] == "no-store"
    assert_error(client.get("/api/v1/me"), 401, "token_required")
    assert_error(client.get("/api/v1/me", headers={"Authorization": "Bearer nope"}), 401, "invalid_token")
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert_error(client.get("/api/v1/me", headers=headers), 401, "invalid_token")


def test_two_factor_accounts_need_the_code(client, ctx):
    user = create_user("alex", totp=True)
    assert_error(client.post("/api/v1/tokens", json={"username": "alex", "password": PASSWORD}), 401, "totp_required",
                 "totp_code")
    assert_error(client.post("/api/v1/tokens", json={"username": "alex", "password": PASSWORD, "totp_code": "000000"}),
                 401, field="totp_code")
    token(client, "alex", totp_code=pyotp.TOTP(user.totp_secret).now())


def test_read_scope_cannot_write_and_cookies_do_not_authenticate(client, ctx):
    alex = create_user("alex")
    community = create_community("asthma")
    start_thread(alex, community)
    read_only = token(client, "alex", scopes=["read"])
    assert client.get("/api/v1/me", headers=read_only).status_code == 200
    assert_error(client.post("/api/v1/communities/asthma/threads", json={"title": "t", "body": "b"},
                             headers=read_only), 403, "insufficient_scope")
    login(client, "alex")  # a browser session is not an API credential (no CSRF to lean on)
    assert_error(client.put("/api/v1/communities/asthma/membership"), 401, "token_required")


def test_password_reset_or_change_revokes_tokens(client, ctx):
    from community.accounts import services

    alex = create_user("alex")
    headers = token(client, "alex")
    services.change_password(alex.id, PASSWORD, "fresh-meadow-copper-kettle", None)
    assert_error(client.get("/api/v1/me", headers=headers), 401, "invalid_token")


def test_sign_up_through_the_api_uses_the_same_rules(client, ctx, mailbox):
    bad = client.post("/api/v1/users", json={"username": "ab", "email": "x@example.org", "password": "short",
                                             "birth_year": 2020, "accept_guidelines": False,
                                             "health_data_consent": True})
    assert_error(bad, 422, "validation_failed")
    assert {"username", "password", "birth_year", "accept_guidelines"} <= set(bad.json["error"]["fields"])
    assert "3 to 32" in bad.json["error"]["fields"]["username"]
    assert count(User) == 0
    ok = client.post("/api/v1/users", json={"username": "river", "email": "River@example.org",
                                            "password": "paper-kite-river-stone", "birth_year": 1990,
                                            "accept_guidelines": True, "health_data_consent": True})
    assert ok.status_code == 202 and "e-mail" in ok.json["message"]
    assert db.session.scalar(sa.select(User.email_verified_at).where(User.username == "river")) is None
    assert mailbox.to("river@example.org")
    # Unverified: can read, cannot post.
    create_community("asthma")
    headers = token(client, "river", "paper-kite-river-stone")
    assert client.put("/api/v1/communities/asthma/membership", headers=headers).json == {"community": "asthma",
                                                                                            "member": True}
    assert_error(client.post("/api/v1/communities/asthma/threads", json={"title": "Hi", "body": "Hello"},
                             headers=headers), 403, "forbidden")


def test_threads_posts_reactions_and_post_shape(client, ctx):
    create_user("alex")
    create_user("sam")
    create_community("asthma")
    alex, sam = token(client, "alex"), token(client, "sam")
    assert client.put("/api/v1/communities/asthma/membership", headers=alex).status_code == 200
    assert_error(client.post("/api/v1/communities/asthma/threads", json={"title": "Hi", "body": "x"}, headers=sam),
                 403, "forbidden")  # not a member
    created = client.post("/api/v1/communities/asthma/threads", headers=alex,
                          json={"title": "Spacers", "body": "Does a **spacer** help?"})
    assert created.status_code == 201
    thread = created.json
    first = thread["posts"]["items"][0]
    assert POST_KEYS <= set(first) and first["state"] == "published"
    assert first["body_html"].strip() == "<p>Does a <strong>spacer</strong> help?</p>"
    assert first["moderation"] == {"status": "done", "labels": []}
    assert first["url"].endswith(f"/t/{thread['id']}#p{first['id']}")
    assert thread["url"].endswith(f"/t/{thread['id']}")

    client.put("/api/v1/communities/asthma/membership", headers=sam)
    reply = client.post(f"/api/v1/threads/{thread['id']}/posts", json={"body": "Yes, a lot."}, headers=sam)
    assert reply.status_code == 201 and reply.json["number"] == 2
    assert_error(client.patch(f"/api/v1/posts/{reply.json['id']}", json={"body": "mine now"}, headers=alex), 403)
    edited = client.patch(f"/api/v1/posts/{reply.json['id']}", json={"body": "Yes, it helps a lot."}, headers=sam)
    assert edited.status_code == 200 and edited.json["edited_at"] and "helps a lot" in edited.json["body"]
    hug = client.put(f"/api/v1/posts/{first['id']}/reactions/hug", headers=sam)
    assert hug.status_code == 200 and hug.json["reactions"] == {"hug": 1}
    assert client.put(f"/api/v1/posts/{first['id']}/reactions/hug", headers=sam).json["reactions"] == {"hug": 1}
    assert client.delete(f"/api/v1/posts/{first['id']}/reactions/hug", headers=sam).json["reactions"] == {}
    assert_error(client.put(f"/api/v1/posts/{first['id']}/reactions/meh", headers=sam), 422, field="kind")
    assert client.delete(f"/api/v1/posts/{reply.json['id']}", headers=sam).status_code == 204
    gone = client.get(f"/api/v1/posts/{reply.json['id']}")
    assert gone.json["state"] == "deleted" and gone.json["body"] == ""
    listed = client.get("/api/v1/communities/asthma/threads").json
    assert [t["title"] for t in listed["items"]] == ["Spacers"] and listed["next_cursor"] is None


def test_labels_are_shown_to_the_author_and_moderators_only(client, ctx):
    alex = create_user("alex")
    create_user("sam")
    mod = create_user("mod", totp=True)
    community = create_community("asthma")
    from tests.helpers import add_moderator

    add_moderator(mod, community)
    _, post = start_thread(alex, community)
    db.session.get(Post, post.id).labels = ["consult_reminder"]
    db.session.commit()
    path = f"/api/v1/posts/{post.id}"
    assert client.get(path).json["moderation"]["labels"] == []
    assert client.get(path, headers=token(client, "sam")).json["moderation"]["labels"] == []
    assert client.get(path, headers=token(client, "alex")).json["moderation"]["labels"] == ["consult_reminder"]
    headers = token(client, "mod", totp_code=pyotp.TOTP(mod.totp_secret).now())
    assert client.get(path, headers=headers).json["moderation"]["labels"] == ["consult_reminder"]


def test_cursor_pagination_of_posts(client, ctx):
    alex = create_user("alex")
    community = create_community("asthma")
    thread, _ = start_thread(alex, community)
    from community.forums import services

    for n in range(24):
        services.reply(alex.id, thread.id, f"reply {n}")
    first = client.get(f"/api/v1/threads/{thread.id}").json["posts"]
    assert len(first["items"]) == 20 and first["next_cursor"] == "20"
    rest = client.get(f"/api/v1/threads/{thread.id}/posts", query_string={"cursor": first["next_cursor"]}).json
    assert [p["number"] for p in rest["items"]] == list(range(21, 26)) and rest["next_cursor"] is None
    assert_error(client.get(f"/api/v1/threads/{thread.id}/posts", query_string={"cursor": "x"}), 422, field="cursor")


def test_members_only_community_content_stays_with_members(client, ctx):
    alex = create_user("alex")
    create_user("sam")
    private = create_community("hiv", visibility="members")
    thread, _ = start_thread(alex, private, "Disclosure", "Telling family about my diagnosis")
    sam = token(client, "sam")
    assert_error(client.get("/api/v1/communities/hiv"), 404, "not_found")  # visitors: not even its name
    assert "hiv" not in [c["slug"] for c in client.get("/api/v1/communities").json["items"]]
    about = client.get("/api/v1/communities/hiv", headers=sam)  # signed in: findable and joinable
    assert about.status_code == 200 and about.json["is_member"] is False
    assert "hiv" in [c["slug"] for c in client.get("/api/v1/communities", headers=sam).json["items"]]
    assert_error(client.get("/api/v1/communities/hiv/threads", headers=sam), 403, "forbidden")
    assert_error(client.get(f"/api/v1/threads/{thread.id}", headers=sam), 404)
    assert client.get("/api/v1/search", query_string={"q": "diagnosis"}, headers=sam).json["items"] == []
    found = client.get("/api/v1/search", query_string={"q": "diagnosis"}, headers=token(client, "alex")).json
    assert found["items"][0]["thread_title"] == "Disclosure" and "<mark>" in found["items"][0]["snippet_html"]
    assert client.put("/api/v1/communities/hiv/membership", headers=sam).status_code == 200
    assert client.get(f"/api/v1/threads/{thread.id}", headers=sam).status_code == 200


def test_bad_requests_get_the_error_envelope(client, ctx):
    create_user("alex")
    create_community("asthma")
    headers = token(client, "alex")
    client.put("/api/v1/communities/asthma/membership", headers=headers)
    assert_error(client.get("/api/v1/threads/999"), 404, "not_found")
    assert_error(client.get("/api/v1/nothing-here"), 404, "not_found")
    assert_error(client.post("/api/v1/communities/asthma/threads", data="{not json", headers=dict(
        headers, **{"Content-Type": "application/json"})), 400)
    as_form = client.post("/api/v1/communities/asthma/threads", data={"title": "t", "body": "b"}, headers=headers)
    assert_error(as_form, 415, "unsupported_media_type")
    assert "Content-Type: application/json" in as_form.json["error"]["message"]
    too_long = client.post("/api/v1/communities/asthma/threads", json={"title": "x" * 201, "body": "b"},
                           headers=headers)
    assert_error(too_long, 422, "validation_failed", "title")
    assert_error(client.post("/api/v1/communities/asthma/threads", json={"title": "t", "body": "b" * 50_001},
                             headers=headers), 422, field="body")
    huge = client.post("/api/v1/communities/asthma/threads", json={"title": "t", "body": "b" * 2_000_000},
                       headers=headers)
    assert_error(huge, 413, "too_large")
    assert count(Post) == 0


def test_rate_limits_apply_per_token(make_app):
    app = make_app(RATELIMIT_ENABLED=True, API_RATE_LIMIT="20/minute")
    client = app.test_client()
    with app.app_context():
        create_user("alex")
        create_user("sam")
        alex, sam = token(client, "alex"), token(client, "sam")
    statuses = [client.put("/api/v1/communities/none/membership", headers=alex).status_code for _ in range(21)]
    assert statuses[0] == 404 and statuses[-1] == 429
    assert_error(client.put("/api/v1/communities/none/membership", headers=alex), 429, "rate_limited")
    assert client.get("/api/v1/me", headers=sam).status_code == 200  # another token has its own budget


# ---------------------------------------------------------------- fuzzing from the OpenAPI document

def test_fuzz_every_endpoint_finds_no_server_error(make_app):
    """Generated requests (valid and not) against every operation in the generated document,
    with a real token on seeded data: never a 5xx, and every error in the envelope."""
    from hypothesis import given

    from community.forums.seed import seed_demo

    app = make_app()
    with app.app_context():
        seed_demo()
    auth = token(app.test_client(), "alex", "demo-commons-2026")
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 17
    failures = []
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
                  database=None)
        def run(case):
            headers = dict(case.headers or {})
            # run() is called within this same iteration, so reading the loop variable is safe.
            if operation.path not in ("/api/v1/tokens", "/api/v1/users"):  # noqa: B023
                headers.update(auth)
            response = case.call(headers=headers)
            if response.status_code >= 500 or (
                response.status_code >= 400 and set(response.json()["error"]) != {"code", "message", "fields"}
            ):
                failures.append(f"{case.method} {case.formatted_path} -> {response.status_code}: "
                                f"{response.text[:300]}")

        run()
    assert not failures, "\n".join(failures[:10])


def test_tokens_are_listed_and_revoked_from_the_sessions_page(client, ctx):
    create_user("alex")
    create_user("sam")
    headers = token(client, "alex", name="my tracker app")
    sam_headers = token(client, "sam")
    login(client, "alex")
    page = client.get("/settings/sessions")
    assert b"my tracker app" in page.data and b"read write" in page.data
    alex_row = db.session.scalar(sa.select(ApiToken).where(ApiToken.name == "my tracker app"))
    sam_row = db.session.scalar(sa.select(ApiToken).where(ApiToken.name == ""))
    client.post("/settings/sessions", data={"token_id": sam_row.id})  # not alex's to revoke
    assert client.get("/api/v1/me", headers=sam_headers).status_code == 200
    assert client.post("/settings/sessions", data={"token_id": alex_row.id}).status_code == 302
    assert_error(client.get("/api/v1/me", headers=headers), 401, "invalid_token")


def test_sessions_page_title_is_plain_text(client, ctx):
    create_user("alex")
    login(client, "alex")
    html = client.get("/settings/sessions").get_data(as_text=True)
    title = html[html.index("<title>") + 7:html.index("</title>")]
    assert title.strip() == "Your sessions · Patient Commons"
    assert html.count("API tokens</h2>") == 1
