"""The one visibility rule: can_read_community / can_see_post per role, viewer_for, and the SQL
clauses (visible_posts / visible_threads / readable_communities) agreeing with the Python rule."""
import itertools
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from community.extensions import db
from community.forums.models import Community, Post, Thread
from community.forums.visibility import (
    ANONYMOUS, Viewer, can_read_community, can_see_post, readable_communities, viewer_for, visible_posts,
    visible_threads,
)
from tests.helpers import add_member, add_moderator, create_community, create_user

HERE, ELSEWHERE = 1, 2
AUTHOR_ID = 10
VIEWERS = {
    "visitor": ANONYMOUS,
    "member": Viewer(user_id=11, member_of=frozenset({HERE}), can_post=True),
    "other_member": Viewer(user_id=12, member_of=frozenset({ELSEWHERE}), can_post=True),
    "moderator": Viewer(user_id=13, moderates=frozenset({HERE})),
    "moderator_elsewhere": Viewer(user_id=14, moderates=frozenset({ELSEWHERE})),
    "admin": Viewer(user_id=15, is_admin=True),
    "author": Viewer(user_id=AUTHOR_ID, member_of=frozenset({HERE}), can_post=True),
}


def community(visibility):
    return SimpleNamespace(id=HERE, visibility=visibility)


def thread(state="published", members_only=False):
    return SimpleNamespace(id=100, community_id=HERE, author_id=AUTHOR_ID, state=state, members_only=members_only)


def post(state="published", members_only=False):
    return SimpleNamespace(id=1000, author_id=AUTHOR_ID, state=state, members_only=members_only)


def who_sees(p, t, c):
    return {name for name, viewer in VIEWERS.items() if can_see_post(viewer, p, t, c)}


EVERYONE = set(VIEWERS)
READERS_OF_MEMBERS_ONLY = {"member", "moderator", "admin", "author"}
AUTHOR_AND_STAFF = {"author", "moderator", "admin"}


@pytest.mark.parametrize("visibility, readers", [
    ("public", EVERYONE),
    ("members", READERS_OF_MEMBERS_ONLY),
])
def test_can_read_community(visibility, readers):
    c = community(visibility)
    assert {name for name, v in VIEWERS.items() if can_read_community(v, c)} == readers


@pytest.mark.parametrize("state", ["published", "deleted"])
def test_published_and_deleted_posts_follow_the_community(state):
    # A deleted post stays as a placeholder, so it is seen wherever the thread is.
    assert who_sees(post(state), thread(), community("public")) == EVERYONE
    assert who_sees(post(state), thread(), community("members")) == READERS_OF_MEMBERS_ONLY


@pytest.mark.parametrize("state", ["pending", "held", "rejected", "hidden"])
@pytest.mark.parametrize("visibility", ["public", "members"])
def test_unpublished_posts_author_and_the_communitys_moderators_only(state, visibility):
    assert who_sees(post(state), thread(), community(visibility)) == AUTHOR_AND_STAFF


@pytest.mark.parametrize("state", ["pending", "held", "hidden"])
def test_posts_in_an_unpublished_thread(state):
    # Even a published reply in a thread that is not (or no longer) published.
    assert who_sees(post("published"), thread(state), community("public")) == AUTHOR_AND_STAFF


def test_members_only_post_in_a_public_community():
    assert who_sees(post(members_only=True), thread(), community("public")) == READERS_OF_MEMBERS_ONLY
    assert who_sees(post(members_only=True), thread(), community("members")) == READERS_OF_MEMBERS_ONLY


def test_moderator_of_another_community_has_no_power_here():
    v = VIEWERS["moderator_elsewhere"]
    assert not v.is_moderator(HERE) and v.is_moderator(ELSEWHERE)
    assert not can_read_community(v, community("members"))
    assert not can_see_post(v, post("held"), thread(), community("public"))


def test_viewer_helpers():
    assert not ANONYMOUS.signed_in and not ANONYMOUS.is_member(HERE) and not ANONYMOUS.is_moderator(HERE)
    assert VIEWERS["admin"].is_moderator(HERE) and VIEWERS["admin"].is_moderator(999)
    assert VIEWERS["member"].is_member(HERE) and not VIEWERS["member"].is_moderator(HERE)


# ------------------------------------------------------------------ against the database


def test_viewer_for_waits_for_two_factor(app):
    with app.app_context():
        here = create_community("asthma", visibility="members")
        mod_2fa, mod_plain = create_user("mod2fa", totp=True), create_user("modplain")
        admin_2fa, admin_plain = create_user("boss", role="admin", totp=True), create_user("boss2", role="admin")
        unverified = create_user("fresh", verified=False)
        for user in (mod_2fa, mod_plain):
            add_moderator(user, here)
        add_member(unverified, here)

        assert viewer_for(None) is ANONYMOUS
        assert viewer_for(SimpleNamespace(is_authenticated=False)) is ANONYMOUS
        assert viewer_for(mod_2fa).moderates == {here.id}
        assert viewer_for(mod_plain).moderates == frozenset()
        assert viewer_for(admin_2fa).is_admin and not viewer_for(admin_plain).is_admin
        fresh = viewer_for(unverified)
        assert fresh.member_of == {here.id} and not fresh.can_post and fresh.user_id == unverified.id
        assert viewer_for(mod_2fa).can_post
        assert can_read_community(viewer_for(mod_2fa), here)
        assert not can_read_community(viewer_for(mod_plain), here)
        assert not can_read_community(viewer_for(admin_plain), here)


def test_sql_clauses_agree_with_can_see_post(app):
    """Every combination of community visibility × thread state × post state × members_only,
    for every role: the SQL WHERE clauses select exactly what can_see_post allows."""
    with app.app_context():
        author = create_user("author")
        users = {name: create_user(name, **kw) for name, kw in [
            ("member", {}), ("other", {}), ("mod", {"totp": True}), ("modelse", {"totp": True}),
            ("boss", {"role": "admin", "totp": True}), ("boss2", {"role": "admin"}),
        ]}
        communities = {vis: create_community(f"c-{vis}", visibility=vis) for vis in ("public", "members")}
        elsewhere = create_community("elsewhere")
        for c in communities.values():
            add_member(author, c)
            add_member(users["member"], c)
            add_moderator(users["mod"], c)
        add_member(users["other"], elsewhere)
        add_moderator(users["modelse"], elsewhere)

        thread_states = ("published", "pending", "held", "hidden")
        post_states = ("published", "deleted", "pending", "held", "rejected", "hidden")
        for c in communities.values():
            for t_state in thread_states:
                t = Thread(community_id=c.id, author_id=author.id, title=f"{c.slug} {t_state}", state=t_state)
                db.session.add(t)
                db.session.flush()
                for number, (p_state, members_only) in enumerate(
                        itertools.product(post_states, (False, True)), start=1):
                    db.session.add(Post(thread_id=t.id, author_id=author.id, number=number, body="x",
                                        body_html="<p>x</p>", state=p_state, members_only=members_only))
                t.last_post_number = number
        db.session.commit()

        rows = db.session.execute(
            sa.select(Post, Thread, Community).join(Thread, Thread.id == Post.thread_id)
            .join(Community, Community.id == Thread.community_id)
        ).all()
        assert len(rows) == 2 * len(thread_states) * len(post_states) * 2
        viewers = {"visitor": ANONYMOUS, "author": viewer_for(author)}
        viewers.update({name: viewer_for(user) for name, user in users.items()})
        for name, viewer in viewers.items():
            expected = {p.id for p, t, c in rows if can_see_post(viewer, p, t, c)}
            selected = set(db.session.scalars(
                sa.select(Post.id).join(Thread, Thread.id == Post.thread_id)
                .join(Community, Community.id == Thread.community_id).where(visible_posts(viewer))
            ))
            assert selected == expected, name
            threads = set(db.session.scalars(
                sa.select(Thread.id).join(Community, Community.id == Thread.community_id)
                .where(visible_threads(viewer))
            ))
            # A thread is listed exactly when its opening post would be shown.
            assert threads == {t.id for p, t, c in rows if p.number == 1 and can_see_post(viewer, p, t, c)}, name
            readable = set(db.session.scalars(sa.select(Community.id).where(readable_communities(viewer))))
            all_communities = db.session.scalars(sa.select(Community)).all()
            assert readable == {c.id for c in all_communities if can_read_community(viewer, c)}, name
        # Sanity: the matrix is not trivial.
        assert len({p.id for p, t, c in rows if can_see_post(viewers["visitor"], p, t, c)}) == 2
        assert all(can_see_post(viewers["boss"], p, t, c) for p, t, c in rows)
