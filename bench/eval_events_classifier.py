"""Evaluate the sentence event classifier (flashpoint/events/classifier.py) and time it.

    python bench/eval_events_classifier.py [--stories PATH] [--conflibert PATH] [--seed 13] [--json]

- Quad class (0-4) on ConfliBERT: 5-fold stratified cross-validation (seeded), each fold predicted by a
  quad model trained on the other four; near-duplicate sentences (TF-IDF cosine > 0.8) stay in one fold.
- PLOVER type on the synthetic stories: trained on 80%, accuracy on the other 20% (stratified, seeded),
  input title + text. The titles come from 332 templates shared across the split, so the same figure is
  also given with the templates held out (grouped split) and on the story text alone.
- Hand-written probe sentences (PROBES below, written from the PLOVER definitions), scored with the
  packaged model: a check of behaviour outside ConfliBERT's style.
- Speed of the packaged model: milliseconds per 1,000 sentences and words per second, one process;
  with --spacy, also spaCy en_core_web_sm's parse speed on the same sentences.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedGroupKFold, train_test_split

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flashpoint.events.classifier import EventClassifier  # noqa: E402
from flashpoint.events.train import (  # noqa: E402
    CONFLIBERT,
    SEED,
    STORIES,
    Story,
    fit_quad,
    fit_types,
    load_conflibert,
    load_cues,
    load_stories,
)

PROBES: tuple[tuple[str, int], ...] = (
    # 0: no event
    ("The weather was mild on Tuesday, with temperatures reaching 20 degrees in the capital.", 0),
    ("The province has a population of about 12 million people, most of them farmers.", 0),
    ("Inflation rose to 7.2 percent in March, the central bank's figures showed.", 0),
    ("The river forms a natural border between the two countries for about 300 kilometres.", 0),
    ("Elections are scheduled to take place in the autumn of next year.", 0),
    ("The ministry has been led by Ahmed Karimi since 2019.", 0),
    ("The region is rich in copper and natural gas.", 0),
    ("The city's stock exchange closed slightly higher on Monday.", 0),
    ("Tourism accounts for roughly a tenth of the island's economy.", 0),
    ("The festival draws tens of thousands of visitors to the old town each summer.", 0),
    ("The dispute over the islands dates back to the nineteenth century.", 0),
    ("Analysts say the outcome of the vote remains difficult to predict.", 0),
    ("The new airport terminal will have capacity for 30 million passengers a year.", 0),
    ("Both countries are members of the regional trade bloc.", 0),
    ("The opposition party won 42 seats in the last parliamentary election.", 0),
    ("The company employs more than 5,000 workers at its plant near the coast.", 0),
    ("The report is expected to be published later this month.", 0),
    ("Schools reopened across the country after the summer holidays.", 0),
    ("The capital lies about 200 kilometres north of the border.", 0),
    ("Rainfall this season has been below average in the southern provinces.", 0),
    # 1: verbal cooperation
    ("The foreign ministers of India and Japan met in Tokyo on Monday to discuss regional security.", 1),
    ("President Lula praised Argentina's efforts to strengthen economic ties between the two neighbours.", 1),
    ("The two leaders agreed to hold further talks on the border dispute next month.", 1),
    ("Germany's chancellor spoke by phone with the Polish prime minister about energy supplies.", 1),
    ("Kenya welcomed the African Union's decision to send mediators to the region.", 1),
    ("The government called on the United Nations to send humanitarian assistance to the flooded areas.", 1),
    ("Egypt offered to host peace negotiations between the warring parties.", 1),
    ("The prime minister expressed support for the new trade initiative proposed by Vietnam.", 1),
    ("Seoul invited a North Korean delegation to attend the sports event.", 1),
    ("The French president will visit Morocco next week for talks with King Mohammed.", 1),
    ("Canada and Mexico signed a memorandum of understanding on climate cooperation.", 1),
    ("The opposition leader urged the government to release political prisoners.", 1),
    ("Turkey said it was ready to resume dialogue with Greece on maritime issues.", 1),
    ("The Pope appealed for an end to the fighting and for dialogue between the sides.", 1),
    ("Indonesia and Australia pledged to deepen cooperation on counter-terrorism.", 1),
    ("The EU commended Ghana for the peaceful conduct of its elections.", 1),
    ("Brazil asked China to increase its imports of beef.", 1),
    ("The Qatari emir received the Iranian foreign minister in Doha.", 1),
    ("The rebels promised to respect a ceasefire if the army halted its advance.", 1),
    ("Officials from both countries held consultations in Geneva on the refugee question.", 1),
    # 2: material cooperation
    ("Japan sent 50 tonnes of food and medical supplies to the earthquake victims.", 2),
    ("The rebels released 20 hostages on Saturday after weeks of negotiations.", 2),
    ("Russia began withdrawing its troops from the border region on Thursday.", 2),
    ("The World Bank approved a 300 million dollar loan to help rebuild the country's power grid.", 2),
    ("India and Sri Lanka held joint naval exercises in the Indian Ocean.", 2),
    ("The court freed the journalist on bail after three months in detention.", 2),
    ("Spain extradited the former minister to Argentina to face corruption charges.", 2),
    ("The government lifted the curfew in the northern city.", 2),
    ("The United States delivered anti-aircraft missiles to the Ukrainian army.", 2),
    ("The defence minister resigned on Friday amid a procurement scandal.", 2),
    ("Militia fighters handed over their weapons to United Nations peacekeepers.", 2),
    ("The authorities allowed aid convoys to enter the besieged town.", 2),
    ("Norway granted asylum to the dissident and his family.", 2),
    ("The two companies, backed by their governments, opened a joint gas pipeline.", 2),
    ("The army returned the seized farmland to its owners.", 2),
    ("Chinese engineers began building the railway under an agreement with Laos.", 2),
    ("The Red Cross evacuated hundreds of wounded civilians from the city.", 2),
    ("France cancelled part of Mali's debt.", 2),
    ("The police of both countries shared intelligence that led to the arrest of a smuggling ring.", 2),
    ("Saudi Arabia deposited 3 billion dollars in Pakistan's central bank to support its reserves.", 2),
    # 3: verbal conflict
    ("The government condemned the attack and accused Iran of arming the militants.", 3),
    ("Pakistan recalled its ambassador from Tehran in protest.", 3),
    ("The president threatened to impose new tariffs on European cars.", 3),
    ("The opposition rejected the government's offer of talks.", 3),
    ("The United States imposed sanctions on five officials over human rights abuses.", 3),
    ("A court sentenced the former mayor to ten years in prison for corruption.", 3),
    ("Prosecutors charged the general with war crimes.", 3),
    ("China criticised the visit as a violation of its sovereignty.", 3),
    ("Russia vetoed the draft resolution at the Security Council.", 3),
    ("The ministry expelled two diplomats, accusing them of spying.", 3),
    ("Hungary refused to accept the migrants under the EU quota plan.", 3),
    ("The rebels warned that they would attack the capital if the talks failed.", 3),
    ("Lithuania suspended all flights to and from Belarus.", 3),
    ("The anti-corruption commission opened an investigation into the minister's finances.", 3),
    ("The union denounced the new labour law as an attack on workers' rights.", 3),
    ("Morocco cut diplomatic ties with Iran over its alleged support for the Polisario Front.", 3),
    ("The prime minister denied the allegations and dismissed calls for his resignation.", 3),
    ("Washington accused Beijing of stealing trade secrets.", 3),
    ("The country withdrew from the arms control treaty.", 3),
    ("The EU froze the assets of the deposed leader.", 3),
    # 4: material conflict
    ("Troops shelled the village, killing five civilians.", 4),
    ("Thousands of protesters marched through the capital demanding the resignation of the president.", 4),
    ("Police arrested twelve opposition activists during a night-time raid.", 4),
    ("Iran launched missile strikes on what it said were militant bases in Pakistan.", 4),
    ("A suicide bomber blew himself up at a checkpoint, wounding 14 people.", 4),
    ("Gunmen kidnapped three aid workers on the road to the airport.", 4),
    ("The army deployed tanks and armoured vehicles along the border.", 4),
    ("Security forces fired tear gas to disperse the demonstrators.", 4),
    ("The government declared a state of emergency and imposed a curfew.", 4),
    ("Dock workers went on strike, paralysing the port.", 4),
    ("Airstrikes destroyed a hospital and a school in the rebel-held town.", 4),
    ("The authorities blocked access to social media ahead of the vote.", 4),
    ("Rebels ambushed an army convoy, killing at least 20 soldiers.", 4),
    ("North Korea test-fired two ballistic missiles into the sea.", 4),
    ("Police seized the newspaper's offices and confiscated its computers.", 4),
    ("Hackers linked to the government attacked the ministry's computer networks.", 4),
    ("Rioters set fire to cars and looted shops in the city centre.", 4),
    ("The army shot dead two men it said were smugglers near the frontier.", 4),
    ("The regime deported hundreds of foreign workers.", 4),
    ("A drone strike killed a senior commander of the group.", 4),
)


def near_duplicate_groups(texts: Sequence[str], *, threshold: float = 0.8) -> np.ndarray:
    """A group id per text; texts whose word TF-IDF cosine exceeds ``threshold`` share a group."""
    vectors = TfidfVectorizer().fit_transform(texts)
    similar = (vectors @ vectors.T) > threshold
    return np.asarray(connected_components(similar, directed=False)[1])


def quad_folds(texts: Sequence[str], labels: np.ndarray, *, seed: int = SEED, folds: int = 5) -> list[Any]:
    """(train, test) index arrays: stratified by class, near-duplicates kept in one fold, seeded."""
    splitter = StratifiedGroupKFold(folds, shuffle=True, random_state=seed)
    return list(splitter.split(np.zeros(len(labels)), labels, near_duplicate_groups(texts)))


def cross_validated_quad(texts: Sequence[str], labels: np.ndarray, *, seed: int = SEED, folds: int = 5) -> np.ndarray:
    """Each sentence's quad class, predicted by a quad model trained on the other folds only."""
    cues, predicted = load_cues(), np.zeros_like(labels)
    for train_index, test_index in quad_folds(texts, labels, seed=seed, folds=folds):
        model = fit_quad([texts[i] for i in train_index], labels[train_index], cues=cues, seed=seed).model
        predicted[test_index] = model.scores([texts[i] for i in test_index]).argmax(axis=1)
    return predicted


def class_scores(gold: np.ndarray, predicted: np.ndarray) -> dict[str, Any]:
    """Per-class precision/recall/F1/support, macro-F1 and accuracy."""
    precision, recall, f1, support = precision_recall_fscore_support(gold, predicted, labels=range(5), zero_division=0)
    per_class = {
        str(label): {"precision": p, "recall": r, "f1": f, "n": int(n)}
        for label, p, r, f, n in zip(range(5), precision, recall, f1, support, strict=True)
    }
    return {
        "per_class": per_class,
        "macro_f1": float(f1_score(gold, predicted, average="macro")),
        "accuracy": float(accuracy_score(gold, predicted)),
    }


def type_holdout(stories: Sequence[Story], *, seed: int = SEED, grouped: bool = False) -> dict[str, float]:
    """Train the type model on 80% of the stories; accuracy on the other 20% (title + text, and text only).

    ``grouped``: the 20% hold out whole title templates (no template is seen in training)."""
    labels = np.array([story.label for story in stories])
    if grouped:
        splitter = StratifiedGroupKFold(5, shuffle=True, random_state=seed)
        train_index, test_index = next(splitter.split(labels, labels, [story.template for story in stories]))
    else:
        train_index, test_index = train_test_split(
            np.arange(len(stories)), test_size=0.2, stratify=labels, random_state=seed
        )
    model = fit_types([stories[i] for i in train_index], seed=seed)
    names = np.array(model.labels)
    held_out = [stories[i] for i in test_index]
    story_guess = names[model.model.scores([story.document for story in held_out]).argmax(axis=1)]
    text_guess = names[model.model.scores([story.text for story in held_out]).argmax(axis=1)]
    return {
        "accuracy": float(accuracy_score(labels[test_index], story_guess)),
        "macro_f1": float(f1_score(labels[test_index], story_guess, average="macro")),
        "text_only_accuracy": float(accuracy_score(labels[test_index], text_guess)),
        "n": len(test_index),
    }


def probe_scores(classifier: EventClassifier) -> dict[str, Any]:
    """Quad accuracy and macro-F1 of ``classifier`` on the hand-written probe sentences."""
    gold = np.array([label for _, label in PROBES])
    predicted = np.array([quad for quad, _ in classifier.predict_quad([text for text, _ in PROBES])])
    errors = [(text, int(g), int(p)) for (text, _), g, p in zip(PROBES, gold, predicted, strict=True) if g != p]
    return {
        "accuracy": float(accuracy_score(gold, predicted)),
        "macro_f1": float(f1_score(gold, predicted, average="macro")),
        "errors": errors,
    }


def _best_seconds(function: Any, texts: Sequence[str], *, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function(texts)
        times.append(time.perf_counter() - start)
    return min(times)


def timing(classifier: EventClassifier, sentences: Sequence[str], *, spacy: bool = False) -> dict[str, float]:
    """Milliseconds per 1,000 sentences and words/s for ``predict`` (quad + type) and ``predict_quad``."""
    words = sum(len(sentence.split()) for sentence in sentences)
    result = {"sentences": len(sentences), "words_per_sentence": words / len(sentences)}
    functions = {"predict": classifier.predict, "predict_quad": classifier.predict_quad}
    if spacy:
        from flashpoint.nlp import load_nlp

        nlp = load_nlp()
        functions["spacy_parse"] = lambda texts: list(nlp.pipe(texts, batch_size=256))
    for name, function in functions.items():
        seconds = _best_seconds(function, sentences, repeat=1 if name == "spacy_parse" else 3)
        result[f"{name}_ms_per_1000"] = 1000 * seconds * 1000 / len(sentences)
        result[f"{name}_words_per_s"] = words / seconds
    return result


def evaluate(
    stories_path: Path = STORIES,
    conflibert_path: Path = CONFLIBERT,
    *,
    seed: int = SEED,
    extra: bool = True,
    spacy: bool = False,
) -> dict[str, Any]:
    """Every figure: quad CV on ConfliBERT, type hold-out on the stories; with ``extra`` the grouped
    hold-out, the probes and the timing of the packaged model."""
    texts, labels = load_conflibert(conflibert_path)
    stories = load_stories(stories_path)
    report: dict[str, Any] = {"seed": seed}
    report["conflibert_cv"] = class_scores(labels, cross_validated_quad(texts, labels, seed=seed))
    report["plover_type_holdout"] = type_holdout(stories, seed=seed)
    if extra:
        report["plover_type_holdout_grouped"] = type_holdout(stories, seed=seed, grouped=True)
        classifier = EventClassifier.load()
        report["probes"] = probe_scores(classifier)
        report["timing"] = timing(classifier, (texts * 2)[:2000], spacy=spacy)
    return report


def print_report(report: dict[str, Any]) -> None:
    """The figures as a readable text report."""
    cv = report["conflibert_cv"]
    print(f"ConfliBERT quad class, 5-fold CV (seed {report['seed']}, near-duplicates grouped)")
    print(f"{'class':>6} {'P':>6} {'R':>6} {'F1':>6} {'n':>5}")
    for label, row in cv["per_class"].items():
        print(f"{label:>6} {row['precision']:6.3f} {row['recall']:6.3f} {row['f1']:6.3f} {row['n']:5d}")
    print(f"macro-F1 {cv['macro_f1']:.3f}  accuracy {cv['accuracy']:.3f}")
    for key, title in [("plover_type_holdout", "random 80/20"), ("plover_type_holdout_grouped", "templates held out")]:
        if key in report:
            row = report[key]
            print(
                f"PLOVER type, synthetic stories, {title}: accuracy {row['accuracy']:.3f}  macro-F1 "
                f"{row['macro_f1']:.3f}  (text only: {row['text_only_accuracy']:.3f}; n={row['n']})"
            )
    if "probes" in report:
        probes = report["probes"]
        print(f"probes (packaged model): accuracy {probes['accuracy']:.3f}  macro-F1 {probes['macro_f1']:.3f}")
        for text, gold, predicted in probes["errors"]:
            print(f"  gold {gold} got {predicted}: {text}")
    if "timing" in report:
        speed = report["timing"]
        print(f"speed on {speed['sentences']} sentences ({speed['words_per_sentence']:.1f} words each), one process:")
        for name in ("predict", "predict_quad", "spacy_parse"):
            if f"{name}_ms_per_1000" in speed:
                print(
                    f"  {name:13s} {speed[f'{name}_ms_per_1000']:8.1f} ms per 1,000 sentences  "
                    f"{speed[f'{name}_words_per_s']:10.0f} words/s"
                )


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    """Command line: print (or dump as JSON) every figure."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stories", type=Path, default=STORIES)
    parser.add_argument("--conflibert", type=Path, default=CONFLIBERT)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--spacy", action="store_true", help="also time spaCy's parse of the same sentences")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    report = evaluate(args.stories, args.conflibert, seed=args.seed, spacy=args.spacy)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_report(report)
    return report


if __name__ == "__main__":
    main()
