"""Cross-validated estimate of the whole judge (rules + classifier) on the training data.

    .venv/bin/python bench/cv_judge.py [--folds 5] [--dump out.jsonl] [--only batch-]

Each fold's model is trained on the other folds only, then the held-out posts are judged with
it by the real `judge` and `decide`. This is how the decision rule's gates and thresholds are
chosen: the blind rounds are for scoring once, never for choosing. Posts whose file name does not
start with --only (default: the helper-written batches) are always kept in training, because the
rules were written against them and would score them falsely well.
"""
import argparse
import hashlib
import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from community.moderation import classifier, decide, filters, judge  # noqa: E402

LABELS = ("crisis", "consult_reminder", "phi", "spam", "abuse")


def fold_of(row_id, folds):
    return int(hashlib.sha256(row_id.encode()).hexdigest(), 16) % folds


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--dump")
    parser.add_argument("--only", default="batch-")
    args = parser.parse_args()
    files = sorted(classifier.DATA_DIR.glob("*.jsonl"))
    rows = [(path.name, json.loads(line)) for path in files
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    out = []
    for k in range(args.folds):
        held = [r for name, r in rows if name.startswith(args.only) and fold_of(r["id"], args.folds) == k]
        tmp = Path(tempfile.mkdtemp())
        try:
            (tmp / "data").mkdir()
            for path in files:   # by file: training weighs regressions.jsonl's rows by its name
                kept = [r for name, r in rows if name == path.name
                        and not (name.startswith(args.only) and fold_of(r["id"], args.folds) == k)]
                (tmp / "data" / path.name).write_text(
                    "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in kept), encoding="utf-8")
            classifier.train(data_dir=tmp / "data", model_dir=tmp / "model")
            classifier._model = classifier.Model(tmp / "model")
            for r in held:
                decision = judge.judge(r["text"])
                outcome = decide.decide(decision) if decision else None
                rules = filters.run_filters(r["text"])
                out.append({"id": r["id"], "text": r["text"], "gold": r["labels"], "tier": r.get("crisis_tier"),
                            "lang": r.get("lang"), "rules": list(rules.labels),
                            "scores": decision.scores if decision else {},
                            "limits": judge.thresholds(),
                            "pred": list(outcome.labels) if outcome else [],
                            "urgent": bool(outcome and outcome.lane == "urgent")})
        finally:
            shutil.rmtree(tmp)
            classifier._model = None
    print(f"{len(out)} held-out posts in {args.folds} folds")
    print(f"{'label':17} {'support':>7} {'P':>6} {'R':>6} {'F1':>6}")
    for label in LABELS:
        tp = sum(label in o["gold"] and label in o["pred"] for o in out)
        pred = sum(label in o["pred"] for o in out)
        gold = sum(label in o["gold"] for o in out)
        p, r = tp / pred if pred else 0.0, tp / gold if gold else 0.0
        print(f"{label:17} {gold:7} {p:6.3f} {r:6.3f} {2 * p * r / (p + r) if p + r else 0.0:6.3f}")
    if args.dump:
        Path(args.dump).write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in out), encoding="utf-8")


if __name__ == "__main__":
    main()
