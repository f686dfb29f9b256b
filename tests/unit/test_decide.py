"""decide (community.moderation.decide): verdicts, enforced rules and trust in, an Outcome out."""
from community.moderation.decide import (
    FIRST_POSTS, UNFINISHED, WAITING_THREAD, RuleHit, Situation, Trust, decide, in_words,
)
from community.moderation.filters import quick_check, run_filters

NEW = Trust(approved_posts=0, is_new=True)
PENDING = Situation(pending=True)


def test_nothing_found_publishes_as_written():
    outcome = decide(run_filters("Infusion day tomorrow, bringing snacks."))
    assert outcome.labels == () and not outcome.hold and outcome.notices == ()
    assert in_words(outcome) == "published as written"


def test_a_new_members_first_post_waits_but_a_crisis_post_never_does():
    plain = decide(run_filters("Hello everyone, newly diagnosed with lupus."), trust=NEW, situation=PENDING)
    assert plain.hold and plain.first_posts and FIRST_POSTS in plain.hold_reasons
    crisis = decide(run_filters("I want to die. That's it."), trust=NEW, situation=PENDING)
    assert crisis.crisis and crisis.members_only and not crisis.hold and not crisis.first_posts
    assert crisis.notices == ("crisis_resources",)
    # the same post by an established member, or an edit of a published post, is not held for trust
    assert not decide(run_filters("Hello everyone, newly diagnosed with lupus."), situation=PENDING).hold
    assert not decide(run_filters("Hello everyone, newly diagnosed with lupus."), trust=NEW).hold


def test_spam_in_a_new_accounts_first_post_is_rejected_never_with_crisis():
    spam = ("Cure your diabetes in 30 days!!! Buy now at https://cheap-cure.example.biz discount code HEAL50, "
            "WhatsApp me +44 7700 900555")
    first = decide(run_filters(spam), trust=NEW, situation=PENDING)
    assert first.reject and not first.hold
    assert not decide(run_filters(spam), trust=Trust(approved_posts=0, is_new=False), situation=PENDING).reject
    assert not decide(run_filters(spam + " I want to die."), trust=NEW, situation=PENDING).reject


def test_identifiers_in_the_body_and_the_title_are_kept_apart():
    outcome = decide(run_filters("Call me on 07700 900123 please"), run_filters("Mary Johnson here, MS since 2019"))
    assert outcome.body_phi and all(s.end <= len("Call me on 07700 900123 please") for s in outcome.body_phi)
    assert outcome.redacted and outcome.notices[-1] == "redacted"


def test_rules_hold_notice_escalate_and_flag_and_suppressed_notices_stay_off():
    hits = [RuleHit(1, "notice", "Be kind", "r1"), RuleHit(2, "require_approval", "", "r2"),
            RuleHit(3, "escalate", "", "r3"), RuleHit(4, "flag", "", "r4")]
    outcome = decide(run_filters("I stopped my metformin and just use cinnamon now."), rules=hits)
    assert outcome.notices == ("consult_reminder", "rule:1")
    assert outcome.hold and "r2" in outcome.hold_reasons
    assert outcome.escalate_reasons == ("r3",) and outcome.flag_reasons == ("r4",)
    quiet = decide(run_filters("I stopped my metformin and just use cinnamon now."), rules=hits,
                   suppressed=frozenset({"consult_reminder", "rule:1"}))
    assert quiet.notices == ()
    assert in_words(decide(None, rules=[RuleHit(5, "block", "", "r5")])) == "refused at submit (block rule)"


def test_unfinished_rules_and_waiting_threads_hold_with_their_reason():
    assert UNFINISHED in decide(None, unfinished=True).hold_reasons
    reply = decide(run_filters("Thanks, that helps."), situation=Situation(pending=True, waiting_thread=True))
    assert reply.hold and WAITING_THREAD in reply.hold_reasons


def test_the_composer_and_the_worker_decide_crisis_and_identifiers_alike():
    for text in ("I want to die. That's it.", "My MRN is 12345678, call 07700 900123", "Lovely weather today"):
        quick, full = decide(quick_check(text)), decide(run_filters(text))
        assert quick.crisis == full.crisis and quick.body_phi == full.body_phi, text
