from community.forums.models import Post, Thread
from tests.conftest import count
from tests.helpers import create_community, create_user, login, start_thread


def test_thread_is_published_by_the_pipeline_and_shown(app, client, ctx):
    alex = create_user("alex")
    community = create_community("asthma")
    thread, post = start_thread(alex, community, "Spacers", "Does a spacer help?")
    assert post.state == "published" and thread.state == "published"
    assert count(Thread) == 1 and count(Post) == 1
    page = client.get(f"/t/{thread.id}")
    assert page.status_code == 200
    assert b"Does a spacer help?" in page.data
    assert login(client, "alex").status_code == 302
    assert b"alex" in client.get("/").data


def test_literal_links_in_templates_match_routes(app):
    """Hot templates build links as `{{ root }}/path` (url_for per link was a tenth of a page's
    CPU): every such path must still be a route, so a renamed route fails here, not in production."""
    import re
    from pathlib import Path

    from werkzeug.exceptions import MethodNotAllowed, NotFound

    templates = Path(__file__).resolve().parents[1] / "templates"
    adapter = app.url_map.bind("localhost")
    found = set()
    for path in templates.rglob("*.html"):
        for literal in re.findall(r'\{\{ root \}\}(/[^"#?{]*(?:\{\{[^}]*\}\}[^"#?{]*)*)', path.read_text()):
            found.add(re.sub(r"\{\{[^}]*\}\}", "1", literal))
    assert {"/", "/search", "/bookmarks", "/settings", "/logout", "/login", "/signup", "/guidelines",
            "/moderation", "/admin/communities", "/u/1", "/t/1", "/c/1"} <= found
    for literal in sorted(found):
        try:
            adapter.match(literal, method="GET")
        except MethodNotAllowed:
            pass  # a POST-only route (log out) exists
        except NotFound:
            raise AssertionError(f"{literal} in a template matches no route") from None
