"""decide: what happens to a post, from what the judges said. Pure: no database, no Flask.

The moderation pipeline is judge (the filters give verdicts, `pipeline.judge`), decide (this
module: verdicts, the community's enforced rules and the author's trust give an `Outcome`) and
apply (`pipeline.moderate_post`, one transaction). The worker, `community moderation classify`,
the composer's synchronous check and the rules' test box all call `decide`, so they cannot
disagree about what a text would do.
"""
from dataclasses import dataclass


UNFINISHED = "Watched-word rules could not finish on this post in time: a moderator should read it."
FIRST_POSTS = "First posts from a new member wait for approval."
WAITING_THREAD = "A reply to a thread that is waiting for approval."


@dataclass(frozen=True)
class RuleHit:
    """An enforced watched-word rule that matched (shadow rules never reach decide)."""
    id: int
    action: str
    message: str
    reason: str


@dataclass(frozen=True)
class Trust:
    approved_posts: int = 2
    is_new: bool = False


ESTABLISHED = Trust()


@dataclass(frozen=True)
class Situation:
    """Where the post stands when it is judged."""
    pending: bool = False          # new, never published yet
    waiting_thread: bool = False   # a reply in a thread still waiting for approval


@dataclass(frozen=True)
class Outcome:
    labels: tuple[str, ...]
    crisis: bool
    urgent: bool                   # the crisis alert escalates at once
    members_only: bool
    reject: bool                   # certain spam in a new account's first post: rejected, author silenced
    hold: bool
    blocked: bool                  # a block rule matched: the composer refuses it
    first_posts: bool              # held only because the author is new
    body_phi: tuple                # identifier spans in the body (offsets into it)
    title_phi: tuple
    censor_body: bool              # the filters found strong profanity in the body
    censor_title: bool
    rule_censor: bool
    notices: tuple[str, ...]       # kinds, in the order shown: consult_reminder, rule:<id>, crisis_resources, redacted
    hold_reasons: tuple[str, ...]
    crisis_reasons: tuple[str, ...]
    escalate_reasons: tuple[str, ...]
    flag_reasons: tuple[str, ...]
    rule_reasons: tuple[str, ...]
    language: str = "en"           # the body's, as the judge detected it: the resources follow it

    @property
    def redacted(self):
        return bool(self.body_phi or self.title_phi)

    @property
    def lane(self):
        """A crisis post's lane: "urgent" (tiers A and T, or a high score: timed escalation) or
        "check_in" (B, C and S: the queue at normal priority, a private check-in ready)."""
        return ("urgent" if self.urgent else "check_in") if self.crisis else None


def phi_spans(decision):
    return tuple(s for v in (decision.verdicts if decision else ()) if v.filter == "phi" for s in v.spans)


def decide(body, title=None, rules=(), unfinished=False, trust=ESTABLISHED, situation=Situation(),
           suppressed=frozenset()):
    """The outcome for a post whose body (and, for a first post, title) the filters judged as
    `body` and `title` (Decisions, or None for an empty text); `rules` are the enforced rule hits,
    `unfinished` says whether some enforced rule could not finish in its time budget."""
    decisions = [d for d in (body, title) if d]
    labels = tuple(sorted({label for d in decisions for label in d.labels}))
    actions = frozenset().union(*(d.actions for d in decisions))
    verdicts = [v for d in decisions for v in d.verdicts]
    rule_actions = {hit.action for hit in rules}
    crisis = "crisis" in labels

    # Trust: a new member's first posts wait for approval (DESIGN.md), except a crisis post: it is
    # limited to members and the moderators are alerted instead. Crisis is never rejected.
    first_posts = trust.approved_posts < 2 and not crisis
    reject = "reject_if_new" in actions and trust.is_new and trust.approved_posts == 0 and not crisis
    new_and_waiting = situation.pending and first_posts
    hold = ("hold" in actions or new_and_waiting or bool(rule_actions & {"require_approval", "block"})
            or unfinished or (situation.pending and situation.waiting_thread))
    hold_reasons = [r for v in verdicts if v.labels for r in v.reasons] + [
        hit.reason for hit in rules if hit.action in ("require_approval", "block")] + ([UNFINISHED] if unfinished else [])
    if new_and_waiting and "hold" not in actions:
        hold_reasons.append(FIRST_POSTS)
    if situation.pending and situation.waiting_thread:
        hold_reasons.append(WAITING_THREAD)

    body_phi, title_phi = phi_spans(body), phi_spans(title)
    notices = []
    if "notice:consult_reminder" in actions and "consult_reminder" not in suppressed:
        notices.append("consult_reminder")
    notices += [f"rule:{hit.id}" for hit in rules if hit.action == "notice" and f"rule:{hit.id}" not in suppressed]
    if crisis:
        notices.append("crisis_resources")
    if body_phi or title_phi:
        notices.append("redacted")
    return Outcome(
        labels=labels, crisis=crisis, urgent=crisis and "escalate_now" in actions, members_only=crisis,
        reject=reject, hold=hold and not reject, blocked="block" in rule_actions,
        first_posts=new_and_waiting and hold, body_phi=body_phi, title_phi=title_phi,
        censor_body=bool(body and "censor" in body.actions), censor_title=bool(title and "censor" in title.actions),
        rule_censor="censor" in rule_actions, notices=tuple(notices),
        hold_reasons=tuple(dict.fromkeys(hold_reasons)),
        crisis_reasons=_lane_reason(crisis and "escalate_now" in actions, verdicts) + tuple(
            r for v in verdicts if v.filter in ("crisis", "classifier") for r in v.reasons),
        escalate_reasons=tuple(hit.reason for hit in rules if hit.action == "escalate"),
        flag_reasons=tuple(hit.reason for hit in rules if hit.action == "flag") + tuple(
            r for v in verdicts if "review" in v.actions for r in v.reasons),
        rule_reasons=tuple(hit.reason for hit in rules),
        language=body.language if body else "en",
    )


def _lane_reason(urgent, verdicts):
    """The first reason a moderator reads: the lane, and why (the tiers, without the post)."""
    if not any("crisis" in v.labels for v in verdicts):
        return ()
    if urgent:
        return ("Urgent: may be in danger now (plan, means, a day, goodbye, an act in progress or someone else at risk).",)
    return ("Check-in: a hard time, no plan, day or means found. A private check-in may help.",)


def in_words(outcome):
    """What the outcome does, in words (the rules' test box)."""
    if outcome.blocked:
        return "refused at submit (block rule)"
    steps = []
    if outcome.lane == "urgent":
        steps.append("crisis resources to the author, members only, moderators alerted (urgent)")
    elif outcome.lane == "check_in":
        steps.append("crisis resources to the author, members only, moderators asked to check in")
    if outcome.escalate_reasons:
        steps.append("escalated to the top of the queue")
    if outcome.reject:
        steps.append("rejected as spam, author silenced")
    elif outcome.hold:
        steps.append("held for review")
    if outcome.flag_reasons:
        steps.append("put in the review queue")
    if outcome.redacted:
        steps.append("identifiers removed")
    if outcome.rule_censor or outcome.censor_body or outcome.censor_title:
        steps.append("words censored")
    if "consult_reminder" in outcome.notices or any(n.startswith("rule:") for n in outcome.notices):
        steps.append("notice attached")
    return "; ".join(steps) or "published as written"
