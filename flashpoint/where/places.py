"""`find_places(article)`: every place named in a parsed story, geocoded, with how it is used."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from ..errors import Errors, FlashpointError
from ..model import Article, Mention, Place
from .gazetteer import Entry, Gazetteer, load_gazetteer
from .recognize import Toponym, recognize
from .resolve import resolve

USES = ("location", "actor", "demonym")


@dataclass
class PlaceMention:
    """A span of the text that names a place: where it is, what it resolves to, and how it is used.

    ``use`` is "location" (where something is or happens: "in Tehran", "inside Iranian territory"), "actor"
    (the place stands for its government or people: "Tehran said") or "demonym" ("Iranian"). The gazetteer
    fields are None for a name the gazetteer lacks. ``feature`` is the kind of place: country, admin1 (a
    first-level division), admin2 (a district or county) or city (any populated place).
    """

    text: str
    start: int
    end: int
    name: str
    geonames_id: int | None
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    use: str
    feature: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "name": self.name,
            "geonames_id": self.geonames_id,
            "country": self.country,
            "admin1": self.admin1,
            "lat": self.lat,
            "lon": self.lon,
            "use": self.use,
        }

    def to_place(self) -> Place:
        return Place(
            name=self.name,
            country=self.country,
            admin1=self.admin1,
            lat=self.lat,
            lon=self.lon,
            geonames_id=self.geonames_id,
            feature=self.feature,
        )


def find_places(article: Article, *, home_country: str | None = None) -> list[PlaceMention]:
    """The places named in the article's story text, in text order (offsets into ``article.text``).

    Works on a parsed article (``article.doc`` set by the parse stage); the actor stage's mentions are used
    when present, and found here when not. ``home_country`` (ISO3) is the country the story is from, when
    known; by default it is the outlet's country, from the article's URL or source name. An article
    without text or parse gives no places.
    """
    check_country_code(home_country)
    doc = article.doc
    if doc is None or not article.text or len(doc) == 0:
        return []
    return places_in_doc(doc, article.mentions or None, home=home_country or _home_country(article))


def check_country_code(value: str | None) -> None:
    """Raise E311 unless ``value`` is None or three capital letters."""
    if value is not None and not (len(value) == 3 and value.isascii() and value.isalpha() and value.isupper()):
        raise FlashpointError(Errors.E311, value=value)


def places_in_doc(
    doc: Any,
    mentions: list[Mention] | None = None,
    *,
    home: str | None = None,
    gazetteer: Gazetteer | None = None,
) -> list[PlaceMention]:
    """The places named in one parsed doc (a story or a statement), with offsets into ``doc.text``.

    ``mentions`` are the actor stage's mentions of this doc; when None they are found here. ``gazetteer``
    defaults to the packaged one.
    """
    if doc is None or len(doc) == 0 or _blank(doc):
        return []
    gazetteer = gazetteer or load_gazetteer()
    toponyms = recognize(doc, _actor_mentions(doc) if mentions is None else mentions, gazetteer)
    chosen = resolve(toponyms, gazetteer, home=home)
    kept = [toponym for toponym in toponyms if not toponym.dropped]
    places = [_place_mention(doc, toponym, chosen.get(id(toponym)), gazetteer) for toponym in kept]
    _country_of_unknown_names(places)
    return places


def _blank(doc: Any) -> bool:
    """Whether the doc's text is all whitespace (without joining it: a token's trailing whitespace is a space)."""
    return not any(token.text.strip() for token in doc)


def _country_of_unknown_names(places: list[PlaceMention]) -> None:
    """A name the gazetteer lacks ("Godapitiya", "Harwinton") is taken to be in the country of most of the
    doc's resolved places (a local story names local places); it gets no coordinates."""
    counts = Counter(place.country for place in places if place.geonames_id is not None and place.country)
    if not counts:
        return
    country = counts.most_common(1)[0][0]
    for place in places:
        if place.geonames_id is None and place.country is None:
            place.country = country


def _place_mention(doc: Any, toponym: Toponym, entry: Entry | None, gazetteer: Gazetteer) -> PlaceMention:
    span = doc[toponym.start : toponym.end]
    start, end = span.start_char, span.end_char
    if entry is None:
        country = toponym.country
        return PlaceMention(span.text, start, end, toponym.name, None, country, None, None, None, toponym.use)
    admin1 = gazetteer.name_of(entry.admin1) if entry.feature != "country" else None
    return PlaceMention(
        text=span.text,
        start=start,
        end=end,
        name=entry.name,
        geonames_id=entry.geonameid,
        country=entry.country,
        admin1=admin1,
        lat=entry.lat,
        lon=entry.lon,
        use=toponym.use,
        feature=entry.feature,
    )


def _actor_mentions(doc: Any) -> list[Mention]:
    from ..actors import find_mentions

    return find_mentions(doc, include_places=True)


def _home_country(article: Article) -> str | None:
    """The outlet's country, from the article's URL or source name (the country most named is context anyway)."""
    from ..actors import home_country

    if not article.url and not article.source:
        return None
    return home_country(Article(id=article.id, url=article.url, source=article.source))
