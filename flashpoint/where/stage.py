"""The places pipeline stage: geocode the story's place mentions and set each event's location."""

from __future__ import annotations

from typing import Any

from ..model import Article, Event, Mention
from .gazetteer import load_gazetteer
from .locate import place_in, places_by_token, trigger_preps
from .places import PlaceMention, check_country_code, find_places, places_in_doc


class Locator:
    """Pipeline stage "places": resolve every place mention and give each event the place it happened in.

    On the article it (a) sets `place` and `use` on each mention that names a place, adding a mention of kind
    "place" for a place the actor stage did not list, and (b) sets `event.location` from a locative phrase tied
    to the event's trigger (`flashpoint.where.locate`), or leaves it None. ``home_country`` (ISO3) fixes the
    country the stories are from, for ambiguous names; by default it comes from each article's URL or source.
    """

    name = "places"

    def __init__(self, *, home_country: str | None = None, **_: Any) -> None:
        check_country_code(home_country)
        self.home_country = home_country
        load_gazetteer()

    def __call__(self, article: Article) -> Article:
        if article.doc is None or not article.text:
            return article
        places = find_places(article, home_country=self.home_country)
        _record(article, places)
        by_token: dict[int | None, dict[int, PlaceMention]] = {}  # each text's places, once an event needs them
        for event in article.events:
            place = self._location(article, event, places, by_token)
            event.location = place.to_place() if place is not None else None
        return article

    def _location(
        self,
        article: Article,
        event: Event,
        places: list[PlaceMention],
        by_token: dict[int | None, dict[int, PlaceMention]],
    ) -> PlaceMention | None:
        """Where the event happened, from the story's ``places`` or its post's (found here when first needed)."""
        statement = event.statement
        doc = article.doc if statement is None else _statement_doc(article, statement)
        preps = trigger_preps(doc, event.evidence.trigger_start)
        if not preps:
            return None
        if statement not in by_token:
            found = places if statement is None else places_in_doc(doc, home=self.home_country)
            by_token[statement] = places_by_token(doc, found)
        return place_in(preps, by_token[statement])


def _statement_doc(article: Article, index: int) -> Any:
    docs = article.statement_docs
    return docs[index] if 0 <= index < len(docs) else None


def _record(article: Article, places: list[PlaceMention]) -> None:
    """Set `place` and `use` on the mentions that name a place; add the places no mention covers."""
    by_span = {(mention.start, mention.end): mention for mention in article.mentions}
    for place in places:
        mention = by_span.get((place.start, place.end))
        if mention is None:
            mention = Mention(place.text, place.start, place.end, "place")
            article.mentions.append(mention)
        mention.place = place.to_place()
        mention.use = place.use
    article.mentions.sort(key=lambda mention: (mention.start, mention.end))
