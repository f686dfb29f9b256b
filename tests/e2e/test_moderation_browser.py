"""The moderation pipeline as people meet it, in a real browser: the consult notice, a control
post, crisis resources at once and the moderator's alert, an identifier redacted everywhere, and a
pending post turning into its published version without a reload."""
import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from community.extensions import db
from community.forums.models import Post
from community.moderation import pipeline
from community.moderation.filters import CONSULT_NOTICE
from tests.e2e.support import PHONE, log_in, post_article, log_in_with_code, moderator_with_2fa, screenshot
from tests.forum_helpers import broker_down

pytestmark = pytest.mark.e2e

METFORMIN = "I stopped my metformin and use cinnamon now"
CONTROL = "My feet check takes two minutes after my shower, with a mirror for the soles."
CRISIS = "I can't do this anymore. I'm going to kill myself tonight."
IDENTIFIER = "Happy to swap tips, text me on 07700 900123 any evening."


def reply(page, body):
    page.get_by_label("Your reply").fill(body)
    page.get_by_role("button", name="Post reply").click()


def open_thread(page):
    page.goto("/c/type-2-diabetes")
    page.get_by_role("link", name="What helped you get used to checking your feet every day?").click()


def test_notice_control_crisis_and_identifier(e2e_app, new_context):
    secret = moderator_with_2fa(e2e_app)
    member = new_context().new_page()
    log_in(member, "alex")
    open_thread(member)

    # ---- a self-directed change gets the notice; a control post gets none
    reply(member, METFORMIN)
    noticed = post_article(member, "cinnamon")
    expect(noticed.get_by_label("Notice")).to_have_text(CONSULT_NOTICE)
    reply(member, CONTROL)
    expect(post_article(member, "mirror for the soles").get_by_label("Notice")).to_have_count(0)
    screenshot(member, "moderation-consult-notice")

    # ---- a crisis post: resources at once, for the author only
    reply(member, CRISIS)
    crisis = post_article(member, "do this anymore")
    help_box = crisis.get_by_role("complementary", name="You are not alone. Help is there right now")
    expect(help_box).to_contain_text("988")
    expect(help_box).to_contain_text("116 123")
    help_box.scroll_into_view_if_needed()
    screenshot(member, "moderation-crisis-resources")

    # ---- an identifier: the composer warns before saving, and nothing is stored unredacted
    reply(member, IDENTIFIER)
    warning = member.get_by_role("alert")
    expect(warning).to_contain_text("a phone number")
    screenshot(member, "moderation-identifier-warning")
    warning.get_by_role("button", name="Remove and post").click()
    swapped = post_article(member, "swap tips")
    expect(swapped).to_contain_text("[removed]")
    expect(member.get_by_text("900123")).to_have_count(0)

    # ---- another member: the notice, not the author's crisis resources nor the identifier
    other = new_context().new_page()
    log_in(other, "riley")
    open_thread(other)
    expect(post_article(other, "cinnamon").get_by_label("Notice")).to_have_text(CONSULT_NOTICE)
    expect(post_article(other, "do this anymore")).to_be_visible()
    expect(other.get_by_text("You are not alone")).to_have_count(0)
    expect(other.get_by_text("900123")).to_have_count(0)
    search = other.get_by_role("search", name="Site search")
    search.get_by_label("Search posts").fill("900123")
    search.get_by_role("button", name="Search").click()
    expect(other.get_by_text("swap tips")).to_have_count(0)

    # ---- a visitor cannot see the crisis post (members only)
    visitor = new_context().new_page()
    open_thread(visitor)
    expect(post_article(visitor, "cinnamon")).to_be_visible()
    expect(visitor.get_by_text("do this anymore")).to_have_count(0)

    # ---- the moderator: a badge on every page, the alert on top of the queue, acknowledged
    moderator = new_context(viewport=PHONE).new_page()
    log_in_with_code(moderator, "morgan", secret)
    badge = moderator.get_by_role("link", name=re.compile(r"Crisis alert: 1"))
    expect(badge).to_be_visible()
    moderator.goto("/guidelines")
    expect(badge).to_be_visible()
    screenshot(moderator, "moderation-badge-phone")
    badge.click()
    first = moderator.get_by_role("article").first
    expect(first.get_by_role("heading", level=2)).to_contain_text("Crisis alert")
    screenshot(moderator, "moderation-queue-phone")
    first.get_by_role("button", name="Acknowledge alert").click()
    expect(moderator.get_by_role("status")).to_contain_text("Alert acknowledged")
    expect(moderator.get_by_role("link", name=re.compile("Crisis alert"))).to_have_count(0)


def test_pending_post_turns_published_with_its_notice_without_a_reload(e2e_app, page, monkeypatch):
    broker_down(monkeypatch)  # the worker has not run: the post stays pending
    log_in(page, "alex")
    open_thread(page)
    reply(page, METFORMIN)
    pending = post_article(page, "cinnamon")
    expect(pending.get_by_role("status")).to_contain_text("Checking your post")
    page.evaluate("() => { window.__sameDocument = true; }")
    with e2e_app.app_context():
        post_id = db.session.scalar(sa.select(Post.id).where(Post.state == "pending"))
        pipeline.moderate_post(post_id)  # what the worker does when Redis is back
    published = post_article(page, "cinnamon")
    expect(published.get_by_label("Notice")).to_have_text(CONSULT_NOTICE, timeout=8000)
    expect(published.get_by_text("Checking your post")).to_have_count(0)
    assert page.evaluate("() => window.__sameDocument") is True  # no reload happened
