"""Concerns by example: a linear model that reads a sentence like the curated examples.

The curated patterns of ``peerlib.concerns`` miss harm put in other words. This model was
fitted on the example sentences in ``tests/data`` (each ``flag`` sentence of
``concern_examples.yaml`` as its concern; its ``safe`` sentences, the talking-point examples
and the non-harmful graded answers as good practice) over the words ``peerlib.matching``
reads, so "~" marks a negated word and "@" someone else's practice. It ships as
``peerlib/data/concern_model.json.gz`` (content without it finds concerns by pattern only);
``python -m peerlib.concern_model`` refits it (needs scikit-learn) and
``tests/test_concern_model.py`` fails while it is out of date.
"""

from __future__ import annotations

import gzip
import hashlib
import itertools
import json
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy

from . import content, matching

MODEL_FILE = "concern_model.json.gz"  # in peerlib/data/
GOOD = "good"  # the class of sentences that model no concern
THRESHOLD = 0.85  # how sure the model must be that a sentence is not good practice
MIN_WORDS = 5  # shorter sentences say too little to judge by example
MIN_DOCS = 2  # a feature must occur in this many training sentences
C = 8.0  # inverse regularization strength of the fit
TOLERANCE = 1e-6  # fitted this closely, a refit moves only what the changed examples are about
GOOD_WEIGHT = 3.0  # good practice weighs this many times as much as each concern in the fit
GOOD_READING = 0.5  # a pattern's match the model reads as good practice this surely may be misread
SURE = 0.98  # a reading this sure is shown as a concern, never as a second look
SMALLEST = 0.1  # smaller weights are dropped: 1 in 250 answers decided otherwise, a third the size


@dataclass(frozen=True)
class Reading:
    """The concern a sentence most reads like, and how sure the model is it is not good."""

    concern_id: str
    probability: float
    sentence: int  # index into ``Analysed.sentences``


def features(sentence: matching.Sentence) -> Counter[str]:
    """The words of a sentence, marked "~" when negated and "@" when not the speaker's own,
    and each pair of neighbouring words."""
    words = [
        ("~" if t.negated else "") + ("@" if t.aside or t.rejected else "") + t.family
        for t in sentence.full
        if t.family != ","
    ]
    return Counter(words + [f"{a} {b}" for a, b in itertools.pairwise(words)])


def _vector(counts: Counter[str], idf: dict[str, float]) -> dict[str, float]:
    """Sublinear tf-idf over the known features, scaled to unit length."""
    raw = {f: (1 + math.log(n)) * idf[f] for f, n in counts.items() if f in idf}
    norm = math.sqrt(sum(v * v for v in raw.values())) or 1.0
    return {f: v / norm for f, v in raw.items()}


@content.cached
def _model(path: Path) -> dict | None:
    return for_reading(json.loads(gzip.decompress(path.read_bytes()))) if path.is_file() else None


def for_reading(saved: dict) -> dict:
    """A model as ``fit`` makes and the file keeps it, with its weights as a matrix (a row per
    feature), as ``probabilities`` reads it."""
    rows = {feature: row for row, feature in enumerate(saved["weights"])}
    matrix = numpy.zeros((len(rows), len(saved["classes"])))
    for feature, row in rows.items():
        for index, weight in saved["weights"][feature]:
            matrix[row, index] = weight
    return {**saved, "rows": rows, "matrix": matrix}


def probabilities(sentence: matching.Sentence, allowed, model: dict) -> dict:
    """Each allowed concern's probability, and ``GOOD``'s, for one sentence (``model``: as
    ``for_reading`` gives it)."""
    classes, table = _probability_table([sentence], allowed, model)
    return dict(zip(classes, table[0].tolist(), strict=True))


def _probability_table(sentences, allowed, model: dict) -> tuple[list[str], numpy.ndarray]:
    """``GOOD`` and the allowed concerns, and their probabilities: a row per sentence, read
    with one product of the sentences' features and the weights."""
    vectors = [_vector(features(sentence), model["idf"]) for sentence in sentences]
    known = sorted({feature for x in vectors for feature in x if feature in model["rows"]})
    column = {feature: i for i, feature in enumerate(known)}
    values = numpy.zeros((len(vectors), len(known)))
    for row, x in enumerate(vectors):
        for feature, value in x.items():
            if feature in column:
                values[row, column[feature]] = value
    weights = model["matrix"][[model["rows"][feature] for feature in known]]
    scores = numpy.array(model["intercepts"]) + values @ weights
    kept = [i for i, c in enumerate(model["classes"]) if c == GOOD or c in allowed]
    scores = scores[:, kept]
    exp = numpy.exp(scores - scores.max(axis=1, keepdims=True))
    return [model["classes"][i] for i in kept], exp / exp.sum(axis=1, keepdims=True)


def readings(text: matching.Analysed, allowed, model: dict | None = None) -> list[Reading]:
    """The sentences the model is sure are not good practice, most sure first."""
    model = model or _model(content.path(MODEL_FILE))
    judged = [
        (i, sentence)
        for i, sentence in enumerate(text.sentences if model else ())
        if sum(t.family != "," for t in sentence.full) >= MIN_WORDS  # shorter say too little
    ]
    if not judged:
        return []
    classes, table = _probability_table([sentence for _, sentence in judged], allowed, model)
    good = classes.index(GOOD)
    found = []
    for (i, _), probs in zip(judged, table.tolist(), strict=True):
        harm = 1 - probs[good]
        concerns = {c: p for c, p in zip(classes, probs, strict=True) if c != GOOD}
        if concerns and harm >= THRESHOLD:
            found.append(Reading(max(concerns, key=concerns.get), harm, i))
    return sorted(found, key=lambda r: -r.probability)


def reads_as_good(sentence: matching.Sentence, allowed, model: dict | None = None) -> bool:
    """Whether the model reads a sentence as more likely good practice than any concern (False
    when there is no model: then a pattern's match stands)."""
    model = model or _model(content.path(MODEL_FILE))
    return bool(model) and probabilities(sentence, allowed, model)[GOOD] >= GOOD_READING


def reads_as_concern(sentence: matching.Sentence, allowed, model: dict | None = None) -> bool:
    """Whether the model reads a sentence as more likely a concern than good practice (False
    when there is no model)."""
    model = model or _model(content.path(MODEL_FILE))
    return bool(model) and probabilities(sentence, allowed, model)[GOOD] < GOOD_READING


# Fitting the model (a maintainer's step: needs scikit-learn and the repository's tests/data)


def training_sentences(data: Path) -> list[tuple[str, str, str]]:
    """(concern id or ``GOOD``, text, the concern a good text was written against or "") for
    every example in ``data`` (the repository's tests/data)."""
    import yaml

    def read(name):
        return yaml.safe_load((data / name).read_text(encoding="utf-8"))

    out = []
    for concern_id, examples in read("concern_examples.yaml").items():
        out += [(concern_id, s, "") for s in examples.get("flag", [])]
        out += [(GOOD, s, concern_id) for s in examples.get("safe", [])]
    for points in read("talking_point_examples.yaml").values():
        for point in points.values():
            out += [(GOOD, s, "") for s in point.get("matches", [])]
    for path in sorted(data.glob("graded_answers*.yaml")):
        for entry in read(path.name):
            out += [(GOOD, a["text"], "") for a in entry["answers"] if a["kind"] != "harmful"]
    return out


def training_rows(data: Path) -> list[tuple[str, Counter[str], str]]:
    """(class, features, contrast) for each sentence of each training text."""
    return [
        (label, features(sentence), contrast)
        for label, text, contrast in training_sentences(data)
        for sentence in matching.analyse(text).sentences
    ]


def fingerprint(rows) -> str:
    """A hash of the training rows: it changes when the examples or the reading change."""
    digest = hashlib.sha256()
    for label, counts, contrast in rows:
        digest.update(f"{label}\t{contrast}\t{sorted(counts.items())}\n".encode())
    return digest.hexdigest()


def fit(rows) -> dict:
    """Fit the model: multinomial logistic regression, each class weighing the same in all,
    and a good sentence written against a concern weighing as much as that concern's own."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    docs = Counter(f for _, counts, _ in rows for f in counts)
    n = len(rows)
    idf = {f: math.log((1 + n) / (1 + d)) + 1 for f, d in docs.items() if d >= MIN_DOCS}
    vectors = DictVectorizer().fit([{f: 1 for f in idf}])
    x = vectors.transform([_vector(counts, idf) for _, counts, _ in rows])
    sizes = Counter(label for label, _, _ in rows)
    balanced = {label: n / (len(sizes) * size) for label, size in sizes.items()}
    balanced[GOOD] *= GOOD_WEIGHT
    weight = [balanced[contrast or label] for label, _, contrast in rows]
    model = LogisticRegression(C=C, max_iter=3000, tol=TOLERANCE)
    model.fit(x, [label for label, _, _ in rows], sample_weight=weight)
    coef, intercepts = model.coef_, model.intercept_
    if len(model.classes_) == 2:  # one logit for the second class: softmax of (-z/2, z/2)
        coef, intercepts = [-coef[0] / 2, coef[0] / 2], [-intercepts[0] / 2, intercepts[0] / 2]
    weights: dict[str, list] = {}
    for index, column in enumerate(coef):
        for feature, weight in zip(vectors.feature_names_, column, strict=True):
            if abs(weight) >= SMALLEST:
                weights.setdefault(feature, []).append([index, round(float(weight), 4)])
    return {
        "about": "Fitted by `python -m peerlib.concern_model` from tests/data; see its docstring.",
        "fingerprint": fingerprint(rows),
        "classes": list(model.classes_),
        "intercepts": [round(float(b), 4) for b in intercepts],
        "idf": {f: round(v, 3) for f, v in sorted(idf.items())},
        "weights": dict(sorted(weights.items())),
    }


def main() -> None:
    """Refit the shipped model from the repository's tests/data."""
    data = Path(__file__).resolve().parent.parent / "tests" / "data"
    model = fit(training_rows(data))
    out = Path(__file__).resolve().parent / "data" / MODEL_FILE
    text = json.dumps(model, separators=(",", ":"), sort_keys=True)
    out.write_bytes(gzip.compress(text.encode(), mtime=0))
    print(f"wrote {out}: {len(model['classes'])} classes, {len(model['idf'])} features")


if __name__ == "__main__":
    main()
