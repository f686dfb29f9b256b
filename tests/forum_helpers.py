"""Extra builders for the forum, access-matrix and search tests.

These tests build their data inside `with app.app_context():` and make HTTP requests with no
app context pushed, so every request gets its own context, `g` and session as in production
(a request reuses an app context the test already pushed: `g`, Flask-Login's cached user and
`g.viewer` would leak from one request and one client to the next).
"""
import re
from types import SimpleNamespace

import pyotp
import sqlalchemy as sa

from community.extensions import db
from community.forums import services as forums
from community.forums.models import Post, Thread
from tests.helpers import create_user, login


def person(username, **kwargs):
    """create_user(), returned as plain values usable after the app context is gone."""
    user = create_user(username, **kwargs)
    return SimpleNamespace(id=user.id, username=user.username, totp_secret=user.totp_secret)


def sign_in(client, who):
    """Log in through the real form, answering the 2FA step when the account has it on."""
    response = login(client, who.username)
    assert response.status_code == 302, f"login of {who.username} answered {response.status_code}"
    if who.totp_secret:
        assert "/login/2fa" in response.headers["Location"]
        response = client.post("/login/2fa", data={"code": pyotp.TOTP(who.totp_secret).now()})
        assert response.status_code == 302, f"2FA of {who.username} answered {response.status_code}"
    assert "/login" not in response.headers["Location"]
    return response


def client_for(app, who):
    """One signed-in client per person per test: a second login in the same 30 s would reuse the
    TOTP code, which the app refuses (replay protection)."""
    clients = app.extensions.setdefault("test_clients", {})
    if who.username not in clients:
        clients[who.username] = app.test_client()
        sign_in(clients[who.username], who)
    return clients[who.username]


def reply_as(who, thread_id, body):
    """A published reply (the eager pipeline publishes it on commit)."""
    post = forums.reply(who.id, thread_id, body)
    return post.id


def set_post_state(post_id, state, **values):
    """Put a post (and, for an opening post, its thread) into a state the filters would produce."""
    post = db.session.get(Post, post_id)
    post.state = state
    for key, value in values.items():
        setattr(post, key, value)
    if post.number == 1:
        db.session.execute(sa.update(Thread).where(Thread.id == post.thread_id)
                           .values(state=state, members_only=post.members_only, version=Thread.version + 1))
    db.session.commit()


def is_login_redirect(response):
    return response.status_code == 302 and response.headers["Location"].startswith("/login")


def text(response):
    return response.get_data(as_text=True)


def textarea(html, name="body"):
    """The (still HTML-escaped) content of a form's textarea."""
    match = re.search(r'<textarea[^>]*name="' + name + r'"[^>]*>(.*?)</textarea>', html, re.S)
    assert match, f"no textarea {name!r} on the page"
    return match.group(1)


def field_error(html, name):
    """The error text rendered for a form field (the `field` macro writes <p id="NAME-error">)."""
    match = re.search(r'<p class="error" id="' + name + r'-error">(.*?)</p>', html, re.S)
    return match.group(1) if match else None


def search_titles(html):
    """Thread titles listed as search results, in order."""
    block = re.search(r'<ol class="search-results">(.*?)</ol>', html, re.S)
    if not block:
        return []
    return re.findall(r'<a class="thread-title"[^>]*>(.*?)</a>', block.group(1), re.S)


def thread_titles(html):
    """Thread titles listed on a community page, in order."""
    return re.findall(r'<a class="thread-title" href="/t/\d+">(.*?)</a>', html, re.S)


def unused_id(model):
    """An id no row of this model has (ids are not reset between tests on PostgreSQL)."""
    return (db.session.scalar(sa.select(sa.func.max(model.id))) or 0) + 1000


def bulk_replies(thread_id, author_id, n, text_format="Filler reply {number}."):
    """n published replies inserted directly (no pipeline run, not indexed): cheap page filler."""
    from community.markdown import render

    thread = db.session.get(Thread, thread_id)
    first = thread.last_post_number + 1
    for number in range(first, first + n):
        body = text_format.format(number=number)
        db.session.add(Post(thread_id=thread_id, author_id=author_id, number=number, body=body,
                            body_html=render(body), state="published", moderation_status="done"))
    thread.last_post_number = first + n - 1
    thread.reply_count = thread.reply_count + n
    db.session.commit()
    return list(range(first, first + n))


def broker_down(monkeypatch):
    """Publishing fails as if Redis were unreachable: outbox rows stay unsent, posts stay pending.
    (The real broker outage, with a real worker, is in tests/test_worker.py.)"""
    from community.extensions import celery

    def refuse(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(celery.tasks["moderation.moderate_post"], "apply_async", refuse)
