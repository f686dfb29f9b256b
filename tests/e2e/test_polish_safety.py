"""Issue 10, safety, in a real browser at 390 and 1280 px: the admins' crisis alert coverage
page, the banner every admin page shows while an alert reached no one, a crisis post as another
member sees it (a note on responding with care, only "Hug"), and appointing a moderator through
the confirmation step, by keyboard. Demo staff sign in with the seeded demo-only 2FA secrets."""
import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from community.accounts.models import User
from community.extensions import db
from community.forums.models import Community
from community.forums.seed import DEMO_TOTP
from tests.e2e.support import DESKTOP, PHONE, log_in, log_in_with_code, post_article, run_axe, screenshot

pytestmark = pytest.mark.e2e

CRISIS = "I can't do this anymore. I'm going to kill myself tonight."
WIDTHS = (("phone", PHONE), ("desktop", DESKTOP))


def reply_in(page, community, title, body):
    page.goto(f"/c/{community}")
    page.get_by_role("link", name=title).click()
    page.get_by_label("Your reply").fill(body)
    page.get_by_role("button", name="Post reply").click()


def fits(page):
    """Nothing wider than the window (the 390 px check)."""
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def at_each_width(page, name, check, problems, width_checked=True):
    for label, size in WIDTHS:
        page.set_viewport_size(size)
        check()
        assert fits(page) or not width_checked, f"{name} is wider than {size['width']} px"
        screenshot(page, f"safety-{name}-{label}")
        problems.extend(run_axe(page, f"{name} {label}"))


def set_role(app, username, role):
    with app.app_context():
        db.session.execute(sa.update(User).where(User.username == username).values(role=role))
        db.session.commit()


def test_coverage_banner_crisis_post_and_appointment(e2e_app, new_context, mailbox):
    problems = []
    with e2e_app.app_context():
        asthma = db.session.scalar(sa.select(Community.id).where(Community.slug == "asthma"))

    # ---- an alert nobody can be told of: asthma has no moderators, and (for a moment) the site no admin
    set_role(e2e_app, "admin", "member")
    alex = new_context().new_page()
    log_in(alex, "alex")
    reply_in(alex, "asthma", "Spacer or no spacer?", CRISIS)
    reply_in(alex, "type-2-diabetes", "What helped you get used to checking your feet every day?", CRISIS)
    expect(post_article(alex, "kill myself").last).to_contain_text("You are not alone")
    set_role(e2e_app, "admin", "admin")
    assert not mailbox.to("admin@example.org")

    admin = new_context(bypass_csp=True).new_page()
    log_in_with_code(admin, "admin", DEMO_TOTP["admin"])

    def banner_shown():
        for path in ("/admin/communities", "/moderation/log", "/"):
            admin.goto(path)
            expect(admin.get_by_role("alert")).to_contain_text("reached no one")

    at_each_width(admin, "admin-banner", banner_shown, problems)
    # The communities table itself is wider than a phone until the tables point of issue 10 lands:
    # only the banner is this file's business there.
    at_each_width(admin, "admin-banner-communities", lambda: admin.goto("/admin/communities"), problems,
                  width_checked=False)
    admin.get_by_role("alert").get_by_role("link", name="Open it now").click()
    item_url = admin.url

    def item_says_so():
        admin.goto(item_url)
        expect(admin.get_by_role("main")).to_contain_text("No one could be told: there is no moderator or admin to e-mail.")

    at_each_width(admin, "item-no-recipient", item_says_so, problems)

    def queue_says_whom():
        admin.goto("/moderation")
        expect(admin.locator(".delivery.none")).to_have_text("No one could be told: there is no moderator or admin to e-mail.")
        expect(admin.locator(".delivery").filter(has_text="E-mailed to 1 moderator.")).to_have_count(1)
        expect(admin.get_by_role("main")).not_to_contain_text("sent to the admins")

    at_each_width(admin, "queue-delivery", queue_says_whom, problems)

    # ---- the coverage page
    def coverage_shown():
        admin.goto("/admin/coverage")
        card = admin.locator("li.card").filter(has=admin.get_by_role("heading", name="Asthma", exact=True))
        expect(card.locator(".coverage-none")).to_contain_text("No moderator here can receive crisis alerts")
        expect(card.locator(".coverage-none")).to_contain_text("go straight to the site admin")
        t2d = admin.locator("li.card").filter(has=admin.get_by_role("heading", name="Type 2 diabetes"))
        expect(t2d).to_contain_text("morgan two-factor on")
        expect(t2d).to_contain_text("Crisis alerts reach 1 of its moderators at once")

    at_each_width(admin, "coverage", coverage_shown, problems)
    colour = admin.locator(".coverage-none").first.evaluate("e => getComputedStyle(e).color")
    assert colour == "rgb(161, 38, 42)", colour

    # ---- the crisis post as another member sees it
    riley = new_context(bypass_csp=True).new_page()
    log_in(riley, "riley")

    def care_note_shown():
        riley.goto("/c/type-2-diabetes")
        riley.get_by_role("link", name="What helped you get used to checking your feet every day?").click()
        post = post_article(riley, "kill myself")
        expect(post.get_by_role("heading", name="How to respond with care")).to_be_visible()
        expect(post).to_contain_text("116 123")
        expect(post.get_by_role("button", name="Hug")).to_be_visible()
        expect(post.get_by_role("button", name="Like")).to_have_count(0)
        expect(post.get_by_role("button", name="Helpful")).to_have_count(0)
        expect(post).not_to_contain_text("You are not alone")
        post.scroll_into_view_if_needed()

    at_each_width(riley, "crisis-post-member", care_note_shown, problems)

    # ---- appointing alex to moderate asthma: a second step with the record, by keyboard
    def confirm_shown():
        admin.goto(f"/admin/communities/{asthma}/moderators")
        admin.get_by_label("Appoint a member (username)").fill("alex")
        admin.keyboard.press("Enter")
        expect(admin.get_by_role("heading", level=1)).to_have_text("Appoint alex to moderate Asthma?")
        expect(admin.get_by_role("note")).to_contain_text("raised a crisis alert in the last 90 days")

    at_each_width(admin, "appoint-confirm", confirm_shown, problems)
    admin.get_by_role("button", name="Appoint alex").focus()
    admin.keyboard.press("Enter")
    expect(admin.get_by_role("status")).to_contain_text("alex now moderates Asthma")
    assert "/settings/2fa" in mailbox.last_body("alex@example.org")
    alex.reload()
    expect(alex.get_by_role("note").filter(has_text="Your moderator powers wait")).to_be_visible()
    screenshot(alex, "safety-new-moderator-banner")

    # ---- member tools: a check-in message is listed apart from sanctions
    with e2e_app.app_context():
        ids = dict(db.session.execute(sa.select(User.username, User.id)).all())
        t2d = db.session.scalar(sa.select(Community.id).where(Community.slug == "type-2-diabetes"))
    admin.goto(f"/moderation/members/{ids['alex']}?community={t2d}")
    admin.get_by_label("Message to the member").fill("Checking in: how are you doing today?")
    admin.get_by_role("button", name="Send").click()
    expect(admin.get_by_role("status")).to_contain_text("Message sent")

    def messages_apart():
        admin.goto(f"/moderation/members/{ids['alex']}?community={t2d}")
        sent = admin.get_by_role("region", name="Messages sent")
        expect(sent).to_contain_text("from admin")
        expect(sent).not_to_contain_text("until lifted")
        expect(admin.get_by_role("region", name="Warnings, silences and suspensions")).to_contain_text("None.")

    at_each_width(admin, "member-tools", messages_apart, problems)
    assert not problems, "\n".join(problems)
