"""Who may see and do what: every page and action × every role × both community visibilities.

The expected statuses are written out as two literal tables (public / members-only community),
one column per role. Each test builds one world and walks every role through every row, then
reports all cells that differ at once, so a failure shows the whole picture.

LOGIN = 302 to the login page; REDIRECT = 302 elsewhere (the action was done).
"""
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from community.accounts.models import User
from community.extensions import db
from community.forums import services as forums
from community.forums.models import Bookmark, Community, Membership, Post, Reaction
from community.forums.visibility import viewer_for
from tests.conftest import count
from tests.forum_helpers import (
    bulk_replies, is_login_redirect, person, reply_as, search_titles, set_post_state, sign_in, text,
    thread_titles,
)
from tests.helpers import add_member, add_moderator, create_community, start_thread

L, R = "LOGIN", "REDIRECT"
ROLES = ("visitor", "member", "other_member", "moderator", "admin", "admin_no_2fa", "author")
# member: joined the community; other_member: joined another community only; moderator: of this
# community, 2FA on, not a member; admin: role admin with 2FA; admin_no_2fa: role admin without
# 2FA (treated as a plain member of nothing); author: a member who wrote the posts acted on.
ALL_200 = (200,) * 7

PUBLIC = {
    #                   visitor member other  moder  admin  adm-2fa author
    "home":            ALL_200,
    "community":       ALL_200,
    "members":         (L,     200,   403,   200,   200,   403,   200),
    "new_thread_form": (L,     200,   403,   403,   403,   403,   200),
    "thread":          ALL_200,
    "thread_page_2":   ALL_200,
    "history":         ALL_200,
    "edit_form":       (L,     403,   403,   403,   403,   403,   200),
    # Member pages are for signed-in members unless made public (issue 12): visitors log in.
    "profile":         (L,     200,   200,   200,   200,   200,   200),
    "bookmarks":       (L,     200,   200,   200,   200,   200,   200),
    "search":          ALL_200,
    "admin_list":      (L,     403,   403,   403,   200,   403,   403),
    "admin_new":       (L,     403,   403,   403,   200,   403,   403),
    "admin_edit":      (L,     403,   403,   403,   200,   403,   403),
    "react":           (L,     R,     R,     R,     R,     R,     R),
    "bookmark":        (L,     R,     R,     R,     R,     R,     R),
    # Posting needs membership of the community, for moderators and admins too.
    "reply":           (L,     R,     403,   403,   403,   403,   R),
    "edit":            (L,     403,   403,   403,   403,   403,   R),
    "delete":          (L,     403,   403,   403,   403,   403,   R),
    "join":            (L,     R,     R,     R,     R,     R,     R),
    "leave":           (L,     R,     R,     R,     R,     R,     R),
}

# A members-only community is missing (404) to visitors. Signed-in people can find it, read its
# description and join; its threads, posts and member list stay with members, moderators and admins.
MEMBERS_ONLY = {
    #                   visitor member other  moder  admin  adm-2fa author
    "home":            ALL_200,
    "community":       (404,   200,   200,   200,   200,   200,   200),
    "members":         (L,     200,   403,   200,   200,   403,   200),
    "new_thread_form": (L,     200,   403,   403,   403,   403,   200),
    "thread":          (404,   200,   404,   200,   200,   404,   200),
    "thread_page_2":   (404,   200,   404,   200,   200,   404,   200),
    "history":         (404,   200,   404,   200,   200,   404,   200),
    "edit_form":       (L,     403,   404,   403,   403,   404,   200),
    # Member pages are for signed-in members unless made public (issue 12): visitors log in.
    "profile":         (L,     200,   200,   200,   200,   200,   200),
    "bookmarks":       (L,     200,   200,   200,   200,   200,   200),
    "search":          ALL_200,
    "admin_list":      (L,     403,   403,   403,   200,   403,   403),
    "admin_new":       (L,     403,   403,   403,   200,   403,   403),
    "admin_edit":      (L,     403,   403,   403,   200,   403,   403),
    "react":           (L,     R,     404,   R,     R,     404,   R),
    "bookmark":        (L,     R,     404,   R,     R,     404,   R),
    "reply":           (L,     R,     404,   403,   403,   404,   R),
    "edit":            (L,     403,   404,   403,   403,   404,   R),
    "delete":          (L,     403,   404,   403,   403,   404,   R),
    "join":            (L,     R,     R,     R,     R,     R,     R),
    "leave":           (L,     R,     R,     R,     R,     R,     R),
}
TABLES = {"public": PUBLIC, "members": MEMBERS_ONLY}

TITLE = "Nebuliser cleaning routine"
SEARCH_WORD = "nebuliser"


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
    acted_on = reply_as(people.author, thread.id, "Warm soapy water, then air dry.")
    edited = reply_as(people.author, thread.id, "Original words before the edit.")
    forums.edit_post(viewer_for(db.session.get(User, people.author.id)), edited, "Words after the edit.")
    to_delete = reply_as(people.author, thread.id, "A reply that will be deleted.")
    bulk_replies(thread.id, people.author.id, 20)  # posts 5..24: the thread has a second page
    return SimpleNamespace(
        target=SimpleNamespace(id=target.id, slug=target.slug), people=people, thread_id=thread.id,
        first_id=first.id, post_id=acted_on, edited_id=edited, deleted_id=to_delete,
    )


def requests_for(w, role):
    """(row name, method, url, form data) for every page and action in the matrix."""
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
        ("reply", "POST", f"/t/{t}/reply", {"body": f"A reply from {role}."}),
        ("edit", "POST", f"/p/{w.edited_id}/edit", {"body": f"Edited by {role}."}),
        ("delete", "POST", f"/p/{w.deleted_id}/delete", {}),
        ("join", "POST", f"/c/{slug}/join", {}),
        ("leave", "POST", f"/c/{slug}/leave", {}),
    ]


def outcome(response):
    if is_login_redirect(response):
        return L
    if response.status_code == 302:
        return R
    return response.status_code


def test_tables_cover_every_request():
    w = SimpleNamespace(target=SimpleNamespace(id=1, slug="x"), thread_id=1, edited_id=1, post_id=1,
                        deleted_id=1, people=SimpleNamespace(author=SimpleNamespace(id=1)))
    names = [name for name, *_ in requests_for(w, "visitor")]
    for table in TABLES.values():
        assert sorted(table) == sorted(names)
        assert all(len(row) == len(ROLES) for row in table.values())


@pytest.mark.parametrize("visibility", ["public", "members"])
def test_access_matrix(app, visibility):
    table = TABLES[visibility]
    with app.app_context():
        w = build_world(visibility)
    problems = []
    # The author goes last: their edit and delete change the posts the others act on.
    for column, role in enumerate(ROLES):
        expected = {name: row[column] for name, row in table.items()}
        client = app.test_client()
        if role != "visitor":
            sign_in(client, getattr(w.people, role))
        bodies = {}
        for name, method, url, data in requests_for(w, role):
            response = client.get(url) if method == "GET" else client.post(url, data=data)
            bodies[name] = text(response)
            if outcome(response) != expected[name]:
                problems.append(f"{role:>13} {name:<16} got {outcome(response)!s:<8} want {expected[name]}")
        reads = expected["thread"] == 200

        # Search shows the thread exactly to those who may read the community.
        if (TITLE in search_titles(bodies["search"])) is not reads:
            problems.append(f"{role:>13} search result shown={not reads}, want {reads}")
        # Pages that are refused never leak the content.
        for name in ("community", "thread", "history"):
            if (TITLE in bodies[name] or "Words after the edit" in bodies[name]) is not reads:
                problems.append(f"{role:>13} {name} content shown={not reads}, want {reads}")
        if reads and "Filler reply 24." not in bodies["thread_page_2"]:
            problems.append(f"{role:>13} page 2 lacks post 24")
        if reads and TITLE not in thread_titles(bodies["community"]):
            problems.append(f"{role:>13} community page does not list the thread")

        # Side effects happened exactly when the action was allowed.
        with app.app_context():
            user_id = getattr(w.people, role).id if role != "visitor" else None
            checks = {
                "react": count(Reaction, Reaction.post_id == w.post_id, Reaction.user_id == user_id) == 1,
                "bookmark": count(Bookmark, Bookmark.post_id == w.post_id, Bookmark.user_id == user_id) == 1,
                "reply": count(Post, Post.body == f"A reply from {role}.") == 1,
                "edit": db.session.get(Post, w.edited_id).body == f"Edited by {role}.",
                "delete": db.session.get(Post, w.deleted_id).state == "deleted",
            }
            for name, happened in checks.items():
                if happened is not (expected[name] == R):
                    problems.append(f"{role:>13} {name} side effect happened={happened}")
            # join then leave: nobody who acted is left a member (the counter follows the rows).
            if role != "visitor" and expected["leave"] == R and count(
                Membership, Membership.user_id == user_id, Membership.community_id == w.target.id
            ):
                problems.append(f"{role:>13} still a member after leaving")
    assert not problems, f"{visibility} community:\n" + "\n".join(problems)

    with app.app_context():
        community = db.session.get(Community, w.target.id)
        assert community.member_count == count(Membership, Membership.community_id == community.id) == 0
        # Everyone who could react did, once each.
        expected_hugs = sum(1 for col in range(len(ROLES)) if table["react"][col] == R)
        assert db.session.get(Post, w.post_id).reactions == {"hug": expected_hugs}


# ------------------------------------------------------------------ states only some may see


def test_unpublished_and_members_only_content_is_shown_to_the_right_people(app):
    """Pending/held posts and threads: author + the community's moderators (and admins) only.
    A members-only post (crisis) in a public community: members, moderators, admins only."""
    with app.app_context():
        w = build_world("public")
        community = db.session.get(Community, w.target.id)
        author = w.people.author
        posts = {}
        for state in ("pending", "held"):
            posts[state] = reply_as(author, w.thread_id, f"Unreviewed {state} words about spacers.")
            set_post_state(posts[state], state)
            thread, first = forums.create_thread(author.id, community.id, f"Waiting {state} thread", "Opening.")
            set_post_state(first.id, state)
            posts[f"{state}_thread"] = thread.id
        posts["members_only"] = reply_as(author, w.thread_id, "Members-only words about a bad night.")
        set_post_state(posts["members_only"], "published", members_only=True)
        assert db.session.scalar(sa.text("SELECT count(*) FROM post_search")) >= 3

    unpublished_viewers = {"author", "moderator", "admin"}
    member_viewers = {"author", "member", "moderator", "admin"}
    problems = []
    for role in ROLES:
        client = app.test_client()
        if role != "visitor":
            sign_in(client, getattr(w.people, role))
        page = text(client.get(f"/t/{w.thread_id}?page=2"))
        listing = text(client.get(f"/c/{w.target.slug}"))
        home = text(client.get("/"))
        for state in ("pending", "held"):
            allowed = role in unpublished_viewers
            checks = {
                f"{state} reply on thread page": f"Unreviewed {state} words" in page,
                f"{state} reply history": client.get(f"/p/{posts[state]}/history").status_code == 200,
                f"{state} thread listed": f"Waiting {state} thread" in listing,
                f"{state} thread page": client.get(f"/t/{posts[f'{state}_thread']}").status_code == 200,
            }
            for what, shown in checks.items():
                if shown is not allowed:
                    problems.append(f"{role:>13} {what}: shown={shown}")
            # Never on the home page's recent list, never searchable, never reactable.
            if f"Waiting {state} thread" in home:
                problems.append(f"{role:>13} {state} thread on home")
            if role != "visitor":
                status = client.post(f"/p/{posts[state]}/react/like", data={"on": "1"}).status_code
                if status != (403 if allowed else 404):
                    problems.append(f"{role:>13} react to {state} post: {status}")
        if "Unreviewed" in text(client.get("/search?q=spacers")):
            problems.append(f"{role:>13} unpublished post in search")

        allowed = role in member_viewers
        checks = {
            "members-only post on page": "Members-only words" in page,
            "members-only history": client.get(f"/p/{posts['members_only']}/history").status_code == 200,
            "members-only in search": TITLE in search_titles(text(client.get("/search?q=night"))),
        }
        if role != "visitor":
            checks["members-only bookmark"] = client.post(
                f"/p/{posts['members_only']}/bookmark", data={"on": "1"}).status_code == 302
        for what, shown in checks.items():
            if shown is not allowed:
                problems.append(f"{role:>13} {what}: shown={shown}")
    assert not problems, "\n".join(problems)


def test_members_only_opening_post_hides_its_thread_title(app):
    with app.app_context():
        community = create_community("asthma")
        alex = person("alex")
        thread, first = start_thread(alex, community, "I cannot go on tonight", "Words for members only.")
        set_post_state(first.id, "published", members_only=True)
        thread_id = thread.id
    visitor = app.test_client()
    assert "Words for members only." not in text(visitor.get(f"/t/{thread_id}"))  # the post itself is hidden
    assert "I cannot go on tonight" not in text(visitor.get("/c/asthma"))
    assert "I cannot go on tonight" not in text(visitor.get("/"))
    assert visitor.get(f"/t/{thread_id}").status_code == 404
