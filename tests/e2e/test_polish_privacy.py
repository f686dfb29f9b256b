"""Issue 10's privacy and polish points in a real browser, at 390 and 1280 px: a post's history
as its author, another member, a visitor and the moderator, and the author erasing an earlier
version; the one-time notice that memberships became private; the search page with one search
box; helplines as tel: links."""
import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from community.accounts.models import User
from community.extensions import db
from tests.e2e.support import (
    ARTIFACTS, DESKTOP, PHONE, log_in, log_in_with_code, moderator_with_2fa, post_article, run_axe, screenshot,
)
# The demo thread, its composer and the crisis text the moderator tools test uses.
from tests.e2e.test_moderator_tools_browser import CRISIS, THREAD, open_thread, reply

pytestmark = pytest.mark.e2e

FIRST = "First draft: my sister Philippa says the tangerine diet fixed her feet."
SECOND = "Second draft: a routine at bedtime helps me."
VIEWPORTS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])


@VIEWPORTS
def test_history_is_for_the_author_and_moderators_and_the_author_erases(e2e_app, new_context, viewport):
    w = viewport["width"]
    secret = moderator_with_2fa(e2e_app, "morgan")
    alex = new_context(viewport=viewport, bypass_csp=True).new_page()
    log_in(alex, "alex")
    open_thread(alex)
    reply(alex, FIRST)
    post_article(alex, "First draft").get_by_role("link", name="Edit").click()
    expect(alex.get_by_text("which only you and the moderators can read")).to_be_visible()
    assert not run_axe(alex, "edit page")
    alex.get_by_label("Edit your post").fill(SECOND)
    alex.get_by_role("button", name="Save changes").click()
    post_article(alex, "Second draft").get_by_role("link", name="edited").click()
    history_url = alex.url
    expect(alex.get_by_role("heading", name="Edit history")).to_be_visible()
    expect(alex.get_by_text(FIRST)).to_be_visible()
    screenshot(alex, f"privacy-history-author-{w}")
    assert not run_axe(alex, "history, author")

    # Another member and a visitor: that it was edited, and when; never the earlier text.
    riley = new_context(viewport=viewport, bypass_csp=True).new_page()
    log_in(riley, "riley")
    visitor = new_context(viewport=viewport, bypass_csp=True).new_page()
    for who, label in ((riley, "member"), (visitor, "visitor")):
        who.goto(history_url)
        expect(who.get_by_text("This post was edited")).to_be_visible()
        expect(who.get_by_text("Philippa")).to_have_count(0)
        expect(who.get_by_text(SECOND)).to_be_visible()
        screenshot(who, f"privacy-history-{label}-{w}")
        assert not run_axe(who, f"history, {label}")

    # The community's moderator reads it.
    morgan = new_context(viewport=viewport).new_page()
    log_in_with_code(morgan, "morgan", secret)
    morgan.goto(history_url)
    expect(morgan.get_by_text(FIRST)).to_be_visible()
    expect(morgan.get_by_role("button", name="Erase this version's text")).to_have_count(0)

    # The author erases it, after confirming.
    alex.once("dialog", lambda dialog: dialog.accept())
    alex.get_by_role("button", name="Erase this version's text").click()
    expect(alex.get_by_text("That earlier version is erased.")).to_be_visible()
    expect(alex.get_by_text("Text erased by the author")).to_be_visible()
    expect(alex.get_by_text("Philippa")).to_have_count(0)
    screenshot(alex, f"privacy-history-erased-{w}")
    assert not run_axe(alex, "history, erased")
    morgan.goto(history_url)
    expect(morgan.get_by_text("Text erased by the author")).to_be_visible()
    expect(morgan.get_by_text("Philippa")).to_have_count(0)
    morgan.goto("/moderation/log?action=revision.erase")
    expect(morgan.get_by_role("table")).to_contain_text("revision.erase")
    expect(morgan.get_by_role("table")).not_to_contain_text("Philippa")


@VIEWPORTS
def test_a_migrated_member_is_told_once_that_memberships_are_private(e2e_app, new_context, viewport):
    w = viewport["width"]
    with e2e_app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == "sam"))
        user.memberships_notice = True
        db.session.commit()
    sam = new_context(viewport=viewport, bypass_csp=True).new_page()
    log_in(sam, "sam")
    notice = sam.get_by_role("note").filter(has_text="now private")
    expect(notice).to_be_visible()
    screenshot(sam, f"privacy-memberships-notice-{w}")
    notice.screenshot(path=str(ARTIFACTS / f"privacy-memberships-notice-close-{w}.png"))
    assert not run_axe(sam, "memberships notice")
    notice.get_by_role("link", name="Change this in Settings").click()
    expect(sam.get_by_label("Hide which communities I belong to from my profile")).to_be_checked()
    sam.get_by_role("note").filter(has_text="now private").get_by_role("button", name="Dismiss this notice").click()
    expect(sam).to_have_url(re.compile(r"/settings$"))
    expect(sam.get_by_role("note").filter(has_text="now private")).to_have_count(0)
    sam.goto("/")
    expect(sam.get_by_role("note").filter(has_text="now private")).to_have_count(0)
    # A member who was never switched is never told.
    alex = new_context(viewport=viewport).new_page()
    log_in(alex, "alex")
    expect(alex.get_by_text("now private")).to_have_count(0)


@VIEWPORTS
def test_one_search_box_on_the_search_page_and_helplines_are_tel_links(e2e_app, new_context, viewport):
    w = viewport["width"]
    visitor = new_context(viewport=viewport, bypass_csp=True).new_page()
    visitor.goto("/")
    if w < 600:  # on a phone the header's search box is behind the Menu button
        visitor.get_by_role("button", name="Menu").click()
    expect(visitor.get_by_role("searchbox")).to_have_count(1)
    visitor.get_by_role("searchbox").fill("feet")
    visitor.get_by_role("searchbox").press("Enter")
    expect(visitor.get_by_role("heading", name="Search", exact=True)).to_be_visible()
    expect(visitor.get_by_role("searchbox")).to_have_count(1)
    expect(visitor.get_by_role("searchbox")).to_have_value("feet")
    expect(visitor.get_by_role("link", name=THREAD)).to_be_visible()
    screenshot(visitor, f"privacy-search-one-box-{w}")
    assert not run_axe(visitor, "search page")
    footer = visitor.locator("footer")
    expect(footer.get_by_role("link", name="116 123")).to_have_attribute("href", "tel:116123")
    expect(footer.get_by_role("link", name="1-833-456-4566")).to_have_attribute("href", "tel:18334564566")

    alex = new_context(viewport=viewport, bypass_csp=True).new_page()
    log_in(alex, "alex")
    open_thread(alex)
    reply(alex, CRISIS)
    resources = alex.locator("aside.notice-crisis_resources")
    expect(resources).to_be_visible()
    for number, href in (("988", "tel:988"), ("116 123", "tel:116123"), ("13 11 14", "tel:131114"),
                         ("9-8-8", "tel:988"), ("1-833-456-4566", "tel:18334564566")):
        expect(resources.get_by_role("link", name=number, exact=True)).to_have_attribute("href", href)
    expect(resources.get_by_role("link", name="emergency")).to_have_count(0)
    resources.scroll_into_view_if_needed()
    screenshot(alex, f"privacy-crisis-tel-links-{w}")
    resources.screenshot(path=str(ARTIFACTS / f"privacy-crisis-tel-links-close-{w}.png"))
    assert not run_axe(alex, "thread with crisis resources")
