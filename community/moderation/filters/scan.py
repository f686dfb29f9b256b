"""Literal-anchored matching, so a long rule list costs little on a long post.

Python's `re` tries every alternative of a big alternation at every character. A `RuleSet`
instead reads, from each rule's own syntax tree, the words (or word prefixes, up to four
letters) its matches can start with, files the rule under them, and at run time tries a rule
only where such a word starts. One Aho-Corasick pass (pyahocorasick, in C) over a post finds
where every rule set's words start (`WordIndex`); all rule sets share it. A rule whose match
can start with a non-word character is searched over the whole text. Matches are those of a
`finditer` of each rule on its own, except that overlapping matches of different rules are all
kept.
"""
import bisect
import re
import threading
from re import _constants as sre
from re import _parser

import ahocorasick

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
    found = _expand(_parser.parse(pattern), {("", _OPEN)})
    if not found or any(not p for p, _ in found):
        return None
    return sorted({(p, s == _EXACT and len(p) < _KEY) for p, s in found})


_DIGIT = re.compile(r"\d")
_MONEY = re.compile(r"[$£€]")
_LEADS_WITH_DIGIT = re.compile(r"(?:\\b)?(?:\(\?:)?\\d")
_TOKEN = re.compile(r"[a-z0-9@$'][a-z0-9@$'*]*")


_REGISTRY = []          # every RuleSet, so one automaton holds all their keys
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
                for rules in list(_REGISTRY):
                    for key, exact in rules.keys:
                        pattern = " " + key + (" " if exact else "")
                        automaton.add_word(pattern, (key, exact, len(pattern)))
                automaton.make_automaton()
                _automaton = automaton
    return _automaton


class WordIndex:
    """Where the rule sets' words start in a text, and the text's words (found once)."""

    def __init__(self, text):
        self.has_digit = _DIGIT.search(text) is not None
        self.has_money = _MONEY.search(text) is not None
        # words are cut at anything but letters, digits and ' @ $ * (bytes.translate is the
        # fastest way to blank the rest, for the usual ASCII text)
        if text.isascii():
            spaced = " " + text.encode("ascii").translate(_BLANK).decode("ascii") + " "
        else:
            spaced = " " + _NOT_WORD.sub(" ", text) + " "
        self.words = set(spaced.split())
        positions = {}
        for end, (key, exact, size) in _keys_automaton().iter(spaced):
            # end is the last character of " key( )"; the key starts size - 1 before it, minus the
            # leading space added above
            positions.setdefault((key, exact), []).append(end - size + 1)
        self.positions = positions
        self.present = frozenset(positions)
        self._text = text

    def patched(self, text, spans):
        """The index of `text`, a same-length copy of this index's text that differs only inside
        `spans` (the leetspeak view): keys there are found again, the rest is reused."""
        other = WordIndex.__new__(WordIndex)
        other.has_digit, other.has_money = self.has_digit, self.has_money
        other.words = set(self.words)
        covered = {i for start, end in spans for i in range(start, end)}
        positions = dict(self.positions)
        automaton = _keys_automaton()
        for start, end in spans:
            # keys this index found in the old word: drop their positions inside it
            old = " " + _NOT_WORD.sub(" ", self._text[start:end]) + " "
            for _, (key, exact, _) in automaton.iter(old):
                if (key, exact) in positions:
                    positions[(key, exact)] = [i for i in positions[(key, exact)] if i not in covered]
            other.words.update(_TOKEN.findall(text, start, end))
            piece = " " + _NOT_WORD.sub(" ", text[start:end]) + " "
            for stop, (key, exact, size) in automaton.iter(piece):
                positions[(key, exact)] = sorted(positions.get((key, exact), []) + [start + stop - size + 1])
        other.positions = {key: starts for key, starts in positions.items() if starts}
        other.present = frozenset(other.positions)
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
        buckets, always = {}, []
        for i, (_, pattern) in enumerate(rules):
            keys = heads(pattern)
            if keys is None:
                always.append(i)
            else:
                for key in keys:
                    buckets.setdefault(key, []).append(i)
        compile_ = lambda ids: re.compile("|".join(f"(?P<g{i}>{rules[i][1]})" for i in ids))
        # (key, exact) -> the alternation of the rules filed under it
        self.rx = {key: compile_(ids) for key, ids in buckets.items()}
        self.keys = frozenset(self.rx)      # a post's keys select its buckets by set intersection
        self.group = {f"g{i}": name for i, name in enumerate(self.names)}
        global _automaton
        with _automaton_lock:
            _REGISTRY.append(self)
            _automaton = None       # rebuilt with these keys on next use
        # each unanchored rule on its own: one starting with a character class or a literal
        # lets `re` skip quickly to where it can match
        # (a leading \\b would stop `re` from scanning ahead: it is checked here instead)
        self.always = [(i, re.compile(rules[i][1][2:] if rules[i][1].startswith("\\b") else rules[i][1]),
                        rules[i][1].startswith("\\b"),
                        "digit" if _LEADS_WITH_DIGIT.match(rules[i][1]) else
                        "money" if rules[i][1].startswith("[$£€]") else None) for i in always]

    def may_match(self, index):
        """False when no rule can match: none of the rules' words is in the text."""
        if self.keys & index.present:
            return True
        return any((needs != "digit" or index.has_digit) and (needs != "money" or index.has_money)
                   for _, _, _, needs in self.always)

    def find(self, text, index, start=0, end=None, within=None):
        """All matches starting in text[start:end] (and in one of the sorted, disjoint
        [a, b) ranges `within`, when given): [(start, end, name)]."""
        if end is None:
            end = len(text)
        found = []
        append = found.append
        group = self.group
        positions = index.positions
        lows = [a for a, _ in within] if within else None
        for key in self.keys & index.present:
            rx = self.rx[key]
            for i in positions[key]:
                if start <= i < end:
                    if lows is not None:
                        k = bisect.bisect_right(lows, i) - 1
                        if k < 0 or i >= within[k][1]:
                            continue
                    m = rx.match(text, i)
                    if m:
                        append((i, m.end(), group[m.lastgroup]))
        for i, rx, boundary, needs in self.always:
            if (needs == "digit" and not index.has_digit) or (needs == "money" and not index.has_money):
                continue
            for m in rx.finditer(text, start, end):
                if not boundary or m.start() == 0 or not text[m.start() - 1].isalnum():
                    append((m.start(), m.end(), self.names[i]))
        if len(found) > 1:
            found.sort()
        return found
