"""A post's state changes, in one place.

Every change of state that moves a post into or out of view does three things together: the
counters (the community's thread count or the thread's reply count, the author's approved
posts), the search index, and the thread's copy of its opening post's state. The pipeline, the
moderators' queue, flags, appeals, thread merges and the author's own delete all come here, so
none of them can forget one of the three. Callers own the transaction and the checks of who may.

Lock order, for every writer of posts: the thread, then the post (both FOR NO KEY UPDATE, which
an inserted reply's foreign-key check does not wait on), then the counters: the community's,
then the author's. `lock` takes the first two; `_count` and `publish` write the counters with
plain UPDATEs after the post. Two writers that both follow it can wait for each other but never
in a cycle (a joined `users` row under FOR UPDATE once gave deadlocks under ordinary load).
"""
import sqlalchemy as sa

from .. import dispatch
from ..accounts.models import User
from ..extensions import db
from ..models_base import utcnow
from . import search
from .models import Community, PostState, Thread

VISIBLE = PostState.PUBLISHED


def lock(post_id):
    """Lock a post's thread, then the post, and load both fresh. Returns (post, thread), or
    (None, None) if the post is gone. Call before changing either, in the same transaction."""
    from .models import Post

    for _ in range(3):
        thread_id = db.session.scalar(sa.select(Post.thread_id).where(Post.id == post_id))
        if thread_id is None:
            return None, None
        thread = db.session.scalar(
            sa.select(Thread).where(Thread.id == thread_id).with_for_update(of=Thread, key_share=True)
            .options(sa.orm.lazyload("*")).execution_options(populate_existing=True))
        post = db.session.scalar(
            sa.select(Post).where(Post.id == post_id).with_for_update(of=Post, key_share=True)
            .options(sa.orm.lazyload("*")).execution_options(populate_existing=True))
        if post is None:
            return None, None
        if post.thread_id == thread_id:
            return post, thread
        # Moved by a merge between the two reads: lock its new thread instead.
    raise RuntimeError(f"post {post_id} keeps moving between threads")


def _set_state(post, thread, state):
    post.state = state.value
    if post.number == 1:
        thread.state = state.value


def _count(post, thread, community, step):
    if post.number == 1:
        # After the thread and post (see the lock order above): flush them first.
        db.session.flush()
        db.session.execute(sa.update(Community).where(Community.id == community.id)
                           .values(thread_count=Community.thread_count + step))
    else:
        thread.reply_count = Thread.reply_count + step


def reindex(post, thread):
    """A published post's text or title changed (or it now stands as a reply): index it again."""
    if post.state == VISIBLE:
        search.index(post.id, thread.title if post.number == 1 else "", post.body_html)


def _leave_view(post, thread, community):
    if post.state == VISIBLE:
        search.remove(post.id)
        _count(post, thread, community, -1)


def publish(post, thread, community):
    """The pipeline passed it, or a moderator approved it (pending, held, or an overturned rejection).
    The author's trust grows with each post published."""
    if post.state == VISIBLE:
        return
    _set_state(post, thread, PostState.PUBLISHED)
    _count(post, thread, community, +1)
    thread.last_activity_at = utcnow()
    db.session.execute(sa.update(User).where(User.id == post.author_id).values(approved_posts=User.approved_posts + 1))
    db.session.flush()
    reindex(post, thread)
    from ..notifications.services import enabled

    if enabled():
        dispatch.enqueue_once("notifications.post_published", post.id)


def hold(post, thread, community):
    """Waiting for a moderator: out of view until they decide."""
    _leave_view(post, thread, community)
    _set_state(post, thread, PostState.HELD)


def reject(post, thread, community):
    _leave_view(post, thread, community)
    _set_state(post, thread, PostState.REJECTED)


def hide(post, thread, community):
    """By moderators or flags; only a published post can be hidden."""
    if post.state == VISIBLE:
        _leave_view(post, thread, community)
        _set_state(post, thread, PostState.HIDDEN)


def restore(post, thread, community):
    if post.state == PostState.HIDDEN:
        _set_state(post, thread, PostState.PUBLISHED)
        _count(post, thread, community, +1)
        reindex(post, thread)


def delete(post, thread):
    """By the author. Only the post changes state: a deleted opening post leaves its thread listed
    and readable (its replies stay), so only a reply changes a count."""
    if post.state == VISIBLE:
        search.remove(post.id)
        if post.number > 1:
            thread.reply_count = Thread.reply_count - 1
    post.state = PostState.DELETED.value


def merge(thread, into, community):
    """A duplicate thread's posts move to the end of `into`; its URL then redirects there."""
    from .models import Post

    posts = db.session.scalars(sa.select(Post).where(Post.thread_id == thread.id).order_by(Post.number)).all()
    number, moved = into.last_post_number, 0
    for post in posts:
        number += 1
        post.thread_id, post.number = into.id, number
        if post.state == VISIBLE:
            moved += 1
            # Its title no longer heads a thread: indexed as a reply.
            search.index(post.id, "", post.body_html)
    into.last_post_number = number
    into.reply_count = Thread.reply_count + moved
    into.last_activity_at = max(into.last_activity_at, thread.last_activity_at)
    thread.state, was = "merged", thread.state
    thread.merged_into_id = into.id
    thread.last_post_number = 0
    thread.reply_count = 0
    if was == VISIBLE:
        db.session.flush()  # threads, then posts, then the community's counter
        db.session.execute(sa.update(Community).where(Community.id == community.id)
                           .values(thread_count=Community.thread_count - 1))
