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
from ..notifications import services as notifications
from ..forums import lifecycle
from ..forums.models import Community, PostRevision, Thread
from . import alerts, filters, log, rules
from . import judge as judging
from .decide import RuleHit, Situation, Trust, decide, phi_spans
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


def resources_locale(outcome, community_locale):
    """A post in Spanish gets the Spanish resources in any community; otherwise the community's."""
    return "es" if outcome.language == "es" else community_locale


GENTLE = {"en": "If today is hard, these people are there any time.",
          "es": "Si hoy es un día difícil, estas personas están ahí a cualquier hora."}


def crisis_notice(locale, gentle=False):
    """The author's crisis resources; the check-in lane opens gently, then gives the same lines."""
    resources = current_app.config["CRISIS_RESOURCES"]
    key = locale if locale in resources else (locale or "").split("-")[0]
    key = key if key in resources else "en"
    lines = list(resources[key])
    if gentle:
        lines.insert(0, GENTLE.get(key, GENTLE["en"]))
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
    characters), decided as the worker decides: what to tell the author now (an Outcome; its
    spans are offsets into `text` too)."""
    return decide(judging.quick(text[:PRECHECK_CHARS], regions=regions_of(community)))


def describe(spans):
    words = []
    for span in spans:
        word = SPAN_WORDS.get(span.kind, "a personal detail")
        if word not in words:
            words.append(word)
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else (words[0] if words else "")


def remove_identifiers(text, community):
    """The composer's "remove and post": the identifiers found, replaced."""
    spans = composer_check(text, community).body_phi
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


def judge(text, regions):
    """The filters' and the classifier's verdicts on one text (None for an empty one)."""
    return judging.judge(text, regions)


def judge_text(text, community):
    """The filters' decision on a text as if posted in `community` (None: default regions)."""
    return judge(text, regions_of(community) if community else filters.DEFAULT_REGIONS)


def rule_hits(hits):
    """decide's view of the watched-word rules that matched: the enforced ones, each once."""
    seen, out = set(), []
    for rule, _ in hits:
        if rule.mode == "enforce" and (rule.id, rule.action) not in seen:
            seen.add((rule.id, rule.action))
            out.append(RuleHit(rule.id, rule.action, rule.message, rules.reason(rule)))
    return out


def notice(kind, outcome, locale, rule_messages=None):
    """The one text of each notice kind, wherever it is shown (site, API, classify)."""
    if kind == "consult_reminder":
        return {"kind": kind, "text": filters.CONSULT_NOTICE}
    if kind == "crisis_resources":
        return crisis_notice(resources_locale(outcome, locale), gentle=outcome.lane == "check_in")
    if kind == "redacted":
        return {"kind": kind, "text": (
            f"We removed {describe(outcome.body_phi + outcome.title_phi)} from your post to protect your privacy. "
            "Only the moderators can see what was there, until they have reviewed it.")}
    return {"kind": kind, "text": (rule_messages or {}).get(kind, "")}


def moderate_post(post_id):
    """Judge a post, decide, and apply the outcome in one transaction. Returns the post (or None)."""
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

    # judge
    regions = regions_of(community)
    judged = post.body
    judged_hash = text_hash(judged)
    decision = judge(judged, regions)
    title_decision = judge(thread.title, regions) if post.number == 1 else None
    title = thread.title if post.number == 1 else ""
    watched = rules.rules_for(community.id)
    # one time budget for all the rules on this post (body, title and the censor pass below)
    unfinished, until = [], rules.deadline()
    hits = rules.matches(watched, judged, unfinished, until) + [
        (rule, []) for rule, _ in rules.matches(watched, title, unfinished, until)]

    # decide
    outcome = decide(
        decision, title_decision, rule_hits(hits), unfinished=any(r.mode == "enforce" for r in unfinished),
        trust=Trust(author.approved_posts, author.is_new),
        situation=Situation(pending=post.state == "pending",
                            waiting_thread=post.number > 1 and thread.state in ("pending", "held")),
        suppressed=frozenset(post.suppressed_notices or ()))

    # apply
    body_verdicts = decision.verdicts if decision else ()
    # Spans shown to moderators are offsets into the body; the title's are not kept.
    tagged = [(v, "") for v in body_verdicts] + [(v, " (title)") for v in (title_decision.verdicts if title_decision else ())]
    for verdict, where in tagged:
        if verdict.labels or verdict.actions:
            db.session.add(Verdict(
                post_id=post.id, text_hash=judged_hash, filter=verdict.filter + where, labels=list(verdict.labels),
                actions=sorted(verdict.actions), reasons=list(verdict.reasons),
                spans=[[s.start, s.end, s.kind] for s in verdict.spans],
            ))
    matched = list({rule.id: rule for rule, _ in hits}.values())
    rules.note_hits([(rule, None) for rule in matched])
    for rule in matched:
        if rule.mode == "shadow":
            log.record(None, "rule.shadow_hit", "post", post.id, community.id, rules.reason(rule))

    # Identifiers and profanity leave every stored public version: body, title and history.
    if outcome.body_phi or outcome.censor_body:
        post.body = _rewrite(judged, decision)
        post.body_html = render(post.body)
        notifications.record_mentions(post)
    if outcome.rule_censor:
        censoring = [r for r in matched if r.mode == "enforce" and r.action == "censor"]
        post.body = rules.censor(post.body, rules.matches(censoring, post.body, unfinished, until))
        post.body_html = render(post.body)
        notifications.record_mentions(post)
    if outcome.title_phi or outcome.censor_title:
        thread.title = _rewrite(thread.title, title_decision)[:200]
    # Every run, not only when the current text had some: an edit made before the previous run
    # finished can have put unredacted text into the history.
    for revision in db.session.scalars(sa.select(PostRevision).where(PostRevision.post_id == post.id)):
        found = phi_spans(precheck(revision.body, community))
        if found:
            revision.body = filters.redact(revision.body, found)
            revision.body_html = render(revision.body)

    messages = {f"rule:{r.id}": r.message for r in matched}
    notices = [n for n in post.notices or () if n["kind"] not in PIPELINE_NOTICES and not n["kind"].startswith("rule:")]
    notices += [notice(kind, outcome, community.locale, messages) for kind in outcome.notices]

    if outcome.members_only:
        post.members_only = True
        if post.number == 1:
            thread.members_only = True
        notifications.record_mentions(post)   # now limited to members: no link to anyone else
    if outcome.crisis:
        item = _review_item(post, community, "crisis", judged_hash, outcome.crisis_reasons, body_verdicts,
                            original=None, urgent=outcome.urgent, priority=PRIORITY["crisis"] if outcome.urgent else 1)
        if item is not None:
            db.session.flush()
            alerts.raise_alert(item, community)
    if outcome.reject:
        lifecycle.reject(post, thread, community)
        author.silenced_at = utcnow()
        # A site-wide silence with no actor: the member sees it on their standing page and may appeal.
        db.session.add(Sanction(user_id=author.id, community_id=None, kind="silence", created_by=None,
                                rule="Certain spam in a new account's first post",
                                message="Your first post looked like spam, so your account cannot post for now. "
                                        "If this is a mistake, appeal and a moderator will look at it."))
        notices.append({"kind": "moderator", "text": "This post was not published: it looked like spam."})
    elif outcome.hold and post.state in ("pending", "published"):
        lifecycle.hold(post, thread, community)
    if not outcome.reject and (outcome.hold or outcome.redacted):
        _review_item(post, community, "held" if post.state == "held" else "phi", judged_hash, outcome.hold_reasons,
                     body_verdicts, original=judged if outcome.redacted else None)
    if outcome.escalate_reasons:
        item = _review_item(post, community, "escalated", judged_hash, outcome.escalate_reasons, (), original=None)
        if item is not None:
            db.session.flush()
            alerts.rule_alert(item, community)
    if outcome.flag_reasons and post.state != "held":
        _review_item(post, community, "flagged", judged_hash, outcome.flag_reasons, (), original=None)
    _log_decision(post, community, outcome)

    before = {n["kind"] for n in post.notices or ()}
    for kind in [n["kind"] for n in notices if n["kind"] not in before and n["kind"] not in AUTHOR_ONLY_NOTICES
                 and n["kind"] not in ("redacted", "moderator")]:
        # a notice others will read under the post: its author hears of it (one per judged text)
        notifications.moderation_outcome(post, f"notice:{kind}:{judged_hash[:16]}")
    post.labels = list(outcome.labels)
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


def _log_decision(post, community, outcome):
    """The pipeline's own entry in the staff log: what it did and why (labels and rules, no text)."""
    held = outcome.hold and post.state == "held"
    why = ", ".join(outcome.labels)
    if held and outcome.first_posts:
        why = f"{why}; first posts from a new member" if why else "First posts from a new member"
    why = why or "no labels"
    if outcome.rule_reasons:
        why += "; " + "; ".join(outcome.rule_reasons)
    if outcome.reject:
        log.record(None, "pipeline.reject", "post", post.id, community.id, why + "; author silenced")
    elif held:
        log.record(None, "pipeline.hold", "post", post.id, community.id, why)
    elif outcome.labels or outcome.rule_reasons:
        log.record(None, "pipeline.publish", "post", post.id, community.id, why)
    if outcome.crisis:
        log.record(None, "pipeline.crisis_alert", "post", post.id, community.id, "crisis resources shown; members only")
    if outcome.redacted:
        log.record(None, "pipeline.redact", "post", post.id, community.id, "identifiers removed")


def _review_item(post, community, kind, judged_hash, reasons, verdicts, original, urgent=False, priority=None):
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
        post_id=post.id, community_id=community.id, kind=kind, priority=PRIORITY[kind] if priority is None else priority,
        text_hash=judged_hash,
        # The body and the title can give the same reason: say it once.
        reasons=list(dict.fromkeys(reasons)) or ["Checked by the filters."], urgent=urgent, original_body=original,
        spans=[[s.start, s.end, s.kind] for v in verdicts if (v.filter == "crisis") == (kind == "crisis") and v.labels
               for s in v.spans],
    )
    db.session.add(item)
    if kind in ("held", "phi"):
        notifications.queue_grew(community.id)
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
