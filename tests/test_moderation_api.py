"""JSON API v1 for moderators (and the member-facing flags and appeals): the real services on a
real database, reached only through HTTP with bearer tokens.

Roles: a visitor (no token), a member, a moderator without 2FA (no moderator powers), a moderator
of another community, the community's moderator, and an admin."""
import time
from types import SimpleNamespace

import pyotp
import pytest
import sqlalchemy as sa

from community.extensions import db
from community.forums import services as forums
from community.forums.models import Post
from community.moderation.filters import CONSULT_NOTICE
from community.moderation.models import Appeal, Flag, ReviewItem, Rule, StaffAction
from tests.conftest import count
from tests.helpers import PASSWORD, add_member, add_moderator, create_community, create_user, start_thread

API = "/api/v1"
METFORMIN = "I stopped my metformin and use cinnamon now"
CRISIS = "I can't do this anymore. I'm going to kill myself tonight."
PHONE_TEXT = "Morning walks help me. Text me on 07700 900123 if you want to talk."
ITEM_KEYS = {"id", "kind", "priority", "status", "community", "post_id", "thread_id", "post_state", "post",
             "reasons", "spans", "urgent", "acknowledged", "created_at"}
RULE_KEYS = {"id", "match_type", "pattern", "action", "mode", "case_sensitive", "message", "enabled", "hit_count"}


# ---------------------------------------------------------------- helpers

def token(client, user, scopes=("read", "write"), step=0):
    """A bearer token through POST /tokens; 2FA accounts send the code of time step `step` from now
    (codes are single-use, so a second token for the same account needs the next step)."""
    body = {"username": user.username, "password": PASSWORD, "scopes": list(scopes)}
    if user.totp_secret:
        body["totp_code"] = pyotp.TOTP(user.totp_secret).at(time.time() + 30 * step)
    response = client.post(f"{API}/tokens", json=body)
    assert response.status_code == 201, response.get_json()
    return {"Authorization": f"Bearer {response.get_json()['token']}"}


def assert_error(response, status, code=None, field=None):
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True))
    body = response.get_json()["error"]
    assert set(body) == {"code", "message", "fields"} and body["message"]
    if code:
        assert body["code"] == code, body
    if field:
        assert field in body["fields"] and body["fields"][field], body
    return body


def ok(response, status=200):
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True))
    return response.get_json()


def as_viewer(user):
    from community.forums.visibility import viewer_for

    return viewer_for(db.session.get(type(user), user.id))


@pytest.fixture
def world(client, ctx):
    """asthma: alex (author), bo (member), mo (moderator, 2FA), nofa (moderator, no 2FA);
    lupus: sam (its moderator, 2FA); ada (admin, 2FA). A thread by alex, a reply carrying the
    consult notice, and bo's flag on the first post (an open "flagged" item)."""
    asthma, lupus = create_community("asthma"), create_community("lupus")
    users = {name: create_user(name, **kw) for name, kw in (
        ("alex", {}), ("bo", {}), ("mo", {"totp": True}), ("nofa", {}), ("sam", {"totp": True}),
        ("ada", {"role": "admin", "totp": True}))}
    for name in ("alex", "bo", "mo", "nofa"):
        add_member(users[name], asthma)
    add_moderator(users["mo"], asthma)
    add_moderator(users["nofa"], asthma)
    add_member(users["sam"], lupus)
    add_moderator(users["sam"], lupus)
    thread, first = start_thread(users["alex"], asthma, "Spacers", "Does a spacer help with mornings?")
    noticed = forums.reply(users["alex"].id, thread.id, METFORMIN)
    from community.moderation import flags

    flag = flags.flag_post(as_viewer(users["bo"]), first.id, "abuse", "")
    item_id = db.session.scalar(sa.select(ReviewItem.id).where(ReviewItem.post_id == first.id,
                                                               ReviewItem.kind == "flagged"))
    assert item_id and flag.id
    return SimpleNamespace(asthma=asthma, lupus=lupus, thread_id=thread.id, first_id=first.id,
                           noticed_id=noticed.id, item_id=item_id, **users)


# ---------------------------------------------------------------- the access matrix

def _queue_ids(response):
    return [item["id"] for item in response.get_json()["items"]]


def _log_communities(response):
    return {(entry["community"] or {}).get("slug") for entry in response.get_json()["items"]}


# name -> (call(client, headers, world), check of a successful answer)
MODERATOR_ENDPOINTS = {
    "queue": (lambda c, h, w: c.get(f"{API}/moderation/queue", headers=h),
              lambda r, w: w.item_id in _queue_ids(r)),
    "queue?community": (lambda c, h, w: c.get(f"{API}/moderation/queue", query_string={"community": "asthma"},
                                              headers=h),
                        lambda r, w: w.item_id in _queue_ids(r)),
    "decision": (lambda c, h, w: c.post(f"{API}/moderation/queue/{w.item_id}/decision", headers=h,
                                        json={"action": "close", "reason": "Looked, nothing wrong."}),
                 lambda r, w: r.get_json()["status"] == "closed" and r.get_json()["id"] == w.item_id),
    "rules GET": (lambda c, h, w: c.get(f"{API}/communities/asthma/rules", headers=h),
                  lambda r, w: r.get_json() == {"items": []}),
    "rules POST": (lambda c, h, w: c.post(f"{API}/communities/asthma/rules", headers=h,
                                          json={"pattern": "nebuliser", "action": "flag"}),
                   lambda r, w: r.get_json()["pattern"] == "nebuliser" and r.get_json()["community"] == "asthma"),
    "test": (lambda c, h, w: c.post(f"{API}/moderation/test", headers=h,
                                    json={"text": "My nebuliser broke", "community": "asthma"}),
             lambda r, w: [hit["action"] for hit in r.get_json()["rules"]] == ["flag"]),
    "notice DELETE": (lambda c, h, w: c.delete(f"{API}/posts/{w.noticed_id}/notices/consult_reminder",
                                               query_string={"reason": "The member is a pharmacist."}, headers=h),
                      lambda r, w: r.get_json() == {"post_id": w.noticed_id, "notices": []}),
    "log": (lambda c, h, w: c.get(f"{API}/moderation/log", headers=h),
            lambda r, w: "asthma" in _log_communities(r)),
    "log?community": (lambda c, h, w: c.get(f"{API}/moderation/log", query_string={"community": "asthma"},
                                            headers=h),
                      lambda r, w: _log_communities(r) == {"asthma"}),
}
ALLOWED = {name: 201 if name == "rules POST" else 200 for name in MODERATOR_ENDPOINTS}
# Another community's moderator: items and posts outside their communities are 404 (ids do not
# leak) and lists leave them out; the rules service answers 403 for another community's rules
# (community slugs are public to signed-in members anyway).
OTHER_MODERATOR = {
    "queue": (200, lambda r, w: w.item_id not in _queue_ids(r)),
    "queue?community": (404, None), "decision": (404, None), "rules GET": (403, None), "rules POST": (403, None),
    "test": (403, None), "notice DELETE": (404, None),
    "log": (200, lambda r, w: "asthma" not in _log_communities(r)),
    "log?community": (404, None),
}
ROLES = {
    "visitor": None, "member": "bo", "moderator without 2FA": "nofa", "another community's moderator": "sam",
    "moderator": "mo", "admin": "ada",
}


@pytest.mark.parametrize("role", list(ROLES))
def test_moderator_endpoints_access_matrix(client, world, role):
    """Every moderator endpoint for one role (in order: the queue is read before the decision closes
    the item). Mismatches are collected so a failure names every endpoint that answered wrongly."""
    user = getattr(world, ROLES[role]) if ROLES[role] else None
    headers = token(client, user) if user else {}
    problems = []
    for name, (call, check) in MODERATOR_ENDPOINTS.items():
        response = call(client, headers, world)
        if role == "visitor":
            expected, check, code = 401, None, "token_required"
        elif role in ("member", "moderator without 2FA"):
            expected, check, code = 403, None, "forbidden"
        elif role == "another community's moderator":
            (expected, check), code = OTHER_MODERATOR[name], None
        else:
            expected, code = ALLOWED[name], None
        if response.status_code != expected:
            problems.append(f"{name}: {response.status_code} (expected {expected}) "
                            f"{response.get_data(as_text=True)[:200]}")
        elif expected >= 400:
            error = response.get_json()["error"]
            if set(error) != {"code", "message", "fields"} or (code and error["code"] != code):
                problems.append(f"{name}: error body {error}")
        elif check and not check(response, world):
            problems.append(f"{name}: unexpected body {response.get_data(as_text=True)[:300]}")
    assert not problems, f"{role}:\n" + "\n".join(problems)

    db.session.expire_all()
    changed = role in ("moderator", "admin")
    # Refused calls changed nothing; allowed ones did what they said.
    assert (db.session.get(ReviewItem, world.item_id).status == "closed") is changed
    assert count(Rule) == (1 if changed else 0)
    notices = db.session.get(Post, world.noticed_id).notices
    assert notices == ([] if changed else [{"kind": "consult_reminder", "text": CONSULT_NOTICE}])
    assert count(StaffAction, StaffAction.action.in_(("review.close", "rule.create", "notice.remove"))) == (
        3 if changed else 0)


# ---------------------------------------------------------------- flags, the queue, decisions, the log

def test_a_members_flag_reaches_the_queue_and_the_decision_the_log(client, world):
    bo, alex, mo = token(client, world.bo), token(client, world.alex), token(client, world.mo)
    reply = forums.reply(world.alex.id, world.thread_id, "Mine is a blue one, it helps a lot.")
    path = f"{API}/posts/{reply.id}/flags"

    assert_error(client.post(path, json={"reason": "spam"}), 401, "token_required")
    assert_error(client.post(path, json={"reason": "rude"}, headers=bo), 422, "validation_failed", "reason")
    assert_error(client.post(path, json={"reason": "other"}, headers=bo), 422, field="message")
    assert_error(client.post(path, json={"reason": "spam"}, headers=alex), 403)  # not your own post
    assert_error(client.post(f"{API}/posts/{reply.id + 1000}/flags", json={"reason": "spam"}, headers=bo), 404)
    flag = ok(client.post(path, json={"reason": "spam", "message": "Selling inhalers"}, headers=bo), 201)
    assert set(flag) >= {"id", "reason", "created_at"} and flag["reason"] == "spam" and flag["post_id"] == reply.id
    assert_error(client.post(path, json={"reason": "abuse"}, headers=bo), 409, "conflict")
    assert count(Flag, Flag.post_id == reply.id) == 1

    queue = ok(client.get(f"{API}/moderation/queue", query_string={"kind": "flagged"}, headers=mo))["items"]
    item = next(i for i in queue if i["post_id"] == reply.id)
    assert ITEM_KEYS <= set(item) and "original_body" not in item
    assert (item["kind"], item["community"], item["thread_id"], item["post_state"]) == (
        "flagged", "asthma", world.thread_id, "published")
    assert item["reasons"] == ["Flagged: spam or selling"] and item["acknowledged"] is False
    assert item["post"]["body"] == "Mine is a blue one, it helps a lot."
    assert ok(client.get(f"{API}/moderation/queue", query_string={"kind": "crisis"}, headers=mo))["items"] == []
    assert_error(client.get(f"{API}/moderation/queue", query_string={"kind": "rude"}, headers=mo), 422, field="kind")
    assert_error(client.get(f"{API}/moderation/queue", query_string={"age": "1y"}, headers=mo), 422, field="age")
    assert_error(client.get(f"{API}/moderation/queue", query_string={"community": "nope"}, headers=mo), 404,
                 field="community")
    old = ok(client.get(f"{API}/moderation/queue", query_string={"age": "1h"}, headers=mo))["items"]
    assert old == []  # nothing waiting longer than an hour

    decide = f"{API}/moderation/queue/{item['id']}/decision"
    assert_error(client.post(decide, json={"action": "reject"}, headers=mo), 422, "validation_failed", "reason")
    assert_error(client.post(decide, json={"action": "ban", "reason": "x"}, headers=mo), 422, field="action")
    assert_error(client.post(decide, json={"reason": "x"}, headers=mo), 422, field="action")
    assert_error(client.post(decide, json={"action": "reject", "reason": "x" * 501}, headers=mo), 422, field="reason")
    assert_error(client.post(decide, json={"action": "acknowledge"}, headers=mo), 422, field="action")  # not an alert
    assert_error(client.post(decide, json={"action": "reject", "reason": "x", "body": "new"}, headers=mo), 422,
                 field="body")
    assert_error(client.post(f"{API}/moderation/queue/{item['id'] + 1000}/decision",
                             json={"action": "close"}, headers=mo), 404, "not_found")
    decided = ok(client.post(decide, json={"action": "reject", "reason": "Advertising."}, headers=mo))
    assert (decided["status"], decided["outcome"], decided["post_state"]) == ("closed", "rejected", "rejected")
    assert_error(client.post(decide, json={"action": "reject", "reason": "Again."}, headers=mo), 422, field="action")
    assert reply.id not in [i["post_id"] for i in ok(client.get(f"{API}/moderation/queue", headers=mo))["items"]]
    db.session.expire_all()
    assert db.session.get(Flag, flag["id"]).status == "upheld"

    log = ok(client.get(f"{API}/moderation/log", headers=mo))
    entry = log["items"][0]
    assert {k: entry[k] for k in ("actor", "action", "target_type", "target_id", "community", "reason")} == {
        "actor": "mo", "action": "post.reject", "target_type": "post", "target_id": reply.id,
        "community": {"slug": "asthma", "name": "Asthma"}, "reason": "Advertising."}
    assert log["next_before"] is None
    # Who flagged stays off the log (a flagged moderator reads it); the moderator's decision is there.
    assert "flag.create" not in [e["action"] for e in log["items"]]
    rejects = ok(client.get(f"{API}/moderation/log", query_string={"action": "post.reject"}, headers=mo))["items"]
    assert {e["action"] for e in rejects} == {"post.reject"} and {e["actor"] for e in rejects} == {"mo"}
    older = ok(client.get(f"{API}/moderation/log", query_string={"before": entry["id"]}, headers=mo))["items"]
    assert older and all(e["id"] < entry["id"] for e in older)
    assert_error(client.get(f"{API}/moderation/log", query_string={"before": "x"}, headers=mo), 422, field="before")
    assert_error(client.get(f"{API}/moderation/log", query_string={"before": 2**40}, headers=mo), 422,
                 field="before")


def test_pipeline_actions_are_logged_without_an_actor_and_admins_see_every_community(client, world):
    from community.moderation import log

    log.record(None, "flag.hide", "post", world.first_id, world.lupus.id, "hidden pending review")
    db.session.commit()
    entries = ok(client.get(f"{API}/moderation/log", headers=token(client, world.ada)))["items"]
    assert entries[0]["actor"] is None and entries[0]["community"] == {"slug": "lupus", "name": "Lupus"}
    assert {"asthma", "lupus"} <= {(e["community"] or {}).get("slug") for e in entries}
    mine = ok(client.get(f"{API}/moderation/log", headers=token(client, world.mo)))["items"]
    assert mine and "lupus" not in {(e["community"] or {}).get("slug") for e in mine}


def test_queue_hides_the_unredacted_original_and_puts_crisis_first(client, world):
    phi_post = forums.reply(world.alex.id, world.thread_id, PHONE_TEXT)
    crisis_post = forums.reply(world.alex.id, world.thread_id, CRISIS)
    db.session.expire_all()
    phi = db.session.scalar(sa.select(ReviewItem).where(ReviewItem.post_id == phi_post.id))
    assert phi.kind == "phi" and "900123" in phi.original_body  # kept for the pages' review only
    mo = token(client, world.mo)
    response = client.get(f"{API}/moderation/queue", headers=mo)
    items = ok(response)["items"]
    assert "900123" not in response.get_data(as_text=True)
    assert items[0]["kind"] == "crisis" and items[0]["post_id"] == crisis_post.id and items[0]["priority"] == 0
    redacted = next(i for i in items if i["id"] == phi.id)
    assert "[removed]" in redacted["post"]["body"] and redacted["spans"]
    assert all(len(span) == 3 and isinstance(span[0], int) for span in redacted["spans"])

    acknowledged = ok(client.post(f"{API}/moderation/queue/{items[0]['id']}/decision",
                                  json={"action": "acknowledge"}, headers=mo))
    assert acknowledged["acknowledged"] is True and acknowledged["outcome"] == "acknowledged"
    assert items[0]["id"] not in _queue_ids(client.get(f"{API}/moderation/queue", headers=mo))


def test_edit_then_approve_publishes_the_corrected_text(client, world):
    newbie = create_user("newbie", approved_posts=0)
    add_member(newbie, world.asthma)
    held = forums.reply(newbie.id, world.thread_id, "Hello all, I use a spacer with a mask.")
    db.session.expire_all()
    assert db.session.get(Post, held.id).state == "held"
    item_id = db.session.scalar(sa.select(ReviewItem.id).where(ReviewItem.post_id == held.id))
    mo = token(client, world.mo)
    approved = ok(client.post(f"{API}/moderation/queue/{item_id}/decision", headers=mo,
                              json={"action": "approve", "body": "Hello all, I use a spacer."}))
    assert approved["post_state"] == "published" and approved["post"]["body"] == "Hello all, I use a spacer."
    public = ok(client.get(f"{API}/posts/{held.id}"))
    assert public["state"] == "published" and public["body"] == "Hello all, I use a spacer."


def test_read_only_token_cannot_decide(client, world):
    read_only = token(client, world.mo, scopes=["read"])
    assert world.item_id in _queue_ids(client.get(f"{API}/moderation/queue", headers=read_only))
    assert ok(client.post(f"{API}/moderation/test", headers=read_only,
                          json={"text": "hello", "community": "asthma"}))["outcome"] == "published as written"
    for response in (
        client.post(f"{API}/moderation/queue/{world.item_id}/decision", json={"action": "close"}, headers=read_only),
        client.post(f"{API}/communities/asthma/rules", json={"pattern": "x", "action": "flag"}, headers=read_only),
        client.delete(f"{API}/posts/{world.noticed_id}/notices/consult_reminder", query_string={"reason": "r"},
                      headers=read_only),
    ):
        assert_error(response, 403, "insufficient_scope")
    db.session.expire_all()
    assert db.session.get(ReviewItem, world.item_id).status == "open"


# ---------------------------------------------------------------- rules and the test box

def test_rules_are_created_listed_and_reported_by_the_test_endpoint(client, world):
    mo, ada = token(client, world.mo), token(client, world.ada)
    rules_path = f"{API}/communities/asthma/rules"
    for body, field in (
        ({"action": "flag"}, "pattern"),
        ({"pattern": "x", "action": "ban"}, "action"),
        ({"pattern": "x", "action": "flag", "mode": "loud"}, "mode"),
        ({"pattern": "x", "action": "flag", "match_type": "glob"}, "match_type"),
        ({"pattern": "(", "action": "flag", "match_type": "regex"}, "pattern"),
        ({"pattern": "x*", "action": "flag", "match_type": "regex"}, "pattern"),  # matches empty text
        ({"pattern": "two words", "action": "flag"}, "pattern"),
        ({"pattern": "steroid", "action": "notice"}, "message"),
        ({"pattern": "x", "action": "flag", "enabled": "maybe"}, "enabled"),
    ):
        assert_error(client.post(rules_path, json=body, headers=mo), 422, "validation_failed", field)
    assert count(Rule) == 0

    created = ok(client.post(rules_path, headers=mo, json={
        "match_type": "wildcard", "pattern": "nebuli*", "action": "flag", "message": "Device talk"}), 201)
    assert RULE_KEYS <= set(created)
    assert {k: created[k] for k in RULE_KEYS - {"id"}} == {
        "match_type": "wildcard", "pattern": "nebuli*", "action": "flag", "mode": "enforce", "case_sensitive": False,
        "message": "Device talk", "enabled": True, "hit_count": 0}
    shadow = ok(client.post(rules_path, headers=mo, json={"pattern": "steroids", "action": "require_approval",
                                                          "mode": "shadow"}), 201)
    assert [r["id"] for r in ok(client.get(rules_path, headers=mo))["items"]] == [created["id"], shadow["id"]]
    assert_error(client.get(f"{API}/communities/nope/rules", headers=mo), 404)
    assert_error(client.get(f"{API}/communities/global/rules", headers=mo), 403)  # site-wide: admins

    test_path = f"{API}/moderation/test"
    result = ok(client.post(test_path, headers=mo, json={
        "text": "My nebuliser and the steroids help.", "community": "asthma"}))
    assert set(result) == {"labels", "filters", "rules", "outcome"}
    hits = {hit["id"]: hit for hit in result["rules"]}
    assert set(hits) == {created["id"], shadow["id"]}
    assert hits[created["id"]]["spans"] == [[3, 12]] and hits[created["id"]]["action"] == "flag"
    assert hits[shadow["id"]]["mode"] == "shadow"
    assert result["outcome"] == "put in the review queue"  # the shadow rule does not hold it
    trial = ok(client.post(test_path, headers=mo, json={
        "text": "My nebuliser broke.", "community": "asthma",
        "rule": {"pattern": "broke", "action": "require_approval"}}))
    assert {hit["id"] for hit in trial["rules"]} == {created["id"], None}
    assert "held for review" in trial["outcome"] and count(Rule) == 2  # the trial rule is not saved
    assert_error(client.post(test_path, headers=mo, json={"community": "asthma"}), 422, field="text")
    assert_error(client.post(test_path, headers=mo, json={"text": "   ", "community": "asthma"}), 422, field="text")
    assert_error(client.post(test_path, headers=mo, json={"text": "hi"}), 422, field="community")
    assert_error(client.post(test_path, headers=mo, json={"text": "hi", "community": "nope"}), 404)
    assert_error(client.post(test_path, headers=mo, json={"text": "hi", "community": "global"}), 403)
    assert_error(client.post(test_path, headers=mo, json={
        "text": "hi", "community": "asthma", "rule": {"pattern": "(", "action": "flag", "match_type": "regex"}}),
        422, field="rule.pattern")
    assert_error(client.post(test_path, headers=mo, json={"text": "hi", "community": "asthma", "rule": {"x": 1}}),
                 422, field="rule")

    # The saved rule acts on real posts and counts its hits.
    forums.reply(world.alex.id, world.thread_id, "Is a nebuliser better than a spacer?")
    listed = {r["id"]: r for r in ok(client.get(rules_path, headers=mo))["items"]}
    assert listed[created["id"]]["hit_count"] == 1 and listed[shadow["id"]]["hit_count"] == 0

    # Site-wide rules: admins only; they show in every community's test.
    site = ok(client.post(f"{API}/communities/global/rules", headers=ada,
                          json={"pattern": "miracle cure", "match_type": "phrase", "action": "block"}), 201)
    assert site["community"] is None
    assert [r["id"] for r in ok(client.get(f"{API}/communities/global/rules", headers=ada))["items"]] == [site["id"]]
    blocked = ok(client.post(test_path, headers=ada, json={"text": "A miracle  cure!", "community": "global"}))
    assert blocked["outcome"] == "refused at submit (block rule)"
    assert ok(client.post(test_path, headers=mo, json={"text": "A miracle cure", "community": "asthma"}))["rules"][0][
        "id"] == site["id"]
    assert count(StaffAction, StaffAction.action == "rule.create") == 3


# ---------------------------------------------------------------- notices

def test_removing_a_notice_needs_a_reason_and_is_logged(client, world):
    mo = token(client, world.mo)
    second = forums.reply(world.alex.id, world.thread_id, METFORMIN)
    path = f"{API}/posts/{world.noticed_id}/notices/consult_reminder"
    assert_error(client.delete(path, headers=mo), 422, "validation_failed", "reason")
    assert_error(client.delete(path, query_string={"reason": "  "}, headers=mo), 422, field="reason")
    assert_error(client.delete(path, json={"reason": 5}, headers=mo), 422, field="reason")
    assert_error(client.delete(f"{API}/posts/{world.noticed_id}/notices/redacted", query_string={"reason": "r"},
                               headers=mo), 422, field="kind")
    assert_error(client.delete(f"{API}/posts/{world.first_id}/notices/consult_reminder",
                               query_string={"reason": "r"}, headers=mo), 404)  # the post has none
    assert_error(client.delete(f"{API}/posts/{world.noticed_id + 1000}/notices/consult_reminder",
                               query_string={"reason": "r"}, headers=mo), 404)
    removed = ok(client.delete(path, query_string={"reason": "Talking about a pharmacist's advice."}, headers=mo))
    assert removed == {"post_id": world.noticed_id, "notices": []}
    assert_error(client.delete(path, query_string={"reason": "again"}, headers=mo), 404)
    via_body = ok(client.delete(f"{API}/posts/{second.id}/notices/consult_reminder",
                                json={"reason": "Same thread, same advice."}, headers=mo))
    assert via_body["notices"] == []
    assert ok(client.get(f"{API}/posts/{world.noticed_id}"))["notices"] == []
    logged = ok(client.get(f"{API}/moderation/log", query_string={"action": "notice.remove"}, headers=mo))["items"]
    assert [(e["target_id"], e["reason"]) for e in logged] == [
        (second.id, "consult_reminder: Same thread, same advice."),
        (world.noticed_id, "consult_reminder: Talking about a pharmacist's advice.")]


# ---------------------------------------------------------------- appeals

def test_an_appeal_on_a_rejected_post_is_created_once(client, world):
    alex, bo, mo = token(client, world.alex), token(client, world.bo), token(client, world.mo)
    appeal = {"kind": "rejection", "target_id": world.first_id, "message": "It was a real question."}
    assert_error(client.post(f"{API}/appeals", json=appeal), 401, "token_required")
    assert_error(client.post(f"{API}/appeals", json=appeal, headers=alex), 404)  # not rejected (yet)
    ok(client.post(f"{API}/moderation/queue/{world.item_id}/decision", headers=mo,
                   json={"action": "reject", "reason": "Off topic for this community."}))

    for body, field in (
        (dict(appeal, kind="post"), "kind"),
        ({"kind": "rejection", "target_id": world.first_id}, "message"),
        (dict(appeal, message="   "), "message"),
        (dict(appeal, message="x" * 1001), "message"),
        (dict(appeal, target_id="12"), "target_id"),
        (dict(appeal, target_id=2**40), "target_id"),
    ):
        assert_error(client.post(f"{API}/appeals", json=body, headers=alex), 422, "validation_failed", field)
    assert_error(client.post(f"{API}/appeals", json=appeal, headers=bo), 404)  # not bo's post
    created = ok(client.post(f"{API}/appeals", json=appeal, headers=alex), 201)
    assert {k: created[k] for k in ("kind", "target_id", "status", "message")} == {
        "kind": "rejection", "target_id": world.first_id, "status": "open", "message": "It was a real question."}
    assert_error(client.post(f"{API}/appeals", json=dict(appeal, message="Please?"), headers=alex), 409, "conflict")
    assert count(Appeal) == 1
    assert db.session.get(Appeal, created["id"]).acted_by == world.mo.id
    assert_error(client.post(f"{API}/appeals", json={"kind": "sanction", "target_id": 1, "message": "m"},
                             headers=alex), 404)


# ---------------------------------------------------------------- the OpenAPI document

def test_the_new_endpoints_are_documented(client, ctx):
    paths = ok(client.get(f"{API}/openapi.json"))["paths"]
    expected = {
        ("get", "/api/v1/moderation/queue"): "200", ("post", "/api/v1/moderation/queue/{item_id}/decision"): "200",
        ("post", "/api/v1/posts/{post_id}/flags"): "201", ("get", "/api/v1/communities/{slug}/rules"): "200",
        ("post", "/api/v1/communities/{slug}/rules"): "201", ("post", "/api/v1/moderation/test"): "200",
        ("delete", "/api/v1/posts/{post_id}/notices/{kind}"): "200", ("post", "/api/v1/appeals"): "201",
        ("get", "/api/v1/moderation/log"): "200",
    }
    for (method, path), success in expected.items():
        operation = paths[path][method]
        assert success in operation["responses"] and "401" in operation["responses"], (method, path)
        assert operation["security"] == [{"bearer": []}]
    notice = paths["/api/v1/posts/{post_id}/notices/{kind}"]["delete"]
    assert [p["name"] for p in notice["parameters"] if p["in"] == "query"] == ["reason"]
