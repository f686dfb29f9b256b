"""Full-text search (SQLite FTS5 / PostgreSQL tsvector): matching, stemming, highlighting,
escaping, visibility, and hostile query text."""
import re
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from community.accounts.models import User
from community.extensions import db
from community.forums import search
from community.forums import services as forums
from community.forums.models import Post
from community.forums.visibility import ANONYMOUS, viewer_for
from tests.forum_helpers import person, reply_as, search_titles, set_post_state, sign_in, text
from tests.helpers import add_member, create_community, start_thread


@pytest.fixture
def corpus(app):
    with app.app_context():
        asthma = create_community("asthma")
        lupus = create_community("lupus", visibility="members")
        alex, bo, cara = person("alex"), person("bo"), person("cara")
        boss = person("boss", role="admin", totp=True)
        for who in (alex, bo):
            add_member(who, asthma)
        add_member(cara, lupus)
        check, _ = start_thread(alex, asthma, "Checking peak flow",
                                "I check my peak flow <b>every</b> morning & night.")
        visible = reply_as(bo, check.id, "Salbutamol before exercise helps.")
        states = {}
        for state in ("pending", "held", "hidden", "rejected"):
            states[state] = reply_as(alex, check.id, f"The {state} salbutamol story.")
            set_post_state(states[state], state)
        deleted = reply_as(alex, check.id, "The deleted salbutamol story.")
        forums.delete_post(viewer_for(db.session.get(User, alex.id)), deleted)
        members_only = reply_as(alex, check.id, "The members-only salbutamol story.")
        set_post_state(members_only, "published", members_only=True)
        lupus_thread, _ = start_thread(cara, lupus, "Salbutamol and lupus", "Does anyone take it?")
        return SimpleNamespace(alex=alex, bo=bo, cara=cara, boss=boss, check_id=check.id, visible=visible,
                               states=states, deleted=deleted, members_only=members_only)


def found(app, who, query):
    """Post ids the service returns for this person (None = visitor)."""
    with app.app_context():
        viewer = viewer_for(db.session.get(User, who.id)) if who else ANONYMOUS
        return {post.id for post, _, _, _ in search.search(viewer, query)}


def results_block(html):
    match = re.search(r'<ol class="search-results">(.*?)</ol>', html, re.S)
    return match.group(1) if match else ""


def test_finds_title_and_body_words_with_stemming(app, corpus):
    client = app.test_client()
    assert search_titles(text(client.get("/search?q=peak"))) == ["Checking peak flow"]
    assert search_titles(text(client.get("/search?q=exercise"))) == ["Checking peak flow"]
    assert found(app, None, "exercise") == {corpus.visible}
    # Title words live on the opening post only.
    with app.app_context():
        first = db.session.scalar(sa.select(Post.id).where(Post.thread_id == corpus.check_id, Post.number == 1))
    assert found(app, None, "Checking") == {first}
    # All words must match; no match is an empty list, not an error.
    assert found(app, None, "salbutamol exercise") == {corpus.visible}
    assert found(app, None, "salbutamol giraffe") == set()
    page = text(client.get("/search?q=giraffe"))
    assert "Nothing found for “giraffe”" in page

    # Stemming: "Checking" (title) and "check" (body) are the same word to the index.
    for query in ("check", "checking", "checks", "checked", "CHECK"):
        assert found(app, None, query) == {first}, query
    assert found(app, None, "helping") == {corpus.visible}
    assert found(app, None, "exercises") == {corpus.visible}


def test_highlights_matches_and_escapes_html(app, corpus):
    html = text(app.test_client().get("/search?q=salbutamol"))
    block = results_block(html)
    assert re.search(r"<mark>Salbutamol</mark> before exercise helps", block)

    block = results_block(text(app.test_client().get("/search?q=morning")))
    assert "<mark>morning</mark>" in block
    # The post's own "<b>" is text, not markup.
    assert "&lt;b&gt;every&lt;/b&gt;" in block and "<b>" not in block
    assert "&amp; night" in block
    assert set(re.findall(r"</?(\w+)", block)) <= {"li", "a", "p", "mark", "time"}

    # Control characters and markup in a post cannot forge highlights or tags.
    with app.app_context():
        reply_as(corpus.bo, corpus.check_id, "Sneaky \x02forged\x03 <script>alert(1)</script> inhaler <mark>x</mark>")
    block = results_block(text(app.test_client().get("/search?q=inhaler")))
    assert "<mark>inhaler</mark>" in block
    assert "<mark>forged</mark>" not in block
    assert "<script>" not in block and "&lt;script&gt;" in block
    assert "&lt;mark&gt;x&lt;/mark&gt;" in block


def test_only_published_posts_the_viewer_may_read(app, corpus):
    everyone = {corpus.visible}
    lupus = found(app, corpus.cara, "lupus")
    assert len(lupus) == 1
    assert found(app, None, "salbutamol") == everyone
    assert found(app, corpus.bo, "salbutamol") == everyone | {corpus.members_only}
    # The author of the pending/held/hidden/rejected posts does not find them either.
    assert found(app, corpus.alex, "salbutamol") == everyone | {corpus.members_only}
    assert found(app, corpus.cara, "salbutamol") == everyone | lupus
    assert found(app, corpus.boss, "salbutamol") == everyone | lupus | {corpus.members_only}
    for who in (None, corpus.alex, corpus.boss):
        assert found(app, who, "story") & (set(corpus.states.values()) | {corpus.deleted}) == set()
    # The deleted post left the index altogether.
    with app.app_context():
        key = "post_id" if db.engine.dialect.name == "postgresql" else "rowid"
        assert db.session.scalar(sa.text(f"SELECT count(*) FROM post_search WHERE {key} = :id"),
                                 {"id": corpus.deleted}) == 0

    # Through the page: the members-only community's thread shows for its member only.
    visitor = text(app.test_client().get("/search?q=salbutamol"))
    assert search_titles(visitor) == ["Checking peak flow"]
    cara = app.test_client()
    sign_in(cara, corpus.cara)
    assert sorted(search_titles(text(cara.get("/search?q=salbutamol")))) == ["Checking peak flow",
                                                                              "Salbutamol and lupus"]
    # Losing access takes effect at once (the index is filtered at query time).
    cara.post("/c/lupus/leave")
    assert search_titles(text(cara.get("/search?q=salbutamol"))) == ["Checking peak flow"]


def test_results_are_paged(app, corpus):
    with app.app_context():
        for i in range(23):
            reply_as(corpus.bo, corpus.check_id, f"Nebuliser note {i}.")
    client = app.test_client()
    first = text(client.get("/search?q=nebuliser"))
    assert len(search_titles(first)) == 20 and "More results" in first
    second = text(client.get("/search?q=nebuliser&page=2"))
    assert len(search_titles(second)) == 3 and "More results" not in second
    notes = set()
    for html in (first, second):
        notes |= set(re.findall(r"note (\d+)\.", results_block(html)))
    assert notes == {str(i) for i in range(23)}
    # Silly page numbers are clamped, not errors.
    for page in ("0", "-3", "abc", "99999999999999999999"):
        assert client.get(f"/search?q=nebuliser&page={page}").status_code == 200, page


ODD_QUERIES = [
    '"', '""', '"unclosed', "'", "*", "salbutamol*", "AND", "OR", "NOT", "a AND", "NEAR(", "NEAR(a b, 2)",
    "(", ")", "{", "}", "[", "^", "-", "-salbutamol", "+", ":", "title:peak", "body:x", "\\", "%", "_", "___",
    "%_%", "&", "|", "!", "<script>", "--", ";", "' OR 1=1 --", "\x00", "\x01\x02\x03", "café", "Ünïcödé",
    "日本語の検索", "مرحبا", "😀", "😀 salbutamol", "ß", "İ", "the", "the and of", "a" * 500, "word " * 100,
    " ".join(f"w{i}" for i in range(60)), "x" * 3000, "\u200b", "\ufeffpeak", "e\u0301",
]


def test_odd_queries_never_error(app, corpus):
    with app.app_context():
        for query in ODD_QUERIES:
            assert isinstance(search.search(ANONYMOUS, query), list), repr(query)
        # Words are still found when wrapped in syntax.
        assert {p.id for p, *_ in search.search(ANONYMOUS, '"salbutamol"')} == {corpus.visible}
        assert {p.id for p, *_ in search.search(ANONYMOUS, "(salbutamol*)")} == {corpus.visible}
        assert {p.id for p, *_ in search.search(ANONYMOUS, "-salbutamol")} == {corpus.visible}
    client = app.test_client()
    for query in ODD_QUERIES:
        response = client.get("/search", query_string={"q": query})
        assert response.status_code == 200, repr(query)
    # The query is echoed escaped.
    assert "&lt;script&gt;" in text(client.get("/search", query_string={"q": "<script>"}))
    assert client.get("/search?q=%ff%fe").status_code == 200
