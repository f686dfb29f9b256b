"""Moderator tools through the pages and services (eager Celery, real SMTP via aiosmtpd):
flags and their weights, queue decisions, watched-word rules, thread and member tools,
appeals and the staff log — each reaching the right person and nobody else."""
import json
from datetime import timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from community.accounts.models import User
from community.errors import Forbidden
from community.extensions import db
from community.forums.models import Community, Post, Thread
from community.forums.visibility import viewer_for
from community.models_base import utcnow
from community.moderation import flags, log, rules
from community.moderation.models import Appeal, Miss, ReviewItem, Rule, Sanction, StaffAction
from tests.forum_helpers import client_for, person, reply_as, text
from tests.helpers import add_member, add_moderator, create_community, start_thread

METFORMIN = "I stopped my metformin and use cinnamon now"


@pytest.fixture
def world(app):
    """Two communities, each with its own moderator (2FA); members of the first; an admin."""
    with app.app_context():
        ms, lupus = create_community("multiple-sclerosis"), create_community("lupus")
        alex, bo, cy = person("alex"), person("bo"), person("cy")
        mod, mod2, other_mod = person("mo", totp=True), person("mia", totp=True), person("lu", totp=True)
        admin = person("ada", role="admin", totp=True)
        for who in (alex, bo, cy, mod, mod2):
            add_member(who, ms)
        add_moderator(db.session.get(User, mod.id), ms)
        add_moderator(db.session.get(User, mod2.id), ms)
        add_moderator(db.session.get(User, other_mod.id), lupus)
        thread, first = start_thread(alex, ms, "Fatigue in the afternoon", "What helps your afternoons?")
        return SimpleNamespace(ms=ms.id, lupus=lupus.id, alex=alex, bo=bo, cy=cy, mod=mod, mod2=mod2,
                               other_mod=other_mod, admin=admin, thread=thread.id, first=first.id)


def viewer(who):
    return viewer_for(db.session.get(User, who.id))


def actions_logged(post_id=None):
    stmt = sa.select(StaffAction.action).order_by(StaffAction.id)
    if post_id:
        stmt = stmt.where(StaffAction.target_id == post_id)
    return db.session.scalars(stmt).all()


def make_trusted(user_id, days=40, posts=25):
    user = db.session.get(User, user_id)
    user.created_at = utcnow() - timedelta(days=days)
    user.approved_posts = posts
    db.session.commit()


# ------------------------------------------------------------------ flags

def test_flag_reaches_the_communitys_moderators_only_and_hides_past_the_threshold(app, world):
    with app.app_context():
        post_id = reply_as(world.bo, world.thread, "Buy my supplement, it cured everything for me.")
        for who in (world.alex, world.cy):
            make_trusted(who.id, days=60 + who.id * 5)  # created weeks apart: separate voices
    alex = client_for(app, world.alex)
    page = text(alex.get(f"/t/{world.thread}"))
    assert f"/p/{post_id}/flag" in page
    assert alex.post(f"/p/{post_id}/flag", data={"reason": "other"}).status_code == 422  # "other" needs words
    assert alex.post(f"/p/{post_id}/flag", data={"reason": "spam"}).status_code == 302
    assert alex.post(f"/p/{post_id}/flag", data={"reason": "spam"}).status_code == 409  # once per member
    with app.app_context():
        assert db.session.get(Post, post_id).state == "published"  # 2 (trusted) < 3
    mod_queue = text(client_for(app, world.mod).get("/moderation?kind=flagged"))
    assert "Flagged for review" in mod_queue and "Buy my supplement" in mod_queue
    assert "Buy my supplement" not in text(client_for(app, world.other_mod).get("/moderation"))
    assert client_for(app, world.cy).post(f"/p/{post_id}/flag", data={"reason": "spam"}).status_code == 302
    with app.app_context():
        assert db.session.get(Post, post_id).state == "hidden"
        assert "flag.hide" in actions_logged(post_id)
        assert len(db.session.scalars(sa.select(ReviewItem).where(ReviewItem.kind == "flagged")).all()) == 1
    # Hidden from members, still shown to its author and the moderators.
    assert "Buy my supplement" not in text(client_for(app, world.cy).get(f"/t/{world.thread}"))
    assert "Hidden by the moderators" in text(client_for(app, world.bo).get(f"/t/{world.thread}"))


def test_new_or_same_day_accounts_cannot_alone_hide_a_trusted_members_post(app, world):
    with app.app_context():
        make_trusted(world.bo.id)
        post_id = reply_as(world.bo, world.thread, "My neurologist suggested pacing; it helped a lot.")
        # Five accounts made the same day (a brigade), all past the new-member stage.
        brigade = [person(f"sock{i}", approved_posts=3) for i in range(5)]
        for sock in brigade:
            db.session.get(User, sock.id).created_at = utcnow() - timedelta(days=10, minutes=sock.id)
        db.session.commit()
        ms = db.session.get(Community, world.ms)
        for sock in brigade:
            add_member(sock, ms)
            flags.flag_post(viewer(sock), post_id, "abuse")
        assert db.session.get(Post, post_id).state == "published"
        # New accounts count nothing against a trusted member...
        newbies = [person(f"new{i}", approved_posts=0) for i in range(6)]
        for i, n in enumerate(newbies):  # a day or more apart: separate voices
            db.session.get(User, n.id).created_at = utcnow() - timedelta(hours=25 * i)
        db.session.commit()
        for n in newbies:
            add_member(n, ms)
            flags.flag_post(viewer(n), post_id, "abuse")
        assert db.session.get(Post, post_id).state == "published"
        assert flags.hide_score([(utcnow(), 0.5, "new")] * 6, "trusted") == 0
        # ...but the same flags (0.5 each) do hide an ordinary member's post.
        other = reply_as(world.cy, world.thread, "Another ordinary reply about pacing.")
        for n in newbies:
            flags.flag_post(viewer(n), other, "abuse")
        assert db.session.get(Post, other).state == "hidden"


# ------------------------------------------------------------------ queue decisions

def test_reject_tells_the_author_why_and_they_can_appeal_once_to_another_moderator(app, world, mailbox):
    with app.app_context():
        newbie = person("nia", approved_posts=0)
        add_member(newbie, db.session.get(Community, world.ms))
        post_id = reply_as(newbie, world.thread, "Anyone tried the new cooling vest brand? Link in my profile.")
        item_id = db.session.scalar(sa.select(ReviewItem.id).where(ReviewItem.post_id == post_id))
    mod = client_for(app, world.mod)
    assert mod.post(f"/moderation/items/{item_id}/reject", data={"reason": ""}).status_code == 422
    assert mod.post(f"/moderation/items/{item_id}/reject", data={"reason": "Advertising (rule 3)"}).status_code == 302
    mail = mailbox.last_body("nia@example.org")
    assert "/account/standing" in mail and "Advertising" not in mail and "cooling" not in mail
    nia = client_for(app, newbie)
    standing = text(nia.get("/account/standing"))
    assert "Advertising (rule 3)" in standing
    assert nia.post("/account/standing", data={"kind": "rejection", "target": post_id, "message": ""}).status_code == 422
    mailbox.messages.clear()
    assert nia.post("/account/standing", data={"kind": "rejection", "target": post_id,
                                               "message": "It was a question, not an ad."}).status_code == 302
    assert nia.post("/account/standing", data={"kind": "rejection", "target": post_id,
                                               "message": "Again"}).status_code == 409
    with app.app_context():
        appeal = db.session.scalars(sa.select(Appeal)).one()
        assert appeal.acted_by == world.mod.id
    # The other moderator and the admin are asked; the moderator who rejected is not, and cannot open it.
    assert mailbox.to("mia@example.org") and mailbox.to("ada@example.org")
    assert not mailbox.to("mo@example.org") and not mailbox.to("lu@example.org")
    assert mod.get(f"/moderation/appeals/{appeal.id}").status_code == 404
    assert "appeals the removal of a post" not in text(mod.get("/moderation/appeals"))
    assert client_for(app, world.other_mod).get(f"/moderation/appeals/{appeal.id}").status_code == 404
    mia = client_for(app, world.mod2)
    assert "appeals the removal of a post" in text(mia.get("/moderation/appeals"))
    assert mia.post(f"/moderation/appeals/{appeal.id}", data={"outcome": "overturned"}).status_code == 422
    assert mia.post(f"/moderation/appeals/{appeal.id}",
                    data={"outcome": "overturned", "reason": "Fair: a question."}).status_code == 302
    with app.app_context():
        assert db.session.get(Post, post_id).state == "published"
        assert {"post.reject", "appeal.create", "appeal.overturned"} <= set(actions_logged())
    assert "overturned" in text(nia.get("/account/standing"))


def test_edit_before_approving_hide_restore_and_acknowledge(app, world):
    with app.app_context():
        newbie = person("nia", approved_posts=0)
        add_member(newbie, db.session.get(Community, world.ms))
        held_id = reply_as(newbie, world.thread, "My first post: hello from Leeds, call me on 07700 900123")
        held_item = db.session.scalar(sa.select(ReviewItem.id).where(ReviewItem.post_id == held_id,
                                                                     ReviewItem.kind == "held"))
        plain = reply_as(world.bo, world.thread, "Cooling towels help me in summer.")
    mod = client_for(app, world.mod)
    page = text(mod.get(f"/moderation/items/{held_item}"))
    assert "Edit, then approve" in page
    assert mod.post(f"/moderation/items/{held_item}/approve",
                    data={"body": "My first post: hello from Leeds!", "reason": "removed a greeting typo"}).status_code == 302
    with app.app_context():
        post = db.session.get(Post, held_id)
        assert post.state == "published" and post.body == "My first post: hello from Leeds!"
    assert "hello from Leeds!" in text(app.test_client().get(f"/t/{world.thread}"))
    # Hide and restore from the post's page, each with a reason.
    assert mod.post(f"/moderation/posts/{plain}/hide", data={"reason": ""}).status_code == 302
    with app.app_context():
        assert db.session.get(Post, plain).state == "published"  # no reason, no hide
    mod.post(f"/moderation/posts/{plain}/hide", data={"reason": "off topic"})
    with app.app_context():
        assert db.session.get(Post, plain).state == "hidden"
        replies = db.session.get(Thread, world.thread).reply_count
    mod.post(f"/moderation/posts/{plain}/restore", data={"reason": "on reflection fine"})
    with app.app_context():
        assert db.session.get(Post, plain).state == "published"
        assert db.session.get(Thread, world.thread).reply_count == replies + 1
        assert ["post.hide", "post.restore"] == [a for a in actions_logged(plain) if a.startswith("post.")]
    # A hidden post can be appealed by its author too; overturning restores it.
    mod.post(f"/moderation/posts/{plain}/hide", data={"reason": "off topic after all"})
    bo = client_for(app, world.bo)
    assert bo.post("/account/standing", data={"kind": "rejection", "target": plain,
                                              "message": "It answers the question."}).status_code == 302
    with app.app_context():
        appeal_id = db.session.scalar(sa.select(Appeal.id).where(Appeal.target_id == plain))
    assert mod.get(f"/moderation/appeals/{appeal_id}").status_code == 404  # mo hid it
    client_for(app, world.mod2).post(f"/moderation/appeals/{appeal_id}", data={"outcome": "overturned", "reason": "ok"})
    with app.app_context():
        assert db.session.get(Post, plain).state == "published"


def test_removed_consult_notice_stays_removed_until_the_author_edits(app, world):
    with app.app_context():
        post_id = reply_as(world.bo, world.thread, METFORMIN)
        assert db.session.get(Post, post_id).notices[0]["kind"] == "consult_reminder"
    mod = client_for(app, world.mod)
    bo = client_for(app, world.bo)
    assert mod.post(f"/moderation/posts/{post_id}/remove-notice", data={"kind": "consult_reminder"}).status_code == 302
    with app.app_context():
        assert db.session.get(Post, post_id).notices  # a reason is required
        assert bo.post(f"/moderation/posts/{post_id}/remove-notice",
                       data={"kind": "consult_reminder", "reason": "x"}).status_code == 403
    mod.post(f"/moderation/posts/{post_id}/remove-notice", data={"kind": "consult_reminder",
                                                                 "reason": "Clinician-directed, said later"})
    with app.app_context():
        from community.moderation import pipeline

        post = db.session.get(Post, post_id)
        assert not post.notices
        post.moderation_status = "pending"
        post.moderated_hash = ""
        db.session.commit()
        pipeline.moderate_post(post_id)  # a re-run on the same text
        assert not db.session.get(Post, post_id).notices
        entry = db.session.scalars(sa.select(StaffAction).where(StaffAction.action == "notice.remove")).one()
        assert entry.actor_id == world.mod.id and "Clinician-directed" in entry.reason
    bo.post(f"/p/{post_id}/edit", data={"body": METFORMIN + " and I feel better"})
    with app.app_context():
        assert [n["kind"] for n in db.session.get(Post, post_id).notices] == ["consult_reminder"]


# ------------------------------------------------------------------ watched-word rules

def test_rule_validation_gives_field_messages_and_saves_nothing(app, world):
    mod = client_for(app, world.mod)
    for data, field in (
        ({"match_type": "regex", "pattern": "(unclosed", "action": "flag"}, "does not compile"),
        ({"match_type": "regex", "pattern": "a?", "action": "flag"}, "matches empty text"),
        ({"match_type": "regex", "pattern": "(a|aa)+$", "action": "flag"}, "too slow"),
        ({"match_type": "word", "pattern": "x" * 301, "action": "flag"}, "at most 300"),
        ({"match_type": "word", "pattern": "two words", "action": "flag"}, "use a phrase rule"),
        ({"match_type": "word", "pattern": "scam", "action": "explode"}, "Choose one of"),
        ({"match_type": "word", "pattern": "scam", "action": "notice"}, "needs the notice"),
    ):
        response = mod.post("/moderation/rules", data={**data, "community": world.ms})
        assert response.status_code == 422 and field in text(response), data
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Rule.id))) == 0


def test_each_rule_action_takes_effect_and_shadow_rules_only_log(app, world, mailbox):
    with app.app_context():
        v = viewer(world.mod)
        for data in (
            {"match_type": "word", "pattern": "snakeoil", "action": "block", "message": "We don't allow that brand here."},
            {"match_type": "wildcard", "pattern": "darn*", "action": "censor"},
            {"match_type": "phrase", "pattern": "miracle cure", "action": "require_approval"},
            {"match_type": "word", "pattern": "ivermectin", "action": "flag"},
            {"match_type": "regex", "pattern": r"\bLDN\b", "action": "notice", "message": "See the pinned LDN thread.",
             "case_sensitive": True},
            {"match_type": "phrase", "pattern": "going to hurt him", "action": "escalate"},
            {"match_type": "word", "pattern": "keto", "action": "require_approval", "mode": "shadow"},
        ):
            rules.create(v, world.ms, data)
    bo = client_for(app, world.bo)
    refused = bo.post(f"/t/{world.thread}/reply", data={"body": "Has anyone tried SnakeOil drops?"})
    assert refused.status_code == 422 and "We don&#39;t allow that brand here." in text(refused)
    with app.app_context():
        assert not db.session.scalar(sa.select(Post.id).where(Post.body.contains("SnakeOil")))
        censored = db.session.get(Post, reply_as(world.bo, world.thread, "This darned fatigue, darnit."))
        assert censored.body == "This d*** fatigue, d***." and censored.state == "published"
        held = db.session.get(Post, reply_as(world.bo, world.thread, "A miracle cure for MS, they said."))
        assert held.state == "held"
        flagged = db.session.get(Post, reply_as(world.bo, world.thread, "My cousin takes ivermectin."))
        assert flagged.state == "published"
        assert db.session.scalar(sa.select(ReviewItem.kind).where(ReviewItem.post_id == flagged.id)) == "flagged"
        noticed = db.session.get(Post, reply_as(world.bo, world.thread, "Is LDN worth asking about?"))
        assert {"kind": f"rule:{noticed.notices[0]['kind'][5:]}", "text": "See the pinned LDN thread."} in noticed.notices
        quiet = db.session.get(Post, reply_as(world.bo, world.thread, "ldn in lower case is not the acronym"))
        assert not [n for n in quiet.notices if n["kind"].startswith("rule:")]
        mailbox.messages.clear()
        escalated = db.session.get(Post, reply_as(world.bo, world.thread, "My neighbour said he is going to hurt him."))
        item = db.session.scalars(sa.select(ReviewItem).where(ReviewItem.post_id == escalated.id,
                                                              ReviewItem.kind == "escalated")).one()
        assert item.priority == 0
        shadow = db.session.get(Post, reply_as(world.bo, world.thread, "Keto made my fatigue worse."))
        assert shadow.state == "published"
        assert "rule.shadow_hit" in actions_logged(shadow.id)
        keto = db.session.scalar(sa.select(Rule).where(Rule.pattern == "keto"))
        assert keto.hit_count == 1
    # The escalation reaches this community's moderators, not the other community's.
    assert "/moderation/items/" in mailbox.last_body("mo@example.org")
    assert not mailbox.to("lu@example.org")
    queue = text(client_for(app, world.mod).get("/moderation"))
    assert queue.index("Escalated by a rule") < queue.index("Held post")


def test_test_box_says_what_a_text_would_trigger_and_csv_round_trips(app, world):
    with app.app_context():
        rules.create(viewer(world.mod), world.ms, {"match_type": "word", "pattern": "scam", "action": "flag",
                                                   "mode": "shadow"})
    mod = client_for(app, world.mod)
    result = text(mod.post("/moderation/rules/test", data={
        "community": world.ms, "text": f"This scam is real. {METFORMIN}",
        "match_type": "phrase", "pattern": "is real", "action": "require_approval"}))
    assert "shadow: only logged" in result and "“scam”" in result
    assert "the rule in the form, not saved" in result and "held for review" in result
    assert "consult_reminder" in result
    exported = mod.get(f"/moderation/rules/export.csv?community={world.ms}")
    assert exported.status_code == 200 and "word,scam,flag,shadow" in exported.get_data(as_text=True)
    bad = "match_type,pattern,action\nword,fine,flag\nregex,(broken,flag\n"
    from io import BytesIO

    response = mod.post("/moderation/rules/import", data={"community": world.ms, "file": (BytesIO(bad.encode()), "r.csv")},
                        content_type="multipart/form-data")
    assert response.status_code == 422 and "Line 3" in text(response)
    good = exported.get_data(as_text=True).replace("scam", "fraud")
    response = mod.post("/moderation/rules/import", data={"community": world.ms, "file": (BytesIO(good.encode()), "r.csv")},
                        content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context():
        assert sorted(db.session.scalars(sa.select(Rule.pattern)).all()) == ["fraud", "scam"]
        # Another community's moderator and a member cannot read or change these rules.
        with pytest.raises(Forbidden):
            rules.list_rules(viewer(world.other_mod), world.ms)
        with pytest.raises(Forbidden):
            rules.create(viewer(world.mod), None, {"pattern": "global", "action": "flag"})
    assert client_for(app, world.other_mod).get(f"/moderation/rules/export.csv?community={world.ms}").status_code == 403


def test_a_slow_regex_runs_within_its_time_budget(app, world):
    with app.app_context():
        rule = Rule(community_id=world.ms, match_type="regex", pattern=r"(\w+\s?)*$x", action="flag")
        started = utcnow()
        assert rules.matches([rule], "word " * 40 + "!") == []
        assert (utcnow() - started).total_seconds() < 2


# ------------------------------------------------------------------ thread and member tools

def test_lock_pin_move_and_merge(app, world):
    with app.app_context():
        dup, _ = start_thread(world.bo, db.session.get(Community, world.ms), "Afternoon fatigue", "Same question.")
        reply_as(world.cy, dup.id, "I nap at two.")
        dup_id = dup.id
    mod = client_for(app, world.mod)
    mod.post(f"/moderation/threads/{world.thread}/lock")
    mod.post(f"/moderation/threads/{world.thread}/pin")
    assert client_for(app, world.bo).post(f"/t/{world.thread}/reply", data={"body": "late"}).status_code == 403
    assert "Pinned" in text(app.test_client().get(f"/t/{world.thread}"))
    mod.post(f"/moderation/threads/{world.thread}/unlock")
    # Moving needs both communities: mo moderates only one.
    assert "moderate both" in text(mod.post(
        f"/moderation/threads/{dup_id}/move", data={"target": "lupus", "reason": "wrong place"}, follow_redirects=True))
    response = mod.post(f"/moderation/threads/{dup_id}/merge", data={"target": str(world.thread), "reason": "duplicate"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/t/{world.thread}")
    follow = app.test_client().get(f"/t/{dup_id}")
    assert follow.status_code == 301 and follow.headers["Location"].endswith(f"/t/{world.thread}")
    page = text(app.test_client().get(f"/t/{world.thread}"))
    assert "Same question." in page and "I nap at two." in page
    with app.app_context():
        assert db.session.get(Community, world.ms).thread_count == 1
        assert db.session.get(Thread, world.thread).reply_count == 2
    admin = client_for(app, world.admin)
    admin.post(f"/moderation/threads/{world.thread}/move", data={"target": "lupus", "reason": "belongs there"})
    with app.app_context():
        assert db.session.get(Thread, world.thread).community_id == world.lupus
        assert db.session.get(Community, world.lupus).thread_count == 1
        logged = actions_logged()
        assert {"thread.lock", "thread.pin", "thread.unlock", "thread.merge", "thread.move"} <= set(logged)


def test_warn_silence_suspend_and_notes(app, world, mailbox):
    mod = client_for(app, world.mod)
    assert mod.post(f"/moderation/members/{world.bo.id}/sanction",
                    data={"community": world.ms, "kind": "warn", "rule": ""}).status_code == 422
    mod.post(f"/moderation/members/{world.bo.id}/sanction", data={
        "community": world.ms, "kind": "warn", "rule": "Rule 1: be kind", "message": "Please keep it civil."})
    mail = mailbox.last_body("bo@example.org")
    assert "/account/standing" in mail and "civil" not in mail
    bo = client_for(app, world.bo)
    assert "Please keep it civil." in text(bo.get("/account/standing"))
    mod.post(f"/moderation/members/{world.bo.id}/sanction", data={
        "community": world.ms, "kind": "silence", "rule": "Rule 1", "duration": "1d"})
    refused = bo.post(f"/t/{world.thread}/reply", data={"body": "hello? my words"})
    assert refused.status_code == 403 and "silenced here" in text(refused)
    # The reason is at the reply box (role=alert, where the page lands), the text kept to copy.
    box = text(refused).split('id="reply"', 1)[1]
    assert 'role="alert"' in box and "silenced here until" in box and 'href="/account/standing"' in box
    assert 'readonly>hello? my words</textarea>' in box and "Post reply" not in box
    # The thread page no longer offers a reply box that would take text and refuse it.
    page = text(bo.get(f"/t/{world.thread}")).split('id="reply"', 1)[1]
    assert "silenced here until" in page and "Post reply" not in page and "<textarea" not in page
    with app.app_context():
        lupus = db.session.get(Community, world.lupus)
        add_member(world.bo, lupus)
        start_thread(world.bo, lupus, "Elsewhere", "Silence is per community.")  # allowed there
        silence = db.session.scalars(sa.select(Sanction).where(Sanction.kind == "silence")).one()
        assert abs(silence.ends_at - silence.created_at - timedelta(days=1)) < timedelta(minutes=1)
    # Suspending is for admins.
    assert mod.post(f"/moderation/members/{world.bo.id}/sanction", data={
        "community": world.ms, "kind": "suspend", "rule": "Rule 9", "duration": "7d"}).status_code == 403
    # Notes: this community's moderators only.
    mod.post(f"/moderation/members/{world.bo.id}/note", data={"community": world.ms, "body": "Had a hard week."})
    assert "Had a hard week." in text(client_for(app, world.mod2).get(f"/moderation/members/{world.bo.id}?community={world.ms}"))
    lu = client_for(app, world.other_mod)
    assert lu.get(f"/moderation/members/{world.bo.id}?community={world.ms}").status_code == 404
    assert "Had a hard week." not in text(lu.get(
        f"/moderation/members/{world.bo.id}?community={world.lupus}"))
    assert "Had a hard week." not in text(bo.get("/account/standing"))
    # An appeal of the silence goes to mia, and lifting it lets bo post again.
    bo.post("/account/standing", data={"kind": "sanction", "target": silence.id, "message": "I apologised."})
    with app.app_context():
        appeal = db.session.scalars(sa.select(Appeal)).one()
    client_for(app, world.mod2).post(f"/moderation/appeals/{appeal.id}", data={"outcome": "overturned", "reason": "ok"})
    assert bo.post(f"/t/{world.thread}/reply", data={"body": "Thanks, all."}).status_code == 302
    with app.app_context():
        entries = db.session.scalars(sa.select(StaffAction).where(StaffAction.target_type == "user")).all()
        assert [e.action for e in entries] == ["member.warn", "member.silence", "member.note"]
        assert "Had a hard week" not in " ".join(e.reason for e in entries)


# ------------------------------------------------------------------ the staff log

def test_staff_log_is_append_only_and_scoped_to_the_moderators_communities(app, world):
    with app.app_context():
        lupus = db.session.get(Community, world.lupus)
        cy_lupus = person("cyl")
        add_member(cy_lupus, lupus)
        thread_id = start_thread(cy_lupus, lupus, "Sun and lupus", "Do you wear UV shirts?")[0].id
        reply_as(world.bo, world.thread, METFORMIN)  # the pipeline logs its notice
    client_for(app, world.mod).post(f"/moderation/threads/{world.thread}/pin")
    client_for(app, world.other_mod).post(f"/moderation/threads/{thread_id}/lock")
    # The entries, not the action filter's list of names.
    mine = text(client_for(app, world.mod).get("/moderation/log")).split("<tbody>")[1]
    assert "thread.pin" in mine and "thread.lock" not in mine and "Moderation pipeline" in mine
    assert "consult_reminder" in mine
    everything = text(client_for(app, world.admin).get("/moderation/log"))
    assert "thread.pin" in everything and "thread.lock" in everything
    assert client_for(app, world.bo).get("/moderation/log").status_code == 403
    with app.app_context():
        entry = db.session.scalars(sa.select(StaffAction)).first()
        entry.reason = "rewritten"
        with pytest.raises(RuntimeError):
            db.session.commit()
        db.session.rollback()
        db.session.delete(db.session.scalars(sa.select(StaffAction)).first())
        with pytest.raises(RuntimeError):
            db.session.commit()
        db.session.rollback()
        assert log.entries(viewer(world.mod))


def test_a_miss_reported_in_the_test_box_or_on_an_item_becomes_a_training_row(app, world):
    mod = client_for(app, world.mod)
    missed = "Everybody here should just double their dose when it flares."
    page = text(mod.post("/moderation/rules/test", data={"community": world.ms, "text": "hello there friends"}))
    assert "Report a miss" in page and 'name="expected"' in page
    # Bad input: a field message each, nothing saved.
    for data, message in [({"text": "", "expected": "spam"}, "Paste the text the filters got wrong."),
                          ({"text": "hello there friends"}, "The filters already give these labels"),
                          ({"text": "hello there friends", "expected": "nonsense"}, "Choose labels from the list."),
                          ({"text": "hello there friends", "expected": "spam", "note": "x" * 301}, "under 300")]:
        response = mod.post("/moderation/misses", data={"community": world.ms, **data})
        assert response.status_code == 422 and message in text(response), data
    assert mod.post("/moderation/misses", data={"community": world.ms, "text": "hello there friends",
                                                "expected": ["spam"], "note": "a shill"}).status_code == 302
    with app.app_context():
        post_id = reply_as(world.bo, world.thread, missed)
        flags.flag_post(viewer(world.alex), post_id, "other", "bad advice")
        item = db.session.scalar(sa.select(ReviewItem.id).where(ReviewItem.post_id == post_id))
        found = db.session.get(Post, post_id).labels
    assert "Report a miss" in text(mod.get(f"/moderation/items/{item}"))
    # Another community's moderator cannot reach the item, so cannot report its text.
    assert client_for(app, world.other_mod).post(f"/moderation/items/{item}/miss",
                                                 data={"expected": "abuse"}).status_code == 404
    wanted = sorted({"consult_reminder", "abuse"} - set(found))
    # After a field error the form keeps what the moderator ticked and wrote.
    kept = text(mod.post(f"/moderation/items/{item}/miss", data={"expected": wanted, "note": "n" * 301}))
    assert "under 300" in kept and 'value="' + "n" * 301 + '"' in kept
    assert all(f'value="{label}" checked' in kept for label in wanted)
    assert mod.post(f"/moderation/items/{item}/miss", data={"expected": wanted}).status_code == 302
    runner = app.test_cli_runner()
    result = runner.invoke(args=["moderation", "misses", "--mark-exported"])
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["text"] for r in rows] == ["hello there friends", missed]
    assert rows[0]["labels"] == ["spam"] and "a shill" in rows[0]["note"] and "the test box" in rows[0]["note"]
    assert rows[1]["labels"] == [label for label in ("consult_reminder", "abuse") if label in wanted]
    assert set(rows[0]) == {"id", "text", "labels", "crisis_tier", "lang", "note"}   # data/*.jsonl's shape
    assert runner.invoke(args=["moderation", "misses"]).output == ""   # exported once
    with app.app_context():
        db.session.delete(db.session.get(Post, post_id))
        db.session.commit()
        # the post's text goes with the post
        assert db.session.scalars(sa.select(Miss.text)).all() == ["hello there friends"]


# ------------------------------------------------------------------ who may use which page

PAGES = [
    ("get", "/moderation"), ("get", "/moderation/items/{item}"), ("post", "/moderation/items/{item}/approve"),
    ("post", "/moderation/posts/{post}/hide"), ("post", "/moderation/threads/{thread}/lock"),
    ("get", "/moderation/members/{bo}?community={ms}"), ("post", "/moderation/members/{bo}/note"),
    ("get", "/moderation/appeals"), ("get", "/moderation/log"), ("get", "/moderation/rules?community={ms}"),
    ("post", "/moderation/rules/test"), ("get", "/moderation/rules/export.csv?community={ms}"),
    ("post", "/moderation/misses"), ("post", "/moderation/items/{item}/miss"),
]


@pytest.mark.parametrize("role, expected", [
    ("visitor", {302}), ("member", {403}), ("moderator_without_2fa", {403}), ("other_moderator", {200, 302, 403, 404}),
    ("moderator", {200, 302}), ("admin", {200, 302}),
])
def test_every_moderator_page_refuses_those_who_do_not_moderate_the_community(app, world, role, expected):
    with app.app_context():
        post_id = reply_as(world.bo, world.thread, "A reply someone flags.")
        flags.flag_post(viewer(world.alex), post_id, "spam")
        item = db.session.scalar(sa.select(ReviewItem.id).where(ReviewItem.post_id == post_id))
        no_2fa = person("nofa")
        add_moderator(db.session.get(User, no_2fa.id), db.session.get(Community, world.ms))
    who = {"member": world.alex, "moderator_without_2fa": no_2fa, "other_moderator": world.other_mod,
           "moderator": world.mod, "admin": world.admin}.get(role)
    client = client_for(app, who) if who else app.test_client()
    for method, path in PAGES:
        url = path.format(item=item, post=post_id, thread=world.thread, bo=world.bo.id, ms=world.ms)
        data = {"reason": "checking", "community": world.ms, "body": "note", "text": "hello", "expected": "spam"}
        response = client.get(url) if method == "get" else client.post(url, data=data)
        assert response.status_code in expected, (role, url, response.status_code)
        if role == "other_moderator":
            # Their own queue and log work, but nothing of this community is reachable or changed.
            body = text(response)
            assert "A reply someone flags." not in body, url
    if role == "other_moderator":
        with app.app_context():
            assert db.session.get(Post, post_id).state == "published"
            assert not db.session.get(Thread, world.thread).locked
            assert db.session.scalar(sa.select(ReviewItem.status).where(ReviewItem.id == item)) == "open"
            assert not db.session.scalars(sa.select(Miss)).all()


def test_admins_appoint_and_remove_moderators_whose_powers_wait_for_2fa(app, world):
    with app.app_context():
        newmod = person("nell")
        add_member(newmod, db.session.get(Community, world.lupus))
    admin = client_for(app, world.admin)
    assert client_for(app, world.mod).get(f"/admin/communities/{world.lupus}/moderators").status_code == 403
    response = admin.post(f"/admin/communities/{world.lupus}/moderators", data={"username": "nobody"})
    assert response.status_code == 422 and "No member with that username" in text(response)
    admin.post(f"/admin/communities/{world.lupus}/moderators", data={"username": "Nell", "confirm": "1"})
    page = text(admin.get(f"/admin/communities/{world.lupus}/moderators"))
    assert "nell" in page and "no two-factor yet" in page
    nell = client_for(app, newmod)
    assert nell.get("/moderation").status_code == 403  # no 2FA, no powers
    with app.app_context():
        from community.forums.models import Moderator

        assert db.session.scalar(sa.select(Moderator.id).where(Moderator.user_id == newmod.id))
        admin.post(f"/admin/communities/{world.lupus}/moderators", data={"remove": newmod.id, "reason": "stepped down"})
        assert not db.session.scalar(sa.select(Moderator.id).where(Moderator.user_id == newmod.id))
        assert actions_logged()[-2:] == ["moderator.appoint", "moderator.remove"]


def test_moderators_do_not_judge_their_own_posts_or_sanction_other_staff(app, world):
    with app.app_context():
        own = reply_as(world.mod, world.thread, "Pacing is the one thing that helped me.")
        flags.flag_post(viewer(world.alex), own, "misinformation")
        item = db.session.scalar(sa.select(ReviewItem.id).where(ReviewItem.post_id == own))
    mo, mia = client_for(app, world.mod), client_for(app, world.mod2)
    assert "Pacing is the one thing" not in text(mo.get("/moderation"))
    assert "Pacing is the one thing" in text(mia.get("/moderation"))
    assert mo.post(f"/moderation/items/{item}/approve").status_code == 403
    assert mo.get(f"/moderation/members/{world.mod.id}?community={world.ms}").status_code == 404
    assert "alex" not in text(mo.get("/moderation/log"))      # who flagged is not in the log
    # Another moderator may not be silenced by a moderator, only by an admin; a message is fine.
    assert mia.post(f"/moderation/members/{world.mod.id}/sanction", data={
        "community": world.ms, "kind": "silence", "rule": "Rule 1", "duration": "1d"}).status_code == 403
    assert mia.post(f"/moderation/members/{world.mod.id}/sanction", data={
        "community": world.ms, "kind": "message", "message": "Can you take the weekend shift?"}).status_code == 302
    assert client_for(app, world.admin).post(f"/moderation/members/{world.mod.id}/sanction", data={
        "community": world.ms, "kind": "silence", "rule": "Rule 1", "duration": "1d"}).status_code == 302
    standing = text(mo.get("/account/standing"))
    assert "Can you take the weekend shift?" in standing and "Message from the moderators" in standing
    with app.app_context():
        entry = db.session.scalars(sa.select(StaffAction).where(StaffAction.action == "member.message")).one()
        assert entry.reason == "private message sent"


def test_an_appeal_nobody_else_can_decide_waits_and_says_so(app, world):
    with app.app_context():
        db.session.get(User, world.mod2.id).totp_enabled_at = None   # only mo and the admin remain
        db.session.commit()
    admin = client_for(app, world.admin)
    admin.post(f"/moderation/members/{world.bo.id}/sanction", data={
        "community": world.ms, "kind": "suspend", "rule": "Rule 7", "duration": "7d"})
    with app.app_context():
        suspension = db.session.scalars(sa.select(Sanction)).one()
        assert suspension.community_id is None
    response = client_for(app, world.bo).post("/account/standing", data={
        "kind": "sanction", "target": suspension.id, "message": "Please reconsider."}, follow_redirects=True)
    assert "waits for another moderator or admin" in text(response)
    assert "Please reconsider" not in text(admin.get("/moderation/appeals"))


def test_rules_csv_reimport_changes_nothing_and_keeps_flags(app, world):
    with app.app_context():
        rule = rules.create(viewer(world.mod), world.ms, {"match_type": "word", "pattern": "NHS", "action": "flag",
                                                          "case_sensitive": "1"})
        rule.enabled = False
        db.session.commit()
    mod = client_for(app, world.mod)
    exported = mod.get(f"/moderation/rules/export.csv?community={world.ms}").get_data(as_text=True)
    with app.app_context():
        db.session.execute(sa.delete(Rule))
        db.session.commit()
    from io import BytesIO

    for expected in ("1 rule imported.", "0 rules imported; 1 already there, skipped."):
        response = mod.post("/moderation/rules/import", follow_redirects=True, content_type="multipart/form-data",
                            data={"community": world.ms, "file": (BytesIO(exported.encode()), "rules.csv")})
        assert expected in text(response)
    with app.app_context():
        again = db.session.scalars(sa.select(Rule)).one()
        assert again.case_sensitive and not again.enabled
    assert "Choose a CSV file" in text(mod.post("/moderation/rules/import", data={"community": world.ms}))


def test_a_merged_threads_author_and_moderators_are_sent_on_too(app, world):
    with app.app_context():
        dup_id = start_thread(world.bo, db.session.get(Community, world.ms), "Afternoons", "Duplicate.")[0].id
    client_for(app, world.mod).post(f"/moderation/threads/{dup_id}/merge", data={"target": world.thread, "reason": "dup"})
    for who in (world.bo, world.mod):
        response = client_for(app, who).get(f"/t/{dup_id}")
        assert response.status_code == 301 and response.headers["Location"].endswith(f"/t/{world.thread}")


def test_an_at_risk_flag_goes_to_the_top_alerts_the_moderators_and_never_hides(app, world, mailbox):
    with app.app_context():
        post_id = reply_as(world.bo, world.thread, "Honestly everything feels like a lot lately.")
        for who in (world.alex, world.cy, world.mod2):
            flags.flag_post(viewer(who), post_id, "at_risk")
        assert db.session.get(Post, post_id).state == "published"
        item = db.session.scalars(sa.select(ReviewItem).where(ReviewItem.post_id == post_id)).one()
        assert item.priority == 0 and "Flagged: someone may be at risk of harm" in item.reasons
    assert len(mailbox.to("mo@example.org")) == 1 and "at risk" in mailbox.last_body("mo@example.org")
    assert "a lot lately" not in mailbox.last_body("mo@example.org")
    assert not mailbox.to("lu@example.org")


def test_a_blocked_post_is_counted_and_logged_without_its_text(app, world):
    with app.app_context():
        rule = rules.create(viewer(world.mod), world.ms, {"match_type": "word", "pattern": "snakeoil", "action": "block"})
        rule_id = rule.id
    response = client_for(app, world.bo).post(f"/t/{world.thread}/reply", data={"body": "snakeoil for my legs"})
    assert response.status_code == 422
    with app.app_context():
        assert db.session.get(Rule, rule_id).hit_count == 1
        entry = db.session.scalars(sa.select(StaffAction).where(StaffAction.action == "rule.block")).one()
        assert "legs" not in entry.reason and entry.community_id == world.ms


def test_a_members_cached_viewer_follows_joins_and_appointments_at_once(app, world):
    with app.app_context():
        nell = person("nell", totp=True)
    client = client_for(app, nell)
    assert "/c/lupus" not in text(client.get("/guidelines"))       # viewer built and cached
    client.post("/c/lupus/join")
    assert "/c/lupus" in text(client.get("/guidelines"))
    assert client.get("/moderation").status_code == 403
    admin = client_for(app, world.admin)
    admin.post(f"/admin/communities/{world.lupus}/moderators", data={"username": "nell", "confirm": "1"})
    assert client.get("/moderation").status_code == 200
    admin.post(f"/admin/communities/{world.lupus}/moderators", data={"remove": nell.id, "reason": "rota"})
    assert client.get("/moderation").status_code == 403
    client.post("/c/lupus/leave")
    assert "/c/lupus" not in text(client.get("/guidelines"))
