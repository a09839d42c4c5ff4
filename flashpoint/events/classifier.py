"""The sentence-level event classifier: PLOVER quad class (0-4) and PLOVER event type for a sentence.

Two sparse linear models, stored as plain arrays in one ``.npz`` file (no pickle):

- the quad model: TF-IDF word 1-2 grams + character 3-6 grams + counts of PLOVER cue words, a linear SVM
  trained on real news sentences (ConfliBERT); classes 0 no event, 1 verbal cooperation, 2 material
  cooperation, 3 verbal conflict, 4 material conflict;
- the type model: TF-IDF word 1-2 grams, a linear SVM trained on the synthetic PLOVER stories (16 types).

Scores become probabilities through a softmax with a temperature fitted on cross-validated scores.
``python -m flashpoint.events.train`` rebuilds the file.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from ..errors import Errors, FlashpointError

MODEL_FILE = "event_model.npz"
_WORD_CACHE = 50_000  # distinct words whose character n-grams each TF-IDF block keeps looked up
QUAD_NAMES: tuple[str, ...] = (
    "NO_EVENT",
    "VERBAL_COOPERATION",
    "MATERIAL_COOPERATION",
    "VERBAL_CONFLICT",
    "MATERIAL_CONFLICT",
)
TYPE_QUAD: dict[str, int] = {
    "AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "CONCEDE": 1, "REQUEST": 1,
    "COOPERATE": 2, "AID": 2, "RETREAT": 2,
    "ACCUSE": 3, "REJECT": 3, "THREATEN": 3, "SANCTION": 3,
    "PROTEST": 4, "MOBILIZE": 4, "COERCE": 4, "ASSAULT": 4,
}  # fmt: skip


Analysed = dict[tuple[str, tuple[int, ...]], list[list[str]]]
"""The n-grams of one batch of texts by analyzer settings, for the blocks (of either model) that share them."""


class TfidfBlock:
    """One block of TF-IDF features, as scikit-learn's ``TfidfVectorizer(sublinear_tf=True)`` computes them
    (same analyzer, 1 + log tf, times idf, L2-normalised), without its per-call overhead.

    Character n-grams within words (``char_wb``) are n-grams of each lower-cased, whitespace-separated word
    on its own, so they are looked up once per distinct word and cached.
    """

    def __init__(self, config: Mapping[str, Any], vocabulary: Sequence[str], idf: np.ndarray) -> None:
        self.analyzer_settings = (str(config["analyzer"]), tuple(config["ngram_range"]))
        settings = TfidfVectorizer(analyzer=config["analyzer"], ngram_range=tuple(config["ngram_range"]))
        self.analyzer: Callable[[str], list[str]] = settings.build_analyzer()
        self.vocabulary = {term: column for column, term in enumerate(vocabulary)}
        self.idf = np.asarray(idf, dtype=np.float64)
        self.per_word = config["analyzer"] == "char_wb"
        self._word_columns = lru_cache(maxsize=_WORD_CACHE)(self._columns)

    def _columns(self, text: str) -> list[int]:
        return self._known(self.analyzer(text))

    def _known(self, grams: list[str]) -> list[int]:
        """The columns of the n-grams that are in the vocabulary."""
        return [column for column in map(self.vocabulary.get, grams) if column is not None]

    def _rows(self, texts: Sequence[str], analysed: Analysed | None) -> list[list[int]]:
        """Each text's feature columns, a column once per occurrence."""
        if self.per_word:
            return [list(chain.from_iterable(map(self._word_columns, text.lower().split()))) for text in texts]
        if analysed is None:
            return [self._columns(text) for text in texts]
        if self.analyzer_settings not in analysed:
            analysed[self.analyzer_settings] = [self.analyzer(text) for text in texts]
        return [self._known(grams) for grams in analysed[self.analyzer_settings]]

    def matrix(self, texts: Sequence[str], analysed: Analysed | None = None) -> sparse.csr_matrix:
        """The features of the texts, one row per text (columns sorted within a row).

        ``analysed`` keeps the n-grams of these texts for other blocks with the same analyzer settings.
        """
        counts = self._counts(texts, analysed)
        values = (1.0 + np.log(counts.data)) * self.idf[counts.indices]
        rows = np.repeat(np.arange(len(texts)), np.diff(counts.indptr))
        norms = np.sqrt(np.bincount(rows, values * values, len(texts)))
        return sparse.csr_matrix((values / norms[rows], counts.indices, counts.indptr), shape=counts.shape)

    def _counts(self, texts: Sequence[str], analysed: Analysed | None) -> sparse.csr_matrix:
        """How often each feature occurs in each text, one row per text (columns sorted within a row)."""
        rows = self._rows(texts, analysed)
        indptr = np.cumsum([0, *map(len, rows)])
        columns = np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=int(indptr[-1]))
        shape = (len(texts), len(self.vocabulary))
        counts = sparse.csr_matrix((np.ones(len(columns)), columns, indptr), shape=shape)
        counts.sum_duplicates()
        return counts

    def vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The columns (ascending) and values of ``text``'s non-zero features."""
        row = self.matrix([text])
        return row.indices, row.data


_WORD = re.compile(r"\w+")
_KEY = 3  # stems are indexed by their first letters; no stem is shorter


class CueMatcher:
    """Counts, per PLOVER type, the words of a text that start one of the type's cue stems.

    A stem matches at the start of a word, case-insensitively, and may run over several words ("cut ties");
    a word counts once per type however many of the type's stems it starts.
    """

    def __init__(self, cues: Mapping[str, Sequence[str]]) -> None:
        self.names = tuple(cues)
        self._stems: dict[str, list[tuple[str, int]]] = {}
        for column, stems in enumerate(cues.values()):
            for stem in stems:
                if len(stem) < _KEY:
                    raise ValueError(f"cue stem {stem!r} is shorter than {_KEY} letters")
                self._stems.setdefault(stem.lower()[:_KEY], []).append((stem.lower(), column))

    def counts(self, text: str) -> np.ndarray:
        """The number of cue words per type in ``text``."""
        counts = [0] * len(self.names)
        lowered = text.lower()
        for word in _WORD.finditer(lowered):
            start = word.start()
            candidates = self._stems.get(lowered[start : start + _KEY])
            if candidates:
                for column in {column for stem, column in candidates if lowered.startswith(stem, start)}:
                    counts[column] += 1
        return np.array(counts, dtype=np.float32)

    def vector(self, text: str, weight: float) -> np.ndarray:
        """log(1 + cue words) per type, then 1 if no cue matched at all; scaled by ``weight``."""
        return self.matrix([text], weight)[0]

    def matrix(self, texts: Sequence[str], weight: float) -> np.ndarray:
        """The cue features (``vector``) of each text, one row per text."""
        counts = np.array([self.counts(text) for text in texts], dtype=np.float32).reshape(len(texts), len(self.names))
        none = ~counts.any(axis=1, keepdims=True)
        return np.hstack([np.log1p(counts).astype(np.float64), none.astype(np.float64)]) * weight


def cue_features(texts: Sequence[str], matcher: CueMatcher, weight: float) -> sparse.csr_matrix:
    """The cue block (``CueMatcher.vector``) of each text, as rows of a sparse matrix."""
    rows = [matcher.vector(text, weight) for text in texts]
    return sparse.csr_matrix(np.array(rows, dtype=np.float32).reshape(len(texts), len(matcher.names) + 1))


def softmax(scores: np.ndarray, temperature: float) -> np.ndarray:
    """Row-wise softmax of ``scores / temperature``."""
    scaled = scores / temperature
    scaled -= scaled.max(axis=1, keepdims=True)
    exp = np.exp(scaled)
    return np.asarray(exp / exp.sum(axis=1, keepdims=True))


@dataclass
class LinearModel:
    """Feature blocks (TF-IDF, optional cue counts) and a linear layer with a softmax temperature."""

    blocks: tuple[TfidfBlock, ...]
    coef: np.ndarray
    intercept: np.ndarray
    temperature: float
    cues: CueMatcher | None = None
    cue_weight: float = 0.0
    _weights: np.ndarray = field(init=False, repr=False, compare=False)
    _offsets: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # one row of weights per feature, so a text's score reads only the rows of its features
        self._weights = np.ascontiguousarray(self.coef.T, dtype=np.float64)
        self._offsets = np.cumsum([0, *(len(block.vocabulary) for block in self.blocks)])

    def score(self, text: str) -> np.ndarray:
        """The raw linear score of one text, one value per class."""
        return self.scores([text])[0]

    def scores(self, texts: Sequence[str], analysed: Analysed | None = None) -> np.ndarray:
        """Raw linear scores, one row per text and one column per class.

        ``analysed`` shares the texts' n-grams with another model's blocks of the same analyzer settings.
        """
        weights, offsets = self._weights, self._offsets
        total = np.tile(self.intercept.astype(np.float64), (len(texts), 1))
        for block, start, stop in zip(self.blocks, offsets[:-1], offsets[1:], strict=True):
            total += block.matrix(texts, analysed) @ weights[start:stop]
        if self.cues is not None:
            total += sparse.csr_matrix(self.cues.matrix(texts, self.cue_weight)) @ weights[offsets[-1] :]
        return total

    def probabilities(self, texts: Sequence[str], analysed: Analysed | None = None) -> np.ndarray:
        """Softmax of the scores at the fitted temperature."""
        if not texts:
            return np.zeros((0, len(self.intercept)))
        return softmax(self.scores(texts, analysed), self.temperature)


@dataclass(frozen=True)
class EventPrediction:
    """A sentence's quad class with its probability, and the likeliest PLOVER type within that class."""

    quad: int
    quad_probability: float
    type: str | None
    type_probability: float


class EventClassifier:
    """Sentence -> PLOVER quad class and event type. Load it once with ``EventClassifier.load()``."""

    def __init__(self, quad: LinearModel, types: LinearModel, type_names: Sequence[str], meta: dict[str, Any]):
        self.quad = quad
        self.types = types
        self.type_names = tuple(type_names)
        self.meta = meta
        self._type_quads = np.array([TYPE_QUAD[name] for name in self.type_names])

    @classmethod
    def load(cls, path: str | Path | None = None) -> EventClassifier:
        """The classifier from ``path`` (default: the packaged model), read once per process and path."""
        return _load(None if path is None else str(path))

    def probabilities_quad(self, texts: Sequence[str]) -> np.ndarray:
        """An array (texts x 5) of quad-class probabilities."""
        return self.quad.probabilities(list(texts))

    def predict_quad(self, texts: Sequence[str]) -> list[tuple[int, float]]:
        """The quad class (0-4) of each text, with its probability."""
        return _best(self.probabilities_quad(texts), list(range(len(QUAD_NAMES))))

    def type_matrix(self, texts: Sequence[str]) -> np.ndarray:
        """An array (texts x 16) of PLOVER type probabilities, columns in ``self.type_names`` order."""
        return self.types.probabilities(list(texts))

    def predict_type(self, texts: Sequence[str]) -> list[tuple[str, float]]:
        """The PLOVER event type of each text (from the type model alone), with its probability."""
        return _best(self.type_matrix(texts), list(self.type_names))

    def probabilities_type(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """Each text's probability for every PLOVER type."""
        return [dict(zip(self.type_names, row.tolist(), strict=True)) for row in self.type_matrix(texts)]

    def predict(self, texts: Sequence[str]) -> list[EventPrediction]:
        """Quad class and, for an event (quad > 0), the likeliest type among those of that quad class.

        The type probability is P(type | quad) from the type model, renormalised within the quad class.
        """
        texts = list(texts)
        analysed: Analysed = {}
        quads = _best(self.quad.probabilities(texts, analysed), list(range(len(QUAD_NAMES))))
        type_probabilities = self.types.probabilities(texts, analysed)
        return [
            self._combine(quad, probability, row)
            for (quad, probability), row in zip(quads, type_probabilities, strict=True)
        ]

    def _combine(self, quad: int, probability: float, row: np.ndarray) -> EventPrediction:
        if quad == 0:
            return EventPrediction(0, probability, None, 0.0)
        within = np.where(self._type_quads == quad, row, 0.0)
        best = int(within.argmax())
        return EventPrediction(quad, probability, self.type_names[best], float(within[best] / within.sum()))


def _best(probabilities: np.ndarray, labels: Sequence[Any]) -> list[tuple[Any, float]]:
    columns = probabilities.argmax(axis=1)
    return [(labels[column], float(probabilities[row, column])) for row, column in enumerate(columns)]


@cache
def _load(path: str | None) -> EventClassifier:
    source: Traversable | Path = files("flashpoint") / "data" / MODEL_FILE if path is None else Path(path)
    try:
        with source.open("rb") as handle, np.load(handle, allow_pickle=False) as arrays:
            data = {name: arrays[name] for name in arrays.files}
    except (OSError, ValueError, zipfile.BadZipFile) as error:
        raise FlashpointError(Errors.E204, path=str(source)) from error
    return from_arrays(data)


def _blocks(
    data: Mapping[str, np.ndarray], prefix: str, configs: Sequence[Mapping[str, Any]]
) -> tuple[TfidfBlock, ...]:
    return tuple(
        TfidfBlock(config, data[f"{prefix}_{config['name']}_vocab"].tolist(), data[f"{prefix}_{config['name']}_idf"])
        for config in configs
    )


def from_arrays(data: Mapping[str, np.ndarray]) -> EventClassifier:
    """Rebuild the classifier from the arrays of the model file (see ``train.to_arrays``)."""
    meta = json.loads(str(data["meta"]))
    quad_meta, type_meta = meta["quad"], meta["type"]
    quad = LinearModel(
        blocks=_blocks(data, "quad", quad_meta["blocks"]),
        coef=data["quad_coef"],
        intercept=data["quad_intercept"],
        temperature=quad_meta["temperature"],
        cues=CueMatcher({name: stems for name, stems in meta["cues"]}) if quad_meta["cue_weight"] else None,
        cue_weight=quad_meta["cue_weight"],
    )
    types = LinearModel(
        blocks=_blocks(data, "type", type_meta["blocks"]),
        coef=data["type_coef"],
        intercept=data["type_intercept"],
        temperature=type_meta["temperature"],
    )
    return EventClassifier(quad, types, type_meta["labels"], meta)
