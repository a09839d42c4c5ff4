"""The sentence event classifier: the packaged model, its file format, training, and the quality gate."""

from __future__ import annotations

import csv
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from flashpoint.errors import FlashpointError
from flashpoint.events.classifier import QUAD_NAMES, TYPE_QUAD, EventClassifier, TfidfBlock
from flashpoint.events.train import main as train_main

ROOT = Path(__file__).resolve().parents[1]

SENTENCES: list[tuple[str, int, str]] = [
    ("Troops shelled the village, killing five.", 4, "ASSAULT"),
    ("Iran launched missile strikes on what it said were militant bases in Pakistan.", 4, "ASSAULT"),
    ("The army threatened to use force against the protesters.", 3, "THREATEN"),
    ("China and Russia signed a trade agreement.", 1, "SUPPORT"),
    ("The rebels released 20 hostages.", 2, "RETREAT"),
]


@pytest.fixture(scope="module")
def classifier() -> EventClassifier:
    return EventClassifier.load()


def test_classifier_packaged_model_is_small_and_loaded_once(classifier: EventClassifier) -> None:
    path = ROOT / "flashpoint" / "data" / "event_model.npz"
    assert path.stat().st_size < 5_000_000
    assert EventClassifier.load() is classifier
    assert EventClassifier.load(path).meta == classifier.meta


@pytest.mark.parametrize(("text", "quad", "plover_type"), SENTENCES)
def test_classifier_predicts_sensible_classes(
    classifier: EventClassifier, text: str, quad: int, plover_type: str
) -> None:
    assert classifier.predict_quad([text])[0][0] == quad
    assert classifier.predict_type([text])[0][0] == plover_type
    prediction = classifier.predict([text])[0]
    assert (prediction.quad, prediction.type) == (quad, plover_type)


def test_classifier_probabilities_are_distributions(classifier: EventClassifier) -> None:
    texts = [text for text, _, _ in SENTENCES]
    quads = classifier.probabilities_quad(texts)
    assert quads.shape == (len(texts), len(QUAD_NAMES))
    assert np.allclose(quads.sum(axis=1), 1.0, atol=1e-5)
    for row, (quad, probability) in zip(quads, classifier.predict_quad(texts), strict=True):
        assert 0.0 < probability <= 1.0 and probability == pytest.approx(float(row.max()))
        assert quad == int(row.argmax())
    for distribution in classifier.probabilities_type(texts):
        assert set(distribution) == set(TYPE_QUAD)
        assert sum(distribution.values()) == pytest.approx(1.0, abs=1e-5)


def test_classifier_predict_keeps_type_within_quad_class(classifier: EventClassifier) -> None:
    texts = [text for text, _, _ in SENTENCES] + ["The minister said the economy grew by 3 percent last year."]
    for prediction in classifier.predict(texts):
        if prediction.quad == 0:
            assert prediction.type is None
        else:
            assert prediction.type is not None and TYPE_QUAD[prediction.type] == prediction.quad
            assert 0.0 < prediction.type_probability <= 1.0


def test_classifier_empty_input_gives_empty_output(classifier: EventClassifier) -> None:
    assert classifier.predict_quad([]) == []
    assert classifier.predict_type([]) == []
    assert classifier.probabilities_type([]) == []
    assert classifier.predict([]) == []


def test_classifier_missing_model_file_raises_e204(tmp_path: Path) -> None:
    with pytest.raises(FlashpointError) as caught:
        EventClassifier.load(tmp_path / "nothing.npz")
    assert caught.value.code == "E204" and "nothing.npz" in caught.value.message


def test_classifier_unreadable_model_file_raises_e204(tmp_path: Path) -> None:
    path = tmp_path / "broken.npz"
    path.write_bytes(b"not a zip file")
    with pytest.raises(FlashpointError) as caught:
        EventClassifier.load(path)
    assert caught.value.code == "E204"


def fitted_block(analyzer: str, documents: list[str]) -> tuple[TfidfVectorizer, TfidfBlock]:
    """scikit-learn's vectorizer fitted on the documents, and our block with its vocabulary and idf."""
    ngram_range = (1, 2) if analyzer == "word" else (3, 6)
    vectorizer = TfidfVectorizer(analyzer=analyzer, ngram_range=ngram_range, sublinear_tf=True).fit(documents)
    vocabulary = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__)
    return vectorizer, TfidfBlock({"analyzer": analyzer, "ngram_range": ngram_range}, vocabulary, vectorizer.idf_)


@pytest.mark.parametrize("analyzer", ["word", "char_wb"])
def test_classifier_tfidf_block_matches_scikit_learn(analyzer: str) -> None:
    documents = ["Troops shelled the village.", "The village  was\tshelled again;\nTroops left.", "Ünïcode façade"]
    vectorizer, block = fitted_block(analyzer, documents)
    texts = [*documents, "troops TROOPS troops\u00a0shelled", "", "   "]
    for text, expected in zip(texts, vectorizer.transform(texts).toarray(), strict=True):
        columns, values = block.vector(text)
        got = np.zeros(len(block.vocabulary))
        got[columns] = values
        assert np.allclose(got, expected), text


@pytest.mark.parametrize("analyzer", ["word", "char_wb"])
def test_classifier_tfidf_block_matrix_has_a_row_per_text_as_scikit_learn(analyzer: str) -> None:
    documents = ["Troops shelled the village.", "The village was shelled again; troops left.", "Troops, troops!"]
    vectorizer, block = fitted_block(analyzer, documents)
    texts = ["", *documents, "nothing known", "troops TROOPS troops shelled"]
    assert np.allclose(block.matrix(texts).toarray(), vectorizer.transform(texts).toarray(), rtol=0, atol=1e-12)
    assert block.matrix([]).shape == (0, len(block.vocabulary))


def test_classifier_codes_each_text_of_a_batch_as_if_alone(classifier: EventClassifier) -> None:
    texts = [text for text, _, _ in SENTENCES] + ["", "The minister said the economy grew by 3 percent last year."]
    batch = classifier.predict(texts)
    for text, together in zip(texts, batch, strict=True):
        alone = classifier.predict([text])[0]
        assert (together.quad, together.type) == (alone.quad, alone.type)
        assert together.quad_probability == pytest.approx(alone.quad_probability, rel=0, abs=1e-12)
        assert together.type_probability == pytest.approx(alone.type_probability, rel=0, abs=1e-12)
    assert [(p.quad, p.quad_probability) for p in batch] == classifier.predict_quad(texts)
    assert np.allclose(
        classifier.quad.scores(texts), [classifier.quad.score(text) for text in texts], rtol=0, atol=1e-12
    )


def _tiny_training_data(folder: Path) -> tuple[Path, Path]:
    """A few self-written stories per PLOVER type and sentences per quad class, in the real file formats."""
    stories = folder / "stories.csv"
    with stories.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["text", "title", "prompt", "label", "mode"])
        writer.writeheader()
        for plover_type in TYPE_QUAD:
            for number in range(4):
                title = f"{{country_1}} {plover_type.lower()} story {number}"
                prompt = f"Ruritania {plover_type.lower()} story {number}\n\n(AP) --"
                text = f"Officials said the {plover_type.lower()} happened on day {number}. Nothing else."
                writer.writerow({"text": text, "title": title, "prompt": prompt, "label": plover_type, "mode": ""})
    sentences = folder / "sentences.jsonl"
    words = ["weather report", "held talks", "sent aid", "condemned the move", "shelled the town"]
    with sentences.open("w", encoding="utf-8") as handle:
        for quad, phrase in enumerate(words):
            for number in range(6):
                row = {"id": f"{quad}-{number}", "text": f"Country {number} {phrase} today.", "pentaclass": quad}
                handle.write(json.dumps(row) + "\n")
        handle.write(json.dumps({"id": "spans-only", "text": "No class here.", "pentaclass": None}) + "\n")
    return stories, sentences


def test_train_writes_the_same_bytes_and_a_loadable_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stories, sentences = _tiny_training_data(tmp_path)
    outputs = [tmp_path / "first.npz", tmp_path / "second.npz"]
    for out in outputs:
        train_main(["--stories", str(stories), "--conflibert", str(sentences), "--out", str(out), "--seed", "3"])
    assert outputs[0].read_bytes() == outputs[1].read_bytes()
    assert "sha256" in capsys.readouterr().out
    model = EventClassifier.load(outputs[0])
    assert model.meta["seed"] == 3 and set(model.meta["data"]) >= {"stories_sha256", "conflibert_sha256"}
    assert model.predict_quad(["Country 9 shelled the town today."])[0][0] == 4


def _bench_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "eval_events_classifier", ROOT / "bench" / "eval_events_classifier.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("eval_events_classifier", module)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_classifier_figures_stay_above_the_pinned_floors() -> None:
    """Quality gate: raise the floors in bench/eval_baseline.json when the classifier improves, never lower them."""
    bench = _bench_module()
    if not (bench.STORIES.exists() and bench.CONFLIBERT.exists()):
        pytest.skip(f"training data not found at {bench.STORIES.parent.parent}")
    floors = json.loads((ROOT / "bench" / "eval_baseline.json").read_text("utf-8"))
    report = bench.evaluate(extra=False)
    figures = {
        "conflibert_macro_f1": report["conflibert_cv"]["macro_f1"],
        "conflibert_accuracy": report["conflibert_cv"]["accuracy"],
        "plover_type_accuracy": report["plover_type_holdout"]["accuracy"],
        "plover_type_accuracy_templates_held_out": bench.type_holdout(bench.load_stories(bench.STORIES), grouped=True)[
            "accuracy"
        ],
        "probe_accuracy": bench.probe_scores(EventClassifier.load())["accuracy"],
    }
    for name, floor in floors.items():
        if name in figures:
            assert figures[name] >= floor, f"{name} {figures[name]:.4f} fell below its floor {floor}"
