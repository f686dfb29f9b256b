"""The filters' lexicons as data: one file a label in `lexicons/` (MODERATION.md §3's word lists and
phrase patterns), read once at import. The code keeps the logic (clauses, context, scoring).

A file holds, one item a line (`#` starts a comment line):

    @list NAME: a | b | c       words for <<after: @NAME>>
    @define NAME: pattern       a pattern fragment, used as <<NAME>>
    [section]                   the patterns that follow belong to this section
    pattern                     a regular expression in the filters' subset (scan.py)
      continued                 a line indented by two spaces continues the one before it
    + section: text             an example the label's filter must find as `section`
    - text                      an example it must find nothing in

Templates inside patterns: <<NAME>> (a define), <<after: a | b | @LIST>> (left context, as
normalize.after), <<negated: ...>> (the same, marked as the rule's own negation, crisis.py) and
<<alt: a | b>> (normalize.alt: words and their abbreviations). Each file's examples are its tests
(tests/unit/test_lexicons.py).
"""
import re
from dataclasses import dataclass, field
from pathlib import Path

from .normalize import after, alt

DIR = Path(__file__).with_name("lexicons")
_TEMPLATE = re.compile(r"<<(\w+)(?::([^>]*))?>>")


@dataclass
class Lexicon:
    label: str
    lists: dict = field(default_factory=dict)
    defines: dict = field(default_factory=dict)
    sections: dict = field(default_factory=dict)
    examples: list = field(default_factory=list)      # (section or None, text)

    def __getitem__(self, section):
        return self.sections[section]

    def one(self, section):
        (pattern,) = self.sections[section]
        return pattern

    def expand(self, text):
        def sub(m):
            name, args = m.group(1), m.group(2)
            if args is None:
                return self.defines[name]
            words = []
            for word in (w.strip() for w in args.split("|")):
                words += self.lists[word[1:]] if word.startswith("@") else [word]
            if name == "after":
                return after(*words)
            if name == "negated":
                return "(?#negated)" + after(*words)
            if name == "alt":
                return alt(*words)
            raise ValueError(f"{self.label}: unknown template <<{name}:…>>")
        return _TEMPLATE.sub(sub, text)


def load(label, directory=DIR):
    lex = Lexicon(label)
    items, section = [], None
    for number, line in enumerate((directory / f"{label}.lex").read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("  "):
            if not items:
                raise ValueError(f"{label}.lex:{number}: a continuation with nothing to continue")
            items[-1][2] += line[2:]
            continue
        if line.startswith("@list "):
            name, _, words = line[6:].partition(":")
            lex.lists[name.strip()] = [w.strip() for w in words.split("|") if w.strip()]
        elif line.startswith("@define "):
            name, _, pattern = line[8:].partition(":")
            items.append(["define", name.strip(), pattern.strip()])
        elif line.startswith("[") and line.rstrip().endswith("]"):
            section = line.strip()[1:-1]
            lex.sections.setdefault(section, [])
        elif line.startswith("+ "):
            name, _, text = line[2:].partition(":")
            lex.examples.append((name.strip(), text.strip()))
        elif line.startswith("- "):
            lex.examples.append((None, line[2:].strip()))
        elif section is None:
            raise ValueError(f"{label}.lex:{number}: a pattern before any [section]")
        else:
            items.append(["pattern", section, line])
    for kind, name, text in items:
        if kind == "define":
            lex.defines[name] = lex.expand(text)
        else:
            lex.sections[name].append(lex.expand(text))
    return lex
