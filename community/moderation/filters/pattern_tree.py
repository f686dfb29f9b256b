"""The syntax tree of a pattern, for `scan` to read the words its matches start with.

CPython's own parser (`re._parser`) is private and changes between versions; this one reads the
part of the syntax our lexicons use and refuses the rest with `UnsupportedPattern`, so a new
lexicon entry cannot be silently mis-indexed: it fails at import instead. The tree has the same
shape as `re._parser`'s (a list of (op, argument) pairs, with its two simplifications: a branch
whose alternatives share a first element has it moved out, and one of single characters becomes a
set; a non-capturing group without flags is spliced into its sequence), so `scan` reads it as it
read that one.

Supported: literals and escaped punctuation, \\n \\t \\r \\f \\v \\xhh \\uhhhh \\Uhhhhhhhh, `.`, sets
[...] (ranges, negation, \\d \\w \\s and their negations inside), \\d \\D \\w \\W \\s \\S, \\b \\B \\A \\Z ^ $,
(?:...), (?#...), (?=...) (?!...) (?<=...) (?<!...), (?>...), (?i:...), and the repeats ? * + {m}
{m,} {,n} {m,n}, lazy (?) or possessive (+). Refused: capturing groups, backreferences,
conditionals, global or other inline flags, and any other escape.
"""
import re

# ops (compared with `is`)
LITERAL, NOT_LITERAL, ANY, IN, RANGE, CATEGORY, NEGATE, AT = (
    "LITERAL", "NOT_LITERAL", "ANY", "IN", "RANGE", "CATEGORY", "NEGATE", "AT")
SUBPATTERN, ATOMIC_GROUP, BRANCH, ASSERT, ASSERT_NOT = "SUBPATTERN", "ATOMIC_GROUP", "BRANCH", "ASSERT", "ASSERT_NOT"
MAX_REPEAT, MIN_REPEAT, POSSESSIVE_REPEAT = "MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"
# arguments of AT and CATEGORY
AT_BOUNDARY, AT_NON_BOUNDARY, AT_BEGINNING, AT_END, AT_BEGINNING_STRING, AT_END_STRING = (
    "AT_BOUNDARY", "AT_NON_BOUNDARY", "AT_BEGINNING", "AT_END", "AT_BEGINNING_STRING", "AT_END_STRING")
CATEGORY_DIGIT, CATEGORY_NOT_DIGIT, CATEGORY_SPACE, CATEGORY_NOT_SPACE, CATEGORY_WORD, CATEGORY_NOT_WORD = (
    "CATEGORY_DIGIT", "CATEGORY_NOT_DIGIT", "CATEGORY_SPACE", "CATEGORY_NOT_SPACE", "CATEGORY_WORD",
    "CATEGORY_NOT_WORD")
MAXREPEAT = float("inf")     # the upper bound of an unbounded repeat

_CATEGORIES = {"d": CATEGORY_DIGIT, "D": CATEGORY_NOT_DIGIT, "s": CATEGORY_SPACE, "S": CATEGORY_NOT_SPACE,
               "w": CATEGORY_WORD, "W": CATEGORY_NOT_WORD}
_AT = {"b": AT_BOUNDARY, "B": AT_NON_BOUNDARY, "A": AT_BEGINNING_STRING, "Z": AT_END_STRING}
_CONTROL = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v"}
_HEX = {"x": 2, "u": 4, "U": 8}
_COUNT = re.compile(r"\{(\d*)(?:(,)(\d*))?\}")


class UnsupportedPattern(ValueError):
    """A pattern using syntax this parser does not read."""

    def __init__(self, pattern, pos, what):
        super().__init__(f"{what} at position {pos} of {pattern!r}: scan's pattern reader does not "
                         f"support it (see community/moderation/filters/pattern_tree.py)")


class _Reader:
    def __init__(self, pattern):
        self.pattern, self.pos = pattern, 0

    def refuse(self, what, pos=None):
        raise UnsupportedPattern(self.pattern, self.pos if pos is None else pos, what)

    def peek(self, n=1):
        return self.pattern[self.pos:self.pos + n]

    def take(self, text):
        if self.pattern.startswith(text, self.pos):
            self.pos += len(text)
            return True
        return False

    def next(self):
        if self.pos >= len(self.pattern):
            self.refuse("an unexpected end")
        ch = self.pattern[self.pos]
        self.pos += 1
        return ch

    def escape(self, in_set):
        """The element after a backslash: (op, argument)."""
        start = self.pos - 1
        ch = self.next()
        if ch in _CATEGORIES:
            return (IN, [(CATEGORY, _CATEGORIES[ch])])
        if ch in _AT and not in_set:
            return (AT, _AT[ch])
        if ch == "b" and in_set:
            return (LITERAL, 8)
        if ch in _CONTROL:
            return (LITERAL, ord(_CONTROL[ch]))
        if ch in _HEX:
            digits = self.pattern[self.pos:self.pos + _HEX[ch]]
            if len(digits) != _HEX[ch] or not all(c in "0123456789abcdefABCDEF" for c in digits):
                self.refuse(f"a bad \\{ch} escape", start)
            self.pos += _HEX[ch]
            return (LITERAL, int(digits, 16))
        if ch.isascii() and ch.isalnum():
            self.refuse(f"the escape \\{ch}", start)
        return (LITERAL, ord(ch))


def _set(reader):
    """A [...] set, after its "[": (op, argument) as `re._parser` gives it."""
    start = reader.pos - 1
    items = []
    negate = reader.take("^")
    first = True
    while True:
        ch = reader.next()
        if ch == "]" and not first:
            break
        first = False
        if ch == "[" and reader.peek() in ":=.":
            reader.refuse("a POSIX class", reader.pos - 1)
        code1 = reader.escape(True) if ch == "\\" else (LITERAL, ord(ch))
        if reader.take("-"):
            if reader.peek() == "]":
                items.append(code1[1][0] if code1[0] is IN else code1)
                items.append((LITERAL, ord("-")))
                reader.next()
                break
            that = reader.next()
            code2 = reader.escape(True) if that == "\\" else (LITERAL, ord(that))
            if code1[0] is not LITERAL or code2[0] is not LITERAL or code2[1] < code1[1]:
                reader.refuse("a bad range", start)
            items.append((RANGE, (code1[1], code2[1])))
        else:
            items.append(code1[1][0] if code1[0] is IN else code1)
    items = list(dict.fromkeys(items))
    if len(items) == 1 and items[0][0] is LITERAL:
        return (NOT_LITERAL, items[0][1]) if negate else items[0]
    return (IN, ([(NEGATE, None)] if negate else []) + items)


def _repeat_bounds(reader):
    """(low, high) of a repeat at the reader, or None when there is none."""
    ch = reader.peek()
    if ch == "?":
        reader.pos += 1
        return 0, 1
    if ch == "*":
        reader.pos += 1
        return 0, MAXREPEAT
    if ch == "+":
        reader.pos += 1
        return 1, MAXREPEAT
    if ch == "{":
        m = _COUNT.match(reader.pattern, reader.pos)
        if not m:
            reader.refuse("a \"{\" that is not a repeat count (escape it)")
        low = int(m.group(1)) if m.group(1) else 0
        if m.group(2):
            high = int(m.group(3)) if m.group(3) else MAXREPEAT
        elif m.group(1):
            high = low
        else:
            reader.refuse("an empty repeat count")
        if high < low:
            reader.refuse("a repeat count whose maximum is below its minimum")
        reader.pos = m.end()
        return low, high
    return None


def _sequence(reader, depth):
    """One alternative: elements up to "|", ")" or the end."""
    items = []
    while reader.pos < len(reader.pattern) and reader.peek() not in "|)":
        start = reader.pos
        ch = reader.next()
        if ch == "\\":
            items.append(reader.escape(False))
        elif ch == "[":
            items.append(_set(reader))
        elif ch == ".":
            items.append((ANY, None))
        elif ch == "^":
            items.append((AT, AT_BEGINNING))
        elif ch == "$":
            items.append((AT, AT_END))
        elif ch == "(":
            group = _group(reader, depth, start)
            if group is not None:
                items.append(group)
        elif ch in "?*+{":
            reader.refuse("nothing to repeat", start)
        else:
            items.append((LITERAL, ord(ch)))
        bounds = _repeat_bounds(reader)
        if bounds is not None:
            if not items or items[-1][0] is AT:
                reader.refuse("nothing to repeat", start)
            if items[-1][0] in (MAX_REPEAT, MIN_REPEAT, POSSESSIVE_REPEAT):
                reader.refuse("a repeat of a repeat", start)
            item = [items[-1]]
            if item[0][0] is SUBPATTERN and item[0][1][0] is None and not item[0][1][1] and not item[0][1][2]:
                item = item[0][1][3]
            op = MIN_REPEAT if reader.take("?") else POSSESSIVE_REPEAT if reader.take("+") else MAX_REPEAT
            items[-1] = (op, (bounds[0], bounds[1], item))
    # non-capturing groups without flags are spliced in
    out = []
    for op, av in items:
        if op is SUBPATTERN and av[0] is None and not av[1] and not av[2]:
            out.extend(av[3])
        else:
            out.append((op, av))
    return out


def _group(reader, depth, start):
    """The element of a group, after its "(": None for a comment."""
    flags = 0
    kind = None
    if reader.take("?"):
        ch = reader.next()
        if ch == ":":
            kind = "group"
        elif ch == "#":
            end = reader.pattern.find(")", reader.pos)
            if end < 0:
                reader.refuse("an unclosed comment", start)
            reader.pos = end + 1
            return None
        elif ch in "=!":
            kind = ASSERT if ch == "=" else ASSERT_NOT
            direction = 1
        elif ch == "<" and reader.peek() in ("=", "!"):
            kind = ASSERT if reader.next() == "=" else ASSERT_NOT
            direction = -1
        elif ch == ">":
            kind = ATOMIC_GROUP
        elif ch == "i" and reader.take(":"):
            kind, flags = "group", re.IGNORECASE
        else:
            reader.refuse(f"the group \"(?{ch}\"", start)
    else:
        reader.refuse("a capturing group (write (?:...))", start)
    body = _alternation(reader, depth + 1)
    if not reader.take(")"):
        reader.refuse("an unclosed group", start)
    if kind is ATOMIC_GROUP:
        return (ATOMIC_GROUP, body)
    if kind in (ASSERT, ASSERT_NOT):
        return (kind, (direction, body))
    return (SUBPATTERN, (None, flags, 0, body))


def _alternation(reader, depth):
    """Alternatives separated by "|": a list of elements, simplified as `re._parser` does."""
    alternatives = [_sequence(reader, depth)]
    while reader.take("|"):
        alternatives.append(_sequence(reader, depth))
    if len(alternatives) == 1:
        return alternatives[0]
    out = []
    # a first element shared by all alternatives is moved out (an element holding a sequence
    # never counts as shared: `re._parser` compares those by identity)
    while all(alternatives) and all(_plain(alt[0]) and alt[0] == alternatives[0][0] for alt in alternatives):
        out.append(alternatives[0][0])
        alternatives = [alt[1:] for alt in alternatives]
    chars = []
    for alt in alternatives:
        if len(alt) != 1:
            break
        op, av = alt[0]
        if op is LITERAL:
            chars.append((op, av))
        elif op is IN and av[0][0] is not NEGATE:
            chars.extend(av)
        else:
            break
    else:
        out.append((IN, list(dict.fromkeys(chars))))
        return out
    out.append((BRANCH, (None, alternatives)))
    return out


def _plain(item):
    return item[0] in (LITERAL, NOT_LITERAL, ANY, IN, AT)


def parse(pattern, flags=0):
    """The syntax tree of `pattern` (see the module docstring); UnsupportedPattern if it uses
    syntax outside the subset. `flags` are those it is compiled with: only IGNORECASE (which
    the tree does not show) and UNICODE are allowed."""
    if flags & ~(re.IGNORECASE | re.UNICODE):
        raise UnsupportedPattern(pattern, 0, "flags other than IGNORECASE")
    reader = _Reader(pattern)
    tree = _alternation(reader, 0)
    if reader.pos < len(pattern):
        reader.refuse("an unbalanced \")\"")
    return tree
