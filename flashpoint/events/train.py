"""Train the sentence event classifier and write ``flashpoint/data/event_model.npz``.

    python -m flashpoint.events.train [--stories PATH] [--conflibert PATH] [--out PATH] [--seed 13]

The quad model (5 classes) is trained on every labelled ConfliBERT sentence, with PLOVER cue-word counts
from ``flashpoint/data/event_model.cues.tsv``; the type model (16 PLOVER types) on every synthetic story
(title + text, and the title alone). Adding the synthetic stories to the quad model lowered its
cross-validated scores on real sentences (see ``bench/eval_events_classifier.py``), so it uses none.
The file is a zip of plain numpy arrays (no pickle), written byte-for-byte the same for the same inputs.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import time
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from scipy.optimize import minimize_scalar
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import StratifiedGroupKFold, cross_val_predict
from sklearn.svm import LinearSVC

from ..datafiles import content_lines, data_lines
from .classifier import (
    MODEL_FILE,
    TYPE_QUAD,
    CueMatcher,
    EventClassifier,
    LinearModel,
    TfidfBlock,
    cue_features,
    from_arrays,
    softmax,
)

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
STORIES = SHARED / "train" / "plover_synthetic_stories.csv"
CONFLIBERT = SHARED / "eval" / "conflibert_train.jsonl"
CUES_FILE = "event_model.cues.tsv"
PACKAGED_MODEL = Path(__file__).resolve().parents[1] / "data" / MODEL_FILE
SEED = 13


@dataclass(frozen=True)
class Block:
    """One TF-IDF feature block: its name in the model file and the vectorizer's settings."""

    name: str
    analyzer: str
    ngram_range: tuple[int, int]
    min_df: int = 1
    max_features: int | None = None


@dataclass(frozen=True)
class Recipe:
    """How to train one linear model: feature blocks, SVM cost, cue-feature weight (0: no cues)."""

    blocks: tuple[Block, ...]
    C: float
    cue_weight: float = 0.0


QUAD_RECIPE = Recipe(
    blocks=(Block("word", "word", (1, 2)), Block("char", "char_wb", (3, 6), min_df=2)), C=1.0, cue_weight=1.0
)
TYPE_RECIPE = Recipe(blocks=(Block("word", "word", (1, 2), min_df=2, max_features=20000),), C=0.3)


@dataclass(frozen=True)
class Story:
    """A synthetic story: its title (placeholders filled), text, PLOVER type and title template."""

    title: str
    text: str
    label: str
    template: str = ""

    @property
    def document(self) -> str:
        return f"{self.title}.\n{self.text}"


def sha256(path: Path) -> str:
    """The hex sha256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_stories(path: Path) -> list[Story]:
    """The synthetic stories; the filled title is the first line of the ``prompt`` column."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [Story(row["prompt"].split("\n", 1)[0].strip(), row["text"], row["label"], row["title"]) for row in rows]


def load_conflibert(path: Path) -> tuple[list[str], np.ndarray]:
    """The ConfliBERT sentences that have a quad class (``pentaclass``), and those classes."""
    with path.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    rows = [row for row in rows if row.get("pentaclass") is not None]
    return [row["text"] for row in rows], np.array([int(row["pentaclass"]) for row in rows])


def load_cues(path: Path | None = None) -> dict[str, list[str]]:
    """PLOVER type -> cue stems, from the packaged ``event_model.cues.tsv`` unless ``path`` is given."""
    lines = content_lines(path.read_text("utf-8")) if path else data_lines(CUES_FILE)
    rows = [line.split("\t") for line in lines]
    return {row[0]: [stem for stem in row[1:] if stem] for row in rows}


def type_training_texts(stories: Sequence[Story]) -> tuple[list[str], list[str], np.ndarray]:
    """Texts, labels and story groups for the type model: each story as title + text, and its title alone."""
    texts = [story.document for story in stories] + [story.title for story in stories]
    labels = [story.label for story in stories] * 2
    return texts, labels, np.tile(np.arange(len(stories)), 2)


def fit_temperature(scores: np.ndarray, labels: np.ndarray) -> float:
    """The softmax temperature that minimises the negative log-likelihood of held-out SVM scores."""

    def loss(log_temperature: float) -> float:
        probabilities = softmax(scores, float(np.exp(log_temperature)))
        return float(-np.log(probabilities[np.arange(len(labels)), labels] + 1e-12).mean())

    result = minimize_scalar(loss, bounds=(-4.0, 4.0), method="bounded")
    return round(float(np.exp(result.x)), 6)


@dataclass
class Trained:
    """A trained linear model, with the arrays and settings that the model file keeps of it."""

    model: LinearModel
    labels: list[Any]
    arrays: dict[str, np.ndarray]
    meta: dict[str, Any]


def _vectorizer(block: Block) -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer=block.analyzer,
        ngram_range=block.ngram_range,
        min_df=block.min_df,
        max_features=block.max_features,
        sublinear_tf=True,
        dtype=np.float32,
    )


def _svm(recipe: Recipe, seed: int) -> LinearSVC:
    return LinearSVC(C=recipe.C, max_iter=20000, random_state=seed)


def fit_linear(
    texts: Sequence[str],
    labels: Sequence[Any],
    *,
    recipe: Recipe,
    seed: int = SEED,
    cues: Mapping[str, Sequence[str]] | None = None,
    groups: np.ndarray | None = None,
) -> Trained:
    """Fit the feature blocks and a linear SVM; the temperature comes from 3-fold held-out scores."""
    vectorizers = tuple(_vectorizer(block) for block in recipe.blocks)
    matcher = CueMatcher(cues) if cues and recipe.cue_weight else None
    blocks = [vectorizer.fit_transform(texts) for vectorizer in vectorizers]
    if matcher is not None:
        blocks.append(cue_features(texts, matcher, recipe.cue_weight))
    features = sparse.hstack(blocks, format="csr")
    svm = _svm(recipe, seed).fit(features, labels)
    targets = np.searchsorted(svm.classes_, labels)
    folds = StratifiedGroupKFold(3, shuffle=True, random_state=seed)
    groups = np.arange(len(texts)) if groups is None else groups
    held_out = cross_val_predict(
        _svm(recipe, seed), features, targets, cv=folds, groups=groups, method="decision_function"
    )
    trained = _export(recipe, vectorizers, svm, fit_temperature(held_out, targets), matcher)
    if not np.allclose(trained.model.scores(texts[:50]), svm.decision_function(features[:50]), atol=1e-4):
        raise ValueError("the fast featurizer does not reproduce scikit-learn's features")
    return trained


def _export(
    recipe: Recipe,
    vectorizers: Sequence[TfidfVectorizer],
    svm: LinearSVC,
    temperature: float,
    matcher: CueMatcher | None,
) -> Trained:
    """The fitted parts as a ``LinearModel`` and as the arrays and settings of the model file."""
    coef, intercept = svm.coef_.astype(np.float32), svm.intercept_.astype(np.float32)
    arrays = {"coef": coef, "intercept": intercept}
    blocks = []
    for block, vectorizer in zip(recipe.blocks, vectorizers, strict=True):
        vocabulary = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__)
        arrays[f"{block.name}_vocab"] = np.array(vocabulary, dtype=str)
        arrays[f"{block.name}_idf"] = vectorizer.idf_.astype(np.float32)
        blocks.append(TfidfBlock(asdict(block), vocabulary, arrays[f"{block.name}_idf"]))
    model = LinearModel(tuple(blocks), coef, intercept, temperature, matcher, recipe.cue_weight)
    meta = {
        "labels": svm.classes_.tolist(),
        "temperature": temperature,
        "cue_weight": recipe.cue_weight if matcher is not None else 0.0,
        "C": recipe.C,
        "blocks": [asdict(block) for block in recipe.blocks],
    }
    return Trained(model, svm.classes_.tolist(), arrays, meta)


def fit_quad(texts: Sequence[str], labels: np.ndarray, *, cues: Mapping[str, Sequence[str]], seed: int) -> Trained:
    """The quad model (classes 0-4) on real sentences, with cue features."""
    return fit_linear(texts, labels.tolist(), recipe=QUAD_RECIPE, seed=seed, cues=cues)


def fit_types(stories: Sequence[Story], *, seed: int) -> Trained:
    """The PLOVER type model on synthetic stories (whole story and title, grouped by story)."""
    texts, labels, groups = type_training_texts(stories)
    return fit_linear(texts, labels, recipe=TYPE_RECIPE, seed=seed, groups=groups)


def to_arrays(
    quad: Trained, types: Trained, *, cues: Mapping[str, Sequence[str]], info: Mapping[str, Any]
) -> dict[str, np.ndarray]:
    """Every array of the model file, with one JSON string ``meta`` for settings and provenance."""
    if quad.labels != list(range(5)) or set(types.labels) != set(TYPE_QUAD):
        raise ValueError(f"unexpected classes: quad {quad.labels}, types {types.labels}")
    cue_rows = [[name, list(stems)] for name, stems in cues.items()]  # a list: the column order matters
    meta = {"format": 1, "quad": quad.meta, "type": types.meta, "cues": cue_rows, **info}
    arrays = {"meta": np.array(json.dumps(meta, sort_keys=True))}
    arrays |= {f"quad_{name}": array for name, array in quad.arrays.items()}
    arrays |= {f"type_{name}": array for name, array in types.arrays.items()}
    return arrays


def write_npz(arrays: Mapping[str, np.ndarray], path: Path) -> None:
    """Write arrays as an ``.npz`` (readable by ``np.load``) with fixed zip timestamps, so same in, same out."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(arrays):
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.asarray(arrays[name]), allow_pickle=False)
            entry = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, buffer.getvalue(), compresslevel=9)


def model_arrays(
    stories: Sequence[Story],
    texts: Sequence[str],
    labels: np.ndarray,
    *,
    seed: int = SEED,
    data: Mapping[str, str] | None = None,
) -> dict[str, np.ndarray]:
    """Train both models and return the model file's arrays, checked to rebuild the same models."""
    cues = load_cues()
    quad = fit_quad(texts, labels, cues=cues, seed=seed)
    types = fit_types(stories, seed=seed)
    cues_sha256 = hashlib.sha256(json.dumps(cues, sort_keys=True).encode()).hexdigest()
    info = {"seed": seed, "data": {**(data or {}), "cues_sha256": cues_sha256}}
    arrays = to_arrays(quad, types, cues=cues, info=info)
    check_round_trip(from_arrays(arrays), quad, types, [*texts[:50], *(story.title for story in stories[:50])])
    return arrays


def check_round_trip(classifier: EventClassifier, quad: Trained, types: Trained, texts: Sequence[str]) -> None:
    """Raise if the classifier rebuilt from the model file's arrays scores texts unlike the trained models."""
    for rebuilt, trained in ((classifier.quad, quad.model), (classifier.types, types.model)):
        if not np.allclose(rebuilt.scores(texts), trained.scores(texts), atol=1e-4):
            raise ValueError("the model file's arrays do not reproduce the trained model")


def build_classifier(
    stories: Sequence[Story], texts: Sequence[str], labels: np.ndarray, *, seed: int = SEED
) -> EventClassifier:
    """An in-memory classifier trained on these stories and sentences (e.g. the training folds of a CV)."""
    return from_arrays(model_arrays(stories, texts, labels, seed=seed))


def train(stories_path: Path, conflibert_path: Path, *, seed: int = SEED) -> dict[str, np.ndarray]:
    """Train both models on all the data and return the model file's arrays."""
    texts, labels = load_conflibert(conflibert_path)
    data = {"stories_sha256": sha256(stories_path), "conflibert_sha256": sha256(conflibert_path)}
    return model_arrays(load_stories(stories_path), texts, labels, seed=seed, data=data)


def main(argv: Sequence[str] | None = None) -> None:
    """Command line: train on all the data, print the data hashes, seed and timing, write the model file."""
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="example: python -m flashpoint.events.train --seed 13",
    )
    parser.add_argument("--stories", type=Path, default=STORIES, help="synthetic PLOVER stories (CSV)")
    parser.add_argument("--conflibert", type=Path, default=CONFLIBERT, help="ConfliBERT sentences (JSONL)")
    parser.add_argument("--out", type=Path, default=None, help="model file (default: the packaged one)")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    out = args.out or PACKAGED_MODEL
    print(f"stories     {args.stories}  sha256 {sha256(args.stories)}")
    print(f"conflibert  {args.conflibert}  sha256 {sha256(args.conflibert)}")
    print(f"seed        {args.seed}")
    start = time.perf_counter()
    arrays = train(args.stories, args.conflibert, seed=args.seed)
    write_npz(arrays, out)
    meta = json.loads(str(arrays["meta"]))
    print(f"quad: {arrays['quad_coef'].shape[1]} features, temperature {meta['quad']['temperature']}")
    print(f"type: {arrays['type_coef'].shape[1]} features, temperature {meta['type']['temperature']}")
    print(
        f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB, sha256 {sha256(out)}) in {time.perf_counter() - start:.0f} s"
    )


if __name__ == "__main__":
    main()
