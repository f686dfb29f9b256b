"""Every miss or false alarm found in use (a moderator, the test box, a flag, our own tests) is
kept in community/moderation/data/regressions.jsonl, trained on, and judged here by the whole
judge (rules and classifier), as the site would."""
import json

import pytest

from community.moderation import classifier, judge
from community.moderation.decide import decide

ROWS = [json.loads(line) for line in (classifier.DATA_DIR / "regressions.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()]


@pytest.mark.parametrize("row", ROWS, ids=[r["id"] for r in ROWS])
def test_a_reported_miss_stays_fixed(row):
    decision = judge.judge(row["text"])
    assert sorted(decision.labels) == sorted(row["labels"]), row["note"]
    if row.get("crisis_tier") in ("A", "T"):
        assert decide(decision).lane == "urgent"
