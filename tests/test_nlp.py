"""The fast spaCy loading gives the same annotations as a plain `spacy.load`."""

from __future__ import annotations

from typing import Any

from flashpoint.nlp import load_nlp

TEXTS = [
    "Iran launched a missile strike against militants in Balochistan's Panjgur district on Tuesday.",
    "We ain't gonna let 'em go, said the minister.  Let's see: gotta wait.\n\nPakistan's envoy left Tehran.",
    "FMs had a very good phone talk to restore relations. @rahimhayat 🇮🇷&🇵🇰 https://t.co/3ThndHqSko",
    "THE PRIME MINISTER SAID NOTHING.   \t The U.S. and U.K. won't object, Mr. Smith's aide said.",
    "There is no deal, y'all. C'mon: there were talks and there's hope. Y'all ain't seen it; is there?",
]


def _annotations(nlp: Any, texts: list[str]) -> list[tuple[str, ...]]:
    return [
        (token.text, token.tag_, token.pos_, str(token.morph), token.lemma_, token.dep_, str(token.head.i),
         token.ent_iob_, token.ent_type_)
        for doc in nlp.pipe(texts)
        for token in doc
    ]


def test_nlp_fast_loading_keeps_every_annotation(sample: str) -> None:
    texts = TEXTS + sample.splitlines()
    fast = load_nlp()
    assert fast is not load_nlp(fast=False)
    assert _annotations(fast, texts) == _annotations(load_nlp(fast=False), texts)
    assert _annotations(fast, texts) == _annotations(fast, texts)  # the second time from the ruler's cache


def test_nlp_fast_ruler_sees_patterns_added_later() -> None:
    fast = load_nlp.__wrapped__()  # a pipeline of its own, not the one the other tests share
    fast("The talks were held in Tehran.")  # the cache has these tokens
    fast.get_pipe("attribute_ruler").add([[{"LOWER": "tehran"}]], {"LEMMA": "TEHRAN-LEMMA"})
    assert [token.lemma_ for token in fast("Talks in Tehran.")][-2] == "TEHRAN-LEMMA"
