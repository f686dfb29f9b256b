"""spam: selling, promotion and scams (MODERATION.md §3.4).

A score from independent signals, each counted once: links (reputable domains do not count,
shorteners count double), a promotion lexicon, private contact channels, money schemes,
pill-mill wording beside drug names, the "herbal doctor" template and phishing. Runs on the
de-leeted text ("c1alis", "fr33", "X@nax"). Two or more signals make spam; a strong
template on its own does too. Trust signals (account age, first post) are the pipeline's.
"""
import bisect
import re

from . import drugs
from . import lexicon
from .base import FilterVerdict, Span
from .scan import RuleSet, alternatives, found_at_openings, matches_at, openings_of

NAME = "spam"
EMPTY = FilterVerdict(NAME, (), (), (), ())

# Links, found from their dots: each pattern starts with a literal, which `re` scans for fast.
_SCHEME = re.compile(r"(?:https?://|www\.)[^\s<>\"')]+")
_TLD = re.compile(r"\.(?:com|org|net|co|uk|io|ly|me|info|biz|shop|store|xyz|online|site|club|example|gl|gd|at|"
                  r"us|ca|au|ie|nz|in|ng|ru|cn|top|link|health|care|app)\b(?:/[^\s<>\"')]*)?")
_HOST_LEFT = re.compile(r"(?:https?://)?(?:[a-z0-9-]+\.)*[a-z0-9-]+$")
_REPUTABLE = re.compile(
    r"(?:^|\.)(?:nhs\.uk|nih\.gov|gov|gov\.uk|gov\.au|govt\.nz|gc\.ca|canada\.ca|edu|ac\.uk|who\.int|"
    r"mayoclinic\.org|clevelandclinic\.org|hopkinsmedicine\.org|nice\.org\.uk|cochrane\.org|"
    r"clinicaltrials\.gov|pubmed\.ncbi\.nlm\.nih\.gov|ncbi\.nlm\.nih\.gov|medlineplus\.gov|"
    r"epilepsy\.com|epilepsysociety\.org\.uk|epilepsy\.org\.uk|lupus\.org|lupusuk\.org\.uk|"
    r"nationalmssociety\.org|mssociety\.org\.uk|mstrust\.org\.uk|arthritis\.org|versusarthritis\.org|"
    r"crohnscolitisfoundation\.org|crohnsandcolitis\.org\.uk|diabetes\.org|diabetes\.org\.uk|jdrf\.org|"
    r"breakthrought1d\.org|asthma\.org\.uk|asthmaandlung\.org\.uk|lung\.org|heart\.org|bhf\.org\.uk|"
    r"kidney\.org|kidneycareuk\.org|migrainetrust\.org|americanmigrainefoundation\.org|mind\.org\.uk|"
    r"nami\.org|samaritans\.org|988lifeline\.org|rethink\.org|psoriasis\.org|papaa\.org|"
    r"justgiving\.com|gofundme\.com|macmillan\.org\.uk|cancer\.org|cancerresearchuk\.org|"
    r"patient\.info|healthtalk\.org|cdc\.gov|fda\.gov|ema\.europa\.eu|myabbvieassist\.com)$")
_SHORTENER = re.compile(
    r"(?:^|\.)(?:bit\.ly|tinyurl\.com|goo\.gl|t\.co|ow\.ly|is\.gd|buff\.ly|rebrand\.ly|cutt\.ly|"
    r"shorturl\.at|tiny\.cc|t\.me|linktr\.ee|lnkd\.in|rb\.gy|s\.id|amzn\.to)$")

LEXICON = lexicon.load("spam")
_SIGNALS = {name: LEXICON.one(name) for name in ('promotion', 'price', 'cure_claim', 'contact', 'money', 'pill_mill', 'herbal_doctor', 'phishing')}
_SIGNAL_RULES = RuleSet([(name, alt) for name, pattern in _SIGNALS.items() for alt in alternatives(pattern)])
_CONTROLLED = re.compile(
    r"\b(?:oxy(?:codone|contin)?|percocet|percs|vicodin|hydrocodone|tramadol|xanax|xans|valium|diazepam|"
    r"klonopin|clonazepam|ativan|lorazepam|adderall|ritalin|ambien|zolpidem|codeine|morphine|fentanyl|"
    r"dilaudid|soma|phentermine|modafinil|viagra|cialis|levitra|ozempic|wegovy|mounjaro|humira|"
    r"lyrica|gabapentin|suboxone|methadone|steroids)\b")
_CONTROLLED_OPENINGS = sorted(openings_of(_CONTROLLED.pattern))
_SELLING = re.compile(r"\b(?:sell\w*|buy|order|price|menu|shipped|shipping|delivery|cheap|for\s+sale|half\s+price|"
                      r"wholesale|deal|off|stock)\b")
_INTL_NUMBER = re.compile(r"\+\s?(?:2[0-9]{2}|[3-9]\d{1,2})[\s\d-]{7,}")

_WEIGHTS = {"link": 2, "shortener": 2, "promotion": 1, "contact": 1, "money": 2, "pill_mill": 2,
            "herbal_doctor": 3, "phishing": 2, "drugs_for_sale": 2, "intl_number": 1, "price": 1,
            "cure_claim": 1}
_CERTAIN = {"herbal_doctor", "phishing", "drugs_for_sale", "shortener"}
_REASONS = {
    "link": "link to a non-reputable site", "shortener": "link shortener",
    "promotion": "promotional wording (codes, discounts, calls to buy)",
    "contact": "private contact channel (DM, WhatsApp, Telegram)",
    "money": "money scheme, recruitment or investment pitch",
    "pill_mill": "selling medicines without a prescription",
    "herbal_doctor": "'herbal doctor' cure scam", "phishing": "phishing or fake prize",
    "drugs_for_sale": "drugs offered for sale", "intl_number": "international contact number",
    "price": "a price", "cure_claim": "miracle-cure claim",
}


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_LOCAL_PUNCT = frozenset("_.+-")


def _emails(low):
    """[(start, end)] of the matches of `_EMAIL.finditer(low)`, found from the "@" signs: a scan
    of the whole text backtracks at every character of every word (costly on long posts)."""
    out, last = [], 0
    at = low.find("@")
    while at >= 0:
        # Every match holds exactly one "@" and starts where the run of [\w.+-] before that "@"
        # starts (or where the previous match ended): the first position `finditer` would try.
        start = at
        while start > last and (low[start - 1].isalnum() or low[start - 1] in _LOCAL_PUNCT):
            start -= 1
        if start < at:
            m = _EMAIL.match(low, start)
            if m:
                out.append((start, m.end()))
                last = m.end()
        at = low.find("@", max(at + 1, last))
    return out


_SCHEME_PREFIX = re.compile(r"^(?:https?://)?(?:www\.)?")
_HOST_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.:/-")


def _host_left(text, start, stop):
    """`_HOST_LEFT.search(text, start, stop)`, searched only from where the run of host characters
    before `stop` starts (a match holds no other character): `re` would try every position."""
    # `$` also matches before a final newline, so a match may end there instead
    run = stop - 1 if stop > start and text[stop - 1] == "\n" else stop
    while run > start and text[run - 1] in _HOST_CHARS:
        run -= 1
    return _HOST_LEFT.search(text, run, stop)


def _scheme_starts(text):
    """Where a `_SCHEME` match can start ("http", "www."): `re` would try each "h" and "w"."""
    found = []
    for prefix in ("http", "www."):
        i = text.find(prefix)
        while i >= 0:
            found.append(i)
            i = text.find(prefix, i + 1)
    return sorted(found)


def _links(text, low):
    """(start, end, host) of each link-looking thing in text (`low`: the same text before leetspeak
    was undone, same length, where an "@" is still an "@")."""
    found = [(m.start(), m.end()) for m in matches_at(_SCHEME, text, _scheme_starts(text))]
    for m in _TLD.finditer(text):
        if found and found[-1][0] <= m.start() < found[-1][1]:
            found[-1] = (found[-1][0], max(found[-1][1], m.end()))
            continue
        left = _host_left(text, max(0, m.start() - 100), m.start())
        if left:
            found.append((left.start(), m.end()))
    found.sort()
    out = []
    for start, end in found:
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    emails = _emails(low) if "@" in low else []
    for start, end in out:
        # An email address is a contact detail (phi when it is a person's), not a link to a site.
        # (found by bisection in the sorted, disjoint addresses: one scan of them a link was O(k^2))
        k = bisect.bisect_right(emails, (start, len(low) + 1)) - 1
        if k >= 0 and emails[k][0] <= start < emails[k][1]:
            continue
        host = _SCHEME_PREFIX.sub("", text[start:end]).split("/")[0].rstrip(".,!?")
        yield start, end, host


def check(doc):
    text = doc.leet
    signals, spans = {}, []
    for start, end, host in _links(text, doc.low):
        if _REPUTABLE.search(host):
            continue
        kind = "shortener" if _SHORTENER.search(host) else "link"
        signals[kind] = signals.get(kind, 0) + 1
        spans.append(Span(*doc.raw_span(start, end), "link"))
    for _, _, name in doc.scan(_SIGNAL_RULES, "leet"):
        signals[name] = signals.get(name, 0) + 1
    if not signals:
        return EMPTY
    if signals.get("promotion") or signals.get("pill_mill") or signals.get("contact"):
        if (found_at_openings(_CONTROLLED, text, _CONTROLLED_OPENINGS)
                or (signals.get("pill_mill") and drugs.find(text))):
            if signals.get("pill_mill") or _SELLING.search(text):
                signals["drugs_for_sale"] = 1
    if _INTL_NUMBER.search(text) and (signals.get("contact") or signals.get("herbal_doctor")):
        signals["intl_number"] = 1
    score = sum(_WEIGHTS.get(k, 1) * min(n, 3) for k, n in signals.items())
    kinds = set(signals)
    if score < 3 or kinds <= {"link"}:
        return EMPTY
    actions = ("hold", "reject_if_new") if (kinds & _CERTAIN or score >= 5) else ("hold",)
    reasons = tuple(_REASONS[k] for k in _WEIGHTS if k in signals)
    return FilterVerdict(NAME, (NAME,), actions, tuple(spans), reasons)
