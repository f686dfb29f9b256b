"""axe-core on the main pages at phone and desktop width, screenshots for review, and keyboard use.

Fails on any "serious" or "critical" axe violation and prints the rule ids and the nodes.
Screenshots go to tests/e2e/artifacts/ (gitignored): <width>-<who>-<page>.png.
"""
import pytest
from playwright.sync_api import expect

from tests.e2e.support import DESKTOP, PHONE, log_in, run_axe, screenshot

pytestmark = pytest.mark.e2e

VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}
SEARCH = "/search?q=feet"
COMMUNITY = "/c/type-2-diabetes"
THREAD_TITLE = "What helped you get used to checking your feet every day?"


def thread_path(page):
    page.goto(COMMUNITY)
    return page.get_by_role("link", name=THREAD_TITLE).get_attribute("href")


def audit(page, path, who, page_name, problems):
    """At each width: axe, no sideways scrolling, and a full-page screenshot. One load serves both widths."""
    for width, viewport in VIEWPORTS.items():
        page.set_viewport_size(viewport)
        name = f"{width}-{who}-{page_name}"
        problems.extend(run_axe(page, name))
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            problems.append(f"[{name}] {path} is {overflow}px wider than the window (sideways scrolling)")
        screenshot(page, name)


def visit(page, path):
    response = page.goto(path)
    assert response.ok, f"{path}: HTTP {response.status}"
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_visitor_pages_have_no_serious_axe_violations(new_context):
    problems = []
    page = new_context(PHONE, bypass_csp=True).new_page()  # axe goes in as an inline script
    thread = thread_path(page)
    for path, name in [
        ("/", "home"), (COMMUNITY, "community"), (thread, "thread"), (SEARCH, "search"),
        ("/signup", "signup"), ("/login", "login"),
    ]:
        visit(page, path)
        audit(page, path, "visitor", name, problems)
    # The sign-up form as it comes back with every field in error.
    page.get_by_role("link", name="Create an account").click()
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("Please tick this box to continue.").first).to_be_visible()
    audit(page, "/signup (POST)", "visitor", "signup-errors", problems)
    assert not problems, "axe found serious or critical problems:\n" + "\n".join(problems)


def test_member_pages_have_no_serious_axe_violations(new_context):
    problems = []
    page = new_context(PHONE, bypass_csp=True).new_page()
    log_in(page, "alex")
    thread = thread_path(page)
    for path, name in [("/", "home"), (COMMUNITY, "community"), (thread, "thread"), (SEARCH, "search")]:
        visit(page, path)
        expect(page.get_by_role("button", name="Log out", include_hidden=True)).to_be_attached()  # in the phone menu
        audit(page, path, "member", name, problems)
    assert not problems, "axe found serious or critical problems:\n" + "\n".join(problems)


FOCUS_STYLE = """() => {
  const el = document.activeElement;
  const s = getComputedStyle(el);
  const r = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(), text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 40),
    outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
    shadow: s.boxShadow !== 'none',
    inView: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth,
    inMain: !!el.closest('main'),
  };
}"""


def test_keyboard_skip_link_comes_first_and_focus_is_visible(new_context):
    page = new_context(PHONE).new_page()
    log_in(page, "alex")  # signed in, the thread page has the most controls: reactions, bookmark, edit, reply
    thread = thread_path(page)
    for width, viewport in VIEWPORTS.items():
        page.set_viewport_size(viewport)
        page.goto(thread)

        page.keyboard.press("Tab")
        expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
        state = page.evaluate(FOCUS_STYLE)
        assert state["inView"] and (state["outline"] or state["shadow"]), f"{width}: skip link focus not visible: {state}"
        screenshot(page, f"{width}-member-skip-link-focused")

        page.keyboard.press("Enter")
        expect(page.locator("main")).to_be_focused()
        # Walk on through the page: every stop shows a visible focus indicator and is scrolled into view.
        seen = []
        for _ in range(40):
            page.keyboard.press("Tab")
            state = page.evaluate(FOCUS_STYLE)
            if state["tag"] == "body":
                break
            seen.append(state)
        assert seen and seen[0]["inMain"], f"{width}: after the skip link, focus should land in main: {seen[:1]}"
        hidden = [s for s in seen if not (s["inView"] and (s["outline"] or s["shadow"]))]
        assert not hidden, f"{width}: focus not visible on: " + "; ".join(f"{s['tag']} {s['text']!r}" for s in hidden)
        names = [s["text"] for s in seen]
        assert any(n.startswith("Like") for n in names) and "Post reply" in names, names
