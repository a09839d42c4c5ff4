"""Where an event happened: a place in a locative phrase tied to the event's trigger by the dependency parse.

From the trigger word (and the light verb it is the object of: "conducted strikes"), the search walks down the
parse breadth first through objects, prepositions and prepositional clauses, never into another clause
(relative, adverbial or complement clauses) nor into the subject. The first locative prepositional phrase
("in", "at", "inside", "near", "into", "across", "on" ...) whose noun phrase names a place used as a location
gives the event's location. So the trigger's own phrase comes first ("strikes in X"), then its light verb's,
then a place modifier of its object or target ("strikes against militants inside Iranian territory",
"a missile strike against what it termed militants in Balochistan's Pangur district"). Nothing found: no
location, rather than the first place of the sentence.

Within a noun phrase the most specific place wins: a district before the province that owns it
("Balochistan's Pangur district"), and places in clauses inside the phrase ("... bordering Iran") are not
read.
"""

from __future__ import annotations

from collections import deque
from functools import lru_cache
from typing import Any

from ..datafiles import data_lines, read_tsv
from .places import PlaceMention
from .recognize import load_cues

WALK_DEPS = frozenset({"dobj", "pobj", "prep", "pcomp", "agent", "attr", "oprd", "dative", "acomp", "appos"})
PHRASE_DEPS = frozenset({"compound", "poss", "amod", "nmod", "conj", "appos", "npadvmod"})
SPECIFICITY = {"city": 0, "admin2": 1, "admin1": 2, "country": 3, None: 4}
MAX_DEPTH = 6


@lru_cache(maxsize=1)
def light_verbs() -> frozenset[str]:
    """The events stage's light verbs ("conducted strikes") and the places stage's own ("opened fire")."""
    own = {row["word"] for row in read_tsv("places/cues.tsv") if row["cue"] == "light_verb"}
    return frozenset(data_lines("events/light_verbs.txt")) | own


def event_location(doc: Any, trigger_start: int | None, places: list[PlaceMention]) -> PlaceMention | None:
    """The place where the event whose trigger starts at char ``trigger_start`` of ``doc.text`` happened."""
    if not places:
        return None
    preps = trigger_preps(doc, trigger_start)
    return place_in(preps, places_by_token(doc, places)) if preps else None


def trigger_preps(doc: Any, trigger_start: int | None) -> list[Any]:
    """The locative prepositions below the trigger that starts at char ``trigger_start``, nearest first: where
    `place_in` looks for the event's place (none: no place is needed)."""
    if doc is None or trigger_start is None:
        return []
    trigger = _token_at(doc, trigger_start)
    return _locative_preps(trigger, load_cues().locative) if trigger is not None else []


def place_in(preps: list[Any], by_token: dict[int, PlaceMention]) -> PlaceMention | None:
    """The place named in the first of the prepositions' phrases that names one (``by_token``: `places_by_token`)."""
    for prep in preps:
        place = _place_in_phrase(prep, by_token)
        if place is not None:
            return place
    return None


def _token_at(doc: Any, char: int) -> Any:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def places_by_token(doc: Any, places: list[PlaceMention]) -> dict[int, PlaceMention]:
    """The places that may be where an event happened (not actors), by the index of each of their tokens."""
    by_token: dict[int, PlaceMention] = {}
    for place in places:
        if place.use == "actor":
            continue
        span = doc.char_span(place.start, place.end, alignment_mode="expand")
        for token in span if span is not None else ():
            by_token[token.i] = place
    return by_token


def _locative_preps(trigger: Any, locative: frozenset[str]) -> list[Any]:
    """Locative prepositions below the trigger (and its light verb), nearest first."""
    starts = [trigger]
    if trigger.dep_ == "dobj" and trigger.head.lemma_.lower() in light_verbs():
        starts.append(trigger.head)
    queue = deque((token, 0) for token in starts)
    seen = {token.i for token in starts}
    found = []
    while queue:
        token, depth = queue.popleft()
        if token.dep_ == "prep" and token.lower_ in locative and token.i not in {start.i for start in starts}:
            found.append(token)
        if depth >= MAX_DEPTH:
            continue
        for child in token.children:
            if child.i not in seen and child.dep_ in WALK_DEPS:
                seen.add(child.i)
                queue.append((child, depth + 1))
    return found


def _place_in_phrase(prep: Any, by_token: dict[int, PlaceMention]) -> PlaceMention | None:
    """The most specific place in the noun phrase a preposition governs."""
    objects = [child for child in prep.children if child.dep_ == "pobj"]
    found = [by_token[token.i] for token in _phrase_tokens(objects) if token.i in by_token]
    if not found:
        return None
    return min(found, key=lambda place: SPECIFICITY.get(place.feature, 4))


def _phrase_tokens(heads: list[Any]) -> list[Any]:
    """The heads and their modifiers (compounds, possessives, adjectives, conjuncts), not their clauses."""
    tokens = []
    stack = list(heads)
    while stack:
        token = stack.pop()
        tokens.append(token)
        stack.extend(child for child in token.children if child.dep_ in PHRASE_DEPS)
    return tokens
