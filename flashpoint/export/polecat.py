"""Events as PLOVER JSON records, the exchange format of POLECAT: one JSON object per event per line.

Field names follow chapter 6 ("Data Fields") of the PLOVER manual (Draft 2.0): the event record (Table 6.1),
the entity object for actors and recipients (6.2), the text object (6.3), the citation object (6.5) and the
location object (6.6). Fields flashpoint adds beyond those are listed in `EXTENSIONS`; docs/exports.md maps
every field.
"""

from __future__ import annotations

from dataclasses import asdict
from functools import cache
from typing import Any

from ..datafiles import read_tsv
from ..model import Actor, Place
from .records import ExportRecord

# flashpoint's sector codes are CAMEO's; PLOVER (manual 5.2.1, note 4) renamed two of them.
PLOVER_SECTORS: dict[str, str] = {"MED": "JRN", "HLH": "MED"}
# PLOVER country names of its own (manual 5.1): Kosovo, the UN and the EU.
PLOVER_COUNTRIES: dict[str, str] = {"XKX": "KOS"}
UN_BODIES: frozenset[str] = frozenset({"OCHA", "WFP", "ICJ"})  # besides the codes that start with "UN"
INTERNATIONAL: frozenset[str] = frozenset({"IGO", "NGO", "IMG"})
# PLOVER's location resolution (Table 6.6: 5 sub-city, 4 city, 3 district, 2 province, 1 country) by feature.
RESOLUTIONS: dict[str, int] = {"country": 1, "admin1": 2, "admin2": 3, "city": 4}
# Top-level fields flashpoint adds to PLOVER's record.
EXTENSIONS: tuple[str, ...] = (
    "third_parties",
    "cameo",
    "goldstein",
    "date_precision",
    "date_basis",
    "modality",
    "confidence",
    "statement",
    "num_mentions",
    "num_sources",
    "num_articles",
)


def polecat_record(record: ExportRecord) -> dict[str, Any]:
    """One event as a PLOVER JSON record, with flashpoint's extra fields after PLOVER's."""
    event = record.event
    return {
        "id": record.event_id,
        "date": event.date,
        "enddate": event.date_end,
        "actor": [plover_entity(actor) for actor in event.source],
        "recipient": [plover_entity(actor) for actor in event.target],
        "event": [event.type],
        "mode": [event.mode] if event.mode else [],
        "context": [part.strip() for part in (event.context or "").split(";") if part.strip()],
        "quad_code": event.quad_class or None,
        "event_scale": event.intensity,
        "event_loc": _location(event.location),
        "event_text": [event.evidence.text],
        "text_info": {"start": event.evidence.start, "end": event.evidence.end},
        "cite_info": _citation(record),
        "coder": _coder(),
        "third_parties": [plover_entity(actor) for actor in event.third_parties],
        "cameo": event.cameo,
        "goldstein": event.goldstein,
        "date_precision": event.date_precision,
        "date_basis": event.date_basis,
        "modality": asdict(event.modality),
        "confidence": event.confidence,
        "statement": event.statement,
        "num_mentions": record.num_mentions,
        "num_sources": record.num_sources,
        "num_articles": record.num_articles,
    }


def plover_entity(actor: Actor) -> dict[str, Any]:
    """PLOVER's entity object (Table 6.2) for an actor, with flashpoint's name, person, location and code."""
    international = actor.country in INTERNATIONAL
    return {
        "code": plover_country(actor),
        "sector": None if actor.country in ("IGO", "NGO") else PLOVER_SECTORS.get(actor.sector or "", actor.sector),
        "entity_text": actor.text,
        "identifier_text": actor.person or (actor.name if international else None),
        "office": actor.role,
        "name": actor.name,
        "person": actor.person,
        "location": actor.location,
        "cameo_code": "".join(part for part in (actor.country, actor.sector) if part) or None,
    }


def plover_country(actor: Actor) -> str | None:
    """PLOVER's country code: ISO 3166-1 alpha-3, KOS for Kosovo, UNO and EUR for UN bodies and the EU."""
    sector = actor.sector or ""
    if actor.country == "IGO" and (sector.startswith("UN") or sector in UN_BODIES):
        return "UNO"
    if actor.country == "IGO" and sector == "EU":
        return "EUR"
    return PLOVER_COUNTRIES.get(actor.country or "", actor.country)


def _location(place: Place | None) -> dict[str, Any] | None:
    """PLOVER's location object (Table 6.6), from the fields flashpoint has."""
    if place is None:
        return None
    resolved = place.geonames_id is not None or place.lat is not None
    return {
        "extracted_place": place.name,
        "resolved_place": place.name if resolved else None,
        "geonameid": place.geonames_id,
        "lat": place.lat,
        "lon": place.lon,
        "province": place.admin1,
        "country": _country_names().get(place.country or ""),
        "country_code": PLOVER_COUNTRIES.get(place.country or "", place.country),
        "city": place.name if place.feature == "city" else None,
        "resolution": RESOLUTIONS.get(place.feature or ""),
    }


def _citation(record: ExportRecord) -> dict[str, Any]:
    """PLOVER's citation object (Table 6.5) for the article; `publication_date` is flashpoint's addition."""
    article = record.article
    return {
        "citation": article.id,
        "url": article.url,
        "title": article.title,
        "language": article.language,
        "publication": article.source,
        "publication_date": article.published,
        "coder": _coder(),
    }


def _coder() -> str:
    from .. import __version__

    return f"flashpoint {__version__}"


@cache
def _country_names() -> dict[str, str]:
    return {row["iso3"]: row["name"] for row in read_tsv("actors/countries.tsv")}
