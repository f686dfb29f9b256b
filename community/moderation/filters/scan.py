"""Literal-anchored matching, so a long rule list costs little on a long post.

Python's `re` tries every alternative of a big alternation at every character. A `RuleSet`
instead reads, from each rule's own syntax tree, the words (or word prefixes, up to four
letters) its matches can start with, files the rule under them, and at run time tries a rule
only where such a word starts. One Aho-Corasick pass (pyahocorasick, in C) over a post finds
where every rule set's words start (`WordIndex`); all rule sets share it. A rule whose match
can start with a non-word character is searched over the whole text. Matches are those of a
`finditer` of each rule on its own, except that overlapping matches of different rules are all
kept, and that of rules filed under one word that match at the same start only the first is
(tests/unit/test_scan_properties.py checks this on generated text).

The syntax trees are read with `pattern_tree`, our own reader of the syntax the lexicons use
(it refuses, at import, any other), not CPython's private `re._parser`.

The same idea serves other patterns `re` would try at every character: `openings` reads the
literals or digits a pattern's matches start with and `matches_at` tries it only there, with
the same matches as its `finditer`; `gate` skips a pattern on text that holds none of the
literals its matches need.
"""
import bisect
import re
import threading
from collections import defaultdict
from itertools import compress, repeat
from operator import call
import ahocorasick

from . import pattern_tree as sre

_KEY = 4
_WORD_START = re.compile(r"[a-z0-9@$!|']")
_OPEN, _PREFIX, _EXACT = 0, 1, 2
_SPACE = {(sre.CATEGORY, sre.CATEGORY_SPACE), (sre.CATEGORY, sre.CATEGORY_NOT_WORD)}


def _ends_word(op, av):
    """Whether this element can only match where a word has ended (space, boundary, punctuation)."""
    if op is sre.AT:
        return av in (sre.AT_BOUNDARY, sre.AT_END, sre.AT_END_STRING)
    if op is sre.IN:
        return all(item in _SPACE or (item[0] is sre.LITERAL and not _WORD_START.match(chr(item[1]))
                                       and chr(item[1]) != "*") for item in av)
    if op is sre.LITERAL:
        return not _WORD_START.match(chr(av)) and chr(av) != "*"
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        low, _, sub = av
        return low >= 1 and len(sub) > 0 and _ends_word(*sub[0])
    return False


def _expand(items, prefixes):
    """Possible literal prefixes after `items`, as (prefix, state) pairs."""
    for op, av in items:
        if op is sre.AT and av == sre.AT_BOUNDARY:
            prefixes = {(p, _EXACT if s == _OPEN and p else s) for p, s in prefixes}
            continue
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue
        if op is sre.LITERAL and (_WORD_START.match(chr(av)) or (chr(av) in "*#" and any(p for p, _ in prefixes))):
            ch = chr(av)
            prefixes = {(p + ch, _OPEN if len(p) + 1 < _KEY else _PREFIX) if s == _OPEN else (p, s)
                        for p, s in prefixes}
        elif op is sre.SUBPATTERN:
            prefixes = _expand(av[3], prefixes)
        elif op is sre.ATOMIC_GROUP:
            prefixes = _expand(av, prefixes)
        elif op is sre.BRANCH:
            out = set()
            for branch in av[1]:
                out |= _expand(branch, prefixes)
            prefixes = out
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            low, high, sub = av
            once = _expand(sub, prefixes)
            if high != 1:
                once = {(p, _PREFIX if s == _OPEN else s) for p, s in once}
            prefixes = (prefixes | once) if low == 0 else once
        else:
            ends = _ends_word(op, av)
            prefixes = {(p, (_EXACT if ends and p else _PREFIX) if s == _OPEN else s) for p, s in prefixes}
    return prefixes


def heads(pattern):
    """[(key, exact)]: the words (exact) or word prefixes every match of `pattern` starts with;
    None when a match may start with something else."""
    found = _expand(sre.parse(pattern), {("", _OPEN)})
    if not found or any(not p for p, _ in found):
        return None
    return sorted({(p, s == _EXACT and len(p) < _KEY) for p, s in found})


_DIGIT = re.compile(r"\d")
DIGIT = "\\d"       # an opening (see `openings`): any digit
DIGIT_RUN = "\\d+"   # an opening: the first digit of a run of digits (see `openings`)
_DIGIT_IN = [(sre.CATEGORY, sre.CATEGORY_DIGIT)]
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)


def _takes_digits(op, av):
    """Whether the element is an unbounded repeat that can take any digit ("\\d+", "[\\d.,]*")."""
    return (op in _REPEATS and av[1] == sre.MAXREPEAT and len(av[2]) == 1 and av[2][0][0] is sre.IN
            and _DIGIT_IN[0] in av[2][0][1] and (sre.NEGATE, None) not in av[2][0][1])


_ZERO_WIDTH = (sre.AT, sre.ASSERT, sre.ASSERT_NOT)


def openings(items, asserted=False):
    """What every match of a parsed pattern starts with: a set of literal strings, DIGIT and
    DIGIT_RUN; None when a match may start with anything else. DIGIT_RUN is for a match that
    opens with "\\d+" or "\\d[\\d.,]*": one that starts inside a run of digits implies one at the
    digit before (the repeat takes that digit too), so only the first digit of a run needs trying."""
    i = 0
    while i < len(items) and items[i][0] in _ZERO_WIDTH:    # \b, lookarounds: consume nothing
        i += 1
        asserted = True         # (one may hold only inside a run of digits: no DIGIT_RUN then)
    if i == len(items):
        return None
    op, av = items[i]
    if op is sre.LITERAL:
        literal = ""
        while i < len(items) and items[i][0] is sre.LITERAL:
            literal += chr(items[i][1])
            i += 1
        return {literal}
    if op is sre.IN:
        if av == _DIGIT_IN:
            return {DIGIT_RUN if not asserted and i + 1 < len(items) and _takes_digits(*items[i + 1]) else DIGIT}
        if all(o is sre.LITERAL for o, _ in av):
            return {chr(c) for _, c in av}
        return None
    if op is sre.SUBPATTERN:
        _, add_flags, _, sub = av
        return None if add_flags & re.IGNORECASE else openings(sub, asserted)
    if op is sre.BRANCH:
        found = set()
        for branch in av[1]:
            part = openings(branch, asserted)
            if part is None:
                return None
            found |= part
        return found
    if op in _REPEATS and av[0] >= 1:
        if _takes_digits(op, av) and av[2][0][1] == _DIGIT_IN and not asserted:
            return {DIGIT_RUN}
        return openings(av[2], asserted)
    return None


def openings_of(pattern):
    """`openings` of a pattern given as a string."""
    return openings(sre.parse(pattern))


_LEADS_WITH_DIGIT = re.compile(r"(?:\\b)?(?:\(\?:)?\\d")
_TOKEN = re.compile(r"[a-z0-9@$'][a-z0-9@$'*]*")


def matches_at(rx, text, starts, pos=0):
    """The matches of `rx.finditer(text, pos)`, with `rx` tried only at `starts` (increasing
    positions that include every place a match of `rx` can start; `rx` never matches empty).
    For a pattern whose first character `re` cannot skip ahead to (a repeat, or a branch not
    made of literals): `re` then runs a full match attempt at every character of the text."""
    # The starts are tried in C, by map; those inside a match are skipped, not tried and
    # dropped: with a pattern that can run long ("1 2 3 4 ..." as one phone candidate) each
    # of them would read on to the same end, O(n) each.
    it = iter(starts)
    while True:
        first = next((s for s in it if s >= pos), None)     # the first start after the last match
        if first is None:
            return
        m = rx.match(text, first) or next(filter(None, map(rx.match, repeat(text), it)), None)
        if m is None:
            return
        yield m
        pos = m.end()


def _needs(items):
    """Literal strings one of which every match of a parsed pattern holds, or None. Any one
    element of a sequence gives such a set; the most telling one is kept (longest shortest
    literal, then fewest literals)."""
    options, run = [], ""
    for op, av in items:
        if op is sre.LITERAL:
            run += chr(av)
            continue
        if run:
            options.append({run})
            run = ""
        if op is sre.SUBPATTERN and not av[1] & re.IGNORECASE:
            options.append(_needs(av[3]))
        elif op is sre.ATOMIC_GROUP:
            options.append(_needs(av))
        elif op is sre.BRANCH:
            parts = [_needs(branch) for branch in av[1]]
            options.append(None if None in parts else set().union(*parts))
        elif op in _REPEATS and av[0] >= 1:
            options.append(_needs(av[2]))
        elif op is sre.IN and av and all(o is sre.LITERAL for o, _ in av):
            options.append({chr(c) for _, c in av})
    if run:
        options.append({run})
    options = [found for found in options if found]
    return max(options, key=lambda found: (min(map(len, found)), -len(found)), default=None)


def found_at_openings(rx, text, literals):
    """Whether `rx.search(text)` finds a match, trying `rx` only where one of `literals` (its
    openings, see `openings`) occurs: faster than `re` trying every position, for a pattern
    like "\\b(?:word|word|...)" whose words are rare."""
    for literal in literals:
        i = text.find(literal)
        while i >= 0:
            if rx.match(text, i):
                return True
            i = text.find(literal, i + 1)
    return False


class Gated:
    """A compiled pattern that is run only on text holding one of the literals every match of
    it holds: `in` finds them much faster than `re` tries each position of a sentence, and
    most sentences hold none. Same results as the pattern; `gate()` makes one."""

    def __init__(self, rx, needs):
        self.rx, self.pattern, self.needs = rx, rx.pattern, tuple(sorted(needs))

    def _holds(self, text, pos, endpos):
        if pos == 0 and endpos is None:
            return any(map(text.__contains__, self.needs))
        end = len(text) if endpos is None else endpos
        for literal in self.needs:
            if text.find(literal, pos, end) >= 0:
                return True
        return False

    def search(self, text, pos=0, endpos=None):
        if not self._holds(text, pos, endpos):
            return None
        return self.rx.search(text, pos) if endpos is None else self.rx.search(text, pos, endpos)

    def finditer(self, text, pos=0, endpos=None):
        if not self._holds(text, pos, endpos):
            return iter(())
        return self.rx.finditer(text, pos) if endpos is None else self.rx.finditer(text, pos, endpos)


def gate(rx):
    """`rx`, wrapped in a `Gated` when the literals its matches hold are known."""
    needs = None if rx.flags & re.IGNORECASE else _needs(sre.parse(rx.pattern, rx.flags))
    return Gated(rx, needs) if needs else rx


_REGISTRY = []          # every RuleSet, so one automaton holds all their keys
_KEY_IDS = {}           # (key, exact) -> a small int, which hashes faster than the pair
_automaton = None
_automaton_lock = threading.Lock()
_NOT_WORD = re.compile(r"[^a-z0-9'@$*]")
_BLANK = bytes(c if chr(c) in "abcdefghijklmnopqrstuvwxyz0123456789'@$*" else 32 for c in range(256))


def _keys_automaton():
    """The automaton over " key " (whole words) and " key" (prefixes) of every rule set."""
    global _automaton
    if _automaton is None:
        with _automaton_lock:
            if _automaton is None:
                automaton = ahocorasick.Automaton()
                for (key, exact), key_id in list(_KEY_IDS.items()):
                    pattern = " " + key + (" " if exact else "")
                    # the key starts len(pattern) - 1 before the end the automaton reports,
                    # less the leading space
                    automaton.add_word(pattern, (key_id, len(pattern) - 1))
                automaton.make_automaton()
                _automaton = automaton
    return _automaton


_DIGIT_MASK = bytes(49 if 48 <= c <= 57 else 32 for c in range(256))     # "1" for 0-9, else " "
_ONES = re.compile(rb"11*")     # (a literal first, which `re` finds fast)


def _digits(text, runs=False):
    """The positions of the digits (`\\d`) in text, ASCII or not; with `runs`, only of the first
    digit of each run of digits."""
    ascii_ = text.encode("ascii", "replace")         # one byte a character, "?" if not ASCII
    ones = _ONES.finditer(ascii_.translate(_DIGIT_MASK))
    others = []
    if not text.isascii():
        # other decimal digits ("\u0663"), where "?" stands for a non-ASCII character
        i = ascii_.find(b"?")
        while i >= 0:
            if text[i].isdecimal():
                others.append(i)
            i = ascii_.find(b"?", i + 1)
    if runs and not others:
        return [m.start() for m in ones]
    found = [i for m in ones for i in range(m.start(), m.end())]
    if others:
        found = sorted(found + others)
    if runs:
        found = [i for k, i in enumerate(found) if not k or found[k - 1] != i - 1]
    return found


_SIGN_START = re.compile(r"( )['@$*]+(?=[a-z0-9])")


class WordIndex:
    """Where the rule sets' words start in a text, and the text's words (found once)."""

    def __init__(self, text):
        self.has_digit = _DIGIT.search(text) is not None
        self.has_money = "$" in text or "\u00a3" in text or "\u20ac" in text      # [$£€]
        # words are cut at anything but letters, digits and ' @ $ * (bytes.translate is the
        # fastest way to blank the rest; "replace" makes each non-ASCII character one "?",
        # which is blanked too, so offsets stay those of the text)
        spaced = " " + text.encode("ascii", "replace").translate(_BLANK).decode("ascii") + " "
        self._words = set(spaced.split())
        positions = defaultdict(list)
        for end, (key, shift) in _keys_automaton().iter(spaced):
            # end is the last character of " key( )" in `spaced`, one ahead of the text
            positions[key].append(end - shift)
        if _SIGN_START.search(spaced):
            # ' @ $ * belong to words here (for "f*ck" and "@ss"), which hid a word just after
            # them: "i want to 'kill myself'" was never looked for. Look again with them blanked.
            bare = _SIGN_START.sub(lambda m: m.group(1) + " " * (len(m.group()) - 1), spaced)
            extra = defaultdict(list)
            for end, (key, shift) in _keys_automaton().iter(bare):
                extra[key].append(end - shift)
            for key, found in extra.items():
                positions[key] = sorted(set(positions.get(key, [])) | set(found))
        self.positions = dict(positions)
        self.present = frozenset(positions)
        self._text = text

    @property
    def words(self):
        """The text's words (a set), made on first use for a patched index (few need them)."""
        if self._words is None:
            words, text, spans = self._words_patch
            self._words = set(words)
            for start, end in spans:
                self._words.update(_TOKEN.findall(text, start, end))
        return self._words

    def starts(self, text, opening):
        """Where `opening` (a literal, DIGIT or DIGIT_RUN, or a tuple of them) occurs in `text`,
        this index's text (cached)."""
        cache = self.__dict__.setdefault("_starts", {})
        if cache.get(None) is not text:
            cache.clear()
            cache[None] = text
        if opening not in cache:
            if isinstance(opening, tuple):          # several: where any of them occurs
                cache[opening] = sorted(set().union(*(self.starts(text, one) for one in opening)))
            elif opening is DIGIT:
                cache[opening] = _digits(text)
            elif opening is DIGIT_RUN:
                cache[opening] = _digits(text, runs=True)
            else:
                found, i = [], text.find(opening)
                while i >= 0:
                    found.append(i)
                    i = text.find(opening, i + 1)
                cache[opening] = found
        return cache[opening]

    def patched(self, text, spans):
        """The index of `text`, a same-length copy of this index's text that differs only inside
        `spans` (the leetspeak view): keys there are found again, the rest is reused."""
        other = WordIndex.__new__(WordIndex)
        other.has_digit, other.has_money = self.has_digit, self.has_money
        other._words, other._words_patch = None, (self.words, text, spans)
        covered = {i for start, end in spans for i in range(start, end)}
        positions = dict(self.positions)
        automaton = _keys_automaton()
        dropped, added = set(), defaultdict(list)
        for start, end in spans:
            # keys this index found in the old word: their positions inside it are dropped
            old = " " + _NOT_WORD.sub(" ", self._text[start:end]) + " "
            dropped.update(key for _, (key, _) in automaton.iter(old) if key in positions)
            piece = " " + _NOT_WORD.sub(" ", text[start:end]) + " "
            for stop, (key, shift) in automaton.iter(piece):
                added[key].append(start + stop - shift)
        # each key's list is rebuilt once, not once per rewritten word (O(k^2) for k of them)
        for key in dropped:
            positions[key] = [i for i in positions[key] if i not in covered]
        for key, found in added.items():
            positions[key] = sorted(positions.get(key, []) + found)
        for key in dropped:             # (only these can have been left with none)
            if not positions[key]:
                del positions[key]
        other.positions = positions
        other.present = frozenset(positions)
        return other


def alternatives(pattern):
    """The top-level alternatives of a pattern, so each can be anchored on its own words."""
    parts, depth, in_class, start, i = [], 0, False, 0, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if pattern[i + 1:i + 2] == "]":
                i += 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts


def split_group(pattern):
    """`\\b(?:a|b|c)SUFFIX` as [`\\b(?:a)SUFFIX`, ...]: a family of phrases as separate rules."""
    if not pattern.startswith("\\b(?:"):
        return alternatives(pattern)
    depth, i = 0, 2
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            i = pattern.index("]", i + 2)
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                break
        i += 1
    inner, suffix = pattern[5:i], pattern[i + 1:]
    return [r"\b(?:" + alt + ")" + suffix for alt in alternatives(inner)]


class RuleSet:
    """Named rules run together over one text: `find(text, index)` -> [(start, end, name)]."""

    def __init__(self, rules):
        self.names = [name for name, _ in rules]
        self.patterns = [pattern for _, pattern in rules]
        buckets, always = {}, []
        for i, (_, pattern) in enumerate(rules):
            keys = heads(pattern)
            if keys is None:
                always.append(i)
            else:
                for key in keys:
                    buckets.setdefault(key, []).append(i)
        def compile_(ids):
            return re.compile("|".join(f"(?P<g{i}>{rules[i][1]})" for i in ids))
        global _automaton
        with _automaton_lock:
            key_ids = {key: _KEY_IDS.setdefault(key, len(_KEY_IDS)) for key in buckets}
            _REGISTRY.append(self)
            _automaton = None       # rebuilt with these keys on next use
        # the id of (key, exact) -> the alternation of the rules filed under it
        self.rx = {key_ids[key]: compile_(ids) for key, ids in buckets.items()}
        self.keys = frozenset(self.rx)      # a post's keys select its buckets by set intersection
        self.match = {key: rx.match for key, rx in self.rx.items()}
        self.group = {f"g{i}": name for i, name in enumerate(self.names)}
        # each unanchored rule on its own: one starting with a character class or a literal
        # lets `re` skip quickly to where it can match
        # (a leading \\b would stop `re` from scanning ahead: it is checked here instead)
        always = [(i, re.compile(rules[i][1][2:] if rules[i][1].startswith("\\b") else rules[i][1]),
                   rules[i][1].startswith("\\b"),
                   "digit" if _LEADS_WITH_DIGIT.match(rules[i][1]) else
                   "money" if rules[i][1].startswith("[$£€]") else None) for i in always]
        # Still, `re` tries a full match at every character for a rule that starts with a repeat
        # ("\\d+") or a branch: where a rule's matches can only start with some literals or a
        # digit ("openings"), it is tried there alone, which gives the same matches as its
        # finditer. One alternation of all such rules checks a position first, as most fail.
        self.opened = []
        for i, rx, boundary, needs in always:
            found = openings_of(rx.pattern)
            if found and rx.groups and DIGIT_RUN in found:
                # (a backreference could tell apart where in a run of digits a match starts)
                found = (found - {DIGIT_RUN}) | {DIGIT}
            if found:
                self.opened.append((i, rx, boundary, needs, sorted(found)))
        self.always = [rule for rule in always if rule[0] not in {r[0] for r in self.opened}]
        self.any_opened = re.compile("|".join(f"(?:{rx.pattern})" for _, rx, _, _, _ in self.opened))

    def may_match(self, index):
        """False when no rule can match: none of the rules' words is in the text."""
        if self.keys & index.present:
            return True
        return any((needs != "digit" or index.has_digit) and (needs != "money" or index.has_money)
                   for _, _, _, needs, *_ in self.always + self.opened)

    def find(self, text, index, start=0, end=None, within=None, until=None):
        """All matches starting in text[start:end] (and in one of the sorted, disjoint
        [a, b) ranges `within`, when given): [(start, end, name)]. With `until`, the unanchored
        rules' matches that start at or after it may be left out (they are found in turn, so
        stopping there saves the rest; the text after it is still read)."""
        if end is None:
            end = len(text)
        found = []
        append = found.append
        group = self.group
        positions = index.positions
        allowed = None
        if within or start > 0 or end < len(text):
            # which starts are allowed, one byte per character (filtered in C below)
            allowed = bytearray(len(text))
            for a, b in (within or [(start, end)]):
                a, b = max(a, start), min(b, end, len(text))
                if a < b:
                    allowed[a:b] = b"\x01" * (b - a)
        # One map over every (bucket, position) runs the attempts in C: most fail, and the
        # Python loop around `rx.match` used to cost more than the matching.
        matchers, starts = [], []
        for key in self.keys & index.present:
            here = positions[key] if allowed is None else list(filter(allowed.__getitem__, positions[key]))
            matchers += [self.match[key]] * len(here)
            starts += here
        for m in filter(None, map(call, matchers, repeat(text), starts)):
            append((m.start(), m.end(), group[m.lastgroup]))
        for i, rx, boundary, needs in self.always:
            if (needs == "digit" and not index.has_digit) or (needs == "money" and not index.has_money):
                continue
            for m in rx.finditer(text, start, end):
                if not boundary or m.start() == 0 or not text[m.start() - 1].isalnum():
                    append((m.start(), m.end(), self.names[i]))
        live = self._live(text, index)
        if live:
            self._find_opened(text, index, start, end, live, append, end if until is None else until)
        if len(found) > 1:
            found.sort()
        return found

    def _live(self, text, index):
        """The rules of `opened` that may match in text."""
        return [rule for rule in self.opened
                if not ((rule[3] == "digit" and not index.has_digit) or (rule[3] == "money" and not index.has_money))]

    def exists(self, text, index):
        """Whether `find(text, index)` would find anything, stopping at the first match."""
        positions = index.positions
        for key in self.keys & index.present:
            if any(map(self.match[key], repeat(text), positions[key])):
                return True
        found = []
        for _i, rx, boundary, needs in self.always:
            if (needs == "digit" and not index.has_digit) or (needs == "money" and not index.has_money):
                continue
            for m in rx.finditer(text):
                if not boundary or m.start() == 0 or not text[m.start() - 1].isalnum():
                    return True
        live = self._live(text, index)
        if live:
            self._find_opened(text, index, 0, len(text), live, found.append, len(text))
        return bool(found)

    def _find_opened(self, text, index, start, end, rules, append, until):
        """The `finditer(text, start, end)` matches of each of `rules` (see `opened`): each rule is
        tried, in order, at the positions where it may start from where its last match ended."""
        places = tuple(sorted({opening for rule in rules for opening in rule[4]}))
        candidates = index.starts(text, places[0] if len(places) == 1 else places)
        resume = [start] * len(rules)      # where each rule's finditer would search next
        candidates = candidates[bisect.bisect_left(candidates, start):bisect.bisect_left(candidates, min(end, until))]
        # the positions where some rule matches, checked in C (compress keeps those whose
        # match is not None)
        hits = compress(candidates, map(self.any_opened.match, repeat(text), candidates, repeat(end)))
        for k, (i, rx, boundary, _, places) in enumerate(rules):
            if DIGIT_RUN in places:
                self._resume_in_run(text, start, end, rx, boundary, i, append, resume, k)
        for c in hits:
            for k, (i, rx, boundary, _, places) in enumerate(rules):
                if c >= resume[k]:
                    m = rx.match(text, c, end)
                    if m:
                        resume[k] = m.end()
                        if not boundary or c == 0 or not text[c - 1].isalnum():
                            append((c, m.end(), self.names[i]))
                        if DIGIT_RUN in places:
                            self._resume_in_run(text, resume[k], end, rx, boundary, i, append, resume, k)

    def _resume_in_run(self, text, pos, end, rx, boundary, i, append, resume, k):
        """finditer resumes at `pos`: if that is inside a run of digits, a DIGIT_RUN rule may
        match there (only the runs' first digits are candidates), and then again after it."""
        while 0 < pos < end and text[pos - 1].isdecimal() and text[pos].isdecimal():
            m = rx.match(text, pos, end)
            if not m:
                return
            resume[k] = pos = m.end()
            if not boundary or not text[m.start() - 1].isalnum():
                append((m.start(), m.end(), self.names[i]))
