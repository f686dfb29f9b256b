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
