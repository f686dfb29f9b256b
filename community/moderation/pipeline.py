"""The moderation pipeline: judge a post with the filters and apply the merged decision in one
transaction. Runs in the worker (`moderation.moderate_post`); the composer's synchronous check
is `composer_check`. Idempotent: the same text is never judged twice."""
import hashlib

import sqlalchemy as sa
from flask import current_app

from ..accounts.models import User
from ..extensions import db
from ..markdown import render
from ..models_base import utcnow
from ..forums import lifecycle
from ..forums.models import Community, PostRevision, Thread
from . import alerts, filters, log, rules
from .models import PRIORITY, ReviewItem, Sanction, Verdict

# Notice kinds the pipeline owns (recomputed on every run); the others are shown to everyone
# who can see the post, these two only to its author.
# ("moderator": a moderator's reason for rejecting or hiding a post, for its author.)
AUTHOR_ONLY_NOTICES = ("crisis_resources", "redacted", "moderator")
PIPELINE_NOTICES = ("consult_reminder", "crisis_resources", "redacted")
REDACTED = "[removed]"
SPAN_WORDS = {
    "phone": "a phone number", "email": "an email address", "address": "a street address",
    "id_number": "an ID or record number", "name": "a name", "postcode": "a postcode", "url": "a personal link",
}


def text_hash(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def regions_of(community):
    return tuple(r.strip().upper() for r in (community.phone_regions or "").split(",") if r.strip()) or ("US",)


def crisis_notice(locale):
    resources = current_app.config["CRISIS_RESOURCES"]
    lines = resources.get(locale) or resources.get((locale or "").split("-")[0]) or resources["en"]
    return {"kind": "crisis_resources", "text": " ".join(lines)}


def notices_for(post, viewer_id, is_moderator=False):
    """The notices a reader may see: the author-only kinds go to the author (and moderators)."""
    if viewer_id == post.author_id or is_moderator:
        return list(post.notices or ())
    return [n for n in post.notices or () if n["kind"] not in AUTHOR_ONLY_NOTICES]


def precheck(text, community):
    """Crisis and identifiers only, over the whole text (the worker's check of earlier versions)."""
    return filters.quick_check(text, regions=regions_of(community))


# The composer's check runs in the web worker while the author waits, so it reads only the
# first PRECHECK_CHARS characters: one request's filter work is capped whatever the post's
# length (a 50,000-character body once held a worker for 10 s). The rest is left to the worker,
# whose full moderation still reads all of it, as before: a new post waits for it, and it redacts
# identifiers and limits a crisis post to members wherever in the text they are.
PRECHECK_CHARS = 5_000


def composer_check(text, community):
    """The composer's synchronous check (crisis and identifiers only, in the first PRECHECK_CHARS
    characters): what to tell the author now. Its spans are offsets into `text` too."""
    return precheck(text[:PRECHECK_CHARS], community)


def phi_spans(decision):
    return [s for v in decision.verdicts if v.filter == "phi" for s in v.spans]


def describe(spans):
    words = []
    for span in spans:
        word = SPAN_WORDS.get(span.kind, "a personal detail")
        if word not in words:
            words.append(word)
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else (words[0] if words else "")


def remove_identifiers(text, community):
    """The composer's "remove and post": the identifiers found, replaced."""
    spans = phi_spans(composer_check(text, community))
    return filters.redact(text, spans) if spans else text


def _rewrite(text, decision):
    """Redact identifiers and censor strong profanity in one pass over the judged text."""
    edits = [(s.start, s.end, REDACTED) for s in phi_spans(decision)]
    if "censor" in decision.actions:
        edits += [(s.start, s.end, text[s.start] + "***") for v in decision.verdicts if v.filter == "abuse"
                  for s in v.spans if s.kind == "profanity" and s.end > s.start]
    out, at = [], 0
    for start, end, replacement in sorted(edits):
        if start < at:  # overlapping: the earlier edit already covers it
            continue
        out.append(text[at:start])
        out.append(replacement)
        at = end
    out.append(text[at:])
    return "".join(out)


def _judge(text, regions):
    return filters.run_filters(text, regions=regions) if text.strip() else None


def judge_text(text, community):
    """The filters' decision on a text as if posted in `community` (None: default regions)."""
    return _judge(text, regions_of(community) if community else filters.DEFAULT_REGIONS)


def outcome_of(decision, hits):
    """In words, what the pipeline would do with a post (for the rules' test box)."""
    enforced = {rule.action for rule, _ in hits if rule.mode == "enforce"}
    actions = decision.actions if decision else frozenset()
    labels = decision.labels if decision else ()
    if "block" in enforced:
        return "refused at submit (block rule)"
    steps = []
    if "crisis" in labels:
        steps.append("crisis resources to the author, members only, moderators alerted")
    if "escalate" in enforced:
        steps.append("escalated to the top of the queue")
    if "hold" in actions or "require_approval" in enforced:
        steps.append("held for review")
    if "flag" in enforced:
        steps.append("put in the review queue")
    if decision and phi_spans(decision):
        steps.append("identifiers removed")
    if "censor" in enforced or "censor" in actions:
        steps.append("words censored")
    if "notice:consult_reminder" in actions or "notice" in enforced:
        steps.append("notice attached")
    return "; ".join(steps) or "published as written"


def moderate_post(post_id):
    """Judge a post and apply the decision. Returns the post (or None if there is none)."""
    # Only the post and its thread are locked, in the one order (lifecycle.lock).
    post, thread = lifecycle.lock(post_id)
    if post is None or post.state in ("deleted", "rejected"):
        db.session.rollback()
        return None
    if post.moderation_status == "done" and post.moderated_hash == text_hash(post.body):
        db.session.rollback()
        return post
    community = db.session.get(Community, thread.community_id)
    author = db.session.get(User, post.author_id)
    regions = regions_of(community)
    judged = post.body
    judged_hash = text_hash(judged)
    decision = _judge(judged, regions)
    title_decision = _judge(thread.title, regions) if post.number == 1 else None
    decisions = [d for d in (decision, title_decision) if d]
    labels = sorted({label for d in decisions for label in d.labels})
    actions = set().union(*(d.actions for d in decisions)) if decisions else set()
    verdicts = [v for d in decisions for v in d.verdicts]
    # Spans shown to moderators are offsets into the body; the title's are not kept.
    body_verdicts = decision.verdicts if decision else ()
    tagged = [(v, "") for v in body_verdicts] + [(v, " (title)") for v in (title_decision.verdicts if title_decision else ())]
    for verdict, where in tagged:
        if verdict.labels or verdict.actions:
            db.session.add(Verdict(
                post_id=post.id, text_hash=judged_hash, filter=verdict.filter + where, labels=list(verdict.labels),
                actions=sorted(verdict.actions), reasons=list(verdict.reasons),
                spans=[[s.start, s.end, s.kind] for s in verdict.spans],
            ))
    # Watched-word rules: enforced ones act below, shadow ones are only logged.
    title = thread.title if post.number == 1 else ""
    watched = rules.rules_for(community.id)
    # one time budget for all the rules on this post (body, title and the censor pass below)
    unfinished, until = [], rules.deadline()
    hits = rules.matches(watched, judged, unfinished, until) + [
        (rule, []) for rule, _ in rules.matches(watched, title, unfinished, until)]
    seen, rule_hits = set(), []
    for rule, _spans in hits:
        if rule.id not in seen:
            seen.add(rule.id)
            rule_hits.append((rule, [s for r, ss in hits if r.id == rule.id for s in ss]))
    rules.note_hits(rule_hits)
    enforced = [(rule, spans) for rule, spans in rule_hits if rule.mode == "enforce"]
    for rule, _ in rule_hits:
        if rule.mode == "shadow":
            log.record(None, "rule.shadow_hit", "post", post.id, community.id, rules.reason(rule))
    rule_actions = {rule.action for rule, _ in enforced}
    rule_reasons = [rules.reason(rule) for rule, _ in enforced]

    crisis = "crisis" in labels
    found_phi = phi_spans(decision) if decision else []
    title_phi = phi_spans(title_decision) if title_decision else []

    # Identifiers and profanity leave every stored public version: body, title and history.
    if decision and (found_phi or "censor" in decision.actions):
        post.body = _rewrite(judged, decision)
        post.body_html = render(post.body)
    if "censor" in rule_actions:
        post.body = rules.censor(post.body, rules.matches([r for r, _ in enforced if r.action == "censor"], post.body,
                                                          unfinished, until))
        post.body_html = render(post.body)
    if title_decision and (title_phi or "censor" in title_decision.actions):
        thread.title = _rewrite(thread.title, title_decision)[:200]
    # Every run, not only when the current text had some: an edit made before the previous run
    # finished can have put unredacted text into the history.
    for revision in db.session.scalars(sa.select(PostRevision).where(PostRevision.post_id == post.id)):
        found = phi_spans(precheck(revision.body, community))
        if found:
            revision.body = filters.redact(revision.body, found)
            revision.body_html = render(revision.body)

    notices = [n for n in post.notices or () if n["kind"] not in PIPELINE_NOTICES and not n["kind"].startswith("rule:")]
    suppressed = set(post.suppressed_notices or ())
    if "notice:consult_reminder" in actions and "consult_reminder" not in suppressed:
        notices.append({"kind": "consult_reminder", "text": filters.CONSULT_NOTICE})
    for rule, _ in enforced:
        if rule.action == "notice" and f"rule:{rule.id}" not in suppressed:
            notices.append({"kind": f"rule:{rule.id}", "text": rule.message})
    if crisis:
        notices.append(crisis_notice(community.locale))
    if found_phi or title_phi:
        notices.append({"kind": "redacted", "text": (
            f"We removed {describe(found_phi + title_phi)} from your post to protect your privacy. "
            "Only the moderators can see what was there, until they have reviewed it.")})

    # Trust: a new member's first posts wait for approval (DESIGN.md), except a crisis post: it is
    # limited to members and the moderators are alerted instead. Crisis is never rejected.
    first_posts = author.approved_posts < 2 and not crisis
    reject = "reject_if_new" in actions and author.is_new and author.approved_posts == 0 and not crisis
    # A block rule added after the post was written holds it (the composer refuses new ones).
    # Enforced rules not finished in time may have been the ones to act: a moderator reads the post.
    unfinished = [rule for rule in unfinished if rule.mode == "enforce"]
    hold = "hold" in actions or (post.state == "pending" and first_posts) or bool(
        rule_actions & {"require_approval", "block"}) or bool(unfinished)
    reasons = [r for v in verdicts if v.labels for r in v.reasons] + [
        rules.reason(r) for r, _ in enforced if r.action in ("require_approval", "block")] + (
        [rules.UNFINISHED] if unfinished else [])
    if post.state == "pending" and first_posts and "hold" not in actions:
        reasons.append("First posts from a new member wait for approval.")
    # A reply to a thread still waiting for approval waits with it, and is decided on its own.
    waiting_thread = post.number > 1 and thread.state in ("pending", "held")
    if post.state == "pending" and waiting_thread:
        hold = True
        reasons.append("A reply to a thread that is waiting for approval.")

    if crisis:
        post.members_only = True
        if post.number == 1:
            thread.members_only = True
        item = _review_item(post, community, "crisis", judged_hash, [r for v in verdicts if v.filter == "crisis" for r in v.reasons],
                            body_verdicts, original=None, urgent="escalate_now" in actions)
        if item is not None:
            db.session.flush()
            alerts.raise_alert(item, community)
    if reject:
        lifecycle.reject(post, thread, community)
        author.silenced_at = utcnow()
        # A site-wide silence with no actor: the member sees it on their standing page and may appeal.
        db.session.add(Sanction(user_id=author.id, community_id=None, kind="silence", created_by=None,
                                rule="Certain spam in a new account's first post",
                                message="Your first post looked like spam, so your account cannot post for now. "
                                        "If this is a mistake, appeal and a moderator will look at it."))
        notices.append({"kind": "moderator", "text": "This post was not published: it looked like spam."})
    elif hold and post.state in ("pending", "published"):
        lifecycle.hold(post, thread, community)
    if not reject and (hold or found_phi or title_phi):
        _review_item(post, community, "held" if post.state == "held" else "phi", judged_hash, reasons, body_verdicts,
                     original=judged if (found_phi or title_phi) else None)
    if "escalate" in rule_actions:
        item = _review_item(post, community, "escalated", judged_hash,
                            [rules.reason(r) for r, _ in enforced if r.action == "escalate"], (), original=None)
        if item is not None:
            db.session.flush()
            alerts.rule_alert(item, community)
    if "flag" in rule_actions and post.state != "held":
        _review_item(post, community, "flagged", judged_hash,
                     [rules.reason(r) for r, _ in enforced if r.action == "flag"], (), original=None)
    _log_decision(post, community, labels, actions, rule_reasons, reject, hold and post.state == "held",
                  found_phi or title_phi, crisis, first_posts=post.state == "held" and first_posts)

    post.labels = labels
    post.notices = notices
    post.moderation_status = "done"
    post.moderated_hash = text_hash(post.body)
    post.public_body = post.public_html = None
    if post.state == "pending":
        lifecycle.publish(post, thread, community)
    else:
        lifecycle.reindex(post, thread)
    db.session.commit()
    return post


def _log_decision(post, community, labels, actions, rule_reasons, rejected, held, redacted, crisis, first_posts=False):
    """The pipeline's own entry in the staff log: what it did and why (labels and rules, no text)."""
    why = ", ".join(labels)
    if first_posts:
        why = f"{why}; first posts from a new member" if why else "First posts from a new member"
    why = why or "no labels"
    if rule_reasons:
        why += "; " + "; ".join(rule_reasons)
    if rejected:
        log.record(None, "pipeline.reject", "post", post.id, community.id, why + "; author silenced")
    elif held:
        log.record(None, "pipeline.hold", "post", post.id, community.id, why)
    elif labels or rule_reasons:
        log.record(None, "pipeline.publish", "post", post.id, community.id, why)
    if crisis:
        log.record(None, "pipeline.crisis_alert", "post", post.id, community.id, "crisis resources shown; members only")
    if redacted:
        log.record(None, "pipeline.redact", "post", post.id, community.id, "identifiers removed")


def _review_item(post, community, kind, judged_hash, reasons, verdicts, original, urgent=False):
    exists = db.session.scalar(sa.select(ReviewItem.id).where(
        ReviewItem.post_id == post.id, ReviewItem.kind == kind, ReviewItem.text_hash == judged_hash))
    if exists:
        return None
    if kind in ("held", "phi"):
        # An edit supersedes the review of the text it replaced (and that text's original).
        for older in db.session.scalars(sa.select(ReviewItem).where(
                ReviewItem.post_id == post.id, ReviewItem.kind != "crisis", ReviewItem.status == "open")):
            older.status, older.outcome, older.original_body, older.closed_at = "closed", "superseded", None, utcnow()
    item = ReviewItem(
        post_id=post.id, community_id=community.id, kind=kind, priority=PRIORITY[kind], text_hash=judged_hash,
        # The body and the title can give the same reason: say it once.
        reasons=list(dict.fromkeys(reasons)) or ["Checked by the filters."], urgent=urgent, original_body=original,
        spans=[[s.start, s.end, s.kind] for v in verdicts if (v.filter == "crisis") == (kind == "crisis") and v.labels
               for s in v.spans],
    )
    db.session.add(item)
    return item


def approve(post):
    """A moderator approves a held post, or an appeal overturns its rejection."""
    thread = db.session.get(Thread, post.thread_id)
    lifecycle.publish(post, thread, db.session.get(Community, thread.community_id))


def author_deleted(post_id):
    """The unredacted text goes with the post, and there is nothing left to decide: its open items
    close. A crisis alert stays open, since the person may still be at risk."""
    db.session.execute(sa.update(ReviewItem).where(ReviewItem.post_id == post_id).values(original_body=None))
    db.session.execute(sa.update(ReviewItem).where(
        ReviewItem.post_id == post_id, ReviewItem.status == "open", ReviewItem.kind != "crisis",
    ).values(status="closed", outcome="deleted", closed_at=utcnow()))
