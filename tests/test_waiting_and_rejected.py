"""Issue 10 points 7 and 10: a newcomer's reply to their own waiting thread is kept (and waits with
it), a waiting post tells its author why and how long, and a rejected post shows its author the
reason and an Appeal link with no reply box under the thread; the API refuses such a reply."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from community.accounts.models import User
from community.extensions import db
from community.forums import lifecycle
from community.forums.models import Community, Post, Thread
from community.models_base import utcnow
from community.moderation import services as moderation
from community.moderation.models import ReviewItem
from tests.conftest import count
from tests.forum_helpers import person, sign_in, text
from tests.helpers import add_member, create_community, start_thread
from tests.test_api import assert_error, token


@pytest.fixture
def waiting(app):
    """nia, a new member, opened a thread that waits for a moderator; bo is another member."""
    moderation._wait_cache.clear()
    with app.app_context():
        community = create_community("asthma")
        nia, bo = person("nia", approved_posts=0), person("bo")
        add_member(bo, community)
        thread, post = start_thread(db.session.get(User, nia.id), community, "My first question", "Hello all, new here.")
        assert db.session.get(Thread, thread.id).state == "held"
        yield dict(community_id=community.id, nia=nia, bo=bo, thread_id=thread.id, first_id=post.id)
    moderation._wait_cache.clear()


def test_the_author_of_a_waiting_thread_can_reply_and_the_reply_waits(app, client, waiting):
    sign_in(client, waiting["nia"])
    page = text(client.get(f"/t/{waiting['thread_id']}"))
    assert 'action="/t/%d/reply' % waiting["thread_id"] in page
    response = client.post(f"/t/{waiting['thread_id']}/reply", data={"body": "Also: does anyone use a spacer?"})
    assert response.status_code == 302, text(response)
    with app.app_context():
        reply = db.session.scalar(sa.select(Post).where(Post.thread_id == waiting["thread_id"], Post.number == 2))
        assert reply is not None and reply.body == "Also: does anyone use a spacer?"
        assert reply.state == "held"
        assert count(ReviewItem, ReviewItem.post_id == reply.id, ReviewItem.kind == "held") == 1
    page = text(client.get(f"/t/{waiting['thread_id']}"))
    assert "Also: does anyone use a spacer?" in page
    assert "It waits with your thread" in page


def test_nobody_else_can_reply_to_or_see_a_waiting_thread(app, client, waiting):
    sign_in(client, waiting["bo"])
    assert client.get(f"/t/{waiting['thread_id']}").status_code == 404
    assert client.post(f"/t/{waiting['thread_id']}/reply", data={"body": "Sneaky reply"}).status_code == 404
    with app.app_context():
        assert count(Post, Post.thread_id == waiting["thread_id"]) == 1


def test_a_held_post_says_why_it_waits_and_offers_edit_and_delete(app, client, waiting):
    sign_in(client, waiting["nia"])
    page = text(client.get(f"/t/{waiting['thread_id']}"))
    assert "First posts from new members are read by a moderator before others see them." in page
    assert "We do not have enough recent history" in page
    assert f'href="/p/{waiting["first_id"]}/edit"' in page
    assert f'formaction="/p/{waiting["first_id"]}/delete"' in page
    assert client.post(f"/p/{waiting['first_id']}/delete").status_code == 302
    with app.app_context():
        assert db.session.get(Post, waiting["first_id"]).state == "deleted"


def test_the_usual_wait_comes_from_the_queue_and_is_cached(app, waiting):
    with app.app_context():
        now = utcnow()
        community_id, first_id = waiting["community_id"], waiting["first_id"]
        for hours in (1, 3, 5):
            db.session.add(ReviewItem(post_id=first_id, community_id=community_id, kind="held", priority=1,
                                      text_hash=f"h{hours}", reasons=["x"], status="closed", outcome="approved",
                                      created_at=now - timedelta(hours=hours + 1), closed_at=now - timedelta(hours=1)))
        # An old decision is outside the 30 days and does not count.
        db.session.add(ReviewItem(post_id=first_id, community_id=community_id, kind="held", priority=1,
                                  text_hash="old", reasons=["x"], status="closed", outcome="approved",
                                  created_at=now - timedelta(days=60), closed_at=now - timedelta(days=40)))
        db.session.commit()
        moderation._wait_cache.clear()
        assert moderation.typical_wait() == "Moderators usually decide within about 3 hours."
        db.session.execute(sa.delete(ReviewItem))
        db.session.commit()
        assert moderation.typical_wait() == "Moderators usually decide within about 3 hours."  # cached
        moderation._wait_cache.clear()
        assert "not have enough recent history" in moderation.typical_wait()


def test_others_never_see_the_reason_a_post_waits(app, client, waiting):
    with app.app_context():
        community = db.session.get(Community, waiting["community_id"])
        mo = person("mo")
        add_member(mo, community)
        thread_id = start_thread(db.session.get(User, mo.id), community, "Open thread", "Published text.")[0].id
        nia = db.session.get(User, waiting["nia"].id)
        from community.forums import services as forums

        forums.reply(nia.id, thread_id, "My first reply here.")
    sign_in(client, waiting["bo"])
    page = text(client.get(f"/t/{thread_id}"))
    assert "Published text." in page and "My first reply here." not in page
    assert "First posts from new members" not in page


@pytest.fixture
def rejected(app, waiting):
    with app.app_context():
        post = db.session.get(Post, waiting["first_id"])
        thread = db.session.get(Thread, post.thread_id)
        lifecycle.reject(post, thread, db.session.get(Community, thread.community_id))
        post.notices = [{"kind": "moderator", "text": "A moderator did not publish this post. Their reason: selling inhalers"}]
        db.session.commit()
    return waiting


def test_the_author_of_a_rejected_post_sees_the_reason_and_an_appeal_link_and_no_reply_box(client, rejected):
    sign_in(client, rejected["nia"])
    page = text(client.get(f"/t/{rejected['thread_id']}"))
    assert "Their reason: selling inhalers" in page
    assert '<a href="/account/standing">Appeal</a>' in page
    assert 'action="/t/%d/reply' % rejected["thread_id"] not in page
    assert "so it takes no replies" in page


def test_the_api_refuses_a_reply_to_a_rejected_thread_clearly(app, client, rejected):
    headers = token(client, "nia")
    response = client.post(f"/api/v1/threads/{rejected['thread_id']}/posts", json={"body": "Please?"}, headers=headers)
    assert_error(response, 403, field=None)
    assert "not published" in response.json["error"]["message"]
    with app.app_context():
        assert count(Post, Post.thread_id == rejected["thread_id"]) == 1
