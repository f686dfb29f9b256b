"""The visitors' microcache: shared copies for visitors only, never for members or writes."""
from tests.helpers import create_community, create_user, login, start_thread


def test_visitor_pages_set_no_cookie_and_are_shared(make_app):
    app = make_app(PAGE_CACHE_SECONDS=60)
    with app.app_context():
        alex = create_user("alex")
        thread, _ = start_thread(alex, create_community("asthma"), "Spacers", "Does a spacer help?")
        thread_id = thread.id
    visitor = app.test_client()
    for path in ("/", "/c/asthma", f"/t/{thread_id}", "/search?q=spacer"):
        first = visitor.get(path)
        assert first.status_code == 200 and "Set-Cookie" not in first.headers, path
        assert "X-Cache" not in first.headers
        second = visitor.get(path)
        assert second.headers.get("X-Cache") == "hit" and second.data == first.data, path
        assert second.headers["X-Request-ID"] != first.headers["X-Request-ID"]
    assert visitor.get("/search?q=other").headers.get("X-Cache") is None  # the query is part of the key


def test_members_and_writes_bypass_the_cache(make_app):
    app = make_app(PAGE_CACHE_SECONDS=60)
    with app.app_context():
        alex = create_user("alex")
        community = create_community("asthma")
        start_thread(alex, community, "First", "Hello")
    visitor = app.test_client()
    visitor.get("/c/asthma")
    member = app.test_client()
    login(member, "alex")
    assert member.get("/c/asthma").headers.get("X-Cache") is None
    member.post("/c/asthma/new", data={"title": "Second thread", "body": "Fresh news"})
    # The member sees it at once; visitors get the shared copy until it expires.
    assert b"Second thread" in member.get("/c/asthma").data
    stale = visitor.get("/c/asthma")
    assert stale.headers.get("X-Cache") == "hit" and b"Second thread" not in stale.data
    assert visitor.get("/login").headers.get("X-Cache") is None
    assert visitor.get("/api/v1/communities").headers.get("X-Cache") is None
    assert visitor.get("/api/v1/communities").headers.get("X-Cache") is None


def test_the_cache_expires(make_app):
    app = make_app(PAGE_CACHE_SECONDS=0.3)
    with app.app_context():
        create_community("asthma")
    visitor = app.test_client()
    visitor.get("/c/asthma")
    assert visitor.get("/c/asthma").headers.get("X-Cache") == "hit"
    import time

    time.sleep(0.35)
    assert visitor.get("/c/asthma").headers.get("X-Cache") is None
