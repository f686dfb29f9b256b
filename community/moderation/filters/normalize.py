"""Normalisation shared by the moderation filters, done once per post.

`Text` holds the original string and a folded copy (`low`: NFKC, case-folded, curly quotes
and dashes made plain, zero-width and emoji-variation characters dropped). `low` has the same
length as the original in the common case, so most offsets need no mapping; when it does not
(ligatures, "ß", zero-width characters), `to_raw` maps back through a per-character table.
`leet` undoes leetspeak inside words (same length as `low`), for the spam and abuse lexicons
only: doses and phone numbers must keep their digits.

Letter-spacing ("f u c k") and abbreviations ("u", "bc", "meds", "dr") are not rewritten in the
text, which would move every offset after them; the filters' patterns spell them out instead
(`alt()` widens a word to its abbreviations from the table here; `after()` gives a rule its
left context without anchoring it on a stopword, see scan.py).

Clause features (actor scope and modality) are ConText-style: trigger terms whose scope ends
at the clause boundary (`. ! ? ; :`, commas, and "but / however / although").
"""
import bisect
import re
import unicodedata
from functools import cached_property

from .scan import RuleSet, WordIndex, alternatives, gate

# Abbreviations and spellings a member may use for a canonical word; `alt()` expands them.
ABBREVIATIONS = {
    "you": ("u", "ya", "yu"),
    "your": ("ur", "yr", "you're", "youre"),
    "you're": ("youre", "ur", "u r", "you are", "u are"),
    "because": ("bc", "b/c", "cuz", "coz", "cos", "'cause"),
    "without": ("w/o", "w/out", "wo"),
    "with": ("w/",),
    "people": ("ppl", "peeps"),
    "please": ("pls", "plz", "plse"),
    "i'm": ("im", "i am"),
    "i've": ("ive", "i have"),
    "i'd": ("id", "i would"),
    "don't": ("dont", "do not"),
    "doesn't": ("doesnt", "does not"),
    "didn't": ("didnt", "did not"),
    "can't": ("cant", "cannot", "can not"),
    "won't": ("wont", "will not"),
    "wouldn't": ("wouldnt", "would not"),
    "going to": ("gonna", "goin to", "going 2"),
    "want to": ("wanna", "want 2"),
    "tonight": ("tonite", "2nite", "2night"),
    "medication": ("meds", "med", "medication", "medications", "medicine", "medicines", "rx"),
    "doctor": ("doctors", "dr", "doc", "docs", "gp", "pcp", "physician"),
    "prednisone": ("pred", "prednisolone", "pred"),
    "methotrexate": ("mtx",),
    "levothyroxine": ("levo", "synthroid", "eltroxin"),
    "hydroxychloroquine": ("hcq", "plaquenil"),
    "low dose naltrexone": ("ldn",),
    "blood pressure": ("bp",),
}


def alt(*words):
    """A regex alternation of the words and their abbreviations, longest first."""
    forms = set()
    for word in words:
        forms.add(word)
        forms.update(ABBREVIATIONS.get(word, ()))
    return "(?:" + "|".join(re.escape(f).replace("\\ ", r"\s+").replace("'", "'?")
                            for f in sorted(forms, key=len, reverse=True)) + ")"


def after(*contexts):
    """Fixed-width lookbehinds for left context, so a rule is anchored on its content word
    ("want" in "don't want to live") rather than on a stopword (see scan.py)."""
    forms = set()
    for context in contexts:
        forms.add(context)
        forms.add(context.replace("'", ""))
    return "(?:" + "|".join(r"(?<=\b" + re.escape(f).replace("\\ ", " ").replace(" ", r"\s") + r"\s)"
                            for f in sorted(forms)) + ")"


_ZERO_WIDTH = "\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff" + "".join(
    chr(c) for c in range(0xFE00, 0xFE10))
_ZERO_WIDTH_RE = re.compile("[" + _ZERO_WIDTH + "]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_HIDDEN_IN_WORD = re.compile(r"\w[" + _ZERO_WIDTH + r"]+\w")   # "f\u200buck": dropped, with an offset map
_PLAIN = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u2032": "'", "`": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2010": "-",
    "\u2011": "-",
})

_PLAIN_RE = re.compile("[" + re.escape("".join(chr(c) for c in _PLAIN)) + "]")
_LEET_CHAR = re.compile(r"[0-9@$!|]")
# a leetspeak character next to a letter: only words that mix the two are rewritten
_LEET_BY_LETTER = re.compile(r"[0-9@$!|](?:(?=[a-z])|(?<=[a-z].))")
# a word holding a digit or a symbol; only those that also hold a letter are changed
_LEET_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789@$!|")
_WORD_HEAD = re.compile(r"[a-z@$!|0-9]*")
_LETTER = re.compile(r"[a-z]")
_NUMBER_UNIT = re.compile(r"\d+(?:[.,]\d+)?(?:mg|mcg|ug|ml|g|kg|iu|u|mmol|lbs?|am|pm|st|nd|rd|th|s|x|k|yo|yrs?|"
                          r"hrs?|mins?|h|m|d|w|wks?|mo|cm|mm|km|mi|ft|in|l|bpm|kcal|cal|%)?")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b",
                       "@": "a", "$": "s", "!": "i", "|": "l"})

# The runs of . ! ? and newlines that end a sentence: a run holding a newline, or one followed
# by a space, a quote, a bracket or the end (not "7.2"). Each branch starts with a literal, so
# `re` skips ahead to the marks; the possessive repeats take each run whole.
_SENTENCE_END_AFTER = r"[.!?]*+(?:\n[.!?\n]*+|(?=[ \t\r\"')\]]|\Z))"
_SENTENCE_END = re.compile(r"\n[.!?\n]*+|\." + _SENTENCE_END_AFTER + "|!" + _SENTENCE_END_AFTER + r"|\?" + _SENTENCE_END_AFTER)
_CLAUSE_END = re.compile(
    r"[.!?]+(?=[\s\"')\]]|$)|[;\n]+|:(?=\s)|,(?=\s)|\s-+\s|\s\(|\)|\.\.\.|\u2026"
    r"|\b(?:but|however|although|though|whereas|except|anyway|otherwise)\b")


SENTENCE_MAX = 500


def _cut_long(low, start, end, ends):
    """Add to `ends` the cuts that split low[start:end] into pieces of at most SENTENCE_MAX
    characters, each cut at the last space of its piece when there is one."""
    while end - start > SENTENCE_MAX:
        cut = low.rfind(" ", start + 1, start + SENTENCE_MAX)
        cut = cut if cut > start else start + SENTENCE_MAX
        ends.append(cut)
        start = cut


class Text:
    """One post, normalised; slices and clause features are computed when first asked for."""

    def __init__(self, raw):
        self.raw = raw
        self._edits = None       # (low_starts, low_ends, raw_starts, raw_ends) of resized characters
        if raw.isascii():
            self.low = raw.lower()
            return
        # str.translate with a dict is slow on long text: substitute only what is there
        plain = _PLAIN_RE.sub(lambda m: _PLAIN[ord(m.group())], raw) if _PLAIN_RE.search(raw) else raw
        zero_width = _ZERO_WIDTH_RE.search(plain)
        hidden = zero_width and _HIDDEN_IN_WORD.search(plain)     # then left in `plain`
        if zero_width and not hidden:
            # zero-width and variation characters next to emoji: a space keeps every offset
            plain = _ZERO_WIDTH_RE.sub(" ", plain)
        if not hidden and unicodedata.is_normalized("NFKC", plain):
            low = plain.casefold()
            if len(low) == len(raw):
                self.low = low
                return
        # Some characters change length (ligatures, "ß", zero-width inside a word): fold the
        # non-ASCII characters one by one and keep a table of the resized ones.
        pieces, edits, last, shift = [], ([], [], [], []), 0, 0
        for m in _NON_ASCII.finditer(plain):
            ch = m.group()
            folded = "" if ch in _ZERO_WIDTH else unicodedata.normalize("NFKC", ch).casefold()
            pieces.append(plain[last:m.start()].lower())
            pieces.append(folded)
            last = m.end()
            if len(folded) != 1:
                low_start = m.start() + shift
                for table, value in zip(edits, (low_start, low_start + len(folded), m.start(), m.end()), strict=True):
                    table.append(value)
                shift += len(folded) - 1
        pieces.append(plain[last:].lower())
        self.low = "".join(pieces)
        if edits[0]:
            self._edits = edits

    def to_raw(self, i):
        """The index in the original text of index i of `low`."""
        if self._edits is None:
            return i
        low_starts, low_ends, raw_starts, raw_ends = self._edits
        k = bisect.bisect_right(low_starts, i) - 1
        if k < 0:
            return i
        if i < low_ends[k]:
            return raw_starts[k]
        return raw_ends[k] + (i - low_ends[k])

    def from_raw(self, i):
        """The index in `low` of index i of the original text."""
        if self._edits is None:
            return i
        low_starts, low_ends, raw_starts, raw_ends = self._edits
        k = bisect.bisect_right(raw_starts, i) - 1
        if k < 0:
            return i
        if i < raw_ends[k]:
            return low_starts[k]
        return low_ends[k] + (i - raw_ends[k])

    def raw_span(self, start, end):
        """Offsets in the original text of low[start:end]."""
        if self._edits is None:
            return start, end
        return self.to_raw(start), (self.to_raw(end - 1) + 1 if end > start else self.to_raw(start))

    def index(self, view="low"):
        """The word index of a view, built once and shared by every rule set."""
        indexes = self.__dict__.setdefault("_indexes", {})
        if view not in indexes:
            if view == "leet" and self.leet is self.low:
                indexes[view] = self.index("low")
            elif view == "leet":
                # same length as `low`, different only in the rewritten words
                indexes[view] = self.index("low").patched(self.leet, self.__dict__["_leet_spans"])
            else:
                indexes[view] = WordIndex(getattr(self, view))
        return indexes[view]

    def scan(self, rules, view="low"):
        """All matches of a `scan.RuleSet` in this post (cached per rule set and view)."""
        cache = self.__dict__.setdefault("_scans", {})
        key = (id(rules), view)
        if key not in cache:
            cache[key] = rules.find(getattr(self, view), self.index(view))
        return cache[key]

    def has_match(self, rules, view="low"):
        """Whether `scan(rules, view)` finds anything (without finding the rest)."""
        cache = self.__dict__.get("_scans", {})
        key = (id(rules), view)
        if key in cache:
            return bool(cache[key])
        return rules.exists(getattr(self, view), self.index(view))

    def scan_range(self, rules, start, end, view="low"):
        """Matches of a `scan.RuleSet` starting in [start, end) (not cached)."""
        return rules.find(getattr(self, view), self.index(view), start, end)

    @cached_property
    def drugs(self):
        """Drug names in the post: (start, end, name)."""
        from . import drugs
        return drugs.find(self.low, words=self.index().words)

    @cached_property
    def leet(self):
        if not _LEET_CHAR.search(self.low):
            return self.low
        low, changed, last = self.low, [], 0
        # (a word whose leetspeak characters all stand apart from letters has no letter: it is
        # left as it is below, so it is not visited at all)
        for m in _LEET_BY_LETTER.finditer(low):
            if m.start() < last:
                continue                       # inside a word already done
            start = m.start()
            while start and low[start - 1] in _LEET_WORD_CHARS:
                start -= 1
            end = _WORD_HEAD.match(low, m.start()).end()
            word = low[start:end]
            last = end
            core = word.rstrip("!|")           # a trailing "!" is punctuation, not an "i"
            if not _LETTER.search(core) or _NUMBER_UNIT.fullmatch(core):
                continue                       # "500mg", "3rd", "10am": numbers, not leetspeak
            new = core.translate(_LEET) + word[len(core):]
            if new != word:
                changed.append((start, end, new))
        if not changed:
            return low
        out, pos = [], 0
        for start, end, new in changed:
            out += [low[pos:start], new]
            pos = end
        out.append(low[pos:])
        self.__dict__["_leet_spans"] = [(start, end) for start, end, _ in changed]
        return "".join(out)

    @cached_property
    def _sentence_ends(self):
        # A "sentence" longer than SENTENCE_MAX (text without full stops is one sentence the size
        # of the post) is cut into pieces at spaces: every filter reads a hit's sentence, clause
        # and the sentences around it for context, and an unbounded sentence made each of k hits
        # cost the whole post (O(n*k)). Real sentences are far shorter (the labelled sets' longest
        # is under 350 characters), so their verdicts do not change.
        low = self.low
        found = [m.end() for m in _SENTENCE_END.finditer(low)]
        if len(low) <= SENTENCE_MAX or max(map(int.__sub__, found + [len(low)], [0] + found)) <= SENTENCE_MAX:
            return found            # (most posts: no sentence to cut)
        ends, start = [], 0
        for end in found + [len(low)]:
            _cut_long(low, start, end, ends)
            ends.append(end)
            start = end
        return ends[:-1]

    def _clause_cuts(self, s_start, s_end):
        """Clause boundaries inside one sentence, found when first needed."""
        cache = self.__dict__.setdefault("_cuts", {})
        if s_start not in cache:
            cuts = [(m.start(), m.end()) for m in _CLAUSE_END.finditer(self.low, s_start, s_end)]
            cache[s_start] = ([c[0] for c in cuts], cuts)
        return cache[s_start]

    def sentence_at(self, i):
        ends = self._sentence_ends
        k = bisect.bisect_right(ends, i)
        return (ends[k - 1] if k else 0), (ends[k] if k < len(ends) else len(self.low))

    def sentences_from(self, i, following):
        """(start, end) of the sentence holding i, and the end of the `following`-th sentence
        after it: `sentence_at(end + 1)` taken `following` times, without the calls."""
        ends, size = self._sentence_ends, len(self.low)
        k = bisect.bisect_right(ends, i)
        start, end = (ends[k - 1] if k else 0), (ends[k] if k < len(ends) else size)
        last = end
        for _ in range(following):
            if last < size:
                k = bisect.bisect_right(ends, last + 1)
                last = ends[k] if k < len(ends) else size
        return start, end, last

    def clause_at(self, i):
        """(start, end) of the clause holding position i; boundaries themselves are left out."""
        s_start, s_end = self.sentence_at(i)
        starts, cuts = self._clause_cuts(s_start, s_end)
        k = bisect.bisect_right(starts, i)
        start = cuts[k - 1][1] if k else s_start
        end = cuts[k][0] if k < len(cuts) else s_end
        return start, end

    def clause(self, i):
        start, end = self.clause_at(i)
        return self.low[start:end]

    def sentence(self, i):
        start, end = self.sentence_at(i)
        return self.low[start:end]

    def previous_sentences(self, i, n=2):
        """The text of up to n sentences before the one holding i (for pronoun antecedents)."""
        start, _ = self.sentence_at(i)
        ends = self._sentence_ends
        k = bisect.bisect_right(ends, start - 1)
        first = ends[k - n - 1] if k - n - 1 >= 0 else 0
        return self.low[first:start]


# --- clause features -------------------------------------------------------------------

CLINICIAN = (
    r"(?:doctors?|docs?|dr|gp|pcp|physician|neuro(?:logist)?|rheum(?:atologist|y|ie)?|"
    r"endo(?:crinologist)?|gi|gastro(?:enterologist)?|cardio(?:logist)?|nephro(?:logist)?|"
    r"renal (?:team|doctor|nurse|consultant)|pulmo(?:nologist)?|respiratory (?:nurse|team|consultant)|"
    r"derm(?:atologist)?|psych(?:iatrist)?|pdoc|consultant|specialist|surgeon|(?:\w+ )?nurse|np|"
    r"pharmacist|chemist|dietitians?|dieticians?|nutritionist|hepatologist|oncologist|"
    r"ha?ematologist|midwife|physio(?:therapist)?|care team|medical team|prescriber|registrar|"
    r"urologist|immunologist|allergist|podiatrist|epileptologist|ms team|ibd team|diabetes team|"
    r"team)"
)
_CLIN_AGENT = re.compile(
    r"(?:\b(?:my|the|our|his|her|a|their)\s+(?:new\s+|old\s+|lovely\s+|\w+\s+care\s+)?|^\W*)" + CLINICIAN +
    r"(?:'s)?\s+(?:and\s+(?:i|me)\b|(?:\S+\s+){0,4}?(?:said|says|told|tells|wants|wanted|"
    r"switched|switching|swapped|moved|put|putting|had\s+me|has\s+me|advised|suggested|suggests|"
    r"recommended|recommends|prescribed|agreed|approved|okayed|ok'?d|signed|lowered|raised|"
    r"increased|reduced|decreased|doubled|halved|added|changed|took|taking|stopped|started|"
    r"tapering|tapered|weaning|weaned|cut|dropped|upped|bumped|let\s+me|allowed|gave|is\s+\w+ing\s+me|"
    r"explained|thinks|reckons|helped|showed|got\s+me|asked\s+me|is\s+(?:happy|ok|fine)|"
    r"was\s+(?:happy|ok|fine)|signed\s+off|cleared|okay'?d))"
    r"|\b(?:per|on)\s+(?:my|the)\s+" + CLINICIAN + r"(?:'s)?\b"
    r"|\b(?:with|by|under)\s+(?:my|the|our)\s+" + CLINICIAN + r"(?:'s)?\b"
    r"|\b(?:with|under)\s+the\s+(?:help|support|guidance|supervision)\s+of\b"
    r"|\b" + CLINICIAN + r"(?:'s)?\s+(?:advice|orders?|suggestion|instructions|plan|approval)\b"
    r"|\b(?:she|he|they)\s+(?:said\s+(?:i\s+can|it'?s\s+(?:fine|ok|okay)|go\s+for\s+it|to\b)|talked\s+me\s+through)"
    r"|\b(?:hospice|palliative|end[\s-]of[\s-]life|comfort\s+care)\b"
    r"|\btogether\b"
)
_CLIN_QUESTION = re.compile(
    r"\b(?:ask|asking|asked|bring\s+(?:it|this|that)?\s*up\s+with|bring\s+up|bringing\s+up|raise|"
    r"raising|discuss|discussing|talk\s+(?:to|with)|talking\s+(?:to|with)|check\s+with|checking\s+with|"
    r"speak\s+(?:to|with)|run\s+it\s+by|call)\s+(?:\w+\s+){0,5}?(?:my|the|our)\s+(?:\w+\s+)?" + CLINICIAN + r"\b"
)
_SELF = re.compile(r"\b(?:i|i'?m|i'?ve|i'?d|i'?ll|me|my|myself|mine|we|we'?re|we'?ve|our)\b")
_READER = re.compile(
    r"\b(?:you|u|ya|your|ur|yours|yourself|yourselves|y'?all|everyone|everybody|anyone|anybody|"
    r"folks|guys|ppl|people|newbies|friends|warriors|crew|ladies|mate|peeps)\b")
_OTHER = re.compile(
    r"\b(?:my|our|his|her)\s+(?:mum|mom|mother|dad|father|husband|wife|partner|sister|brother|son|"
    r"daughter|friend|aunt|uncle|gran|grandma|grandmother|grandad|grandpa|grandfather|cousin|"
    r"neighbou?r|boyfriend|girlfriend|fianc[eé]e?|kid|child|colleague|coworker|mil|fil)\b"
    r"|\b(?:he|she|they)\b")
_OWN_INITIATIVE = re.compile(
    r"\b(?:on\s+my\s+own|myself|by\s+myself|without\s+(?:telling|asking|consulting|checking)|"
    r"behind\s+(?:his|her|their|my\s+\w+'?s)\s+back|against\s+(?:medical\s+)?advice|"
    r"doesn'?t\s+know|don'?t\s+want\s+to\s+bother|will\s+freak|won'?t\s+tell|cold\s+turkey|"
    r"on\s+a\s+whim|anyway)\b")
_DISCOURSE = (r"(?:(?:just|so|then|and|honestly|seriously|please|pls|plz|also|definitely|"
              r"basically|simply|ok|okay|guys|mate|tip|pro\s+tip|hint|lol|yeah|nah|now|"
              r"trust\s+me|my\s+advice(?:\s+to\s+\w+(?:\s+\w+){0,4})?|"
              r"if\s+(?:you|u)(?:'re|\s+are|\s+r)?\s+(?:\w+\s+){0,6}?)[\s,:!?]*)*")
_ADVICE = re.compile(
    r"\b(?:you|u|ya|y'?all|everyone|everybody|anyone|people|ppl|newbies|folks|we\s+all)\s+"
    r"(?:\w+\s+)?(?:should|shud|could|can|need\s+to|needs\s+to|have\s+to|has\s+to|must|gotta|"
    r"ought\s+to|might\s+want\s+to|may\s+want\s+to|better|don'?t\s+need|do\s+not\s+need|"
    r"don'?t\s+have\s+to|won'?t\s+need|wont\s+need|will\s+not\s+need|are\s+better\s+off)\b"
    r"|\bi'?d\b(?!\s+(?:been|had|love|like|rather))|\bi\s+would\b|\bif\s+i\s+were\s+you\b"
    r"|\bmy\s+advice\b|\bpro\s+tip\b|\btip\s+for\b|\b(?:highly\s+|would\s+|i\s+)recommend\b"
    r"|\bworth\s+(?:a|trying|it|every|the|looking)\b|\bgive\s+(?:it|this|that|them)\s+a\s+(?:go|try|shot|whirl)\b"
    r"|\b(?:do|try)\s+it\b|\btell\s+(?:your|ur)\b|\bdo\s+the\s+same\b|\blook\s+into\b|\bswear\s+by\b"
    r"|\bis\s+a\s+must\b|\bdon'?t\s+let\s+(?:them|anyone|your|the)\b|\bstop\s+wasting\b"
    r"|\bno\s+need\s+(?:for|to)\b|\bforget\s+(?:the|about)\b|\bwhy\s+not\s+try\b|\bhave\s+you\s+tried\b"
)
_INTENT = re.compile(
    r"\b(?:thinking\s+(?:of|about)|thought\s+about|going\s+to|gonna|planning|plan\s+to|plan\s+is|"
    r"considering|want\s+to|wanna|want\s+off|might|tempted|decided|about\s+to|will|i'?ll|"
    r"trying\s+to|hoping\s+to|ready\s+to|intend|debating)\b")
_QUESTION = re.compile(
    r"\?|\b(?:should\s+i|can\s+i|could\s+i|do\s+i|is\s+it\s+(?:ok|okay|safe|bad|fine|normal|dangerous)|"
    r"would\s+it\s+be|has\s+anyone|have\s+any\s+of\s+you|anyone\s+(?:else\s+)?(?:tried|done|know|"
    r"stopped|gone|come|swapped|switched|skipped|doing)|does\s+anyone|did\s+anyone|anyone\s+know)\b")
_HYPOTHETICAL = re.compile(r"\b(?:if\s+i\s+ever|what\s+if|imagine|hypothetically|if\s+i\s+had\s+to)\b")
_NEGATION = re.compile(
    r"\b(?:never|not|no\s+way|don'?t|do\s+not|didn'?t|did\s+not|won'?t|wouldn'?t|would\s+not|"
    r"shouldn'?t|should\s+not|can'?t|cannot|refuse|refused|no\s+intention|not\s+planning)\b")
CAUTION = re.compile(
    r"\b(?:ended\s+up\s+(?:in|back|with|having|needing|on)|landed\s+(?:me\s+)?in|put\s+me\s+in\s+(?:hospital|a&e|icu)|"
    r"never\s+again|learn(?:ed|t)\s+(?:my|the\s+hard|that\s+the\s+hard)|lesson\s+learned|my\s+lesson|"
    r"big(?:gest)?\s+mistake|worst\s+(?:mistake|idea|decision)|bad\s+idea|regret|"
    r"don'?t\s+do\s+(?:it|this|that|what\s+i\s+did)|please\s+(?:please\s+)?don'?t|do\s+not\s+do|"
    r"don'?t\s+be\s+(?:like\s+me|stupid|silly)|not\s+worth\s+(?:it|the\s+risk)|"
    r"(?:talk|speak)\s+to\s+your\s+\w+\s+(?:first|before)|taper\s+with\s+your|"
    r"had\s+(?:a|an)\s+(?:\w+\s+)?(?:seizure|stroke|clot|heart\s+attack|relapse|dka|bleed|crisis)|"
    r"ended\s+up\s+having|was\s+(?:horrific|awful|terrible|hell)|were\s+(?:horrific|awful|terrible|hell)|"
    r"scared\s+me|nearly\s+died|almost\s+died|could\s+have\s+died)\b")

# Clause features run on short text that mostly holds none of the literals these need.
(_CLIN_AGENT, _CLIN_QUESTION, _READER, _OTHER, _OWN_INITIATIVE, _ADVICE, _INTENT, _QUESTION, _HYPOTHETICAL,
 _NEGATION, CAUTION) = map(gate, (_CLIN_AGENT, _CLIN_QUESTION, _READER, _OTHER, _OWN_INITIATIVE, _ADVICE,
                                  _INTENT, _QUESTION, _HYPOTHETICAL, _NEGATION, CAUTION))

# Health context: conditions, symptoms and care words (for "name + health condition" and
# for "a product that helps a condition").
CONDITION = (
    r"diabet\w*|t1d|t2d|type\s*[12]|a1c|insulin|crohn'?s|colitis|uc|ibd|ibs|lupus|sle|ms|"
    r"multiple\s+sclerosis|ra|rheumatoid|arthritis|asthma\w*|copd|emphysema|migraines?|epilep\w*|"
    r"seizures?|heart\s+failure|chf|hfref|hfpef|afib|ckd|kidney|renal|dialysis|fibro\w*|depress\w*|"
    r"bipolar|anxiety|long\s+covid|psoria\w*|cancer|als|mnd|parkinson'?s|dementia|alzheimer'?s|"
    r"sickle\s+cell|cystic\s+fibrosis|cf|pots|cfs|chronic\s+(?:fatigue|pain|illness)|"
    r"endometriosis|endo|thyroid|hypothyroid\w*|hashimoto'?s|coeliac|celiac|gastroparesis|stroke|"
    r"transplant|hiv|hepatitis|sleep\s+apno?ea|eczema|pcos|osteoporosis|gout|pain|flares?|flare-ups?|"
    r"diagnos\w*|condition|illness|disease|chronic|hospital|icu|meds|medication|symptoms?|spoonies?|"
    r"disabilit\w*|mental\s+health|schizo\w*|ptsd|adhd|neuropathy|myasthenia|sj[oö]gren'?s|vasculitis|"
    r"scleroderma|cirrhosis|brain\s+fog|fatigue|inflammation|blood\s+(?:sugar|pressure)|cholesterol|"
    r"weight|obesity|acne|joint|gut|immune|autoimmune|pcos|menopause|endometriosis|alopecia|"
    r"exacerbation|relapse|remission|sugar|insomnia|arrhythmia|hypertension|bp"
)
CONDITION_RULES = RuleSet([("condition", r"\b(?:" + alt + r")\b") for alt in alternatives(CONDITION)])


def actors(s):
    """Who acts in a clause: 'clinician', 'self', 'reader', 'other' (several may hold)."""
    return {name for name, rx in _ACTORS if rx.search(s)}


def own_initiative(s):
    return bool(_OWN_INITIATIVE.search(s))


def modality(s):
    """What a clause does: 'advice', 'intent', 'question', 'ask_clinician', 'hypothetical',
    'cautionary', 'negated' (several may hold; none means a plain report)."""
    return {name for name, rx in _MODALITIES if rx.search(s)}


_ACTORS = (("clinician", _CLIN_AGENT), ("self", _SELF), ("reader", _READER), ("other", _OTHER))
_MODALITIES = (("advice", _ADVICE), ("intent", _INTENT), ("question", _QUESTION), ("ask_clinician", _CLIN_QUESTION),
               ("hypothetical", _HYPOTHETICAL), ("cautionary", CAUTION), ("negated", _NEGATION))


def compile_imperative(verbs):
    """A pattern that matches a clause opening (after discourse words) with one of `verbs`."""
    return re.compile(r"\s*" + _DISCOURSE + r"(?:" + verbs + r")\b")
