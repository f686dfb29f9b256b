"""A newcomer's first visit, end to end in a real browser: found by labels and roles, as a person would."""
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.support import link_in, log_in_with_code, moderator_with_2fa, post_article

pytestmark = pytest.mark.e2e

NEWCOMER = {"username": "maple_walker", "email": "maple@example.org", "password": "paper-kite-river-stone"}
TITLE = "Batch cooking on low-energy days"
BODY = "I freeze **portions** of lentil soup on good days. What do you keep ready for the bad ones?"
REPLY = "Porridge oats and frozen berries: ready in five minutes."
EDITED = "Porridge oats, frozen berries and a spoon of peanut butter: ready in five minutes."


def approve_first_held(moderator, title):
    moderator.goto("/moderation")
    held = moderator.get_by_role("article").filter(has_text="Held post").filter(has_text=title).first
    expect(held).to_contain_text("First posts from a new member wait for approval.")
    held.get_by_role("button", name="Approve and publish").click()
    expect(moderator.get_by_role("status")).to_contain_text("Approved and published.")


def test_newcomer_journey(e2e_app, new_context, page, live_server, mailbox):
    moderator = new_context().new_page()
    log_in_with_code(moderator, "morgan", moderator_with_2fa(e2e_app))
    # ---- sign up
    page.goto("/")
    page.get_by_role("link", name="Join Patient Commons").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Join Patient Commons")
    page.get_by_label("Username").fill(NEWCOMER["username"])
    page.get_by_label("Email", exact=True).fill(NEWCOMER["email"])
    page.get_by_label("Password").fill(NEWCOMER["password"])
    page.get_by_label("Year of birth").fill("1984")
    page.get_by_label("I have read and accept the community guidelines").check()
    page.get_by_label("I consent to Patient Commons storing the health information I choose to share").check()
    page.get_by_role("button", name="Create account").click()

    # ---- the same answer as for an address that already has an account: no session yet
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    # ---- the verification email arrived over SMTP; its link points at this server (SITE_URL)
    message = mailbox.to(NEWCOMER["email"])
    assert len(message) == 1 and message[0]["Subject"] == "Confirm your email for Patient Commons"
    link = link_in(mailbox.last_body(NEWCOMER["email"]), "/verify/")
    assert link.startswith(live_server + "/verify/")
    page.goto(link)
    expect(page.get_by_role("status")).to_contain_text("Thank you, your email is confirmed.")
    page.get_by_label("Username or email").fill(NEWCOMER["username"])
    page.get_by_label("Password", exact=True).fill(NEWCOMER["password"])
    page.get_by_role("button", name="Log in", exact=True).click()

    # ---- onboarding, skipped
    expect(page).to_have_url(re.compile(r"/welcome$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Which conditions are part of your life?")
    expect(page.get_by_role("list", name="Getting started")).to_be_visible()
    page.get_by_role("button", name="Skip getting started").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welcome, {NEWCOMER['username']}")
    expect(page.get_by_text("Please confirm your email to start posting")).to_have_count(0)

    # ---- join a community from the home page
    page.get_by_role("region", name="Communities").get_by_role("link", name="Type 2 diabetes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Type 2 diabetes")
    page.get_by_role("button", name="Join community").click()
    expect(page.get_by_role("status")).to_contain_text("You joined Type 2 diabetes.")
    expect(page.get_by_role("navigation", name="Your communities").get_by_role("link", name="Type 2 diabetes")) \
        .to_be_visible()

    # ---- start a thread: a new member's first posts wait for a moderator (DESIGN.md's trust levels)
    page.get_by_role("link", name="New thread").click()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Your post").fill(BODY)
    page.get_by_role("button", name="Post thread").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    opening = post_article(page, "lentil soup")
    expect(opening.get_by_role("strong")).to_have_text("portions")  # Markdown rendered
    expect(opening.get_by_role("link", name=NEWCOMER["username"])).to_be_visible()
    expect(opening.get_by_text("New member", exact=True)).to_be_visible()
    expect(opening.get_by_text("Waiting for a moderator")).to_be_visible()
    expect(opening.get_by_role("button", name="Like")).to_have_count(0)  # reactions only on published posts
    page.get_by_role("link", name="Type 2 diabetes").first.click()
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    expect(page.get_by_text("Waiting for review")).to_be_visible()  # only the author sees it listed

    # ---- the community's moderator approves it from the review queue
    approve_first_held(moderator, TITLE)
    page.get_by_role("link", name=TITLE).click()
    opening = post_article(page, "lentil soup")
    expect(page.get_by_text("Waiting for a moderator")).to_have_count(0)
    expect(opening.get_by_role("button", name="Like")).to_be_visible()

    # ---- reply: still a first post, so it waits too, then is approved
    page.get_by_label("Your reply").fill(REPLY)
    page.get_by_role("button", name="Post reply").click()
    expect(post_article(page, "Porridge oats").get_by_text("Waiting for a moderator")).to_be_visible()
    approve_first_held(moderator, TITLE)
    page.reload()
    reply = post_article(page, "Porridge oats")
    expect(reply).to_contain_text(REPLY)
    expect(reply.get_by_text("Waiting for a moderator")).to_have_count(0)
    expect(page.get_by_text("1 reply", exact=True)).to_be_visible()

    # ---- edit the reply, then read its history
    reply.get_by_role("link", name="Edit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit your post")
    expect(page.get_by_label("Edit your post")).to_have_value(REPLY)
    page.get_by_label("Edit your post").fill(EDITED)
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status")).to_contain_text("Your changes are saved.")
    reply = post_article(page, "Porridge oats")
    expect(reply).to_contain_text(EDITED)
    reply.get_by_role("link", name="edited").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit history")
    current = page.get_by_role("article").filter(has_text="Current version")
    earlier = page.get_by_role("article").filter(has_text="Earlier version")
    expect(current).to_contain_text(EDITED)
    expect(earlier).to_contain_text(REPLY)
    expect(earlier).not_to_contain_text("peanut butter")
    page.get_by_role("link", name="Back to the post").click()

    # ---- react: each button toggles on, shows a count, and says it is pressed
    opening = post_article(page, "lentil soup")
    for kind in ("Like", "Hug", "Helpful"):
        opening.get_by_role("button", name=kind).click()
        opening = post_article(page, "lentil soup")
        pressed = opening.get_by_role("button", name=f"{kind} 1", exact=True)
        expect(pressed).to_have_attribute("aria-pressed", "true")
    # ... and toggles off again
    opening.get_by_role("button", name="Hug 1", exact=True).click()
    opening = post_article(page, "lentil soup")
    expect(opening.get_by_role("button", name="Hug", exact=True)).to_have_attribute("aria-pressed", "false")

    # ---- bookmark
    opening.get_by_role("button", name="Bookmark", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Bookmarked.")
    expect(post_article(page, "lentil soup").get_by_role("button", name="Bookmarked")) \
        .to_have_attribute("aria-pressed", "true")

    # ---- search for a word from the thread: the hit is highlighted
    search = page.get_by_role("search", name="Site search")
    search.get_by_label("Search posts").fill("lentil")
    search.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    expect(page.get_by_text("Results for “lentil”")).to_be_visible()
    results = page.get_by_role("list").filter(has=page.get_by_role("link", name=TITLE))
    expect(results.get_by_role("mark")).to_have_text(re.compile("lentil", re.I))
    expect(results.get_by_role("link", name=TITLE)).to_be_visible()

    # ---- the bookmark is listed on the (signed-in only) bookmarks page
    page.get_by_role("navigation", name="Account").get_by_role("link", name="Bookmarks").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your bookmarks")
    response = page.reload()
    assert response.headers.get("cache-control") == "no-store"
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()

    # ---- log out (a POST button), then Back must not show the signed-in page from cache
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("status")).to_contain_text("You are logged out.")
    expect(page.get_by_role("link", name="Log in").first).to_be_visible()
    # "commit", not "load": a page restored from the back/forward cache fires no load event.
    page.go_back(wait_until="commit")
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    expect(page.get_by_role("link", name=TITLE)).to_have_count(0)
    expect(page.get_by_text("Your bookmarks")).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")  # the server asked again
