"""The lexicon files (community/moderation/filters/lexicons/*.lex): each parses, each pattern is in
the filters' subset, and each file's examples hold against its label's filter."""
import re

import pytest

from community.moderation.filters import abuse, consult_reminder, crisis, lexicon, phi, spam, scan
from community.moderation.filters.normalize import Text

CHECK = {"crisis": crisis.check, "abuse": abuse.check, "spam": spam.check,
         "consult_reminder": consult_reminder.check, "phi": lambda doc: phi.check(doc)}
EXAMPLES = [(label, section, text) for label in CHECK for section, text in lexicon.load(label).examples]


def test_there_is_one_file_a_label_and_each_has_examples_both_ways():
    assert sorted(p.stem for p in lexicon.DIR.glob("*.lex")) == sorted(CHECK)
    for label in CHECK:
        examples = lexicon.load(label).examples
        assert any(section for section, _ in examples) and any(section is None for section, _ in examples), label


@pytest.mark.parametrize("label", sorted(CHECK))
def test_every_pattern_compiles_and_every_rule_is_in_the_filters_subset(label):
    lex = lexicon.load(label)
    for pattern in lex.defines.values():
        re.compile(pattern)
    for pattern in (p for ps in lex.sections.values() for p in ps):
        re.compile(pattern)
        scan.sre.parse(pattern)     # sections become word-indexed rules: scan's parser must read them


@pytest.mark.parametrize("label, section, text", EXAMPLES, ids=[f"{lab}:{s or '-'}:{t[:30]}" for lab, s, t in EXAMPLES])
def test_each_example_holds(label, section, text):
    lex = lexicon.load(label)
    doc = Text(text)
    verdict = CHECK[label](doc)
    if section is None:
        assert label not in verdict.labels, verdict.reasons
        return
    patterns = lex.sections.get(section) or [lex.defines[section]]
    assert any(re.search(p, doc.low) for p in patterns), f"no pattern of [{section}] matches"
    assert label in verdict.labels


def test_the_loader_expands_templates_and_refuses_what_it_does_not_know(tmp_path):
    (tmp_path / "x.lex").write_text(
        "@list WHO: he | she\n@define THING: (?:pills|tablets)\n[one]\n<<after: @WHO | they>>took\n"
        "  \\s+<<THING>>\n+ one: he took pills\n- nothing here\n", encoding="utf-8")
    lex = lexicon.load("x", tmp_path)
    (pattern,) = lex["one"]
    assert re.search(pattern, "then she took tablets") and not re.search(pattern, "we took tablets")
    assert lex.examples == [("one", "he took pills"), (None, "nothing here")]
    (tmp_path / "y.lex").write_text("a pattern before any section\n", encoding="utf-8")
    with pytest.raises(ValueError, match="before any"):
        lexicon.load("y", tmp_path)
    (tmp_path / "z.lex").write_text("[s]\n<<what: a>>\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown template"):
        lexicon.load("z", tmp_path)
