"""Watched-word rules per community and global (MODERATION.md §3.2).

Word, phrase and wildcard rules become escaped patterns with word boundaries checked in the
pattern; regex rules are validated (compile, length cap, a rule count cap, no repeat inside a
repeat, no pattern that cannot finish on long text) and every rule runs with the `regex` module's
time budget: one rule at most RULE_TIMEOUT, and all of a post's rules together at most
RULES_BUDGET, however many there are. Rules not finished in time are reported (`timed_out`),
and the pipeline holds such a post for a moderator (UNFINISHED)."""
import csv
import io
import time
from functools import lru_cache
from re import _constants as sre
from re import _parser

import regex
import sqlalchemy as sa

from ..errors import Forbidden, NotFound, ValidationFailed
from ..extensions import db
from ..forums.models import Community
from ..models_base import utcnow
from . import decide, log
from .models import RULE_ACTIONS, RULE_MATCH_TYPES, Rule

PATTERN_MAX = 300
MESSAGE_MAX = 300
RULES_MAX = 500            # per community (and for the global list); Discourse caps at 2,000
RULE_TIMEOUT = 0.05        # seconds per rule per text
RULES_BUDGET = 0.2         # seconds for all the rules on one post together (its body and title)
ACTION_NAMES = {
    "block": "Block: refuse the post, telling the author why",
    "censor": "Censor: replace the words with ***",
    "require_approval": "Require approval: hold the post for a moderator",
    "flag": "Flag: publish, and put it in the review queue",
    "notice": "Attach a notice under the post",
    "escalate": "Escalate: top of the queue, moderators alerted",
}
_PROBES = ("a" * 40 + "!", "aa " * 40 + "!", "a1-" * 40 + "\n", ("word " * 400) + "!")
CSV_FIELDS = ("match_type", "pattern", "action", "mode", "case_sensitive", "message", "enabled")


def _source(match_type, pattern):
    if match_type == "regex":
        return pattern
    if match_type == "wildcard":
        # * is any run of word characters, ? one: "diet*" matches "diets", "dietitian".
        body = "".join(r"\w*" if ch == "*" else r"\w" if ch == "?" else regex.escape(ch) for ch in pattern)
    else:
        # Words of a phrase may be separated by any whitespace.
        body = r"\s+".join(regex.escape(word) for word in pattern.split())
    return rf"(?<!\w){body}(?!\w)"


@lru_cache(maxsize=4096)
def compiled(match_type, pattern, case_sensitive):
    flags = regex.V0 | (0 if case_sensitive else regex.IGNORECASE)
    return regex.compile(_source(match_type, pattern), flags)


_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT)


def _nested_repeat(items, outer=None):
    """Whether a parsed pattern repeats a repeat in a way that can backtrack exponentially or as a
    high power of the text's length: any repeat inside an unbounded one ("(x+x+)+y"), or an
    unbounded one inside one of more than three ("(.*a){20}"). "(?:\\w+\\s+){0,3}" is allowed.
    `outer` is the largest count of the repeats around `items` that make nesting risky."""
    for op, av in items:
        if op in _REPEATS or op is sre.POSSESSIVE_REPEAT:
            _, high, sub = av
            if outer is not None and high > 1 and (outer == sre.MAXREPEAT or high == sre.MAXREPEAT):
                return True
            # (a possessive repeat gives nothing back, so it is no risk around others)
            risky = op in _REPEATS and (high == sre.MAXREPEAT or high > 3)
            inner = max(outer or 0, high) if risky else outer
            if _nested_repeat(sub, inner):
                return True
        elif op is sre.SUBPATTERN and _nested_repeat(av[3], outer):
            return True
        elif op is sre.BRANCH and any(_nested_repeat(branch, outer) for branch in av[1]):
            return True
        elif op is sre.ATOMIC_GROUP and _nested_repeat(av, outer):
            return True
        elif op in (sre.ASSERT, sre.ASSERT_NOT) and _nested_repeat(av[1], outer):
            return True
    return False


def nested_repeat(pattern):
    """`_nested_repeat` of a regex rule's pattern; False for a pattern Python's `re` cannot parse
    (written for the `regex` module only): then the probes in `validate` and the time budgets
    are what stop it."""
    try:
        return _nested_repeat(_parser.parse(pattern))
    except Exception:  # noqa: BLE001 (any parse failure: `re` does not know this syntax)
        return False


def validate(data):
    """Clean fields from a form, the API or a CSV row; ValidationFailed with per-field messages."""
    fields = {}
    match_type = (data.get("match_type") or "word").strip().lower()
    pattern = (data.get("pattern") or "").strip()
    action = (data.get("action") or "").strip().lower()
    mode = (data.get("mode") or "enforce").strip().lower()
    message = (data.get("message") or "").strip()
    if match_type not in RULE_MATCH_TYPES:
        fields["match_type"] = "Choose word, phrase, wildcard or regex."
    if not pattern:
        fields["pattern"] = "Give the word, phrase or pattern to watch for."
    elif len(pattern) > PATTERN_MAX:
        fields["pattern"] = f"Patterns can be at most {PATTERN_MAX} characters."
    elif match_type == "word" and len(pattern.split()) > 1:
        fields["pattern"] = "A word rule is one word; use a phrase rule for several."
    elif match_type in RULE_MATCH_TYPES:
        try:
            rx = compiled(match_type, pattern, False)
        except regex.error as exc:
            fields["pattern"] = f"This regular expression does not compile: {exc}."
        else:
            try:
                if match_type == "regex" and nested_repeat(pattern):
                    fields["pattern"] = ("This pattern repeats a repeat, like (a+)+ or (.*a){20}, which can take "
                                         "far too long on a long post; write it without a repeat inside a repeat.")
                elif rx.search("", timeout=RULE_TIMEOUT):
                    fields["pattern"] = "This pattern matches empty text, so it would match every post."
                else:
                    # Texts that make backtracking patterns blow up: refuse a pattern that cannot finish.
                    for probe in _PROBES:
                        rx.search(probe, timeout=RULE_TIMEOUT)
            except TimeoutError:
                fields["pattern"] = "This pattern is too slow to run on long posts; simplify it."
    if action not in RULE_ACTIONS:
        fields["action"] = "Choose one of: " + ", ".join(RULE_ACTIONS) + "."
    if mode not in ("enforce", "shadow"):
        fields["mode"] = "Choose enforce or shadow."
    if len(message) > MESSAGE_MAX:
        fields["message"] = f"At most {MESSAGE_MAX} characters."
    elif action == "notice" and not message:
        fields["message"] = "A notice rule needs the notice's text."
    if fields:
        raise ValidationFailed("Please correct the highlighted fields.", fields)
    # Forms send "1"/"on", CSV files "True"/"False" (as exported) or "true"/"yes".
    case = str(data.get("case_sensitive", "")).strip().lower()
    enabled = str(data.get("enabled", "")).strip().lower()
    return {"match_type": match_type, "pattern": pattern, "action": action, "mode": mode, "message": message,
            "case_sensitive": case in ("1", "true", "yes", "on"),
            "enabled": enabled not in ("0", "false", "no", "off")}


def _can_edit(viewer, community_id):
    if community_id is None:
        if not viewer.is_admin:
            raise Forbidden("Site-wide rules are for admins.")
    elif not viewer.is_moderator(community_id):
        raise Forbidden("Only this community's moderators and the admins edit its rules.")


def community_for(viewer, slug):
    """The community whose rules this viewer may read and edit (None: the global list, admins)."""
    if slug in (None, "", "global"):
        _can_edit(viewer, None)
        return None
    community = db.session.scalar(sa.select(Community).where(Community.slug == slug))
    if community is None:
        raise NotFound("No such community.")
    _can_edit(viewer, community.id)
    return community


def list_rules(viewer, community_id):
    _can_edit(viewer, community_id)
    return db.session.scalars(sa.select(Rule).where(Rule.community_id.is_(community_id) if community_id is None
                                                    else Rule.community_id == community_id)
                              .order_by(Rule.id)).all()


def _count(community_id):
    where = Rule.community_id.is_(None) if community_id is None else Rule.community_id == community_id
    return db.session.scalar(sa.select(sa.func.count(Rule.id)).where(where))


def create(viewer, community_id, data, commit=True):
    _can_edit(viewer, community_id)
    clean = validate(data)
    if _count(community_id) >= RULES_MAX:
        raise ValidationFailed(f"A community can have at most {RULES_MAX} rules.", {"pattern": "Too many rules."})
    rule = Rule(community_id=community_id, created_by=viewer.user_id, **clean)
    db.session.add(rule)
    db.session.flush()
    log.record(viewer.user_id, "rule.create", "rule", rule.id, community_id,
               f"{clean['action']} on {clean['match_type']} “{clean['pattern']}” ({clean['mode']})")
    if commit:
        db.session.commit()
    return rule


def rule_for(viewer, rule_id):
    rule = db.session.get(Rule, rule_id)
    if rule is None:
        raise NotFound("No such rule.")
    try:
        _can_edit(viewer, rule.community_id)
    except Forbidden:
        raise NotFound("No such rule.") from None
    return rule


def update(viewer, rule_id, data):
    rule = rule_for(viewer, rule_id)
    clean = validate(data)
    for key, value in clean.items():
        setattr(rule, key, value)
    log.record(viewer.user_id, "rule.update", "rule", rule.id, rule.community_id,
               f"{clean['action']} on {clean['match_type']} “{clean['pattern']}” ({clean['mode']}"
               f"{'' if clean['enabled'] else ', disabled'})")
    db.session.commit()
    return rule


def delete(viewer, rule_id):
    rule = rule_for(viewer, rule_id)
    log.record(viewer.user_id, "rule.delete", "rule", rule.id, rule.community_id,
               f"{rule.action} on {rule.match_type} “{rule.pattern}”")
    db.session.delete(rule)
    db.session.commit()


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection): the
# export writes such a cell with a leading apostrophe, which the import takes off again.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value):
    value = str(value)
    return "'" + value if value.startswith(FORMULA_START) else value


def _csv_text(value):
    value = value or ""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_START) else value


def export_csv(viewer, community_id):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS)
    writer.writeheader()
    for rule in list_rules(viewer, community_id):
        writer.writerow({f: _csv_cell(getattr(rule, f)) for f in CSV_FIELDS})
    return out.getvalue()


def import_csv(viewer, community_id, text):
    """All rows or none: a bad row is reported by its line number and nothing is saved. A row equal
    to a rule already there (match, pattern, action, mode) is skipped, so re-importing an export
    changes nothing. Returns (imported, skipped)."""
    _can_edit(viewer, community_id)
    if not (text or "").strip():
        raise ValidationFailed("Choose a CSV file to import.", {"file": "Choose a CSV file to import."})
    if "\x00" in text:
        raise ValidationFailed("The file holds a NUL character, so it is not a text CSV.",
                               {"file": "This file holds a NUL character: export it again as CSV text."})
    reader = csv.DictReader(io.StringIO(text or ""))
    if not reader.fieldnames or not {"pattern", "action"} <= set(reader.fieldnames):
        raise ValidationFailed("The CSV needs a header row with at least pattern and action.",
                               {"file": "Missing the header row (match_type, pattern, action, mode, …)."})
    rows = []
    for line, row in enumerate(reader, start=2):
        try:
            rows.append(validate({k: _csv_text(v) if isinstance(v, str) else v for k, v in row.items()}))
        except ValidationFailed as exc:
            problems = "; ".join(f"{k}: {v}" for k, v in exc.fields.items())
            raise ValidationFailed(f"Line {line}: {problems}", {"file": f"Line {line}: {problems}"}) from None
    def identity(r):
        return (r["match_type"], r["pattern"], r["action"], r["mode"]) if isinstance(r, dict) else (
            r.match_type, r.pattern, r.action, r.mode)

    have = {identity(r) for r in list_rules(viewer, community_id)}
    new = []
    for clean in rows:
        if identity(clean) not in have:
            have.add(identity(clean))
            new.append(clean)
    if _count(community_id) + len(new) > RULES_MAX:
        raise ValidationFailed(f"At most {RULES_MAX} rules.", {"file": "Too many rules."})
    for clean in new:
        db.session.add(Rule(community_id=community_id, created_by=viewer.user_id, **clean))
    log.record(viewer.user_id, "rule.import", "community", community_id, community_id,
               f"{len(new)} rules from CSV ({len(rows) - len(new)} already there)")
    db.session.commit()
    return len(new), len(rows) - len(new)


# ---------------------------------------------------------------- matching

def rules_for(community_id):
    """Enabled rules that apply in a community: its own, then the global ones."""
    return db.session.scalars(
        sa.select(Rule).where(Rule.enabled, sa.or_(Rule.community_id == community_id, Rule.community_id.is_(None)))
        .order_by(Rule.community_id.is_(None), Rule.id)).all()


def deadline():
    """When a post's rules must be done: the calls of `matches` for one post share it."""
    return time.monotonic() + RULES_BUDGET


def matches(rules, text, timed_out=None, until=None):
    """[(rule, [(start, end), ...])] for the rules that match `text`. A rule over its time budget
    (RULE_TIMEOUT), or not finished by `until` (a `deadline()`; by default RULES_BUDGET from now),
    is skipped, so neither one bad pattern nor many rules can stall the pipeline; `timed_out` (a
    list) collects the rules skipped so, tried or not."""
    until = deadline() if until is None else until
    found = []
    for rule in rules:
        try:
            left = min(RULE_TIMEOUT, until - time.monotonic())
            if left <= 0:
                raise TimeoutError
            rx = compiled(rule.match_type, rule.pattern, rule.case_sensitive)
            spans = [m.span() for m in rx.finditer(text, timeout=left)]
        except (regex.error, TimeoutError):
            if timed_out is not None:
                timed_out.append(rule)
            continue
        if spans:
            found.append((rule, spans))
    return found


def blocking(community_id, text):
    """The first enforced block rule the text trips (the composer refuses it), or None. A block
    rule not finished in time refuses nothing here: the worker then holds the post (UNFINISHED)."""
    rules = [r for r in rules_for(community_id) if r.action == "block" and r.mode == "enforce"]
    hit = matches(rules, text)
    return hit[0][0] if hit else None


def block_message(rule, text=""):
    """What the author is told: the rule's own message, else the words that matched in `text` (the
    matched text, never a regex rule's pattern, which would mean nothing to them)."""
    if rule.message:
        return rule.message
    found = matches([rule], text) if text else []
    if not found:
        return "This community does not allow one of the words in your post. Edit it and try again."
    start, end = found[0][1][0]
    words = " ".join(text[start:end].split())
    if len(words) > 60:
        words = words[:59] + "…"
    return f"Your post wasn't posted: it contains “{words}”, which this community does not allow. Edit it and try again."


def censor(text, hits):
    spans = sorted(s for rule, spans in hits if rule.action == "censor" and rule.mode == "enforce" for s in spans)
    out, at = [], 0
    for start, end in spans:
        if start < at:
            continue
        word = text[start:end]
        out += [text[at:start], word[:1] + "***"]
        at = end
    return "".join(out) + text[at:]


def note_hits(hits):
    now = utcnow()
    for rule, _ in hits:
        rule.hit_count = Rule.hit_count + 1
        rule.last_hit_at = now


def reason(rule):
    what = {"word": "word", "phrase": "phrase", "wildcard": "wildcard", "regex": "pattern"}[rule.match_type]
    scope = "site-wide rule" if rule.community_id is None else "community rule"
    scope += f" #{rule.id}" if rule.id else " (unsaved)"
    return f"{scope}: {what} “{rule.pattern}” → {rule.action}" + (f" ({rule.message})" if rule.message else "")


def test(viewer, community_id, text, extra=None):
    """The test box: what `text` would trigger here and why, filters and rules, shadow rules included.
    `extra` is an unsaved rule (fields as for `create`) to try before saving it."""
    from ..forums.models import Community as C
    from . import pipeline

    _can_edit(viewer, community_id)
    text = (text or "")[:20000]
    if not text.strip():
        raise ValidationFailed("Paste some text to test.", {"text": "Paste some text to test."})
    rules = rules_for(community_id) if community_id else db.session.scalars(
        sa.select(Rule).where(Rule.community_id.is_(None), Rule.enabled)).all()
    if extra:
        rules = list(rules) + [Rule(id=0, community_id=community_id, **validate(extra))]
    community = db.session.get(C, community_id) if community_id else None
    decision = pipeline.judge_text(text, community)
    slow = []
    hits = matches(rules, text, slow)
    result = {
        "labels": list(decision.labels) if decision else [],
        "filters": [{"filter": v.filter, "labels": list(v.labels), "actions": sorted(v.actions),
                     "reasons": list(v.reasons), "spans": [[s.start, s.end, s.kind] for s in v.spans]}
                    for v in (decision.verdicts if decision else ()) if v.labels or v.actions],
        "rules": [{"id": rule.id or None, "action": rule.action, "mode": rule.mode, "reason": reason(rule),
                   "spans": [list(s) for s in spans]} for rule, spans in hits],
        "skipped": [{"id": rule.id or None, "reason": reason(rule) + " — too slow on this text, skipped"}
                    for rule in slow],
    }
    outcome = decide.decide(decision, None, pipeline.rule_hits(hits),
                            unfinished=any(rule.mode == "enforce" for rule in slow))
    result["outcome"] = decide.in_words(outcome)
    return result
