"""scan's matching is that of plain `finditer` (issue 13).

`scan.RuleSet`, `scan.matches_at`, `scan.found_at_openings` and `scan.gate` read each pattern's
syntax tree to decide where (or whether) to try it; these tests check, on generated text, that
what they find is what compiling each pattern and calling `finditer` finds on the same
normalised text (overlapping matches of different rules are all kept). First with every rule
set and gated pattern the filters really use, on text made from the words of their own
patterns; then with patterns generated from a small grammar. Derandomised, so CI is stable.
"""
import re
from contextlib import contextmanager
from functools import lru_cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from community.moderation.filters import Text, abuse, consult_reminder, crisis, normalize, phi, scan, spam

FAST = settings(max_examples=80, derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@lru_cache(maxsize=None)
def _compiled(pattern):
    return re.compile(pattern)


def _expected(rules, text):
    """Each rule's own finditer, all together: [(start, end, name)], sorted."""
    found = []
    for name, pattern in zip(rules.names, rules.patterns, strict=True):
        found += [(m.start(), m.end(), name) for m in _compiled(pattern).finditer(text)]
    return sorted(found)


def _phrases(patterns):
    """Runs of words a pattern spells out ("kill myself", "up to"), to build text that matches."""
    found = set()
    for pattern in patterns:
        plain = re.sub(r"\\s[+*?]?", " ", pattern)
        plain = re.sub(r"\\[bBdDwWS]|\(\?[:=!#]|\(\?<[=!]", "|", plain)
        found.update(m.strip() for m in re.findall(r"[a-z'][a-z' ]*[a-z']|[a-z]", plain))
    return sorted(found - {""})


_DIGITS = ["1", "42", "2024", "0207 946 0000", "$5", "\u00a320", "50%", "10mg", "3 days", "24h", "1-2-3"]
_PUNCT = [".", ",", "!", "?", "'", "-", ":", "@", "*", "#", "/", '"', "(", ")", "\u2019"]
_SEPARATORS = [" ", " ", " ", "", "  ", "\n", ". ", ", ", "! ", " - ", "\t"]
_LEET = str.maketrans({"o": "0", "i": "1", "e": "3", "a": "4", "s": "$"})


def _cased(word, how):
    return [word, word, word.upper(), word.title(), word.translate(_LEET)][how]


def texts(phrases):
    """Raw posts: phrases of the patterns (in any case, some in leetspeak), words, digits and
    punctuation, joined by spaces, newlines, punctuation or nothing."""
    token = st.one_of(
        st.tuples(st.sampled_from(phrases), st.integers(0, 4)).map(lambda t: _cased(*t)),
        st.sampled_from(_DIGITS), st.sampled_from(_PUNCT),
        st.sampled_from(["i", "my", "the", "and", "not", "so", "to", "you", "me", "it"]))
    return st.lists(st.tuples(token, st.sampled_from(_SEPARATORS)), min_size=1, max_size=14).map(
        lambda parts: _OPENING_QUOTE.sub(r" \g<0> ", "".join(a + b for a, b in parts)))


# The word index counts ' @ $ * as letters (for "it's" and leetspeak) where `\\b` does not, so
# one of them next to a word ("'kill myself'", "$ace inhibitors") can hide the word from a
# RuleSet (see the xfail below): the generated text keeps them, but apart from words.
_OPENING_QUOTE = re.compile(r"(?<=[a-z0-9])['@$*]|['@$*](?=[a-z0-9])", re.IGNORECASE)


def _rule_sets():
    found = []
    for module in (crisis, consult_reminder, abuse, spam, phi, normalize):
        for name, value in sorted(vars(module).items()):
            if isinstance(value, scan.RuleSet):
                found.append(pytest.param(value, id=f"{module.__name__.rsplit('.', 1)[1]}.{name}"))
    return found


def _gated():
    found = []
    for module in (crisis, consult_reminder, abuse, phi, normalize):
        for name, value in sorted(vars(module).items()):
            if isinstance(value, scan.Gated):
                found.append(pytest.param(value, id=f"{module.__name__.rsplit('.', 1)[1]}.{name}"))
    return found


RULE_SETS = _rule_sets()
GATED = _gated()


def test_the_filters_rule_sets_and_gates_are_all_found():
    names = {p.id for p in RULE_SETS} | {p.id for p in GATED}
    assert {"crisis._RULES", "consult_reminder._TREATMENTS", "consult_reminder._CHANGE", "abuse._RULES",
            "spam._SIGNAL_RULES", "abuse._ALLOW"} <= names
    assert len(GATED) >= 20


def _check_rule_set(rules, raw):
    """What `find` returns against each rule's own finditer. Exactly equal, but for one thing
    the bucketing does that finditer does not (see the test of it below): rules filed under the
    same word are tried as one alternation, so of two rules matching at the same start only the
    first is reported, and a rule is tried wherever its word starts, even inside its own last
    match. So: every finditer match is found, or another rule's match at the same start is; and
    everything found is a match of a rule of that name at that start."""
    doc = Text(raw)
    for view in ("low", "leet"):
        text = getattr(doc, view)
        found = rules.find(text, doc.index(view))
        expected = _expected(rules, text)
        assert found == sorted(found), (view, text)
        starts = {start for start, _, _ in found}
        for match in expected:
            assert match in found or match[0] in starts, (rules.patterns, view, text, match, found)
        for start, end, name in found:
            assert any(n == name and (m := _compiled(p).match(text, start)) and m.end() == end
                       for n, p in zip(rules.names, rules.patterns, strict=True)), (rules.patterns, view, text, start, end, name)
        assert rules.exists(text, doc.index(view)) == bool(expected), (view, text)
        if expected:
            assert rules.may_match(doc.index(view)), (view, text)


def test_rules_under_one_word_matching_at_one_start_report_the_first():
    """The one way `find` is not each rule's finditer (kept as it is: the filters were tuned on
    it): "assholes" is both profanity and an insult word, and only the first rule is reported
    (twice here: the rule is filed under two of the words it can start with)."""
    doc = Text("assholes ")
    assert set(abuse._RULES.find(doc.low, doc.index())) == {(0, 8, "profanity")}
    assert _expected(abuse._RULES, doc.low) == [(0, 8, "insult_word"), (0, 8, "profanity")]


@pytest.mark.parametrize("rules", RULE_SETS)
def test_rule_set_finds_what_each_rules_finditer_finds(rules):
    @FAST
    @given(texts(_phrases(rules.patterns)))
    def check(raw):
        _check_rule_set(rules, raw)
    check()


@pytest.mark.parametrize("gated", GATED)
def test_gated_pattern_finds_what_the_pattern_finds(gated):
    @FAST
    @given(texts(_phrases([gated.pattern])), st.integers(0, 20), st.integers(0, 60))
    def check(raw, pos, length):
        text = Text(raw).low
        assert [m.span() for m in gated.finditer(text)] == [m.span() for m in gated.rx.finditer(text)]
        found, want = gated.search(text), gated.rx.search(text)
        assert (found and found.span()) == (want and want.span())
        endpos = pos + length
        assert ([m.span() for m in gated.finditer(text, pos, endpos)]
                == [m.span() for m in gated.rx.finditer(text, pos, endpos)])
        found, want = gated.search(text, pos, endpos), gated.rx.search(text, pos, endpos)
        assert (found and found.span()) == (want and want.span())
    check()


@FAST
@given(texts(_phrases([spam._CONTROLLED.pattern]) + ["sell", "buy", "cheap"]))
def test_controlled_drugs_matches_at_their_openings_equal_finditer(raw):
    doc = Text(raw)
    for view in ("low", "leet"):
        text = getattr(doc, view)
        starts = doc.index(view).starts(text, tuple(spam._CONTROLLED_OPENINGS))
        want = [m.span() for m in spam._CONTROLLED.finditer(text)]
        assert [m.span() for m in scan.matches_at(spam._CONTROLLED, text, starts)] == want
        assert scan.found_at_openings(spam._CONTROLLED, text, spam._CONTROLLED_OPENINGS) == bool(want)


# Found by these tests: the word index counted ' @ $ * as part of a word, so a quoted phrase
# was never looked for ("i want to 'kill myself'" had no crisis match).
@pytest.mark.parametrize(("rules", "raw"), [(crisis._RULES, "i want to 'kill myself'"),
                                             (consult_reminder._TREATMENTS, "$ace inhibitors")])
def test_a_phrase_next_to_a_quote_or_sign_is_found(rules, raw):
    doc = Text(raw)
    assert _expected(rules, doc.low)
    assert rules.find(doc.low, doc.index())


# --- generated patterns: literals, alternation, optional groups, \b, \s+, \d+, classes ---

_VOCAB = ["a", "ab", "abc", "b", "ba", "cd", "pain", "pa", "x", "it's"]
_CONSUMING = st.one_of(
    st.sampled_from(_VOCAB),
    st.sampled_from(["[abc]", "[a-c]", "[xy]", "[.!]", r"\d", r"\d+", r"\d{2,3}", r"\w+", r"[$\u00a3]", "@"]))


def _sequence(depth):
    """A sequence that always consumes something (no rule matches empty text)."""
    element = st.one_of(_atom(depth), _optional(depth), st.sampled_from([r"\b", r"\s+", " ", r"\s*", r"[\d.,]*"]))
    return st.tuples(st.booleans(), _atom(depth), st.lists(element, max_size=3), st.integers(0, 3),
                     st.booleans()).map(
        lambda t: (r"\b" if t[0] else "") + "".join(t[2][:t[3]] + [t[1]] + t[2][t[3]:]) + (r"\b" if t[4] else ""))


def _atom(depth):
    if depth <= 0:
        return _CONSUMING
    group = st.lists(_sequence(depth - 1), min_size=2, max_size=3).map(lambda alts: "(?:" + "|".join(alts) + ")")
    return st.one_of(_CONSUMING, group)


def _optional(depth):
    if depth <= 0:
        return st.sampled_from(_VOCAB).map(lambda w: w + "?")
    return st.one_of(st.sampled_from(_VOCAB).map(lambda w: w + "?"),
                     _sequence(depth - 1).map(lambda s: "(?:" + s + ")?"))


PATTERNS = st.lists(_sequence(2), min_size=1, max_size=3).map("|".join)

# A RuleSet's rules start where a word starts, "\\b" then a letter or digit: a rule's words are
# looked for at word starts only, and a leading "\\b" of an unanchored rule is checked as "no
# letter or digit before" (so "\\b[.!]" or a bare "a" would not be found as finditer finds them:
# no lexicon entry is written so).
_WORD_CONSUMING = st.sampled_from([w for w in _VOCAB if w[0].isalnum()] + ["[abc]", "[a-c]", r"\d", r"\d+", r"\w+"])


def _rule(depth):
    element = st.one_of(_atom(depth), _optional(depth), st.sampled_from([r"\b", r"\s+", " ", r"\s*", r"[\d.,]*"]))
    head = _WORD_CONSUMING if depth <= 0 else st.one_of(
        _WORD_CONSUMING, st.lists(_rule(depth - 1), min_size=2, max_size=3).map(lambda alts: "(?:" + "|".join(alts) + ")"))
    lead = st.one_of(st.just(""), st.sampled_from(_VOCAB[:4]).map(lambda w: "(?:" + w + r"\s+)?"))
    return st.tuples(lead, head, st.lists(element, max_size=3), st.booleans()).map(
        lambda t: r"\b" + t[0] + t[1] + "".join(t[2]) + (r"\b" if t[3] else ""))


RULES = st.lists(_rule(2), min_size=1, max_size=2).map("|".join)
GEN_TEXT = st.lists(st.sampled_from(_VOCAB + ["1", "12", "123", " ", "  ", "\n", ".", ",", "!", "'", "-", "$", "@"]),
                    max_size=16).map(lambda parts: _OPENING_QUOTE.sub(r" \g<0> ", "".join(parts)))


@contextmanager
def _scratch_rule_sets():
    """RuleSets made by a test are forgotten afterwards (the automaton of keys is shared)."""
    registry, key_ids = list(scan._REGISTRY), dict(scan._KEY_IDS)
    try:
        yield
    finally:
        with scan._automaton_lock:
            scan._REGISTRY[:] = registry
            scan._KEY_IDS.clear()
            scan._KEY_IDS.update(key_ids)
            scan._automaton = None


GENERATED = settings(max_examples=300, derandomize=True, deadline=None, database=None,
                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@GENERATED
@given(st.lists(RULES, min_size=1, max_size=3), st.lists(GEN_TEXT, min_size=1, max_size=3))
def test_rule_set_of_generated_patterns_equals_finditer(patterns, texts_):
    with _scratch_rule_sets():
        rules = scan.RuleSet([(f"r{i}", p) for i, p in enumerate(patterns)])
        for text in texts_:
            _check_rule_set(rules, text)


@GENERATED
@given(PATTERNS, st.lists(GEN_TEXT, min_size=1, max_size=3))
def test_gate_and_matches_at_of_generated_patterns_equal_finditer(pattern, texts_):
    rx = re.compile(pattern)
    gated = scan.gate(rx)
    found = scan.openings_of(pattern)
    for text in texts_:
        want = [m.span() for m in rx.finditer(text)]
        assert [m.span() for m in gated.finditer(text)] == want
        assert bool(gated.search(text)) == bool(want)
        if found is not None:
            places = tuple(sorted(scan.DIGIT if o is scan.DIGIT_RUN else o for o in found))
            starts = scan.WordIndex(text).starts(text, places if len(places) > 1 else places[0])
            assert [m.span() for m in scan.matches_at(rx, text, starts)] == want
            literals = [o for o in found if o not in (scan.DIGIT, scan.DIGIT_RUN)]
            if len(literals) == len(found):
                assert scan.found_at_openings(rx, text, literals) == bool(want)


# --- the pattern reader refuses what it does not read ---

@pytest.mark.parametrize("pattern", [r"(a)", r"\1", r"(?i)a", r"(?s:a)", r"(?(1)a|b)", r"\p{L}", r"a{x}",
                                     r"(?P<n>a)", r"\N{DASH}", r"a**"])
def test_the_pattern_reader_refuses_syntax_outside_its_subset(pattern):
    from community.moderation.filters import pattern_tree
    with pytest.raises(pattern_tree.UnsupportedPattern, match="does not support"):
        pattern_tree.parse(pattern)
    with pytest.raises(pattern_tree.UnsupportedPattern):
        scan.RuleSet([("x", r"\bword" + pattern)])
