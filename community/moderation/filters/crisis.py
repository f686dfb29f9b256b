"""crisis: current risk to the author, or imminent risk to another person (MODERATION.md §3.4).

Tiers follow C-SSRS: A urgent (act in progress, plan, means, goodbye, method-seeking),
T a third party at imminent risk, B active ideation, C passive ideation or burden, S self-harm;
R a report about a third party that a recovery or grief context can explain; X topic words
("suicidal", "self-harm") that information posts also use; W warning signs that count two at
a time. Suppressors (idioms, information, recovery stories, grief, palliative decisions,
negation) lower B, C, S, R, X and W only, never A or T. Recall over precision: a false alarm
costs a moderator one look, a miss can cost a life.
"""
import re

from . import lexicon
from .base import FilterVerdict, Span
from .normalize import after
from .scan import RuleSet, alternatives, gate, split_group

NAME = "crisis"
EMPTY = FilterVerdict(NAME, (), (), (), ())

LEXICON = lexicon.load("crisis")
_MEANS = LEXICON.defines["MEANS"]
_3P = LEXICON.defines["3P"]
_3SELF = LEXICON.defines["3SELF"]
_I = tuple(LEXICON.lists["I"])
_THIRD = tuple(LEXICON.lists["THIRD"])
_TIERS = {name: LEXICON[name] for name in ('A', 'T', 'R', 'B', 'X', 'C', 'S', 'W')}


_RULES = RuleSet([(tier + ("!" if alt.startswith("(?#negated)") else ""), alt)
                  for tier, pats in _TIERS.items() for p in pats for alt in alternatives(p)])

# Compositional ideation: a death concept, wanted or pictured, in a sentence about oneself.
_DEATH = RuleSet([("death", alt) for alt in split_group(
    r"\b(?:die|dying|dead|death|" + after("not", "not be") + r"(?:alive|here|around)|" + after("not", "not to") +
    r"exist(?:ing)?|stop\s+existing|cease\s+to\s+exist|disappear(?:\s+forever)?(?!\s+for\s+(?:a|an|the|\d+|two|few|some)\b)|"
    r"(?:car|myself)\s+(?:going|go|drive|driving|veer\w*|swerv\w*)\s+off\s+(?:the\s+road|a\s+cliff|a\s+bridge)|crash(?:ing)?\s+my\s+car|never\s+(?:wake|come\s+back|came\s+back)|" + after("not") + r"(?:waking|coming\s+back|wake)|"
    r"funeral|jump(?:ing)?\s+(?:off|in\s+front)|"
    r"(?:walk|walking|drive|driving|step|stepping)\s+(?:into|in\s+front\s+of)\s+(?:the\s+|a\s+)?(?:sea|river|water|traffic|lake|ocean|train|bus|lorry|truck)|"
    r"drown(?:ing)?\s+myself|sleep\s+forever|end(?:ing)?\s+(?:it|things|my\s+life)(?!\s+with))\b")])
_VOLITION = re.compile(
    r"\b(?:want|wanna|wish|hope|pray|plan\w*|think(?:ing)?\s+(?:about|of)|thought\s+(?:about|of)|picture|picturing|"
    r"imagin\w*|fantasi\w*|dream\w*|deserve|ready|tempted|longing|crave|craving|"
    r"(?:would|'d)\s+be\s+(?:so\s+)?(?:easy|easier|peaceful|nice|better|a\s+relief|lovely|kinder)|better\s+off|relief|"
    r"can'?t\s+stop\s+thinking|keep\s+thinking|obsess\w*|urge|only\s+thing\s+(?:keeping|stopping)|"
    r"if\s+(?:it\s+)?(?:wasn'?t|weren'?t)\s+for|if\s+i\s+didn'?t\s+have|no\s+fight|rather)\b")
_SELF_WORD = re.compile(r"\b(?:i|i'?m|i'?d|i'?ve|i'?ll|me|my|myself)\b")
_NOT_SELF_DEATH = re.compile(
    r"(?:\b(?:he|she|they|it|you|we|mum|mom|mother|dad|father|[a-z]+'s|(?:my|the|this|his|her|our|your)\s+(?!own\b)\w+)\s+"
    r"(?:is|was|are|were|isn'?t|wasn'?t|'s|'re|will|would|to|not)?\s*(?:just\s+|slowly\s+|already\s+)?(?:not\s+(?:be\s+|to\s+)?)?|\bscared\s+(?:to|i'?ll|i'?m\s+going\s+to)\s+|"
    r"\b(?:afraid|terrified|worried|frightened|nervous)\s+(?:i'?ll|i'?m\s+going\s+to|of|to)\s+|\bhalf\s+|\bnearly\s+|\balmost\s+)$")
_NEGATED_VOLITION = re.compile(r"\b(?:don'?t|do\s+not|never|not|no\s+longer|didn'?t|wouldn'?t)\s+(?:\w+\s+)?$")
_MEDICAL_FEAR = re.compile(
    r"\b(?:scared|afraid|terrified|worried|nervous|fear|frightened|anxious)\b[^.!?]*\b(?:surgery|operation|procedure|"
    r"anaesthe\w*|anesthe\w*|biopsy|hypo|attack|seizure|crash|stroke|covid|flight|scan|results)\b")


def _composed(doc):
    """Spans where a sentence about oneself wants or pictures a death concept."""
    low = doc.low
    found = []
    wanting = {}     # a sentence's start -> whether it wants or pictures (once per sentence, not per hit)
    for start, end, _ in doc.scan(_DEATH):
        if _NOT_SELF_DEATH.search(low, max(0, start - 30), start):
            continue
        s_start, s_end = doc.sentence_at(start)
        sentence = low[s_start:s_end]
        if s_start not in wanting:
            wanting[s_start] = (any(not _NEGATED_VOLITION.search(sentence, 0, v.start())
                                    for v in _VOLITION.finditer(sentence))
                                and not _MEDICAL_FEAR.search(sentence))
        if not wanting[s_start]:
            continue
        if not (_SELF_WORD.search(sentence) or _SELF_WORD.search(doc.previous_sentences(start, 1))):
            continue
        found.append((start, end))
    return found


_IDIOM = re.compile(
    r"\b(?:is|are|was|were|'s|'re)\s+(?:\w+\s+)?killing\s+me\b|\bkill\s+for\b|\bdying\s+(?:to|for)\b|"
    r"\bdead\s+on\s+my\s+feet\b|\bshoot\s+me\s+now\b|\b(?:bored|scared|frightened|worried|tired)\s+to\s+death\b|"
    r"\b(?:died|dying|die)\s+(?:of\s+)?(?:laughing|embarrassment)\b|\bdeath\s+of\s+me\b|\bgoing\s+to\s+kill\s+me\b|"
    r"\bkilling\s+it\b|\bi'?d\s+rather\s+die\s+than\s+[^.!?]*\b(?:lol|lmao|haha|\U0001f602|\U0001f923)|"
    # Spanish: dying of shame or love, laughing about it, and the kitchen's cuts and burns
    r"\bmori(?:r|rme)\s+de\s+(?:la\s+)?(?:verg[uü]enza|amor|risa|sue[nñ]o|hambre|calor|fr[ií]o|ganas|aburrimiento|asco|miedo|envidia)\b|"
    r"\bme\s+quiero\s+morir\b[^.!?]*\bja(?:ja)+|\bja(?:ja)+\b[^.!?]*\bme\s+quiero\s+morir\b|"
    r"\bme\s+(?:cort[eé]|quem[eé])\b[^.!?]{0,40}\b(?:picando|cocinando|cortando\s+(?:pan|cebolla|verdura)|afeit\w*|sin\s+querer|"
    r"plancha\s+de\s+(?:la\s+)?ropa|horno|sart[eé]n|bolsa\s+de\s+agua|jaja)")
_INFORMATION = re.compile(
    r"\bside[\s-]?effects?\b|\blisted\s+as\b|\bcan\s+cause\b|\bmay\s+cause\b|\bcause\s+suicidal\b|\brisk\s+of\b|"
    r"\bblack\s+box\b|\bwarning\b|\bawareness\b|\bprevention\b|\bresources\b|"
    r"\bhelpline\b|\bhotline\b|\bcrisis\s+line\b|\bdocumentary\b|\barticle\b|\bstudy\b|\brates?\b|\bstatistics\b|"
    r"\bif\s+(?:you'?re|you\s+are)\s+struggling\b|\btrigger\s+warning\b|\bcheck\s+on\s+your\b")
_SCREENING = re.compile(
    r"\bscreening\b|\bquestionnaire\b|\bphq\b|\b(?:asked|ask|asks)\s+(?:me\s+)?(?:if|whether|about|the\s+usual)\b|"
    r"\b(?:answered|said)\s+no\b|\bme\s+pregunt\w+\s+si\b|\bpreguntan?\s+si\b|\bcuestionario\b|\ble\s+dije\s+que\s+no\b")
_RECOVERY_STRONG = re.compile(
    r"\b(?:clean|free)\s+(?:from|of|for)\b|\bsurviv(?:or|ed)\b|\b(?:in\s+)?recover(?:y|ed)\b|\bit\s+gets\s+better\b|"
    r"\bglad\s+i'?m\s+(?:still\s+)?here\b|\bsaved\s+my\s+life\b|\bpeer\s+support\b|\bvolunteer\b|\bsupport\s+group\b|"
    r"\bscars?\b|\b(?:years?|months?)\s+since\s+my\b|\bgrateful\b|"
    r"\bs[ií]\s+se\s+sale\b|\bse\s+sale\b|\bse\s+puede\s+salir\b|\b(?:llevo|cumplo|hace)\s+(?:\w+\s+){0,2}?(?:d[ií]as?|mes(?:es)?|a[nñ]os?)\s+(?:sin|que\s+no)\b|"
    r"\bsobreviviente\b|\bsuperviviente\b|\bagradecid[oa]\b")
_RECOVERY_PAST = re.compile(
    r"\b(?:years?|yrs?|decades?)\s+ago\b|\bused\s+to\b|\bback\s+(?:then|in)\b|\bin\s+(?:19|20)\d\d\b|"
    r"\bas\s+a\s+(?:teen(?:ager)?|kid|child)\b|\bwhen\s+i\s+was\s+(?:younger|\d+|a\s+teen)\b|"
    r"\b(?:in|from|during)\s+my\s+(?:teens|twenties|youth|childhood)\b|\b(?:years?|months?)\s+since\b|"
    r"\bhace\s+(?:\d+|un|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|varios|muchos)\s+(?:a[nñ]os|meses)\b|"
    r"\ben\s+lo\s+peor\s+de\b|\bcuando\s+(?:era|ten[ií]a)\b|\bde\s+adolescente\b")
_PRESENT = re.compile(
    r"\b(?:again|tonight|right\s+now|lately|these\s+days|any\s*more|still|currently|this\s+week|last\s+night|"
    r"yesterday|this\s+morning|otra\s+vez|de\s+nuevo|esta\s+noche|ahora\s+mismo|anoche|vuelto\s+a)\b")
_GRIEF = re.compile(
    r"\b(?:died|passed|lost\s+\w+)\s+(?:\w+\s+){0,2}?(?:by|to)\s+suicide\b|\blost\s+(?:my\s+)?\w+(?:\s+\w+)?\s+to\s+suicide\b|"
    r"\b(?:took|taken)\s+(?:his|her|their)\s+own\s+life\b|\bcommitted\s+suicide\b|\bsuicide\s+(?:loss|bereavement)\b")
_PALLIATIVE = re.compile(r"\b(?:hospice|palliative|end[\s-]of[\s-]life\s+care|comfort\s+care|assisted\s+dying)\b")
_NEGATED = re.compile(r"\b(?:not|never|no\s+longer|don'?t|isn'?t|wasn'?t|am\s+not|i'?m\s+not|aren'?t)\s+(?:\w+\s+)?$"
                      r"|\b(?:no|nunca|jam[aá]s)\s+(?:\w+\s+){0,2}$")
# Most sentences hold none of the literals these need: `gate` skips `re` for them.
(_VOLITION, _MEDICAL_FEAR, _IDIOM, _INFORMATION, _SCREENING, _RECOVERY_STRONG, _RECOVERY_PAST, _PRESENT,
 _GRIEF, _PALLIATIVE, _NEGATED) = map(gate, (_VOLITION, _MEDICAL_FEAR, _IDIOM, _INFORMATION, _SCREENING,
                                             _RECOVERY_STRONG, _RECOVERY_PAST, _PRESENT, _GRIEF,
                                             _PALLIATIVE, _NEGATED))

# Method details and encouragement: the post is held as well.
_METHOD = re.compile(
    r"\bhow\s+(?:many|much)\b|\blethal\b|\bfatal\b|\benough\b|\bbottle\b|\bmg\b|\brope\b|\bnoose\b|"
    r"\bgun\b|\bbridge\b|\btrain\b|\bstockpil|\blined\s+up\b|\bsaved\b|\bstashed\b")
_ENCOURAGE = RuleSet([("encourage",
    r"\b(?:you|we|y'?all|everyone)\s+(?:should|could|can)\s+(?:all\s+)?(?:just\s+)?(?:end\s+it|kill\s+(?:yourself|yourselves|ourselves)|do\s+it\s+too|join\s+me)\b"
    r"|\bjoin\s+me\b|\bdo\s+it\s+together\b")])

_SEVERITY = {"A": "urgent: plan, means, goodbye or an act in progress",
             "T": "urgent: a third party at risk", "R": "a third party at risk (report)",
             "B": "active suicidal ideation", "X": "suicidal ideation named",
             "C": "passive ideation or feeling a burden", "S": "self-harm behaviour",
             "Y": "wish to die or not exist",
             "W": "several warning signs (goodbyes, no future, giving things away)"}
_ORDER = "ATRBXCYSW"


def _suppressed(doc, start, end, tier, own_negation=False):
    """Whether the context explains the match away (never for tiers A and T)."""
    if tier in ("A", "T"):
        return False
    s_start, s_end = doc.sentence_at(start)
    if tier != "R" and not own_negation and _NEGATED.search(doc.low, s_start, start):
        return True
    idioms, explained, information = _context(doc, s_start, s_end)
    if any(a < end and start < b for a, b in idioms):
        return True
    return explained or (tier in ("X", "R") and information)


def _context(doc, s_start, s_end):
    """(idiom spans, whether grief, palliative care, screening or recovery explain the sentence,
    whether it is information), read once per sentence: one may hold many hits."""
    cache = doc.__dict__.setdefault("_crisis_context", {})
    if s_start not in cache:
        sentence = doc.low[s_start:s_end]
        idioms = [(m.start() + s_start, m.end() + s_start) for m in _IDIOM.finditer(sentence)]
        explained = bool(_GRIEF.search(sentence) or _PALLIATIVE.search(sentence) or _SCREENING.search(sentence)
                         or _RECOVERY_STRONG.search(sentence)
                         or (_RECOVERY_PAST.search(sentence) and not _PRESENT.search(sentence)))
        cache[s_start] = (idioms, explained, _INFORMATION.search(sentence) is not None)
    return cache[s_start]


def check(doc):
    low = doc.low
    tiers, spans = [], []
    for start, end, name in doc.scan(_RULES):
        tier, own_negation = name[0], name.endswith("!")
        if tier == "T" and _GRIEF.search(doc.sentence(start)):
            continue
        if _suppressed(doc, start, end, tier, own_negation):
            continue
        tiers.append(tier)
        a, b = doc.raw_span(start, end)
        spans.append(Span(a, b, "method" if tier == "A" and _METHOD.search(low, start, end) else "risk"))
    covered = {sp.start for sp in spans}
    for start, end in _composed(doc):
        a, b = doc.raw_span(start, end)
        # the death concept may hold its own "not" ("not exist"); the wish's negation was checked
        if a not in covered and not _suppressed(doc, start, end, "Y", own_negation=True):
            tiers.append("Y")
            spans.append(Span(a, b, "risk"))
    if not tiers or (set(tiers) == {"W"} and len(tiers) < 2):
        return EMPTY
    actions = ["crisis_resources", "limit_members", "alert"]
    if "A" in tiers or "T" in tiers:
        actions.append("escalate_now")
    if any(s.kind == "method" for s in spans) or doc.has_match(_ENCOURAGE):
        actions.append("hold")
    reasons = tuple(_SEVERITY[t] for t in sorted(set(tiers), key=_ORDER.index))
    return FilterVerdict(NAME, (NAME,), tuple(actions), tuple(spans), reasons)
