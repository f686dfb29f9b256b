"""The learned classifier (community/moderation/classifier.py) and its data."""
import json
import re
from pathlib import Path

import numpy as np

from community.moderation import classifier, judge

BLIND = Path(__file__).resolve().parents[1] / "moderation/blind"


def test_the_committed_model_is_the_one_its_data_trains(tmp_path):
    meta = json.loads((classifier.MODEL_DIR / "meta.json").read_text(encoding="utf-8"))
    assert meta["data_sha256"] == classifier.data_hash(), "data changed: run `community moderation train`"
    assert classifier.artifact_hash() == meta["artifact_sha256"], "model files edited by hand"
    rebuilt = classifier.train(model_dir=tmp_path)
    # The same data gives the same model, to within liblinear's stopping tolerance (1e-4): another
    # CPU (FMA or not, another BLAS kernel) stops the solver a hair away, so the bytes may differ.
    assert (tmp_path / "vocabulary.json").read_bytes() == (classifier.MODEL_DIR / "vocabulary.json").read_bytes()
    for name in ("weights.npy", "idf.npy"):
        assert np.allclose(np.load(tmp_path / name), np.load(classifier.MODEL_DIR / name), rtol=0, atol=2e-3), \
            f"training gives another {name}: run `community moderation train`"
    for head, (a, b) in meta["calibration"].items():
        assert np.allclose(rebuilt["calibration"][head], (a, b), rtol=0, atol=1e-4), head
    # thresholds are picked beside the rules' labels: a change of the rules needs a retrain too
    assert rebuilt["thresholds"] == meta["thresholds"], "the rules changed: run `community moderation train`"
    assert sorted(p.name for p in classifier.MODEL_DIR.iterdir()) == [
        "idf.npy", "meta.json", "vocabulary.json", "weights.npy"]   # arrays and JSON, nothing to unpickle


def _key(text):
    return " ".join(re.findall(r"\w+", classifier.normalise(text)))


def near_duplicates(blind_rows, training_rows):
    """Blind ids whose text, normalised, equals or is contained in (or contains) a training text."""
    training = [_key(r["text"]) for r in training_rows]
    exact = set(training)
    found = []
    for row in blind_rows:
        key = _key(row["text"])
        if key in exact or (len(key) >= 40 and any(key in t or (len(t) >= 40 and t in key) for t in training)):
            found.append(row["id"])
    return found


def test_no_blind_round_text_or_near_duplicate_is_in_the_training_data():
    blind = [json.loads(line) for path in sorted(BLIND.glob("round-*.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(blind) >= 250
    assert near_duplicates(blind, classifier.data_rows()) == []


def test_the_near_duplicate_check_sees_through_case_punctuation_accents_and_padding():
    blind = [{"id": "b1", "text": "Ya no quiero despertar, de verdad."}]
    assert near_duplicates(blind, [{"text": "ya no quiero DESPERTAR de verdad!!"}]) == ["b1"]
    assert near_duplicates(blind, [{"text": "Ya no quiero despértar de verdad"}]) == ["b1"]
    long = [{"id": "b2", "text": "I have been saving up my pills in a drawer for weeks now."}]
    assert near_duplicates(long, [{"text": "Update: I have been saving up my pills in a drawer for weeks now. Bye"}]) == ["b2"]
    assert near_duplicates(blind + long, [{"text": "Infusion day, bring snacks."}]) == []


def test_one_sentence_in_a_long_post_still_counts():
    filler = ("We drove to the coast on Saturday and the weather held. The kids built a sandcastle and "
              "I had chips on the pier. ") * 12
    limit = classifier.model().meta["thresholds"]["crisis"]
    alone = classifier.scores(filler)["crisis"]
    buried = classifier.scores(filler + "Some nights I hope I just don't wake up. " + filler)["crisis"]
    assert alone < limit <= buried, (alone, limit, buried)


def test_the_numpy_scorer_reads_the_saved_arrays_without_pickles():
    model = classifier.Model()
    assert model.coef.shape == (model.meta["features"], len(classifier.HEADS))
    scores = model.scores("")
    assert set(scores) == set(classifier.HEADS) and all(0 <= v <= 1 for v in scores.values())


def test_a_posts_language_comes_from_its_text():
    assert judge.language("Ya no quiero vivir, estoy cansada de todo esto") == "es"
    assert judge.language("I stopped my metformin and use cinnamon now") == "en"
    assert judge.language("") == "en"
