"""The composer in a real browser at 390 px and 1280 px (issue 10, points 8, 9, 11): a count near the
limit and a plain word when a paste goes over it, nothing cut; a double click posts once (with and
without scripts); a refused reply comes back with its error summary in view and focused, the text
kept. axe on the composer pages."""
import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from community.accounts.models import User
from community.extensions import db
from community.forums.models import Community, Post
from community.forums.visibility import viewer_for
from community.moderation import rules
from tests.e2e.support import ARTIFACTS, DESKTOP, PHONE, log_in, moderator_with_2fa, run_axe, screenshot

pytestmark = pytest.mark.e2e

THREAD = "What helped you get used to checking your feet every day?"
WIDTHS = {"phone": PHONE, "desktop": DESKTOP}


def open_thread(page):
    page.goto("/c/type-2-diabetes")
    page.get_by_role("link", name=THREAD).click()
    page.get_by_role("heading", name=THREAD).wait_for()


def in_view(page, selector):
    """The element's box lies inside the viewport (what a phone shows without scrolling)."""
    return page.evaluate("""(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
        return r.top >= 0 && r.top < window.innerHeight && r.height > 0; }""", selector)


def view_shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def posts_of(app, username, text):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Post).join(User, User.id == Post.author_id)
                                 .where(User.username == username, Post.body == text))


def paste(page, selector, text):
    """A real paste: the text goes on the clipboard and Ctrl+V puts it in the field."""
    page.evaluate("(t) => navigator.clipboard.writeText(t)", text)
    page.locator(selector).focus()
    page.keyboard.press("Control+V")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_count_shows_near_the_limit_and_an_over_long_paste_is_kept_and_named(new_context, width):
    context = new_context(viewport=WIDTHS[width])
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    log_in(page, "alex")
    open_thread(page)
    body = page.get_by_label("Your reply")
    count = page.locator("#body-count")
    body.fill("a" * 1000)
    expect(count).to_be_hidden()
    body.fill("a" * 45_500)
    expect(count).to_have_text("45,500 / 50,000 characters")
    body.fill("")
    paste(page, "#body", "word " * 12_000)
    assert page.evaluate("document.querySelector('#body').value.length") == 60_000  # nothing cut
    expect(count).to_have_text("60,000 / 50,000 characters (10,000 too many)")
    alert = page.locator(".char-count .count-alert")
    expect(alert).to_have_text("What you pasted makes this 10,000 characters too long (the limit is 50,000). "
                               "Nothing was cut: shorten it before sending.")
    assert page.locator(".char-count .count-alert").get_attribute("aria-live") == "polite"
    page.locator("#body").evaluate("el => el.scrollIntoView({block: 'center'})")
    view_shot(page, f"{width}-composer-paste-too-long")
    # Sending it is stopped here with the same word; the field gets the focus.
    url = page.url
    page.get_by_role("button", name="Post reply").click()
    assert page.url == url
    assert page.evaluate("document.activeElement.id") == "body"
    # A title pasted at 250 characters: kept whole, counted, named.
    page.goto("/c/type-2-diabetes/new")
    paste(page, "#title", "T" * 250)
    assert len(page.get_by_label("Title").input_value()) == 250
    expect(page.locator("#title-count")).to_have_text("250 / 200 characters (50 too many)")
    expect(page.locator(".char-count[data-count-for=title] .count-alert")).to_contain_text("50 characters too long")
    view_shot(page, f"{width}-composer-title-too-long")


@pytest.mark.parametrize("width", WIDTHS)
def test_a_double_click_posts_once(e2e_app, browser, live_server, new_context, width):
    text = f"Double-clicked at {width} width: one post please."
    page = new_context(viewport=WIDTHS[width]).new_page()
    log_in(page, "alex")
    open_thread(page)
    page.get_by_label("Your reply").fill(text)
    sent = []
    page.on("request", lambda r: sent.append(r) if r.method == "POST" and r.url.endswith("/reply") else None)
    page.get_by_role("button", name="Post reply").dblclick()
    expect(page.get_by_role("article").filter(has_text=text)).to_have_count(1)
    assert posts_of(e2e_app, "alex", text) == 1
    assert len(sent) == 1  # the button was held while the first was on its way
    screenshot(page, f"{width}-composer-double-click")

    # Without scripts nothing holds the button: the server answers a repeat with the first's result.
    bare = browser.new_context(base_url=live_server, viewport=WIDTHS[width], java_script_enabled=False)
    try:
        bare_page = bare.new_page()
        log_in(bare_page, "riley")
        open_thread(bare_page)
        text = f"No-script double click at {width}."
        bare_page.get_by_label("Your reply").fill(text)
        posts = []
        bare_page.on("request", lambda r: posts.append(r) if r.method == "POST" and r.url.endswith("/reply") else None)
        bare_page.get_by_role("button", name="Post reply").dblclick()
        expect(bare_page.get_by_role("article").filter(has_text=text)).to_have_count(1)
        assert posts_of(e2e_app, "riley", text) == 1, f"{len(posts)} POSTs reached the server"
        # Chromium itself folds that double click into one request; a retry that does reach the server
        # twice (a stalled network, "resend the form?") is sent here through the browser's own session.
        bare_page.reload()
        nonce = bare_page.locator("form.composer input[name=idempotency_key]").input_value()
        csrf = bare_page.locator("form.composer input[name=csrf_token]").input_value()
        action = bare_page.locator("form.composer").get_attribute("action").split("#")[0]
        again = f"Sent twice by the browser at {width}."
        for _ in range(2):
            answer = bare.request.post(live_server + action, form={"csrf_token": csrf, "idempotency_key": nonce,
                                                                   "body": again}, max_redirects=0)
            assert answer.status == 302
        assert answer.headers.get("idempotent-replayed") == "true"
        assert posts_of(e2e_app, "riley", again) == 1
    finally:
        bare.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_refused_reply_shows_its_summary_in_view_focused_with_the_text_kept(e2e_app, new_context, width):
    moderator_with_2fa(e2e_app, "morgan")
    with e2e_app.app_context():
        morgan = db.session.scalar(sa.select(User).where(User.username == "morgan"))
        community = db.session.scalar(sa.select(Community).where(Community.slug == "type-2-diabetes"))
        rules.create(viewer_for(morgan), community.id, {"match_type": "word", "pattern": "snakeoil", "action": "block"})
    page = new_context(viewport=WIDTHS[width], bypass_csp=True).new_page()
    log_in(page, "alex")
    open_thread(page)

    page.get_by_role("button", name="Post reply").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Write something first.")
    expect(summary).to_be_focused()
    assert in_view(page, ".error-summary")
    assert page.url.endswith("#reply")
    view_shot(page, f"{width}-composer-empty-reply")
    assert not run_axe(page, f"{width} thread, empty reply refused")

    phone_text = "Text me on 020 7946 0321 if you want the leaflet."
    page.get_by_label("Your reply").fill(phone_text)
    page.get_by_role("button", name="Post reply").click()
    warning = page.locator("#identifier-warning")
    expect(warning).to_be_focused()
    assert in_view(page, "#identifier-warning")
    expect(page.get_by_label("Your reply")).to_have_value(phone_text)
    view_shot(page, f"{width}-composer-identifier-warning")

    blocked = "Has anyone tried snakeoil on their feet?"
    page.get_by_label("Your reply").fill(blocked)
    page.get_by_role("button", name="Post reply").click()
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("it contains “snakeoil”, which this community does not allow")
    assert in_view(page, ".error-summary")
    expect(page.get_by_label("Your reply")).to_have_value(blocked)
    view_shot(page, f"{width}-composer-blocked-word")
    assert not run_axe(page, f"{width} thread, blocked word")

    # The corrected reply still sends, once.
    fixed = "Has anyone tried a foot cream that works?"
    page.get_by_label("Your reply").fill(fixed)
    page.get_by_role("button", name="Post reply").click()
    expect(page.get_by_role("article").filter(has_text=fixed)).to_have_count(1)

    # axe on the other composers.
    page.get_by_role("article").filter(has_text=fixed).get_by_role("link", name="Edit").click()
    expect(page.get_by_role("heading", name="Edit your post")).to_be_visible()
    assert not run_axe(page, f"{width} edit")
    page.goto("/c/type-2-diabetes/new")
    page.get_by_role("button", name="Post thread").click()
    expect(page.locator(".error-summary")).to_be_focused()
    assert not run_axe(page, f"{width} new thread refused")
    screenshot(page, f"{width}-composer-new-thread-refused")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_two_factor_key_reads_in_groups_of_four_and_copies_without_spaces(new_context, width):
    page = new_context(viewport=WIDTHS[width], bypass_csp=True).new_page()
    log_in(page, "alex")
    page.goto("/settings/2fa")
    key = page.locator("code.secret")
    groups = key.locator("span").all_inner_texts()
    assert len(groups) > 3 and all(len(g) == 4 for g in groups[:-1])
    screenshot(page, f"{width}-two-factor-key-groups")
    copied = key.evaluate("el => { const r = document.createRange(); r.selectNodeContents(el);"
                          " const s = getSelection(); s.removeAllRanges(); s.addRange(r); return s.toString(); }")
    assert copied == "".join(groups) and " " not in copied
    assert not run_axe(page, f"{width} two-factor setup")
