"""Hostile Markdown is shown as text and never runs: on the thread page and in search results."""
import pytest
from playwright.sync_api import expect

from tests.e2e.support import log_in

pytestmark = pytest.mark.e2e

SCRIPT = "<script>window.__xss=1</script>"
JS_LINK = "[x](javascript:window.__xss=2)"
IMG = '<img src=x onerror="window.__xss=3">'
TITLE = 'Probe <img src=x onerror="window.__xss=4"> xssprobe'
BODY = f"xssprobe one {SCRIPT}\n\nxssprobe two {JS_LINK}\n\nxssprobe three {IMG}\n"


def assert_nothing_ran(page, dialogs):
    assert page.evaluate("() => typeof window.__xss") == "undefined"
    assert dialogs == [], f"a dialog opened: {dialogs}"
    # No element the payload could have made: no script from the post, no javascript: link, no <img>.
    assert page.locator("main script").count() == 0
    assert page.locator('a[href^="javascript:" i]').count() == 0
    assert page.locator("main img").count() == 0


def test_hostile_markdown_is_text_on_thread_and_search(new_context):
    # With the CSP bypassed, so this proves the HTML is inert by itself; the CSP is a second layer.
    page = new_context(bypass_csp=True).new_page()
    dialogs = []

    def on_dialog(dialog):
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    log_in(page, "alex")  # seeded, verified, a member of Type 2 diabetes
    page.goto("/c/type-2-diabetes")
    page.get_by_role("link", name="New thread").click()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Your post").fill(BODY)
    page.get_by_role("button", name="Post thread").click()

    # ---- the thread page: every payload is visible as the characters typed
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    post = page.get_by_role("article").filter(has_text="xssprobe one")
    expect(post).to_contain_text(SCRIPT)
    expect(post).to_contain_text(JS_LINK)
    expect(post).to_contain_text(IMG)
    assert_nothing_ran(page, dialogs)
    page.reload()  # the stored HTML, not just the page the redirect produced
    assert_nothing_ran(page, dialogs)

    # ---- search results: the snippet and the title are escaped too
    search = page.get_by_role("search", name="Site search")
    search.get_by_label("Search posts").fill("xssprobe")
    search.get_by_role("button", name="Search").click()
    results = page.get_by_role("list").filter(has=page.get_by_role("link", name=TITLE))
    expect(results.get_by_role("link", name=TITLE)).to_be_visible()
    expect(results.get_by_role("mark").first).to_have_text("xssprobe")
    expect(results).to_contain_text("<script>window.__xss=1</script>")
    expect(results).to_contain_text('onerror="window.__xss=3"')
    assert_nothing_ran(page, dialogs)

    # ---- the query itself is echoed back as text
    page.goto("/search?q=" + "xssprobe%20%3Cscript%3Ewindow.__xss%3D5%3C%2Fscript%3E")
    expect(page.get_by_role("status")).to_contain_text("“xssprobe <script>window.__xss=5</script>”")
    expect(page.get_by_role("searchbox", name="Search posts you can see")) \
        .to_have_value("xssprobe <script>window.__xss=5</script>")
    assert_nothing_ran(page, dialogs)
