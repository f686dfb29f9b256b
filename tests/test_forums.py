"""Forum behaviour through the web: communities, threads, posts, reactions, bookmarks, ignores,
listing and paging, validation, and the moderation pipeline's dispatch.

HTTP requests are made with no app context pushed (see tests/forum_helpers.py for why);
database checks run inside `with app.app_context():`.
"""
import base64
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from community import dispatch
from community.accounts.models import User
from community.core.models import Outbox
from community.errors import Forbidden
from community.extensions import celery, db
from community.forums import services as forums
from community.moderation import pipeline
from community.forums.models import (
    Bookmark, Community, Ignore, Membership, Post, PostRevision, Reaction, Thread,
)
from community.models_base import utcnow
from tests.conftest import count
from tests.forum_helpers import (
    broker_down, bulk_replies, field_error, person, reply_as, search_titles, set_post_state, sign_in, text, textarea,
    thread_titles, unused_id,
)
from tests.helpers import add_member, add_moderator, create_community, start_thread

MODERATE = "moderation.moderate_post"


@pytest.fixture
def world(app):
    """A public community with two members (alex, bo), a thread by alex and a reply by bo."""
    with app.app_context():
        community = create_community("asthma")
        alex, bo = person("alex"), person("bo")
        add_member(alex, community)
        add_member(bo, community)
        thread, first = start_thread(alex, community, "Spacer technique", "Does a spacer help with the inhaler?")
        reply_id = reply_as(bo, thread.id, "Yes, a spacer helps me every morning.")
        return SimpleNamespace(community_id=community.id, slug=community.slug, alex=alex, bo=bo,
                               thread_id=thread.id, first_id=first.id, reply_id=reply_id)


def client_for(app, who):
    client = app.test_client()
    sign_in(client, who)
    return client


def snapshot():
    """Row counts of everything a post attempt could write."""
    return {m.__name__: count(m) for m in (Thread, Post, PostRevision, Outbox, Reaction, Bookmark)}


# ------------------------------------------------------------------ communities


def test_join_and_leave_keep_member_count(app, world):
    with app.app_context():
        carol = person("carol")
    client = client_for(app, carol)
    page = text(client.get(f"/c/{world.slug}"))
    assert "2 members" in page and "1 thread" in page and "Join community" in page

    response = client.post(f"/c/{world.slug}/join")
    assert response.status_code == 302 and response.headers["Location"] == f"/c/{world.slug}"
    # Joining twice is harmless: one membership, the count moves once.
    assert client.post(f"/c/{world.slug}/join").status_code == 302
    with app.app_context():
        assert count(Membership, Membership.user_id == carol.id) == 1
        assert db.session.get(Community, world.community_id).member_count == 3
    page = text(client.get(f"/c/{world.slug}"))
    assert "3 members" in page and "Leave community" in page and "New thread" in page

    assert client.post(f"/c/{world.slug}/leave").status_code == 302
    assert client.post(f"/c/{world.slug}/leave").status_code == 302
    with app.app_context():
        assert count(Membership, Membership.user_id == carol.id) == 0
        assert db.session.get(Community, world.community_id).member_count == 2
    assert "2 members" in text(client.get(f"/c/{world.slug}"))
    # The home page shows the same counts.
    assert "2 members · 1 thread" in text(app.test_client().get("/"))


def test_start_thread_is_pending_until_the_pipeline_publishes_it(app, world, monkeypatch):
    broker_down(monkeypatch)
    alex_client = client_for(app, world.alex)
    response = alex_client.post(f"/c/{world.slug}/new", data={"title": "Peak flow diary", "body": "I log mine daily."})
    assert response.status_code == 302
    match = re.fullmatch(r"/t/(\d+)#p(\d+)", response.headers["Location"])
    assert match, response.headers["Location"]
    thread_id, post_id = int(match.group(1)), int(match.group(2))
    with app.app_context():
        post, thread = db.session.get(Post, post_id), db.session.get(Thread, thread_id)
        assert (post.state, post.moderation_status, thread.state) == ("pending", "pending", "pending")
        assert count(Outbox, Outbox.task == MODERATE, Outbox.sent_at.is_(None)) == 1
        assert db.session.get(Community, world.community_id).thread_count == 1

    # The author sees it, marked as being checked; nobody else does.
    own = text(alex_client.get(f"/t/{thread_id}"))
    assert "I log mine daily." in own and "Checking your post" in own
    assert "Peak flow diary" in thread_titles(text(alex_client.get(f"/c/{world.slug}")))
    bo_client = client_for(app, world.bo)
    assert bo_client.get(f"/t/{thread_id}").status_code == 404
    assert "Peak flow diary" not in thread_titles(text(bo_client.get(f"/c/{world.slug}")))

    # The broker is back: the relay publishes the outbox row and the pipeline publishes the post.
    monkeypatch.undo()
    with app.app_context():
        assert dispatch.relay(older_than=timedelta(0)) == 1
    with app.app_context():
        post, thread = db.session.get(Post, post_id), db.session.get(Thread, thread_id)
        assert (post.state, post.moderation_status, thread.state) == ("published", "done", "published")
        assert count(Outbox, Outbox.sent_at.is_(None)) == 0
        assert db.session.get(Community, world.community_id).thread_count == 2
    listing = thread_titles(text(bo_client.get(f"/c/{world.slug}")))
    assert listing[0] == "Peak flow diary"  # newest activity first
    page = text(bo_client.get(f"/t/{thread_id}"))
    assert "I log mine daily." in page and "Checking your post" not in page


def test_reply_is_published_and_counted(app, world):
    client = client_for(app, world.bo)
    response = client.post(f"/t/{world.thread_id}/reply", data={"body": "Rinse your mouth after, too."})
    assert response.status_code == 302
    with app.app_context():
        post = db.session.scalar(sa.select(Post).where(Post.body == "Rinse your mouth after, too."))
        assert response.headers["Location"] == f"/t/{world.thread_id}#p{post.id}"
        assert (post.number, post.state, post.author_id) == (3, "published", world.bo.id)
        assert db.session.get(Thread, world.thread_id).reply_count == 2
        assert count(Outbox, Outbox.sent_at.is_(None)) == 0
    page = text(app.test_client().get(f"/t/{world.thread_id}"))
    assert "Rinse your mouth after, too." in page and "2 replies" in page


def test_quote_prefills_the_reply_box(app, world):
    with app.app_context():
        multi = reply_as(world.bo, world.thread_id, "First line <here>.\nSecond line.")
    client = client_for(app, world.alex)
    box = textarea(text(client.get(f"/t/{world.thread_id}?quote={multi}")))
    assert box.strip().splitlines()[:3] == [
        "&gt; First line &lt;here&gt;.", "&gt; Second line.", "&gt; — @bo",
    ]
    # Without ?quote the box is empty; a quote of a post you cannot see is not found.
    assert textarea(text(client.get(f"/t/{world.thread_id}"))).strip() == ""
    with app.app_context():
        missing = unused_id(Post)
    assert client.get(f"/t/{world.thread_id}?quote={missing}").status_code == 404


def test_edit_own_post_keeps_history_and_others_cannot_edit(app, world):
    bo = client_for(app, world.bo)
    form = bo.get(f"/p/{world.reply_id}/edit")
    assert form.status_code == 200 and "Yes, a spacer helps me every morning." in textarea(text(form))

    response = bo.post(f"/p/{world.reply_id}/edit", data={"body": "Yes, a valved spacer helps most mornings."})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#p{world.reply_id}")
    with app.app_context():
        post = db.session.get(Post, world.reply_id)
        assert post.body == "Yes, a valved spacer helps most mornings." and post.edited_at is not None
        assert post.state == "published" and post.moderation_status == "done"  # re-checked by the pipeline
        revisions = db.session.scalars(sa.select(PostRevision).where(PostRevision.post_id == post.id)).all()
        assert [r.body for r in revisions] == ["Yes, a spacer helps me every morning."]
    history = bo.get(f"/p/{world.reply_id}/history")
    assert history.status_code == 200
    assert "Yes, a spacer helps me every morning." in text(history)
    assert "valved spacer" in text(history)
    # Others learn only that it was edited (tests/test_revision_privacy.py covers every role).
    assert "spacer helps me every morning" not in text(app.test_client().get(f"/p/{world.reply_id}/history"))
    # The search index follows the edit.
    assert search_titles(text(app.test_client().get("/search?q=valved"))) == ["Spacer technique"]

    alex = client_for(app, world.alex)
    assert alex.get(f"/p/{world.reply_id}/edit").status_code == 403
    with app.app_context():
        before = snapshot()
    assert alex.post(f"/p/{world.reply_id}/edit", data={"body": "Hijacked."}).status_code == 403
    with app.app_context():
        assert snapshot() == before
        assert db.session.get(Post, world.reply_id).body == "Yes, a valved spacer helps most mornings."


def test_delete_own_post_leaves_a_placeholder_and_leaves_search(app, world):
    anyone = app.test_client()
    assert search_titles(text(anyone.get("/search?q=morning"))) == ["Spacer technique"]
    bo = client_for(app, world.bo)
    bo.post(f"/p/{world.reply_id}/edit", data={"body": "Yes, a spacer helps me every single morning."})
    bo.post(f"/p/{world.reply_id}/react/like", data={"on": "1"})
    # Only the author may delete.
    assert client_for(app, world.alex).post(f"/p/{world.reply_id}/delete").status_code == 403

    response = bo.post(f"/p/{world.reply_id}/delete")
    assert response.status_code == 302
    page = text(anyone.get(f"/t/{world.thread_id}"))
    assert "This post was removed by its author." in page
    assert "spacer helps me" not in page
    assert "0 replies" in page
    with app.app_context():
        post = db.session.get(Post, world.reply_id)
        assert (post.state, post.body, post.body_html, post.reactions) == ("deleted", "", "", {})
        assert count(PostRevision, PostRevision.post_id == post.id) == 0
        assert count(Reaction, Reaction.post_id == post.id) == 0
    assert search_titles(text(anyone.get("/search?q=morning"))) == []
    history = anyone.get(f"/p/{world.reply_id}/history")
    assert history.status_code == 200 and "spacer helps me" not in text(history)
    # Deleting again changes nothing; editing a deleted post is refused.
    assert bo.post(f"/p/{world.reply_id}/delete").status_code == 302
    assert bo.post(f"/p/{world.reply_id}/edit", data={"body": "Back again."}).status_code == 403
    assert bo.get(f"/p/{world.reply_id}/edit").status_code == 403
    with app.app_context():
        assert db.session.get(Post, world.reply_id).body == ""
        assert db.session.get(Thread, world.thread_id).reply_count == 0


def test_reactions_toggle_and_count(app, world):
    alex, bo = client_for(app, world.alex), client_for(app, world.bo)
    target = f"/p/{world.reply_id}/react"

    def reactions():
        with app.app_context():
            return db.session.get(Post, world.reply_id).reactions

    assert alex.post(f"{target}/like", data={"on": "1"}).status_code == 302
    assert alex.post(f"{target}/like", data={"on": "1"}).status_code == 302  # "on" twice is still one
    assert bo.post(f"{target}/like", data={"on": "1"}).status_code == 302
    assert alex.post(f"{target}/hug", data={"on": "1"}).status_code == 302
    assert alex.post(f"{target}/helpful", data={"on": "1"}).status_code == 302
    assert reactions() == {"like": 2, "hug": 1, "helpful": 1}
    page = text(alex.get(f"/t/{world.thread_id}"))
    assert re.search(r'class="reaction on" aria-pressed="true">Like <span class="n">2</span>', page)
    assert re.search(r'aria-pressed="true">Hug <span class="n">1</span>', page)

    assert alex.post(f"{target}/like", data={"on": "0"}).status_code == 302
    assert alex.post(f"{target}/helpful", data={"on": "0"}).status_code == 302
    assert reactions() == {"like": 1, "hug": 1}
    with app.app_context():
        assert count(Reaction, Reaction.post_id == world.reply_id) == 2
    # Visitors see the counts but cannot react; unknown kinds do not exist.
    assert re.search(r'<span class="reaction static">Like <span class="n">1</span>', text(app.test_client().get(f"/t/{world.thread_id}")))
    assert app.test_client().post(f"{target}/like", data={"on": "1"}).status_code == 302  # to the login page
    assert alex.post(f"{target}/angry", data={"on": "1"}).status_code == 404
    assert reactions() == {"like": 1, "hug": 1}


def test_rendered_posts_are_shared_but_never_stale_or_personal(app, world):
    """The thread page reuses each post's rendered HTML across readers (forums/fragments.py):
    every change must show at once, and one reader's marks must never reach another."""
    with app.app_context():
        cy = person("cy")
        add_member(cy, db.session.get(Community, world.community_id))
    alex, bo, cy = client_for(app, world.alex), client_for(app, world.bo), client_for(app, cy)
    page = f"/t/{world.thread_id}"
    reply = f'id="p{world.reply_id}"'

    def post_html(client):
        html = text(client.get(page))
        start = html.index(reply)
        return html[start:html.index("</article>", start)]

    assert "every morning" in post_html(cy) and "Edit</a>" not in post_html(cy)  # cy's view is now cached
    assert "Edit</a>" in post_html(bo)  # the author still gets their own controls
    assert alex.post(f"/p/{world.reply_id}/react/hug", data={"on": "1"}).status_code == 302
    assert alex.post(f"/p/{world.reply_id}/bookmark", data={"on": "1"}).status_code == 302
    assert 'aria-pressed="true">Hug <span class="n">1</span>' in post_html(alex)
    assert ">Bookmarked<" in post_html(alex)
    mine = post_html(cy)  # the new count, without alex's pressed button or bookmark
    assert 'aria-pressed="false">Hug <span class="n">1</span>' in mine and ">Bookmark<" in mine
    assert bo.post(f"/p/{world.reply_id}/edit", data={"body": "A spacer and a mask now."}).status_code == 302
    assert "A spacer and a mask now." in post_html(cy)
    assert "badge moderator" not in post_html(cy)
    with app.app_context():
        add_moderator(db.session.get(User, world.bo.id), db.session.get(Community, world.community_id))
    assert "badge moderator" in post_html(cy)  # a new moderator's badge shows on their cached posts at once
    assert cy.post(f"/u/{world.bo.id}/ignore", data={"on": "1"}).status_code == 302
    assert "whom you ignore, is hidden" in post_html(cy) and "whom you ignore" not in post_html(alex)
    with app.app_context():
        set_post_state(world.reply_id, "hidden")
    assert reply not in text(cy.get(page)) and reply in text(bo.get(page))


def test_thread_lists_are_shared_but_show_every_change_at_once(app, world):
    """Community and home lists reuse each thread's rendered item (forums/fragments.py)."""
    bo = client_for(app, world.bo)

    def item(path):
        html = text(bo.get(path))
        start = html.index(f'href="/t/{world.thread_id}"')
        return html[start:html.index("</li>", start)]

    assert "1 reply" in item(f"/c/{world.slug}") and "1 reply" in item("/")
    with app.app_context():
        reply_as(world.alex, world.thread_id, "A second answer.")
    assert "2 replies" in item(f"/c/{world.slug}") and "2 replies" in item("/")
    with app.app_context():
        db.session.get(Thread, world.thread_id).title = "Spacer technique, revisited"
        db.session.commit()
    assert "revisited" in item(f"/c/{world.slug}") and "revisited" in item("/")


def test_bookmarks_list(app, world):
    alex = client_for(app, world.alex)
    assert "No bookmarks yet" in text(alex.get("/bookmarks"))
    assert alex.post(f"/p/{world.reply_id}/bookmark", data={"on": "1"}).status_code == 302
    assert alex.post(f"/p/{world.reply_id}/bookmark", data={"on": "1"}).status_code == 302
    with app.app_context():
        assert count(Bookmark, Bookmark.user_id == world.alex.id) == 1
    page = text(alex.get("/bookmarks"))
    assert f'href="/t/{world.thread_id}#p{world.reply_id}">Spacer technique</a>' in page
    assert "post by bo" in page
    # Someone else's bookmarks are their own.
    assert "Spacer technique" not in text(client_for(app, world.bo).get("/bookmarks"))
    assert alex.post(f"/p/{world.reply_id}/bookmark", data={"on": "0"}).status_code == 302
    assert "No bookmarks yet" in text(alex.get("/bookmarks"))

    # A bookmark in a members-only community disappears from the list when alex leaves it.
    with app.app_context():
        private = create_community("lupus", visibility="members")
        thread, first = start_thread(world.alex, private, "Private flare notes", "Only for members.")
        private_post = first.id
    alex.post(f"/p/{private_post}/bookmark", data={"on": "1"})
    assert "Private flare notes" in text(alex.get("/bookmarks"))
    alex.post("/c/lupus/leave")
    assert "Private flare notes" not in text(alex.get("/bookmarks"))


def test_ignoring_a_member_hides_their_posts_from_me_only(app, world):
    alex = client_for(app, world.alex)
    response = alex.post(f"/u/{world.bo.id}/ignore", data={"on": "1"})
    assert response.status_code == 302
    with app.app_context():
        assert count(Ignore, Ignore.user_id == world.alex.id, Ignore.ignored_id == world.bo.id) == 1
    page = text(alex.get(f"/t/{world.thread_id}"))
    assert "spacer helps me" not in page
    assert "A post from bo, whom you ignore, is hidden." in page
    assert "Does a spacer help" in page  # their own post is still there
    # Others still see it.
    assert "spacer helps me" in text(app.test_client().get(f"/t/{world.thread_id}"))
    assert "Stop ignoring bo" in text(alex.get(f"/u/{world.bo.id}"))

    alex.post(f"/u/{world.bo.id}/ignore", data={"on": "0"})
    assert "spacer helps me" in text(alex.get(f"/t/{world.thread_id}"))
    # Nobody can ignore themselves.
    alex.post(f"/u/{world.alex.id}/ignore", data={"on": "1"})
    with app.app_context():
        assert count(Ignore) == 0


# ------------------------------------------------------------------ listing and paging


def _encode(raw):
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def test_thread_list_by_last_activity_pinned_first_with_keyset_pages(app):
    with app.app_context():
        community = create_community("copd")
        erin = person("erin")
        add_member(erin, community)
        base = utcnow() - timedelta(days=10)
        # 31 threads; pairs share a timestamp so the page boundary falls inside a tie.
        for i in range(31):
            db.session.add(Thread(community_id=community.id, author_id=erin.id, title=f"Thread {i:02d}",
                                  state="published", last_activity_at=base + timedelta(minutes=i // 2)))
        db.session.commit()
        old = db.session.scalar(sa.select(Thread).where(Thread.title == "Thread 00"))
        pinned = db.session.scalar(sa.select(Thread).where(Thread.title == "Thread 01"))
        pinned.pinned = True
        db.session.commit()
        # A reply to the oldest thread brings it to the top.
        db.session.add(Post(thread_id=old.id, author_id=erin.id, number=1, body="x", body_html="<p>x</p>",
                            state="published"))
        old.last_post_number = 1
        db.session.commit()
        reply_as(erin, old.id, "Bumping this one.")
        by_activity = [t.title for t in db.session.scalars(
            sa.select(Thread).where(~Thread.pinned).order_by(Thread.last_activity_at.desc(), Thread.id.desc()))]
    assert by_activity[0] == "Thread 00"

    client = app.test_client()
    first = text(client.get("/c/copd"))
    titles = thread_titles(first)
    assert titles[0] == "Thread 01"  # pinned first
    assert titles[1:] == by_activity[:25]
    cursor = re.search(r'href="/c/copd\?after=([^"]+)">Older threads', first).group(1)

    second = client.get(f"/c/copd?after={cursor}")
    assert second.status_code == 200
    rest = thread_titles(text(second))
    assert rest == by_activity[25:]  # no duplicates, no gaps, pinned not repeated
    assert "Older threads" not in text(second) and "Newest threads" in text(second)
    assert sorted(titles + rest) == sorted(f"Thread {i:02d}" for i in range(31))

    bad = ["garbage", "%C3%A9", _encode("a|b|c"), _encode("yesterday|3"),
           _encode("2024-01-01T00:00:00|3"),  # naive time
           _encode("2024-01-01T00:00:00+00:00|99999999999999999999"),  # beyond the id column
           _encode("2024-01-01T00:00:00+00:00|-4")]
    for cursor in bad:
        assert client.get(f"/c/copd?after={cursor}").status_code == 404, cursor


def test_thread_pages_hold_20_posts(app, world):
    with app.app_context():
        bulk_replies(world.thread_id, world.alex.id, 39)  # posts 3..41
    client = app.test_client()
    first = text(client.get(f"/t/{world.thread_id}"))
    assert "Does a spacer help" in first and "Filler reply 20." in first and "Filler reply 21." not in first
    assert "page 1 of 3" in first and f'href="/t/{world.thread_id}?page=2" rel="next"' in first
    second = text(client.get(f"/t/{world.thread_id}?page=2"))
    numbers = [int(n) for n in re.findall(r"Filler reply (\d+)\.", second)]
    assert numbers == list(range(21, 41))
    third = text(client.get(f"/t/{world.thread_id}?page=3"))
    assert re.findall(r"Filler reply (\d+)\.", third) == ["41"]
    for page in ("4", "0", "-1", "999999999999"):
        assert client.get(f"/t/{world.thread_id}?page={page}").status_code == 404, page
    # A post's URL points at its page.
    with app.app_context():
        post = db.session.scalar(sa.select(Post).where(Post.thread_id == world.thread_id, Post.number == 21))
        from community.forums.views import post_url
        with app.test_request_context():
            assert post_url(post) == f"/t/{world.thread_id}?page=2#p{post.id}"


# ------------------------------------------------------------------ validation and refusals


NEW_THREAD_CASES = [
    ("", "Some words.", {"title": "Give your thread a title."}),
    ("   ", "Some words.", {"title": "Give your thread a title."}),
    ("A title", "", {"body": "Write something first."}),
    ("A title", " \n\t ", {"body": "Write something first."}),
    ("x" * 201, "Some words.", {"title": "200"}),
    ("A title", "y" * 50_001, {"body": "at most 50,000 characters"}),
    ("", "", {"title": "Give your thread a title.", "body": "Write something first."}),
]


def test_new_thread_validation(app, world):
    client = client_for(app, world.alex)
    with app.app_context():
        before = snapshot()
    for title, body, errors in NEW_THREAD_CASES:
        case = (title[:20], body[:20])
        response = client.post(f"/c/{world.slug}/new", data={"title": title, "body": body})
        assert response.status_code == 422, case
        html = text(response)
        for name, message in errors.items():
            assert message in (field_error(html, name) or ""), (case, name, field_error(html, name))
        for name in {"title", "body"} - set(errors):
            assert field_error(html, name) is None, case
        # What was typed comes back (a long body is not thrown away).
        if body.strip():
            assert body[:100] in textarea(html), case
        with app.app_context():
            assert snapshot() == before, case

    # The limits themselves are allowed.
    response = client.post(f"/c/{world.slug}/new", data={"title": "t" * 200, "body": "b" * 50_000})
    assert response.status_code == 302
    with app.app_context():
        post = db.session.get(Post, int(response.headers["Location"].split("#p")[1]))
        assert len(post.body) == 50_000 and post.state == "published"
        assert db.session.get(Thread, post.thread_id).title == "t" * 200


def test_reply_and_edit_validation(app, world):
    client = client_for(app, world.bo)
    with app.app_context():
        before = snapshot()
    for body, message in [("", "Write something first."), ("  \n ", "Write something first."),
                          ("z" * 50_001, "at most 50,000 characters")]:
        response = client.post(f"/t/{world.thread_id}/reply", data={"body": body})
        assert response.status_code == 422 and message in field_error(text(response), "body"), body[:10]
        response = client.post(f"/p/{world.reply_id}/edit", data={"body": body})
        assert response.status_code == 422 and message in field_error(text(response), "body"), body[:10]
    with app.app_context():
        assert snapshot() == before
        assert db.session.get(Post, world.reply_id).body == "Yes, a spacer helps me every morning."


def test_request_body_over_the_limit_is_refused(app, world):
    client = client_for(app, world.alex)
    limit = app.config["MAX_CONTENT_LENGTH"]
    with app.app_context():
        before = snapshot()
    huge = "w" * (limit + 1024)
    assert client.post(f"/t/{world.thread_id}/reply", data={"body": huge}).status_code == 413
    assert client.post(f"/c/{world.slug}/new", data={"title": "Big", "body": huge}).status_code == 413
    with app.app_context():
        assert snapshot() == before


def test_unverified_email_cannot_post(app, world):
    with app.app_context():
        fresh = person("fresh", verified=False)
        add_member(fresh, db.session.get(Community, world.community_id))
        before = snapshot()
    client = client_for(app, fresh)
    form = client.get(f"/c/{world.slug}/new")
    refusal = "Please confirm your email address before posting."
    assert form.status_code == 403 and refusal in text(form)
    response = client.post(f"/c/{world.slug}/new", data={"title": "Hello", "body": "My first post."})
    assert response.status_code == 403 and refusal in text(response)
    response = client.post(f"/t/{world.thread_id}/reply", data={"body": "My first reply."})
    assert response.status_code == 403 and refusal in text(response)
    assert "Confirm your email address to reply." in text(client.get(f"/t/{world.thread_id}"))
    with app.app_context():
        assert snapshot() == before


def test_non_member_cannot_post(app, world):
    with app.app_context():
        gus = person("gus")
        before = snapshot()
    client = client_for(app, gus)
    assert client.get(f"/c/{world.slug}/new").status_code == 403
    response = client.post(f"/c/{world.slug}/new", data={"title": "Hello", "body": "Not a member."})
    assert response.status_code == 403 and "Join this community to post in it." in text(response)
    response = client.post(f"/t/{world.thread_id}/reply", data={"body": "Not a member."})
    assert response.status_code == 403 and "Join this community to post in it." in text(response)
    assert "Join Asthma to reply." in text(client.get(f"/t/{world.thread_id}"))
    with app.app_context():
        assert snapshot() == before
        # The service refuses too, whatever calls it.
        with pytest.raises(Forbidden):
            forums.create_thread(gus.id, world.community_id, "Direct", "Direct call.")
        assert snapshot() == before


def test_locked_thread_refuses_replies(app, world):
    with app.app_context():
        db.session.get(Thread, world.thread_id).locked = True
        db.session.commit()
        before = snapshot()
    client = client_for(app, world.bo)
    page = text(client.get(f"/t/{world.thread_id}"))
    assert "This thread is locked. Replies are closed." in page and 'action="/t/' not in page
    response = client.post(f"/t/{world.thread_id}/reply", data={"body": "Let me in."})
    assert response.status_code == 403 and "This thread is locked; replies are closed." in text(response)
    with app.app_context():
        assert snapshot() == before


def test_unknown_ids_are_not_found(app, world):
    with app.app_context():
        boss = person("boss", role="admin", totp=True)
        missing = max(unused_id(model) for model in (Post, Thread, User, Community))
    client = client_for(app, boss)
    for url in [f"/t/{missing}", f"/t/{missing}?page=2", f"/p/{missing}/history", f"/p/{missing}/edit",
                f"/u/{missing}", "/c/no-such-place", "/c/no-such-place/members", "/c/no-such-place/new",
                f"/p/{missing}/fragment", f"/admin/communities/{missing}/edit", "/t/0", "/t/99999999999999999999",
                "/p/99999999999999999999/history", "/admin/communities/99999999999999999999/edit",
                f"/t/{world.thread_id}?quote={missing}", f"/t/{world.thread_id}?quote=99999999999999999999"]:
        assert client.get(url).status_code == 404, url
    for url in [f"/t/{missing}/reply", f"/p/{missing}/react/like", f"/p/{missing}/bookmark",
                f"/p/{missing}/delete", f"/p/{missing}/edit", "/c/no-such-place/join", "/c/no-such-place/leave",
                f"/p/{world.reply_id}/react/shrug", "/p/99999999999999999999/bookmark"]:
        assert client.post(url, data={"on": "1", "body": "text"}).status_code == 404, url
    assert client.post(f"/u/{missing}/ignore", data={"on": "1"}).status_code == 404
    with app.app_context():
        assert count(Ignore) == 0


# ------------------------------------------------------------------ pipeline and outbox


def test_run_pipeline_twice_is_idempotent(app, world):
    with app.app_context():
        def state():
            community = db.session.get(Community, world.community_id)
            thread = db.session.get(Thread, world.thread_id)
            return dict(
                threads=community.thread_count, replies=thread.reply_count,
                activity=thread.last_activity_at,
                alex=db.session.get(User, world.alex.id).approved_posts,
                bo=db.session.get(User, world.bo.id).approved_posts,
                indexed=db.session.scalar(sa.text("SELECT count(*) FROM post_search")),
                states=sorted(p.state for p in db.session.scalars(sa.select(Post))),
            )

        before = state()
        assert before["threads"] == 1 and before["replies"] == 1 and before["indexed"] == 2
        for _ in range(2):
            pipeline.moderate_post(world.first_id)
            pipeline.moderate_post(world.reply_id)
            db.session.expire_all()
        assert state() == before
        assert pipeline.moderate_post(unused_id(Post)) is None
    assert search_titles(text(app.test_client().get("/search?q=morning"))) == ["Spacer technique"]


def test_pending_post_published_once_when_the_task_runs_twice(app, world, monkeypatch):
    broker_down(monkeypatch)
    with app.app_context():
        approved = db.session.get(User, world.bo.id).approved_posts
        post = forums.reply(world.bo.id, world.thread_id, "Delivered twice by the broker.")
        assert post.state == "pending"
        for _ in range(2):
            celery.tasks[MODERATE].run(post.id)
            db.session.expire_all()
        assert db.session.get(Post, post.id).state == "published"
        assert db.session.get(Thread, world.thread_id).reply_count == 2
        assert db.session.get(User, world.bo.id).approved_posts == approved + 1


def test_rollback_after_enqueue_leaves_no_outbox_row_and_publishes_nothing(app, world, monkeypatch):
    published = []
    monkeypatch.setattr(celery.tasks[MODERATE], "apply_async", lambda *a, **kw: published.append(kw["args"]))
    with app.app_context():
        outbox_before, posts_before = count(Outbox), count(Post)
        thread = Thread(community_id=world.community_id, author_id=world.alex.id, title="Never saved")
        db.session.add(thread)
        db.session.flush()
        forums._new_post(thread, world.alex.id, "Never saved either.")  # adds the outbox row
        assert count(Outbox) == outbox_before + 1  # visible inside the transaction
        db.session.rollback()
        assert count(Outbox) == outbox_before and count(Post) == posts_before
        # A later, unrelated commit does not publish the rolled-back task.
        person("later")
        assert published == []
        # Control: the same work committed is published exactly once.
        post = forums.reply(world.alex.id, world.thread_id, "Saved this time.")
        assert published == [[post.id]]
        assert count(Outbox, Outbox.sent_at.is_not(None)) == count(Outbox) == outbox_before + 1


# ------------------------------------------------------------------ admin: communities


def community_form(**overrides):
    data = dict(name="Type 1 diabetes", slug="type-1-diabetes", icd10="E10", description="Living with T1D.",
                visibility="public", locale="en", phone_regions="US, gb", rules="Be **kind**.")
    data.update(overrides)
    return data


def test_admin_creates_and_edits_a_community(app, world):
    with app.app_context():
        boss = person("boss", role="admin", totp=True)
        before = count(Community)
    admin = client_for(app, boss)
    assert "Asthma" in text(admin.get("/admin/communities"))

    for overrides, field in [({"slug": "Bad Slug"}, "slug"), ({"slug": "asthma"}, "slug"), ({"name": "x"}, "name"),
                             ({"phone_regions": "USA"}, "phone_regions"), ({"locale": "english"}, "locale"),
                             ({"visibility": "secret"}, "visibility")]:
        response = admin.post("/admin/communities/new", data=community_form(**overrides))
        assert response.status_code == 422, overrides
        assert field_error(text(response), field), overrides
        with app.app_context():
            assert count(Community) == before, overrides

    response = admin.post("/admin/communities/new", data=community_form())
    assert response.status_code == 302 and response.headers["Location"] == "/admin/communities"
    with app.app_context():
        created = db.session.scalar(sa.select(Community).where(Community.slug == "type-1-diabetes"))
        assert (created.name, created.visibility, created.phone_regions, created.indexing) == (
            "Type 1 diabetes", "public", "US,GB", False)
        assert created.rules_html == "<p>Be <strong>kind</strong>.</p>\n"
        created_id = created.id
    assert app.test_client().get("/c/type-1-diabetes").status_code == 200

    # Making it members-only hides it from visitors at once.
    response = admin.post(f"/admin/communities/{created_id}/edit", data=community_form(visibility="members"))
    assert response.status_code == 302
    assert app.test_client().get("/c/type-1-diabetes").status_code == 404
    assert "Type 1 diabetes" not in text(app.test_client().get("/"))
    form = text(admin.get(f"/admin/communities/{created_id}/edit"))
    assert 'value="type-1-diabetes"' in form and '<option selected value="members">' in form

    # Nobody else can create one.
    bo = client_for(app, world.bo)
    assert bo.post("/admin/communities/new", data=community_form(slug="sneaky")).status_code == 403
    with app.app_context():
        assert count(Community) == before + 1
