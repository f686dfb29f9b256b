"""Score the moderation filters on a blind round, once (tests/moderation/blind/README.md).

    .venv/bin/python bench/blind_score.py tests/moderation/blind/round-N.jsonl

Runs `community moderation classify` on the round's texts (ids and texts only), then the shared
scorer, then recall by crisis tier and precision/recall by language (detected from the text, as
the filters do). Prints only figures: never tune on a round that has been scored.
"""
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SHARED_DIR", ROOT.parent / "shared"))


def main(path):
    rows = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        texts, preds = Path(tmp) / "texts.jsonl", Path(tmp) / "preds.jsonl"
        texts.write_text("".join(json.dumps({"id": r["id"], "text": r["text"]}) + "\n" for r in rows), encoding="utf-8")
        env = dict(os.environ, COMMUNITY_INSTANCE_PATH=str(Path(tmp) / "instance"))
        with open(preds, "w", encoding="utf-8") as out:
            subprocess.run([str(ROOT / ".venv/bin/community"), "moderation", "classify", str(texts)],
                           stdout=out, env=env, check=True)
        subprocess.run([sys.executable, str(SHARED / "data/score_moderation.py"), path, str(preds)], check=True)
        predicted = {p["id"]: set(p["labels"]) for p in map(json.loads, open(preds, encoding="utf-8"))}
    from community.moderation.judge import language

    print("\ncrisis recall by tier:")
    for tier in "ABCST":
        found = [r for r in rows if "crisis" in r["labels"] and r.get("crisis_tier") == tier]
        print(f"  {tier}: {sum('crisis' in predicted[r['id']] for r in found)} of {len(found)}")
    print("\nby language (detected): label precision recall support")
    for lang in ("en", "es"):
        mine = [r for r in rows if language(r["text"]) == lang]
        for label in ("crisis", "consult_reminder"):
            tp = sum(label in r["labels"] and label in predicted[r["id"]] for r in mine)
            pred = sum(label in predicted[r["id"]] for r in mine)
            support = sum(label in r["labels"] for r in mine)
            print(f"  {lang} {label:17} {tp / pred if pred else 0:.2f} {tp / support if support else 0:.2f} {support}"
                  f"  (of {len(mine)} posts)")


if __name__ == "__main__":
    main(sys.argv[1])
