"""Earlier versions of a post (DESIGN.md "Revisions"): the author and the community's moderators
(and admins) read them; everyone else learns only that the post was edited, and when. The author
can erase an earlier version's text; the erasure is in the staff log, without the text.

Runs on SQLite and PostgreSQL (the `app` fixture is parametrized). HTTP requests are made with no
app context pushed (see tests/forum_helpers.py).
"""
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from community.accounts.models import User
from community.extensions import db
from community.forums import services as forums
from community.forums.models import Community, Post, PostRevision
from community.forums.visibility import viewer_for
from community.moderation.models import ReviewItem, StaffAction
from tests.forum_helpers import is_login_redirect, person, reply_as, sign_in, text
from tests.helpers import add_member, add_moderator, create_community, start_thread

OLD = "My surname is Whitlock and I live by the tangerine bakery."
NEW = "I would rather not say where I live."
READERS = {"author", "moderator", "admin"}


@pytest.fixture
def world(app):
    """A public community; its author edited a reply; one person per role."""
    with app.app_context():
        community = create_community("asthma")
        people = SimpleNamespace(
            author=person("author"), member=person("member"), outsider=person("outsider"),
            moderator=person("moddy", totp=True), admin=person("boss", role="admin", totp=True),
            admin_no_2fa=person("boss2", role="admin"),
            other_moderator=person("elsewhere", totp=True),
        )
        add_member(people.author, community)
        add_member(people.member, community)
        add_moderator(db.session.get(User, people.moderator.id), community)
        add_moderator(db.session.get(User, people.other_moderator.id), create_community("migraine"))
        thread, _ = start_thread(people.author, community, "Finding a clinic", "Which clinic do you use?")
        post_id = reply_as(people.author, thread.id, OLD)
        forums.edit_post(viewer_for(db.session.get(User, people.author.id)), post_id, NEW)
        revision_id = db.session.scalar(sa.select(PostRevision.id).where(PostRevision.post_id == post_id))
        return SimpleNamespace(community_id=community.id, thread_id=thread.id, post_id=post_id,
                               revision_id=revision_id, people=people)


def client_for(app, who):
    client = app.test_client()
    if who is not None:
        sign_in(client, who)
    return client


def clients(app, world):
    """One signed-in client per role (a 2FA code is accepted once, so each signs in once)."""
    return {role: client_for(app, who) for role, who in {"visitor": None, **vars(world.people)}.items()}


def test_earlier_versions_are_for_the_author_and_moderators_only(app, world):
    wrong = []
    for role, client in clients(app, world).items():
        history = client.get(f"/p/{world.post_id}/history")
        page = text(history)
        may_read = role in READERS
        if history.status_code != 200 or (OLD in page) != may_read or NEW not in page:
            wrong.append(f"{role}: {history.status_code}, old text shown={OLD in page}")
        if not may_read and ("This post was edited" not in page or "UTC" not in page):
            wrong.append(f"{role}: not told that and when the post was edited")
        # Nowhere else either: the thread page, the post's fragment, the API.
        for url in (f"/t/{world.thread_id}", f"/p/{world.post_id}/fragment", f"/api/v1/posts/{world.post_id}"):
            if OLD in text(client.get(url)):
                wrong.append(f"{role}: old text on {url}")
    assert not wrong, "\n".join(wrong)


def test_a_held_post_edited_then_approved_by_a_moderator_keeps_its_original_private(app, world):
    """The held original was never published: only its author and the moderators may read it."""
    held_text = "My first post: my neighbour Mrs Quennell drives me to the clinic on Tuesdays."
    with app.app_context():
        newbie = person("newbie", approved_posts=0)
        add_member(newbie, db.session.get(Community, world.community_id))
        post_id = reply_as(newbie, world.thread_id, held_text)
        assert db.session.get(Post, post_id).state == "held"
        item_id = db.session.scalar(sa.select(ReviewItem.id).where(ReviewItem.post_id == post_id))
    by_role = clients(app, world)
    response = by_role["moderator"].post(f"/moderation/items/{item_id}/approve",
                              data={"body": "My first post: a neighbour drives me to the clinic.", "reason": ""})
    assert response.status_code == 302
    with app.app_context():
        post = db.session.get(Post, post_id)
        assert post.state == "published" and "Quennell" not in post.body
        assert [r.body for r in db.session.scalars(sa.select(PostRevision).where(PostRevision.post_id == post_id))] \
            == [held_text]
    for role, client in by_role.items():
        page = text(client.get(f"/p/{post_id}/history"))
        assert ("Quennell" in page) == (role in READERS - {"author"}), role
    assert "Quennell" in text(client_for(app, newbie).get(f"/p/{post_id}/history"))
    assert "Quennell" not in text(by_role["member"].get(f"/t/{world.thread_id}"))


def test_the_author_erases_an_earlier_version_the_fact_of_the_edit_stays(app, world):
    url = f"/p/{world.post_id}/history/{world.revision_id}/erase"
    by_role = clients(app, world)
    # Nobody but the author may erase: not another member, not a moderator, not an admin.
    assert is_login_redirect(by_role["visitor"].post(url))
    for role in ("member", "moderator", "admin"):
        assert by_role[role].post(url).status_code == 403, role
    # A revision id of another post is not found through this post.
    with app.app_context():
        other_id = reply_as(world.people.author, world.thread_id, "Another reply.")
    assert by_role["author"].post(
        f"/p/{other_id}/history/{world.revision_id}/erase").status_code == 404
    with app.app_context():
        assert db.session.get(PostRevision, world.revision_id).body == OLD
        assert db.session.scalar(sa.select(sa.func.count()).select_from(StaffAction)
                                 .where(StaffAction.action == "revision.erase")) == 0

    author = by_role["author"]
    page = text(author.get(f"/p/{world.post_id}/history"))
    assert OLD in page and "Erase this version" in page
    response = author.post(url)
    assert response.status_code == 302 and response.headers["Location"] == f"/p/{world.post_id}/history"
    # Twice is harmless: one log entry.
    assert author.post(url).status_code == 302
    with app.app_context():
        revision = db.session.get(PostRevision, world.revision_id)
        assert (revision.body, revision.body_html) == ("", "") and revision.erased_at is not None
        assert revision.created_at is not None
        post = db.session.get(Post, world.post_id)
        assert post.body == NEW and post.edited_at is not None
        logged = db.session.scalars(sa.select(StaffAction).where(StaffAction.action == "revision.erase")).all()
        assert [(e.actor_id, e.target_type, e.target_id, e.community_id) for e in logged] == [
            (world.people.author.id, "post", world.post_id, world.community_id)]
        assert "Whitlock" not in logged[0].reason and "tangerine" not in logged[0].reason
    for role in ("author", "moderator"):
        page = text(by_role[role].get(f"/p/{world.post_id}/history"))
        assert OLD not in page and "Text erased by the author" in page
    page = text(by_role["member"].get(f"/p/{world.post_id}/history"))
    assert OLD not in page and "This post was edited" in page
    # The staff log shows the erasure to the moderator, without the text.
    log = text(by_role["moderator"].get("/moderation/log"))
    assert "revision.erase" in log and "Whitlock" not in log
