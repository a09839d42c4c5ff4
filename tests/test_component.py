"""The coder inside a spaCy user's own pipeline."""

from __future__ import annotations

import spacy

from flashpoint.nlp import MODEL


def test_component_adds_events_to_a_spacy_doc() -> None:
    nlp = spacy.load(MODEL)
    nlp.add_pipe("flashpoint_events")
    doc = nlp("Germany condemned Turkey for the arrests of journalists.")
    assert [e.type for e in doc._.events] == ["ACCUSE"]
    event = doc._.events[0]
    assert event.source[0].country == "DEU" and event.target[0].country == "TUR"
    assert doc.text[event.evidence.start : event.evidence.end] == event.evidence.text
    assert any(m.actor and m.actor.country == "TUR" for m in doc._.mentions)
