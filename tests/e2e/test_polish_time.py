"""Issue 10 points 15 and 23 in a real browser, at 390 and 1280 px: times shown in the reader's
own zone and as "… ago", the sign-up's guessed time zone, the setting, the greeting and the
sessions page naming the browser."""
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.support import DESKTOP, PHONE, log_in, run_axe, screenshot
from tests.e2e.test_moderator_tools_browser import open_thread, reply

pytestmark = pytest.mark.e2e
VIEWPORTS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])


@VIEWPORTS
def test_times_are_local_and_relative_and_the_zone_is_guessed_and_set(new_context, viewport):
    w = viewport["width"]
    page = new_context(viewport=viewport, bypass_csp=True, timezone_id="Pacific/Auckland", locale="en-GB").new_page()
    page.goto("/signup")
    assert page.locator("input[name=time_zone]").input_value() == "Pacific/Auckland"

    log_in(page, "alex")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Welcome, alex"))
    open_thread(page)
    reply(page, "Checking my feet every evening after the shower works for me.")
    mine = page.locator("article.post").filter(has_text="after the shower").locator("time").first
    expect(mine).to_have_text(re.compile(r"now|second|minute", re.I))
    assert "UTC" in mine.get_attribute("title")
    # The demo's older posts: a date in Auckland's zone, never the UTC text the server wrote.
    older = page.locator("article.post time").first
    assert "UTC" not in older.inner_text() and older.get_attribute("data-utc").endswith("UTC")
    screenshot(page, f"time-thread-{w}")

    page.goto("/settings")
    zone = page.get_by_label("Your time zone")
    zone.fill("Nowhere/Special")
    page.get_by_role("button", name="Save preferences").click()
    expect(page.get_by_text("Choose a time zone from the list")).to_be_visible()
    page.get_by_label("Your time zone").fill("Europe/Paris")
    page.get_by_role("button", name="Save preferences").click()
    expect(page.get_by_text("Preferences saved.")).to_be_visible()
    assert page.get_by_label("Your time zone").input_value() == "Europe/Paris"
    assert not run_axe(page, "settings")
    screenshot(page, f"time-settings-{w}")

    page.goto("/settings/sessions")
    expect(page.locator("td").filter(has_text="(this device)")).to_have_text(re.compile(r"Chrome on Linux"))
    assert "Mozilla/5.0" not in page.content()
    assert not run_axe(page, "sessions")
    screenshot(page, f"time-sessions-{w}")
