"""Issue 13's check-in lane in a real browser at 390 and 1280 px: a member's post of a hard time
(no plan, day or means) shows them the resources gently; the moderator's item says "Check-in"
with the tiers and score, and a private check-in is ready to send, which reaches only the member."""
import pytest
from playwright.sync_api import expect

from tests.e2e.support import DESKTOP, PHONE, log_in, log_in_with_code, moderator_with_2fa, post_article, run_axe, screenshot

pytestmark = pytest.mark.e2e

THREAD = "What helped you get used to checking your feet every day?"
HARD_TIME = "Some nights I hope I just don't wake up. Everything is so heavy with this pain."


def fits(page):
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_a_check_in_item_offers_the_moderator_a_ready_private_message(e2e_app, new_context, mailbox):
    secret = moderator_with_2fa(e2e_app, "morgan")
    alex = new_context(viewport=PHONE).new_page()
    log_in(alex, "alex")
    alex.goto("/c/type-2-diabetes")
    alex.get_by_role("link", name=THREAD).click()
    alex.get_by_label("Your reply").fill(HARD_TIME)
    alex.get_by_role("button", name="Post reply").click()
    mine = post_article(alex, "heavy with this pain")
    expect(mine).to_contain_text("If today is hard, these people are there any time.")
    screenshot(alex, "crisis-check-in-author-phone")

    problems = []
    moderator = new_context(viewport=PHONE, bypass_csp=True).new_page()   # axe is injected
    log_in_with_code(moderator, "morgan", secret)
    moderator.goto("/moderation?kind=crisis")
    moderator.get_by_role("article").filter(has_text="Crisis alert").get_by_role("link").first.click()
    expect(moderator.get_by_text("Check-in: a hard time")).to_be_visible()
    expect(moderator.get_by_text("classifier: crisis")).to_be_visible()
    item_url = moderator.url
    box = moderator.get_by_label("Message")
    assert "wanted to check in" in box.input_value()
    for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
        moderator.set_viewport_size(size)
        assert fits(moderator), f"the item page is wider than {size['width']} px"
        screenshot(moderator, f"crisis-check-in-item-{label}")
        problems.extend(run_axe(moderator, f"check-in item {label}"))
    moderator.get_by_role("button", name="Send the check-in").click()
    expect(moderator.get_by_text("Message sent.")).to_be_visible()

    # The moderator thinks the filters also missed something: by keyboard, at 390 px.
    moderator.set_viewport_size(PHONE)
    moderator.goto(item_url)
    summary = moderator.get_by_text("The filters got this post wrong? Report a miss")
    summary.focus()
    moderator.keyboard.press("Enter")
    expect(moderator.get_by_role("checkbox", name="Crisis")).to_be_checked()          # what they found, ticked
    moderator.get_by_role("checkbox", name="Consult reminder").check()
    moderator.get_by_label("Note for the developers (optional)").fill("also stops a treatment?")
    screenshot(moderator, "report-a-miss-phone")
    problems.extend(run_axe(moderator, "report a miss"))
    moderator.get_by_role("button", name="Report the miss").click()
    expect(moderator.get_by_text("Thank you. The miss is saved")).to_be_visible()

    alex.goto("/account/standing")
    expect(alex.get_by_text("I read your post and wanted to check in")).to_be_visible()
    riley = new_context().new_page()
    log_in(riley, "riley")
    riley.goto("/account/standing")
    expect(riley.get_by_text("I read your post and wanted to check in")).to_have_count(0)
    assert not problems, problems
