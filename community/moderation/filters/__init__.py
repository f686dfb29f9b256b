"""Pure moderation filters: text in, verdicts out (MODERATION.md §3).

No database, Flask or network here; patterns are compiled at import and the drug dictionary
and name lists are loaded once, on first use (`warm()` loads them up front, e.g. in a
worker's process init). `run_filters` runs all five filters and merges them;
`quick_check` runs only crisis and phi, for the composer's synchronous check.
"""
from . import abuse, consult_reminder, crisis, phi, spam
from .base import Decision, FilterVerdict, Span
from .normalize import Text

__all__ = ["CONSULT_NOTICE", "Decision", "FilterVerdict", "LABELS", "Span",
           "censor", "quick_check", "redact", "run_filters", "warm"]

CONSULT_NOTICE = "Talk with your clinician before changing any medication or lifestyle habit"
LABELS = ("consult_reminder", "phi", "crisis", "spam", "abuse")
DEFAULT_REGIONS = ("US", "GB", "CA", "AU", "IE", "NZ")
PHI_KINDS = frozenset({"phone", "email", "address", "id_number", "dob", "name"})
_CONTACT_KINDS = frozenset({"phone", "email"})


def _merge(verdicts):
    by_name = {v.filter: v for v in verdicts}
    spam_verdict, phi_verdict = by_name.get("spam"), by_name.get("phi")
    if spam_verdict and spam_verdict.labels and phi_verdict and phi_verdict.labels:
        if all(s.kind in _CONTACT_KINDS for s in phi_verdict.spans):
            # Contact details inside spam belong to the spam verdict, not to phi.
            dropped = FilterVerdict("phi", (), (), phi_verdict.spans,
                                    ("contact details inside spam (left to the spam verdict)",))
            verdicts = tuple(dropped if v is phi_verdict else v for v in verdicts)
    found = {label for v in verdicts for label in v.labels}
    labels = tuple(label for label in LABELS if label in found)
    actions = {a for v in verdicts for a in v.actions}
    if "crisis" in labels:
        actions.discard("reject_if_new")   # a person in crisis is never turned away
    return Decision(labels, frozenset(actions), tuple(verdicts))


def run_filters(text, *, regions=DEFAULT_REGIONS):
    """All five filters over one post, merged: union of labels and actions."""
    doc = Text(text or "")
    return _merge((crisis.check(doc), spam.check(doc), phi.check(doc, regions), abuse.check(doc),
                   consult_reminder.check(doc)))


def quick_check(text, *, regions=DEFAULT_REGIONS):
    """Crisis and identifiers only: what the composer checks synchronously on submit."""
    doc = Text(text or "")
    return _merge((crisis.check(doc), phi.check(doc, regions)))


def _merged(spans, kinds):
    out = []
    for s in sorted((s for s in spans if s.kind in kinds), key=lambda s: (s.start, s.end)):
        if out and s.start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], s.end)
        else:
            out.append([s.start, s.end])
    return out


def redact(text, spans):
    """The text with every identifier span replaced by "[removed]" (overlaps merged)."""
    parts, last = [], 0
    for start, end in _merged(spans, PHI_KINDS):
        parts += [text[last:start], "[removed]"]
        last = end
    return "".join(parts) + text[last:]


def censor(text, spans):
    """The text with each profanity span replaced by its first letter and "***"."""
    parts, last = [], 0
    for start, end in _merged(spans, {"profanity"}):
        word = text[start:end]
        first = next((ch for ch in word if ch.isalpha()), word[:1])
        parts += [text[last:start], first + "***"]
        last = end
    return "".join(parts) + text[last:]


def warm():
    """Build now what is otherwise built on first use: the drug dictionary, the name lists and
    the rules' keyword automaton (call it in a worker's process init)."""
    from . import drugs, scan

    drugs.names()
    drugs._first_words()
    phi._word_lists()
    scan._keys_automaton()
