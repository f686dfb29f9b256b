"""Who may see and do what: every page and action × every role × both community visibilities.

One world per test (fresh database), one role per test; each test checks the whole row of the
matrix for that role and reports every cell that differs, so one run shows the full picture.
"""
from types import SimpleNamespace

import pytest

from community.extensions import db
from community.forums import services as forums
from community.forums.models import Post, Thread
from community.forums.visibility import viewer_for
from tests.conftest import count
from tests.forum_helpers import (
    is_login_redirect, person, reply_as, search_titles, set_post_state, sign_in, text,
)
from tests.helpers import add_member, add_moderator, create_community, start_thread

ROLES = ["visitor", "member", "other_member", "moderator", "admin", "admin_no_2fa", "author"]
VISIBILITIES = ["public", "members"]
TITLE = "Nebuliser cleaning routine"
SEARCH_WORD = "nebuliser"
LOGIN, REDIRECT = "login", "redirect"


def build_world(visibility):
    """A community with the given visibility, a second public one, and one person per role."""
    target = create_community("copd", visibility=visibility)
    elsewhere = create_community("migraine")
    people = SimpleNamespace(
        author=person("author"), member=person("member"), other_member=person("other"),
        moderator=person("moddy", totp=True), admin=person("boss", role="admin", totp=True),
        admin_no_2fa=person("boss2", role="admin"),
    )
    for who in (people.author, people.member):
        add_member(who, target)
    add_member(people.other_member, elsewhere)
    add_moderator(people.moderator, target)
    thread, first = start_thread(people.author, target, TITLE, "How do you clean your nebuliser each week?")
    # 21 posts so the thread has a second page.
    replies = [reply_as(people.author, thread.id, f"Reply number {i} about rinsing.") for i in range(2, 22)]
    edited = reply_as(people.author, thread.id, "Original words before the edit.")
    forums.edit_post(viewer_for(_user(people.author.id)), edited, "Words after the edit.")
    to_delete = reply_as(people.author, thread.id, "A reply that will be deleted.")
    return SimpleNamespace(
        target=SimpleNamespace(id=target.id, slug=target.slug), elsewhere_slug=elsewhere.slug,
        people=people, thread_id=thread.id, first_id=first.id, post_id=replies[0], edited_id=edited,
        deleted_id=to_delete,
    )


def _user(user_id):
    from community.accounts.models import User

    return db.session.get(User, user_id)


def requests_for(w):
    """(name, method, url, form data) for every page and action in the matrix."""
    slug, t = w.target.slug, w.thread_id
    return [
        ("home", "GET", "/", None),
        ("community", "GET", f"/c/{slug}", None),
        ("members", "GET", f"/c/{slug}/members", None),
        ("new_thread_form", "GET", f"/c/{slug}/new", None),
        ("thread", "GET", f"/t/{t}", None),
        ("thread_page_2", "GET", f"/t/{t}?page=2", None),
        ("history", "GET", f"/p/{w.edited_id}/history", None),
        ("edit_form", "GET", f"/p/{w.edited_id}/edit", None),
        ("profile", "GET", f"/u/{w.people.author.id}", None),
        ("bookmarks", "GET", "/bookmarks", None),
        ("search", "GET", f"/search?q={SEARCH_WORD}", None),
        ("admin_list", "GET", "/admin/communities", None),
        ("admin_new", "GET", "/admin/communities/new", None),
        ("admin_edit", "GET", f"/admin/communities/{w.target.id}/edit", None),
        ("react", "POST", f"/p/{w.post_id}/react/hug", {"on": "1"}),
        ("bookmark", "POST", f"/p/{w.post_id}/bookmark", {"on": "1"}),
        ("reply", "POST", f"/t/{t}/reply", {"body": "A reply from the matrix."}),
        ("edit", "POST", f"/p/{w.edited_id}/edit", {"body": "Edited from the matrix."}),
        ("delete", "POST", f"/p/{w.deleted_id}/delete", {}),
        ("join", "POST", f"/c/{slug}/join", {}),
        ("leave", "POST", f"/c/{slug}/leave", {}),
    ]


def expected_row(role, visibility):
    """The statuses the design asks for. LOGIN = 302 to the login page, REDIRECT = 302 elsewhere."""
    public = visibility == "public"
    signed_in = role != "visitor"
    member = role in ("member", "author")
    # Moderator and admin powers (both with 2FA) include reading a members-only community.
    reads = public or member or role in ("moderator", "admin")
    hidden = 404  # a community or post you may not read is answered as missing
    readable = 200 if reads else hidden

    def signed(value):
        return value if signed_in else LOGIN

    def own_post_action(success):
        # Only the author edits/deletes; others who can see the post are refused, others told 404.
        if role == "author":
            return success
        return 403 if reads else hidden

    return {
        "home": 200,
        "community": readable,
        "members": signed(200 if member or role in ("moderator", "admin") else (403 if public else hidden)),
        "new_thread_form": signed(200 if member else (403 if reads else hidden)),
        "thread": readable,
        "thread_page_2": readable,
        "history": readable,
        "edit_form": signed(own_post_action(200)),
        "profile": 200,
        "bookmarks": signed(200),
        "search": 200,
        "admin_list": signed(200 if role == "admin" else 403),
        "admin_new": signed(200 if role == "admin" else 403),
        "admin_edit": signed(200 if role == "admin" else 403),
        "react": signed(REDIRECT if reads else hidden),
        "bookmark": signed(REDIRECT if reads else hidden),
        # Posting needs membership of the community: moderators and admins join first.
        "reply": signed(REDIRECT if member else (403 if reads else hidden)),
        "edit": signed(own_post_action(REDIRECT)),
        "delete": signed(own_post_action(REDIRECT)),
        "join": signed(REDIRECT if reads else hidden),
        "leave": signed(REDIRECT if reads else hidden),
    }


def outcome(response):
    if is_login_redirect(response):
        return LOGIN
    if response.status_code == 302:
        return REDIRECT
    return response.status_code


@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(app, role, visibility):
    with app.app_context():
        w = build_world(visibility)
    client = app.test_client()
    if role != "visitor":
        sign_in(client, getattr(w.people, role))

    expected = expected_row(role, visibility)
    actual, bodies = {}, {}
    for name, method, url, data in requests_for(w):
        response = client.get(url) if method == "GET" else client.post(url, data=data)
        actual[name] = outcome(response)
        bodies[name] = text(response)
    mismatches = {k: (actual[k], expected[k]) for k in expected if actual[k] != expected[k]}
    assert not mismatches, f"{role} / {visibility}: (actual, expected) {mismatches}"

    # Search shows the thread exactly to those who may read the community.
    reads = expected["thread"] == 200
    assert (TITLE in search_titles(bodies["search"])) is reads
    # A page that is not shown never leaks the content either.
    for name in ("community", "thread", "history"):
        assert (TITLE in bodies[name] or "Words after the edit" in bodies[name]) is reads, name

    with app.app_context():
        post = db.session.get(Post, w.post_id)
        edited = db.session.get(Post, w.edited_id)
        deleted = db.session.get(Post, w.deleted_id)
        thread = db.session.get(Thread, w.thread_id)
        # Side effects happened exactly when the action was allowed.
        assert (post.reactions.get("hug") == 1) is (expected["react"] == REDIRECT)
        assert (edited.body == "Edited from the matrix.") is (role == "author")
        assert (deleted.state == "deleted") is (role == "author")
        replies_from_matrix = count(Post, Post.body == "A reply from the matrix.")
        assert replies_from_matrix == (1 if expected["reply"] == REDIRECT else 0)
        assert thread.reply_count == 22 + replies_from_matrix - (1 if role == "author" else 0)


# ------------------------------------------------------------------ states only some may see

STATE_VIEWERS = ["visitor", "member", "other_member", "moderator", "admin", "admin_no_2fa", "author"]


def _state_world(visibility="public"):
    w = build_world(visibility)
    return w


@pytest.mark.parametrize("state", ["pending", "held"])
def test_pending_and_held_reply_visible_to_author_and_moderators_only(app, state):
    with app.app_context():
        w = _state_world()
        secret_id = reply_as(w.people.author, w.thread_id, "Unreviewed words about spacers.")
        set_post_state(secret_id, state)
        thread_id = w.thread_id
    # The post is number 24: page 2 of the thread.
    allowed = {"author", "moderator", "admin"}
    for role in STATE_VIEWERS:
        client = app.test_client()
        if role != "visitor":
            sign_in(client, getattr(w.people, role))
        page = client.get(f"/t/{thread_id}?page=2")
        assert page.status_code == 200, role
        assert ("Unreviewed words about spacers." in text(page)) is (role in allowed), role
        history = client.get(f"/p/{secret_id}/history")
        assert history.status_code == (200 if role in allowed else 404), role
        # Nobody may react to a post before it is published; outsiders are told it does not exist.
        if role != "visitor":
            react = client.post(f"/p/{secret_id}/react/like", data={"on": "1"})
            assert react.status_code == (403 if role in allowed else 404), role
    # It is not searchable by anyone (search holds published posts only).
    client = app.test_client()
    sign_in(client, w.people.admin)
    assert "Unreviewed" not in text(client.get("/search?q=spacers"))


@pytest.mark.parametrize("state", ["pending", "held"])
def test_thread_waiting_for_review_listed_for_author_and_moderators_only(app, state):
    with app.app_context():
        w = _state_world("public")
        from community.forums.models import Community

        community = db.session.get(Community, w.target.id)
        author = w.people.author
        thread, first = forums.create_thread(author.id, community.id, "Waiting thread title", "Opening words.")
        set_post_state(first.id, state)
        thread_id = thread.id
    allowed = {"author", "moderator", "admin"}
    for role in STATE_VIEWERS:
        client = app.test_client()
        if role != "visitor":
            sign_in(client, getattr(w.people, role))
        listing = text(client.get(f"/c/{w.target.slug}"))
        assert ("Waiting thread title" in listing) is (role in allowed), role
        assert client.get(f"/t/{thread_id}").status_code == (200 if role in allowed else 404), role
        # Not on anyone's home page: "recent" lists published threads only.
        assert "Waiting thread title" not in text(client.get("/")), role


def test_members_only_post_hidden_from_non_members_of_a_public_community(app):
    with app.app_context():
        w = _state_world("public")
        crisis_id = reply_as(w.people.author, w.thread_id, "Members-only words about a bad night.")
        set_post_state(crisis_id, "published", members_only=True)
        from community.forums import search

        post = db.session.get(Post, crisis_id)
        search.index(post.id, "", post.body_html)
        db.session.commit()
        thread_id = w.thread_id
    allowed = {"author", "member", "moderator", "admin"}
    for role in STATE_VIEWERS:
        client = app.test_client()
        if role != "visitor":
            sign_in(client, getattr(w.people, role))
        page = text(client.get(f"/t/{thread_id}?page=2"))
        assert ("Members-only words" in page) is (role in allowed), role
        assert client.get(f"/p/{crisis_id}/history").status_code == (200 if role in allowed else 404), role
        found = TITLE in search_titles(text(client.get("/search?q=night")))
        assert found is (role in allowed), role
        if role != "visitor":
            bookmark = client.post(f"/p/{crisis_id}/bookmark", data={"on": "1"})
            assert bookmark.status_code == (302 if role in allowed else 404), role
