"""abuse: insults, harassment, threats or slurs at people, or strong profanity (MODERATION.md §3.4).

Two tiers. Strong profanity (f-, s-, c-word family and the like, starred, spaced or leeted)
is censored wherever it appears. Slurs, second-person insults, insults of members, clinicians,
moderators or patient groups, and threats are held. Mild words (damn, hell, crap, pissed off,
stupid at things), anatomy and symptom words, and civil criticism are not abuse; word
boundaries keep Scunthorpe, Sussex and Cockburn out.
"""
import re

from . import lexicon
from .base import FilterVerdict, Span
from .scan import RuleSet, alternatives, gate, split_group

NAME = "abuse"
EMPTY = FilterVerdict(NAME, (), (), (), ())

LEXICON = lexicon.load("abuse")
_SPACED = LEXICON.defines["SPACED"]
_PROFANITY = LEXICON.defines["PROFANITY"]
_SLUR = LEXICON.defines["SLUR"]
_INSULT_WORDS = LEXICON.defines["INSULT_WORDS"]
_ADJ = LEXICON.defines["ADJ"]
_HARASS = LEXICON.defines["HARASS"]
_THREAT = LEXICON.defines["THREAT"]
_FILLER = r"(?:(?:all|just|such|so|clearly|really|a|an|the|a\s+bunch\s+of|bunch\s+of|" + _ADJ + r")\s+)*"
# An insult word counts when aimed at people: second person, a vocative, or "X is a <insult>".
_SECOND_BEFORE = re.compile(
    r"(?:\byou(?:'re|\s+are|\s+r)?|\bu(?:\s+r|r)?|\bur|\byoure|\by'?all\s+are|\byou\s+lot\s+are|\byou\s+people\s+are)\s+"
    + _FILLER + r"$"
    # Spanish: "eres un", "sois unos", "es una", "son unos", "qué", "vaya panda de", "pedazo de"
    r"|\b(?:eres|sois|son|es|ser[aá]s|qu[eé]|vaya|panda\s+de|pedazo\s+de|montón\s+de|todos|todas)\s+"
    r"(?:(?:un|una|unos|unas|muy|tan|m[aá]s|de|panda\s+de|pedazo\s+de)\s+)*$")
_VOCATIVE_BEFORE = re.compile(r"(?:,|\byou)\s+(?:\w+\s+){0,2}?$")
_VOCATIVE_AFTER = re.compile(r"\s*(?:[.!?]|$)")
_THIRD_BEFORE = re.compile(r"\b(?:is|are|was|were|'s|'re|r)\s+(?:(?:all|just|such|a\s+bunch\s+of|bunch\s+of|an?)\s+)?"
                           r"(?:" + _ADJ + r"\s+)*$")
_LIKE_YOU_AFTER = re.compile(r"\s+like\s+(?:you|u)\b")
_NOT_FOR_THINGS = frozenset({"joke", "stupid", "garbage", "trash"})   # "the system is a joke": criticism

_RULES = RuleSet([("profanity", p) for p in alternatives(_PROFANITY)] +
                 [("slur", p) for p in split_group(_SLUR)] +
                 [("insult_word", p) for p in split_group(r"\b(?:" + _INSULT_WORDS + r")\b")] +
                 [("harassment", p) for p in alternatives(_HARASS)] +
                 [("threat", p) for p in alternatives(_THREAT)])
_REASON = {"slur": "slur", "threat": "threat or wish of harm", "harassment": "harassment",
           "insult_word": "insult aimed at people"}
# A profanity-shaped word that is a name or place ("Dick Van Dyke" is not covered; first names
# are not in the lexicon at all).
_ALLOW = re.compile(r"\b(?:scunthorpe|cockburn|sussex|essex|middlesex|hancock|shiitake|shitake|cocktail|"
                    r"peacock|hitchcock|dickens|cumbria|penistone|lightwater|bass)\b")
_ALLOW = gate(_ALLOW)       # (its words are rare: most profanity is checked without `re`)


def _aimed(text, start, end):
    """Whether the insult word at [start, end) is aimed at people."""
    before = text[max(0, start - 60):start]
    word = text[start:end].split()[0]
    if _SECOND_BEFORE.search(before) or _LIKE_YOU_AFTER.match(text, end):
        return True
    if _VOCATIVE_BEFORE.search(before) and _VOCATIVE_AFTER.match(text, end):
        return True
    return word not in _NOT_FOR_THINGS and _THIRD_BEFORE.search(before) is not None


def check(doc):
    text = doc.leet
    spans, reasons, hold = [], [], False
    for start, end, kind in doc.scan(_RULES, "leet"):
        if kind == "profanity":
            if _ALLOW.search(text, max(0, start - 3), end + 6):
                continue
            spans.append(Span(*doc.raw_span(start, end), "profanity"))
            reasons.append("strong profanity")
            continue
        if kind == "insult_word" and not _aimed(text, start, end):
            continue
        spans.append(Span(*doc.raw_span(start, end), "insult"))
        reasons.append(_REASON[kind])
        hold = True
    if not spans:
        return EMPTY
    actions = []
    if any(s.kind == "profanity" for s in spans):
        actions.append("censor")
    if hold:
        actions.append("hold")
    return FilterVerdict(NAME, (NAME,), tuple(actions), tuple(dict.fromkeys(spans)),
                         tuple(dict.fromkeys(reasons)))
