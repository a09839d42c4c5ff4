"""Articles and their parts to JSON records and table rows, and records back to dataclasses.

The JSON record of each row is what is read back, so a field added to a dataclass is stored and read
without a migration; the table columns beside it are copies that queries filter on.
"""

from __future__ import annotations

import hashlib
import json
import types
from dataclasses import fields, is_dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints
from urllib.parse import urlsplit

from ..model import Actor, Article, Event, Mention, Place, Statement

T = TypeVar("T")

# Article fields kept out of the article's record: the input (not stored), the text (its own column),
# the parts stored in their own tables, and the spaCy objects.
ARTICLE_APART = frozenset({"raw", "html", "text", "statements", "mentions", "events", "doc", "statement_docs"})
ROLES = (("source", "source"), ("target", "target"), ("third", "third_parties"))


def input_hash(article: Article) -> str | None:
    """The sha256 of the article's input (`raw`, else `text`) with whitespace collapsed; None if empty.

    The store refuses a second article with the same input hash, so a rerun skips what it stored before
    coding it. (Near-duplicates are deduplication's work: `flashpoint.dedup`.)
    """
    body = " ".join((article.raw or article.text).split())
    return hashlib.sha256(body.encode("utf-8")).hexdigest() if body else None


def iso_date(value: Any) -> str | None:
    """`value` if it is a real date written YYYY-MM-DD, else None (what goes in a date column)."""
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return value if date.fromisoformat(value).isoformat() == value else None
    except ValueError:
        return None


def to_json(value: Any) -> str:
    """Compact JSON; NaN and infinities are refused (PostgreSQL's JSON has no such numbers)."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def load_json(value: Any) -> Any:
    """A JSON column's value: text from SQLite, already parsed from PostgreSQL."""
    return json.loads(value) if isinstance(value, str | bytes) else value


def article_record(article: Article) -> dict[str, Any]:
    return {name: plain(getattr(article, name)) for name in _field_names(type(article)) if name not in ARTICLE_APART}


def outlet(article: Article) -> str | None:
    """Who published the article, for counting distinct sources: its source, else its URL's host."""
    if article.source:
        return article.source
    return (urlsplit(article.url).hostname or None) if article.url else None


def error_codes(article: Article) -> str | None:
    return ",".join(str(error.get("code", "")) for error in article.errors) or None


def statement_row(article_id: str, ordinal: int, statement: Statement) -> tuple[Any, ...]:
    return (
        article_id, ordinal, statement.text, statement.author, statement.handle, iso_date(statement.date),
        statement.url, to_json(plain(statement)),
    )


def mention_row(article_id: str, ordinal: int, mention: Mention, place_id: int | None) -> tuple[Any, ...]:
    actor = mention.actor
    return (
        article_id, ordinal, mention.start, mention.end, mention.kind, mention.text,
        actor.name if actor else None, actor.country if actor else None, actor.sector if actor else None,
        place_id, to_json(plain(mention)),
    )


def place_row(place: Place) -> tuple[Any, ...]:
    return (
        to_json(plain(place)), place.name, place.country, place.admin1, place.lat, place.lon, place.geonames_id,
    )


def event_row(
    event: Event, *, article_id: str, ordinal: int, place_id: int | None, outlet: str | None, coder_version: str
) -> tuple[Any, ...]:
    modality = event.modality
    return (
        article_id, ordinal, event.type, event.mode, event.context, event.cameo, event.quad_class,
        event.intensity, event.goldstein, iso_date(event.date), event.date_precision, event.date_basis,
        iso_date(event.date_end), place_id, event.location.country if event.location else None,
        modality.negated, modality.hypothetical, modality.future, modality.historical, modality.reported,
        event.confidence, event.statement, event.evidence.text, outlet, coder_version, to_json(plain(event)),
    )


def actor_rows(event_id: int, event: Event) -> list[tuple[Any, ...]]:
    return [
        (event_id, role, ordinal, actor.name, actor.text, actor.country, actor.sector, actor.role, actor.person,
         actor.location)
        for role, name in ROLES
        for ordinal, actor in enumerate(getattr(event, name))
        if isinstance(actor, Actor)
    ]


def dyad_rows(
    event_id: int, event: Event, *, article_id: str, ordinal: int, outlet: str | None
) -> list[tuple[Any, ...]]:
    """The event's rows of `event_dyads`: one per pair of different source and target countries, if dated."""
    day = iso_date(event.date)
    if day is None:
        return []
    modality = event.modality
    asserted = not (modality.negated or modality.hypothetical)
    week = monday(day)
    return [
        (source, target, day, week, event_id, article_id, event.date_precision, asserted, modality.historical,
         event.quad_class, event.intensity, event.goldstein, outlet, f"{article_id}:{ordinal}")
        for source in _countries(event.source)
        for target in _countries(event.target)
        if source != target
    ]


def monday(day: str) -> str:
    """The Monday of the ISO week of a YYYY-MM-DD date."""
    value = date.fromisoformat(day)
    return (value - timedelta(days=value.weekday())).isoformat()


def _countries(actors: list[Actor]) -> list[str]:
    return sorted({actor.country for actor in actors if actor.country})


def from_record(cls: type[T], data: dict[str, Any]) -> T:
    """Rebuild a dataclass from its `asdict` form, nested dataclasses included; unknown keys are ignored."""
    hints = _hints(cls)  # type: ignore[arg-type]  # a class is hashable
    values = {name: _typed(hint, data[name]) for name, hint in hints.items() if name in data}
    return cls(**values)


@cache
def _hints(cls: type) -> dict[str, Any]:
    """The resolved type of each init field of a dataclass (resolving them costs ~1 ms: once per class)."""
    hints = get_type_hints(cls)
    return {f.name: hints[f.name] for f in fields(cls) if f.init}


def _typed(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = get_origin(hint)
    if origin is list:
        (item,) = get_args(hint) or (Any,)
        return [_typed(item, element) for element in value]
    if origin in (Union, types.UnionType):
        options = [option for option in get_args(hint) if option is not type(None)]
        return _typed(options[0], value) if len(options) == 1 else value
    if is_dataclass(hint) and isinstance(hint, type) and isinstance(value, dict):
        return from_record(hint, value)
    return value


def plain(value: Any) -> Any:
    """`dataclasses.asdict` for dataclasses, lists and dicts of them, without its deep copies (6x faster)."""
    kind = type(value)
    if kind in _LEAVES:
        return value
    if kind in _FIELD_NAMES or (is_dataclass(value) and not isinstance(value, type)):
        return {name: plain(getattr(value, name)) for name in _field_names(kind)}
    if isinstance(value, list | tuple):
        return [plain(element) for element in value]
    if isinstance(value, dict):
        return {key: plain(element) for key, element in value.items()}
    return value


_LEAVES = frozenset({str, int, float, bool, type(None)})
_FIELD_NAMES: dict[type[Any], tuple[str, ...]] = {}


def _field_names(kind: type[Any]) -> tuple[str, ...]:
    if kind not in _FIELD_NAMES:
        _FIELD_NAMES[kind] = tuple(f.name for f in fields(kind))
    return _FIELD_NAMES[kind]
