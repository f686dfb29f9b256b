"""Issue 10, phones and reading: long unbroken text, the phone header's menu, onboarding step 2,
tables as cards, local and relative times, and the review queue's reason box; at 390 and 1280 px.

Screenshots go to tests/e2e/artifacts/polish-<width>-<page>.png.
"""
import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from community.accounts.models import User
from community.extensions import db
from community.forums import services as forums
from community.forums.models import Community
from tests.e2e.support import DESKTOP, PHONE, log_in, log_in_with_code, moderator_with_2fa, run_axe, screenshot

pytestmark = pytest.mark.e2e

VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}
# 200 characters without a space: a pasted link, a keyboard mash, a long hashtag.
LONG_TITLE = ("Porcupine" + "x" * 191)[:200]
LONG_WORD = "Mxyzptlk" + "abcdefghij" * 40
LONG_BODY = f"Porcupine question. {LONG_WORD}\n\n```\n{'code_' * 80}\n```\n"
HELD_TITLE = ("Quokka" + "z" * 194)[:200]

OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


def _user_id(app, username):
    with app.app_context():
        return db.session.scalar(sa.select(User.id).where(User.username == username))


def long_threads(app):
    """A published thread by alex with a 200-character title and body, and a held one by a newcomer."""
    from tests.helpers import create_user

    with app.app_context():
        community = db.session.scalar(sa.select(Community).where(Community.slug == "type-2-diabetes"))
        alex = _user_id(app, "alex")
        thread, _ = forums.create_thread(alex, community.id, LONG_TITLE, LONG_BODY)
        newcomer = create_user("newcomer_kit", approved_posts=0)
        forums.join(newcomer.id, community.id)
        forums.create_thread(newcomer.id, community.id, HELD_TITLE, f"Hello from a newcomer. {LONG_WORD}")
        return thread.id


def check_widths(page, name, problems, axe=True):
    for width, viewport in VIEWPORTS.items():
        page.set_viewport_size(viewport)
        overflow = page.evaluate(OVERFLOW)
        if overflow > 0:
            problems.append(f"[{width} {name}] {overflow}px wider than the window")
        if axe:
            problems.extend(run_axe(page, f"{width} {name}"))
        screenshot(page, f"polish-{width}-{name}")


def test_long_unbroken_titles_and_text_never_widen_a_page(e2e_app, new_context):
    thread_id = long_threads(e2e_app)
    problems = []
    visitor = new_context(PHONE, bypass_csp=True).new_page()
    for path, name in [("/", "home"), ("/c/type-2-diabetes", "community"), (f"/t/{thread_id}", "thread"),
                       ("/search?q=porcupine", "search")]:
        visitor.goto(path)
        expect(visitor.get_by_text(LONG_TITLE).first).to_be_visible()
        check_widths(visitor, f"long-{name}", problems)
    # The code block scrolls inside itself rather than widening the post.
    visitor.goto(f"/t/{thread_id}")
    pre = visitor.locator(".post-body pre").first
    assert pre.evaluate("el => el.scrollWidth > el.clientWidth"), "the code block should scroll inside itself"

    moderator = new_context(DESKTOP, bypass_csp=True).new_page()
    log_in_with_code(moderator, "morgan", moderator_with_2fa(e2e_app))
    moderator.goto("/moderation")
    expect(moderator.get_by_text(HELD_TITLE)).to_be_visible()
    check_widths(moderator, "long-queue", problems)
    moderator.get_by_role("link", name="Held post").first.click()
    check_widths(moderator, "long-item", problems)
    assert not problems, "\n".join(problems)


HEADER = "() => document.querySelector('.header-row').getBoundingClientRect().height"
LINE = "() => parseFloat(getComputedStyle(document.querySelector('.brand')).lineHeight)"


def test_phone_header_is_one_line_with_a_menu_button_that_works_by_keyboard(e2e_app, new_context):
    page = new_context(PHONE, bypass_csp=True).new_page()
    log_in(page, "alex")
    page.goto("/")
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    assert menu.get_attribute("aria-controls")
    # Closed: the header is one row (brand and button), about one button high.
    height = page.evaluate(HEADER)
    assert height < 70, f"closed phone header is {height}px high"
    expect(page.get_by_role("button", name="Log out")).to_be_hidden()
    screenshot(page, "polish-phone-header-closed")

    # By keyboard: skip link, brand, then the menu button; Enter opens, focus ring shows.
    for _ in range(3):
        page.keyboard.press("Tab")
    expect(menu).to_be_focused()
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    account = page.get_by_role("navigation", name="Account")
    expect(account.get_by_role("link", name="Settings")).to_be_visible()
    expect(page.get_by_role("search", name="Site search")).to_be_visible()
    expect(page.get_by_role("navigation", name="Your communities")).to_be_visible()
    assert page.evaluate(OVERFLOW) <= 0
    screenshot(page, "polish-phone-header-open")
    problems = run_axe(page, "phone menu open")
    page.keyboard.press("Tab")  # into the menu: the search box comes next
    expect(page.get_by_label("Search posts")).to_be_focused()
    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()
    expect(page.get_by_role("button", name="Log out")).to_be_hidden()
    problems += run_axe(page, "phone menu closed")

    # Desktop: no menu button, everything in the header as before.
    page.set_viewport_size(DESKTOP)
    expect(menu).to_be_hidden()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.get_by_role("search", name="Site search")).to_be_visible()
    screenshot(page, "polish-desktop-header")
    assert not problems, "\n".join(problems)


def test_without_scripts_the_phone_header_shows_its_links(new_context, browser, live_server):
    context = browser.new_context(base_url=live_server, viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/")
        expect(page.get_by_role("button", name="Menu")).to_be_hidden()
        expect(page.get_by_role("navigation", name="Account").get_by_role("link", name="Log in")).to_be_visible()
        expect(page.get_by_role("search", name="Site search")).to_be_visible()
        screenshot(page, "polish-phone-header-no-js")
    finally:
        context.close()


def test_onboarding_step_two_is_short_on_a_phone(e2e_app, new_context):
    from tests.helpers import create_user

    with e2e_app.app_context():
        from community.forums.seed import DEMO_PASSWORD

        create_user("fern_newcomer", password=DEMO_PASSWORD).onboarded_at = None
        db.session.commit()
    problems = []
    page = new_context(PHONE, bypass_csp=True).new_page()
    log_in(page, "fern_newcomer")
    expect(page.get_by_role("heading", level=1)).to_have_text("Which conditions are part of your life?")
    page.get_by_label("Asthma").check()
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Join communities")
    expect(page.get_by_label(re.compile("^Asthma"))).to_be_checked()
    for width, viewport in VIEWPORTS.items():
        page.set_viewport_size(viewport)
        height = page.evaluate("() => document.documentElement.scrollHeight")
        print(f"onboarding step 2 at {viewport['width']}px: {height}px high")
        screenshot(page, f"polish-{width}-onboarding-communities")
        if width == "phone":
            assert height < 1600, f"step 2 is {height}px long on a phone"
        assert page.evaluate(OVERFLOW) <= 0
        problems += run_axe(page, f"{width} onboarding step 2")
    page.get_by_role("button", name="Join and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("About you|A few words", re.I))
    assert not problems, "\n".join(problems)


# A word counts as broken when its letters sit on two lines (long tokens of 25+ characters may be).
BROKEN_WORDS = """(selector) => {
  const broken = [];
  for (const cell of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const re = /[A-Za-z0-9]+/g;
      let m;
      while ((m = re.exec(node.data))) {
        if (m[0].length < 2 || m[0].length >= 25) continue;
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (tops.size > 1) broken.push(m[0]);
      }
    }
  }
  return broken;
}"""
CARDS = """(selector) => [...document.querySelectorAll(selector + ' tbody tr')].every(
  tr => getComputedStyle(tr).display === 'block')"""
CELL_LABELS = """(selector) => [...document.querySelectorAll(selector + ' tbody td[data-label]')].map(
  td => getComputedStyle(td, '::before').content)"""


def test_tables_stack_as_cards_on_a_phone_and_keep_words_whole_on_a_desktop(e2e_app, new_context):
    thread_id = long_threads(e2e_app)
    admin = new_context(DESKTOP, bypass_csp=True).new_page()
    log_in_with_code(admin, "admin", moderator_with_2fa(e2e_app, "admin"))
    # Something long in the log: a hide with a reason that has no spaces.
    with e2e_app.app_context():
        from community.moderation import log

        log.record(_user_id(e2e_app, "admin"), "post.hide", "thread", thread_id, None, "x" * 180)
        db.session.commit()
    problems = []
    for path, name in [("/moderation/log", "staff-log"), ("/admin/communities", "admin-communities"),
                       ("/settings/sessions", "sessions")]:
        admin.goto(path)
        for width, viewport in VIEWPORTS.items():
            admin.set_viewport_size(viewport)
            overflow = admin.evaluate(OVERFLOW)
            if overflow > 0:
                problems.append(f"[{width} {name}] {overflow}px wider than the window")
            stacked = admin.evaluate(CARDS, "table.stack")
            if width == "phone":
                if not stacked:
                    problems.append(f"[{name}] rows are not cards at 390px")
                labels = admin.evaluate(CELL_LABELS, "table.stack")
                if not labels or any(label in ("none", "normal", '""') for label in labels):
                    problems.append(f"[{name}] cells do not show their column names: {labels[:6]}")
            else:
                if stacked:
                    problems.append(f"[{name}] rows are cards at 1280px")
                broken = admin.evaluate(BROKEN_WORDS, "table td, table th")
                if broken:
                    problems.append(f"[{name}] words broken mid-way at 1280px: {sorted(set(broken))[:10]}")
            problems.extend(run_axe(admin, f"{width} {name}"))
            screenshot(admin, f"polish-{width}-{name}")
    assert not problems, "\n".join(problems)


def test_times_show_in_the_readers_zone_and_relative_when_recent(e2e_app, new_context, browser, live_server):
    # A reader in Tokyo, no account: the browser's zone.
    tokyo = browser.new_context(base_url=live_server, viewport=PHONE, timezone_id="Asia/Tokyo", locale="en-US")
    plain = browser.new_context(base_url=live_server, viewport=PHONE, java_script_enabled=False)
    try:
        page = tokyo.new_page()
        page.goto("/c/type-2-diabetes")
        page.get_by_role("link", name="What helped you get used to checking your feet every day?").click()
        first = page.locator("article time").first
        iso = first.get_attribute("datetime")
        assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d", iso), iso
        expect(first).not_to_contain_text("UTC")
        expected = page.evaluate("""(iso) => new Intl.DateTimeFormat('en', {dateStyle: 'medium', timeStyle: 'short',
            timeZone: 'Asia/Tokyo'}).format(new Date(iso))""", iso)
        expect(first).to_have_text(expected)
        assert first.get_attribute("title"), "the full local date and time is in the title"
        screenshot(page, "polish-phone-local-times")

        # Without scripts the server's UTC text stays.
        raw = plain.new_page()
        raw.goto(page.url)
        expect(raw.locator("article time").first).to_contain_text("UTC")
    finally:
        tokyo.close()
        plain.close()

    # A member whose setting says New York, in a browser in Tokyo: the setting wins; a new reply is "just now".
    with e2e_app.app_context():
        alex = db.session.scalar(sa.select(User).where(User.username == "alex"))
        alex.time_zone = "America/New_York"
        db.session.commit()
    member = browser.new_context(base_url=live_server, viewport=DESKTOP, timezone_id="Asia/Tokyo", locale="en-US",
                                 bypass_csp=True)
    try:
        page = member.new_page()
        log_in(page, "alex")
        page.goto("/c/type-2-diabetes")
        page.get_by_role("link", name="What helped you get used to checking your feet every day?").click()
        first = page.locator("article time").first
        expected = page.evaluate("""(iso) => new Intl.DateTimeFormat('en', {dateStyle: 'medium', timeStyle: 'short',
            timeZone: 'America/New_York'}).format(new Date(iso))""", first.get_attribute("datetime"))
        expect(first).to_have_text(expected)
        page.get_by_label("Your reply").fill("Morning routine: feet, then tea.")
        page.get_by_role("button", name="Post reply").click()
        mine = page.get_by_role("article").filter(has_text="feet, then tea")
        expect(mine.locator("time")).to_have_text(re.compile(r"^(just now|\d+ minutes? ago)$"))
        # The home page's lists give days ("3 days ago" within a week, else a date).
        page.goto("/")
        recent = page.locator(".thread-item time").first
        expect(recent).to_have_text(re.compile(r"(ago|just now|\w{3} \d{1,2}, \d{4})$"))
        screenshot(page, "polish-desktop-relative-times")
        # Settings shows the zone, and it can be changed.
        page.goto("/settings")
        zone = page.get_by_label("Time zone")
        expect(zone).to_have_value("America/New_York")
        zone.select_option("Europe/Berlin")
        page.get_by_role("button", name="Save preferences").click()
        expect(page.get_by_role("status")).to_contain_text("Preferences saved")
        expect(page.get_by_label("Time zone")).to_have_value("Europe/Berlin")
        problems = run_axe(page, "settings")
        assert not problems, "\n".join(problems)
    finally:
        member.close()


def test_sign_up_guesses_the_time_zone_from_the_browser(e2e_app, browser, live_server, mailbox):
    context = browser.new_context(base_url=live_server, viewport=PHONE, timezone_id="Australia/Hobart")
    try:
        page = context.new_page()
        page.goto("/signup")
        page.get_by_label("Username").fill("wattle_walker")
        page.get_by_label("Email", exact=True).fill("wattle@example.org")
        page.get_by_label("Password").fill("paper-kite-river-stone")
        page.get_by_label("Year of birth").fill("1984")
        page.get_by_label("I have read and accept the community guidelines").check()
        page.get_by_label("I consent to Patient Commons storing the health information I choose to share").check()
        page.get_by_role("button", name="Create account").click()
        # The same answer as for an address that has an account: no session until the link is followed.
        expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
        link = re.search(r"https?://\S+/verify/\S+", mailbox.last_body("wattle@example.org")).group(0)
        page.goto(link)
        expect(page.get_by_role("status")).to_contain_text("your email is confirmed")
        page.get_by_label("Username or email").fill("wattle_walker")
        page.get_by_label("Password", exact=True).fill("paper-kite-river-stone")
        page.get_by_role("button", name="Log in", exact=True).click()
        expect(page).to_have_url(re.compile(r"/welcome$"))
        page.get_by_role("button", name="Skip getting started").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, wattle_walker")
    finally:
        context.close()
    with e2e_app.app_context():
        assert db.session.scalar(sa.select(User.time_zone).where(User.username == "wattle_walker")) == "Australia/Hobart"


REASON_LAYOUT = """(id) => {
  const form = document.querySelector('#reason-' + id).closest('form');
  const box = document.querySelector('#reason-' + id).getBoundingClientRect();
  const label = document.querySelector('label[for="reason-' + id + '"]');
  const buttons = [...form.querySelectorAll('button')].map(b => b.getBoundingClientRect());
  const item = form.closest('article').getBoundingClientRect();
  return {box: [box.left, box.top, box.right, box.bottom], buttons: buttons.map(b => [b.left, b.top, b.right, b.bottom]),
          item: [item.left, item.right], label: label ? label.getBoundingClientRect().height : 0,
          labelHidden: label ? getComputedStyle(label).clip !== 'auto' && label.classList.contains('visually-hidden') : true};
}"""


def test_queue_reason_box_has_a_visible_label_and_sits_beside_its_button(e2e_app, new_context):
    long_threads(e2e_app)
    page = new_context(DESKTOP, bypass_csp=True).new_page()
    log_in_with_code(page, "morgan", moderator_with_2fa(e2e_app))
    page.goto("/moderation")
    held = page.get_by_role("article").filter(has_text=HELD_TITLE)
    box = held.get_by_label("Reason (needed to reject)")
    expect(box).to_be_visible()
    item_id = box.get_attribute("id").removeprefix("reason-")
    problems = []
    for width, viewport in VIEWPORTS.items():
        page.set_viewport_size(viewport)
        layout = page.evaluate(REASON_LAYOUT, item_id)
        assert layout["label"] > 0 and not layout["labelHidden"], f"{width}: the label is not visible: {layout}"
        box_rect, (button,) = layout["box"], layout["buttons"]
        left, right = layout["item"]
        assert button[2] <= right and box_rect[2] <= right, f"{width}: outside its item: {layout}"
        if width == "desktop":
            # Side by side: the button is on the box's line, to its right.
            assert abs(button[1] - box_rect[1]) < 12 and button[0] >= box_rect[2], f"desktop: {layout}"
        else:
            # Stacked: the box takes the width, the button sits under it.
            assert button[1] >= box_rect[3] - 1, f"phone: {layout}"
        assert page.evaluate(OVERFLOW) <= 0
        problems += run_axe(page, f"{width} queue")
        screenshot(page, f"polish-{width}-queue-reason")
    assert not problems, "\n".join(problems)
