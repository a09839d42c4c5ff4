"""The event coder on the sample article and on small sentences of our own."""

from __future__ import annotations

import pytest

import flashpoint
from flashpoint import Article, Event
from flashpoint.events import EventCoder
from flashpoint.pipeline import Pipeline
from flashpoint.samples import sample_articles
from flashpoint.sources import read_text


@pytest.fixture(scope="module")
def coded_sample() -> Article:
    return next(flashpoint.pipe(sample_articles()))


def _find(article: Article, type: str, source: str, target: str | None = None) -> list[Event]:
    return [
        event
        for event in article.events
        if event.type == type
        and source in {a.country for a in event.source}
        and (target is None or target in {a.country for a in event.target})
    ]


def test_events_sample_phone_call_is_consult_between_foreign_ministers(coded_sample: Article) -> None:
    calls = _find(coded_sample, "CONSULT", "PAK", "IRN")
    assert calls
    story_call = next(e for e in calls if e.statement is None)
    assert story_call.source[0].role == "foreign minister" and story_call.source[0].sector == "GOV"
    assert story_call.target[0].person == "Hossein Amir Abdollahian"
    assert "conversation" in story_call.evidence.text
    phone = [e for e in coded_sample.events if e.cameo == "041"]
    assert phone and phone[0].statement == 1 and phone[0].mode == "phone"


def test_events_sample_strikes_are_assaults_on_militants_in_the_other_country(coded_sample: Article) -> None:
    iran_strike = _find(coded_sample, "ASSAULT", "IRN")
    assert any(t.sector == "REB" and t.country == "PAK" for e in iran_strike for t in e.target)
    assert all(e.quad_class == 4 and e.goldstein == -10.0 for e in iran_strike)
    pakistan_strike = _find(coded_sample, "ASSAULT", "PAK")
    assert any(t.sector == "REB" and t.country == "IRN" for e in pakistan_strike for t in e.target)


def test_events_sample_has_no_state_on_state_assault(coded_sample: Article) -> None:
    for event in _find(coded_sample, "ASSAULT", "PAK") + _find(coded_sample, "ASSAULT", "IRN"):
        assert all(t.sector is not None for t in event.target), event.evidence.text
    assert not any("Iraq" in e.evidence.text for e in coded_sample.events)
    assert not any("full-scale conflict" in e.evidence.text for e in coded_sample.events)


def test_events_sample_readiness_and_reaffirmed_ties_are_cooperative(coded_sample: Article) -> None:
    assert _find(coded_sample, "AGREE", "PAK", "IRN")
    ministry = _find(coded_sample, "AGREE", "IRN", "PAK")
    assert any(e.source[0].role == "foreign ministry" for e in ministry)


def test_events_sample_mediators_are_third_parties_not_a_dyad(coded_sample: Article) -> None:
    mediation = [e for e in coded_sample.events if e.third_parties]
    assert len(mediation) == 1
    event = mediation[0]
    assert {a.country for a in event.third_parties} == {"CHN", "RUS", "TUR"}
    assert {a.country for a in event.source + event.target} == {"PAK", "IRN"}


def test_events_sample_no_event_has_the_newspaper_as_actor(coded_sample: Article) -> None:
    actors = [a for e in coded_sample.events for a in e.source + e.target + e.third_parties]
    assert actors and all(a.sector != "MED" and "Tribune" not in a.name for a in actors)


def test_events_evidence_is_the_exact_span_of_the_text(coded_sample: Article) -> None:
    for event in coded_sample.events:
        text = coded_sample.text if event.statement is None else coded_sample.statements[event.statement].text
        assert text[event.evidence.start : event.evidence.end] == event.evidence.text
        assert event.evidence.text


def test_events_statements_are_attributed_to_their_authors(coded_sample: Article) -> None:
    embassy = [e for e in coded_sample.events if e.statement == 1]
    assert embassy and all(e.source[0].country == "IRN" for e in embassy)
    assert all(e.date == "2024-01-19" and e.date_basis == "explicit" for e in embassy)


def test_events_reported_speech_is_marked(coded_sample: Article) -> None:
    message = [e for e in coded_sample.events if "reconciliation" in e.evidence.text]
    assert message and message[0].modality.reported and message[0].type == "AGREE"


@pytest.mark.parametrize(
    ("text", "type", "source", "target"),
    [
        ("Russian troops shelled the Ukrainian town of Kharkiv on Monday.", "ASSAULT", "RUS", None),
        ("The United States imposed sanctions on North Korea.", "COERCE", "USA", "PRK"),
        ("Germany condemned Turkey for the arrests.", "ACCUSE", "DEU", "TUR"),
        ("The Indian prime minister met the Japanese prime minister in Tokyo.", "CONSULT", "IND", "JPN"),
        ("China threatened Taiwan with military action.", "THREATEN", "CHN", "TWN"),
        ("Egypt urged Israel to allow aid into Gaza.", "REQUEST", "EGY", "ISR"),
    ],
)
def test_events_code_simple_sentences(text: str, type: str, source: str, target: str | None) -> None:
    article = flashpoint.code(text, published="2024-01-19")
    assert _find(article, type, source, target), [(e.type, e.source, e.target) for e in article.events]


def test_events_negated_event_is_marked_not_asserted() -> None:
    article = flashpoint.code("Pakistan did not attack Iran.", published="2024-01-19")
    assert article.events and all(e.modality.negated for e in article.events)


def test_events_coder_codes_each_article_of_a_batch_as_if_alone() -> None:
    texts = ["Pakistan did not attack Iran.", "Germany condemned Turkey for the arrests.", "Nothing happened."]
    articles = [read_text(text, id=str(i), published="2024-01-19") for i, text in enumerate(texts)]
    pipeline = Pipeline(("clean", "parse", "actors", "events"))
    coded = list(pipeline.pipe([*sample_articles(), *articles], batch_size=8))  # one batch: EventCoder.pipe
    together = [article.events for article in coded]
    coder = EventCoder()
    assert [coder(article).events for article in coded] == together
    assert all(together[:2]) and not together[-1] and not any(article.errors for article in coded)
