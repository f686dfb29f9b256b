"""The learned classifier beside the rules (community/moderation/README.md says how they combine).

One linear model per head over word 1–2-grams and character 3–5-grams (words padded with
spaces, as scikit-learn's `char_wb`), tf-idf weighted, with Platt-scaled probabilities fitted on
out-of-fold scores. `train` (scikit-learn) writes the model as plain arrays and JSON into
`model/`; `scores` reads them with numpy alone, so the web and worker processes never import
scikit-learn and nothing is unpickled. A post is scored in windows of a few sentences and each
head takes its highest window, so one sentence of advice in a long post still counts.
"""
import hashlib
import json
import re
import threading
import unicodedata
from functools import lru_cache
from itertools import chain
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
DATA_DIR = HERE / "data"
MODEL_DIR = HERE / "model"
HEADS = ("crisis", "crisis_urgent", "consult_reminder", "spam", "abuse")
WINDOW_CHARS = 160        # about two sentences: a risk sentence is not drowned by the post around it
WHOLE_CHARS = 400         # a short post is also scored whole, for what its sentences say together
MAX_WINDOWS = 320         # 50,000 characters (the longest post) in windows of ~160
_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")
_REPEATS = re.compile(r"(\w)\1{2,}")
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")   # accents, once decomposed


def normalise(text):
    """Lower case, accents folded (people drop them when typing fast), long letter runs cut to two."""
    text = text.lower()
    if not text.isascii():
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return _REPEATS.sub(r"\1\1", text)


@lru_cache(maxsize=50_000)
def _char_grams(word):
    padded = f" {word} "
    return tuple(padded[i:i + n] for n in (3, 4, 5) for i in range(len(padded) - n + 1))


_NEGATORS = frozenset({"not", "never", "no", "nor", "t", "nunca", "jamas", "ni", "without", "sin"})
NEGATION_SCOPE = 3


def negated(words):
    """The words in the scope of a negation ("not going to hurt myself"), marked: the same words
    unnegated are what crisis posts say."""
    out, left = [], 0
    for w in words:
        if w in _NEGATORS:
            left = NEGATION_SCOPE
        elif left:
            out.append("n:" + w)
            left -= 1
    return out


def pair_terms(words):
    return ["b:" + a + " " + b for a, b in zip(words, words[1:], strict=False)] + negated(words)


def features(text):
    """The terms of one text: words, word pairs, negated words and each word's character n-grams."""
    words = _WORD.findall(normalise(text))
    terms = ["w:" + w for w in words] + pair_terms(words)
    for w in words:
        terms += _char_grams(w)
    return terms


def windows(text):
    """Runs of whole sentences up to WINDOW_CHARS each (a longer sentence is its own window), and
    a short text whole."""
    out, current = [], ""
    for sentence in _SENTENCE_END.split(text):
        if current and len(current) + len(sentence) > WINDOW_CHARS:
            out.append(current)
            current = ""
        current = f"{current} {sentence}" if current else sentence
        if len(out) >= MAX_WINDOWS:
            break
    if current and len(out) < MAX_WINDOWS:
        out.append(current)
    if len(out) > 1 and len(text) <= WHOLE_CHARS:
        out.append(text)
    return out


def data_rows(data_dir=DATA_DIR):
    rows = []
    for path in sorted(Path(data_dir).glob("*.jsonl")):
        with open(path, encoding="utf-8") as fh:
            rows += [dict(json.loads(line), source=path.name) for line in fh if line.strip()]
    return rows


# A miss found in real use (regressions.jsonl) counts as this many written posts: the model must
# learn it, and one row among 3,000 barely moves a linear model ("I would rather not say").
REGRESSION_WEIGHT = 8.0


def targets(row):
    labels = set(row.get("labels") or ())
    tier = row.get("crisis_tier")
    # a crisis row without a tier teaches nothing about urgency: left out of that head (None)
    return {"crisis": "crisis" in labels,
            "crisis_urgent": ("crisis" in labels and tier in ("A", "T")) if tier or "crisis" not in labels else None,
            "consult_reminder": "consult_reminder" in labels, "spam": "spam" in labels, "abuse": "abuse" in labels}


def data_hash(data_dir=DATA_DIR):
    digest = hashlib.sha256()
    for path in sorted(Path(data_dir).glob("*.jsonl")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def artifact_hash(model_dir=MODEL_DIR):
    digest = hashlib.sha256()
    for name in ("vocabulary.json", "weights.npy", "idf.npy"):
        digest.update((Path(model_dir) / name).read_bytes())
    return digest.hexdigest()


# F-beta's beta per head when its threshold is picked on out-of-fold probabilities: recall over
# precision for crisis (a false alarm costs a moderator one look, MODERATION.md), balance elsewhere.
RECALL_WEIGHT = {"crisis": 3.0, "crisis_urgent": 1.5}
THRESHOLD_RANGE = (0.1, 0.9)


def _threshold(probabilities, y, beta, rules=None):
    """The threshold with the best F-beta for what the post gets in the end: the rules' label, or
    the classifier's over the threshold (`rules`: whether the rules gave it, per row)."""
    best, best_score = 0.5, -1.0
    rules = np.zeros(len(y), dtype=bool) if rules is None else rules
    for t in np.arange(THRESHOLD_RANGE[0], THRESHOLD_RANGE[1] + 1e-9, 0.025):
        predicted = rules | (probabilities >= t)
        tp = float(np.sum(predicted & (y == 1)))
        precision = tp / max(float(np.sum(predicted)), 1.0)
        recall = tp / max(float(np.sum(y == 1)), 1.0)
        score = (1 + beta ** 2) * precision * recall / max(beta ** 2 * precision + recall, 1e-12)
        if score > best_score + 1e-12:
            best, best_score = round(float(t), 3), score
    return best


def train(data_dir=DATA_DIR, model_dir=MODEL_DIR):
    """Rebuild the model from the data, deterministically; returns its meta."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    from . import filters

    rows = data_rows(data_dir)
    texts = [r["text"] for r in rows]
    # Thresholds are picked for the classifier beside the rules, on the helper-written batches:
    # the rules were written against the other files and would look falsely perfect there.
    ruled = [set(filters.run_filters(t).labels) for t in texts]
    tuning = {i for i, r in enumerate(rows) if r["source"].startswith("batch-")} or set(range(len(rows)))
    vectorizer = TfidfVectorizer(analyzer=features, min_df=2, sublinear_tf=True, dtype=np.float64)
    x = vectorizer.fit_transform(texts)
    vocabulary = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
    weights, calibration, limits = [], {}, {}
    for head in HEADS:
        known = [i for i, r in enumerate(rows) if targets(r)[head] is not None]
        y = np.array([targets(rows[i])[head] for i in known], dtype=int)
        xh = x[known]
        model = LogisticRegression(C=8.0, class_weight="balanced", max_iter=2000, solver="liblinear")
        folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=13)
        weight = np.array([REGRESSION_WEIGHT if rows[i]["source"] == "regressions.jsonl" else 1.0 for i in known])
        out_of_fold = cross_val_predict(model, xh, y, cv=folds, method="decision_function",
                                        params={"sample_weight": weight})
        platt = LogisticRegression(C=1e6, solver="lbfgs").fit(out_of_fold.reshape(-1, 1), y)
        model.fit(xh, y, sample_weight=weight)
        weights.append(np.concatenate([model.coef_[0], model.intercept_]))
        calibration[head] = [float(platt.coef_[0][0]), float(platt.intercept_[0])]
        chosen = np.array([i in tuning for i in known])
        by_rules = np.array([head in ruled[i] for i in known])
        limits[head] = _threshold(platt.predict_proba(out_of_fold.reshape(-1, 1))[:, 1][chosen], y[chosen],
                                  RECALL_WEIGHT.get(head, 1.0), by_rules[chosen])
    model_dir = Path(model_dir)
    model_dir.mkdir(exist_ok=True)
    (model_dir / "vocabulary.json").write_text(json.dumps(vocabulary, ensure_ascii=False), encoding="utf-8")
    np.save(model_dir / "weights.npy", np.round(np.vstack(weights), 8), allow_pickle=False)
    np.save(model_dir / "idf.npy", np.round(vectorizer.idf_, 8), allow_pickle=False)
    # The numpy scorer must give what scikit-learn gives (single-window texts: the whole text).
    check = Model.__new__(Model)
    check._load(vocabulary, np.vstack(weights), vectorizer.idf_, calibration)
    sample = [i for i, t in enumerate(texts) if len(windows(t)) == 1][:200]
    for head_i, head in enumerate(HEADS):
        expected = x[sample] @ weights[head_i][:-1] + weights[head_i][-1]
        got = [check._score(_WORD.findall(normalise(texts[i])))[head_i] for i in sample]
        assert np.allclose(expected, got, atol=1e-6), f"numpy scorer differs from scikit-learn on {head}"
    meta = {"heads": list(HEADS), "calibration": {h: [round(a, 8), round(b, 8)] for h, (a, b) in calibration.items()},
            "thresholds": limits,
            "rows": len(rows), "features": len(vocabulary), "data_sha256": data_hash(data_dir),
            "artifact_sha256": artifact_hash(model_dir)}
    (model_dir / "meta.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    return meta


class Model:
    def __init__(self, model_dir=MODEL_DIR):
        model_dir = Path(model_dir)
        self.meta = json.loads((model_dir / "meta.json").read_text(encoding="utf-8"))
        self._load(json.loads((model_dir / "vocabulary.json").read_text(encoding="utf-8")),
                   np.load(model_dir / "weights.npy", allow_pickle=False),
                   np.load(model_dir / "idf.npy", allow_pickle=False), self.meta["calibration"])

    def _load(self, vocabulary, weights, idf, calibration):
        self.index = {term: i for i, term in enumerate(vocabulary)}
        self.coef, self.intercept = np.ascontiguousarray(weights[:, :-1].T), weights[:, -1]
        self.idf = idf
        self.cal_a = np.array([calibration[h][0] for h in HEADS])
        self.cal_b = np.array([calibration[h][1] for h in HEADS])
        self._cache = {}

    def _word_ids(self, word):
        ids = self._cache.get(word)
        if ids is None:
            index = self.index
            ids = [i for i in (index.get(t) for t in ("w:" + word, *_char_grams(word))) if i is not None]
            if len(self._cache) < 100_000:
                self._cache[word] = ids
        return ids

    def _score(self, words):
        ids = self._window_ids(words)
        if not ids:
            return self.intercept
        idx, counts = _counted(np.fromiter(ids, np.int64, len(ids)))
        values = (1 + np.log(counts)) * self.idf[idx]
        values /= np.sqrt(values @ values)
        return values @ np.take(self.coef, idx, axis=0) + self.intercept

    def _probabilities(self, words):
        return 1 / (1 + np.exp(-(self.cal_a * self._score(words) + self.cal_b)))

    def _window_ids(self, words):
        cached = self._cache
        ids = list(chain.from_iterable([cached[w] if w in cached else self._word_ids(w) for w in words]))
        ids += [i for i in map(self.index.get, pair_terms(words)) if i is not None]
        return ids

    def scores(self, text):
        """{head: probability}, each head's highest over the text's windows (all windows in one
        sparse product: a numpy call per window cost more than the arithmetic)."""
        # normalised once: folding keeps sentence ends, so the windows fall as in the raw text
        parts = windows(normalise(text)) or [""]
        if len(parts) == 1:
            best = self._probabilities(_WORD.findall(parts[0]))
        else:
            n, features = len(parts), len(self.idf)
            flat, lengths = [], []
            for p in parts:
                ids = self._window_ids(_WORD.findall(p))
                flat += ids
                lengths.append(len(ids))
            score = np.tile(self.intercept, (n, 1))
            if flat:
                rows = np.repeat(np.arange(n, dtype=np.int64), lengths)
                keys, counts = _counted(rows * features + np.fromiter(flat, np.int64, len(flat)))
                row, col = np.divmod(keys, features)
                values = (1 + np.log(counts)) * self.idf[col]
                # keys are sorted, so each window's terms are one run: summed by reduceat
                starts = np.flatnonzero(np.concatenate(([True], row[1:] != row[:-1])))
                norms = np.sqrt(np.add.reduceat(values * values, starts))
                sums = np.add.reduceat(np.take(self.coef, col, axis=0) * values[:, None], starts, axis=0)
                score[row[starts]] += sums / norms[:, None]
            best = np.max(1 / (1 + np.exp(-(self.cal_a * score + self.cal_b))), axis=0)
        return dict(zip(HEADS, np.round(best, 4).tolist(), strict=True))


def _counted(ids):
    """The distinct ids, sorted, and how often each occurs (np.unique's answer, with less overhead)."""
    ids = np.sort(ids)
    edge = np.empty(len(ids) + 1, dtype=bool)
    edge[0] = edge[-1] = True
    np.not_equal(ids[1:], ids[:-1], out=edge[1:-1])
    at = np.flatnonzero(edge)
    return ids[at[:-1]], np.diff(at)


_lock = threading.Lock()
_model = None


def model():
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                _model = Model()
    return _model


def scores(text):
    return model().scores(text)
