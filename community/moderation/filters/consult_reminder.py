"""consult_reminder: advice to change a treatment, or a self-directed change (MODERATION.md §3.3).

Decision per clause, OR-ed over the post: a treatment mention (drug dictionary, generic
treatment nouns, remedy and diet lexicon) + a change event in the same clause, then the
decision table: advice to others and self-directed changes count; clinician-directed or
imposed changes, questions to one's own clinician, negated and cautionary stories do not.
"""
import bisect
import re

from . import drugs
from .normalize import CAUTION, CONDITION, actors, compile_imperative, modality, own_initiative
from . import lexicon
from .base import FilterVerdict, Span
from .scan import RuleSet, alternatives, gate, matches_at, split_group

NAME = "consult_reminder"
EMPTY = FilterVerdict(NAME, (), (), (), ())

LEXICON = lexicon.load("consult_reminder")
_TREATMENT_NOUNS = LEXICON.defines["TREATMENT_NOUNS"]
_REMEDIES = LEXICON.defines["REMEDIES"]
_QUANTITY = LEXICON.defines["QUANTITY"]
_CHANGE_FAMILIES = [(family, LEXICON.one(f"CHANGE_FAMILIES {family}")) for family in ('stop', 'reduce', 'increase', 'switch', 'borrow', 'compare', 'claim', 'adopt', 'quantity')]
_IMPERATIVE_VERBS = LEXICON.defines["IMPERATIVE_VERBS"]
_HIGH_RISK = re.compile(LEXICON.defines["HIGH_RISK"])
_TREATMENT_ES = re.compile(LEXICON.defines["TREATMENT_ES"])
_CHANGE_ES = re.compile(LEXICON.defines["CHANGE_ES"])
_CLINICIAN_ES = re.compile(LEXICON.defines["CLINICIAN_ES"])
_DENIED_ES = re.compile(LEXICON.defines["DENIED_ES"])
_ADVICE_ES = re.compile(LEXICON.defines["ADVICE_ES"])
_TREATMENTS = RuleSet([("drug", alt) for alt in split_group(r"\b(?:" + _TREATMENT_NOUNS + r")\b")] +
                      [("remedy", alt) for alt in split_group(r"\b(?:" + _REMEDIES + r")\b")] +
                      [("remedy", alt) for part in alternatives(_QUANTITY) for alt in split_group(part)])

# Change events. Group names say which family matched; "adopt" and "claim" count only for
# remedies and diets (starting a prescription drug is normally the prescriber's doing).
# each alternative on its own, so only the few that start with a digit are searched everywhere
_REMEDY_ONLY = ("adopt", "claim", "quantity")
_CHANGE = RuleSet([(family, alt) for family, pattern in _CHANGE_FAMILIES if family not in _REMEDY_ONLY
                   for alt in split_group(pattern)])
# "try", "go", "take", "do" count only for remedies and diets: searched near those alone
_ADOPT = RuleSet([(family, alt) for family, pattern in _CHANGE_FAMILIES if family in _REMEDY_ONLY
                  for alt in split_group(pattern)])
_ADOPT_SELF = re.compile(r"(?:start(?:ed|ing)?|add(?:ed|ing)?|switched\s+to|tried|trying|went|gone|"
                         r"juic(?:e|ed|ing)|swear\s+by|recommend|look\s+into|worth)\b")
_PRONOUN_OBJECT = re.compile(
    r"(?:\s+(?:to|with|on|off|of|up|out|taking|using|stay|staying|be|being|keep|keeping|bother))*"
    r"\s*(?:(?:it|them|mine|yours|his|hers|theirs|this|that|these|those|one)\b|(?:my|your|ur)\s+(?:dose|one)\b)")
_NEGATED_CHANGE = re.compile(
    r"\b(?:never|not|don'?t|do\s+not|didn'?t|did\s+not|won'?t|wouldn'?t|would\s+not|shouldn'?t|"
    r"can'?t|cannot|no\s+intention\s+of|not\s+planning\s+to|refuse\s+to)\s+(?:\w+\s+){0,3}?$")
_IMPOSED = re.compile(
    r"\b(?:pharmacy|pharmacist|chemist|insurance|insurer|insurance\s+company|formulary|nhs|medicare|"
    r"medicaid|plan|supplier|manufacturer|shortage|recall)\b(?:\s+\w+){0,3}?\s+"
    r"(?:switched|swapped|changed|substituted|forced|made|stopped|denied|replaced|won'?t|wouldn'?t|"
    r"refused|dropped|ran\s+out)|\b(?:forced|made)\s+(?:me|us)\s+(?:to\s+)?switch|\bshortage\b|\bout\s+of\s+stock\b")
_REPORTED = re.compile(r"\b(?:study|studies|trial|trials|research|paper|data|evidence|article|review|meta-analysis)\s+"
                       r"(?:\w+\s+){0,2}?(?:showed|shows|found|finds|suggests?|says|reports?)\b")
_QUOTED = re.compile(r"\"[^\"]{2,200}\"|(?<![a-z])'[^']{2,120}'(?![a-z])|\u201c[^\u201d]{2,200}\u201d")
_UNFAVOURABLE = re.compile(
    r"\b(?:didn'?t|did\s+not|doesn'?t|does\s+not|never)\s+(?:help|work|do\s+(?:anything|much|a\s+thing))|\bno\s+difference\b|"
    r"\bmade\s+(?:it|me|things|everything)\s+worse\b|\bwaste\s+of\s+(?:time|money)\b|\bdid\s+nothing\b")
_ABANDONED = re.compile(r"\b(?:was|were)\s+(?:going|gonna|about|planning|thinking|tempted|considering)\b|\b(?:almost|nearly)\s+$")
_CONTRAST = re.compile(r"\b(?:but|however|anyway|although|though|even\s+though|still)\b")

_IMPERATIVE = compile_imperative(_IMPERATIVE_VERBS)
_IMPERATIVE_INSIDE = re.compile(r"\b(?:just|simply|then)\s+(?:" + _IMPERATIVE_VERBS + r")\b")
_OTHER_SUBJECT = re.compile(
    r"^\s*(?:\w+\s+){0,2}?(?:(?:my|our|his|her)\s+)?(?:mum|mom|mother|dad|father|husband|wife|partner|sister|"
    r"brother|son|daughter|friend|aunt|uncle|gran|grandma|grandad|grandpa|cousin|neighbou?r|"
    r"boyfriend|girlfriend|kid|child|colleague)|^\s*(?:he|she|they)\b")

# High-risk advice (§3.3 "dangerous-advice" lexicon): the reason says so for moderators.


_MODEL_ADVICE = re.compile(
    r"\bdo\s+the\s+same\b|\btell\s+(?:your|ur)\s+\w+\s+to\b|\b(?:you|u)\s+(?:should|could|can)\s+(?:too|as\s+well)\b"
    r"|\bso\s+should\s+(?:you|u)\b")
_SELF_SUBJECT = re.compile(r"\b(?:i|i'?m|i'?ve|i'?d|we|we'?re|we'?ve)\b")
_WE = re.compile(r"\bwe(?:'re|'ve|\s+are|\s+have|\s+will)?\b")
# "A promotion that claims a product helps a condition" (MODERATION.md): a claim about a
# condition in a post that sells.
_COMMERCE = RuleSet([("commerce", alt) for alt in split_group(
    r"\b(?:code\s+[a-z0-9]+|\d+\s*%\s*off|order|buy|shop|link\s+(?:in|below)|ebook|dm\s+me|sign\s+up|"
    r"get\s+yours|paypal|whatsapp|telegram|contact\s+(?:him|her|them|us|me)|price|discount|masterclass|shipping|"
    r"free\s+sample|book\s+(?:your|a|now)|our\s+(?:clinic|product|supplement|formula|program|programme|course|tea|shop))\b")] +
                    [("commerce", r"[$£€]\s?\d")])
_PROMO_CLAIM = RuleSet([("claim", alt) for alt in alternatives(
    r"\b(?:great|amazing|perfect|must|answer)\s+for\s+(?:\w+\s+){0,2}?(?:" + CONDITION + r")\b"
    r"|\b(?:cures?|cured|reverses?|reversed|heals?|healed|treats?|fix(?:es|ed)?|eliminates?|"
    r"say\s+goodbye\s+to|get\s+rid\s+of|changed\s+my\s+life|helps?\s+with)\s+(?:\w+\s+){0,3}?(?:" + CONDITION + r")\b"
    r"|\b(?:reverse|beat|heal|cure|fix)\w*\s+(?:\w+\s+){0,3}?(?:naturally|for\s+good|forever|in\s+\d+\s+days)\b"
    r"|\b(?:cured|healed)\s+(?:of|my|me)\b|\blose\s+\d+\s*(?:pounds|lbs|kg|kilos|stone)\b"
    r"|\banti[\s-]?inflammatory\b|\bimmune[\s-]?boost\w*|\bhormone[\s-]?balanc\w*|\bblood[\s-]sugar\s+(?:support|balance|control)\b"
    r"|\b(?:treatment|therapy|cure|remedy|relief|solution|supplements?|teas?|pills|gummies|oils?|formula|blend|protocol)"
    r"\s+for\s+(?:\w+\s+){0,2}?(?:" + CONDITION + r")\b")])


# (run on a clause or a sentence, which mostly holds none of the literals these need)
(_IMPOSED, _REPORTED, _UNFAVOURABLE, _ABANDONED, _CONTRAST, _IMPERATIVE_INSIDE, _HIGH_RISK, _MODEL_ADVICE) = map(
    gate, (_IMPOSED, _REPORTED, _UNFAVOURABLE, _ABANDONED, _CONTRAST, _IMPERATIVE_INSIDE, _HIGH_RISK, _MODEL_ADVICE))


def _model_advice(low):
    return _MODEL_ADVICE.search(low) is not None


def _quote_marks(low):
    """Where a `_QUOTED` match can start: each of its branches opens with a quote mark (`re`
    would try every character, as one branch starts with a lookbehind)."""
    found = []
    for mark in "\"'\u201c":
        i = low.find(mark)
        while i >= 0:
            found.append(i)
            i = low.find(mark, i + 1)
    return sorted(found)


def _in(spans, start, end):
    """The spans (sorted) inside [start, end]: found by bisection, as one is asked for each
    change word (a scan of all of them made k changes and k treatments cost O(k^2))."""
    lo, hi = bisect.bisect_left(spans, (start,)), bisect.bisect_left(spans, (end + 1,))
    return [t for t in spans[lo:hi] if t[1] <= end]


def _inside(ranges, pos):
    """Whether pos is in one of `ranges` (sorted, disjoint [a, b) pairs)."""
    k = bisect.bisect_right(ranges, (pos, float("inf"))) - 1
    return k >= 0 and ranges[k][0] <= pos < ranges[k][1]


def _antecedents(doc, pos, tx_all):
    """Treatments named earlier in the sentence or in the two sentences before it."""
    s_start, _ = doc.sentence_at(pos)
    return _in(tx_all, s_start - len(doc.previous_sentences(pos)), pos)


def _candidate_ranges(doc, tx_all):
    """Sentences holding a treatment, and the two after each (for "stopped it" and the like):
    [start, end] ranges, in order, each yielded once it is complete."""
    current = None
    s_start = own_end = 0
    for start, _, _, _ in tx_all:
        if s_start <= start < own_end:
            continue        # (sorted) in the sentence of the one before: its range is there already
        s_start, own_end, s_end = doc.sentences_from(start, 2)
        if current and s_start <= current[1]:
            current[1] = max(current[1], s_end)
        else:
            if current:
                yield current
            current = [s_start, s_end]
    if current:
        yield current


def _is_advice(clause, mods, who):
    if "advice" in mods or _IMPERATIVE.match(clause):
        return True
    return _IMPERATIVE_INSIDE.search(clause) is not None and ("self" not in who or "reader" in who)


def _other_subject(clause, rel):
    """A relative (not the writer) is the subject of the change at `rel` in the clause."""
    m = _OTHER_SUBJECT.match(clause)
    return m is not None and not _SELF_SUBJECT.search(clause, m.end(), rel)


_NEAR = 7


def _words_between(low, m, t):
    a, b = (m[1], t[0]) if m[1] <= t[0] else (t[1], m[0])
    return low.count(" ", a, b) if a < b else 0


def _memo(doc, feature, text):
    """A clause feature, computed once per post (several change words may share a clause)."""
    cache = doc.__dict__.setdefault("_features", {})
    key = (feature, text)
    if key not in cache:
        cache[key] = feature(text)
    return cache[key]


def _decide(doc, clause, cs, m, family, kinds):
    """m is (start, end, matched text) of the change event."""
    """'advice', 'self', 'question' or 'other' (a relative's change) when it counts, else None."""
    mods = _memo(doc, modality, clause)
    who = _memo(doc, actors, clause)
    head = clause[:m[0] - cs]
    negated = (_NEGATED_CHANGE.search(head) is not None
               and not m[2].startswith(("don", "do ", "never", "not ", "no ")))
    other = _other_subject(clause, m[0] - cs)
    if _is_advice(clause, mods, who) and not other:
        if negated or "cautionary" in mods:
            return None            # "please don't stop your seizure meds"
        if "clinician" in who and "reader" not in who:
            return None            # "my rheum said to just stop the pred"
        return "advice"
    sentence = doc.sentence(cs)
    if "clinician" in who and not own_initiative(clause):
        return None
    if "clinician" in _memo(doc, actors, sentence) and not own_initiative(clause) and not _CONTRAST.search(sentence):
        return None
    if _IMPOSED.search(sentence) or _REPORTED.search(clause) or negated:
        return None
    if mods & {"ask_clinician", "hypothetical", "cautionary"}:
        return None
    question = "question" in mods
    _, s_end = doc.sentence_at(cs)
    following = doc.sentence(s_end + 1) if s_end < len(doc.low) else ""
    if not question and "intent" not in mods and (CAUTION.search(sentence) or CAUTION.search(following)):
        return None
    if _WE.search(head) and "clinician" in actors(doc.previous_sentences(cs, 1) + sentence):
        return None                # "we're switching to Ocrevus" after a visit to the neurologist
    if other and not question:
        return "other"
    if family in _REMEDY_ONLY and "remedy" not in kinds:
        return None
    if _ABANDONED.search(head) or (family in ("adopt", "claim") and _UNFAVOURABLE.search(sentence)):
        return None                # "I was going to stop it but...", "tried yoga, didn't help"
    if family == "claim" and "self" not in who:
        return None                # "the study showed berberine lowered A1c": a report, not a change
    if family == "adopt" and not _ADOPT_SELF.match(m[2]) and not question:
        return None                # "I take magnesium every morning": a routine, not a change
    return "question" if question else "self"


_WHAT = {"advice": "advice to others to change", "self": "self-directed change of",
         "question": "question about changing on one's own", "other": "a relative's change offered as a model:"}


def _blank(text, spans):
    """The text with the (sorted, disjoint) spans made spaces, in one pass."""
    parts, last = [], 0
    for a, b in spans:
        parts += [text[last:a], " " * (b - a)]
        last = b
    return "".join(parts) + text[last:]


# A long post's first range (see `_candidate_ranges`) is first read from the drug names in its
# first characters alone, when no later treatment can join it: its first change near a
# treatment usually decides, and finding every drug name in a long post costs more.
_HEAD = 1000


_ES_HINT = re.compile(r"[áéíóúñ¿¡]|\b(?:que|el|la|los|las|mi|por|con|para|ya|tengo|estoy|me|se|lo|dej\w+)\b")
# Treatments named in Spanish (drug names are the dictionary's, in any language).


# Spanish: a change made or urged by the author (the English clause rules above do not read Spanish),
# in a sentence that names a treatment, unless a clinician made or approved it or it is denied.


def _spanish(doc):
    low = doc.low
    if not _TREATMENT_ES.search(low) and not (doc.index().words & drugs.names()):
        return None
    for m in _CHANGE_ES.finditer(low):
        s_start, s_end = doc.sentence_at(m.start())
        sentence = low[s_start:s_end]
        # the treatment close by: after the change, or just before it ("la dejé", "el Eliquis por")
        # (dejar's object follows it: "dejé el omeprazol", not "mi hija tiene que dejar el trabajo")
        before = 0 if low.startswith("dej", m.start()) else 40
        near = low[max(s_start, m.start() - before):min(s_end, m.end() + (25 if before == 0 else 50))]
        if not (_TREATMENT_ES.search(near) or drugs.find(near)):
            continue
        if _DENIED_ES.search(sentence) or (_CLINICIAN_ES.search(sentence) and not _ADVICE_ES.search(sentence)):
            continue
        return FilterVerdict(NAME, (NAME,), ("notice:consult_reminder",), (Span(*doc.raw_span(m.start(), m.end()), "change"),),
                             ("a self-directed change to a treatment (Spanish)",))
    return None


def mentions_treatment(doc):
    """Whether the text names a medicine, treatment, remedy or diet at all (cheap: the word index),
    without which no change to one can be told."""
    index = doc.index()
    return bool(_TREATMENTS.may_match(index) or index.words & drugs.names() or index.words & drugs._first_words()
                or _TREATMENT_ES.search(doc.low))


def _check(doc):
    low = doc.low
    index = doc.index()
    if not _CHANGE.may_match(index) and not _ADOPT.may_match(index):
        return _promotion(doc)     # no change word anywhere
    if not _TREATMENTS.may_match(index) and not (index.words & drugs.names() or index.words & drugs._first_words()):
        return _promotion(doc)     # no treatment named: nothing to change
    # an apostrophe opens a quote only after a space ("hear 'have you tried yoga'"), not in "i'm"
    has_quotes = '"' in low or " '" in low or low.startswith("'") or "\u201c" in low
    quoted = [(q.start(), q.end()) for q in matches_at(_QUOTED, low, _quote_marks(low))] if has_quotes else []
    text = _blank(low, quoted) if quoted else low

    def outside(found):
        return [t for t in found if not _inside(quoted, t[0])]

    named = None            # the treatment nouns and remedies of the whole post, when needed
    decided, first_done = set(), False
    names = drugs.candidates(low, index.words)
    if len(low) > _HEAD:
        head_named = [(a, b, low[a:b], kind) for a, b, kind in
                      _TREATMENTS.find(low, index, within=[(0, _HEAD)], until=_HEAD) if a < _HEAD]
        head_named = outside(head_named)
        # (with a remedy here, the post has one: no need to find the others yet)
        if any(t[3] == "remedy" for t in head_named):
            remedies = True
        else:
            named = outside([(a, b, low[a:b], kind) for a, b, kind in doc.scan(_TREATMENTS)])
            remedies = any(t[3] == "remedy" for t in named)
        head = sorted(head_named + outside([(a, b, name, "drug") for a, b, name in
                                            drugs.find(low, before=_HEAD, found=names)]))
        ranges = _candidate_ranges(doc, head)
        first = next(ranges, None)
        # complete if a second range follows it, or if it ends before the sentence holding
        # _HEAD starts (a later treatment's range starts there or after)
        if first and (next(ranges, None) is not None or first[1] < doc.sentence_at(_HEAD)[0]):
            verdict = _in_ranges(doc, text, head, quoted, [first], decided, remedies)
            if verdict:
                return verdict
            first_done = True
    if named is None:
        named = outside([(a, b, low[a:b], kind) for a, b, kind in doc.scan(_TREATMENTS)])
    remedies = any(t[3] == "remedy" for t in named)
    tx_all = sorted(named + outside([(a, b, name, "drug") for a, b, name in drugs.find(low, found=names)]))
    if not tx_all:
        return _promotion(doc)
    verdict = _first_reminder(doc, text, tx_all, quoted, decided, remedies, first_done)
    return verdict or _promotion(doc)


def check(doc):
    verdict = _check(doc)
    if verdict.labels or not _ES_HINT.search(doc.low):
        return verdict
    return _spanish(doc) or verdict


def _first_reminder(doc, text, tx_all, quoted, decided, remedies, first_done):
    """The verdict for the first change near a treatment that earns a reminder, or None."""
    # The changes are read in the first range on its own, the second, then the rest: the first
    # change near a treatment usually decides, and finding every change in a long post costs more.
    ranges = _candidate_ranges(doc, tx_all)
    first = next(ranges)
    if not first_done:
        verdict = _in_ranges(doc, text, tx_all, quoted, [first], decided, remedies)
        if verdict:
            return verdict
    second = next(ranges, None)
    if second is None:
        return None
    verdict = _in_ranges(doc, text, tx_all, quoted, [second], decided, remedies)
    if verdict:
        return verdict
    rest = list(ranges)
    return _in_ranges(doc, text, tx_all, quoted, rest, decided, remedies) if rest else None


def _in_ranges(doc, text, tx_all, quoted, ranges, decided, remedies):
    """The verdict for the first change inside `ranges` (consecutive ones of the post) that
    earns a reminder, or None. `tx_all` holds at least the treatments named up to their end."""
    low, index = doc.low, doc.index()
    lo, hi = ranges[0][0], ranges[-1][1]
    changes = _CHANGE.find(low, index, within=ranges, until=hi)
    if remedies:
        remedy_ranges = _candidate_ranges(doc, [t for t in tx_all if t[3] == "remedy"])
        # ([(0, 0)]: no word-anchored match; an empty list would mean the whole text)
        within = [(max(a, lo), min(b, hi)) for a, b in remedy_ranges if a < hi and lo < b] or [(0, 0)]
        changes = sorted(changes + _ADOPT.find(low, index, within=within, until=hi))
    return _first_change(doc, text, tx_all, quoted, ranges, changes, decided)


def _first_change(doc, text, tx_all, quoted, ranges, changes, decided):
    """The verdict for the first of `changes` (sorted) inside `ranges` that earns a reminder."""
    low = doc.low
    r = 0
    for start, end, family in changes:
        while r < len(ranges) and ranges[r][1] <= start:
            r += 1
        if r == len(ranges):
            break
        if start < ranges[r][0] or _inside(quoted, start):
            continue
        cs, ce = doc.clause_at(start)
        if (cs, family) in decided:
            continue
        clause = text[cs:ce]
        tx = [t for t in _in(tx_all, cs, ce) if family not in _REMEDY_ONLY or t[3] == "remedy"]
        m = (start, end, low[start:end])
        # the treatment must be near the change: "switched pharmacies because ... prescriptions" is not a change of it
        tx = [t for t in tx if _words_between(low, m, t) <= _NEAR]
        if not tx and _PRONOUN_OBJECT.match(low, end):
            tx = [t for t in _antecedents(doc, start, tx_all) if family not in _REMEDY_ONLY or t[3] == "remedy"]
        if not tx:
            continue
        verdict = _decide(doc, clause, cs, m, family, {t[3] for t in tx})
        decided.add((cs, family))
        if verdict is None or (verdict == "other" and not _memo(doc, _model_advice, low)):
            continue
        name = next((t[2] for t in tx if t[3] == "drug"), tx[0][2])
        reasons = [f"{_WHAT[verdict]} a treatment ({name})"]
        if _HIGH_RISK.search(clause):
            reasons.append("high-risk treatment (insulin, antiseizure, anticoagulant, steroid, opioid "
                           "or someone else's medication)")
        spans = [Span(*doc.raw_span(start, end), "change")]
        spans += [Span(*doc.raw_span(t[0], t[1]), t[3]) for t in tx[:2]]
        return FilterVerdict(NAME, (NAME,), ("notice:consult_reminder",), tuple(spans), tuple(reasons))
    return None


def _promotion(doc):
    """A post that sells and claims its product treats a condition."""
    if not doc.has_match(_COMMERCE):
        return EMPTY
    claims = doc.scan(_PROMO_CLAIM)
    if not claims:
        return EMPTY
    a, b = doc.raw_span(claims[0][0], claims[0][1])
    return FilterVerdict(NAME, (NAME,), ("notice:consult_reminder",), (Span(a, b, "change"),),
                         ("promotion claiming a product treats a condition",))
