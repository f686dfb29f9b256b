"""Notifications in the browser (issue 14): the header count follows a reply without a reload, the
panel and the settings page pass axe at 390 px and 1280 px, and both work by keyboard."""
import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.e2e.support import DESKTOP, PHONE, log_in, run_axe, screenshot

pytestmark = pytest.mark.e2e
THREAD_TITLE = "What helped you get used to checking your feet every day?"


def reply_from_riley(app, text):
    from community.accounts.models import User
    from community.extensions import db
    from community.forums import services as forums
    from community.forums.models import Thread

    with app.app_context():
        thread_id = db.session.scalar(sa.select(Thread.id).where(Thread.title == THREAD_TITLE))
        riley = db.session.scalar(sa.select(User.id).where(User.username == "riley"))
        return forums.reply(riley, thread_id, text).id


def test_the_header_count_follows_a_reply_and_the_panel_leads_to_the_post(new_context, e2e_app):
    problems = []
    page = new_context(DESKTOP, bypass_csp=True).new_page()
    log_in(page, "alex")
    count = page.locator(".notif-panel [data-unread]")
    expect(count).to_have_text("0")
    post_id = reply_from_riley(e2e_app, "A little mirror by the bed works for me too.")
    # the tab regains focus: the script asks for the count, with no reload
    page.evaluate("() => window.dispatchEvent(new Event('focus'))")
    expect(count).to_have_text("1")
    expect(page.locator(".notif-panel summary")).to_have_attribute("aria-label", "Notifications, 1 unread")
    # by keyboard: focus the summary, open it with Enter, close it with Escape
    page.locator(".notif-panel summary").focus()
    page.keyboard.press("Enter")
    item = page.locator(".notif-panel [data-panel-list] a", has_text="riley replied to your thread")
    expect(item).to_be_visible()
    for width, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        if width == "phone":
            page.get_by_role("button", name="Menu").click()
            page.locator(".notif-panel").evaluate("d => d.open = true")
            expect(item).to_be_visible()
        problems += run_axe(page, f"{width}-panel")
        screenshot(page, f"{width}-member-notification-panel")
    page.set_viewport_size(DESKTOP)
    page.keyboard.press("Escape")
    expect(item).to_be_hidden()
    page.locator(".notif-panel summary").click()
    item.click()
    expect(page).to_have_url(re.compile(rf"/t/\d+#p{post_id}$"))
    # the centre marks all read
    page.goto("/notifications")
    page.get_by_role("button", name="Mark all as read").click()
    expect(count).to_have_text("0")
    assert not problems, "axe found serious or critical problems:\n" + "\n".join(problems)


def test_settings_page_by_keyboard_with_a_bad_time_and_axe(new_context):
    problems = []
    page = new_context(PHONE, bypass_csp=True).new_page()
    log_in(page, "sam")
    page.goto("/settings/notifications")
    expect(page.get_by_role("heading", name="Notification settings")).to_be_visible()
    page.get_by_label("Quiet hours start").fill("10pm")
    page.get_by_label("Quiet hours end").fill("07:00")
    page.get_by_label("Quiet hours end").press("Enter")
    expect(page.get_by_text("Times are HH:MM, 24-hour")).to_be_visible()
    for width, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(viewport)
        problems += run_axe(page, f"{width}-settings-error")
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{width}: the settings page scrolls sideways by {overflow}px"
        screenshot(page, f"{width}-member-notification-settings-error")
    page.get_by_label("Quiet hours start").fill("22:00")
    page.get_by_label("Replies to my threads").select_option("always")
    page.get_by_role("button", name="Save notification settings").click()
    expect(page.get_by_text("Notification settings saved.")).to_be_visible()
    expect(page.get_by_label("Replies to my threads")).to_have_value("always")
    expect(page.get_by_label("Quiet hours start")).to_have_value("22:00")
    page.goto("/notifications")
    problems += run_axe(page, "phone-centre")
    screenshot(page, "desktop-member-notification-centre")
    assert not problems, "axe found serious or critical problems:\n" + "\n".join(problems)
