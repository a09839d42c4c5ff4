"""Places: find every place a story names, geocode it offline, and say where each event happened.

- `find_places(article)` -> `PlaceMention`s: the span, the GeoNames place it resolves to (name, id, ISO3
  country, first-level division, lat/lon) and its use: "location", "actor" (metonymy: "Tehran said") or
  "demonym" ("Iranian").
- `Locator`: the pipeline stage "places"; it records the places on the article's mentions and sets each
  event's `location`.
- `load_gazetteer()`: the gazetteer (GeoNames countries, divisions and places of 500 people or more), read
  once per process from `data/places/gazetteer.tsv.gz`, which `scripts/build_gazetteer.py` makes.

How it works, and how well, is in docs/places.md: recognition (`recognize`), resolution (`resolve`) and event
locations (`locate`).
"""

from __future__ import annotations

from .gazetteer import Gazetteer, load_gazetteer
from .locate import event_location
from .places import PlaceMention, find_places, places_in_doc
from .stage import Locator

__all__ = [
    "Gazetteer",
    "Locator",
    "PlaceMention",
    "event_location",
    "find_places",
    "load_gazetteer",
    "places_in_doc",
]
