"""Events as rows of the GDELT 2.0 Events table: its 61 columns, in its order, tab-separated.

Column names and order: the GDELT 2.0 Event codebook (as listed in gdeltPyR's `events2.csv`). Where flashpoint
has nothing for a column (tone, ethnic and religious codes, ADM2 codes) it is empty. docs/exports.md states
each mapping and every deviation.
"""

from __future__ import annotations

import hashlib
from datetime import date
from functools import cache

from ..datafiles import read_tsv
from ..model import Actor, Place
from .records import ExportRecord

ACTOR_COLUMNS: tuple[str, ...] = (
    "Code",
    "Name",
    "CountryCode",
    "KnownGroupCode",
    "EthnicCode",
    "Religion1Code",
    "Religion2Code",
    "Type1Code",
    "Type2Code",
    "Type3Code",
)
GEO_COLUMNS: tuple[str, ...] = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
GDELT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    *(f"Actor1{name}" for name in ACTOR_COLUMNS),
    *(f"Actor2{name}" for name in ACTOR_COLUMNS),
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    *(f"Actor1Geo_{name}" for name in GEO_COLUMNS),
    *(f"Actor2Geo_{name}" for name in GEO_COLUMNS),
    *(f"ActionGeo_{name}" for name in GEO_COLUMNS),
    "DATEADDED",
    "SOURCEURL",
)
# flashpoint's international actor "countries": CAMEO codes them as actor types, not countries.
INTERNATIONAL: frozenset[str] = frozenset({"IGO", "NGO", "IMG"})
# GDELT's geographic resolutions.
GEO_COUNTRY, GEO_US_STATE, GEO_US_CITY, GEO_WORLD_CITY, GEO_WORLD_STATE = 1, 2, 3, 4, 5


def gdelt_row(record: ExportRecord) -> list[str]:
    """The 61 fields of one GDELT 2.0 event row, as strings without tabs or line breaks."""
    event, article = record.event, record.article
    source = event.source[0] if event.source else None
    target = event.target[0] if event.target else None
    row = [
        str(gdelt_event_id(record.event_id)),
        *_date_columns(event.date),
        *_actor_columns(source),
        *_actor_columns(target),
        _is_root_event(record),
        event.cameo,
        event.cameo[:3],
        event.cameo[:2],
        str(event.quad_class or 1),
        _number(event.goldstein),
        str(record.num_mentions or 1),
        str(record.num_sources or 1),
        str(record.num_articles or 1),
        "",
        *_geo_columns(_actor_place(source)),
        *_geo_columns(_actor_place(target)),
        *_geo_columns(event.location),
        _date_added(article.published),
        article.url or article.source or "",
    ]
    return [_field(value) for value in row]


def gdelt_event_id(event_id: str) -> int:
    """GLOBALEVENTID for a flashpoint event id: a stable non-negative 63-bit integer (BLAKE2b of the id)."""
    digest = hashlib.blake2b(event_id.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def actor_code(actor: Actor) -> str:
    """A CAMEO-style actor code: country then sector ("PAKGOV", "IRNREB", "IGOUN"; "PAK" for a bare country)."""
    return "".join(part for part in (actor.country, actor.sector) if part)


def _actor_columns(actor: Actor | None) -> list[str]:
    if actor is None:
        return [""] * len(ACTOR_COLUMNS)
    country, sector = actor.country or "", actor.sector or ""
    international = country in INTERNATIONAL
    known_group = sector if international and country != "IMG" else ""
    types = [country, sector if country == "IMG" else ""] if international else [sector, ""]
    return [
        actor_code(actor),
        actor.name,
        "" if international else country,
        known_group,
        "",
        "",
        "",
        *types,
        "",
    ]


def _date_columns(value: str | None) -> list[str]:
    """SQLDATE, MonthYear, Year and FractionDate; FractionDate is YYYY + (MONTH * 30 + DAY) / 365 as GDELT has it."""
    try:
        day = date.fromisoformat(value) if value else None
    except ValueError:
        day = None
    if day is None:
        return [""] * 4
    fraction = day.year + (day.month * 30 + day.day) / 365
    return [day.strftime("%Y%m%d"), day.strftime("%Y%m"), str(day.year), f"{fraction:.4f}"]


def _date_added(published: str | None) -> str:
    try:
        return date.fromisoformat(published).strftime("%Y%m%d000000") if published else ""
    except ValueError:
        return ""


def _is_root_event(record: ExportRecord) -> str:
    """1 when the event was coded from the story's first paragraph (GDELT's lead-paragraph flag), else 0."""
    if record.event.statement is not None:
        return "0"
    text = record.article.text
    first_break = text.find("\n")
    lead_end = len(text) if first_break < 0 else first_break
    return "1" if record.event.evidence.start < lead_end else "0"


def _actor_place(actor: Actor | None) -> Place | None:
    """Where a group is based, as a place: the country the words name, else a place in the actor's country."""
    if actor is None or not actor.location:
        return None
    country = _country_by_name().get(actor.location)
    if country is None and actor.country not in INTERNATIONAL:
        country = actor.country
    return Place(name=actor.location, country=country)


def _geo_columns(place: Place | None) -> list[str]:
    if place is None:
        return [""] * len(GEO_COLUMNS)
    kind = _geo_type(place)
    fips = _fips().get(place.country or "", "")
    country_level = fips if kind == GEO_COUNTRY else ""
    return [
        str(kind or ""),
        _full_name(place),
        fips,
        country_level,
        "",
        _number(place.lat),
        _number(place.lon),
        country_level,
    ]


def _geo_type(place: Place) -> int | None:
    """GDELT's resolution of a place: country, state (admin1) or city; None when flashpoint cannot tell.

    The gazetteer's `feature` decides when it is set (a district, admin2, counts as a city or landmark, as
    GDELT has no type for it); otherwise the name and fields: a country's name, its admin1's, coordinates.
    """
    us = place.country == "USA"
    feature = place.feature
    if feature == "country" or (
        feature is None and place.country and not place.admin1 and _country_by_name().get(place.name) == place.country
    ):
        return GEO_COUNTRY
    if feature == "admin1" or (feature is None and place.admin1 and place.name == place.admin1):
        return GEO_US_STATE if us else GEO_WORLD_STATE
    if feature in ("admin2", "city") or place.admin1 or place.lat is not None:
        return GEO_US_CITY if us else GEO_WORLD_CITY
    return None


def _full_name(place: Place) -> str:
    """The full name as GDELT writes it: "City, State, Country", "State, Country" or "Country"."""
    country = _country_names().get(place.country or "")
    parts = [place.name, place.admin1, country]
    return ", ".join(dict.fromkeys(part for part in parts if part))


def _number(value: float | int | None) -> str:
    return "" if value is None else f"{value:.10g}"


def _field(value: str) -> str:
    """A TSV field: GDELT files have no quoting, so tabs and line breaks become spaces."""
    return value.replace("\t", " ").replace("\r\n", " ").replace("\n", " ").replace("\r", " ")


@cache
def _fips() -> dict[str, str]:
    """ISO 3166-1 alpha-3 -> FIPS 10-4 (data/iso3_fips.tsv, from GeoNames)."""
    return {row["iso3"]: row["fips"] for row in read_tsv("iso3_fips.tsv")}


@cache
def _country_names() -> dict[str, str]:
    return {row["iso3"]: row["name"] for row in read_tsv("actors/countries.tsv")}


@cache
def _country_by_name() -> dict[str, str]:
    """Every name of a country (data/actors/countries.tsv) -> its ISO code."""
    names: dict[str, str] = {}
    for row in read_tsv("actors/countries.tsv"):
        for name in (row["name"], *row["variants"].split("|")):
            names.setdefault(name, row["iso3"])
    return names
