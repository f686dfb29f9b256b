"""community/forums/lifecycle.py: each state change moves the counters, the search index and the
thread's copy of the state together, and repeating one changes nothing more."""
import sqlalchemy as sa

from community.accounts.models import User
from community.extensions import db
from community.forums import lifecycle, search
from community.forums import services as forums
from community.forums.models import Community, Post, Thread
from community.forums.visibility import viewer_for
from tests.helpers import add_member, create_community, create_user, start_thread


def _state(thread_id, post_id):
    db.session.expire_all()
    thread, post = db.session.get(Thread, thread_id), db.session.get(Post, post_id)
    community = db.session.get(Community, thread.community_id)
    found = {p.id for p, *_ in search.search(viewer_for(None), "pelargonium")}
    approved = db.session.get(User, post.author_id).approved_posts
    return post.state, thread.state, community.thread_count, thread.reply_count, post_id in found, approved


def _change(fn, post_id):
    post = db.session.get(Post, post_id)
    thread = db.session.get(Thread, post.thread_id)
    fn(post, thread, db.session.get(Community, thread.community_id))
    db.session.commit()


def test_an_opening_post_moves_the_thread_count_the_index_and_the_threads_state(ctx):
    alex = create_user("alex")
    thread, post = start_thread(alex, create_community(), title="Pelargonium tea", body="Pelargonium every morning.")
    assert _state(thread.id, post.id) == ("published", "published", 1, 0, True, 3)
    for fn, expected in [
        (lifecycle.hide, ("hidden", "hidden", 0, 0, False, 3)),
        (lifecycle.hide, ("hidden", "hidden", 0, 0, False, 3)),          # a repeat changes nothing
        (lifecycle.restore, ("published", "published", 1, 0, True, 3)),
        (lifecycle.restore, ("published", "published", 1, 0, True, 3)),
        (lifecycle.hold, ("held", "held", 0, 0, False, 3)),
        (lifecycle.publish, ("published", "published", 1, 0, True, 4)),  # approval: the author's trust grows
        (lifecycle.publish, ("published", "published", 1, 0, True, 4)),
        (lifecycle.reject, ("rejected", "rejected", 0, 0, False, 4)),
    ]:
        _change(fn, post.id)
        assert _state(thread.id, post.id) == expected, fn.__name__


def test_a_reply_moves_the_reply_count_and_leaves_the_thread_alone(ctx):
    alex, sam = create_user("alex"), create_user("sam")
    community = create_community()
    thread, _ = start_thread(alex, community)
    add_member(sam, community)
    reply = forums.reply(sam.id, thread.id, "Pelargonium helps me too.")
    assert _state(thread.id, reply.id)[:5] == ("published", "published", 1, 1, True)
    _change(lifecycle.hide, reply.id)
    assert _state(thread.id, reply.id)[:5] == ("hidden", "published", 1, 0, False)
    _change(lifecycle.restore, reply.id)
    post = db.session.get(Post, reply.id)
    lifecycle.delete(post, db.session.get(Thread, thread.id))
    db.session.commit()
    assert _state(thread.id, reply.id)[:5] == ("deleted", "published", 1, 0, False)


def test_a_merge_moves_published_posts_and_the_counts(ctx):
    alex = create_user("alex")
    community = create_community()
    first, _ = start_thread(alex, community, title="Mornings")
    duplicate, dup_post = start_thread(alex, community, title="Pelargonium again", body="Pelargonium?")
    lifecycle.merge(db.session.get(Thread, duplicate.id), db.session.get(Thread, first.id),
                    db.session.get(Community, community.id))
    db.session.commit()
    db.session.expire_all()
    moved = db.session.get(Post, dup_post.id)
    assert (moved.thread_id, moved.number) == (first.id, 2)
    assert db.session.get(Thread, first.id).reply_count == 1
    assert db.session.get(Thread, duplicate.id).state == "merged"
    assert db.session.get(Community, community.id).thread_count == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Thread).where(Thread.state == "published")) == 1
