"""Issue 10 points 7 and 10 in a real browser at 390 px and 1280 px: a newcomer's waiting thread
says why and how long, takes the author's own reply (which waits with it), and offers Edit and
Delete; once a moderator rejects it, the author reads the reason and an Appeal link and finds no
reply box. axe on the thread page in both states."""
import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from community.extensions import db
from community.forums.models import Community, Post
from tests.e2e.support import DESKTOP, PHONE, log_in, log_in_with_code, moderator_with_2fa, post_article, run_axe, \
    screenshot
from tests.helpers import PASSWORD, add_member, create_user

pytestmark = pytest.mark.e2e

WIDTHS = {"phone": PHONE, "desktop": DESKTOP}
TITLE = "New here: does anyone else get foot cramps at night?"
FIRST = "Hello all. My feet cramp most nights since my diagnosis in spring."
REPLY = "Also, I forgot: I walk about an hour every morning."
EDITED = "Hello all. My calves and feet cramp most nights since my diagnosis in spring."
REASON = "Please ask this in the Night-time symptoms thread (rule 2)."


def states(app, thread_title):
    with app.app_context():
        rows = db.session.execute(sa.select(Post.number, Post.state, Post.body).join(Post.thread)
                                  .where(sa.text("threads.title = :t")).params(t=thread_title)
                                  .order_by(Post.number)).all()
        return [tuple(row) for row in rows]


@pytest.mark.parametrize("width", WIDTHS)
def test_a_newcomers_waiting_thread_keeps_their_words_and_a_rejection_says_why(e2e_app, new_context, width):
    with e2e_app.app_context():
        nia = create_user("nia", approved_posts=0)
        add_member(nia, db.session.scalar(sa.select(Community).where(Community.slug == "type-2-diabetes")))
    secret = moderator_with_2fa(e2e_app)

    author = new_context(viewport=WIDTHS[width], bypass_csp=True).new_page()
    log_in(author, "nia", PASSWORD)
    author.goto("/c/type-2-diabetes")
    author.get_by_role("link", name="New thread").click()
    author.get_by_label("Title").fill(TITLE)
    author.get_by_label("Your post").fill(FIRST)
    author.get_by_role("button", name="Post thread").click()
    expect(author.get_by_role("heading", name=TITLE)).to_be_visible()

    # Waiting: why, and how long (no recent decisions on a fresh site, so it says so plainly).
    first = post_article(author, FIRST)
    expect(first).to_contain_text("Waiting for a moderator. Only you and the moderators can see this post.")
    expect(first).to_contain_text("First posts from new members are read by a moderator before others see them.")
    expect(first).to_contain_text("We do not have enough recent history")
    expect(first.get_by_role("link", name="Edit")).to_be_visible()
    expect(first.get_by_role("button", name="Delete")).to_be_visible()

    # The reply box under one's own waiting thread takes the reply; it waits with the thread.
    author.get_by_label("Your reply").fill(REPLY)
    author.get_by_role("button", name="Post reply").click()
    reply = post_article(author, REPLY)
    expect(reply).to_contain_text("It waits with your thread: a moderator reads it too")
    assert states(e2e_app, TITLE) == [(1, "held", FIRST), (2, "held", REPLY)]
    reply.scroll_into_view_if_needed()
    screenshot(author, f"lifecycle-waiting-{width}")
    assert not run_axe(author, f"waiting thread {width}")

    # Delete the reply (after the confirmation), edit the opening post: both while it waits.
    author.once("dialog", lambda dialog: dialog.accept())
    reply.get_by_role("button", name="Delete").click()
    expect(post_article(author, REPLY)).to_have_count(0)
    post_article(author, FIRST).get_by_role("link", name="Edit").click()
    author.get_by_label("Edit your post").fill(EDITED)
    author.get_by_role("button", name="Save changes").click()
    expect(post_article(author, EDITED)).to_contain_text("Waiting for a moderator.")
    assert states(e2e_app, TITLE) == [(1, "held", EDITED), (2, "deleted", "")]  # a deleted post keeps no text

    # The moderator sees the edited text and rejects it with a reason.
    moderator = new_context(viewport=WIDTHS[width]).new_page()
    log_in_with_code(moderator, "morgan", secret)
    moderator.goto("/moderation?kind=held")
    item = moderator.get_by_role("article").filter(has_text="calves and feet cramp")
    expect(item).to_contain_text("First posts from a new member wait for approval.")
    expect(moderator.get_by_role("article")).to_have_count(1)  # the deleted reply left the queue
    item.get_by_label("Reason (needed to reject)").fill(REASON)
    item.get_by_role("button", name="Reject").click()
    expect(moderator.get_by_text("the author is told why")).to_be_visible()
    assert states(e2e_app, TITLE)[0][1] == "rejected"

    # The author: the reason on the post, an Appeal link to their standing, and no reply box.
    author.reload()
    rejected = post_article(author, EDITED)
    expect(rejected).to_contain_text("Not published by the moderators. The reason is below.")
    expect(rejected).to_contain_text(REASON)
    expect(author.get_by_label("Your reply")).to_have_count(0)
    expect(author.get_by_text("This thread was not published by the moderators, so it takes no replies.")).to_be_visible()
    screenshot(author, f"lifecycle-rejected-{width}")
    assert not run_axe(author, f"rejected thread {width}")
    assert author.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]["width"]
    rejected.get_by_role("link", name="Appeal").click()
    expect(author.get_by_role("heading", name="Your standing")).to_be_visible()
    expect(author.get_by_text(REASON)).to_be_visible()

    # Nobody else ever saw it.
    other = new_context(viewport=WIDTHS[width]).new_page()
    log_in(other, "riley")
    other.goto("/c/type-2-diabetes")
    expect(other.get_by_role("link", name=TITLE)).to_have_count(0)
