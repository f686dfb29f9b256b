"""The composer and every form (issue 10, points 8, 9, 11, 21, 22), through the real pages and API on
SQLite and PostgreSQL: long text refused with a word instead of cut, a double tap posting once, a
refused reply shown at the form, 2FA codes that were already used, and block rules naming the word."""
import html
import re
import threading
from datetime import timedelta

import pyotp
import pytest
import sqlalchemy as sa

from community.accounts import services as accounts
from community.accounts.models import User
from community.errors import ValidationFailed
from community.extensions import db
from community.forums.models import Post, Reaction
from community.forums.visibility import viewer_for
from community.models_base import utcnow
from community.moderation import rules
from tests.forum_helpers import person, sign_in, text, textarea
from tests.helpers import PASSWORD, add_member, create_community, create_user, start_thread


@pytest.fixture
def world(app):
    with app.app_context():
        community = create_community("lupus")
        alex, mo = person("alex"), person("mo", totp=True)
        add_member(db.session.get(User, alex.id), community)
        thread, first = start_thread(db.session.get(User, alex.id), community, "Mornings", "How do you start?")
        return type("World", (), {"alex": alex, "mo": mo, "community": community.id, "slug": community.slug,
                                  "thread": thread.id, "first": first.id})


def signed_in(app, who):
    client = app.test_client()
    sign_in(client, who)
    return client


def nonce_in(page):
    found = re.findall(r'name="idempotency_key" value="([^"]+)"', text(page))
    assert found, "no idempotency nonce on the page"
    return found[-1]


def posts_by(user_id):
    with db.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(Post).where(Post.author_id == user_id)).scalar()


# ---------------------------------------------------------------- 9: a double tap posts once

def test_a_repeated_reply_returns_the_first_redirect_and_posts_once(app, world):
    client = signed_in(app, world.alex)
    key = nonce_in(client.get(f"/t/{world.thread}"))
    data = {"body": "Slowly, with tea.", "idempotency_key": key}
    with app.app_context():
        before = posts_by(world.alex.id)
        first = client.post(f"/t/{world.thread}/reply", data=data)
        second = client.post(f"/t/{world.thread}/reply", data=data)
        assert first.status_code == second.status_code == 302
        assert second.headers["Location"] == first.headers["Location"] and "#p" in first.headers["Location"]
        assert second.headers.get("Idempotent-Replayed") == "true"
        assert posts_by(world.alex.id) == before + 1
    # Without a key nothing changes: each post runs.
    assert client.post(f"/t/{world.thread}/reply", data={"body": "Slowly, with tea."}).status_code == 302
    with app.app_context():
        assert posts_by(world.alex.id) == before + 2


def test_a_repeated_edit_saves_one_revision_and_shows_its_message_again(app, world):
    from community.forums.models import PostRevision

    client = signed_in(app, world.alex)
    key = nonce_in(client.get(f"/p/{world.first}/edit"))
    data = {"body": "How do you start the day?", "idempotency_key": key}
    first = client.post(f"/p/{world.first}/edit", data=data)
    client.get(first.headers["Location"])  # the first answer's page shows (and uses up) its message
    second = client.post(f"/p/{world.first}/edit", data=data)
    assert second.headers["Idempotent-Replayed"] == "true" and second.headers["Location"] == first.headers["Location"]
    # The browser follows the replayed redirect: the message the first answer flashed is shown again.
    assert "Your changes are saved." in text(client.get(second.headers["Location"]))
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PostRevision)
                                 .where(PostRevision.post_id == world.first)) == 1


def test_every_post_form_on_a_page_carries_a_fresh_nonce(app, world):
    client = signed_in(app, world.alex)
    for url in (f"/t/{world.thread}", f"/c/{world.slug}/new", f"/p/{world.first}/edit", "/settings"):
        page = text(client.get(url))
        forms = re.findall(r'<form[^>]*method="post".*?</form>', page, re.S)
        assert forms, url
        nonces = [re.search(r'name="idempotency_key" value="([^"]+)"', form) for form in forms]
        assert all(nonces), f"a POST form without a nonce on {url}"
        assert len({m.group(1) for m in nonces}) == len(nonces)


def test_after_a_validation_error_the_form_still_sends_once(app, world):
    client = signed_in(app, world.alex)
    key = nonce_in(client.get(f"/t/{world.thread}"))
    refused = client.post(f"/t/{world.thread}/reply", data={"body": "  ", "idempotency_key": key})
    assert refused.status_code == 422
    again = nonce_in(refused)  # the page re-rendered after the error has its own nonce
    with app.app_context():
        before = posts_by(world.alex.id)
    for key_used in (key, key, again):
        # The refused key was let go: the corrected text sent with it posts, and only once.
        sent = client.post(f"/t/{world.thread}/reply", data={"body": "Now with words.", "idempotency_key": key_used})
        assert sent.status_code == 302
    with app.app_context():
        assert posts_by(world.alex.id) == before + 2


def test_one_pages_nonce_serves_each_of_its_actions_once(app, world):
    """The thread page's reaction buttons share one form and nonce: each action is its own request."""
    client = signed_in(app, world.mo)
    key = nonce_in(client.get(f"/t/{world.thread}"))
    for _ in range(2):
        for kind in ("hug", "helpful"):
            assert client.post(f"/p/{world.first}/react/{kind}", data={"on": "1", "idempotency_key": key}).status_code == 302
    # Unreact with the same nonce is a different request: it runs.
    client.post(f"/p/{world.first}/react/hug", data={"on": "0", "idempotency_key": key})
    with app.app_context():
        kinds = set(db.session.scalars(sa.select(Reaction.kind).where(Reaction.post_id == world.first)))
        assert kinds == {"helpful"}


def test_a_csrf_failure_leaves_the_nonce_usable(make_app, backend):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        community = create_community("lupus")
        alex = person("alex")
        add_member(db.session.get(User, alex.id), community)
        thread, _ = start_thread(db.session.get(User, alex.id), community)
        thread_id = thread.id
    client = app.test_client()
    login_page = text(client.get("/login"))
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    assert client.post("/login", data={"login": "alex", "password": PASSWORD, "csrf_token": csrf}).status_code == 302
    page = client.get(f"/t/{thread_id}")
    key = nonce_in(page)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', text(page)).group(1)
    data = {"body": "Sent after a stale page.", "idempotency_key": key}
    assert client.post(f"/t/{thread_id}/reply", data={**data, "csrf_token": "stale"}).status_code == 400
    with app.app_context():
        before = posts_by(alex.id)
    first = client.post(f"/t/{thread_id}/reply", data={**data, "csrf_token": csrf})
    second = client.post(f"/t/{thread_id}/reply", data={**data, "csrf_token": csrf})
    assert first.status_code == second.status_code == 302 and second.headers["Idempotent-Replayed"] == "true"
    with app.app_context():
        assert posts_by(alex.id) == before + 1


def test_two_requests_at_once_with_one_key_post_once(app, world):
    client = signed_in(app, world.alex)
    key = nonce_in(client.get(f"/t/{world.thread}"))
    cookie = client.get_cookie("session").value
    start, answers = threading.Barrier(2), []

    def send():
        other = app.test_client()
        other.set_cookie("session", cookie)
        start.wait()
        answers.append(other.post(f"/t/{world.thread}/reply", data={"body": "At once.", "idempotency_key": key}))

    with app.app_context():
        before = posts_by(world.alex.id)
    workers = [threading.Thread(target=send) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(20)
    assert [a.status_code for a in answers] == [302, 302]
    assert answers[0].headers["Location"] == answers[1].headers["Location"]
    with app.app_context():
        assert posts_by(world.alex.id) == before + 1


def test_claims_wait_replay_refuse_and_expire(app, world):
    from community import idempotency

    with app.app_context():
        uid = world.alex.id
        first = idempotency.claim(uid, "key-12345", "a" * 64, "POST /x")
        assert first.row_id
        # The same key while the first is running: waits, then gives up (409 for the caller).
        assert idempotency.claim(uid, "key-12345", "a" * 64, "POST /x", wait=0.2).problem == "busy"
        assert idempotency.claim(uid, "key-12345", "b" * 64, "POST /x", wait=0.2).problem == "mismatch"
        idempotency.finish(first.row_id, 302, "/t/1#p2", "[]")
        replay = idempotency.claim(uid, "key-12345", "a" * 64, "POST /x")
        assert replay.row.status == 302 and replay.row.location == "/t/1#p2"
        # Another member's identical key is theirs alone.
        assert idempotency.claim(world.mo.id, "key-12345", "a" * 64, "POST /x").row_id
        # Ten minutes on, the key is purged and runs again.
        later = utcnow() + timedelta(minutes=11)
        assert idempotency.claim(uid, "key-12345", "a" * 64, "POST /x", now=later).row_id
        assert db.session.scalar(sa.select(sa.func.count()).select_from(idempotency.IdempotencyKey)) == 1


def api_token(client, username, **extra):
    response = client.post("/api/v1/tokens", json={"username": username, "password": PASSWORD, **extra})
    assert response.status_code == 201, response.json
    return {"Authorization": f"Bearer {response.json['token']}"}


def test_the_api_replays_a_post_with_the_same_idempotency_key(app, world):
    client = app.test_client()
    headers = {**api_token(client, "alex"), "Idempotency-Key": "reply-0001-abcdef"}
    url = f"/api/v1/threads/{world.thread}/posts"
    with app.app_context():
        before = posts_by(world.alex.id)
    first = client.post(url, json={"body": "Once only."}, headers=headers)
    second = client.post(url, json={"body": "Once only."}, headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.json["id"] == first.json["id"] and second.headers["Idempotent-Replayed"] == "true"
    with app.app_context():
        assert posts_by(world.alex.id) == before + 1
    other = client.post(url, json={"body": "Something else."}, headers=headers)
    assert other.status_code == 422 and other.json["error"]["code"] == "idempotency_key_reused"
    bad = client.post(url, json={"body": "x"}, headers={**headers, "Idempotency-Key": "short"})
    assert bad.status_code == 400 and bad.json["error"]["code"] == "bad_idempotency_key"
    # An error answer is kept too (Stripe's rule): the same request gets the same 422.
    empty = {**headers, "Idempotency-Key": "reply-0002-abcdef"}
    assert client.post(url, json={"body": " "}, headers=empty).status_code == 422
    assert client.post(url, json={"body": " "}, headers=empty).headers["Idempotent-Replayed"] == "true"
    with app.app_context():
        assert posts_by(world.alex.id) == before + 1


def _refuse_answers(on):
    """A database that refuses to record an answer, as a connection dropped after the commit would."""
    if db.engine.dialect.name == "postgresql":
        statements = [
            "CREATE FUNCTION refuse_answer() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'answers refused (test)'; END $$",
            "CREATE TRIGGER refuse_answer BEFORE UPDATE ON idempotency_keys FOR EACH ROW "
            "WHEN (NEW.status >= 200) EXECUTE FUNCTION refuse_answer()"] if on else [
            "DROP TRIGGER refuse_answer ON idempotency_keys", "DROP FUNCTION refuse_answer()"]
    else:
        statements = ["CREATE TRIGGER refuse_answer BEFORE UPDATE OF status ON idempotency_keys "
                      "WHEN NEW.status >= 200 BEGIN SELECT RAISE(ABORT, 'answers refused (test)'); END"] if on else [
            "DROP TRIGGER refuse_answer"]
    for statement in statements:
        db.session.execute(sa.text(statement))
    db.session.commit()


def test_a_key_whose_work_was_committed_is_never_run_again_even_when_its_answer_was_lost(app, world):
    from community import idempotency

    app.config["IDEMPOTENCY_WAIT_SECONDS"] = 0.2
    client = app.test_client()
    headers = {**api_token(client, "alex"), "Idempotency-Key": "lost-answer-0001"}
    url = f"/api/v1/threads/{world.thread}/posts"
    with app.app_context():
        before = posts_by(world.alex.id)
        _refuse_answers(True)
    try:
        first = client.post(url, json={"body": "Saved, answer lost."}, headers=headers)
    finally:
        with app.app_context():
            _refuse_answers(False)
    # The work is committed, so the client still gets its 201 (issue 11: never a 500 after commit).
    assert first.status_code == 201
    with app.app_context():
        row = db.session.scalars(sa.select(idempotency.IdempotencyKey)).one()
        # DONE was written in the post's own transaction: nothing can now run it a second time.
        assert row.status == idempotency.DONE
    again = client.post(url, json={"body": "Saved, answer lost."}, headers=headers)
    assert again.status_code == 409 and again.json["error"]["code"] == "idempotency_key_in_use"
    with app.app_context():
        db.session.execute(sa.update(idempotency.IdempotencyKey).values(created_at=utcnow() - timedelta(seconds=40)))
        db.session.commit()
    late = client.post(url, json={"body": "Saved, answer lost."}, headers=headers)
    assert late.status_code == 409 and late.json["error"]["code"] == "idempotency_key_done"
    with app.app_context():
        assert posts_by(world.alex.id) == before + 1


def test_a_key_held_by_a_request_that_died_before_writing_is_freed_once_it_is_stale(app, world):
    from community import idempotency

    app.config["IDEMPOTENCY_WAIT_SECONDS"] = 0.2
    client = app.test_client()
    headers = {**api_token(client, "alex"), "Idempotency-Key": "dead-worker-0001", "Content-Type": "application/json"}
    url = f"/api/v1/threads/{world.thread}/posts"
    raw = '{"body": "The worker died before saving this."}'
    with app.app_context():
        before = posts_by(world.alex.id)
        # What a gunicorn worker killed mid-request leaves: its reservation, still running.
        db.session.add(idempotency.IdempotencyKey(
            user_id=world.alex.id, key="dead-worker-0001", request_hash=idempotency._digest("POST", url + "?", raw),
            method_path=f"POST {url}", status=None, created_at=utcnow() - timedelta(seconds=10)))
        db.session.commit()
    busy = client.post(url, data=raw, headers=headers)
    assert busy.status_code == 409 and busy.json["error"]["code"] == "idempotency_key_in_use"
    with app.app_context():
        db.session.execute(sa.update(idempotency.IdempotencyKey).values(created_at=utcnow() - timedelta(seconds=40)))
        db.session.commit()
    retried = client.post(url, data=raw, headers=headers)
    assert retried.status_code == 201, retried.json
    assert client.post(url, data=raw, headers=headers).json["id"] == retried.json["id"]
    with app.app_context():
        assert posts_by(world.alex.id) == before + 1


def test_the_openapi_document_describes_the_header(client):
    spec = client.get("/api/v1/openapi.json").json
    assert "Idempotency-Key" in spec["info"]["description"]
    posts = [op for item in spec["paths"].values() for method, op in item.items() if method == "post"]
    assert posts and all(any(p.get("name") == "Idempotency-Key" and p["in"] == "header"
                             for p in op.get("parameters", [])) for op in posts)


# ---------------------------------------------------------------- 8: long text refused with a word, not cut

def test_composers_have_no_maxlength_but_a_counted_limit(app, world):
    client = signed_in(app, world.alex)
    for url in (f"/c/{world.slug}/new", f"/t/{world.thread}", f"/p/{world.first}/edit"):
        page = text(client.get(url))
        body = re.search(r'<textarea[^>]*name="body"[^>]*>', page).group(0)
        assert "maxlength" not in body.replace("data-maxlength", "") and 'data-maxlength="50000"' in body, url
        assert 'data-count-for="body"' in page and "composer.js" in page
    title = re.search(r'<input[^>]*name="title"[^>]*>', text(client.get(f"/c/{world.slug}/new"))).group(0)
    assert "maxlength" not in title.replace("data-maxlength", "") and 'data-maxlength="200"' in title


def test_over_long_text_is_refused_and_kept_in_the_form(app, world):
    client = signed_in(app, world.alex)
    title, body = "T" * 250, "word " * 12_000
    page = client.post(f"/c/{world.slug}/new", data={"title": title, "body": body})
    assert page.status_code == 422
    assert "at most 200 characters" in text(page) and f'value="{title}"' in text(page)
    reply = client.post(f"/t/{world.thread}/reply", data={"body": body})
    assert reply.status_code == 422 and "at most 50,000 characters (this one has 60,000)" in text(reply)
    assert html.unescape(textarea(text(reply))).strip() == body.strip()


def test_line_breaks_count_once_as_the_counter_shows(app, world):
    client = signed_in(app, world.alex)
    body = ("x" * 49 + "\r\n") * 1000  # 50,000 characters as typed (the limit), 51,000 as CRLF on the wire
    assert client.post(f"/t/{world.thread}/reply", data={"body": body}).status_code == 302


# ---------------------------------------------------------------- 11: a refused reply is shown at the form

def test_a_refused_reply_comes_back_at_the_form_with_a_focusable_summary_and_the_text(app, world):
    with app.app_context():
        rules.create(_admin_viewer(), world.community, {"match_type": "word", "pattern": "snakeoil", "action": "block"})
    client = signed_in(app, world.alex)
    empty = text(client.post(f"/t/{world.thread}/reply", data={"body": ""}))
    assert re.search(rf'action="/t/{world.thread}/reply#reply"', empty)
    summary = re.search(r'<div class="error-summary"[^>]*>.*?</div>', empty, re.S).group(0)
    assert 'role="alert"' in summary and 'tabindex="-1"' in summary and "data-error-summary" in summary
    assert "Write something first." in summary and "kept below" not in summary  # there was no text
    blocked = client.post(f"/t/{world.thread}/reply", data={"body": "I tried snakeoil for my joints"})
    page = text(blocked)
    assert blocked.status_code == 422 and "I tried snakeoil for my joints" in textarea(page)
    summary = re.search(r'<div class="error-summary".*?</div>', page, re.S).group(0)
    assert "“snakeoil”" in summary and "Your text is kept below." in summary
    phone = client.post(f"/t/{world.thread}/reply", data={"body": "Call me on 020 7946 0321 any time"})
    page = text(phone)
    assert "020 7946 0321" in textarea(page)
    warning = re.search(r'<div class="identifier-warning"[^>]*>', page).group(0)
    assert 'tabindex="-1"' in warning and "data-error-summary" in warning


def _admin_viewer():
    return viewer_for(create_user("ada", role="admin", totp=True))


# ---------------------------------------------------------------- 22: a block rule names what matched

@pytest.mark.parametrize("match_type, pattern, text_in, shown", [
    ("word", "snakeoil", "Try Snakeoil, it works", "Snakeoil"),
    ("phrase", "miracle cure", "a miracle   cure for all", "miracle cure"),
    ("regex", r"cure[sd]?\s+all", "it cured  all my pain", "cured all"),
])
def test_a_block_rule_without_a_message_names_the_matched_text(app, world, match_type, pattern, text_in, shown):
    with app.app_context():
        rules.create(_admin_viewer(), world.community, {"match_type": match_type, "pattern": pattern, "action": "block"})
    client = signed_in(app, world.alex)
    page = client.post(f"/t/{world.thread}/reply", data={"body": text_in})
    assert page.status_code == 422
    message = html.unescape(re.search(r'<p class="error" id="body-error">(.*?)</p>', text(page), re.S).group(1))
    assert message == (f"Your post wasn't posted: it contains “{shown}”, which this community does not allow. "
                       "Edit it and try again.")
    assert pattern not in message or match_type != "regex"


def test_a_block_rule_with_a_message_keeps_it(app, world):
    with app.app_context():
        rules.create(_admin_viewer(), world.community, {"match_type": "word", "pattern": "snakeoil", "action": "block",
                                                        "message": "No remedies for sale here."})
    page = signed_in(app, world.alex).post(f"/t/{world.thread}/reply", data={"body": "snakeoil!"})
    assert "No remedies for sale here." in text(page) and "contains “" not in text(page)


# ---------------------------------------------------------------- 21: two-factor codes

def test_a_reused_code_says_so_at_login_in_the_api_and_when_turning_it_off(app, world):
    with app.app_context():
        secret = world.mo.totp_secret
        code = pyotp.TOTP(secret).now()
        assert accounts.second_factor_problem(world.mo.id, code) is None      # spent here
    client = app.test_client()
    assert "/login/2fa" in client.post("/login", data={"login": "mo", "password": PASSWORD}).headers["Location"]
    again = client.post("/login/2fa", data={"code": code})
    assert again.status_code == 422 and "That code was already used; wait for the next one." in text(again)
    wrong = client.post("/login/2fa", data={"code": "000000" if code != "000000" else "111111"})
    assert "did not match" in text(wrong) and "already used" not in text(wrong)
    api = client.post("/api/v1/tokens", json={"username": "mo", "password": PASSWORD, "totp_code": code})
    assert api.status_code == 401 and api.json["error"]["message"] == "That code was already used; wait for the next one."
    with app.app_context():
        with pytest.raises(ValidationFailed) as refused:
            accounts.disable_totp(world.mo.id, PASSWORD, code)
        assert refused.value.fields["code"] == "That code was already used; wait for the next one."


def test_setup_says_already_used_and_shows_the_key_in_groups_of_four(app, world):
    client = signed_in(app, world.alex)
    page = text(client.get("/settings/2fa"))
    groups = re.search(r'<code class="secret">(.*?)</code>', page).group(1)
    parts = re.findall(r"<span>([A-Z2-7]+)</span>", groups)
    with app.app_context():
        secret = db.session.get(User, world.alex.id).totp_secret
    assert "".join(parts) == secret and all(len(p) == 4 for p in parts[:-1]) and " " not in groups
    with app.app_context():
        user = db.session.get(User, world.alex.id)
        user.totp_last_step = int(utcnow().timestamp() // 30) + 1      # this and the next code already spent
        db.session.commit()
    reused = client.post("/settings/2fa", data={"code": pyotp.TOTP(secret).now()})
    assert reused.status_code == 422 and "That code was already used; wait for the next one." in text(reused)
    with app.app_context():
        user = db.session.get(User, world.alex.id)
        user.totp_last_step = None
        db.session.commit()
    code = pyotp.TOTP(secret).now()
    # Typed with a space, as the app shows it: still accepted.
    assert client.post("/settings/2fa", data={"code": f"{code[:3]} {code[3:]}"}).status_code == 200
    with app.app_context():
        assert db.session.get(User, world.alex.id).totp_enabled


def test_every_post_form_in_the_templates_renders_a_nonce():
    # A static guard for forms added later: each <form method="post"> calls idempotency_field().
    from pathlib import Path

    missing = []
    for path in sorted(Path(__file__).resolve().parent.parent.joinpath("templates").rglob("*.html")):
        for form in re.findall(r'<form[^>]*method="post".*?</form>', path.read_text(), re.S | re.I):
            if "idempotency_field()" not in form:
                missing.append(f"{path.name}: {form[:80]!r}")
    assert not missing, missing
